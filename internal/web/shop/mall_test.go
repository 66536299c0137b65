package shop_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestOrderTimesAreSeoul: the pay page says until when (KST) the stock is
// held, and the order page's times are Korea time, not UTC.
func TestOrderTimesAreSeoul(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, _ := e.Goods(t)
	b := e.Shopper()
	addToCart(t, b, pid, "1")
	loc, _, _ := b.Post(t, "/checkout", checkoutForm(t, b.Page(t, "/checkout", 200), "41940"), http.StatusSeeOther)
	number := strings.TrimSuffix(strings.TrimPrefix(loc, "/orders/"), "/pay")

	var created, reserved time.Time
	if err := e.Pool.QueryRow(context.Background(), `SELECT created_at, reserved_until FROM orders WHERE number = $1`, number).
		Scan(&created, &reserved); err != nil {
		t.Fatal(err)
	}
	pay := b.Page(t, loc, 200)
	held := pay.Find(".reserved-until")
	if got, want := strings.TrimSpace(held.Find("time").Text()), kr.DateTime(reserved); got != want {
		t.Errorf("pay page holds the stock until %q, want %q (KST)", got, want)
	}
	if !strings.Contains(held.Text(), "한국 시간") {
		t.Errorf("pay page does not say the time is Korea time: %q", held.Text())
	}

	d := b.Page(t, "/orders/"+number, 200)
	if got, want := d.Find(".page-head .lead time").Text(), kr.DateTime(created); got != want {
		t.Errorf("order page shows the order placed at %q, want %q", got, want)
	}
	first := strings.TrimSpace(d.Find(".timeline li time").First().Text())
	at, err := time.ParseInLocation("2006.01.02 15:04", first, kr.Seoul())
	if err != nil || at.Sub(created).Abs() > 2*time.Minute {
		t.Errorf("timeline's first event at %q, the order was placed at %s (KST)", first, kr.DateTime(created))
	}
}

// TestBadFilterKeepsTheSearch: a minimum price above the maximum shows the
// search page again (400) with the message next to the price range, the
// typed prices to correct, and the text and other filters kept.
func TestBadFilterKeepsTheSearch(t *testing.T) {
	e := webtest.NewEnv(t)
	for _, target := range []string{"/search?q=%EC%82%AC%EA%B3%BC&kind=goods&min_price=50000&max_price=10000", "/search?kind=goods&min_price=50000&max_price=10000"} {
		t.Run(target, func(t *testing.T) {
			d := e.Page(t, target, http.StatusBadRequest)
			msg := d.Find(".price-range + #price-error")
			if !strings.Contains(msg.Text(), "최저 가격이 최고 가격보다") {
				t.Errorf("no price message beside the price range: %q", d.Find(".field-error").Text())
			}
			for sel, want := range map[string]string{"#min_price": "50000", "#max_price": "10000"} {
				if v, _ := d.Find(sel).Attr("value"); v != want {
					t.Errorf("%s = %q, want %q as typed", sel, v, want)
				}
				if d.Find(sel).AttrOr("aria-describedby", "") != "price-error" {
					t.Errorf("%s is not described by the message", sel)
				}
			}
			if d.Find(`#filters input[name="kind"][value="goods"][checked]`).Length() != 1 {
				t.Error("the kind filter was lost")
			}
			if strings.Contains(target, "q=") {
				if v, _ := d.Find("#q").Attr("value"); v != "사과" {
					t.Errorf("search box holds %q, want 사과", v)
				}
			}
			if d.Find(".grid .card, .empty").Length() == 0 {
				t.Error("the results are gone")
			}
			for _, c := range d.Find(".chip").EachIter() {
				if strings.Contains(c.Text(), "원") {
					t.Errorf("a chip for the refused price range: %q", c.Text())
				}
			}
		})
	}
	t.Run("category page", func(t *testing.T) {
		d := e.Page(t, "/search", 200)
		href, ok := d.Find(".facet-links a[href^='/c/'], .pill-list a[href^='/c/']").First().Attr("href")
		if !ok {
			t.Skip("no category link on /search")
		}
		d = e.Page(t, href+"?in_stock=maybe", http.StatusBadRequest)
		if !strings.Contains(d.Find("#filters .field-error").Text(), "재고 필터") {
			t.Errorf("no in-stock message in the filters: %q", d.Find("#filters").Text())
		}
	})
}

// TestSoldOutOptionKeepsTheProductPage: adding a sold-out option shows the
// product page again with the message next to the add-to-cart form.
func TestSoldOutOptionKeepsTheProductPage(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	var pid, soldOut int64
	if err := e.Pool.QueryRow(ctx, `SELECT o.product_id, o.id FROM product_options o JOIN products p ON p.id = o.product_id
		WHERE p.status = 'active' AND p.kind = 'goods' AND (SELECT count(*) FROM product_options x WHERE x.product_id = p.id) > 1
		ORDER BY o.id LIMIT 1`).Scan(&pid, &soldOut); err != nil {
		t.Fatalf("no product with options: %v", err)
	}
	if _, err := e.Pool.Exec(ctx, `UPDATE product_options SET stock = CASE WHEN id = $2 THEN 0 ELSE 20 END WHERE product_id = $1`, pid, soldOut); err != nil {
		t.Fatal(err)
	}
	b := e.Shopper()
	page := "/p/" + strconv.FormatInt(pid, 10)
	doc := b.Page(t, page, 200)
	_, d, _ := b.Post(t, "/cart/items", url.Values{"_csrf": {webtest.CSRFOf(t, doc)}, "product_id": {strconv.FormatInt(pid, 10)},
		"option_id": {strconv.FormatInt(soldOut, 10)}, "quantity": {"3"}}, http.StatusBadRequest)
	form := d.Find(`form.add-cart[action="/cart/items"]`)
	if form.Length() != 1 || d.Find("h1.product-name").Length() != 1 {
		t.Fatalf("not the product page with its form:\n%s", webtest.Truncate(d.Text(), 400))
	}
	if msg := form.Find("#add-cart-error").Text(); !strings.Contains(msg, "품절") {
		t.Errorf("message in the form %q, want it to say 품절", msg)
	}
	if v, _ := form.Find(`input[name="quantity"]`).Attr("value"); v != "3" {
		t.Errorf("quantity %q, want the 3 asked for", v)
	}
	if form.Find(`input[name="_csrf"]`).AttrOr("value", "") == "" {
		t.Error("the form again has no CSRF token")
	}
	if d.Find(".cart-count").Text() != "0" {
		t.Errorf("the cart holds %q lines after a refused add", d.Find(".cart-count").Text())
	}
}
