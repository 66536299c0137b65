package meilisearch_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

func TestReindex(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	ctx := context.Background()
	// A stale document and a pending outbox row: the rebuilt index must not
	// have the first, and the snapshot covers the second.
	if err := e.client.Upsert(ctx, []search.Document{{ID: 999999, Name: "유령 상품", CategoryIDs: []int64{}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `INSERT INTO search_outbox (entity, entity_id) VALUES ('product', $1)`, e.fx.Products["Apple"]); err != nil {
		t.Fatal(err)
	}
	e.indexer.ReindexBatch = 3 // several batches from the small fixture
	var calls, lastDone, lastTotal int
	n, err := e.indexer.Reindex(ctx, func(done, total int) { calls++; lastDone, lastTotal = done, total })
	if err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	if n != e.fx.Indexable || lastDone != e.fx.Indexable || lastTotal != e.fx.Indexable || calls < 2 {
		t.Errorf("Reindex = %d, progress %d/%d in %d calls; want %d", n, lastDone, lastTotal, calls, e.fx.Indexable)
	}
	if count, err := e.client.Count(ctx); err != nil || count != e.fx.Indexable {
		t.Errorf("index holds %d documents (%v), want %d", count, err, e.fx.Indexable)
	}
	if res := mustSearch(t, e.client, q("유령")); res.Total != 0 {
		t.Errorf("the stale document survived the reindex")
	}
	res := mustSearch(t, e.client, q("사과"))
	if got := sorted(ids(res)); !slices.Equal(got, e.set("Apple", "AppleJuice", "AppleJam")) {
		t.Errorf("after reindex '사과' = %v", got)
	}
	cfg := testutil.Config(t)
	for _, uid := range testutil.MeiliIndexes(t, cfg.MeiliURL, cfg.MeiliKey) {
		if strings.HasPrefix(uid, meilisearch.BuildPrefix(e.client.Index())) {
			t.Errorf("temporary index %s left behind", uid)
		}
	}
	var left int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM search_outbox`).Scan(&left); err != nil || left != 0 {
		t.Errorf("outbox rows covered by the reindex left: %d (%v)", left, err)
	}
}

// TestReindexWithoutLiveIndex rebuilds when there is no live index yet.
func TestReindexWithoutLiveIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	ctx := context.Background()
	if err := e.client.DeleteIndex(ctx, e.client.Index()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.indexer.Reindex(ctx, nil); err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	if count, err := e.client.Count(ctx); err != nil || count != e.fx.Indexable {
		t.Errorf("index holds %d documents (%v), want %d", count, err, e.fx.Indexable)
	}
	// The swapped-in index carries the settings (filters work).
	qq := q("")
	qq.CategoryID = e.fx.Categories["food"]
	if res := mustSearch(t, e.client, qq); res.Total != 4 {
		t.Errorf("category filter after reindex: %d hits, want 4", res.Total)
	}
}

// TestReindexHoldsOffWorkers checks that while a reindex holds the outbox,
// a worker applies nothing and keeps its rows (they would be lost in the swap
// otherwise), and that it resumes afterwards.
func TestReindexHoldsOffWorkers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	ctx := context.Background()
	b, err := e.client.NewBuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	store := e.indexer.Store
	err = store.ExportDocuments(ctx, 100, func(ctx context.Context, _ int, docs []search.Document) error {
		// A change committed after the snapshot, during the reindex.
		if _, err := e.pool.Exec(ctx, `INSERT INTO search_outbox (entity, entity_id) VALUES ('product', $1)`, e.fx.Products["Apple"]); err != nil {
			return err
		}
		if n, err := e.indexer.Drain(ctx); err != nil || n != 0 {
			t.Errorf("Drain during a reindex applied %d rows (%v), want 0", n, err)
		}
		_, err := b.Add(ctx, docs)
		return err
	}, func(ctx context.Context) error {
		if _, err := b.Wait(ctx); err != nil {
			return err
		}
		return b.Swap(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e.indexer.Drain(ctx); err != nil || n != 1 {
		t.Errorf("Drain after the reindex applied %d rows (%v), want the 1 row written during it", n, err)
	}
}
