package meilisearch_test

import (
	"context"
	"slices"
	"testing"
	"time"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"
	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// TestResultCacheFollowsTheIndex: with the Redis result cache wired as
// cmd/dure wires it (the worker records each change's cards and bumps the
// versions it invalidates, a reindex resets after its swap), a cached search
// shows a change as soon as the index does, and a reindex invalidates too.
func TestResultCacheFollowsTheIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	rdb, prefix := testutil.NewRedis(t)
	cache := redis.NewSearchCache(rdb, prefix)
	e.indexer.Applied, e.indexer.Invalidate = cache.Apply, cache.Reset
	svc := search.NewService(e.client, postgres.NewSearchFallback(e.pool), 2*time.Second, e.metrics, nil).WithCache(cache)
	runWorker(t, e)
	ctx := context.Background()
	names := func(text string) []string {
		res, err := svc.Search(ctx, q(text))
		if err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.Name)
		}
		return out
	}
	before := names("꿀사과")
	if !slices.Contains(before, "청송 꿀사과 5kg") {
		t.Fatalf("꿀사과 = %v", before)
	}
	id := e.fx.Products["Apple"]
	e.write(t, search.EntityProduct, id, `UPDATE products SET name = '청송 꿀사과 3kg', updated_at = now() WHERE id = $1`, id)
	eventually(t, "the cached search shows the renamed product", func() bool {
		return slices.Contains(names("꿀사과"), "청송 꿀사과 3kg")
	})

	// A reindex from PostgreSQL (here after a change made without an outbox
	// row, which only a reindex picks up) also invalidates.
	if _, err := e.pool.Exec(ctx, `UPDATE products SET name = '청송 꿀사과 2kg' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if got := names("꿀사과"); !slices.Contains(got, "청송 꿀사과 3kg") {
		t.Fatalf("before the reindex = %v; want the cached 3kg", got)
	}
	if _, err := e.indexer.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := names("꿀사과"); !slices.Contains(got, "청송 꿀사과 2kg") {
		t.Errorf("after the reindex = %v; want 2kg", got)
	}
}

// TestResultCacheSurvivesStockChanges: a change of stock count or public
// price leaves every cached list in place, and a consumer price change
// those that do not sort or filter by price, while the cached pages show
// the new price at once (the hits' cards are read with the result); a
// product selling out, a rename or a price change under the price sort
// invalidate what they must.
func TestResultCacheSurvivesStockChanges(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	rdb, prefix := testutil.NewRedis(t)
	cache := redis.NewSearchCache(rdb, prefix)
	e.indexer.Applied, e.indexer.Invalidate = cache.Apply, cache.Reset
	svc := search.NewService(e.client, postgres.NewSearchFallback(e.pool), 2*time.Second, e.metrics, nil).WithCache(cache)
	runWorker(t, e)
	ctx := context.Background()
	id := e.fx.Products["Apple"]
	hits := func() float64 { return promtest.ToFloat64(e.metrics.SearchCacheHits) }
	apple := func(q search.Query) search.Hit {
		t.Helper()
		res, err := svc.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		for _, h := range res.Hits {
			if h.ProductID == id {
				return h
			}
		}
		t.Fatalf("%+v: no 청송 꿀사과 among %v", q, ids(res))
		return search.Hit{}
	}
	// applied waits until the worker has applied every outbox row.
	applied := func() {
		t.Helper()
		eventually(t, "the worker applied the change", func() bool {
			var n int
			err := e.pool.QueryRow(ctx, `SELECT count(*) FROM search_outbox`).Scan(&n)
			return err == nil && n == 0
		})
	}
	relevance, byPrice := q("사과"), q("사과")
	byPrice.Sort = search.SortPriceAsc
	// The worker has written every product's card once (a first change of
	// a product the cache has no card of invalidates everything).
	e.write(t, search.EntityProduct, id, `UPDATE products SET stock = 30 WHERE id = $1`, id)
	applied()
	apple(relevance)
	apple(byPrice)

	before := hits()
	e.write(t, search.EntityProduct, id, `UPDATE products SET stock = 29 WHERE id = $1`, id)
	e.write(t, search.EntityProduct, id, `UPDATE products SET public_price = 33000 WHERE id = $1`, id)
	applied()
	if h := apple(relevance); !h.InStock || h.PublicPrice != 33000 {
		t.Errorf("after a sale: %+v; want in stock at public price 33,000원", h)
	}
	apple(byPrice)
	if got := hits() - before; got != 2 {
		t.Errorf("after a stock and a public price change %v of 2 searches hit the cache; want both", got)
	}

	// A consumer price change: shown at once on the cached relevance page
	// (a hit), the price-sorted list computed again (a miss).
	before = hits()
	e.write(t, search.EntityProduct, id, `UPDATE products SET consumer_price = 36000 WHERE id = $1`, id)
	applied()
	if h := apple(relevance); h.ConsumerPrice != 36000 {
		t.Errorf("the cached relevance page shows %d원; want 36,000원 at once", h.ConsumerPrice)
	}
	if got := hits() - before; got != 1 {
		t.Errorf("the relevance page after a price change: %v hits; want 1", got)
	}
	before = hits()
	if h := apple(byPrice); h.ConsumerPrice != 36000 {
		t.Errorf("price sort shows %d원", h.ConsumerPrice)
	}
	if got := hits() - before; got != 0 {
		t.Errorf("the price-sorted list after a price change was a hit; want it computed again")
	}

	// Selling out changes the relevance order (sold-out last among equals)
	// and the in-stock filter: every list is computed again, and shows it.
	before = hits()
	e.write(t, search.EntityProduct, id, `UPDATE products SET stock = 0 WHERE id = $1`, id)
	applied()
	if h := apple(relevance); h.InStock {
		t.Errorf("sold out, the list still says in stock")
	}
	if got := hits() - before; got != 0 {
		t.Errorf("after selling out the relevance page was a hit; want it computed again")
	}

	// A rename invalidates.
	e.write(t, search.EntityProduct, id, `UPDATE products SET name = '청송 꿀사과 4kg', stock = 10 WHERE id = $1`, id)
	applied()
	before = hits()
	if h := apple(relevance); h.Name != "청송 꿀사과 4kg" {
		t.Errorf("after a rename the list shows %q", h.Name)
	}
	if got := hits() - before; got != 0 {
		t.Errorf("after a rename the relevance page was a hit; want it computed again")
	}
}

// TestResultCacheRestsWhileRedisIsDown: with the cache's Redis gone, every
// search still answers (from Meilisearch), and after the first failed cache
// call the cache is left alone for a while — the next searches do not each
// ask it (and wait for it) — so a Redis outage does not slow search.
func TestResultCacheRestsWhileRedisIsDown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	r := testutil.StartRedis(t)
	rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr, MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	cache := redis.NewSearchCache(rdb, testutil.Name("sc")+":")
	svc := search.NewService(e.client, postgres.NewSearchFallback(e.pool), 2*time.Second, e.metrics, nil).WithCache(cache)
	ctx := context.Background()
	asked := func() float64 {
		return promtest.ToFloat64(e.metrics.SearchCacheHits) + promtest.ToFloat64(e.metrics.SearchCacheMisses)
	}
	if res, err := svc.Search(ctx, q("사과")); err != nil || len(res.Hits) == 0 {
		t.Fatalf("with Redis: %v, %v", res, err)
	}
	if res, err := svc.Search(ctx, q("사과")); err != nil || len(res.Hits) == 0 || asked() != 2 ||
		promtest.ToFloat64(e.metrics.SearchCacheHits) != 1 {
		t.Fatalf("the second search was not a cache hit (%v asked, %v)", asked(), err)
	}

	r.Kill()
	before := asked()
	for i := range 10 {
		res, err := svc.Search(ctx, q("사과"))
		if err != nil || len(res.Hits) == 0 || res.Degraded {
			t.Fatalf("search %d with Redis down: %v, %v", i, res, err)
		}
	}
	if n := asked() - before; n != 1 {
		t.Errorf("the cache was asked %v times in 10 searches with Redis down; want once, then rest", n)
	}
}
