package meilisearch_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// TestResultCacheFollowsTheIndex: with the Redis result cache wired as
// cmd/dure wires it (the worker bumps the version after every change, a
// reindex after its swap), a cached search shows a change as soon as the
// index does, and a reindex invalidates too.
func TestResultCacheFollowsTheIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	rdb, prefix := testutil.NewRedis(t)
	cache := redis.NewSearchCache(rdb, prefix)
	e.indexer.Invalidate = cache.Bump
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
