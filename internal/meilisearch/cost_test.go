package meilisearch_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/bench"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// costQueries are the searches BenchmarkSearchCost repeats: plain words, a
// typo, 초성, a 한/영 slip, English, two words.
var costQueries = []string{"사과", "김치", "청소", "됀장", "ㄷㅈ", "ehlswkd", "organic", "유기농 감자"}

// BenchmarkSearchCost measures the work per search — CPU time of a private
// Meilisearch (so no other test's searches count) and of this process, and
// wall time — of the honest floor (one plain Meilisearch query with the same
// text: no readings, no synonyms' ranking, no merge) next to the Korean-aware
// Service in its variants, over the demo catalogue. The modes run
// interleaved, round after round, so a machine whose load changes during the
// run affects them alike; compare ratios within one run.
//
// With DURE_COST_N=10000 it uses `make bench`'s synthetic catalogue of that
// many products and its query mix (bench.Queries) instead.
//
//	go test -run '^$' -bench SearchCost -benchtime 1x ./internal/meilisearch/
func BenchmarkSearchCost(b *testing.B) {
	srv := testutil.StartMeili(b)
	pool := testutil.NewDB(b)
	ctx := context.Background()
	queries := costQueries
	if n, _ := strconv.Atoi(os.Getenv("DURE_COST_N")); n > 0 {
		cat, err := bench.Catalogue(n)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := catalog.Import(ctx, postgres.NewCatalogStore(pool), bytes.NewReader(cat)); err != nil {
			b.Fatal(err)
		}
		rows, err := pool.Query(ctx, `SELECT name FROM products ORDER BY id LIMIT 5000`)
		if err != nil {
			b.Fatal(err)
		}
		var names []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				b.Fatal(err)
			}
			names = append(names, s)
		}
		rows.Close()
		queries = nil
		for _, v := range bench.Queries(names, nil) {
			queries = append(queries, v.Get("q"))
		}
	} else {
		testutil.SeedDemo(b, pool)
	}
	index := testutil.Name("cost")
	multi := meilisearch.New(srv.URL, srv.Key, index).WithSynonyms(postgres.NewSynonymStore(pool))
	ix := &search.Indexer{Store: postgres.NewSearchOutbox(pool), Index: multi, Builder: multi, Prepare: multi.Configure,
		ReindexBatch: 10000}
	if _, err := ix.Reindex(ctx, nil); err != nil {
		b.Fatal(err)
	}
	if err := multi.PushSynonyms(ctx); err != nil {
		b.Fatal(err)
	}
	parallel := meilisearch.New(srv.URL, srv.Key, index).WithSynonyms(postgres.NewSynonymStore(pool))
	meilisearch.SendMode(parallel, true, true)
	multiAll := meilisearch.New(srv.URL, srv.Key, index).WithSynonyms(postgres.NewSynonymStore(pool))
	meilisearch.SendMode(multiAll, false, true)
	fallback := postgres.NewSearchFallback(pool)
	rdb, prefix := testutil.NewRedis(b)
	cache := redis.NewSearchCache(rdb, prefix)
	modes := []struct {
		name string
		fn   func(search.Query) (*search.Result, error)
	}{
		{"floor: one plain query", func(q search.Query) (*search.Result, error) { return multi.Search(ctx, q) }},
		{"korean: all readings, parallel requests", svcFn(ctx, search.NewService(parallel, fallback, 5*time.Second, nil, nil))},
		{"korean: all readings, one multi-search", svcFn(ctx, search.NewService(multiAll, fallback, 5*time.Second, nil, nil))},
		{"korean: first reading first, then multi", svcFn(ctx, search.NewService(multi, fallback, 5*time.Second, nil, nil))},
		{"korean: as above + cache (all hits)", svcFn(ctx, search.NewService(multi, fallback, 5*time.Second, nil, nil).WithCache(cache))},
	}
	const perRound, rounds = 160, 3
	type total struct{ meili, own, wall time.Duration }
	totals := make([]total, len(modes))
	for _, m := range modes { // warm up (and fill the cache)
		for _, text := range queries {
			if _, err := m.fn(search.Query{Text: text, Page: 1, PerPage: search.DefaultPerPage}); err != nil {
				b.Fatalf("%s %q: %v", m.name, text, err)
			}
		}
	}
	for range rounds {
		for i, m := range modes {
			m0, o0, w0 := procCPU(srv.PID()), ownCPU(), time.Now()
			for n := range perRound {
				q := search.Query{Text: queries[n%len(queries)], Page: 1, PerPage: search.DefaultPerPage}
				res, err := m.fn(q)
				if err != nil || res.Degraded {
					b.Fatalf("%s %q: %v (degraded %v)", m.name, q.Text, err, res != nil && res.Degraded)
				}
			}
			totals[i].meili += procCPU(srv.PID()) - m0
			totals[i].own += ownCPU() - o0
			totals[i].wall += time.Since(w0)
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	n := time.Duration(perRound * rounds)
	floor := totals[0].meili + totals[0].own
	b.Logf("%d searches per mode (%d distinct), load average %s", perRound*rounds, len(queries), bytes.TrimSpace(load))
	b.Logf("%-42s %12s %12s %12s %10s", "mode (per search, one at a time)", "Meilisearch", "this process", "wall", "CPU ÷ floor")
	for i, m := range modes {
		t := totals[i]
		b.Logf("%-42s %12s %12s %12s %9.2f×", m.name, us(t.meili/n), us(t.own/n), us(t.wall/n),
			float64(t.meili+t.own)/float64(floor))
	}
}

func svcFn(ctx context.Context, s *search.Service) func(search.Query) (*search.Result, error) {
	return func(q search.Query) (*search.Result, error) { return s.Search(ctx, q) }
}

func us(d time.Duration) string { return fmt.Sprintf("%d µs", d.Microseconds()) }

// procCPU is a process's user + system time from /proc (10 ms ticks).
func procCPU(pid int) time.Duration {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	f := bytes.Fields(raw[bytes.LastIndexByte(raw, ')')+1:])
	ut, _ := strconv.ParseInt(string(f[11]), 10, 64)
	st, _ := strconv.ParseInt(string(f[12]), 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// ownCPU is this process's user + system time.
func ownCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
