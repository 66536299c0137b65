package view

import (
	"html/template"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/view/htmltree"
)

const hostile = htmltree.Hostile

// Card.HTML writes the markup of testdata/card.html (the "card" template) for
// every branch and value, hostile ones included: compared as parsed HTML,
// since html/template escapes a few more characters (+ as &#43;) than
// template.HTMLEscapeString. This is the contract that the Go renderer is
// as safe as the template.
func TestCardHTMLMatchesTemplate(t *testing.T) {
	tmpl := template.Must(template.ParseFiles("testdata/card.html"))
	plain := CardFromHit(search.Hit{ProductID: 1001, Name: "청송 꿀사과 5kg", NameHighlight: "청송 꿀" + search.HighlightPre + "사과" + search.HighlightPost + " 5kg",
		EnterpriseID: 1, EnterpriseName: "(주)햇살농원", EnterpriseType: catalog.PreSocialEnterprise, Region: "gyeonggi",
		Kind: catalog.Goods, ConsumerPrice: 25800, InStock: true, ImageURL: "/media/p/1001.webp", RatingAvg: 458, ReviewCount: 12})
	evil := Card{ID: 7, URL: ProductURL(7), Name: hostile, NameHTML: Highlight(hostile + search.HighlightPre + "<b>사과</b>" + search.HighlightPost), Summary: hostile,
		ImageURL: "/media/" + hostile, EnterpriseName: hostile, EnterpriseType: catalog.EnterpriseType(hostile),
		TypeLabel: hostile, RegionLabel: hostile, RatingText: hostile, ReviewCount: 3, PriceText: hostile,
		ListPriceText: hostile, Discount: hostile, Choose: hostile, CSRF: hostile}
	with := func(c Card, f func(*Card)) Card { f(&c); return c }
	var all []Card

	for _, tc := range []struct {
		name string
		card Card
		// refImage, when set, is the ImageURL given to the template: HTML
		// is stricter than html/template there and writes "#ZgotmplZ".
		refImage string
	}{
		{name: "search hit in stock", card: plain},
		{name: "search hit with cart form", card: with(plain, func(c *Card) { c.CSRF = "tok-en+/=" })},
		{name: "sold out goods", card: with(plain, func(c *Card) { c.InStock = false })},
		{name: "service", card: with(plain, func(c *Card) { c.Service, c.Kind = true, catalog.Service })},
		{name: "service sold out", card: with(plain, func(c *Card) { c.Service, c.InStock = true, false })},
		{name: "no enterprise", card: CardFromProduct(&catalog.Product{ID: 9, Name: "세제 & 수세미", ConsumerPrice: 4500, Stock: 1}, nil)},
		{name: "no reviews, no region", card: with(plain, func(c *Card) { c.RatingText, c.RegionLabel = "", "" })},
		{name: "type without region", card: with(plain, func(c *Card) { c.RegionLabel = "" })},
		{name: "region without type", card: with(plain, func(c *Card) { c.TypeLabel = "" })},
		{name: "discounted", card: plain.Discounted(19900, "가을 장터")},
		{name: "choose", card: with(plain, func(c *Card) { c.Choose = "옵션 선택" })},
		{name: "everything", card: with(plain.Discounted(100, "봄"), func(c *Card) { c.Choose, c.CSRF, c.Service = "옵션 선택", "t", true })},
		{name: "hostile values", card: evil},
		{name: "hostile sold out", card: with(evil, func(c *Card) { c.InStock, c.Service = false, true })},
		{name: "javascript: image", card: with(evil, func(c *Card) { c.ImageURL = "javascript:alert(1)" })},
		{name: "JavaScript: image", card: with(plain, func(c *Card) { c.ImageURL = "JavaScript:alert(1)" })},
		{name: "data: image", card: with(plain, func(c *Card) { c.ImageURL = "data:image/svg+xml,<svg onload=alert(1)>" })},
		{name: "protocol-relative image", card: with(plain, func(c *Card) { c.ImageURL = "//evil.example/x.png" }), refImage: "#ZgotmplZ"},
		{name: "relative image", card: with(plain, func(c *Card) { c.ImageURL = "media/x.png" }), refImage: "#ZgotmplZ"},
		{name: "backslash image", card: with(plain, func(c *Card) { c.ImageURL = `/\evil.example/x.png` })},
		{name: "empty image", card: with(plain, func(c *Card) { c.ImageURL = "" }), refImage: "#ZgotmplZ"},
		{name: "https image", card: with(plain, func(c *Card) { c.ImageURL = "https://cdn.example/a b/사과.webp?w=400&h=400#x" })},
		{name: "http image with escapes", card: with(plain, func(c *Card) { c.ImageURL = "http://cdn.example/%ED%95%9C%2/%zz%4" })},
		{name: "attribute breakout image", card: with(plain, func(c *Card) { c.ImageURL = `/x" onerror="alert(1)` })},
		{name: "hostile product URL", card: with(plain, func(c *Card) { c.URL = "javascript:alert(1)" })},
		{name: "Korean", card: CardFromHit(search.Hit{ProductID: 3, Name: "유기농 현미 10kg", EnterpriseName: "두레 협동조합",
			EnterpriseType: catalog.EnterpriseType("coop"), Region: "jeonnam", Kind: catalog.Goods, ConsumerPrice: 42000, InStock: true})},
	} {
		all = append(all, tc.card)
		t.Run(tc.name, func(t *testing.T) {
			ref := tc.card
			if tc.refImage != "" {
				ref.ImageURL = tc.refImage
			}
			var want strings.Builder
			if err := tmpl.ExecuteTemplate(&want, "card", ref); err != nil {
				t.Fatal(err)
			}
			htmltree.Same(t, string(tc.card.HTML()), want.String())
		})
	}
	// A grid's cards (CardsHTML) are each card's markup, in order.
	var each strings.Builder
	for i := range all {
		each.WriteString(string(all[i].HTML()))
	}
	if got := string(CardsHTML(all)); got != each.String() {
		t.Errorf("CardsHTML of %d cards differs from their HTML one after another:\n%s", len(all), got)
	}
	if got := CardsHTML(nil); got != "" {
		t.Errorf("CardsHTML(nil) = %q", got)
	}
}

func BenchmarkCardHTML(b *testing.B) {
	c := CardFromHit(search.Hit{ProductID: 1001, Name: "청송 꿀사과 5kg 가정용", NameHighlight: "청송 꿀" + search.HighlightPre + "사과" + search.HighlightPost + " 5kg 가정용",
		EnterpriseID: 1, EnterpriseName: "(주)햇살농원", EnterpriseType: catalog.PreSocialEnterprise, Region: "gyeonggi",
		Kind: catalog.Goods, ConsumerPrice: 25800, InStock: true, ImageURL: "/media/p/1000.webp", RatingAvg: 460, ReviewCount: 12})
	c.CSRF = "token"
	b.ReportAllocs()
	for b.Loop() {
		_ = c.HTML()
	}
}
