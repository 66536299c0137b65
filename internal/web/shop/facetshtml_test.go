package shop

import (
	"html/template"
	"net/url"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/view/htmltree"
)

const hostile = htmltree.Hostile

// listing.FacetsHTML writes the markup of testdata/facets.html (the sidebar
// template the listings used before) for every branch, filters chosen and
// refused, and hostile values: compared as parsed HTML, since html/template
// escapes a few more characters than template.HTMLEscapeString. This is the
// contract that the Go renderer is as safe as the template.
func TestFacetsHTMLMatchesTemplate(t *testing.T) {
	tmpl := template.Must(template.ParseFiles("testdata/facets.html"))
	ix := catalog.NewCategoryIndex([]*catalog.Category{{ID: 1, Slug: "food", Name: "식품"}, {ID: 2, Slug: "goods", Name: "생활용품"}})
	res := &search.Result{Page: 1, PerPage: 24, Total: 1234, Facets: map[string][]search.FacetValue{
		search.FacetCategory:       {{Value: "1", Count: 1200}, {Value: "2", Count: 34}},
		search.FacetEnterpriseType: {{Value: "social", Count: 1000}, {Value: "coop", Count: 234}},
		search.FacetRegion:         {{Value: "daegu", Count: 1234}},
		search.FacetTaxType:        {{Value: "taxable", Count: 1000}, {Value: "exempt", Count: 234}},
		search.FacetKind:           {{Value: "goods", Count: 1234}},
	}}
	searchPage := listingOptions{action: "/search", showFacets: true, showCategory: true}
	build := func(o listingOptions, raw string, q search.Query) listing {
		v, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatal(err)
		}
		return buildListing(o, v, q, res, ix)
	}
	withErrs := func(l listing, errs map[string]string, minPrice, maxPrice string) listing {
		l.Errors, l.MinPrice, l.MaxPrice = errs, minPrice, maxPrice
		for i := range l.Facets {
			if errs[l.Facets[i].Name] != "" {
				l.Facets[i].Show = true
			}
		}
		return l
	}
	everything := search.Query{Text: "사과", CategoryID: 1, EnterpriseTypes: []catalog.EnterpriseType{catalog.SocialEnterprise},
		Regions: []catalog.Region{"daegu", "seoul"}, TaxType: catalog.Exempt, Kind: catalog.Goods, MinPrice: 10000, MaxPrice: 30000,
		InStock: true, Sort: search.SortPriceAsc, Page: 2, PerPage: 60}
	evil := listing{Action: "/search?q=" + hostile, Chips: []chip{{Label: hostile}}, CatTitle: hostile,
		Hidden:     []hiddenField{{hostile, hostile}},
		Categories: []facetOption{{Value: hostile, Label: hostile, CountText: hostile, URL: "/search?q=" + hostile}},
		Facets: []facetGroup{
			{Title: hostile, Name: hostile, Show: true, Values: []facetOption{{Value: hostile, Label: hostile, CountText: hostile, Checked: true}}},
			{Title: hostile, Name: "tax", Radio: true, Show: true, Values: []facetOption{{Label: hostile, Checked: true}, {Value: hostile, Label: hostile}}},
		},
		Prices: []facetOption{{Label: hostile, URL: "/search?min_price=" + hostile, Checked: true}},
		Errors: map[string]string{hostile: hostile, "tax": hostile, "price": hostile, "in_stock": hostile},
		Query:  search.Query{Sort: search.Sort(hostile), InStock: true}, MinPrice: hostile, MaxPrice: hostile}

	for _, tc := range []struct {
		name string
		l    listing
		// refAction, when set, is the Action given to the template: WriteURL
		// is stricter than html/template there and writes "#ZgotmplZ".
		refAction string
	}{
		{name: "search, nothing chosen", l: build(searchPage, "q=사과", search.Query{Text: "사과", Page: 1, PerPage: 24})},
		{name: "search, everything chosen", l: build(searchPage,
			"q=사과&category=1&type=social&region=daegu&region=seoul&tax=exempt&kind=goods&min_price=10000&max_price=30000&in_stock=1&sort=price_asc&page=2&per_page=60&utm=x",
			everything)},
		{name: "category page", l: build(listingOptions{action: "/c/food", fixedCatID: 1, showFacets: true}, "type=coop", search.Query{CategoryID: 1,
			EnterpriseTypes: []catalog.EnterpriseType{catalog.Cooperative}, Page: 1, PerPage: 24})},
		{name: "enterprise page", l: build(listingOptions{action: "/e/7", showFacets: true}, "", search.Query{EnterpriseID: 7, Page: 1, PerPage: 24})},
		{name: "refused filters", l: withErrs(build(searchPage, "q=사과", search.Query{Text: "사과", Page: 1, PerPage: 24}),
			map[string]string{"price": "최저 가격은 0원 이상의 숫자로 입력해 주세요.", "in_stock": "재고 필터 값이 올바르지 않습니다.", "region": "지역 값이 올바르지 않습니다."},
			"-5", "abc")},
		{name: "hostile values", l: evil},
		{name: "hostile action", l: func() listing { l := evil; l.Action = "javascript:alert(1)"; return l }()},
		{name: "protocol-relative action", l: func() listing { l := evil; l.Action = "//evil.example/"; return l }(), refAction: "#ZgotmplZ"},
		{name: "nothing at all", l: listing{Action: "/search"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ref := tc.l
			if tc.refAction != "" {
				ref.Action = tc.refAction
			}
			var want strings.Builder
			if err := tmpl.ExecuteTemplate(&want, "facets", &ref); err != nil {
				t.Fatal(err)
			}
			htmltree.Same(t, string(tc.l.FacetsHTML()), want.String())
		})
	}
}

func BenchmarkFacetsHTML(b *testing.B) {
	l := searchPage(benchResult()).listing
	b.ReportAllocs()
	for b.Loop() {
		_ = l.FacetsHTML()
	}
}
