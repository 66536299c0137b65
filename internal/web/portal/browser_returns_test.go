package portal_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserReturn walks a return in headless Chromium: the buyer opens
// 반품 신청 on a delivered order, sends it without a reason (422, the
// error tied to the reasons), then with one; the enterprise approves and
// sends receipt without choosing 재입고/폐기 (422). axe-core (desktop and
// 390 px) finds no serious or critical violation on each of those pages.
func TestBrowserReturn(t *testing.T) {
	e := webtest.NewEnv(t)
	product, _ := e.Goods(t)
	email := e.Consumer(t)
	o, owner := e.DeliveredOrder(t, product, email)
	so := o.SubOrders[0]
	b := browser.New(t, e)
	b.SignIn(email, webtest.Password)

	orderPage := "/orders/" + o.Number
	b.CheckAxe(t, orderPage)
	b.Open(orderPage)
	b.Run("open the form", chromedp.Click(`details.return-request summary`))
	if st := b.Submit("request without a reason", `form.return-form button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("request without a reason: %d", st)
	}
	if !b.Has(fmt.Sprintf("#rr-%d-reason-err", so.ID)) {
		t.Error("no reason error")
	}
	b.CheckAxeCurrent(t, "the return form with an error")
	b.Run("choose a reason", chromedp.Click(fmt.Sprintf("#rr-%d-change_of_mind", so.ID)))
	if st := b.Submit("request", `form.return-form button[type="submit"]`); st != http.StatusOK || !b.Has(".status-return-requested") {
		t.Fatalf("request: %d at %s", st, b.Path())
	}
	b.CheckAxeCurrent(t, "the order with a return requested")

	b.SignOut()
	b.SignIn(owner, webtest.Password)
	page := fmt.Sprintf("/portal/orders/%d", so.ID)
	b.CheckAxe(t, page)
	b.Open(page)
	if st := b.Submit("approve", `form.return-approve button`); st != http.StatusOK {
		t.Fatalf("approve: %d", st)
	}
	if st := b.Submit("receive without a choice", `form.return-receive button`); st != http.StatusUnprocessableEntity || !b.Has("#r-restock-err") {
		t.Errorf("receive without a choice: %d", st)
	}
	b.CheckAxeCurrent(t, "the receipt form with an error")
}
