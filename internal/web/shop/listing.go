package shop

import (
	"errors"
	"maps"
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/view"
)

// listing is a page of search results with everything around it: facets,
// active-filter chips, sort and pagination. The search, category and
// enterprise pages share it; every link in it is a plain URL, so it all works
// without JavaScript.
type listing struct {
	Action     string     // path the filter form submits to
	Values     url.Values // the page's parameters
	Query      search.Query
	Total      int
	TotalText  string // 1,234
	Cards      []view.Card
	Degraded   bool
	Facets     []facetGroup
	Categories []facetOption // category facet as links
	CatTitle   string
	Prices     []facetOption // preset price ranges
	Chips      []chip
	ClearURL   string
	Sorts      []facetOption
	Pager      view.Pager
	Hidden     []hiddenField // parameters the filter form carries along
	SortHidden []hiddenField // parameters the sort form carries along
	Roots      []*catalog.Category
	ShowFacets bool
	// OutOfRange is true when the page number is past the last result page.
	OutOfRange bool
	FirstURL   string
	// Errors says what was wrong with a filter, keyed by its control
	// ("price", "in_stock", "type", …); the page shows the results without
	// that filter and the message next to the control.
	Errors map[string]string
	// MinPrice and MaxPrice are the price range's inputs: as typed when they
	// were refused, so the shopper can correct them.
	MinPrice, MaxPrice string
}

type facetGroup struct {
	Title  string
	Name   string // form field
	Radio  bool   // single choice (with a 전체 option)
	Values []facetOption
	Show   bool // worth showing: a choice among several values
}

type facetOption struct {
	Value     string
	Label     string
	Count     int
	CountText string // 1,234
	Checked   bool
	URL       string // a link's target (categories, price ranges); a form control's option has none
}

type chip struct {
	Label string
	URL   string // the page without this filter
}

type hiddenField struct{ Name, Value string }

// listingParams are the parameters a listing's links keep; anything else in
// the URL (tracking junk) is dropped from generated links.
var listingParams = []string{"q", "category", "enterprise", "type", "region", "tax", "kind",
	"min_price", "max_price", "in_stock", "sort", "per_page"}

// linkTo returns action with v's listing parameters after edit ran on a copy;
// page is always reset unless edit sets it.
func linkTo(action string, v url.Values, edit func(url.Values)) string {
	c := url.Values{}
	for _, k := range listingParams {
		for _, x := range v[k] {
			if x != "" {
				c.Add(k, x)
			}
		}
	}
	if edit != nil {
		edit(c)
	}
	if len(c) == 0 {
		return action
	}
	return action + "?" + c.Encode()
}

func toggle(key, value string) func(url.Values) {
	return func(v url.Values) {
		cur := v[key]
		if i := slices.Index(cur, value); i >= 0 {
			v[key] = slices.Delete(slices.Clone(cur), i, i+1)
			if len(v[key]) == 0 {
				delete(v, key)
			}
			return
		}
		v.Add(key, value)
	}
}

func set(kv ...string) func(url.Values) {
	return func(v url.Values) {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
	}
}

var sortLabels = []struct {
	Sort  search.Sort
	Label string
}{
	{search.SortRelevance, "추천순"}, {search.SortPriceAsc, "낮은 가격순"}, {search.SortPriceDesc, "높은 가격순"},
	{search.SortNewest, "최신순"}, {search.SortPopular, "인기순"}, {search.SortRating, "평점순"},
}

var priceRanges = []struct{ Min, Max int64 }{
	{0, 10000}, {10000, 30000}, {30000, 50000}, {50000, 100000}, {100000, 0},
}

func priceLabel(lo, hi int64) string {
	switch {
	case lo > 0 && hi > 0:
		return kr.Won(lo) + " ~ " + kr.Won(hi)
	case hi > 0:
		return kr.Won(hi) + " 이하"
	case lo > 0:
		return kr.Won(lo) + " 이상"
	}
	return ""
}

// filterControls maps a filter parameter to the control that sets it and
// the parameters dropped with it when its value is refused.
var filterControls = map[string]struct {
	control string
	drop    []string
}{
	"min_price": {"price", []string{"min_price", "max_price"}},
	"max_price": {"price", []string{"min_price", "max_price"}},
	"in_stock":  {"in_stock", []string{"in_stock"}},
	"type":      {"type", []string{"type"}},
	"region":    {"region", []string{"region"}},
	"tax":       {"tax", []string{"tax"}},
	"kind":      {"kind", []string{"kind"}},
}

