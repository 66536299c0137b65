package order_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/testutil"
)

func TestNewNumber(t *testing.T) {
	at := time.Date(2026, 11, 22, 16, 0, 0, 0, time.UTC) // 23 November in Korea
	re := regexp.MustCompile(`^D261123-[A-HJ-NP-Z2-9]{10}$`)
	seen := map[string]bool{}
	for range 1000 {
		n := order.NewNumber(at)
		if !re.MatchString(n) {
			t.Fatalf("number %q does not match %s", n, re)
		}
		if !order.ValidNumber(n) {
			t.Fatalf("ValidNumber(%q) = false", n)
		}
		seen[n] = true
	}
	if len(seen) < 999 {
		t.Errorf("only %d distinct numbers in 1000", len(seen))
	}
}

func TestOptionStockMovesWithItsProduct(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	var pid, oid int64
	var optName string
	err := e.pool.QueryRow(ctx, `SELECT p.id, o.id, o.name FROM products p JOIN product_options o ON o.product_id = p.id
		JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods' ORDER BY p.id, o.position LIMIT 1`).Scan(&pid, &oid, &optName)
	if err != nil {
		t.Fatalf("no product with options in the demo catalogue: %v", err)
	}
	e.exec(t, `UPDATE product_options SET stock = 5 WHERE product_id = $1`, pid)
	e.exec(t, `UPDATE products SET stock = (SELECT sum(stock) FROM product_options WHERE product_id = $1) WHERE id = $1`, pid)
	before := e.stock(t, pid)
	optStock := func() int { return e.count(t, `SELECT stock FROM product_options WHERE id = $1`, oid) }

	cartID := testutil.Name("cart")
	if err := e.carts.Add(ctx, cartID, cart.Key{ProductID: pid, OptionID: oid}, 4); err != nil {
		t.Fatal(err)
	}
	o, err := e.svc.Checkout(ctx, e.input(t, cartID))
	if err != nil {
		t.Fatalf("Checkout: %v", err)
	}
	if l := o.SubOrders[0].Lines[0]; l.OptionID != oid || l.OptionName != optName {
		t.Errorf("line = %+v, want option %d %s", l, oid, optName)
	}
	if optStock() != 1 || e.stock(t, pid) != before-4 {
		t.Errorf("option stock %d, product stock %d; want 1 and %d", optStock(), e.stock(t, pid), before-4)
	}

	// Two more than the option has left: the message names the option.
	cartID = testutil.Name("cart")
	if err := e.carts.Add(ctx, cartID, cart.Key{ProductID: pid, OptionID: oid}, 1); err != nil {
		t.Fatal(err)
	}
	in := e.input(t, cartID)
	e.exec(t, `UPDATE product_options SET stock = 0 WHERE id = $1`, oid)
	e.exec(t, `UPDATE products SET stock = stock - 1 WHERE id = $1`, pid)
	_, err = e.svc.Checkout(ctx, in)
	if msg := wantCode(t, err, apperr.Conflict).Message; !strings.Contains(msg, optName) || !strings.Contains(msg, "남은 수량: 0개") {
		t.Errorf("message = %q", msg)
	}
	e.exec(t, `UPDATE product_options SET stock = 1 WHERE id = $1`, oid)
	e.exec(t, `UPDATE products SET stock = stock + 1 WHERE id = $1`, pid)

	if err := e.svc.Cancel(ctx, o.Number, buyerPhone); err != nil {
		t.Fatal(err)
	}
	if optStock() != 5 || e.stock(t, pid) != before {
		t.Errorf("after cancel: option stock %d, product stock %d; want 5 and %d", optStock(), e.stock(t, pid), before)
	}
}

func TestRefundRetriedWhenTheProviderFailed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o := e.paidOrder(t, 1, p)
	e.provider.failRefunds.Store(1)
	if err := e.svc.Cancel(ctx, o.Number, buyerPhone); err != nil {
		t.Fatalf("Cancel: %v (the order is cancelled even when the refund must be retried)", err)
	}
	got := e.reload(t, o.Number)
	if got.Status != order.Cancelled || got.Payment.Status != order.PaymentSucceeded {
		t.Fatalf("order %s, payment %s; want cancelled with the refund pending", got.Status, got.Payment.Status)
	}
	if n := e.count(t, `SELECT count(*) FROM refunds WHERE provider_ref IS NULL`); n != 1 {
		t.Fatalf("pending refunds = %d, want 1", n)
	}
	svc := e.service(order.Config{RefundRetryAfter: time.Nanosecond})
	if n, err := svc.RetryRefunds(ctx); err != nil || n != 1 {
		t.Fatalf("RetryRefunds = %d, %v; want 1", n, err)
	}
	if got := e.reload(t, o.Number); got.Payment.Status != order.PaymentRefunded || got.Payment.RefundedAmount != o.Total {
		t.Errorf("payment = %+v, want refunded", got.Payment)
	}
	if n, err := svc.RetryRefunds(ctx); err != nil || n != 0 {
		t.Errorf("second RetryRefunds = %d, %v; want 0", n, err)
	}
}

func TestWorkerStopsWithItsContext(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p, _ := e.product(t, 10)
	o := e.checkout(t, 2, p)
	e.exec(t, `UPDATE orders SET reserved_until = now() - interval '1 second' WHERE number = $1`, o.Number)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		e.svc.RunWorker(ctx, time.Hour) // the first pass runs at once
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for e.reload(t, o.Number).Status != order.Cancelled {
		if time.Now().After(deadline) {
			t.Fatal("the worker did not expire the reservation")
		}
		time.Sleep(20 * time.Millisecond) // polling for the worker, not an assertion
	}
	cancel()
	<-done
	if s := e.stock(t, p); s != 10 {
		t.Errorf("stock = %d, want 10", s)
	}
}
