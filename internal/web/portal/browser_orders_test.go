package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserPortalOrders walks the order, dashboard, member and API key
// screens in headless Chromium as an owner would, by keyboard where it
// matters (Enter sends the ship form), and runs axe-core (WCAG 2.1 A and
// AA, desktop and 390 px) on every page and every page with errors: no
// serious or critical violation; the Tab key reaches the order page's and
// the member page's controls with a visible focus ring.
func TestBrowserPortalOrders(t *testing.T) {
	s := newShop(t)
	o := s.e.PaidOrder(t, s.pa, 2)
	other := s.e.PaidOrder(t, s.pa, 1)
	part, _ := s.part(t, o.Number, s.a)
	otherPart, _ := s.part(t, other.Number, s.a)
	if _, err := s.e.Pool.Exec(context.Background(), `UPDATE products SET stock = 3 WHERE id = $1`, s.pa); err != nil {
		t.Fatal(err)
	}
	staffEmail := s.e.Member(t, s.a, account.Staff)
	staffID := s.userID(t, staffEmail)
	b := browser.New(t, s.e)
	b.SignIn(s.e.Member(t, s.a, account.Owner), webtest.Password)

	page := fmt.Sprintf("/portal/orders/%d", part)
	for _, p := range []string{"/portal", "/portal/orders", "/portal/orders?status=waiting", page,
		fmt.Sprintf("/portal/orders/%d/cancel", otherPart), "/portal/members",
		fmt.Sprintf("/portal/members/%d/remove", staffID), "/portal/keys"} {
		b.CheckAxe(t, p)
	}

	// 주문 접수, then the ship form sent wrong, then right with Enter.
	b.Open(page)
	b.CheckFocus(t, "the order page")
	if st := b.Submit("accept", `form[action$="/accept"] button`); st != http.StatusOK {
		t.Fatalf("accept: %d", st)
	}
	b.Fill(map[string]string{"#o-tracking": "12"})
	if st := b.Submit("ship wrong", `form.ship-form button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Errorf("ship wrong: %d", st)
	}
	for _, sel := range []string{"#o-courier-err", "#o-tracking-err"} {
		if !b.Has(sel) {
			t.Errorf("no %s", sel)
		}
	}
	b.CheckAxeCurrent(t, "the ship form with errors")
	b.Fill(map[string]string{"#o-courier": "epost", "#o-tracking": "6012345678901"})
	resp, err := chromedp.RunResponse(b.Ctx, chromedp.SendKeys(chromedp.CSS("#o-tracking"), kb.End+kb.Enter))
	if err != nil || resp == nil || resp.Status != http.StatusOK || !b.Has(".tracking a[href]") {
		t.Fatalf("Enter in the tracking number: %v, at %s", err, b.Path())
	}
	b.CheckAxeCurrent(t, "a shipped order")

	// The cancel form sent without a reason.
	b.Open(fmt.Sprintf("/portal/orders/%d/cancel", otherPart))
	if st := b.Submit("cancel without a reason", `form button.btn-danger`); st != http.StatusUnprocessableEntity || !b.Has("#c-reason-err") {
		t.Errorf("cancel without a reason: %d", st)
	}
	b.CheckAxeCurrent(t, "the cancel form with an error")

	// Members: a wrong address, then the focus walk.
	b.Open("/portal/members")
	b.CheckFocus(t, "the member page")
	b.Fill(map[string]string{"#inv-email": "주소 아님"})
	if st := b.Submit("invite wrong", `form[action="/portal/members/invite"] button`); st != http.StatusUnprocessableEntity || !b.Has("#inv-email-err") {
		t.Errorf("invite wrong: %d", st)
	}
	b.CheckAxeCurrent(t, "the invitation form with an error")

	// API keys: one made and shown, then the revoke question.
	b.Open("/portal/keys")
	b.Fill(map[string]string{"#key-name": "재고 연동"})
	if st := b.Submit("create a key", `form[action="/portal/keys"] button`); st != http.StatusOK || !strings.HasPrefix(b.Value("#new-key"), account.APIKeyPrefix) {
		t.Fatalf("create a key: %d", st)
	}
	b.CheckAxeCurrent(t, "a new key shown once")
	b.Open("/portal/keys")
	if st := b.Submit("revoke", `a[href$="/revoke"]`); st != http.StatusOK {
		t.Fatalf("revoke link: %d", st)
	}
	b.CheckAxeCurrent(t, "the revoke question")
}
