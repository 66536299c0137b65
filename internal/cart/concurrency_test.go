package cart_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/testutil"
)

// stocked returns n active goods of active enterprises without options, their
// stock set to stock.
func (e *env) stocked(t *testing.T, n, stock int) []int64 {
	t.Helper()
	rows, err := e.pool.Query(context.Background(), `UPDATE products SET stock = $2 WHERE id IN (
		SELECT p.id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.id LIMIT $1) RETURNING id`, n, stock)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil || len(ids) != n {
		t.Fatalf("%d products, %v; want %d", len(ids), err, n)
	}
	return ids
}

// together runs n calls of f at once (each starts when all are ready) and
// returns their errors by index.
func together(n int, f func(i int) error) []error {
	errs := make([]error, n)
	var ready, wg sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	for i := range n {
		wg.Go(func() {
			ready.Done()
			<-start
			errs[i] = f(i)
		})
	}
	ready.Wait()
	close(start)
	wg.Wait()
	return errs
}

// adder is Add, or AddView answering the view, as the JSON API calls it.
type adder struct {
	name string
	add  func(e *env, cartID string, k cart.Key, q int) error
}

var adders = []adder{
	{"Add", func(e *env, id string, k cart.Key, q int) error { return e.svc.Add(context.Background(), id, k, q) }},
	{"AddView", func(e *env, id string, k cart.Key, q int) error {
		_, err := e.svc.AddView(context.Background(), id, k, q, "")
		return err
	}},
}

// TestConcurrentAddsOfOneProductAreAllCounted sends 20 "+1" at once to a
// line holding 1: every add answered yes is in the quantity, and stock caps
// it exactly, the others refused with the stock message.
func TestConcurrentAddsOfOneProductAreAllCounted(t *testing.T) {
	t.Parallel()
	for _, e := range newEnv(t).both(t) {
		t.Run(e.name, func(t *testing.T) {
			const adds = 20
			ids := e.stocked(t, 2, 100)
			e.exec(t, `UPDATE products SET stock = 10 WHERE id = $1`, ids[1])
			for _, a := range adders {
				for _, tt := range []struct {
					product int64
					stock   int
					want    int
				}{{ids[0], 100, 1 + adds}, {ids[1], 10, 10}} {
					t.Run(fmt.Sprintf("%s/stock %d", a.name, tt.stock), func(t *testing.T) {
						id := testutil.Name("c")
						k := cart.Key{ProductID: tt.product}
						e.add(t, id, k, 1)
						errs := together(adds, func(int) error { return a.add(e, id, k, 1) })
						ok := 0
						for _, err := range errs {
							switch {
							case err == nil:
								ok++
							case apperr.Code(err) != apperr.Invalid || !strings.Contains(err.Error(), "재고가 10개 남아 있어"):
								t.Errorf("refusal = %v, want Invalid saying the stock", err)
							}
						}
						got := e.quantities(t, id)[k]
						if got != tt.want || got != 1+ok {
							t.Fatalf("quantity = %d after %d of %d adds answered yes, want %d", got, ok, adds, tt.want)
						}
					})
				}
			}
		})
	}
}

// TestConcurrentAddsKeepTheLineCap adds 79 different products at once to a
// cart holding one line: it ends with exactly MaxLines lines, and every add
// past them is refused with the line-cap message.
func TestConcurrentAddsKeepTheLineCap(t *testing.T) {
	t.Parallel()
	for _, e := range newEnv(t).both(t) {
		t.Run(e.name, func(t *testing.T) {
			const adds = 79
			ids := e.stocked(t, 1+adds, 100)
			id := testutil.Name("c")
			e.add(t, id, cart.Key{ProductID: ids[0]}, 1)
			errs := together(adds, func(i int) error { return adders[i%2].add(e, id, cart.Key{ProductID: ids[1+i]}, 1) })
			ok, capped := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case apperr.Code(err) == apperr.Invalid && strings.Contains(err.Error(), fmt.Sprintf("%d종류까지", cart.MaxLines)):
					capped++
				default:
					t.Errorf("refusal = %v, want Invalid saying the line cap", err)
				}
			}
			q := e.quantities(t, id)
			if len(q) != cart.MaxLines || ok != cart.MaxLines-1 || capped != adds-ok {
				t.Fatalf("%d lines, %d adds answered yes, %d refused for the cap; want %d, %d, %d",
					len(q), ok, capped, cart.MaxLines, cart.MaxLines-1, adds-cart.MaxLines+1)
			}
			if n, err := e.svc.Count(context.Background(), id); err != nil || n != cart.MaxLines {
				t.Fatalf("Count = %d, %v; want %d", n, err, cart.MaxLines)
			}
		})
	}
}

