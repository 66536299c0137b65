package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// portalClient calls the API as one client: with an API key, with a
// signed-in browser's cookies, or anonymously. Every answer is checked
// against openapi.json.
type portalClient struct {
	e       *webtest.Env
	doc     *openapi3.T
	key     string
	cookies map[string]string
}

// do sends a request with ctype (none when "") and returns the status, the
// body and the headers.
func (pc portalClient) do(t *testing.T, method, target, ctype, body string) (int, []byte, http.Header) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if pc.key != "" {
		req.Header.Set("Authorization", "Bearer "+pc.key)
	}
	for k, v := range pc.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := pc.e.App.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: content type %q, want JSON", method, target, ct)
	}
	checkAnswer(t, pc.doc, method, target, resp.StatusCode, raw)
	return resp.StatusCode, raw, resp.Header
}

// call sends in (nil: no body) as JSON, checks the status and decodes the
// answer into out (when not nil).
func (pc portalClient) call(t *testing.T, method, target string, in any, status int, out any) []byte {
	t.Helper()
	ctype, body := "", ""
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		ctype, body = "application/json", string(raw)
	}
	got, raw, _ := pc.do(t, method, target, ctype, body)
	if got != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", method, target, got, status, webtest.Truncate(string(raw), 2000))
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decode: %v", method, target, err)
		}
	}
	return raw
}

// apiError is the error body with its fields.
type apiError struct {
	Error struct {
		Code      string            `json:"code"`
		Message   string            `json:"message"`
		Fields    map[string]string `json:"fields"`
		RequestID string            `json:"request_id"`
	} `json:"error"`
}

// fail calls and expects an error answer with status and code.
func (pc portalClient) fail(t *testing.T, method, target string, in any, status int, code string) apiError {
	t.Helper()
	var e apiError
	pc.call(t, method, target, in, status, &e)
	if e.Error.Code != code || e.Error.Message == "" {
		t.Errorf("%s %s: error %+v, want code %s with a message", method, target, e.Error, code)
	}
	return e
}

type productJSON struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Code          string `json:"code"`
	Summary       string `json:"summary"`
	Unit          string `json:"unit"`
	CategoryID    int64  `json:"category_id"`
	ConsumerPrice int64  `json:"consumer_price"`
	PublicPrice   int64  `json:"public_price"`
	Stock         int    `json:"stock"`
	Status        string `json:"status"`
	ConsumerTiers []struct {
		MinQuantity int   `json:"min_quantity"`
		UnitPrice   int64 `json:"unit_price"`
	} `json:"consumer_tiers"`
	PublicTiers []struct {
		MinQuantity int   `json:"min_quantity"`
		UnitPrice   int64 `json:"unit_price"`
	} `json:"public_tiers"`
	Options []struct {
		ID    int64  `json:"id"`
		Code  string `json:"code"`
		Name  string `json:"name"`
		Stock int    `json:"stock"`
	} `json:"options"`
}

type subOrderJSON struct {
	ID          int64  `json:"id"`
	OrderNumber string `json:"order_number"`
	Status      string `json:"status"`
	NextAction  string `json:"next_action"`
	Total       int64  `json:"total"`
	Lines       []struct {
		ProductID int64 `json:"product_id"`
		Quantity  int   `json:"quantity"`
	} `json:"lines"`
	Shipment *struct {
		Courier        string `json:"courier"`
		TrackingNumber string `json:"tracking_number"`
		TrackingURL    string `json:"tracking_url"`
	} `json:"shipment"`
	Refund *struct {
		Amount int64 `json:"amount"`
	} `json:"refund"`
	Return *struct {
		Status       string `json:"status"`
		Reason       string `json:"reason"`
		SellerPays   bool   `json:"seller_pays"`
		ReturnFee    int64  `json:"return_fee"`
		RefundAmount int64  `json:"refund_amount"`
		Restock      *bool  `json:"restock"`
	} `json:"return"`
	Events []struct {
		To string `json:"to"`
	} `json:"events"`
}

