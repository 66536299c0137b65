package cart_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type env struct {
	name  string // the Redis deployment: single or cluster
	pool  *pgxpool.Pool
	rdb   goredis.UniversalClient
	store *redis.CartStore
	svc   *cart.Service
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	rdb, prefix := testutil.NewRedis(t)
	store := redis.NewCartStore(rdb, prefix)
	return &env{name: "single", pool: pool, rdb: rdb, store: store, svc: cart.NewService(store, postgres.NewCatalogStore(pool))}
}

// both returns e and a copy of it whose carts are on the private Redis
// Cluster (testutil.RedisClusterURL), on the same database.
func (e *env) both(t *testing.T) []*env {
	t.Helper()
	rdb, prefix := testutil.NewRedisAt(t, testutil.RedisClusterURL(t))
	store := redis.NewCartStore(rdb, prefix)
	return []*env{e, {name: "cluster", pool: e.pool, rdb: rdb, store: store, svc: cart.NewService(store, postgres.NewCatalogStore(e.pool))}}
}

// product finds an in-stock product without options, priced at least minPrice,
// from an enterprise other than those in skip.
func (e *env) product(t *testing.T, kind string, skip ...int64) (id, enterprise int64, stock int) {
	t.Helper()
	err := e.pool.QueryRow(context.Background(), `SELECT p.id, p.enterprise_id, p.stock FROM products p
		WHERE p.status = 'active' AND p.kind = $1 AND p.stock BETWEEN 5 AND 500
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		  AND NOT (p.enterprise_id = ANY($2))
		ORDER BY p.id LIMIT 1`, kind, append([]int64{0}, skip...)).Scan(&id, &enterprise, &stock)
	if err != nil {
		t.Fatalf("no %s product in the demo catalogue: %v", kind, err)
	}
	return id, enterprise, stock
}

func TestCartAddChangeRemoveGroupsByEnterprise(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	id := testutil.Name("c")
	p1, e1, _ := e.product(t, "goods")
	p2, e2, _ := e.product(t, "goods", e1)
	p3, _, _ := e.product(t, "goods", e1, e2)

	for _, p := range []int64{p1, p2, p3} {
		if err := e.svc.Add(ctx, id, cart.Key{ProductID: p}, 1); err != nil {
			t.Fatalf("Add(%d): %v", p, err)
		}
	}
	if err := e.svc.Add(ctx, id, cart.Key{ProductID: p1}, 2); err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.View(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Lines) != 3 || len(v.Price.Parts) != 3 {
		t.Fatalf("lines = %d, parts = %d; want 3 and 3", len(v.Lines), len(v.Price.Parts))
	}
	for _, l := range v.Lines {
		if l.ProductID == p1 && l.Quantity != 3 {
			t.Errorf("p1 quantity = %d, want 3 (1 + 2)", l.Quantity)
		}
	}
	if err := e.svc.SetQuantity(ctx, id, cart.Key{ProductID: p2}, 4); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetQuantity(ctx, id, cart.Key{ProductID: p3}, 0); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.svc.Count(ctx, id); n != 2 {
		t.Fatalf("count after removing one = %d, want 2", n)
	}
	if err := e.svc.Clear(ctx, id); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.svc.Count(ctx, id); n != 0 {
		t.Fatalf("count after clear = %d, want 0", n)
	}
}

func TestCartRejectsBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	id := testutil.Name("c")
	p, _, stock := e.product(t, "goods")
	if err := e.svc.Add(ctx, id, cart.Key{ProductID: p}, 1); err != nil {
		t.Fatal(err)
	}
	opt := e.optionProduct(t)
	before, err := e.store.Lines(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  cart.Key
		qty  int
		set  bool // SetQuantity rather than Add
		code string
	}{
		{"zero", cart.Key{ProductID: p}, 0, false, apperr.Invalid},
		{"negative", cart.Key{ProductID: p}, -3, false, apperr.Invalid},
		{"absurd", cart.Key{ProductID: p}, 1_000_000, false, apperr.Invalid},
		{"over stock", cart.Key{ProductID: p}, stock, false, apperr.Invalid}, // 1 already in the cart
		{"unknown product", cart.Key{ProductID: 987654321}, 1, false, apperr.NotFound},
		{"option missing", cart.Key{ProductID: opt.ProductID}, 1, false, apperr.Invalid},
		{"foreign option", cart.Key{ProductID: p, OptionID: opt.OptionID}, 1, false, apperr.Invalid},
		{"bad key", cart.Key{ProductID: -1}, 1, false, apperr.Invalid},
		{"set negative", cart.Key{ProductID: p}, -1, true, apperr.Invalid},
		{"set absurd", cart.Key{ProductID: p}, cart.MaxQuantity + 1, true, apperr.Invalid},
		{"set over stock", cart.Key{ProductID: p}, stock + 1, true, apperr.Invalid},
		{"set unknown product", cart.Key{ProductID: 987654321}, 1, true, apperr.NotFound},
		{"set a line not in the cart", cart.Key{ProductID: opt.ProductID, OptionID: opt.OptionID}, 1, true, apperr.NotFound},
	}
	// Each refusal through the plain change and through the one that answers
	// the view (the JSON API's).
	for _, tt := range tests {
		var plain error
		var v *cart.View
		var viewed error
		if tt.set {
			plain = e.svc.SetQuantity(ctx, id, tt.key, tt.qty)
			v, viewed = e.svc.SetQuantityView(ctx, id, tt.key, tt.qty, "")
		} else {
			plain = e.svc.Add(ctx, id, tt.key, tt.qty)
			v, viewed = e.svc.AddView(ctx, id, tt.key, tt.qty, "")
		}
		for _, err := range []error{plain, viewed} {
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != tt.code || ae.Message == "" {
				t.Errorf("%s: %v, want %s with a message", tt.name, err, tt.code)
			}
		}
		if v != nil {
			t.Errorf("%s: a view came with the refusal", tt.name)
		}
	}
	after, err := e.store.Lines(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, before) {
		t.Fatalf("cart after bad input = %+v, want %+v", after, before)
	}
}

func TestCartTTLRefreshedOnUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	id := testutil.Name("c")
	p, _, _ := e.product(t, "goods")
	if err := e.svc.Add(ctx, id, cart.Key{ProductID: p}, 1); err != nil {
		t.Fatal(err)
	}
	keys, err := testutil.RedisKeys(ctx, e.rdb, "*"+id)
	if err != nil || len(keys) != 1 {
		t.Fatalf("cart keys = %v, %v", keys, err)
	}
	// Shorten the TTL as if the cart were a month old, then use it.
	e.rdb.Expire(ctx, keys[0], time.Minute)
	if _, err := e.svc.View(ctx, id, ""); err != nil {
		t.Fatal(err)
	}
	ttl := e.rdb.TTL(ctx, keys[0]).Val()
	if ttl < cart.TTL-time.Minute || ttl > cart.TTL {
		t.Fatalf("TTL after use = %v, want about %v", ttl, cart.TTL)
	}
}

func TestCartReportsPriceChangeAndSoldOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	id := testutil.Name("c")
	p1, e1, _ := e.product(t, "goods")
	p2, _, _ := e.product(t, "goods", e1)
	for _, p := range []int64{p1, p2} {
		if err := e.svc.Add(ctx, id, cart.Key{ProductID: p}, 2); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.pool.Exec(ctx, `UPDATE products SET consumer_price = consumer_price + 1000 WHERE id = $1`, p1); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `UPDATE products SET stock = 0 WHERE id = $1`, p2); err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.View(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Blocked {
		t.Error("a sold-out line must block checkout")
	}
	for _, l := range v.Lines {
		switch l.ProductID {
		case p1:
			if !l.Orderable || l.Notice == "" {
				t.Errorf("price change: orderable=%v notice=%q; want orderable with a notice", l.Orderable, l.Notice)
			}
		case p2:
			if l.Orderable || l.Notice == "" {
				t.Errorf("sold out: orderable=%v notice=%q; want blocked with a notice", l.Orderable, l.Notice)
			}
		}
	}
	if len(v.Price.Parts) != 1 {
		t.Errorf("priced parts = %d, want 1 (the sold-out line is not priced)", len(v.Price.Parts))
	}
	// The price change is said once; the next view is quiet about it.
	v, err = e.svc.View(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range v.Lines {
		if l.ProductID == p1 && l.Notice != "" {
			t.Errorf("second view notice = %q, want none", l.Notice)
		}
	}
}

func TestCartSurvivesRedisRestart(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	srv := testutil.StartRedis(t)
	rdb := goredis.NewClient(&goredis.Options{Addr: srv.Addr})
	defer rdb.Close()
	store := redis.NewCartStore(rdb, "")
	svc := cart.NewService(store, postgres.NewCatalogStore(pool))
	ctx := context.Background()
	e := &env{pool: pool}
	p, _, _ := e.product(t, "goods")
	if err := svc.Add(ctx, "kept", cart.Key{ProductID: p}, 3); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	srv.Start()
	lines, err := store.Lines(ctx, "kept")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].Quantity != 3 {
		t.Fatalf("cart after restart = %+v, want the line with 3", lines)
	}
}

// optionProduct finds an active option (stock 5 to 500) of an active product.
func (e *env) optionProduct(t *testing.T) cart.Key {
	t.Helper()
	var k cart.Key
	err := e.pool.QueryRow(context.Background(), `SELECT o.product_id, o.id FROM product_options o
		JOIN products p ON p.id = o.product_id JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND o.stock BETWEEN 5 AND 500
		ORDER BY o.id LIMIT 1`).Scan(&k.ProductID, &k.OptionID)
	if err != nil {
		t.Fatalf("no product with options in the demo catalogue: %v", err)
	}
	return k
}

// twinCarts fills two carts alike (lines of several enterprises and an
// option), then changes the catalogue under them so that the next view has
// something to say: a price up, a line sold out, a product no longer sold.
// It returns the carts, the key of a line still orderable, and a product in
// stock that neither holds.
func (e *env) twinCarts(t *testing.T) (a, b string, held cart.Key, fresh int64) {
	t.Helper()
	ctx := context.Background()
	a, b = testutil.Name("a"), testutil.Name("b")
	p1, e1, _ := e.product(t, "goods")
	p2, e2, _ := e.product(t, "goods", e1)
	p3, e3, _ := e.product(t, "goods", e1, e2)
	p4, _, _ := e.product(t, "goods", e1, e2, e3)
	opt := e.optionProduct(t)
	for _, id := range []string{a, b} {
		for _, k := range []cart.Key{{ProductID: p1}, {ProductID: p2}, {ProductID: p3}, opt} {
			if err := e.svc.Add(ctx, id, k, 2); err != nil {
				t.Fatalf("Add(%v): %v", k, err)
			}
		}
	}
	for _, u := range []struct {
		sql string
		id  int64
	}{
		{`UPDATE products SET consumer_price = consumer_price + 1000 WHERE id = $1`, p1},
		{`UPDATE products SET stock = 0 WHERE id = $1`, p2},
		{`UPDATE products SET status = 'hidden' WHERE id = $1`, p3},
	} {
		if _, err := e.pool.Exec(ctx, u.sql, u.id); err != nil {
			t.Fatal(err)
		}
	}
	return a, b, opt, p4
}

