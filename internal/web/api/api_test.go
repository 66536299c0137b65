package api_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/web/webtest"
)

const apple = "%EC%82%AC%EA%B3%BC" // 사과

// TestAPI checks the JSON API on the real services with the demo catalogue:
// shapes, pagination, filters, and a 400 or 404 with a Korean message for
// bad input. (The storefront's own test compares its pages with the API.)
func TestAPI(t *testing.T) {
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
	var taxable webtest.Hit
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

	t.Run("bad input is 4xx", func(t *testing.T) {
		for _, target := range []string{"/api/v1/products/abc", "/api/v1/search?page=abc", "/api/v1/search?per_page=1000",
			"/api/v1/products?page=0", "/api/v1/products?category=nope", "/api/v1/products?enterprise=x",
			"/api/v1/enterprises/abc", "/api/v1/enterprises?per_page=100000", "/api/v1/search?max_price=1&min_price=5"} {
			var body webtest.APIError
			e.JSON(t, target, 400, &body)
			if body.Error.Code != "invalid" || body.Error.Message == "" {
				t.Errorf("%s: %+v", target, body)
			}
		}
		var body webtest.APIError
		e.JSON(t, "/api/v1/products/99999999", 404, &body)
		if body.Error.Code != "not_found" || !strings.Contains(body.Error.Message, "찾을 수 없습니다") {
			t.Errorf("404 body %+v", body)
		}
	})

	t.Run("api products", func(t *testing.T) {
		var list webtest.APIList[struct {
			ID            int64  `json:"id"`
			Name          string `json:"name"`
			ConsumerPrice int64  `json:"consumer_price"`
			Currency      string `json:"currency"`
			CategoryID    int64  `json:"category_id"`
			Enterprise    *struct {
				Name string `json:"name"`
			} `json:"enterprise"`
		}]
		e.JSON(t, "/api/v1/products?per_page=10", 200, &list)
		if len(list.Data) != 10 || list.Pagination.Total < 10 || list.Pagination.TotalPages != (list.Pagination.Total+9)/10 {
			t.Errorf("products list: %d items, pagination %+v", len(list.Data), list.Pagination)
		}
		for _, p := range list.Data {
			if p.Currency != "KRW" || p.ConsumerPrice <= 0 || p.Enterprise == nil || p.Enterprise.Name == "" {
				t.Errorf("product %+v", p)
			}
		}
		root := cats.Data[0]
		ids := map[int64]bool{root.ID: true}
		var walk func([]webtest.Category)
		walk = func(cs []webtest.Category) {
			for _, c := range cs {
				ids[c.ID] = true
				walk(c.Children)
			}
		}
		walk(root.Children)
		e.JSON(t, "/api/v1/products?category="+root.Slug+"&per_page=100", 200, &list)
		for _, p := range list.Data {
			if !ids[p.CategoryID] {
				t.Errorf("product %d in category %d, outside %s", p.ID, p.CategoryID, root.Slug)
			}
		}

		var one struct {
			Data struct {
				ID            int64  `json:"id"`
				Name          string `json:"name"`
				ConsumerPrice struct {
					Amount, Supply, VAT int64
					Currency            string
				} `json:"consumer_price"`
				CategoryPath []webtest.Category `json:"category_path"`
				Enterprise   struct {
					Type string `json:"type"`
				} `json:"enterprise"`
			} `json:"data"`
		}
		e.JSON(t, "/api/v1/products/"+strconv.FormatInt(taxable.ID, 10), 200, &one)
		cp := one.Data.ConsumerPrice
		if one.Data.Name != taxable.Name || cp.Amount != taxable.ConsumerPrice || cp.Supply+cp.VAT != cp.Amount || cp.Currency != "KRW" {
			t.Errorf("product detail %+v", one.Data)
		}
		if len(one.Data.CategoryPath) == 0 || one.Data.Enterprise.Type != taxable.Enterprise.Type {
			t.Errorf("product detail path/enterprise %+v", one.Data)
		}
	})

	t.Run("api search", func(t *testing.T) {
		if appleRes.Degraded || appleRes.Pagination.Page != 1 || appleRes.Pagination.Total < len(appleRes.Data) {
			t.Errorf("search meta %+v degraded=%v", appleRes.Pagination, appleRes.Degraded)
		}
		if !strings.Contains(appleRes.Data[0].NameHTML, "<mark>") || appleRes.Data[0].Currency != "KRW" {
			t.Errorf("first hit %+v", appleRes.Data[0])
		}
		for _, f := range []string{"category_ids", "enterprise_type", "region", "tax_type", "kind"} {
			if len(appleRes.Facets[f]) == 0 {
				t.Errorf("facet %s missing", f)
			}
			for _, v := range appleRes.Facets[f] {
				if v.Label == "" || v.Count <= 0 {
					t.Errorf("facet %s value %+v", f, v)
				}
			}
		}
		var r webtest.SearchResp
		e.JSON(t, "/api/v1/search?q="+apple+"&in_stock=1", 200, &r)
		for _, h := range r.Data {
			if !h.InStock {
				t.Errorf("in_stock=1 returned sold-out %s", h.Name)
			}
		}
	})

	t.Run("api enterprises and categories", func(t *testing.T) {
		var list webtest.APIList[struct {
			ID           int64  `json:"id"`
			Name         string `json:"name"`
			TypeLabel    string `json:"type_label"`
			ProductCount int    `json:"product_count"`
		}]
		e.JSON(t, "/api/v1/enterprises?per_page=5&page=2", 200, &list)
		if len(list.Data) == 0 || list.Pagination.Page != 2 || list.Pagination.PerPage != 5 {
			t.Errorf("enterprises %+v", list.Pagination)
		}
		for _, en := range list.Data {
			if en.Name == "" || en.TypeLabel == "" {
				t.Errorf("enterprise %+v", en)
			}
		}
		var body webtest.APIError
		e.JSON(t, "/api/v1/enterprises/99999999", 404, &body)
	})
}

// TestSuggestRoute checks /api/v1/suggest end to end on the demo catalogue:
// a 초성 query and a query typed with the keyboard in English mode both
// complete to 사과 products, and an overlong query is a 400.
func TestSuggestRoute(t *testing.T) {
	e := webtest.NewEnv(t)
	for _, q := range []string{"ㅅㄱ", "tkrhk"} { // 사과 as 초성, and on a 두벌식 keyboard in English mode
		var out struct {
			Data []struct {
				Type, Text, URL string
			} `json:"data"`
		}
		e.JSON(t, "/api/v1/suggest?q="+url.QueryEscape(q), 200, &out)
		found := false
		for _, s := range out.Data {
			found = found || (s.Type == "product" && strings.Contains(s.Text, "사과") && strings.HasPrefix(s.URL, "/p/"))
		}
		if !found {
			t.Errorf("suggest %q = %+v, want a 사과 product", q, out.Data)
		}
	}
	if resp, _ := e.Get(t, "/api/v1/suggest?q="+strings.Repeat("가", 101)); resp.StatusCode != 400 {
		t.Errorf("overlong suggest query: status %d, want 400", resp.StatusCode)
	}
}
