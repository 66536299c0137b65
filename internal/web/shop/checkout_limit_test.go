package shop_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// The checkout rate limit counts attempts that may reserve stock or reach
// payment: eleven submissions with a wrong field (more than the limit of
// ten) each get their 422 form, and the right one after them is placed.
// Issue 12, item 8.
func TestCheckoutFormErrorsDoNotExhaustTheLimit(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, _ := e.Goods(t)
	b := e.Shopper()
	addToCart(t, b, pid, "1")
	form := checkoutForm(t, b.Page(t, "/checkout", 200), "41940")
	bad := checkoutForm(t, b.Page(t, "/checkout", 200), "41940")
	bad.Set("buyer_phone", "12")
	for range 11 {
		b.Post(t, "/checkout", bad, http.StatusUnprocessableEntity)
	}
	loc, _, _ := b.Post(t, "/checkout", form, http.StatusSeeOther)
	if !strings.HasSuffix(loc, "/pay") {
		t.Errorf("the right submission went to %q, want the payment page", loc)
	}
}
