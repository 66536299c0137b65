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

// TestFeedbackPages: the product page's question form keeps a refused
// question (422) and needs its CSRF token; a line of someone else's order
// or not yet delivered has no review form; the header counts unread
// notifications; the mail preferences keep the required kinds on.
func TestFeedbackPages(t *testing.T) {
	e := webtest.NewEnv(t)
	product, _ := e.Goods(t)
	p := "/p/" + strconv.FormatInt(product, 10)
	buyer, other := e.Consumer(t), e.Consumer(t)
	o, _ := e.DeliveredOrder(t, product, buyer)
	line := strconv.FormatInt(o.SubOrders[0].Lines[0].ID, 10)

	anon := e.Shopper()
	doc := anon.Page(t, p, http.StatusOK)
	if doc.Find("#reviews").Length() != 1 || doc.Find("#questions a[href^='/account/signin']").Length() != 1 {
		t.Errorf("the anonymous product page lacks the reviews or the sign-in to ask")
	}

	b := e.Shopper()
	b.SignIn(t, buyer, webtest.Password)
	tok := b.CSRF(t, p)
	_, doc, _ = b.Post(t, p+"/questions", url.Values{"_csrf": {tok}, "body": {"짧다"}, "private": {"1"}}, http.StatusUnprocessableEntity)
	if got := doc.Find("#ask-body").Text(); got != "짧다" || doc.Find("#ask-err").Length() != 1 ||
		doc.Find(`input[name="private"][checked]`).Length() != 1 {
		t.Errorf("the refused question's form: body %q, error %d", got, doc.Find("#ask-err").Length())
	}
	if resp, _ := b.Do(t, http.MethodPost, p+"/questions", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"body": {"토큰 없는 문의입니다"}}.Encode())); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a question without its CSRF token: %d, want 403", resp.StatusCode)
	}
	var n int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM questions`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d questions stored from refused forms", n)
	}

	// The review form: the buyer's own delivered line only.
	b.Page(t, "/account/reviews/new?line="+line, http.StatusOK)
	c := e.Shopper()
	c.SignIn(t, other, webtest.Password)
	c.Page(t, "/account/reviews/new?line="+line, http.StatusNotFound)

	// The header's unread count and the settings.
	if err := e.Notify.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	doc = b.Page(t, "/", http.StatusOK)
	if got := strings.TrimSpace(doc.Find(".notify-link .cart-count").Text()); got != "3" {
		t.Errorf("the header's unread count: %q, want 3", got)
	}
	tok = b.CSRF(t, "/account/notifications/settings")
	b.Post(t, "/account/notifications/settings", url.Values{"_csrf": {tok}, "mail": {"question_answered"}}, http.StatusSeeOther)
	doc = b.Page(t, "/account/notifications/settings", http.StatusOK)
	checked := map[string]bool{}
	doc.Find(`input[name="mail"][checked]`).Each(func(_ int, s *goquery.Selection) {
		checked[s.AttrOr("value", "")] = true
	})
	if !checked["order_paid"] || !checked["order_cancelled"] || !checked["question_answered"] || checked["order_shipped"] {
		t.Errorf("mail settings after saving: %v", checked)
	}
}
