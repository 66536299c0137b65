package shop_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/web/webtest"
)

func orderCount(t *testing.T, e *webtest.Env) int {
	t.Helper()
	var n int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM orders`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// addToCart opens the product page and submits its form.
func addToCart(t *testing.T, b *webtest.Shopper, product int64, qty string) {
	t.Helper()
	doc := b.Page(t, "/p/"+strconv.FormatInt(product, 10), 200)
	form := doc.Find(`form.add-cart[action="/cart/items"]`)
	if form.Length() != 1 {
		t.Fatal("the product page has no 장바구니 담기 form")
	}
	loc, _, _ := b.Post(t, "/cart/items", url.Values{"_csrf": {webtest.CSRFOf(t, doc)},
		"product_id": {strconv.FormatInt(product, 10)}, "quantity": {qty}}, http.StatusSeeOther)
	if loc != "/cart?done=added" {
		t.Fatalf("add to cart went to %q", loc)
	}
}

func TestCart(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, name := e.Goods(t)
	b := e.Shopper()
	key := strconv.FormatInt(pid, 10) + "-0"

	doc := b.Page(t, "/p/"+strconv.FormatInt(pid, 10), 200)
	if b.Cookies["dure_cart"] == "" {
		t.Fatal("the product page set no cart cookie for its form")
	}
	if got := doc.Find(".cart-count").Text(); got != "0" {
		t.Errorf("header cart count %q, want 0", got)
	}

	t.Run("csrf", func(t *testing.T) {
		_, _, body := b.Post(t, "/cart/items", url.Values{"product_id": {strconv.FormatInt(pid, 10)}, "quantity": {"1"}}, http.StatusForbidden)
		if !strings.Contains(body, "보안 확인") {
			t.Errorf("403 page without the Korean message:\n%s", webtest.Truncate(body, 500))
		}
		b.Post(t, "/cart/items", url.Values{"_csrf": {"forged"}, "product_id": {strconv.FormatInt(pid, 10)}, "quantity": {"1"}}, http.StatusForbidden)
	})

	addToCart(t, b, pid, "2")
	doc = b.Page(t, "/cart?done=added", 200)
	if got := doc.Find(".cart-count").Text(); got != "1" {
		t.Errorf("header cart count %q, want 1", got)
	}
	if !strings.Contains(doc.Find(".notice-ok").Text(), "담았습니다") {
		t.Error("no 담았습니다 notice")
	}
	line := doc.Find("#line-" + key)
	if !strings.Contains(line.Find(".cart-line-name").Text(), name) {
		t.Errorf("cart line %q does not name %q", line.Find(".cart-line-name").Text(), name)
	}
	if v, _ := line.Find(`input[name="quantity"][type="number"]`).Attr("value"); v != "2" {
		t.Errorf("quantity %q, want 2", v)
	}
	if doc.Find(".cart-group .cart-ent").Length() != 1 || !strings.Contains(doc.Find(".cart-ship").Text(), "배송") {
		t.Errorf("enterprise group or shipping missing: %q", doc.Find(".cart-ship").Text())
	}
	if !strings.Contains(doc.Find(".totals").Text(), "공급가액") || !strings.Contains(doc.Find(".totals").Text(), "부가세") {
		t.Error("totals without 공급가액/부가세")
	}
	// 주문하기 in the side panel, and in the order bar that sticks to a
	// phone's screen.
	if doc.Find(`.cart-side a[href="/checkout"]`).Length() != 1 || doc.Find(`.cart-bar a[href="/checkout"]`).Length() != 1 {
		t.Error("no 주문하기 link in the side panel and the order bar")
	}
	tok := webtest.CSRFOf(t, doc)

	quantityOf := func() int {
		var c webtest.CartJSON
		b.API(t, http.MethodGet, "/api/v1/cart", nil, 200, &c)
		if len(c.Data.Lines) != 1 {
			t.Fatalf("cart has %d lines, want 1", len(c.Data.Lines))
		}
		return c.Data.Lines[0].Quantity
	}

	t.Run("absurd quantity", func(t *testing.T) {
		for _, q := range []string{"1000", "-3", "abc", "99999999999999999999"} {
			_, _, body := b.Post(t, "/cart/items", url.Values{"_csrf": {tok}, "product_id": {strconv.FormatInt(pid, 10)}, "quantity": {q}}, http.StatusBadRequest)
			if !strings.Contains(body, "수량은 1개부터") {
				t.Errorf("quantity %s: no Korean message", q)
			}
			b.Post(t, "/cart/items/"+key, url.Values{"_csrf": {tok}, "quantity": {q}}, http.StatusBadRequest)
		}
		if q := quantityOf(); q != 2 {
			t.Errorf("quantity %d after bad input, want 2", q)
		}
	})

	t.Run("unknown product", func(t *testing.T) {
		_, _, body := b.Post(t, "/cart/items", url.Values{"_csrf": {tok}, "product_id": {"987654321"}, "quantity": {"1"}}, http.StatusNotFound)
		if !strings.Contains(body, "판매 중인 상품이 아닙니다") {
			t.Error("no Korean message for an unknown product")
		}
		b.Post(t, "/cart/items", url.Values{"_csrf": {tok}, "product_id": {"x"}, "quantity": {"1"}}, http.StatusBadRequest)
		b.Post(t, "/cart/items/zz", url.Values{"_csrf": {tok}, "quantity": {"1"}}, http.StatusBadRequest)
	})

	t.Run("tampered cookie", func(t *testing.T) {
		good := b.Cookies["dure_cart"]
		id, _, _ := strings.Cut(good, ".")
		evil := &webtest.Shopper{Env: e, Cookies: map[string]string{"dure_cart": id + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}
		raw := evil.API(t, http.MethodPost, "/api/v1/cart/items", map[string]any{"product_id": pid, "quantity": 5}, http.StatusBadRequest, nil)
		if !strings.Contains(raw, "장바구니 정보가 올바르지 않아") {
			t.Errorf("tampered cookie: %s", raw)
		}
		if c := evil.Cookies["dure_cart"]; c == "" || strings.HasPrefix(c, id) {
			t.Errorf("the tampered cookie was not replaced: %q", c)
		}
		evil.Cookies["dure_cart"] = id + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		evil.Post(t, "/cart/items/"+key, url.Values{"_csrf": {tok}, "quantity": {"7"}}, http.StatusBadRequest)
		evil.Cookies["dure_cart"] = id + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		evil.Page(t, "/cart", http.StatusBadRequest)
		if q := quantityOf(); q != 2 {
			t.Errorf("quantity %d after a tampered request, want 2", q)
		}
	})

	t.Run("change and remove", func(t *testing.T) {
		loc, _, _ := b.Post(t, "/cart/items/"+key, url.Values{"_csrf": {tok}, "quantity": {"3"}}, http.StatusSeeOther)
		if loc != "/cart?done=updated" || quantityOf() != 3 {
			t.Errorf("update went to %q, quantity %d", loc, quantityOf())
		}
		loc, _, _ = b.Post(t, "/cart/items/"+key, url.Values{"_csrf": {tok}, "quantity": {"0"}}, http.StatusSeeOther)
		if loc != "/cart?done=removed" {
			t.Errorf("remove went to %q", loc)
		}
		doc := b.Page(t, loc, 200)
		if doc.Find(".empty-state").Length() != 1 || doc.Find(".cart-count").Text() != "0" {
			t.Error("the emptied cart does not show the empty state and count 0")
		}
	})
}

// checkoutForm is a filled checkout form read from the page's hidden fields.
func checkoutForm(t *testing.T, doc *goquery.Document, postcode string) url.Values {
	t.Helper()
	v := url.Values{}
	doc.Find(`form.checkout-form input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		val, _ := s.Attr("value")
		v.Set(n, val)
	})
	if v.Get("checkout_key") == "" || v.Get("expected_total") == "" || v.Get("_csrf") == "" {
		t.Fatalf("checkout form lacks hidden fields: %v", v)
	}
	v.Set("buyer_name", "김두레")
	v.Set("buyer_phone", "010-1234-5678")
	v.Set("buyer_email", "doore@example.kr")
	v.Set("recipient", "박수령")
	v.Set("phone", "010-2222-3333")
	v.Set("postcode", postcode)
	v.Set("road", "대구광역시 중구 동덕로 115")
	v.Set("detail", "3층")
	v.Set("memo", "문 앞에 놓아 주세요")
	v.Set("agree_terms", "1")
	v.Set("agree_privacy", "1")
	return v
}

