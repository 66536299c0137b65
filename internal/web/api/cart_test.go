package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// cartableGoods returns n active goods of active enterprises without options,
// their stock set to 500 so that no add runs short.
func cartableGoods(tb testing.TB, e *webtest.Env, n int) []int64 {
	tb.Helper()
	rows, err := e.Pool.Query(context.Background(), `UPDATE products SET stock = 500 WHERE id IN (
		SELECT p.id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.id LIMIT $1) RETURNING id`, n)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil || len(ids) != n {
		tb.Fatalf("cartable goods: %d of %d, %v", len(ids), n, err)
	}
	return ids
}

// cartCall sends a cart API request with the cart cookie (none: a new cart)
// and returns the status, the body and the cart cookie then held.
func cartCall(tb testing.TB, e *webtest.Env, method, target, cookie, body string) (int, []byte, string) {
	tb.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "dure_cart", Value: cookie})
	}
	resp, err := e.App.Test(req, -1)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "dure_cart" {
			cookie = c.Value
		}
	}
	return resp.StatusCode, raw, cookie
}

func addBody(productID int64, quantity int) string {
	return `{"product_id":` + strconv.FormatInt(productID, 10) + `,"quantity":` + strconv.Itoa(quantity) + `}`
}

// BenchmarkCartAdd measures POST /api/v1/cart/items through the app on a cart
// of 25 lines (real Redis and PostgreSQL): each add raises one line by one
// and answers the whole cart. Besides ns/op it reports the p50 and p99 of
// the adds in ms.
func BenchmarkCartAdd(b *testing.B) {
	const lines = 25
	e := webtest.NewEnv(b)
	ids := cartableGoods(b, e, lines)
	ctx := context.Background()
	cookie := ""
	for _, id := range ids {
		var status int
		status, _, cookie = cartCall(b, e, http.MethodPost, "/api/v1/cart/items", cookie, addBody(id, 1))
		if status != http.StatusCreated {
			b.Fatalf("fill the cart: status %d", status)
		}
	}
	cartID, _, _ := strings.Cut(cookie, ".")
	var took []time.Duration
	i := 0
	for b.Loop() {
		if i > 0 && i%(lines*(cart.MaxQuantity-1)) == 0 {
			b.StopTimer() // every line is at the cap: start again from 1 each
			for _, id := range ids {
				if err := e.Carts.SetQuantity(ctx, cartID, cart.Key{ProductID: id}, 1); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
		}
		start := time.Now()
		status, raw, _ := cartCall(b, e, http.MethodPost, "/api/v1/cart/items", cookie, addBody(ids[i%lines], 1))
		took = append(took, time.Since(start))
		if status != http.StatusCreated {
			b.Fatalf("add: status %d: %s", status, raw)
		}
		i++
	}
	b.StopTimer()
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	ms := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	var c webtest.CartJSON
	_, raw, _ := cartCall(b, e, http.MethodGet, "/api/v1/cart", cookie, "")
	if err := json.Unmarshal(raw, &c); err != nil || len(c.Data.Lines) != lines {
		b.Fatalf("cart after the run: %d lines, %v", len(c.Data.Lines), err)
	}
}

// TestAPICartChangeAnswersTheCart checks that the answers of POST and PATCH
// on the cart's lines are, byte for byte, what a GET of the cart right after
// answers, and that a refused change leaves the cart as it was.
func TestAPICartChangeAnswersTheCart(t *testing.T) {
	t.Parallel()
	e := webtest.NewEnv(t)
	ids := cartableGoods(t, e, 3)
	cookie := ""
	get := func(query string) []byte {
		t.Helper()
		status, raw, _ := cartCall(t, e, http.MethodGet, "/api/v1/cart"+query, cookie, "")
		if status != http.StatusOK {
			t.Fatalf("GET /api/v1/cart%s: status %d: %s", query, status, raw)
		}
		return raw
	}
	same := func(what string, got, want []byte) {
		t.Helper()
		if string(got) != string(want) {
			t.Errorf("%s answered\n%s\nwhile GET answers\n%s", what, got, want)
		}
	}
	for i, id := range ids {
		var status int
		var raw []byte
		status, raw, cookie = cartCall(t, e, http.MethodPost, "/api/v1/cart/items?postcode=63000", cookie, addBody(id, i+1))
		if status != http.StatusCreated {
			t.Fatalf("add %d: status %d: %s", id, status, raw)
		}
		same("POST", raw, get("?postcode=63000"))
	}
	var c webtest.CartJSON
	if err := json.Unmarshal(get(""), &c); err != nil || len(c.Data.Lines) != len(ids) {
		t.Fatalf("cart: %d lines, %v; want %d", len(c.Data.Lines), err, len(ids))
	}
	key := "/api/v1/cart/items/" + strconv.FormatInt(ids[1], 10) + "-0"
	status, raw, _ := cartCall(t, e, http.MethodPatch, key, cookie, `{"quantity":7}`)
	if status != http.StatusOK {
		t.Fatalf("PATCH: status %d: %s", status, raw)
	}
	same("PATCH", raw, get(""))
	status, raw, _ = cartCall(t, e, http.MethodPatch, key, cookie, `{"quantity":0}`)
	if status != http.StatusOK {
		t.Fatalf("PATCH to 0: status %d: %s", status, raw)
	}
	same("PATCH to 0", raw, get(""))

	if _, err := e.Pool.Exec(context.Background(), `UPDATE products SET stock = 1 WHERE id = $1`, ids[0]); err != nil {
		t.Fatal(err)
	}
	before := get("")
	for _, r := range []struct{ method, target, body string }{
		{http.MethodPost, "/api/v1/cart/items?postcode=12345678901", addBody(ids[1], 1)},
		{http.MethodPost, "/api/v1/cart/items", addBody(ids[0], 100)},
		{http.MethodPost, "/api/v1/cart/items", addBody(ids[0], 1)}, // 1 held, stock 1
		{http.MethodPost, "/api/v1/cart/items", addBody(ids[1], 1000)},
		{http.MethodPatch, "/api/v1/cart/items/" + strconv.FormatInt(ids[0], 10) + "-0?postcode=12345678901", `{"quantity":2}`},
		{http.MethodPatch, "/api/v1/cart/items/" + strconv.FormatInt(ids[0], 10) + "-0", `{"quantity":100}`},
		{http.MethodDelete, "/api/v1/cart/items/" + strconv.FormatInt(ids[0], 10) + "-0?postcode=12345678901", ""},
		{http.MethodDelete, "/api/v1/cart?postcode=12345678901", ""},
	} {
		status, raw, _ := cartCall(t, e, r.method, r.target, cookie, r.body)
		if status != http.StatusBadRequest {
			t.Errorf("%s %s %s: status %d, want 400: %s", r.method, r.target, r.body, status, raw)
		}
	}
	same("the cart after refused changes", get(""), before)
}

// TestAPICart drives the cart API as a script would: add, change, refuse
// absurd input, unknown products and form-encoded writes, remove, clear.
func TestAPICart(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, _ := e.Goods(t)
	b := e.Shopper()
	key := strconv.FormatInt(pid, 10) + "-0"

	t.Run("api", func(t *testing.T) {
		var c webtest.CartJSON
		b.API(t, http.MethodPost, "/api/v1/cart/items", map[string]any{"product_id": pid, "quantity": 4}, http.StatusCreated, &c)
		if len(c.Data.Lines) != 1 || c.Data.Lines[0].Quantity != 4 || c.Data.Total <= 0 {
			t.Fatalf("after POST: %+v", c.Data)
		}
		b.API(t, http.MethodPatch, "/api/v1/cart/items/"+key, map[string]any{"quantity": 6}, 200, &c)
		if c.Data.Lines[0].Quantity != 6 {
			t.Errorf("after PATCH quantity %d", c.Data.Lines[0].Quantity)
		}
		var e1 webtest.APIError
		b.API(t, http.MethodPatch, "/api/v1/cart/items/"+key, map[string]any{"quantity": 500}, 400, &e1)
		if e1.Error.Code != "invalid" || !strings.Contains(e1.Error.Message, "수량") {
			t.Errorf("absurd PATCH: %+v", e1)
		}
		b.API(t, http.MethodPost, "/api/v1/cart/items", map[string]any{"product_id": 987654321, "quantity": 1}, 404, nil)
		// a form-encoded write is what a cross-site form would send
		resp, _ := b.Do(t, http.MethodPost, "/api/v1/cart/items", "application/x-www-form-urlencoded", strings.NewReader("product_id=1&quantity=1"))
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("form-encoded API write: %d, want 403", resp.StatusCode)
		}
		b.API(t, http.MethodDelete, "/api/v1/cart/items/"+key, nil, 200, &c)
		if len(c.Data.Lines) != 0 {
			t.Error("DELETE item left a line")
		}
		b.API(t, http.MethodPost, "/api/v1/cart/items", map[string]any{"product_id": pid, "quantity": 1}, 201, nil)
		b.API(t, http.MethodDelete, "/api/v1/cart", nil, 200, &c)
		if len(c.Data.Lines) != 0 {
			t.Error("DELETE cart left lines")
		}
	})
}
