package shop

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/dure-coop/dure/internal/web/view"
)

// FacetsHTML is the listing's filter sidebar, written directly: a broad
// search has some forty filter values, and executing them as a template cost
// html/template ~130 µs a page (escaper calls by reflection per value), more
// than the 24 product cards.
//
// The markup's reference is internal/web/shop/testdata/facets.html (the
// template the pages used before); TestFacetsHTMLMatchesTemplate keeps the
// two equal, with hostile values, so change both together. Every text and
// attribute value is HTML-escaped (view.WriteText); the links and the form's
// action pass through view.WriteURL.
func (l *listing) FacetsHTML() template.HTML {
	var b strings.Builder
	b.Grow(6000)
	b.WriteString(`<aside class="facets" id="facets" tabindex="-1" aria-label="검색 필터">
  <details class="facets-box" open>
    <summary>필터`)
	if len(l.Chips) > 0 {
		b.WriteString(` <span class="count">`)
		b.WriteString(strconv.Itoa(len(l.Chips)))
		b.WriteString(`</span>`)
	}
	b.WriteString(`</summary>
    <form id="filters" action="`)
	view.WriteURL(&b, l.Action)
	b.WriteString(`" method="get">
      `)
	for _, h := range l.Hidden {
		hidden(&b, h.Name, h.Value)
	}
	b.WriteString("\n      ")
	if len(l.Categories) > 0 {
		b.WriteString(`<section class="facet">
        <h2 class="facet-title">카테고리`)
		if l.CatTitle != "" {
			view.WriteText(&b, ` <small>`, l.CatTitle, `</small>`)
		}
		b.WriteString(`</h2>
        <ul class="facet-links">`)
		for _, c := range l.Categories {
			b.WriteString(`<li><a href="`)
			view.WriteURL(&b, c.URL)
			view.WriteText(&b, `">`, c.Label, `<span class="count">`)
			view.WriteText(&b, "", c.CountText, `</span></a></li>`)
		}
		b.WriteString(`</ul>
      </section>`)
	}
	b.WriteString("\n      ")
	for _, f := range l.Facets {
		if !f.Show {
			continue
		}
		view.WriteText(&b, `
      <fieldset class="facet">
        <legend class="facet-title">`, f.Title, "</legend>\n        ")
		fieldError(&b, l.Errors[f.Name], "")
		b.WriteString("\n        ")
		kind := "checkbox"
		if f.Radio {
			kind = "radio"
		}
		for _, v := range f.Values {
			view.WriteText(&b, `<label class="opt"><input type="`+kind+`" name="`, f.Name, `" value="`)
			view.WriteText(&b, "", v.Value, `"`)
			if v.Checked {
				b.WriteString(` checked`)
			}
			view.WriteText(&b, `><span class="opt-label">`, v.Label, `</span>`)
			if v.Value != "" {
				view.WriteText(&b, `<span class="count">`, v.CountText, `</span>`)
			}
			b.WriteString("</label>\n        ")
		}
		b.WriteString("\n      </fieldset>")
	}
	b.WriteString(`
      <fieldset class="facet">
        <legend class="facet-title">가격대</legend>
        <ul class="facet-links">`)
	for _, p := range l.Prices {
		b.WriteString(`<li><a href="`)
		view.WriteURL(&b, p.URL)
		b.WriteString(`"`)
		if p.Checked {
			b.WriteString(` aria-current="true"`)
		}
		view.WriteText(&b, `>`, p.Label, `</a></li>`)
	}
	priceErr := l.Errors["price"]
	invalid := ""
	if priceErr != "" {
		invalid = ` aria-invalid="true" aria-describedby="price-error"`
	}
	view.WriteText(&b, `</ul>
        <div class="price-range">
          <input id="min_price" type="number" name="min_price" min="0" step="1000" inputmode="numeric" value="`, l.MinPrice,
		`" placeholder="최저" aria-label="최저 가격(원)"`+invalid+`>
          <span aria-hidden="true">~</span>
          `)
	view.WriteText(&b, `<input id="max_price" type="number" name="max_price" min="0" step="1000" inputmode="numeric" value="`, l.MaxPrice,
		`" placeholder="최고" aria-label="최고 가격(원)"`+invalid+`>
        </div>
        `)
	fieldError(&b, priceErr, "price-error")
	b.WriteString(`
      </fieldset>
      <fieldset class="facet">
        <legend class="facet-title">재고</legend>
        `)
	fieldError(&b, l.Errors["in_stock"], "")
	b.WriteString(`
        <label class="opt"><input type="checkbox" name="in_stock" value="1"`)
	if l.Query.InStock {
		b.WriteString(` checked`)
	}
	b.WriteString(`><span class="opt-label">재고 있는 상품만</span></label>
      </fieldset>
      `)
	if l.Query.Sort != "" {
		hidden(&b, "sort", string(l.Query.Sort))
	}
	b.WriteString(`
      <button type="submit" class="btn btn-primary btn-block">필터 적용</button>
    </form>
  </details>
</aside>`)
	return template.HTML(b.String())
}

// hidden writes a hidden input.
func hidden(b *strings.Builder, name, value string) {
	view.WriteText(b, `<input type="hidden" name="`, name, `" value="`)
	view.WriteText(b, "", value, `">`)
}

// fieldError writes a filter's error message (nothing when msg is empty),
// with id when it is not empty.
func fieldError(b *strings.Builder, msg, id string) {
	if msg == "" {
		return
	}
	b.WriteString(`<p `)
	if id != "" {
		b.WriteString(`id="` + id + `" `)
	}
	view.WriteText(b, `class="field-error" role="alert">`, msg, `</p>`)
}
