package order_test

import (
	"context"
	"sync"
	"testing"

	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/testutil"
)

// Two tabs open the checkout of one cart (two forms, two checkout keys)
// and submit at once: one order, one reservation; both tabs are sent to
// it. A third tab submitting after the cart was cleared is sent there too.
func TestTwoTabsOneCartOneOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p, _ := e.product(t, 50)
	id := e.fill(t, 3, p)
	tabs := []string{}
	for range 4 {
		in := e.input(t, id)
		tabs = append(tabs, in.CheckoutKey)
	}
	base := e.input(t, id)
	numbers := make([]string, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := base
			in.CheckoutKey = tabs[i]
			o, err := e.svc.Checkout(context.Background(), in)
			if err != nil {
				t.Errorf("tab %d: %v", i, err)
				return
			}
			numbers[i] = o.Number
		}()
	}
	wg.Wait()
	if numbers[0] == "" || numbers[0] != numbers[1] || numbers[1] != numbers[2] {
		t.Fatalf("three tabs made orders %v, want one", numbers)
	}
	if s := e.stock(t, p); s != 47 {
		t.Errorf("stock = %d, want 47 (3 reserved once)", s)
	}
	if n := e.count(t, `SELECT count(*) FROM orders`); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}

	// The cart is empty now: a late tab is sent to the order, not told
	// the cart is empty.
	late := base
	late.CheckoutKey = tabs[3]
	o, err := e.svc.Checkout(context.Background(), late)
	if err != nil || o.Number != numbers[0] {
		t.Fatalf("late tab: %v, %v; want order %s", o, err, numbers[0])
	}
}

// Another cart, or the same cart with other lines, makes an order of its
// own: the match is one cart and the same lines.
func TestOtherCartOrLinesMakeAnotherOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p, _ := e.product(t, 50)
	first := e.checkout(t, 2, p)
	other := e.checkout(t, 2, p) // another cart, same lines
	if other.Number == first.Number {
		t.Fatalf("two carts made one order %s", first.Number)
	}

	id := e.fill(t, 1, p)
	one, err := e.svc.Checkout(context.Background(), e.input(t, id))
	if err != nil {
		t.Fatal(err)
	}
	// The buyer fills the same cart again with more, and checks out.
	if err := e.carts.Add(context.Background(), id, cart.Key{ProductID: p}, 4); err != nil {
		t.Fatal(err)
	}
	in := e.input(t, id)
	in.CheckoutKey = testutil.Name("tab")
	two, err := e.svc.Checkout(context.Background(), in)
	if err != nil || two.Number == one.Number {
		t.Fatalf("a changed cart: %v, %v; want a new order beside %s", two, err, one.Number)
	}
	if s := e.stock(t, p); s != 50-2-2-1-4 {
		t.Errorf("stock = %d, want %d", s, 50-2-2-1-4)
	}
}
