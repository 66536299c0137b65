package order_test

import (
	"context"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/order"
)

// Checkout prices a line at its consumer volume tier, read from the
// catalogue at checkout: a tier added after the page was shown is a price
// change (the shopper confirms the new total), and the order line keeps the
// tiered unit price with its own VAT split.
func TestCheckoutAppliesConsumerTier(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	pid, _ := e.product(t, 50)
	var base int64
	if err := e.pool.QueryRow(ctx, `SELECT consumer_price FROM products WHERE id = $1`, pid).Scan(&base); err != nil {
		t.Fatal(err)
	}
	tier := base - base/10
	e.exec(t, `INSERT INTO product_price_tiers (product_id, list, min_quantity, unit_price) VALUES ($1, 'consumer', 10, $2),
		($1, 'public', 10, 1)`, pid, tier)

	id := e.fill(t, 9, pid)
	v, err := e.carts.View(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	if l := v.Lines[0]; l.UnitPrice != base || l.Tier != nil {
		t.Fatalf("9 units: unit %d tier %v, want %d and none", l.UnitPrice, l.Tier, base)
	}
	if err := e.carts.SetQuantity(ctx, id, cart.Key{ProductID: pid}, 10); err != nil {
		t.Fatal(err)
	}
	in := e.input(t, id)
	v, err = e.carts.View(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	if l := v.Lines[0]; l.UnitPrice != tier || l.ListUnit != base || l.Tier == nil || l.Tier.MinQuantity != 10 || l.Notice != "" {
		t.Fatalf("10 units: %+v, want unit %d from the tier of 10 and no price-change notice", l, tier)
	}

	// The enterprise lowers the tier after the page was shown: checkout
	// re-prices from the catalogue and refuses the old total.
	e.exec(t, `UPDATE product_price_tiers SET unit_price = unit_price - 1 WHERE product_id = $1 AND list = 'consumer'`, pid)
	_, err = e.svc.Checkout(ctx, in)
	if apperr.Code(err) != apperr.Conflict || err.Error() != order.ErrPriceChanged().Error() {
		t.Fatalf("checkout at the old tier price: %v, want the price-changed conflict", err)
	}
	in = e.input(t, id)
	o, err := e.svc.Checkout(ctx, in)
	if err != nil {
		t.Fatalf("Checkout: %v", err)
	}
	l := o.SubOrders[0].Lines[0]
	if l.UnitPrice != tier-1 || l.LineTotal != (tier-1)*10 || l.Supply+l.VAT != l.LineTotal {
		t.Errorf("order line %+v, want unit %d", l, tier-1)
	}
	if o.Supply+o.VAT != o.Total {
		t.Errorf("order supply %d + vat %d != total %d", o.Supply, o.VAT, o.Total)
	}
	var stored int64
	if err := e.pool.QueryRow(ctx, `SELECT unit_price FROM order_lines WHERE product_id = $1`, pid).Scan(&stored); err != nil || stored != tier-1 {
		t.Errorf("stored unit price %d (%v), want %d", stored, err, tier-1)
	}
}
