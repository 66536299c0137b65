package meilisearch_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dure-coop/dure/internal/search"
)

// runWorker runs the outbox worker until the test ends.
func runWorker(t *testing.T, e *env) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := e.indexer.Run(ctx); err != nil {
			t.Errorf("worker: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// write runs SQL and adds an outbox row in one transaction, as the
// catalogue's writers do.
func (e *env) write(t *testing.T, entity string, id int64, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	tx, err := e.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO search_outbox (entity, entity_id) VALUES ($1, $2)`, entity, id); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestOutboxSync(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	runWorker(t, e)
	found := func(text string) []int64 {
		res, err := e.client.Search(context.Background(), q(text))
		if err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
		return sorted(ids(res))
	}

	t.Run("product update", func(t *testing.T) {
		start := time.Now()
		e.write(t, search.EntityProduct, e.fx.Products["Toothbrush"],
			`UPDATE products SET name = '대나무 칫솔 가족세트', updated_at = now() WHERE id = $1`, e.fx.Products["Toothbrush"])
		eventually(t, "the renamed product is found first", func() bool {
			res, err := e.client.Search(context.Background(), q("가족세트"))
			return err == nil && len(res.Hits) > 0 && res.Hits[0].Name == "대나무 칫솔 가족세트"
		})
		t.Logf("product update searchable after %s", time.Since(start).Round(time.Millisecond))
	})

	t.Run("new product", func(t *testing.T) {
		var id int64
		err := e.pool.QueryRow(context.Background(), `INSERT INTO products (external_id, enterprise_id, category_id, kind,
				name, tax_type, consumer_price, public_price, stock)
			VALUES ('prod-new', $1, $2, 'goods', '유기농 현미 누룽지', 'taxable', 7000, 6300, 5) RETURNING id`,
			e.fx.Enterprises["hope_self"], e.fx.Categories["processed"]).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		e.write(t, search.EntityProduct, id, `SELECT 1`)
		eventually(t, "the new product is found", func() bool { return slices.Equal(found("누룽지"), []int64{id}) })
	})

	t.Run("enterprise rename reaches all its products", func(t *testing.T) {
		ent := e.fx.Enterprises["clean_coop"]
		e.write(t, search.EntityEnterprise, ent, `UPDATE enterprises SET name = '반짝반짝 사회적협동조합' WHERE id = $1`, ent)
		eventually(t, "both products carry the new enterprise name", func() bool {
			res, err := e.client.Search(context.Background(), q("반짝반짝"))
			if err != nil || !slices.Equal(sorted(ids(res)), e.set("OfficeCleaning", "Disinfection")) {
				return false
			}
			for _, h := range res.Hits {
				if h.EnterpriseName != "반짝반짝 사회적협동조합" {
					return false
				}
			}
			return true
		})
	})

	t.Run("category rename reaches its subtree", func(t *testing.T) {
		cat := e.fx.Categories["household"]
		e.write(t, search.EntityCategory, cat, `UPDATE categories SET name = '살림살이' WHERE id = $1`, cat)
		eventually(t, "products below the renamed category are found by its name", func() bool {
			return slices.Equal(found("살림살이"), e.set("DishSoap", "LaundrySoap", "Toothbrush"))
		})
	})

	t.Run("hidden product disappears", func(t *testing.T) {
		id := e.fx.Products["AppleJam"]
		e.write(t, search.EntityProduct, id, `UPDATE products SET status = 'hidden' WHERE id = $1`, id)
		eventually(t, "the hidden product is gone", func() bool {
			return slices.Equal(found("사과"), e.set("Apple", "AppleJuice"))
		})
	})

	t.Run("suspended enterprise's products disappear", func(t *testing.T) {
		ent := e.fx.Enterprises["green_share"]
		e.write(t, search.EntityEnterprise, ent, `UPDATE enterprises SET status = 'suspended' WHERE id = $1`, ent)
		eventually(t, "its products are gone", func() bool { return len(found("세탁세제")) == 0 })
	})

	t.Run("metrics", func(t *testing.T) {
		if n := promtest.ToFloat64(e.metrics.OutboxApplied); n < float64(e.fx.Indexable) {
			t.Errorf("OutboxApplied = %v, want at least %d", n, e.fx.Indexable)
		}
		eventually(t, "the backlog gauge reads 0", func() bool {
			return promtest.ToFloat64(e.metrics.OutboxBacklog) == 0 && promtest.ToFloat64(e.metrics.OutboxLagSeconds) == 0
		})
	})
}

// TestOutboxWorkersShare runs several workers on one outbox: each row is
// applied (SKIP LOCKED lets them share), and the outbox ends empty.
func TestOutboxWorkersShare(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `INSERT INTO search_outbox (entity, entity_id)
		SELECT 'product', id FROM products CROSS JOIN generate_series(1, 30)`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ix := *e.indexer
			ix.BatchSize = 25
			_, err := ix.Drain(ctx)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Drain: %v", err)
		}
	}
	var left int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM search_outbox`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("outbox rows left: %d (%v)", left, err)
	}
	if n, err := e.client.Count(ctx); err != nil || n != e.fx.Indexable {
		t.Fatalf("index holds %d documents (%v), want %d", n, err, e.fx.Indexable)
	}
}