// TestSetQuantityRacingAddNeverExceedsStock mixes "+1" adds with quantities
// set near the stock, round after round: the line never holds more than the
// stock, and a set that is answered yes is not undone by a stale add.
func TestSetQuantityRacingAddNeverExceedsStock(t *testing.T) {
	t.Parallel()
	for _, e := range newEnv(t).both(t) {
		t.Run(e.name, func(t *testing.T) {
			const stock = 10
			k := cart.Key{ProductID: e.stocked(t, 1, stock)[0]}
			ctx := context.Background()
			for round := range 10 {
				id := testutil.Name("c")
				e.add(t, id, k, 1)
				errs := together(24, func(i int) error {
					switch i % 3 {
					case 0:
						return e.svc.SetQuantity(ctx, id, k, stock-i%4)
					case 1:
						_, err := e.svc.SetQuantityView(ctx, id, k, stock-i%4, "")
						return err
					}
					return adders[i%2].add(e, id, k, 1)
				})
				for _, err := range errs {
					if err != nil && apperr.Code(err) != apperr.Invalid {
						t.Fatalf("round %d: %v", round, err)
					}
				}
				if got := e.quantities(t, id)[k]; got < 1 || got > stock {
					t.Fatalf("round %d: quantity = %d, want 1 to %d", round, got, stock)
				}
			}
		})
	}
}

// TestSetQuantityRacingRemoveLeavesTheLineOut changes and removes a line at
// once: whichever comes first, the line is out afterwards (a change that
// comes second finds no line; it never puts the removed line back).
func TestSetQuantityRacingRemoveLeavesTheLineOut(t *testing.T) {
	t.Parallel()
	for _, e := range newEnv(t).both(t) {
		t.Run(e.name, func(t *testing.T) {
			k := cart.Key{ProductID: e.stocked(t, 1, 100)[0]}
			ctx := context.Background()
			for round := range 30 {
				id := testutil.Name("c")
				e.add(t, id, k, 1)
				errs := together(2, func(i int) error {
					if i == 0 {
						return e.svc.SetQuantity(ctx, id, k, 3)
					}
					return e.svc.Remove(ctx, id, k)
				})
				if err := errs[0]; err != nil && apperr.Code(err) != apperr.NotFound {
					t.Fatalf("round %d: SetQuantity = %v, want nil or NotFound", round, err)
				}
				if errs[1] != nil {
					t.Fatal(errs[1])
				}
				if q := e.quantities(t, id); len(q) != 0 {
					t.Fatalf("round %d: the removed line came back: %v", round, q)
				}
			}
		})
	}
}

// TestViewRacingAddLosesNoAdd views a cart whose price changed (the view
// then remembers the price as seen) while "+1" is added to the line: the add
// is kept.
func TestViewRacingAddLosesNoAdd(t *testing.T) {
	t.Parallel()
	for _, e := range newEnv(t).both(t) {
		t.Run(e.name, func(t *testing.T) {
			k := cart.Key{ProductID: e.stocked(t, 1, 500)[0]}
			ctx := context.Background()
			id := testutil.Name("c")
			e.add(t, id, k, 1)
			for round := range 30 {
				e.exec(t, `UPDATE products SET consumer_price = consumer_price + 10 WHERE id = $1`, k.ProductID)
				errs := together(2, func(i int) error {
					if i == 0 {
						_, err := e.svc.View(ctx, id, "")
						return err
					}
					return e.svc.Add(ctx, id, k, 1)
				})
				for _, err := range errs {
					if err != nil {
						t.Fatal(err)
					}
				}
				if got := e.quantities(t, id)[k]; got != round+2 {
					t.Fatalf("round %d: quantity = %d, want %d", round, got, round+2)
				}
			}
		})
	}
}
