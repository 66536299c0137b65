package webtest

import (
	"context"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/testutil"
)

// InvoiceOrder places a public order on invoice of quantity of product at
// unitPrice for a new institution (Institution), as its buyer signed in,
// and returns it with the buyer's context.
func (e *Env) InvoiceOrder(t testing.TB, product int64, quantity int, unitPrice int64) (*order.Order, context.Context) {
	t.Helper()
	ctx := context.Background()
	inst := e.Institution(t, "대구광역시")
	a, _, err := e.Accounts.SignIn(ctx, inst.Buyer, Password, "192.0.2.252")
	if err != nil {
		t.Fatal(err)
	}
	if a.InstitutionID != inst.ID {
		t.Fatalf("the buyer's actor names institution %d, want %d", a.InstitutionID, inst.ID)
	}
	buyer := account.NewContext(ctx, a)
	o, err := e.Orders.PlacePublic(buyer, order.PublicOrderInput{Key: testutil.Name("quote"), InstitutionID: inst.ID,
		UserID: a.UserID, Buyer: order.Buyer{Name: a.Name, Phone: "053-803-0114", Email: a.Email},
		Address: order.Address{Recipient: "대구광역시청 총무과", Phone: "053-803-0114", Postcode: "41911",
			Road: "대구광역시 중구 공평로 88"},
		DesiredDelivery: coop.Date(2099, 1, 1), Terms: order.TermsInvoice,
		Lines: []order.PublicLine{{ProductID: product, Quantity: quantity, UnitPrice: unitPrice}}})
	if err != nil {
		t.Fatalf("place invoice order: %v", err)
	}
	return o, buyer
}