// goodsOf returns an active goods product without options of an active
// enterprise, its stock set to 100, and that enterprise.
func goodsOf(t *testing.T, e *webtest.Env) (product, enterprise int64) {
	t.Helper()
	err := e.Pool.QueryRow(context.Background(), `UPDATE products SET stock = 100 WHERE id = (
		SELECT p.id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.id LIMIT 1) RETURNING id, enterprise_id`).Scan(&product, &enterprise)
	if err != nil {
		t.Fatalf("no goods product: %v", err)
	}
	return product, enterprise
}

// signIn signs the owner in through the account service and returns the
// context of their actor.
func signIn(t *testing.T, e *webtest.Env, email string) context.Context {
	t.Helper()
	a, _, err := e.Accounts.SignIn(context.Background(), email, webtest.Password, "192.0.2.1")
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	return account.NewContext(context.Background(), a)
}

// TestPortalAPI runs the enterprise API on the real services: API keys
// (made by the owner through the account service), a product's whole life,
// stock, a paid sub-order accepted, shipped, delivered, another cancelled,
// validation (422 with fields), another enterprise's ids (404), anonymous
// (401), revoked keys (401), a suspended enterprise's key (403), and a
// signed-in member's writes without the JSON content type (403). Every
// answer is checked against openapi.json.
func TestPortalAPI(t *testing.T) {
	doc := loadSpec(t)
	e := webtest.NewEnv(t)
	goods, entA := goodsOf(t, e)
	var entB int64
	for _, id := range e.Enterprises(t, 2) {
		if id != entA {
			entB = id
			break
		}
	}
	ownerA, ownerB := e.Member(t, entA, account.Owner), e.Member(t, entB, account.Owner)
	ctxA, ctxB := signIn(t, e, ownerA), signIn(t, e, ownerB)
	keyInfo, keyA, err := e.Accounts.CreateAPIKey(ctxA, entA, "재고 연동")
	if err != nil {
		t.Fatalf("create key: %v", err)
	}
	_, keyB, err := e.Accounts.CreateAPIKey(ctxB, entB, "쇼핑몰 연동")
	if err != nil {
		t.Fatal(err)
	}
	a := portalClient{e: e, doc: doc, key: keyA}
	b := portalClient{e: e, doc: doc, key: keyB}
	anon := portalClient{e: e, doc: doc}
	var category int64
	if err := e.Pool.QueryRow(context.Background(), `SELECT id FROM categories ORDER BY id DESC LIMIT 1`).Scan(&category); err != nil {
		t.Fatal(err)
	}

	t.Run("anonymous and wrong keys are 401", func(t *testing.T) {
		for _, target := range []string{"/api/v1/portal/products", "/api/v1/portal/orders", "/api/v1/portal/couriers",
			"/api/v1/portal/products/" + strconv.FormatInt(goods, 10)} {
			anon.fail(t, http.MethodGet, target, nil, 401, "unauthorized")
		}
		anon.fail(t, http.MethodPost, "/api/v1/portal/products", map[string]any{"name": "x"}, 401, "unauthorized")
		_, _, h := anon.do(t, http.MethodGet, "/api/v1/portal/products", "", "")
		if !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("WWW-Authenticate %q", h.Get("WWW-Authenticate"))
		}
		for _, k := range []string{"nope", "dure_" + strings.Repeat("a", 52), keyA + "x"} {
			portalClient{e: e, doc: doc, key: k}.fail(t, http.MethodGet, "/api/v1/portal/products", nil, 401, "unauthorized")
		}
	})

	t.Run("a consumer is 403", func(t *testing.T) {
		br := e.Shopper()
		br.SignIn(t, e.Consumer(t), webtest.Password)
		portalClient{e: e, doc: doc, cookies: br.Cookies}.fail(t, http.MethodGet, "/api/v1/portal/products", nil, 403, "forbidden")
	})

	t.Run("products: list, create, read, update, stock, status, delete", func(t *testing.T) {
		var list webtest.APIList[productJSON]
		a.call(t, http.MethodGet, "/api/v1/portal/products?per_page=200", nil, 200, &list)
		var want int
		if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM products WHERE enterprise_id = $1 AND status <> 'archived'`,
			entA).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if list.Pagination.Total != want || len(list.Data) != want || want == 0 {
			t.Fatalf("list: %d of %d, want the enterprise's %d", len(list.Data), list.Pagination.Total, want)
		}
		found := false
		for _, p := range list.Data {
			found = found || p.ID == goods
		}
		if !found {
			t.Errorf("the enterprise's product %d is not in its list", goods)
		}

		in := map[string]any{"category_id": category, "kind": "goods", "name": "  API 유기농 쌀 10kg ", "code": "API-RICE-10",
			"summary": "API로 등록한 쌀", "unit": "10kg", "tax_type": "exempt", "consumer_price": 42000, "public_price": 39000, "stock": 30}
		var created struct{ Data productJSON }
		st, raw, h := a.do(t, http.MethodPost, "/api/v1/portal/products", "application/json", mustJSON(t, in))
		if st != 201 {
			t.Fatalf("create: %d %s", st, raw)
		}
		if err := json.Unmarshal(raw, &created); err != nil {
			t.Fatal(err)
		}
		p := created.Data
		self := "/api/v1/portal/products/" + strconv.FormatInt(p.ID, 10)
		if h.Get("Location") != self || p.Name != "API 유기농 쌀 10kg" || p.ConsumerPrice != 42000 || p.Stock != 30 || p.Status != "active" {
			t.Fatalf("created %+v at %q", p, h.Get("Location"))
		}
		var got struct{ Data productJSON }
		a.call(t, http.MethodGet, self, nil, 200, &got)
		if got.Data.Code != "API-RICE-10" || got.Data.Unit != "10kg" {
			t.Errorf("read back %+v", got.Data)
		}

		// PATCH changes what it is given and keeps the rest.
		var upd struct{ Data productJSON }
		a.call(t, http.MethodPatch, self, map[string]any{"consumer_price": 45000, "summary": "햅쌀"}, 200, &upd)
		if upd.Data.ConsumerPrice != 45000 || upd.Data.Summary != "햅쌀" || upd.Data.PublicPrice != 39000 ||
			upd.Data.Code != "API-RICE-10" || upd.Data.Stock != 30 {
			t.Errorf("patched %+v", upd.Data)
		}
		// Tiers: given, they replace the list; left out, they stay; a
		// broken rule is a 422 on the field, nothing written.
		a.call(t, http.MethodPatch, self, map[string]any{"public_tiers": []map[string]any{
			{"min_quantity": 500, "unit_price": 36000}, {"min_quantity": 100, "unit_price": 38000}}}, 200, &upd)
		if len(upd.Data.PublicTiers) != 2 || upd.Data.PublicTiers[0].MinQuantity != 100 || len(upd.Data.ConsumerTiers) != 0 {
			t.Errorf("public tiers %+v", upd.Data)
		}
		a.call(t, http.MethodPatch, self, map[string]any{"summary": "햅쌀"}, 200, &upd)
		if len(upd.Data.PublicTiers) != 2 {
			t.Errorf("a PATCH without tiers dropped them: %+v", upd.Data.PublicTiers)
		}
		if e := a.fail(t, http.MethodPatch, self, map[string]any{"consumer_tiers": []map[string]any{
			{"min_quantity": 10, "unit_price": 45000}}}, 422, "invalid"); !strings.Contains(e.Error.Fields["consumer_tiers"], "낮아야") {
			t.Errorf("tier at the base price: %+v", e.Error)
		}
		a.call(t, http.MethodPatch, self, map[string]any{"public_tiers": []any{}}, 200, &upd)
		if len(upd.Data.PublicTiers) != 0 {
			t.Errorf("[] kept the public tiers: %+v", upd.Data.PublicTiers)
		}
		// Options replace the list; the stock is then theirs.
		a.call(t, http.MethodPatch, self, map[string]any{"options": []map[string]any{
			{"name": "5kg", "stock": 4}, {"name": "10kg", "extra_price": 20000, "stock": 6}}}, 200, &upd)
		if len(upd.Data.Options) != 2 || upd.Data.Stock != 10 || upd.Data.Options[0].Code == "" {
			t.Fatalf("with options %+v", upd.Data)
		}
		opt := upd.Data.Options[1]

		var stocked struct{ Data productJSON }
		a.call(t, http.MethodPut, self+"/stock", map[string]any{"options": []map[string]any{{"id": opt.ID, "stock": 20}}}, 200, &stocked)
		if stocked.Data.Stock != 24 || stocked.Data.Options[1].Stock != 20 {
			t.Errorf("option stock: %+v", stocked.Data)
		}
		// An option sent with its id keeps it (orders refer to it); the
		// one left out goes.
		a.call(t, http.MethodPatch, self, map[string]any{"options": []map[string]any{
			{"id": opt.ID, "code": opt.Code, "name": "10kg 특품", "extra_price": 25000, "stock": 20}}}, 200, &upd)
		if len(upd.Data.Options) != 1 || upd.Data.Options[0].ID != opt.ID || upd.Data.Options[0].Name != "10kg 특품" || upd.Data.Stock != 20 {
			t.Errorf("options by id: %+v", upd.Data)
		}
		a.call(t, http.MethodPatch, self, map[string]any{"options": []any{}}, 200, &upd)
		a.call(t, http.MethodPut, self+"/stock", map[string]any{"stock": 7}, 200, &stocked)
		if stocked.Data.Stock != 7 || len(stocked.Data.Options) != 0 {
			t.Errorf("stock: %+v", stocked.Data)
		}

		for _, step := range []struct{ action, status string }{{"unpublish", "draft"}, {"publish", "active"}, {"sold-out", "active"}} {
			var r struct{ Data productJSON }
			a.call(t, http.MethodPost, self+"/"+step.action, nil, 200, &r) // an API key needs no content type
			if r.Data.Status != step.status {
				t.Errorf("%s: status %s, want %s", step.action, r.Data.Status, step.status)
			}
			if step.action == "sold-out" && r.Data.Stock != 0 {
				t.Errorf("sold out: stock %d", r.Data.Stock)
			}
		}

		var del struct {
			Data struct {
				ID       int64 `json:"id"`
				Archived bool  `json:"archived"`
			}
		}
		a.call(t, http.MethodDelete, self, nil, 200, &del)
		if del.Data.ID != p.ID || del.Data.Archived {
			t.Errorf("delete: %+v", del.Data)
		}
		a.fail(t, http.MethodGet, self, nil, 404, "not_found")
		a.fail(t, http.MethodDelete, self, nil, 404, "not_found")
	})

	t.Run("validation is 422 with the catalogue's field keys", func(t *testing.T) {
		e1 := a.fail(t, http.MethodPost, "/api/v1/portal/products", map[string]any{}, 422, "invalid")
		for _, f := range []string{"category_id", "kind", "name", "tax_type", "consumer_price", "public_price"} {
			if e1.Error.Fields[f] == "" {
				t.Errorf("empty product: no message for %s: %v", f, e1.Error.Fields)
			}
		}
		bad := map[string]any{"category_id": category, "kind": "goods", "name": "옵션 재고 음수", "tax_type": "taxable",
			"consumer_price": 1000, "public_price": 1000, "options": []map[string]any{{"name": "a", "stock": 1}, {"name": "b", "stock": -1}}}
		e2 := a.fail(t, http.MethodPost, "/api/v1/portal/products", bad, 422, "invalid")
		if !strings.Contains(e2.Error.Fields["options[1].stock"], "재고") {
			t.Errorf("negative option stock: %v", e2.Error.Fields)
		}
		bad["options"], bad["consumer_price"] = nil, 200_000_000
		if e := a.fail(t, http.MethodPost, "/api/v1/portal/products", bad, 422, "invalid"); e.Error.Fields["consumer_price"] == "" {
			t.Errorf("price above the limit: %v", e.Error.Fields)
		}
		if e := a.fail(t, http.MethodPost, "/api/v1/portal/products", map[string]any{"price": 1000}, 422, "invalid"); e.Error.Fields["price"] == "" {
			t.Errorf("unknown member: %v", e.Error.Fields)
		}
		if e := a.fail(t, http.MethodPost, "/api/v1/portal/products", map[string]any{"consumer_price": "천원"}, 422, "invalid"); e.Error.Fields["consumer_price"] == "" {
			t.Errorf("wrong type: %v", e.Error.Fields)
		}
		st, raw, _ := a.do(t, http.MethodPost, "/api/v1/portal/products", "application/json", "{not json")
		if st != 400 {
			t.Errorf("malformed JSON: %d %s", st, raw)
		}
		self := "/api/v1/portal/products/" + strconv.FormatInt(goods, 10)
		if e := a.fail(t, http.MethodPut, self+"/stock", map[string]any{"stock": -1}, 422, "invalid"); e.Error.Fields["stock"] == "" {
			t.Errorf("negative stock: %v", e.Error.Fields)
		}
		if e := a.fail(t, http.MethodPatch, self, map[string]any{"status": "hidden"}, 422, "invalid"); e.Error.Fields["status"] == "" {
			t.Errorf("status through PATCH: %v", e.Error.Fields)
		}
		if e := a.fail(t, http.MethodPatch, self, map[string]any{"name": ""}, 422, "invalid"); e.Error.Fields["name"] == "" {
			t.Errorf("empty name: %v", e.Error.Fields)
		}
		a.fail(t, http.MethodGet, "/api/v1/portal/products/abc", nil, 400, "invalid")
		a.fail(t, http.MethodGet, "/api/v1/portal/products?status=archived", nil, 400, "invalid")

		// A name the enterprise already uses is a conflict on "name".
		var cur struct{ Data productJSON }
		a.call(t, http.MethodGet, self, nil, 200, &cur)
		dup := map[string]any{"category_id": category, "kind": "goods", "name": cur.Data.Name, "tax_type": "taxable",
			"consumer_price": 1000, "public_price": 1000}
		if e := a.fail(t, http.MethodPost, "/api/v1/portal/products", dup, 409, "conflict"); e.Error.Fields["name"] == "" {
			t.Errorf("duplicate name: %v", e.Error.Fields)
		}
	})

	o := e.PaidOrder(t, goods, 2)
	if len(o.SubOrders) != 1 {
		t.Fatalf("order with %d parts", len(o.SubOrders))
	}
	sub := "/api/v1/portal/orders/" + strconv.FormatInt(o.SubOrders[0].ID, 10)

	t.Run("another enterprise's ids are 404", func(t *testing.T) {
		self := "/api/v1/portal/products/" + strconv.FormatInt(goods, 10)
		b.fail(t, http.MethodGet, self, nil, 404, "not_found")
		b.fail(t, http.MethodPatch, self, map[string]any{"consumer_price": 1}, 404, "not_found")
		b.fail(t, http.MethodPut, self+"/stock", map[string]any{"stock": 0}, 404, "not_found")
		b.fail(t, http.MethodPost, self+"/unpublish", nil, 404, "not_found")
		b.fail(t, http.MethodPost, self+"/sold-out", nil, 404, "not_found")
		b.fail(t, http.MethodDelete, self, nil, 404, "not_found")
		b.fail(t, http.MethodGet, sub, nil, 404, "not_found")
		b.fail(t, http.MethodPost, sub+"/accept", nil, 404, "not_found")
		b.fail(t, http.MethodPost, sub+"/cancel", map[string]any{"reason": "남의 주문"}, 404, "not_found")
		// Not found whatever the body: ownership is checked first.
		b.fail(t, http.MethodPost, sub+"/cancel", map[string]any{}, 404, "not_found")
		b.fail(t, http.MethodPost, sub+"/ship", map[string]any{}, 404, "not_found")
		b.fail(t, http.MethodPut, self+"/stock", map[string]any{}, 404, "not_found")
		b.fail(t, http.MethodPatch, self, map[string]any{"name": ""}, 404, "not_found")
		var list webtest.APIList[subOrderJSON]
		b.call(t, http.MethodGet, "/api/v1/portal/orders", nil, 200, &list)
		for _, so := range list.Data {
			if so.ID == o.SubOrders[0].ID {
				t.Errorf("B lists A's sub-order %d", so.ID)
			}
		}
		var p struct{ Data productJSON }
		a.call(t, http.MethodGet, self, nil, 200, &p)
		if p.Data.Status != "active" || p.Data.Stock != 98 {
			t.Errorf("A's product after B's tries: %+v", p.Data)
		}
	})

	t.Run("a sub-order accepted, shipped and delivered", func(t *testing.T) {
		var list webtest.APIList[subOrderJSON]
		a.call(t, http.MethodGet, "/api/v1/portal/orders?waiting=true", nil, 200, &list)
		if len(list.Data) == 0 || list.Data[0].ID != o.SubOrders[0].ID || list.Data[0].NextAction != "주문 접수" {
			t.Fatalf("waiting list: %+v", list.Data)
		}
		var so struct{ Data subOrderJSON }
		a.call(t, http.MethodGet, sub, nil, 200, &so)
		if so.Data.Status != "paid" || so.Data.OrderNumber != o.Number || len(so.Data.Lines) != 1 || so.Data.Lines[0].Quantity != 2 ||
			so.Data.Shipment != nil || len(so.Data.Events) == 0 {
			t.Fatalf("sub-order %+v", so.Data)
		}
		a.fail(t, http.MethodPost, sub+"/ship", map[string]any{"courier": "cj", "tracking_number": "123456789012"}, 409, "conflict")
		a.call(t, http.MethodPost, sub+"/accept", nil, 200, &so)
		if so.Data.Status != "accepted" || so.Data.NextAction != "발송 처리" {
			t.Fatalf("accepted: %+v", so.Data)
		}
		a.fail(t, http.MethodPost, sub+"/accept", nil, 409, "conflict")
		e1 := a.fail(t, http.MethodPost, sub+"/ship", map[string]any{"courier": "nope", "tracking_number": "12"}, 422, "invalid")
		if e1.Error.Fields["courier"] == "" || e1.Error.Fields["tracking_number"] == "" {
			t.Errorf("bad shipment: %v", e1.Error.Fields)
		}
		a.call(t, http.MethodPost, sub+"/ship", map[string]any{"courier": "cj", "tracking_number": "1234-5678-9012"}, 200, &so)
		if so.Data.Status != "shipped" || so.Data.Shipment == nil || so.Data.Shipment.TrackingNumber != "123456789012" ||
			!strings.Contains(so.Data.Shipment.TrackingURL, "123456789012") {
			t.Fatalf("shipped: %+v %+v", so.Data, so.Data.Shipment)
		}
		a.fail(t, http.MethodPost, sub+"/cancel", map[string]any{"reason": "늦음"}, 409, "conflict")
		a.call(t, http.MethodPost, sub+"/deliver", nil, 200, &so)
		if so.Data.Status != "delivered" {
			t.Errorf("delivered: %+v", so.Data)
		}
		var cs struct {
			Data []struct{ Code, Name string }
		}
		a.call(t, http.MethodGet, "/api/v1/portal/couriers", nil, 200, &cs)
		if len(cs.Data) == 0 || cs.Data[0].Code != "cj" || cs.Data[0].Name != "CJ대한통운" {
			t.Errorf("couriers %+v", cs.Data)
		}
	})

	t.Run("a return approved with the shipping on the enterprise, then received and refunded", func(t *testing.T) {
		var so struct{ Data subOrderJSON }
		a.call(t, http.MethodGet, sub, nil, 200, &so)
		if so.Data.Status != "delivered" || so.Data.Return != nil {
			t.Fatalf("before the request: %+v %+v", so.Data, so.Data.Return)
		}
		a.fail(t, http.MethodPost, sub+"/return/approve", nil, 409, "conflict") // nothing to approve
		if _, err := e.Orders.RequestReturn(context.Background(), o.Number, order.ReturnInput{SubOrderID: o.SubOrders[0].ID,
			Reason: order.ReasonChangeOfMind, Phone: "010-1234-5678"}); err != nil {
			t.Fatal(err)
		}
		var list webtest.APIList[subOrderJSON]
		a.call(t, http.MethodGet, "/api/v1/portal/orders?returns=true", nil, 200, &list)
		if len(list.Data) != 1 || list.Data[0].ID != o.SubOrders[0].ID || list.Data[0].Return == nil || list.Data[0].Return.Status != "requested" {
			t.Fatalf("returns list: %+v", list.Data)
		}
		a.fail(t, http.MethodGet, "/api/v1/portal/orders?returns=maybe", nil, 400, "invalid")
		b.fail(t, http.MethodPost, sub+"/return/approve", map[string]any{"seller_pays": true}, 404, "not_found")
		a.fail(t, http.MethodPost, sub+"/return/approve", map[string]any{"seller_pays": "yes"}, 422, "invalid")
		a.fail(t, http.MethodPost, sub+"/return/receive", map[string]any{"restock": true}, 409, "conflict") // not approved yet
		a.call(t, http.MethodPost, sub+"/return/approve", map[string]any{"seller_pays": true}, 200, &so)
		if r := so.Data.Return; r == nil || r.Status != "approved" || !r.SellerPays || r.ReturnFee != 0 || r.RefundAmount != so.Data.Total {
			t.Fatalf("approved: %+v", so.Data.Return)
		}
		if e := a.fail(t, http.MethodPost, sub+"/return/receive", map[string]any{}, 422, "invalid"); e.Error.Fields["restock"] == "" {
			t.Errorf("receipt without restock: %v", e.Error.Fields)
		}
		var stock int
		if err := e.Pool.QueryRow(context.Background(), `SELECT stock FROM products WHERE id = $1`, goods).Scan(&stock); err != nil {
			t.Fatal(err)
		}
		a.call(t, http.MethodPost, sub+"/return/receive", map[string]any{"restock": true}, 200, &so)
		if r := so.Data.Return; r == nil || (r.Status != "received" && r.Status != "refunded") || r.Restock == nil || !*r.Restock {
			t.Fatalf("received: %+v", so.Data.Return)
		}
		a.fail(t, http.MethodPost, sub+"/return/receive", map[string]any{"restock": true}, 409, "conflict")
		var after, refunds int
		if err := e.Pool.QueryRow(context.Background(), `SELECT stock FROM products WHERE id = $1`, goods).Scan(&after); err != nil {
			t.Fatal(err)
		}
		if after != stock+2 {
			t.Errorf("stock %d after the restock of 2, want %d", after, stock+2)
		}
		if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM refunds WHERE sub_order_id = $1 AND amount = $2`,
			o.SubOrders[0].ID, so.Data.Total).Scan(&refunds); err != nil {
			t.Fatal(err)
		}
		if refunds != 1 {
			t.Errorf("%d refunds of the whole part, want 1", refunds)
		}
		a.call(t, http.MethodGet, "/api/v1/portal/orders?returns=true", nil, 200, &list)
		if len(list.Data) != 0 {
			t.Errorf("still waiting after the receipt: %+v", list.Data)
		}
	})

	t.Run("a return rejected with a reason", func(t *testing.T) {
		o3 := e.PaidOrder(t, goods, 1)
		target := "/api/v1/portal/orders/" + strconv.FormatInt(o3.SubOrders[0].ID, 10)
		a.call(t, http.MethodPost, target+"/accept", nil, 200, nil)
		a.call(t, http.MethodPost, target+"/ship", map[string]any{"courier": "cj", "tracking_number": "123456789013"}, 200, nil)
		a.call(t, http.MethodPost, target+"/deliver", nil, 200, nil)
		if _, err := e.Orders.RequestReturn(context.Background(), o3.Number, order.ReturnInput{SubOrderID: o3.SubOrders[0].ID,
			Reason: order.ReasonDefective, Detail: "포장이 찢어져 왔어요", Phone: "010-1234-5678"}); err != nil {
			t.Fatal(err)
		}
		if e := a.fail(t, http.MethodPost, target+"/return/reject", map[string]any{"reason": ""}, 422, "invalid"); e.Error.Fields["reason"] == "" {
			t.Errorf("rejection without a reason: %+v", e.Error)
		}
		a.fail(t, http.MethodPost, target+"/return/reject", map[string]any{"reason": "거절\x00사유"}, 400, "invalid") // the shared text guard; nothing written
		a.fail(t, http.MethodPost, target+"/return/reject", map[string]any{"reason": strings.Repeat("가", 201)}, 422, "invalid")
		a.fail(t, http.MethodPost, "/api/v1/portal/orders/99999999999/return/reject", map[string]any{"reason": "없음"}, 404, "not_found")
		var so struct{ Data subOrderJSON }
		a.call(t, http.MethodPost, target+"/return/reject", map[string]any{"reason": "사진으로 보아 배송 중 생긴 일이 아닙니다"}, 200, &so)
		if r := so.Data.Return; r == nil || r.Status != "rejected" || r.Reason != "defective" {
			t.Errorf("rejected: %+v", so.Data.Return)
		}
	})

	t.Run("a sub-order cancelled with a reason, once", func(t *testing.T) {
		o2 := e.PaidOrder(t, goods, 1)
		target := "/api/v1/portal/orders/" + strconv.FormatInt(o2.SubOrders[0].ID, 10) + "/cancel"
		if e := a.fail(t, http.MethodPost, target, map[string]any{"reason": " "}, 422, "invalid"); e.Error.Fields["reason"] == "" {
			t.Errorf("no reason: %v", e.Error.Fields)
		}
		var so struct{ Data subOrderJSON }
		a.call(t, http.MethodPost, target, map[string]any{"reason": "재고가 맞지 않아 보낼 수 없습니다"}, 200, &so)
		if so.Data.Status != "cancelled" || so.Data.Refund == nil || so.Data.Refund.Amount != so.Data.Total {
			t.Errorf("cancelled %+v refund %+v", so.Data, so.Data.Refund)
		}
		a.fail(t, http.MethodPost, target, map[string]any{"reason": "다시"}, 409, "conflict")
	})

	t.Run("a signed-in member's writes must be declared JSON", func(t *testing.T) {
		br := e.Shopper()
		br.SignIn(t, ownerA, webtest.Password)
		s := portalClient{e: e, doc: doc, cookies: br.Cookies}
		self := "/api/v1/portal/products/" + strconv.FormatInt(goods, 10)
		s.call(t, http.MethodGet, self, nil, 200, nil)
		for _, ctype := range []string{"", "text/plain", "application/x-www-form-urlencoded"} {
			st, raw, _ := s.do(t, http.MethodPost, self+"/unpublish", ctype, "")
			if st != 403 || !strings.Contains(string(raw), "application/json") {
				t.Errorf("session POST with content type %q: %d %s", ctype, st, raw)
			}
		}
		st, raw, _ := s.do(t, http.MethodPut, self+"/stock", "text/plain", `{"stock":5}`)
		if st != 403 {
			t.Errorf("session PUT as text/plain: %d %s", st, raw)
		}
		var p struct{ Data productJSON }
		s.call(t, http.MethodGet, self, nil, 200, &p)
		if p.Data.Status != "active" || p.Data.Stock == 5 {
			t.Errorf("refused writes changed the product: %+v", p.Data)
		}
		st, raw, _ = s.do(t, http.MethodPost, self+"/unpublish", "application/json", "")
		if st != 200 || !strings.Contains(string(raw), `"status":"draft"`) {
			t.Errorf("session POST as JSON: %d %s", st, raw)
		}
		s.call(t, http.MethodPost, self+"/publish", map[string]any{}, 200, nil)
	})

	t.Run("a revoked key is 401", func(t *testing.T) {
		if err := e.Accounts.RevokeAPIKey(ctxA, entA, keyInfo.ID); err != nil {
			t.Fatal(err)
		}
		a.fail(t, http.MethodGet, "/api/v1/portal/products", nil, 401, "unauthorized")
		a.fail(t, http.MethodPost, "/api/v1/portal/products/"+strconv.FormatInt(goods, 10)+"/sold-out", nil, 401, "unauthorized")
	})

	t.Run("a suspended enterprise's key is 403", func(t *testing.T) {
		op := signIn(t, e, e.Operator(t))
		if err := e.Onboarding.Suspend(op, entB, "API 키 점검"); err != nil {
			t.Fatal(err)
		}
		if e := b.fail(t, http.MethodGet, "/api/v1/portal/products", nil, 403, "forbidden"); !strings.Contains(e.Error.Message, "API 키") {
			t.Errorf("suspended: %q", e.Error.Message)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
