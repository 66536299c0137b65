package shop_test

import (
	"io"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/web/app"
	"github.com/dure-coop/dure/internal/web/view"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// The storefront on the real services with the demo catalogue: every page and
// API route, checked for status and key content. Ids are discovered through
// the API so the test does not depend on how the demo is generated.

const apple = "%EC%82%AC%EA%B3%BC" // 사과

// won parses "12,345원" into 12345.
func won(t *testing.T, s string) int64 {
	t.Helper()
	s = strings.TrimSpace(s)
	m := regexp.MustCompile(`([0-9][0-9,]*)원`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no amount in 원 in %q", s)
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStorefront(t *testing.T) {
	e := webtest.NewEnv(t)

	var cats struct {
		Data []webtest.Category `json:"data"`
	}
	e.JSON(t, "/api/v1/categories", 200, &cats)
	if len(cats.Data) == 0 {
		t.Fatal("no categories")
	}
	var appleRes webtest.SearchResp
	e.JSON(t, "/api/v1/search?q="+apple+"&per_page=60", 200, &appleRes)
	if len(appleRes.Data) == 0 {
		t.Fatal("search '사과' found nothing")
	}

	t.Run("home", func(t *testing.T) {
		doc := e.Page(t, "/", 200)
		form := doc.Find(`form[action="/search"]`).First()
		if form.Find(`input[name="q"]`).Length() != 1 {
			t.Error("home has no search box")
		}
		if n := doc.Find(".cat-grid > .cat").Length(); n != len(cats.Data) {
			t.Errorf("category grid shows %d top categories, want %d", n, len(cats.Data))
		}
		for _, c := range cats.Data {
			if doc.Find(`.cat-grid a[href="/c/`+c.Slug+`"]`).Length() == 0 {
				t.Errorf("category %s missing from the grid", c.Name)
			}
			for _, ch := range c.Children {
				if doc.Find(`.cat-children a[href="/c/`+ch.Slug+`"]`).Length() == 0 {
					t.Errorf("subcategory %s missing from the grid", ch.Name)
				}
			}
		}
		if doc.Find(".card").Length() == 0 {
			t.Error("home shows no products")
		}
		if !strings.Contains(doc.Find("#about").Text(), "두레는") {
			t.Error("home lacks the 두레는… blurb")
		}
		if n := doc.Find(".type-list .badge").Length(); n != 6 {
			t.Errorf("%d enterprise-type chips, want 6", n)
		}
		css, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href")
		if !regexp.MustCompile(`^/static/app\.[0-9a-f]{10}\.css$`).MatchString(css) {
			t.Fatalf("stylesheet %q is not fingerprinted", css)
		}
		resp, body := e.Get(t, css)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") ||
			!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || len(body) < 1000 {
			t.Errorf("GET %s: %d %s %q", css, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
		}
	})

	t.Run("search", func(t *testing.T) {
		doc := e.Page(t, "/search?q="+apple, 200)
		if v, _ := doc.Find(`input[name="q"]`).First().Attr("value"); v != "사과" {
			t.Errorf("search box keeps %q, want 사과", v)
		}
		heading := doc.Find("h1").Text()
		m := regexp.MustCompile(`'사과' 검색 결과 ([0-9]+)개`).FindStringSubmatch(heading)
		if m == nil {
			t.Fatalf("heading %q", heading)
		}
		total, _ := strconv.Atoi(m[1])
		if total != appleRes.Pagination.Total {
			t.Errorf("page says %d results, API %d", total, appleRes.Pagination.Total)
		}
		cards := doc.Find(".card")
		if cards.Length() == 0 {
			t.Fatal("no result cards")
		}
		if first := cards.First().Find(".card-name").Text(); !strings.Contains(first, "사과") {
			t.Errorf("first result %q does not contain 사과", first)
		}
		cards.Find(".card-name mark").Each(func(_ int, s *goquery.Selection) {
			if !strings.Contains(s.Text(), "사과") {
				t.Errorf("highlight %q is not 사과", s.Text())
			}
		})
		if cards.Find(".card-name mark").Length() == 0 {
			t.Error("no highlighted match")
		}
		cards.Each(func(i int, s *goquery.Selection) {
			if won(t, s.Find(".card-price").Text()) <= 0 || s.Find(".badge").Length() != 1 || s.Find(".card-ent").Text() == "" {
				t.Errorf("card %d lacks price, type badge or enterprise: %s", i, s.Text())
			}
		})
		// Facet counts: every product has one enterprise type, so the type
		// counts add up to the total.
		sum := 0
		doc.Find(`input[name="type"]`).Each(func(_ int, s *goquery.Selection) {
			n, err := strconv.Atoi(strings.TrimSpace(s.Parent().Find(".count").Text()))
			if err != nil {
				t.Errorf("type facet without count: %q", s.Parent().Text())
			}
			sum += n
		})
		if sum != total {
			t.Errorf("enterprise-type facet counts add up to %d, want %d", sum, total)
		}
		for _, name := range []string{"type", "region", "tax", "kind", "in_stock", "min_price", "max_price"} {
			if doc.Find(`#filters [name="`+name+`"]`).Length() == 0 {
				t.Errorf("filter form lacks %s", name)
			}
		}
		if doc.Find(`.facet-links a[href*="category="]`).Length() == 0 {
			t.Error("no category facet links")
		}
		var sorts []string
		doc.Find(`select[name="sort"] option`).Each(func(_ int, s *goquery.Selection) { sorts = append(sorts, s.Text()) })
		if strings.Join(sorts, ",") != "추천순,낮은 가격순,높은 가격순,최신순,인기순,평점순" {
			t.Errorf("sort options %v", sorts)
		}
		if doc.Find(".notice").Length() != 0 {
			t.Error("degraded notice shown while Meilisearch is up")
		}
	})

	t.Run("search filter chip and sort", func(t *testing.T) {
		typ := appleRes.Data[0].Enterprise.Type
		label := appleRes.Data[0].Enterprise.TypeLabel
		// Browsing (no words to rank by), 낮은 가격순 orders by price; the
		// engine lists in-stock products first, each group in price order.
		doc := e.Page(t, "/search?type="+typ+"&sort=price_asc&per_page=60", 200)
		var inStock, soldOut []int64
		doc.Find(".card").Each(func(_ int, s *goquery.Selection) {
			if b := s.Find(".badge").Text(); b != label {
				t.Errorf("filtered by %s but a card has %s", label, b)
			}
			if s.Find(".tag-soldout").Length() > 0 {
				soldOut = append(soldOut, won(t, s.Find(".card-price").Text()))
			} else {
				inStock = append(inStock, won(t, s.Find(".card-price").Text()))
			}
		})
		if !slices.IsSorted(inStock) || !slices.IsSorted(soldOut) || len(inStock) == 0 {
			t.Errorf("낮은 가격순 prices not ascending: %v then sold out %v", inStock, soldOut)
		}
		doc = e.Page(t, "/search?q="+apple+"&type="+typ+"&sort=price_asc", 200)
		doc.Find(".card").Each(func(_ int, s *goquery.Selection) {
			if b := s.Find(".badge").Text(); b != label {
				t.Errorf("filtered by %s but a card has %s", label, b)
			}
		})
		chip := doc.Find(".chips .chip")
		if chip.Length() != 1 || !strings.Contains(chip.Text(), label) {
			t.Fatalf("chips %q, want one for %s", chip.Text(), label)
		}
		href, _ := chip.Attr("href")
		u, _ := url.Parse(href)
		if u.Query().Get("type") != "" || u.Query().Get("q") != "사과" || u.Query().Get("sort") != "price_asc" {
			t.Errorf("chip removes the wrong thing: %s", href)
		}
		if sel, _ := doc.Find(`select[name="sort"] option[selected]`).Attr("value"); sel != "price_asc" {
			t.Errorf("selected sort %q", sel)
		}
	})

	t.Run("search pagination", func(t *testing.T) {
		doc := e.Page(t, "/search?per_page=5&page=2", 200)
		if doc.Find(".card").Length() != 5 {
			t.Errorf("%d cards, want 5", doc.Find(".card").Length())
		}
		if cur := doc.Find(`.pager [aria-current="page"]`).Text(); cur != "2" {
			t.Errorf("current page %q", cur)
		}
		prev, _ := doc.Find(`.pager a[rel="prev"]`).Attr("href")
		next, _ := doc.Find(`.pager a[rel="next"]`).Attr("href")
		if prev != "/search?per_page=5" || next != "/search?page=3&per_page=5" {
			t.Errorf("prev %q next %q", prev, next)
		}
		if n := doc.Find(".pager li").Length(); n > 9 {
			t.Errorf("pager has %d items; it must stay bounded", n)
		}
		doc = e.Page(t, "/search?q="+apple+"&page=399", 200)
		if !strings.Contains(doc.Find(".empty").Text(), "첫 페이지로") {
			t.Error("a page past the end does not offer the first page")
		}
	})

	t.Run("search empty state", func(t *testing.T) {
		doc := e.Page(t, "/search?q=%ED%80%B4%EB%9E%84%EB%B7%81%EC%BD%A9", 200) // 퀴랄뷁콩
		empty := doc.Find(".empty").Text()
		for _, want := range []string{"찾지 못했습니다", "맞춤법", "카테고리"} {
			if !strings.Contains(empty, want) {
				t.Errorf("empty state lacks %q: %s", want, empty)
			}
		}
		if doc.Find(".empty .pill").Length() != len(cats.Data) {
			t.Error("empty state does not offer the categories")
		}
	})

	t.Run("category", func(t *testing.T) {
		root := cats.Data[0]
		for _, c := range cats.Data {
			if len(c.Children) > 0 {
				root = c
				break
			}
		}
		doc := e.Page(t, "/c/"+root.Slug, 200)
		if h := doc.Find("h1").Text(); h != root.Name {
			t.Errorf("h1 %q, want %q", h, root.Name)
		}
		if !strings.Contains(doc.Find(".crumbs").Text(), "홈") || !strings.Contains(doc.Find(".crumbs").Text(), root.Name) {
			t.Errorf("breadcrumb %q", doc.Find(".crumbs").Text())
		}
		if len(root.Children) > 0 && doc.Find(".subcats a").Length() != len(root.Children) {
			t.Errorf("%d subcategory links, want %d", doc.Find(".subcats a").Length(), len(root.Children))
		}
		if doc.Find(".card").Length() == 0 {
			t.Error("category shows no products")
		}
		if len(root.Children) > 0 {
			child := root.Children[0]
			doc = e.Page(t, "/c/"+child.Slug, 200)
			crumbs := doc.Find(".crumbs").Text()
			if !strings.Contains(crumbs, root.Name) || !strings.Contains(crumbs, child.Name) {
				t.Errorf("child breadcrumb %q", crumbs)
			}
		}
		e.Page(t, "/c/no-such-category", 404)
	})

	var taxable, service webtest.Hit
	for _, h := range appleRes.Data {
		if h.TaxType == "taxable" && taxable.ID == 0 {
			taxable = h
		}
	}
	if taxable.ID == 0 {
		var r webtest.SearchResp
		e.JSON(t, "/api/v1/search?tax=taxable&kind=goods&per_page=1", 200, &r)
		taxable = r.Data[0]
	}
	var svc webtest.SearchResp
	e.JSON(t, "/api/v1/search?kind=service&per_page=1", 200, &svc)
	if len(svc.Data) > 0 {
		service = svc.Data[0]
	}

	t.Run("product", func(t *testing.T) {
		doc := e.Page(t, "/p/"+strconv.FormatInt(taxable.ID, 10), 200)
		if h := doc.Find("h1.product-name").Text(); h != taxable.Name {
			t.Errorf("h1 %q, want %q", h, taxable.Name)
		}
		price := won(t, doc.Find(".price-main .price").Text())
		supply := won(t, doc.Find(".vat .supply").Text())
		vat := won(t, doc.Find(".vat .vat-amount").Text())
		if price != taxable.ConsumerPrice || supply+vat != price || vat == 0 || supply != price*10/11 {
			t.Errorf("price %d = 공급가액 %d + 부가세 %d? (want price %d)", price, supply, vat, taxable.ConsumerPrice)
		}
		text := doc.Find("main").Text()
		for _, want := range []string{"소비자가", "공공기관가", "공급가액", "부가세", "재고", "배송"} {
			if !strings.Contains(text, want) {
				t.Errorf("product page lacks %q", want)
			}
		}
		if !strings.Contains(doc.Find(".facts").Text(), "배송비") && !strings.Contains(doc.Find(".facts").Text(), "무료배송") {
			t.Errorf("shipping policy missing: %s", doc.Find(".facts").Text())
		}
		card := doc.Find(".ent-card")
		if card.Find(".badge-"+taxable.Enterprise.Type).Text() != taxable.Enterprise.TypeLabel {
			t.Errorf("enterprise card lacks the %s badge: %s", taxable.Enterprise.TypeLabel, card.Text())
		}
		if !strings.Contains(card.Text(), taxable.Enterprise.Name) {
			t.Errorf("enterprise card lacks the name %s", taxable.Enterprise.Name)
		}
		if href, _ := card.Find("h2 a").Attr("href"); href != "/e/"+strconv.FormatInt(taxable.Enterprise.ID, 10) {
			t.Errorf("enterprise link %q", href)
		}
		if doc.Find(".crumbs a").Length() < 2 {
			t.Error("no category breadcrumb")
		}
		if src, _ := doc.Find(".product-media img").Attr("src"); src == "" {
			t.Error("no product image")
		}
		if service.ID != 0 {
			doc = e.Page(t, "/p/"+strconv.FormatInt(service.ID, 10), 200)
			if !strings.Contains(doc.Find(".facts").Text(), "배송 없음") {
				t.Errorf("service page does not say 배송 없음: %s", doc.Find(".facts").Text())
			}
		}
	})

	t.Run("enterprise", func(t *testing.T) {
		id := strconv.FormatInt(taxable.Enterprise.ID, 10)
		doc := e.Page(t, "/e/"+id, 200)
		if h := doc.Find("h1").Text(); h != taxable.Enterprise.Name {
			t.Errorf("h1 %q", h)
		}
		brn := strings.TrimSpace(doc.Find("dd.brn").Text())
		if !regexp.MustCompile(`^[0-9]{3}-[0-9]{2}-[0-9]{5}$`).MatchString(brn) {
			t.Errorf("사업자등록번호 %q not formatted", brn)
		}
		facts := doc.Find(".ent-facts").Text()
		for _, want := range []string{"기업 유형", "인증", "대표자", "지역", "배송 정책"} {
			if !strings.Contains(facts, want) {
				t.Errorf("profile lacks %q", want)
			}
		}
		if doc.Find(".ent-profile .badge-"+taxable.Enterprise.Type).Length() == 0 {
			t.Error("profile lacks the type badge")
		}
		cards := doc.Find(".card")
		if cards.Length() == 0 {
			t.Fatal("enterprise shows no products")
		}
		cards.Each(func(_ int, s *goquery.Selection) {
			if s.Find(".card-ent").Text() != taxable.Enterprise.Name {
				t.Errorf("a card of another enterprise: %s", s.Find(".card-ent").Text())
			}
		})
		var ent struct {
			Data struct {
				BusinessNumberFormatted string `json:"business_number_formatted"`
				ProductCount            int    `json:"product_count"`
			} `json:"data"`
		}
		e.JSON(t, "/api/v1/enterprises/"+id, 200, &ent)
		if ent.Data.BusinessNumberFormatted != brn {
			t.Errorf("API brn %q, page %q", ent.Data.BusinessNumberFormatted, brn)
		}
		e.Page(t, "/e/99999999", 404)
	})

	t.Run("enterprises", func(t *testing.T) {
		doc := e.Page(t, "/enterprises", 200)
		if doc.Find(".ent-tile").Length() == 0 {
			t.Error("no enterprises listed")
		}
		e.Page(t, "/enterprises?page=x", 400)
	})

	t.Run("not found pages", func(t *testing.T) {
		for _, target := range []string{"/p/99999999", "/nope", "/c/nope", "/e/99999999", "/p/1/extra"} {
			doc := e.Page(t, target, 404)
			if !strings.Contains(doc.Find("h1").Text(), "찾을 수 없습니다") {
				t.Errorf("%s: h1 %q", target, doc.Find("h1").Text())
			}
			if doc.Find(`main form[action="/search"] input[name="q"]`).Length() == 0 {
				t.Errorf("%s: 404 page has no search box", target)
			}
			if doc.Find(`main a[href="/"]`).Length() == 0 {
				t.Errorf("%s: 404 page has no link home", target)
			}
		}
	})

	t.Run("bad input is 4xx", func(t *testing.T) {
		long := strings.Repeat("%EA%B0%80", 101) // 가 × 101
		for _, target := range []string{"/search?page=abc", "/search?page=1000000", "/search?page=99999999999999999999999",
			"/search?q=" + long, "/search?sort=cheap",
			"/search?q=%zz", "/c/" + cats.Data[0].Slug + "?page=abc", "/p/abc", "/e/0", "/search?category=99999999"} {
			doc := e.Page(t, target, 400)
			if msg := doc.Find("main").Text(); !strings.Contains(msg, "요청을 처리할 수 없습니다") {
				t.Errorf("%s: %s", target, msg)
			}
		}
		// A refused filter is said beside its control, on the listing.
		for _, target := range []string{"/search?min_price=-5", "/search?type=bank", "/search?in_stock=maybe"} {
			doc := e.Page(t, target, 400)
			if doc.Find("#filters .field-error").Length() != 1 || doc.Find(".results").Length() != 1 {
				t.Errorf("%s: no filter message beside the results: %s", target, doc.Find("main").Text())
			}
		}
	})

	t.Run("media", func(t *testing.T) {
		resp, body := e.Get(t, "/media/products/"+strconv.FormatInt(taxable.ID, 10)+".svg")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" ||
			!strings.Contains(resp.Header.Get("Cache-Control"), "max-age=") || !strings.HasPrefix(string(body), "<svg") {
			t.Errorf("product svg: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
		}
		if first := strings.Fields(taxable.Name)[0]; !strings.Contains(string(body), first) && !strings.Contains(string(body), "…") {
			t.Errorf("product svg lacks %q", first)
		}
		resp, _ = e.Get(t, "/media/categories/"+cats.Data[0].Slug+".svg")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
			t.Errorf("category svg: %d", resp.StatusCode)
		}
		// The versioned address (what pages link to) is immutable; a rename
		// gives a new one, so the 30-day cache never shows an old name.
		versioned := view.GeneratedImageURL(taxable.ID, taxable.Name, taxable.CategoryID)
		if resp, _ := e.Get(t, versioned); resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", versioned, resp.Header.Get("Cache-Control"))
		}
		if renamed := view.GeneratedImageURL(taxable.ID, taxable.Name+" (1년 숙성)", taxable.CategoryID); renamed == versioned ||
			!strings.HasPrefix(renamed, "/media/products/"+strconv.FormatInt(taxable.ID, 10)+".svg?v=") {
			t.Errorf("renamed product's picture address %q, was %q", renamed, versioned)
		}
		if stale, _ := e.Get(t, "/media/products/"+strconv.FormatInt(taxable.ID, 10)+".svg?v=old"); stale.Header.Get("Cache-Control") != "public, max-age=2592000" {
			t.Errorf("a stale version is cached %q", stale.Header.Get("Cache-Control"))
		}
		if resp, _ := e.Get(t, "/media/products/abc.svg"); resp.StatusCode != 400 {
			t.Errorf("bad product svg id: %d", resp.StatusCode)
		}
		if resp, _ := e.Get(t, "/media/categories/nope.svg"); resp.StatusCode != 404 {
			t.Errorf("unknown category svg: %d", resp.StatusCode)
		}
	})

	t.Run("healthz and metrics", func(t *testing.T) {
		var h struct {
			Status string            `json:"status"`
			Checks map[string]string `json:"checks"`
		}
		e.JSON(t, "/healthz", 200, &h)
		if h.Status != "ok" || h.Checks["postgres"] != "up" || h.Checks["meilisearch"] != "up" {
			t.Errorf("healthz %+v", h)
		}
		if resp, _ := e.Get(t, "/metrics"); resp.StatusCode != 404 {
			t.Errorf("public /metrics: %d, want 404", resp.StatusCode)
		}
		resp, err := app.Admin(app.Deps{Metrics: e.Metrics}).Test(httptest.NewRequest("GET", "/metrics", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		text := string(body)
		if resp.StatusCode != 200 || !strings.Contains(text, "dure_http_request_duration_seconds") {
			t.Fatalf("metrics: %d", resp.StatusCode)
		}
		if !strings.Contains(text, `route="/p/:id"`) || strings.Contains(text, `route="/p/`+strconv.FormatInt(taxable.ID, 10)+`"`) {
			t.Error("latency is not labelled by route pattern")
		}
		if !strings.Contains(text, `route="unmatched"`) {
			t.Error("unmatched paths are not folded into one label")
		}
	})
}
