package cart_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/testutil"
)

func TestUserCartID(t *testing.T) {
	t.Parallel()
	if got := cart.UserCartID(42); got != "u:42" {
		t.Fatalf("UserCartID(42) = %q", got)
	}
}

// products returns n active products without options, in stock (at least
// 20), of active enterprises.
func (e *env) products(t *testing.T, n int) []int64 {
	t.Helper()
	rows, err := e.pool.Query(context.Background(), `SELECT p.id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.stock BETWEEN 20 AND 500
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.id LIMIT $1`, n)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) != n {
		t.Fatalf("%d products, %v; want %d", len(ids), err, n)
	}
	return ids
}

func (e *env) add(t *testing.T, cartID string, k cart.Key, q int) {
	t.Helper()
	if err := e.svc.Add(context.Background(), cartID, k, q); err != nil {
		t.Fatalf("Add(%s, %v, %d): %v", cartID, k, q, err)
	}
}

func (e *env) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := e.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

// quantities returns the cart's quantities by key.
func (e *env) quantities(t *testing.T, cartID string) map[cart.Key]int {
	t.Helper()
	ls, err := e.store.Lines(context.Background(), cartID)
	if err != nil {
		t.Fatal(err)
	}
	q := map[cart.Key]int{}
	for _, l := range ls {
		q[l.Key] = l.Quantity
	}
	return q
}

func TestMergeMovesTheGuestCartIntoTheUsers(t *testing.T) {
	t.Parallel()
	for _, e := range newEnv(t).both(t) {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			guest, user := testutil.Name("g"), cart.UserCartID(1)
			p := e.products(t, 3)
			opt := e.optionProduct(t)
			e.add(t, guest, cart.Key{ProductID: p[0]}, 2)
			e.add(t, guest, cart.Key{ProductID: p[1]}, 1)
			e.add(t, guest, opt, 1)
			e.add(t, user, cart.Key{ProductID: p[0]}, 3)
			e.add(t, user, cart.Key{ProductID: p[2]}, 1)

			res, err := e.svc.Merge(ctx, guest, user)
			if err != nil {
				t.Fatal(err)
			}
			if res.Moved != 3 || len(res.Notices) != 0 {
				t.Fatalf("Merge = %+v, want 3 moved, no notices", res)
			}
			want := map[cart.Key]int{{ProductID: p[0]}: 5, {ProductID: p[1]}: 1, opt: 1, {ProductID: p[2]}: 1}
			if got := e.quantities(t, user); !reflect.DeepEqual(got, want) {
				t.Fatalf("user cart = %v, want %v", got, want)
			}
			if n, _ := e.svc.Count(ctx, guest); n != 0 {
				t.Fatalf("the guest cart still has %d lines", n)
			}
			if n, _ := testutil.RedisKeys(ctx, e.rdb, "*"+guest+"*"); len(n) != 0 {
				t.Fatalf("the guest cart is still there: %v", n)
			}

			// Run twice (a retried sign-in): nothing more happens.
			res, err = e.svc.Merge(ctx, guest, user)
			if err != nil || res.Moved != 0 || len(res.Notices) != 0 {
				t.Fatalf("second Merge = %+v, %v; want nothing", res, err)
			}
			if got := e.quantities(t, user); !reflect.DeepEqual(got, want) {
				t.Fatalf("user cart after the second merge = %v, want %v", got, want)
			}
			// The merged cart is an ordinary cart.
			if v, err := e.svc.View(ctx, user, ""); err != nil || len(v.Lines) != 4 || v.Blocked {
				t.Fatalf("View after merge: %v (%+v)", err, v)
			}

			// Nothing to merge: no guest cart, or the user's own.
			for _, from := range []string{"", testutil.Name("none"), user} {
				if res, err := e.svc.Merge(ctx, from, user); err != nil || res.Moved != 0 {
					t.Errorf("Merge(%q) = %+v, %v", from, res, err)
				}
			}
			if got := e.quantities(t, user); !reflect.DeepEqual(got, want) {
				t.Fatalf("user cart after merging nothing = %v, want %v", got, want)
			}
		})
	}
}

