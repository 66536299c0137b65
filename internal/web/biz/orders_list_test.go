package biz_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// The order list reads every order's invoice state at once and shows, per
// order, the state its own invoice page says: an order not yet inspected
// is 미입금 (unpaid), one inspected and paid in full 입금 완료, one paid in
// part 부분 입금, one whose claim fell due unpaid 연체; a card order has no
// invoice state.
func TestOrderListInvoiceStates(t *testing.T) {
	e := webtest.NewEnv(t)
	setCoop(t, e)
	ctx := context.Background()
	products, ents, _ := goodsOf(t, e, 1)
	inst := e.Institution(t, "대구광역시 달서구청")
	buyer := e.Actor(t, inst.Buyer)
	a := account.FromContext(buyer)
	member := e.Actor(t, e.Member(t, ents[0], account.Owner))
	op := e.Actor(t, e.Operator(t))
	place := func(terms order.Terms) *order.Order {
		t.Helper()
		o, err := e.Orders.PlacePublic(buyer, order.PublicOrderInput{Key: testutil.Name("list"), InstitutionID: inst.ID,
			UserID: a.UserID, Buyer: order.Buyer{Name: a.Name, Phone: "053-803-0114", Email: a.Email},
			Address: order.Address{Recipient: "달서구청 총무과", Phone: "053-803-0114", Postcode: "42700",
				Road: "대구광역시 달서구 학산로 45"},
			DesiredDelivery: coop.Date(2099, 1, 1), Terms: terms,
			Lines: []order.PublicLine{{ProductID: products[0], Quantity: 2, UnitPrice: 10_000}}})
		if err != nil {
			t.Fatalf("place %s order: %v", terms, err)
		}
		return o
	}
	// inspect ships the order's part and passes its 검수, which claims it.
	inspect := func(o *order.Order) {
		t.Helper()
		so := o.SubOrders[0]
		if err := e.Orders.AcceptSubOrder(member, so.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.Orders.ShipSubOrder(member, so.ID, "cj", "123456789012"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Orders.Inspect(buyer, so.ID, order.InspectionInput{Date: today(), Inspector: "박검수", Result: order.InspectPass}); err != nil {
			t.Fatalf("inspect: %v", err)
		}
	}
	pay := func(o *order.Order, amount string) {
		t.Helper()
		if err := e.Orders.RecordTransfer(op, o.ID, order.TransferInput{Date: today(), Amount: amount, Payer: "달서구청"}); err != nil {
			t.Fatalf("transfer: %v", err)
		}
	}
	unpaid, paid, partial, overdue := place(order.TermsInvoice), place(order.TermsInvoice), place(order.TermsInvoice), place(order.TermsInvoice)
	card := place(order.TermsCard)
	for _, o := range []*order.Order{paid, partial, overdue} {
		inspect(o)
	}
	pay(paid, "20,000")
	pay(partial, "5,000")
	// The fixture moves a claim's dates back: it fell due three days ago.
	if _, err := e.Pool.Exec(ctx, `UPDATE payment_claims SET claimed_on = current_date - 10, due_on = current_date - 3 WHERE order_id = $1`, overdue.ID); err != nil {
		t.Fatal(err)
	}

	b := e.Shopper()
	b.SignIn(t, inst.Buyer, webtest.Password)
	doc := b.Page(t, "/biz/orders", http.StatusOK)
	want := map[*order.Order]order.InvoiceStatus{unpaid: order.InvoiceUnpaid, paid: order.InvoicePaid,
		partial: order.InvoicePartial, overdue: order.InvoiceOverdue, card: ""}
	for o, st := range want {
		row := doc.Find(`a[href="/biz/orders/` + o.Number + `"]`).Closest("tr")
		if row.Length() != 1 {
			t.Fatalf("order %s is not listed", o.Number)
		}
		cell := row.Find("td").Last()
		if st == "" {
			if cell.Find(".status").Length() != 0 || !strings.Contains(cell.Text(), "카드 결제") {
				t.Errorf("card order %s: invoice cell %q", o.Number, cell.Text())
			}
			continue
		}
		inv, err := e.Orders.InvoiceFor(buyer, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if inv.Status != st {
			t.Fatalf("order %s: its invoice says %s, the test meant %s", o.Number, inv.Status, st)
		}
		if !cell.Find(".status-"+string(st)).Is("span") || strings.TrimSpace(cell.Text()) != st.Label() {
			t.Errorf("order %s: list says %q, want %s (%s)", o.Number, strings.TrimSpace(cell.Text()), st.Label(), st)
		}
	}
}
