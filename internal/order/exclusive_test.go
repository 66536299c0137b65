package order_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/postgres"
)

// TestWorkersOnThreeInstancesSettleEachOrderOnce runs the order worker of
// three instances at once (each its own service, sharing the database as
// three processes do) over eight expired reservations: every order is
// cancelled once, its payment cancelled at the provider once (one Cancel
// call per order, not one per instance), and its stock returned once.
func TestWorkersOnThreeInstancesSettleEachOrderOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p, _ := e.product(t, 100)
	const n = 8
	var numbers []string
	for range n {
		o, _ := e.awaiting(t, 2, p)
		numbers = append(numbers, o.Number)
	}
	if s := e.stock(t, p); s != 100-2*n {
		t.Fatalf("stock = %d after %d orders of 2, want %d", s, n, 100-2*n)
	}
	for _, num := range numbers {
		e.expire(t, num, "1 minute")
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 3 {
		svc := e.service(order.Config{Exclusive: postgres.NewExclusive(e.pool)})
		wg.Add(1)
		go func() { defer wg.Done(); svc.RunWorker(ctx, 5*time.Millisecond) }()
	}
	deadline := time.Now().Add(20 * time.Second)
	for e.count(t, `SELECT count(*) FROM orders WHERE number = ANY($1) AND status = 'cancelled'`, numbers) < n && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // more passes: none may act again
	cancel()
	wg.Wait()

	if c := e.count(t, `SELECT count(*) FROM orders WHERE number = ANY($1) AND status = 'cancelled'`, numbers); c != n {
		t.Fatalf("%d of %d orders cancelled", c, n)
	}
	keys := e.provider.cancelKeys()
	slices.Sort(keys)
	want := make([]string, 0, n)
	for _, num := range numbers {
		want = append(want, order.CancelKey(num))
	}
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Errorf("payment cancellations sent = %v, want one per order %v", keys, want)
	}
	if ev := e.count(t, `SELECT count(*) FROM order_events v JOIN orders o ON o.id = v.order_id
		WHERE o.number = ANY($1) AND v.to_status = 'cancelled' AND v.sub_order_id IS NULL`, numbers); ev != n {
		t.Errorf("%d cancellation events, want %d", ev, n)
	}
	if s := e.stock(t, p); s != 100 {
		t.Errorf("stock = %d after expiry, want 100 (returned once)", s)
	}
}