// TestChangeViewIsTheViewAfterTheChange checks that AddView and
// SetQuantityView answer exactly what Add or SetQuantity followed by View
// answer, notices included, and leave the cart as they leave it.
func TestChangeViewIsTheViewAfterTheChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a, b, held, fresh := e.twinCarts(t)
	steps := []struct {
		name   string
		change func(cartID string) error
		view   func(cartID string) (*cart.View, error)
	}{
		{"add a new line",
			func(id string) error { return e.svc.Add(ctx, id, cart.Key{ProductID: fresh}, 3) },
			func(id string) (*cart.View, error) { return e.svc.AddView(ctx, id, cart.Key{ProductID: fresh}, 3, "") }},
		{"add to a line, remote postcode",
			func(id string) error { return e.svc.Add(ctx, id, held, 1) },
			func(id string) (*cart.View, error) { return e.svc.AddView(ctx, id, held, 1, "63000") }},
		{"set a quantity",
			func(id string) error { return e.svc.SetQuantity(ctx, id, cart.Key{ProductID: fresh}, 5) },
			func(id string) (*cart.View, error) {
				return e.svc.SetQuantityView(ctx, id, cart.Key{ProductID: fresh}, 5, "")
			}},
		{"set a quantity to 0",
			func(id string) error { return e.svc.SetQuantity(ctx, id, held, 0) },
			func(id string) (*cart.View, error) { return e.svc.SetQuantityView(ctx, id, held, 0, "") }},
	}
	for i, st := range steps {
		postcode := ""
		if i == 1 {
			postcode = "63000"
		}
		if err := st.change(a); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		want, err := e.svc.View(ctx, a, postcode)
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.view(b)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if i == 0 && (len(got.Notices) == 0 || !got.Blocked) {
			t.Errorf("%s: the first answer says nothing of the catalogue's changes: %+v", st.name, got)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the answer differs from the view after the change:\n got %s\nwant %s", st.name, describe(got), describe(want))
		}
		// The notices were said once by both: the carts are alike again.
		va, err := e.svc.View(ctx, a, "")
		if err != nil {
			t.Fatal(err)
		}
		vb, err := e.svc.View(ctx, b, "")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(va, vb) {
			t.Errorf("%s: the carts differ after the change:\n got %s\nwant %s", st.name, describe(vb), describe(va))
		}
	}
}

// describe prints what a view says, for failures.
func describe(v *cart.View) string {
	s := fmt.Sprintf("notices %q blocked %v total %d;", v.Notices, v.Blocked, v.Price.Total)
	for _, l := range v.Lines {
		s += fmt.Sprintf(" [%d-%d ×%d %d원 %q]", l.ProductID, l.OptionID, l.Quantity, l.UnitPrice, l.Notice)
	}
	return s
}

// TestCartHoldsAtMostMaxLines fills a cart to MaxLines: a new line is then
// refused, while a line already held can still grow.
func TestCartHoldsAtMostMaxLines(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	id := testutil.Name("c")
	rows, err := e.pool.Query(ctx, `SELECT p.id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.stock >= 5
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.id LIMIT $1`, cart.MaxLines+1)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) != cart.MaxLines+1 {
		t.Fatalf("%d products, %v; want %d", len(ids), err, cart.MaxLines+1)
	}
	for _, p := range ids[:cart.MaxLines] {
		if err := e.svc.Add(ctx, id, cart.Key{ProductID: p}, 1); err != nil {
			t.Fatalf("Add(%d): %v", p, err)
		}
	}
	if _, err := e.svc.AddView(ctx, id, cart.Key{ProductID: ids[cart.MaxLines]}, 1, ""); apperr.Code(err) != apperr.Invalid {
		t.Errorf("adding line %d = %v, want Invalid", cart.MaxLines+1, err)
	}
	v, err := e.svc.AddView(ctx, id, cart.Key{ProductID: ids[0]}, 1, "")
	if err != nil {
		t.Fatalf("adding to a line of a full cart: %v", err)
	}
	if len(v.Lines) != cart.MaxLines {
		t.Errorf("view of the full cart has %d lines, want %d", len(v.Lines), cart.MaxLines)
	}
}
