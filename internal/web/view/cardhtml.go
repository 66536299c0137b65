package view

import (
	"html/template"
	"strconv"
	"strings"
)

// HTML is the card's markup, written directly: the storefront's grids call
// it once per card instead of executing a template, which costs html/template
// about 20 escaper calls by reflection and a lookup by name per field.
//
// The markup's reference is internal/web/view/testdata/card.html (the "card"
// template the pages used before); TestCardHTMLMatchesTemplate keeps the two
// equal, with hostile values, so change both together. Every text and
// attribute value is HTML-escaped; NameHTML is already safe (Highlight) and
// written as is; the links pass through WriteURL, as html/template's URL
// filter and normaliser, only stricter.
func (c *Card) HTML() template.HTML {
	var b strings.Builder
	b.Grow(c.size())
	c.write(&b)
	return template.HTML(b.String())
}

// CardsHTML is the markup of every card in cards, in order: a grid's
// ({{cards .Cards}} in a template), one template call for the whole grid
// instead of one per card.
func CardsHTML(cards []Card) template.HTML {
	var b strings.Builder
	n := 0
	for i := range cards {
		n += cards[i].size()
	}
	b.Grow(n)
	for i := range cards {
		cards[i].write(&b)
	}
	return template.HTML(b.String())
}

// size is about the length of c's markup.
func (c *Card) size() int {
	return 1600 + len(c.URL) + len(c.ImageURL) + len(c.NameHTML) + len(c.Name) + len(c.EnterpriseName) + len(c.CSRF)
}

// write writes c's markup to b.
func (c *Card) write(b *strings.Builder) {
	b.WriteString(`<article class="card">
  <a class="card-link" href="`)
	WriteURL(b, c.URL)
	b.WriteString(`">
    <div class="card-img">
      <img src="`)
	WriteURL(b, c.ImageURL)
	b.WriteString(`" alt="" loading="lazy" width="400" height="400">
      `)
	if !c.InStock {
		if c.Service {
			b.WriteString(`<span class="tag tag-soldout">예약 마감</span>`)
		} else {
			b.WriteString(`<span class="tag tag-soldout">품절</span>`)
		}
	}
	b.WriteString("\n      ")
	if c.Service {
		b.WriteString(`<span class="tag tag-service">서비스</span>`)
	}
	b.WriteString(`
    </div>
    <div class="card-body">
      <h3 class="card-name">`)
	b.WriteString(string(c.NameHTML))
	b.WriteString("</h3>\n      ")
	if c.EnterpriseName != "" {
		WriteText(b, `<p class="card-ent">`, c.EnterpriseName, `</p>`)
	}
	b.WriteString("\n      <p class=\"card-meta\">")
	if c.TypeLabel != "" {
		WriteText(b, `<span class="badge badge-`, string(c.EnterpriseType), `">`)
		WriteText(b, "", c.TypeLabel, `</span>`)
	}
	if c.RegionLabel != "" {
		WriteText(b, `<span class="region">`, c.RegionLabel, `</span>`)
	}
	b.WriteString("</p>\n      ")
	if c.RatingText != "" {
		rating, reviews := template.HTMLEscapeString(c.RatingText), strconv.Itoa(c.ReviewCount)
		b.WriteString(`<p class="card-rating"><span aria-hidden="true"><span class="stars">★</span>`)
		b.WriteString(rating)
		b.WriteString(` (`)
		b.WriteString(reviews)
		b.WriteString(`)</span><span class="sr-only">별점 5점 만점에 `)
		b.WriteString(rating)
		b.WriteString(`점, 구매평 `)
		b.WriteString(reviews)
		b.WriteString(`개</span></p>`)
	}
	b.WriteString("\n      <p class=\"card-price\">")
	if c.ListPriceText != "" {
		b.WriteString(`<span class="sr-only">할인가 </span>`)
	}
	WriteText(b, `<strong>`, c.PriceText, `</strong>`)
	if c.ListPriceText != "" {
		WriteText(b, ` <del><span class="sr-only">정가 </span>`, c.ListPriceText, `</del>`)
	}
	b.WriteString("</p>\n      ")
	if c.Discount != "" {
		WriteText(b, `<p class="card-discount">`, c.Discount, ` 할인</p>`)
	}
	b.WriteString("\n      ")
	if c.Choose != "" {
		WriteText(b, `<span class="card-choose">`, c.Choose, ` ›</span>`)
	}
	b.WriteString(`
    </div>
  </a>
  `)
	if c.CSRF != "" {
		b.WriteString(`<form class="card-add" action="/cart/items" method="post" data-stay>
    <input type="hidden" name="_csrf" value="`)
		b.WriteString(template.HTMLEscapeString(c.CSRF))
		b.WriteString(`">
    <input type="hidden" name="product_id" value="`)
		b.WriteString(strconv.FormatInt(c.ID, 10))
		b.WriteString(`">
    <input type="hidden" name="quantity" value="1">
    <button class="btn card-add-btn" type="submit"><span class="sr-only">`)
		b.WriteString(template.HTMLEscapeString(c.Name))
		b.WriteString(` </span>장바구니 담기</button>
    <p class="add-cart-status" role="status" hidden></p>
  </form>`)
	}
	b.WriteString("\n</article>")
}

// WriteText writes before, text escaped for an HTML text or quoted
// attribute value, and after.
func WriteText(b *strings.Builder, before, text, after string) {
	b.WriteString(before)
	b.WriteString(template.HTMLEscapeString(text))
	b.WriteString(after)
}

// WriteURL writes u as a double-quoted attribute's value, as html/template
// writes a URL attribute from its start: a URL that is not a path ("/", not
// "//") or an http(s) address becomes "#ZgotmplZ" (html/template also lets
// relative paths, "//host" and mailto: through; no Go-written page needs them),
// then every byte outside RFC 3986's unreserved and reserved sets is
// percent-encoded (keeping valid %XX escapes; so ' " < > NUL and a
// backslash, which a browser would read as "/", never reach the page), and
// & is written &amp;.
func WriteURL(b *strings.Builder, u string) {
	if !(strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//")) &&
		!strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		b.WriteString("#ZgotmplZ")
		return
	}
	const hex = "0123456789abcdef"
	written := 0
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("-._~!#$*+,/:;=?@[]", c) >= 0:
			continue
		case c == '%' && i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2]):
			continue
		}
		b.WriteString(u[written:i])
		if c == '&' {
			b.WriteString("&amp;")
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
		written = i + 1
	}
	b.WriteString(u[written:])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
