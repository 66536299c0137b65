package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/notify"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// deliverPart accepts, ships and delivers part id as enterprise ent.
func (s *shop) deliverPart(t *testing.T, ent, id int64) {
	t.Helper()
	ctx := webtest.StaffOf(ent)
	if err := s.e.Orders.AcceptSubOrder(ctx, id); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if err := s.e.Orders.ShipSubOrder(ctx, id, "cj", "123456789012"); err != nil {
		t.Fatalf("ship: %v", err)
	}
	if err := s.e.Orders.MarkDelivered(ctx, id); err != nil {
		t.Fatalf("deliver: %v", err)
	}
}

// TestReturnByGuestAndEnterprise: a guest buyer asks, on the order page,
// to return the delivered part of A (B's, not delivered, has no form):
// refused without a reason or with another phone, the form kept; a browser
// without access to the order gets nothing; B's member gets 404 on A's
// return; A's member approves, must choose 재입고 or 폐기, and confirms
// receipt: one refund of the part less the return shipping, the stock
// back, both pages say so, and the buyer and the enterprise were told.
func TestReturnByGuestAndEnterprise(t *testing.T) {
	s := newShop(t)
	ctx := context.Background()
	if _, err := s.e.Pool.Exec(ctx, `UPDATE enterprises SET shipping_fee = 3000 WHERE id = $1`, s.a); err != nil {
		t.Fatal(err)
	}
	buyer, number := s.buy(t, map[int64]int{s.pa: 2, s.pb: 1})
	partA, totalA := s.part(t, number, s.a)
	partB, _ := s.part(t, number, s.b)
	s.deliverPart(t, s.a, partA)
	owner := s.e.Member(t, s.a, account.Owner)
	ma := s.e.Shopper()
	ma.SignIn(t, owner, webtest.Password)

	orderPage := "/orders/" + number
	doc := buyer.Page(t, orderPage, http.StatusOK)
	sel := `form.return-form`
	if n := doc.Find(sel).Length(); n != 1 {
		t.Fatalf("%d return forms, want A's alone", n)
	}
	if v := doc.Find(sel+` input[name="sub_order"]`).AttrOr("value", ""); v != fmt.Sprint(partA) {
		t.Fatalf("the form is for part %s, want %d (B is %d)", v, partA, partB)
	}
	var ship int64
	if err := s.e.Pool.QueryRow(ctx, `SELECT shipping_fee FROM sub_orders WHERE id = $1`, partA).Scan(&ship); err != nil {
		t.Fatal(err)
	}
	fee := order.ReturnFeeFor(&order.SubOrder{ShippingFee: ship, Total: totalA}, 3000, false)
	if got := text(doc.Find(sel)); !strings.Contains(got, kr.Won(fee)) || !strings.Contains(got, kr.Won(totalA-fee)) {
		t.Errorf("the form does not say the fee %s and the refund: %q", kr.Won(fee), got)
	}

	// Refusals keep what was typed.
	_, bad := submit(t, buyer, doc, sel, url.Values{"detail": {"마음이 바뀌었어요"}, "phone": {"010-1234-5678"}},
		http.StatusUnprocessableEntity)
	if got := bad.Find(`textarea[name="detail"]`).Text(); got != "마음이 바뀌었어요" {
		t.Errorf("detail not kept: %q", got)
	}
	if !strings.Contains(text(bad.Find("fieldset .field-error")), "반품 사유를 골라") {
		t.Errorf("reason error: %q", text(bad.Find(".return-form")))
	}
	_, bad = submit(t, buyer, doc, sel, url.Values{"reason": {"change_of_mind"}, "phone": {"010-9999-0000"}},
		http.StatusUnprocessableEntity)
	if msg := tiedError(t, bad, fmt.Sprintf("rr-%d-phone", partA)); !strings.Contains(msg, "연락처가") {
		t.Errorf("phone error %q", msg)
	}
	if bad.Find(fmt.Sprintf(`#rr-%d-change_of_mind[checked]`, partA)).Length() != 1 {
		t.Error("the reason chosen was not kept")
	}

	// A browser without access to the order: nothing.
	stranger := s.e.Shopper()
	tok := webtest.CSRFOf(t, stranger.Page(t, "/orders/lookup", http.StatusOK))
	stranger.Post(t, orderPage+"/returns", url.Values{"_csrf": {tok}, "sub_order": {fmt.Sprint(partA)},
		"reason": {"change_of_mind"}, "phone": {"010-1234-5678"}}, http.StatusNotFound)
	if n := s.count(t, `SELECT count(*) FROM order_returns WHERE sub_order_id = $1`, partA); n != 0 {
		t.Fatalf("%d returns after refusals", n)
	}

	loc, _ := submit(t, buyer, doc, sel, url.Values{"reason": {"change_of_mind"}, "detail": {"색이 달라요"},
		"phone": {"010-1234-5678"}}, http.StatusSeeOther)
	if !strings.HasPrefix(loc, orderPage+"?done=return") {
		t.Errorf("after the request: %q", loc)
	}
	doc = buyer.Page(t, orderPage, http.StatusOK)
	if got := text(doc.Find("#returns")); !strings.Contains(got, "반품 신청") || !strings.Contains(got, "색이 달라요") {
		t.Errorf("the buyer's return section: %q", got)
	}
	if doc.Find(sel).Length() != 0 {
		t.Error("a second request form while one is open")
	}

	// B's member: 404 on every button of A's return.
	mb := s.signedIn(t, s.b, account.Owner)
	tokB := webtest.CSRFOf(t, mb.Page(t, fmt.Sprintf("/portal/orders/%d", partB), http.StatusOK))
	for _, act := range []string{"approve", "reject", "receive"} {
		mb.Post(t, fmt.Sprintf("/portal/orders/%d/return/%s", partA, act),
			url.Values{"_csrf": {tokB}, "reject_reason": {"남의 반품"}, "restock": {"1"}}, http.StatusNotFound)
	}

	page := fmt.Sprintf("/portal/orders/%d", partA)
	if ma.Page(t, "/portal/orders?status=returns", http.StatusOK).Find(`a[href="`+page+`"]`).Length() != 1 {
		t.Error("the 반품 처리 tab does not list A's part")
	}
	returnsCount := func() string {
		return text(ma.Page(t, "/portal", http.StatusOK).Find(`a[href="/portal/orders?status=returns"]`))
	}
	if got := returnsCount(); got != "반품 처리 1건" {
		t.Errorf("dashboard: %q, want 반품 처리 1건", got)
	}
	pd := ma.Page(t, page, http.StatusOK)
	if got := text(pd.Find("#return")); !strings.Contains(got, "단순 변심") || !strings.Contains(got, kr.Won(totalA-fee)) {
		t.Errorf("the enterprise's return section: %q", got)
	}
	submit(t, ma, pd, `form[action="`+page+`/return/approve"]`, nil, http.StatusSeeOther)
	pd = ma.Page(t, page, http.StatusOK)
	_, bad = submit(t, ma, pd, `form[action="`+page+`/return/receive"]`, nil, http.StatusUnprocessableEntity)
	if !strings.Contains(text(bad.Find("#return")), "재입고 또는 폐기") {
		t.Errorf("receipt without a choice: %q", text(bad.Find("#return")))
	}
	stock := s.stock(t, s.pa)
	submit(t, ma, pd, `form[action="`+page+`/return/receive"]`, url.Values{"restock": {"1"}}, http.StatusSeeOther)
	// The same button again: the domain's conflict, nothing twice.
	submit(t, ma, pd, `form[action="`+page+`/return/receive"]`, url.Values{"restock": {"1"}}, http.StatusConflict)
	if st := s.stock(t, s.pa); st != stock+2 {
		t.Errorf("stock %d, want %d + 2", st, stock)
	}
	if n := s.count(t, `SELECT count(*) FROM refunds WHERE sub_order_id = $1`, partA); n != 1 {
		t.Fatalf("%d refunds of A's part", n)
	}
	if amt := s.count(t, `SELECT amount FROM refunds WHERE sub_order_id = $1 AND provider_ref IS NOT NULL`, partA); amt != totalA-fee {
		t.Errorf("refund %d, want %d", amt, totalA-fee)
	}
	if ma.Page(t, "/portal/orders?status=returns", http.StatusOK).Find(`a[href="`+page+`"]`).Length() != 0 {
		t.Error("the 반품 처리 tab still lists A's part after the refund")
	}
	if got := returnsCount(); got != "반품 처리 0건" {
		t.Errorf("dashboard after the refund: %q, want 반품 처리 0건", got)
	}
	if got := text(ma.Page(t, page, http.StatusOK).Find("#return")); !strings.Contains(got, "반품 환불 완료") || !strings.Contains(got, "재입고") {
		t.Errorf("the enterprise's section after receipt: %q", got)
	}
	if got := text(buyer.Page(t, orderPage, http.StatusOK).Find("#returns")); !strings.Contains(got, "반품 환불 완료") ||
		!strings.Contains(got, kr.Won(totalA-fee)) {
		t.Errorf("the buyer's section after the refund: %q", got)
	}

	// Told: the enterprise of the request, the buyer (by mail: a guest) of
	// the approval and the refund.
	if err := s.e.Notify.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	list, _, err := s.e.Notify.List(s.e.As(t, owner), 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	requested := 0
	for _, n := range list {
		if n.Kind == notify.ReturnRequested && n.Link == page {
			requested++
		}
	}
	if requested != 1 {
		t.Errorf("the enterprise's return notifications: %d, want 1", requested)
	}
	subjects := map[string]bool{}
	for _, m := range s.e.Mail.Sent() {
		if m.To == "buyer@dure.test" {
			subjects[m.Subject] = true
		}
	}
	for _, want := range []string{"[두레] 반품이 승인되었습니다 (" + number + ")", "[두레] 반품 환불이 끝났습니다 (" + number + ")"} {
		if !subjects[want] {
			t.Errorf("no mail %q to the buyer (%v)", want, subjects)
		}
	}
}

// TestReturnBySignedInShopperRejected: a member's delivered order; the
// form asks no phone; the enterprise rejects with a reason, which the
// buyer sees on the order and in /account/orders.
func TestReturnBySignedInShopperRejected(t *testing.T) {
	e := webtest.NewEnv(t)
	product, _ := e.Goods(t)
	email := e.Consumer(t)
	o, owner := e.DeliveredOrder(t, product, email)
	so := o.SubOrders[0]
	b := e.Shopper()
	b.SignIn(t, email, webtest.Password)
	orderPage := "/orders/" + o.Number
	doc := b.Page(t, orderPage, http.StatusOK)
	if doc.Find(`form.return-form input[name="phone"]`).Length() != 0 {
		t.Error("a signed-in buyer is asked for the phone")
	}
	submit(t, b, doc, `form.return-form`, url.Values{"reason": {"defective"}, "detail": {"뚜껑이 깨져서 왔어요"}}, http.StatusSeeOther)

	m := e.Shopper()
	m.SignIn(t, owner, webtest.Password)
	page := fmt.Sprintf("/portal/orders/%d", so.ID)
	pd := m.Page(t, page, http.StatusOK)
	if got := text(pd.Find("#return")); !strings.Contains(got, "판매 기업 부담") || !strings.Contains(got, kr.Won(so.Total)) {
		t.Errorf("a defect's return: %q", got)
	}
	_, bad := submit(t, m, pd, `form[action="`+page+`/return/reject"]`, url.Values{"reject_reason": {" "}}, http.StatusUnprocessableEntity)
	if msg := tiedError(t, bad, "r-reject"); !strings.Contains(msg, "거절 사유") {
		t.Errorf("reject without a reason: %q", msg)
	}
	submit(t, m, pd, `form[action="`+page+`/return/reject"]`, url.Values{"reject_reason": {"사용 흔적이 있습니다"}}, http.StatusSeeOther)

	if got := text(b.Page(t, orderPage, http.StatusOK).Find("#returns")); !strings.Contains(got, "반품 거절") ||
		!strings.Contains(got, "사용 흔적이 있습니다") {
		t.Errorf("the buyer's section after the rejection: %q", got)
	}
	if got := text(b.Page(t, "/account/orders", http.StatusOK).Find(".my-order")); !strings.Contains(got, "반품 거절") {
		t.Errorf("/account/orders: %q", got)
	}
	// Rejected: the buyer may ask again within the window.
	if b.Page(t, orderPage, http.StatusOK).Find(`form.return-form`).Length() != 1 {
		t.Error("no form after a rejection")
	}
}
