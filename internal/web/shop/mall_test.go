package shop_test

import (
	"context"
	"net/http"
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
