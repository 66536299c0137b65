package meilisearch_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// env is one test's world: a fresh database with the search fixture and a
// configured index of its own.
type env struct {
	pool    *pgxpool.Pool
	fx      *testutil.SearchFixture
	client  *meilisearch.Client
	indexer *search.Indexer
	metrics *metrics.Metrics
}

// newEnv prepares a database with the fixture and an index on the server at
// url (the shared one when url is "") and drains the outbox into it.
func newEnv(t *testing.T, url, key string) *env {
	t.Helper()
	cfg := testutil.Config(t)
	index := "products"
	if url == "" {
		url, key, index = cfg.MeiliURL, cfg.MeiliKey, testutil.NewMeiliIndex(t)
	}
	pool := testutil.NewDB(t)
	e := &env{pool: pool, fx: testutil.SeedSearchFixture(t, pool), client: meilisearch.New(url, key, index), metrics: metrics.New()}
	e.indexer = &search.Indexer{Store: postgres.NewSearchOutbox(pool), Index: e.client, Builder: e.client,
		Prepare: e.client.Configure, Interval: 20 * time.Millisecond, Metrics: e.metrics}
	ctx := context.Background()
	if err := e.client.Configure(ctx); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	if _, err := e.indexer.Drain(ctx); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	return e
}

// ids returns the product ids of a result, in order.
func ids(res *search.Result) []int64 {
	out := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ProductID
	}
	return out
}

// set returns the fixture ids of the named products, sorted.
func (e *env) set(names ...string) []int64 {
	out := make([]int64, len(names))
	for i, n := range names {
		out[i] = e.fx.Products[n]
	}
	slices.Sort(out)
	return out
}

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func q(text string) search.Query {
	return search.Query{Text: text, Page: 1, PerPage: search.MaxPerPage}
}

func mustSearch(t *testing.T, s search.Searcher, q search.Query) *search.Result {
	t.Helper()
	res, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

// eventually polls cond until it holds or the deadline passes. Meilisearch
// usually applies a change in well under a second; the deadline is generous
// for a loaded CI machine.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func facetCount(res *search.Result, facet, value string) int {
	for _, v := range res.Facets[facet] {
		if v.Value == value {
			return v.Count
		}
	}
	return 0
}