// TestMergeCapsQuantitiesAndSaysWhy covers each line that cannot move in
// full: stock, the per-line maximum, already at stock, sold out, no longer
// sold.
func TestMergeCapsQuantitiesAndSaysWhy(t *testing.T) {
	t.Parallel()
	for _, e := range newEnv(t).both(t) {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			guest, user := testutil.Name("g"), cart.UserCartID(2)
			p := e.products(t, 6)
			byStock, byMax, atStock, soldOut, hidden, fine := p[0], p[1], p[2], p[3], p[4], p[5]
			e.exec(t, `UPDATE products SET stock = 10 WHERE id = $1`, byStock)
			e.exec(t, `UPDATE products SET stock = 300 WHERE id = $1`, byMax)
			e.exec(t, `UPDATE products SET stock = 5 WHERE id = $1`, atStock)
			e.add(t, user, cart.Key{ProductID: byStock}, 8)
			e.add(t, user, cart.Key{ProductID: byMax}, 60)
			e.add(t, user, cart.Key{ProductID: atStock}, 5)
			e.add(t, guest, cart.Key{ProductID: byStock}, 5)
			e.add(t, guest, cart.Key{ProductID: byMax}, 60)
			e.add(t, guest, cart.Key{ProductID: atStock}, 1)
			e.add(t, guest, cart.Key{ProductID: soldOut}, 1)
			e.add(t, guest, cart.Key{ProductID: hidden}, 1)
			e.add(t, guest, cart.Key{ProductID: fine}, 2)
			e.exec(t, `UPDATE products SET stock = 0 WHERE id = $1`, soldOut)
			e.exec(t, `UPDATE products SET status = 'hidden' WHERE id = $1`, hidden)

			res, err := e.svc.Merge(ctx, guest, user)
			if err != nil {
				t.Fatal(err)
			}
			want := map[cart.Key]int{{ProductID: byStock}: 10, {ProductID: byMax}: cart.MaxQuantity, {ProductID: atStock}: 5,
				{ProductID: fine}: 2}
			if got := e.quantities(t, user); !reflect.DeepEqual(got, want) {
				t.Fatalf("user cart = %v, want %v", got, want)
			}
			if res.Moved != 3 {
				t.Errorf("moved = %d, want 3 (stock-capped, max-capped, fine)", res.Moved)
			}
			says := strings.Join(res.Notices, "\n")
			for _, want := range []string{"재고가 10개 남아 있어 10개로", fmt.Sprintf("%d개까지 담을 수 있어 %d개로", cart.MaxQuantity, cart.MaxQuantity),
				"이미 5개 있어", "품절되어", "더 이상 판매되지 않아"} {
				if !strings.Contains(says, want) {
					t.Errorf("notices lack %q:\n%s", want, says)
				}
			}
			if len(res.Notices) != 5 {
				t.Errorf("%d notices, want 5:\n%s", len(res.Notices), says)
			}
			if n, _ := e.svc.Count(ctx, guest); n != 0 {
				t.Fatalf("the guest cart still has %d lines", n)
			}
		})
	}
}

func TestMergeKeepsTheLineCap(t *testing.T) {
	t.Parallel()
	for _, e := range newEnv(t).both(t) {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			guest, user := testutil.Name("g"), cart.UserCartID(3)
			p := e.products(t, cart.MaxLines+2)
			for _, id := range p[:cart.MaxLines-1] {
				if err := e.store.Put(ctx, user, cart.Line{Key: cart.Key{ProductID: id}, Quantity: 1}); err != nil {
					t.Fatal(err)
				}
			}
			// One line the user has, and three new ones of which one fits.
			for _, id := range append([]int64{p[0]}, p[cart.MaxLines-1:]...) {
				e.add(t, guest, cart.Key{ProductID: id}, 1)
			}
			res, err := e.svc.Merge(ctx, guest, user)
			if err != nil {
				t.Fatal(err)
			}
			if res.Moved != 2 || len(res.Notices) != 2 {
				t.Fatalf("Merge = %+v, want 2 moved and 2 notices", res)
			}
			for _, n := range res.Notices {
				if !strings.Contains(n, fmt.Sprintf("%d종류까지", cart.MaxLines)) {
					t.Errorf("notice %q does not name the line cap", n)
				}
			}
			q := e.quantities(t, user)
			if len(q) != cart.MaxLines || q[cart.Key{ProductID: p[0]}] != 2 || q[cart.Key{ProductID: p[cart.MaxLines-1]}] != 1 {
				t.Fatalf("user cart = %v", q)
			}
		})
	}
}

// TestMergeUnderConcurrency merges guest carts while the user adds to the
// cart in another tab and a second sign-in merges the same guest cart: no
// add is lost and no guest line counts twice.
func TestMergeUnderConcurrency(t *testing.T) {
	t.Parallel()
	for _, e := range newEnv(t).both(t) {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			user := cart.UserCartID(4)
			const rounds = 12
			p := e.products(t, 2+rounds)
			g1, g2, extra := cart.Key{ProductID: p[0]}, cart.Key{ProductID: p[1]}, p[2:]
			for r := range rounds {
				guest := testutil.Name("g")
				e.add(t, guest, g1, 1)
				e.add(t, guest, g2, 1)
				var wg sync.WaitGroup
				errs := make(chan error, 3)
				moved := make(chan int, 2)
				for range 2 {
					wg.Go(func() {
						res, err := e.svc.Merge(ctx, guest, user)
						if err != nil {
							errs <- err
							return
						}
						moved <- res.Moved
					})
				}
				wg.Go(func() {
					if err := e.svc.Add(ctx, user, cart.Key{ProductID: extra[r]}, 1); err != nil {
						errs <- err
					}
				})
				wg.Wait()
				close(errs)
				close(moved)
				for err := range errs {
					t.Fatalf("round %d: %v", r, err)
				}
				if a, b := <-moved, <-moved; a+b != 2 {
					t.Fatalf("round %d: the two merges moved %d and %d lines, want 2 in all", r, a, b)
				}
			}
			q := e.quantities(t, user)
			if q[g1] != rounds || q[g2] != rounds {
				t.Errorf("guest lines = %d and %d, want %d each", q[g1], q[g2], rounds)
			}
			for r, id := range extra {
				if q[cart.Key{ProductID: id}] != 1 {
					t.Errorf("round %d: the concurrent add was lost", r)
				}
			}
		})
	}
}
