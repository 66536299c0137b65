package order_test

import (
	"context"
	"sync"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

// bundle makes a published joint product of parts as an operator and
// returns its product id.
func (e *env) bundle(t *testing.T, price int64, parts ...catalog.BundlePart) int64 {
	t.Helper()
	var uid int64
	err := e.pool.QueryRow(context.Background(), `INSERT INTO users (email, name, password_hash, role)
		VALUES ($1, '운영자', '$argon2id$test', 'operator') RETURNING id`, testutil.Name("op")+"@example.kr").Scan(&uid)
	if err != nil {
		t.Fatal(err)
	}
	ctx := account.NewContext(context.Background(), &account.Actor{UserID: uid, Name: "운영자", Role: account.Operator})
	var cat int64
	if err := e.pool.QueryRow(ctx, `SELECT id FROM categories ORDER BY id LIMIT 1`).Scan(&cat); err != nil {
		t.Fatal(err)
	}
	b, err := (&catalog.Bundles{Store: postgres.NewCatalogStore(e.pool)}).Create(ctx, catalog.BundleInput{
		Name: testutil.Name("명절 선물세트"), CategoryID: cat, Price: price, Publish: true, Parts: parts})
	if err != nil {
		t.Fatalf("create bundle: %v", err)
	}
	return b.Product.ID
}

func TestBundleCheckoutSplitsIntoPartsAndCancelReleasesThem(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a, entA := e.product(t, 10)
	b, entB := e.product(t, 10, entA)
	bundle := e.bundle(t, 15000,
		catalog.BundlePart{ProductID: a, Quantity: 2, Share: 10000},
		catalog.BundlePart{ProductID: b, Quantity: 1, Share: 5000})

	cartID := e.fill(t, 2, bundle)
	v, err := e.carts.View(ctx, cartID, address.Postcode)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Lines) != 1 || v.Lines[0].Available != 5 || v.Lines[0].UnitPrice != 15000 {
		t.Fatalf("cart line = %+v; want one bundle line, 5 available (10/2, 10/1), 15,000원", v.Lines)
	}
	if v.Price.Total != 30000 || v.Price.ShippingTotal != 0 {
		t.Errorf("cart total = %d (shipping %d); want 30000, shipping included in the bundle", v.Price.Total, v.Price.ShippingTotal)
	}
	// Asking for more bundles than the scarcest part allows is refused.
	if err := e.carts.SetQuantity(ctx, cartID, cart.Key{ProductID: bundle}, 6); apperr.Code(err) != apperr.Invalid {
		t.Errorf("6 bundles with stock for 5: %v, want Invalid", err)
	}

	o, err := e.svc.Checkout(ctx, e.input(t, cartID))
	if err != nil {
		t.Fatal(err)
	}
	if o.Total != 30000 || len(o.SubOrders) != 2 {
		t.Fatalf("order total %d with %d sub-orders; want 30000 in 2", o.Total, len(o.SubOrders))
	}
	want := map[int64]struct {
		product       int64
		qty           int
		unit, total   int64
		enterpriseTot int64
	}{entA: {a, 4, 5000, 20000, 20000}, entB: {b, 2, 5000, 10000, 10000}}
	for _, so := range o.SubOrders {
		w, ok := want[so.EnterpriseID]
		if !ok || len(so.Lines) != 1 {
			t.Fatalf("sub-order of enterprise %d with %d lines", so.EnterpriseID, len(so.Lines))
		}
		l := so.Lines[0]
		if l.ProductID != w.product || l.Quantity != w.qty || l.UnitPrice != w.unit || l.LineTotal != w.total ||
			l.BundleProductID != bundle || l.BundleName == "" || so.Total != w.enterpriseTot || so.ShippingFee != 0 {
			t.Errorf("enterprise %d: line %+v, sub-order total %d; want %+v of bundle %d", so.EnterpriseID, l, so.Total, w, bundle)
		}
	}
	if e.stock(t, a) != 6 || e.stock(t, b) != 8 {
		t.Errorf("stock after checkout = %d, %d; want 6, 8", e.stock(t, a), e.stock(t, b))
	}
	if n := e.count(t, `SELECT stock FROM products WHERE id = $1`, bundle); n != 0 {
		t.Errorf("the bundle row's own stock = %d; it must stay 0 (its parts hold the stock)", n)
	}
	if n := e.count(t, `SELECT bundle_stock($1)`, bundle); n != 3 {
		t.Errorf("bundle_stock = %d, want 3 (6/2, 8/1)", n)
	}

	if err := e.svc.Cancel(ctx, o.Number, buyerPhone); err != nil {
		t.Fatal(err)
	}
	if e.stock(t, a) != 10 || e.stock(t, b) != 10 {
		t.Errorf("stock after cancel = %d, %d; want 10, 10", e.stock(t, a), e.stock(t, b))
	}
}