func TestCheckout(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, name := e.Goods(t)
	b := e.Shopper()
	addToCart(t, b, pid, "2")

	doc := b.Page(t, "/checkout", 200)
	if !strings.Contains(doc.Find(".cart-side").Text(), name) {
		t.Error("checkout summary without the product")
	}

	t.Run("bad address", func(t *testing.T) {
		f := checkoutForm(t, doc, "12")
		f.Set("recipient", "")
		f.Set("buyer_email", "not-an-email")
		_, d, _ := b.Post(t, "/checkout", f, http.StatusUnprocessableEntity)
		for _, id := range []string{"postcode", "recipient", "buyer_email"} {
			if d.Find("#"+id).Parent().Find(".field-error").Length() != 1 {
				t.Errorf("no error next to %s", id)
			}
		}
		for id, want := range map[string]string{"buyer_name": "김두레", "road": "대구광역시 중구 동덕로 115", "memo": "문 앞에 놓아 주세요", "postcode": "12", "buyer_email": "not-an-email"} {
			if v, _ := d.Find("#" + id).Attr("value"); v != want {
				t.Errorf("%s kept as %q, want %q", id, v, want)
			}
		}
		if n := orderCount(t, e); n != 0 {
			t.Errorf("%d orders after a bad address", n)
		}
	})

	t.Run("remote postcode asks to confirm the new total", func(t *testing.T) {
		f := checkoutForm(t, doc, "63100") // 제주
		_, d, _ := b.Post(t, "/checkout", f, http.StatusConflict)
		if !strings.Contains(d.Find(".notice-warn").Text(), "제주/도서산간") {
			t.Errorf("conflict notice: %q", d.Find(".notice-warn").Text())
		}
		old, _ := strconv.ParseInt(f.Get("expected_total"), 10, 64)
		newTotal, _ := strconv.ParseInt(d.Find(`input[name="expected_total"]`).AttrOr("value", ""), 10, 64)
		if newTotal <= old {
			t.Errorf("expected total %d after the surcharge, was %d", newTotal, old)
		}
		if orderCount(t, e) != 0 {
			t.Error("an order was written on conflict")
		}
	})

	f := checkoutForm(t, doc, "41940")
	loc, _, _ := b.Post(t, "/checkout", f, http.StatusSeeOther)
	number := strings.TrimSuffix(strings.TrimPrefix(loc, "/orders/"), "/pay")
	if !strings.HasPrefix(loc, "/orders/") || !strings.HasSuffix(loc, "/pay") || len(number) != len("D251123-7KQ2MXH4PA") {
		t.Fatalf("checkout went to %q", loc)
	}
	// the same form again: the same order
	if again, _, _ := b.Post(t, "/checkout", f, http.StatusSeeOther); again != loc {
		t.Errorf("resubmitted checkout went to %q, want %q", again, loc)
	}

	pay := b.Page(t, loc, 200)
	button := pay.Find(`form[action="/orders/` + number + `/pay/test"] button`)
	if !strings.Contains(button.Text(), "테스트 카드로 결제") {
		t.Fatal("no test-card button on the payment page")
	}
	done, _, _ := b.Post(t, "/orders/"+number+"/pay/test", url.Values{"_csrf": {webtest.CSRFOf(t, pay)}}, http.StatusSeeOther)
	if done != "/orders/"+number+"/complete" {
		t.Fatalf("payment went to %q", done)
	}
	conf := b.Page(t, done, 200)
	if got := strings.TrimSpace(conf.Find(".order-number").Text()); got != number {
		t.Errorf("confirmation shows number %q, want %q", got, number)
	}
	if !strings.Contains(conf.Find(".order-status").Text(), "결제 완료") {
		t.Errorf("confirmation status %q", conf.Find(".order-status").Text())
	}
	if conf.Find(".cart-count").Text() != "0" {
		t.Error("the cart was not emptied by the order")
	}

	stranger := e.Shopper()
	t.Run("another browser cannot see it", func(t *testing.T) {
		for _, p := range []string{"/pay", "/complete", ""} {
			resp, _ := stranger.Do(t, http.MethodGet, "/orders/"+number+p, "", nil)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/orders/lookup?number="+number {
				t.Errorf("stranger GET %s: %d %s", p, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
	})

	t.Run("lookup", func(t *testing.T) {
		d := stranger.Page(t, "/orders/lookup?number="+number, 200)
		tok := webtest.CSRFOf(t, d)
		_, d, _ = stranger.Post(t, "/orders/lookup", url.Values{"_csrf": {tok}, "number": {number}, "phone": {"010-9999-9999"}}, http.StatusNotFound)
		if !strings.Contains(d.Find(".notice-warn").Text(), "주문을 찾을 수 없습니다") {
			t.Error("wrong phone: no not-found message")
		}
		loc, _, _ := stranger.Post(t, "/orders/lookup", url.Values{"_csrf": {tok}, "number": {number}, "phone": {"01012345678"}}, http.StatusSeeOther)
		if loc != "/orders/"+number {
			t.Fatalf("lookup went to %q", loc)
		}
		d = stranger.Page(t, loc, 200)
		if d.Find(".order-part").Length() < 1 || !strings.Contains(d.Find(".order-part .status").Text(), "결제 완료") {
			t.Errorf("detail parts: %q", d.Find(".order-part").Text())
		}
		if d.Find(".timeline li").Length() < 2 {
			t.Error("no events timeline")
		}
	})

	t.Run("cancel", func(t *testing.T) {
		d := stranger.Page(t, "/orders/"+number, 200)
		tok := webtest.CSRFOf(t, d)
		_, d, _ = stranger.Post(t, "/orders/"+number+"/cancel", url.Values{"_csrf": {tok}, "phone": {"010-0000-0000"}}, http.StatusUnprocessableEntity)
		if d.Find(".notice-warn").Length() == 0 {
			t.Error("wrong phone on cancel: no message")
		}
		loc, _, _ := stranger.Post(t, "/orders/"+number+"/cancel", url.Values{"_csrf": {tok}, "phone": {"010-1234-5678"}}, http.StatusSeeOther)
		d = stranger.Page(t, loc, 200)
		if !strings.Contains(d.Find(".order-status").Text(), "취소됨") || d.Find(".refund").Length() != 1 {
			t.Errorf("after cancel: status %q, refund notice %d", d.Find(".order-status").Text(), d.Find(".refund").Length())
		}
		if d.Find(".cancel-form").Length() != 0 {
			t.Error("a cancelled order still offers to cancel")
		}
	})
}
