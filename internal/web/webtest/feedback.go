package webtest

import (
	"context"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/order"
)

// As returns a context carrying the actor of the account email (signed in
// with Password), as a request of theirs would.
func (e *Env) As(t testing.TB, email string) context.Context {
	t.Helper()
	a, _, err := e.Accounts.SignIn(context.Background(), email, Password, "127.0.0.1")
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	return account.NewContext(context.Background(), a)
}

// DeliveredOrder is a paid order of one product for the member buyer (as
// if they had claimed it), whose enterprise then accepts, ships and
// delivers it through the order service. It returns the order as
// delivered and the enterprise owner's e-mail.
func (e *Env) DeliveredOrder(t testing.TB, product int64, buyer string) (*order.Order, string) {
	t.Helper()
	ctx := context.Background()
	o := e.PaidOrder(t, product, 1)
	if _, err := e.Pool.Exec(ctx, `UPDATE orders SET user_id = (SELECT id FROM users WHERE lower(email) = lower($2)) WHERE id = $1`,
		o.ID, buyer); err != nil {
		t.Fatal(err)
	}
	so := o.SubOrders[0]
	owner := e.Member(t, so.EnterpriseID, account.Owner)
	ent := e.As(t, owner)
	if err := e.Orders.AcceptSubOrder(ent, so.ID); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if err := e.Orders.ShipSubOrder(ent, so.ID, "hanjin", "123456789012"); err != nil {
		t.Fatalf("ship: %v", err)
	}
	if err := e.Orders.MarkDelivered(ent, so.ID); err != nil {
		t.Fatalf("deliver: %v", err)
	}
	got, err := e.Orders.FindOrder(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	return got, owner
}