// listingQuery reads a listing page's parameters as view.SearchParams does,
// except that a refused filter is not the whole page's error: the search goes
// on without it, and errs says what was wrong, keyed by the control, for the
// page to show beside it (with typed, the parameters as they came). Other
// errors (a broken URL, a bad page number) are returned as they are.
func listingQuery(c *fiber.Ctx, fixed ...string) (v, typed url.Values, q search.Query, errs map[string]string, err error) {
	v, q, err = view.SearchParams(c, fixed...)
	typed = v
	for err != nil {
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.Invalid || len(ae.Fields) != 1 {
			return v, typed, q, errs, err
		}
		var f struct {
			control string
			drop    []string
		}
		var ok bool
		for name := range ae.Fields {
			f, ok = filterControls[name]
		}
		if !ok || (errs != nil && errs[f.control] != "") {
			return v, typed, q, errs, err
		}
		if errs == nil {
			errs = map[string]string{}
			v = maps.Clone(v)
		}
		errs[f.control] = ae.Message
		for _, name := range f.drop {
			v.Del(name)
		}
		q, err = view.SearchQuery(v)
	}
	return v, typed, q, errs, nil
}

// withErrors puts a listing's filter errors beside their controls, with the
// price range as typed, and answers 400; without errors it does nothing.
func (l *listing) withErrors(c *fiber.Ctx, typed url.Values, errs map[string]string) {
	if len(errs) == 0 {
		return
	}
	l.Errors = errs
	if errs["price"] != "" {
		l.MinPrice, l.MaxPrice = typed.Get("min_price"), typed.Get("max_price")
	}
	l.ShowFacets = true
	for i := range l.Facets {
		if errs[l.Facets[i].Name] != "" {
			l.Facets[i].Show = true
		}
	}
	c.Status(fiber.StatusBadRequest)
}

// listingOptions say what a page fixes and shows.
type listingOptions struct {
	action       string
	fixedCatID   int64 // the category page's own category: not a removable filter
	showFacets   bool
	showCategory bool // show the category facet (search page)
}