func TestBundleExpiryReleasesEveryPart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a, entA := e.product(t, 10)
	b, _ := e.product(t, 10, entA)
	bundle := e.bundle(t, 9000,
		catalog.BundlePart{ProductID: a, Quantity: 3, Share: 6000},
		catalog.BundlePart{ProductID: b, Quantity: 1, Share: 3000})
	o := e.checkout(t, 1, bundle, a) // one bundle and one a alone
	if e.stock(t, a) != 6 || e.stock(t, b) != 9 {
		t.Fatalf("stock after checkout = %d, %d; want 6 (3 in the bundle + 1 alone), 9", e.stock(t, a), e.stock(t, b))
	}
	e.exec(t, `UPDATE orders SET reserved_until = now() - interval '1 minute' WHERE number = $1`, o.Number)
	if n, err := e.svc.ExpireReservations(ctx); err != nil || n != 1 {
		t.Fatalf("ExpireReservations = %d, %v; want 1", n, err)
	}
	if e.stock(t, a) != 10 || e.stock(t, b) != 10 {
		t.Errorf("stock after expiry = %d, %d; want 10, 10", e.stock(t, a), e.stock(t, b))
	}
}

func TestBundleTakenOffSaleBeforeCheckoutReservesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a, entA := e.product(t, 10)
	b, _ := e.product(t, 10, entA)
	bundle := e.bundle(t, 4000,
		catalog.BundlePart{ProductID: a, Quantity: 1, Share: 1000},
		catalog.BundlePart{ProductID: b, Quantity: 1, Share: 3000})
	in := e.input(t, e.fill(t, 1, bundle))
	// The checkout page was shown; then a part is hidden by its enterprise.
	e.exec(t, `UPDATE products SET status = 'hidden' WHERE id = $1`, b)
	_, err := e.svc.Checkout(ctx, in)
	if apperr.Code(err) == "" {
		t.Fatal("checkout of a bundle whose part is no longer sold succeeded")
	}
	if e.stock(t, a) != 10 || e.count(t, `SELECT count(*) FROM orders`) != 0 {
		t.Errorf("stock %d, orders %d; want nothing reserved or written", e.stock(t, a), e.count(t, `SELECT count(*) FROM orders`))
	}
}

// TestConcurrentBundleAndPartBuyersNeverOversell: 200 buyers at once, half
// ordering a bundle (2 of a + 1 of b) and half ordering a alone, on 30 of
// a. No part is ever oversold, every bundle order holds both parts, and the
// stock left is exactly what was not ordered.
func TestConcurrentBundleAndPartBuyersNeverOversell(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	const stockA, stockB = 30, 1000
	a, entA := e.product(t, stockA)
	b, _ := e.product(t, stockB, entA)
	bundle := e.bundle(t, 12000,
		catalog.BundlePart{ProductID: a, Quantity: 2, Share: 8000},
		catalog.BundlePart{ProductID: b, Quantity: 1, Share: 4000})
	const buyers = 200
	ins := make([]order.CheckoutInput, buyers)
	var wg sync.WaitGroup
	for i := range ins {
		wg.Go(func() {
			p := a
			if i%2 == 0 {
				p = bundle
			}
			ins[i] = e.input(t, e.fill(t, 1, p))
		})
	}
	wg.Wait()

	start := make(chan struct{})
	errs := make([]error, buyers)
	for i := range ins {
		wg.Go(func() {
			<-start
			_, errs[i] = e.svc.Checkout(ctx, ins[i])
		})
	}
	close(start)
	wg.Wait()

	ok := 0
	for _, err := range errs {
		switch apperr.Code(err) {
		case "":
			ok++
		case apperr.Conflict:
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	bundles := e.count(t, `SELECT count(DISTINCT order_id) FROM order_lines WHERE bundle_product_id = $1`, bundle)
	alone := e.count(t, `SELECT count(*) FROM order_lines WHERE product_id = $1 AND bundle_product_id IS NULL`, a)
	unitsA := e.count(t, `SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE product_id = $1`, a)
	unitsB := e.count(t, `SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE product_id = $1`, b)
	if ok != bundles+alone || ok == 0 {
		t.Errorf("%d checkouts succeeded; %d bundle orders + %d orders of a alone", ok, bundles, alone)
	}
	if unitsA != 2*bundles+alone || unitsB != bundles {
		t.Errorf("units ordered: a %d, b %d; want %d and %d", unitsA, unitsB, 2*bundles+alone, bundles)
	}
	if unitsA > stockA {
		t.Errorf("oversold a: %d units ordered of %d", unitsA, stockA)
	}
	if s := e.stock(t, a); s != stockA-unitsA || s > 1 {
		t.Errorf("stock of a = %d; want %d, and at most 1 left with %d buyers", s, stockA-unitsA, buyers)
	}
	if s := e.stock(t, b); s != stockB-unitsB {
		t.Errorf("stock of b = %d, want %d", s, stockB-unitsB)
	}
	if n := e.count(t, `SELECT count(*) FROM orders o WHERE EXISTS (SELECT 1 FROM order_lines l
			WHERE l.order_id = o.id AND l.bundle_product_id IS NOT NULL)
		AND (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id AND l.bundle_product_id IS NOT NULL) <> 2`); n != 0 {
		t.Errorf("%d bundle orders without exactly both parts", n)
	}
}
