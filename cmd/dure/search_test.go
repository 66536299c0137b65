package main

import (
	"context"
	"log/slog"
	"net"
	"testing"

	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// TestOpenSearchWithoutMeilisearch: serve must start when Meilisearch is
// unreachable, and search then answers from PostgreSQL.
func TestOpenSearchWithoutMeilisearch(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	_ = l.Close() // nothing listens there now

	cfg := testutil.Config(t)
	cfg.MeiliURL, cfg.MeiliIndex = dead, testutil.Name("t_products")
	pool := testutil.NewDB(t)
	testutil.SeedSearchFixture(t, pool)
	deps, err := openSearch(context.Background(), cfg, pool, nil, metrics.New(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("openSearch with Meilisearch down: %v", err)
	}
	if err := deps.Ping(context.Background()); err == nil {
		t.Error("Ping with Meilisearch down = nil")
	}
	res, err := deps.Searcher.Search(context.Background(), search.Query{Text: "세제", Page: 1, PerPage: 10})
	if err != nil || !res.Degraded || res.Total != 2 {
		t.Fatalf("Search = %+v, %v; want 2 degraded hits", res, err)
	}
}

// TestOpenSearchAndReindex wires search against the shared Meilisearch and
// rebuilds a fresh index through the command's code path.
func TestOpenSearchAndReindex(t *testing.T) {
	t.Parallel()
	cfg := testutil.Config(t)
	cfg.MeiliIndex = testutil.NewMeiliIndex(t)
	pool := testutil.NewDB(t)
	fx := testutil.SeedSearchFixture(t, pool)
	deps, err := openSearch(context.Background(), cfg, pool, nil, metrics.New(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := deps.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	n, err := deps.indexer.Reindex(context.Background(), nil)
	if err != nil || n != fx.Indexable {
		t.Fatalf("Reindex = %d, %v; want %d", n, err, fx.Indexable)
	}
	res, err := deps.Searcher.Search(context.Background(), search.Query{Text: "사과", Page: 1, PerPage: 10})
	if err != nil || res.Degraded || res.Total != 3 {
		t.Fatalf("Search = %+v, %v; want 3 hits from Meilisearch", res, err)
	}
}
