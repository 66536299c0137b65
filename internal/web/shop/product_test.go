package shop_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/web/view"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// The product page's view is formatted in Go (newProductView): what the
// template used to compute must still come out, and the catalogue's text must
// still be escaped by html/template.
func TestProductPageView(t *testing.T) {
	parent := int64(1)
	until := time.Date(2028, 7, 13, 0, 0, 0, 0, time.UTC)
	p := &catalog.Product{ID: 3, EnterpriseID: 9, CategoryID: 2, Kind: catalog.Goods, Name: `꿀 <b>"특선"</b> & 선물`,
		Summary: "<script>alert(1)</script>", Description: "설명 <i>굵게</i>", Unit: "병", TaxType: catalog.Taxable,
		ConsumerPrice: 12100, PublicPrice: 11000, Stock: 1234,
		Options: []catalog.Option{{ID: 31, Name: "500g", Stock: 1000}, {ID: 32, Name: "1kg <큰>", ExtraPrice: 5000, Stock: 234},
			{ID: 33, Name: "2kg", ExtraPrice: 9000}},
		Images:   []catalog.Image{{URL: "/img/honey.jpg", Alt: "꿀 병 \"사진\""}, {URL: "/img/2.jpg"}},
		Category: &catalog.Category{ID: 2, Slug: "fruit", Name: "과일", ParentID: &parent},
		Enterprise: &catalog.Enterprise{ID: 9, Name: "희망 <꿀>벌", Type: catalog.SelfSufficiency, Region: "daegu",
			CertNumber: "제2024-1호", CertValidUntil: &until, Mission: "함께 <일>합니다",
			Shipping: catalog.ShippingPolicy{Fee: 3000, FreeThreshold: 30000, RemoteSurcharge: 4000}},
	}
	u := &webtest.Unit{Store: &webtest.FakeStore{FindProductByIDFn: func(_ context.Context, id int64) (*catalog.Product, error) {
		if id != 3 {
			t.Errorf("FindProductByID(%d)", id)
		}
		return p, nil
	}}}
	resp, body := u.Do(t, "GET", "/p/3")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	for _, bad := range []string{"<b>", "<script>", "<i>", "<큰>", "<꿀>", "<일>"} {
		if strings.Contains(body, bad) {
			t.Errorf("catalogue text %s reached the page unescaped", bad)
		}
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	text := func(sel string) string { return strings.Join(strings.Fields(doc.Find(sel).First().Text()), " ") }
	attr := func(sel, name string) string { v, _ := doc.Find(sel).First().Attr(name); return v }
	for _, c := range []struct{ got, want string }{
		{doc.Find("title").Text(), `꿀 <b>"특선"</b> & 선물 · 두레`},
		{attr(`meta[name="description"]`, "content"), "<script>alert(1)</script>"},
		{text("h1.product-name"), `꿀 <b>"특선"</b> & 선물`},
		{text(".crumbs"), "홈›식품›과일"},
		{attr(".crumbs a:last-child", "href"), "/c/fruit"},
		{attr(".product-media img", "src"), "/img/honey.jpg"},
		{attr(".product-media img", "alt"), `꿀 병 "사진"`},
		{text(".product-ent"), "희망 <꿀>벌 자활기업"},
		{attr(".product-ent a", "href"), "/e/9"},
		{text(".price-main"), "소비자가 12,100원 / 병"},
		{text(".vat .supply"), "11,000원"},
		{text(".vat .vat-amount"), "1,100원"},
		{text(".price-public"), "공공기관가 11,000원 (공급가액 10,000원 + 부가세 1,000원)"},
		{text(".facts"), "구분상품 · 과세 단위병 재고재고 1,234개 배송배송비 3,000원30,000원 이상 구매 시 무료배송제주/도서산간 +4,000원"},
		{text(".option-list"), "500g추가금 없음1kg <큰>+5,000원2kg+9,000원 · 품절"},
		{text(".prose"), "설명 <i>굵게</i>"},
		{text(".ent-card .region"), "대구"},
		{text(".ent-card .facts"), "인증번호제2024-1호 인증 유효기간2028.07.13까지"},
		{text(".mission"), "함께 <일>합니다"},
		{text(".pill-list"), "식품 상품 모두 보기과일 상품 모두 보기 희망 <꿀>벌의 다른 상품"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	// Built without carts (the add-to-cart form is tested on the real
	// services), the page has no form and says so; the base template's
	// static files are under their fingerprinted names.
	if doc.Find("form.add-cart").Length() != 0 || !strings.Contains(body, "주문 기능을 잠시 쓸 수 없습니다.") {
		t.Error("the page offers the cart form without carts")
	}
	static := regexp.MustCompile(`^/static/(favicon|app|suggest)\.[0-9a-f]{10}\.(svg|css|js)$`)
	for _, sel := range []string{`link[rel="icon"]`, `link[rel="stylesheet"]`, `script[src*="app."]`, `script[src*="suggest."]`, ".logo img"} {
		src := attr(sel, "href") + attr(sel, "src")
		if !static.MatchString(src) {
			t.Errorf("%s points to %q, want a fingerprinted static file", sel, src)
		}
	}
	if doc.Find(`[aria-current="page"]`).Length() != 0 {
		t.Error("a header link is marked current on the product page")
	}

	// A product without pictures, options, summary, description, enterprise
	// certification or unit; a service; sold out.
	p = &catalog.Product{ID: 3, EnterpriseID: 9, CategoryID: 2, Kind: catalog.Service, Name: "공방 체험", TaxType: catalog.Exempt,
		ConsumerPrice: 20000, PublicPrice: 18000, Options: []catalog.Option{}, Images: []catalog.Image{},
		Enterprise: &catalog.Enterprise{ID: 9, Name: "공방", Type: catalog.Cooperative, Region: "seoul"}}
	_, body = u.Do(t, "GET", "/p/3")
	if doc, err = goquery.NewDocumentFromReader(strings.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ got, want string }{
		{attr(".product-media img", "src"), view.GeneratedImageURL(3, "공방 체험", 2)},
		{attr(".product-media img", "alt"), "공방 체험"},
		{text(".vat .vat-amount"), "0원 (면세 상품)"},
		{text(".price-public"), "공공기관가 18,000원 (면세)"},
		{text(".facts"), "구분서비스 · 면세 예약예약 마감 배송배송 없음 (현장 제공 서비스)"},
		{text(".description"), "상품 설명 등록된 설명이 없습니다."},
		{text(".ent-card .facts"), ""},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	for _, absent := range []string{".options", ".product-summary", ".mission", ".unit", `meta[name="description"]`} {
		if doc.Find(absent).Length() != 0 {
			t.Errorf("%s is shown for a product without it", absent)
		}
	}
}

// A service (청소, 교육 …) speaks of booking, not stock: 예약 가능 while it
// can be booked, 예약 마감 on its page and card when it cannot.
func TestServiceSpeaksOfBooking(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	var id int64
	var name string
	if err := e.Pool.QueryRow(ctx, `UPDATE products SET stock = 30 WHERE id = (SELECT id FROM products
		WHERE kind = 'service' AND status = 'active' AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = products.id)
		ORDER BY id LIMIT 1) RETURNING id, name`).Scan(&id, &name); err != nil {
		t.Fatalf("a service: %v", err)
	}
	page := "/p/" + strconv.FormatInt(id, 10)
	doc := e.Page(t, page, 200)
	if facts := doc.Find(".facts").Text(); !strings.Contains(facts, "예약 가능 (30건)") || strings.Contains(facts, "재고") {
		t.Errorf("service facts: %q", facts)
	}
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = 0 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	doc = e.Page(t, page, 200)
	if txt := doc.Find("main").Text(); !strings.Contains(txt, "예약 마감") || strings.Contains(txt, "재입고") {
		t.Errorf("a fully booked service's page: %q", webtest.Truncate(doc.Find(".buy-note, .facts").Text(), 300))
	}

}