// buildListing turns a query and its result into the listing view.
func buildListing(o listingOptions, v url.Values, q search.Query, res *search.Result, ix *catalog.CategoryIndex) listing {
	l := listing{Action: o.action, Values: v, Query: q, Total: res.Total, Degraded: res.Degraded, ShowFacets: o.showFacets}
	for _, h := range res.Hits {
		l.Cards = append(l.Cards, view.CardFromHit(h))
	}
	counts := func(facet string) map[string]int {
		m := map[string]int{}
		for _, fv := range res.Facets[facet] {
			m[fv.Value] = fv.Count
		}
		return m
	}

	// Category facet: the children of the selected category (or the roots),
	// each a link; on the category page the page itself is the filter.
	if o.showCategory {
		catCounts := counts(search.FacetCategory)
		var under []*catalog.Category
		if q.CategoryID != 0 && ix.ByID(q.CategoryID) != nil {
			under = ix.ByID(q.CategoryID).Children
			l.CatTitle = ix.ByID(q.CategoryID).Name
		} else {
			under = ix.Roots
		}
		for _, c := range under {
			n := catCounts[strconv.FormatInt(c.ID, 10)]
			if n == 0 {
				continue
			}
			l.Categories = append(l.Categories, facetOption{Value: strconv.FormatInt(c.ID, 10), Label: c.Name, Count: n,
				URL: linkTo(o.action, v, set("category", strconv.FormatInt(c.ID, 10)))})
		}
	}

	typeCounts := counts(search.FacetEnterpriseType)
	types := facetGroup{Title: "기업 유형", Name: "type"}
	for _, t := range catalog.EnterpriseTypes {
		checked := slices.Contains(q.EnterpriseTypes, t)
		n := typeCounts[string(t)]
		if n == 0 && !checked {
			continue
		}
		types.Values = append(types.Values, facetOption{Value: string(t), Label: t.Label(), Count: n, Checked: checked})
	}
	regionCounts := counts(search.FacetRegion)
	regions := facetGroup{Title: "지역", Name: "region"}
	for _, r := range catalog.Regions {
		checked := slices.Contains(q.Regions, r)
		n := regionCounts[string(r)]
		if n == 0 && !checked {
			continue
		}
		regions.Values = append(regions.Values, facetOption{Value: string(r), Label: r.Label(), Count: n, Checked: checked})
	}
	taxCounts := counts(search.FacetTaxType)
	tax := facetGroup{Title: "과세/면세", Name: "tax", Radio: true, Values: []facetOption{
		{Value: "", Label: "전체", Checked: q.TaxType == ""},
	}}
	for _, t := range []catalog.TaxType{catalog.Taxable, catalog.Exempt} {
		if taxCounts[string(t)] == 0 && q.TaxType != t {
			continue
		}
		tax.Values = append(tax.Values, facetOption{Value: string(t), Label: t.Label(), Count: taxCounts[string(t)],
			Checked: q.TaxType == t})
	}
	kindCounts := counts(search.FacetKind)
	kind := facetGroup{Title: "상품/서비스", Name: "kind", Radio: true, Values: []facetOption{
		{Value: "", Label: "전체", Checked: q.Kind == ""},
	}}
	for _, k := range []catalog.Kind{catalog.Goods, catalog.Service} {
		if kindCounts[string(k)] == 0 && q.Kind != k {
			continue
		}
		kind.Values = append(kind.Values, facetOption{Value: string(k), Label: k.Label(), Count: kindCounts[string(k)],
			Checked: q.Kind == k})
	}
	l.Facets = []facetGroup{types, regions, tax, kind}

	for _, pr := range priceRanges {
		lo, hi := strconv.FormatInt(pr.Min, 10), strconv.FormatInt(pr.Max, 10)
		if pr.Min == 0 {
			lo = ""
		}
		if pr.Max == 0 {
			hi = ""
		}
		l.Prices = append(l.Prices, facetOption{Label: priceLabel(pr.Min, pr.Max),
			Checked: q.MinPrice == pr.Min && q.MaxPrice == pr.Max,
			URL:     linkTo(o.action, v, set("min_price", lo, "max_price", hi))})
	}

	// Chips: one per active filter, each a link without it.
	if q.CategoryID != 0 && q.CategoryID != o.fixedCatID {
		name := "카테고리"
		if c := ix.ByID(q.CategoryID); c != nil {
			name = c.Name
		}
		l.Chips = append(l.Chips, chip{Label: name, URL: linkTo(o.action, v, set("category", ""))})
	}
	for _, t := range q.EnterpriseTypes {
		l.Chips = append(l.Chips, chip{Label: t.Label(), URL: linkTo(o.action, v, toggle("type", string(t)))})
	}
	for _, r := range q.Regions {
		l.Chips = append(l.Chips, chip{Label: r.Label(), URL: linkTo(o.action, v, toggle("region", string(r)))})
	}
	if q.TaxType != "" {
		l.Chips = append(l.Chips, chip{Label: q.TaxType.Label(), URL: linkTo(o.action, v, set("tax", ""))})
	}
	if q.Kind != "" {
		l.Chips = append(l.Chips, chip{Label: q.Kind.Label(), URL: linkTo(o.action, v, set("kind", ""))})
	}
	if q.MinPrice > 0 || q.MaxPrice > 0 {
		l.Chips = append(l.Chips, chip{Label: priceLabel(q.MinPrice, q.MaxPrice), URL: linkTo(o.action, v, set("min_price", "", "max_price", ""))})
	}
	if q.InStock {
		l.Chips = append(l.Chips, chip{Label: "재고 있는 상품만", URL: linkTo(o.action, v, set("in_stock", ""))})
	}
	if len(l.Chips) > 0 {
		l.ClearURL = linkTo(o.action, v, func(c url.Values) {
			for _, k := range []string{"category", "type", "region", "tax", "kind", "min_price", "max_price", "in_stock"} {
				c.Del(k)
			}
		})
	}

	// With nothing found and no filter to remove, the sidebar has nothing to offer.
	if res.Total == 0 && len(l.Chips) == 0 {
		l.ShowFacets = false
	}
	for _, s := range sortLabels {
		l.Sorts = append(l.Sorts, facetOption{Value: string(s.Sort), Label: s.Label, Checked: q.Sort == s.Sort})
	}
	if q.Text != "" {
		l.Hidden = append(l.Hidden, hiddenField{"q", q.Text})
	}
	if q.CategoryID != 0 && q.CategoryID != o.fixedCatID {
		l.Hidden = append(l.Hidden, hiddenField{"category", strconv.FormatInt(q.CategoryID, 10)})
	}
	if pp := v.Get("per_page"); pp != "" {
		l.Hidden = append(l.Hidden, hiddenField{"per_page", pp})
	}
	for _, k := range listingParams {
		if k == "sort" || (k == "category" && q.CategoryID == o.fixedCatID) {
			continue
		}
		for _, x := range v[k] {
			if x != "" {
				l.SortHidden = append(l.SortHidden, hiddenField{k, x})
			}
		}
	}
	l.Roots = ix.Roots

	per := q.PerPage
	if per <= 0 {
		per = search.DefaultPerPage
	}
	page := max(q.Page, 1)
	l.Pager = view.BuildPager(page, view.TotalPages(res.Total, per, search.MaxPage), func(n int) string {
		return linkTo(o.action, v, func(c url.Values) {
			if n > 1 {
				c.Set("page", strconv.Itoa(n))
			}
		})
	})
	if len(res.Hits) == 0 && res.Total > 0 && page > 1 {
		l.OutOfRange = true
		l.FirstURL = linkTo(o.action, v, nil)
	}
	// Display text, so that the template calls no functions per value.
	if q.MinPrice > 0 {
		l.MinPrice = strconv.FormatInt(q.MinPrice, 10)
	}
	if q.MaxPrice > 0 {
		l.MaxPrice = strconv.FormatInt(q.MaxPrice, 10)
	}
	l.TotalText = kr.Comma(int64(res.Total))
	for i := range l.Categories {
		l.Categories[i].CountText = kr.Comma(int64(l.Categories[i].Count))
	}
	for i := range l.Facets {
		f := &l.Facets[i]
		f.Show = (f.Radio && len(f.Values) > 1) || (!f.Radio && len(f.Values) > 0)
		for j := range f.Values {
			f.Values[j].CountText = kr.Comma(int64(f.Values[j].Count))
		}
	}
	return l
}
