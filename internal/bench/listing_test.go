package bench

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// BenchmarkListingCost measures the data work of one category listing —
// CPU time of the process that does it (a private Meilisearch, or the one
// PostgreSQL backend of a one-connection pool, so no other work on the
// machine counts) and of this process — for the two ways issue 13 item 6
// names, next to the product page's one PostgreSQL round trip. The modes run
// interleaved, round after round; compare ratios within one run.
//
//	DURE_COST_N=10000 go test -run '^$' -bench ListingCost -benchtime 1x ./internal/bench/
func BenchmarkListingCost(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("DURE_COST_N"))
	if n <= 0 {
		n = 2000
	}
	ctx := context.Background()
	srv := testutil.StartMeili(b)
	pool := testutil.NewDB(b)
	cat, err := Catalogue(n)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := catalog.Import(ctx, postgres.NewCatalogStore(pool), bytes.NewReader(cat)); err != nil {
		b.Fatal(err)
	}
	client := meilisearch.New(srv.URL, srv.Key, testutil.Name("listing"))
	ix := &search.Indexer{Store: postgres.NewSearchOutbox(pool), Index: client, Builder: client, Prepare: client.Configure,
		ReindexBatch: 10000}
	if _, err := ix.Reindex(ctx, nil); err != nil {
		b.Fatal(err)
	}
	dbURL := pool.Config().ConnString()
	reqs, err := prepareListing(ctx, dbURL, search.DefaultPerPage)
	if err != nil {
		b.Fatal(err)
	}
	one, backend := onePool(b, dbURL)
	svc := search.NewService(client, postgres.NewSearchFallback(pool), 5*time.Second, nil, nil)
	store := postgres.NewCatalogStore(one)
	var products []int64
	rows, err := pool.Query(ctx, `SELECT id FROM products WHERE status = 'active' ORDER BY id LIMIT 2000`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		products = append(products, id)
	}
	rows.Close()
	pgList := postgresListing(one, reqs, search.DefaultPerPage)
	modes := []struct {
		name string
		pid  int // the process doing the data work
		fn   func(i int) error
	}{
		{"product page data: FindProductByID (PostgreSQL)", backend, func(i int) error {
			_, err := store.FindProductByID(ctx, products[i%len(products)])
			return err
		}},
		{"category listing: Meilisearch (search.Service, as the page)", srv.PID(), func(i int) error {
			r := reqs[i%len(reqs)]
			res, err := svc.Search(ctx, search.Query{CategoryID: r.category, InStock: r.inStock, Sort: search.SortPopular,
				Page: r.page, PerPage: search.DefaultPerPage})
			if err == nil && res.Degraded {
				b.Fatal("degraded")
			}
			return err
		}},
		{"category listing: PostgreSQL keyset + facet table", backend, func(i int) error { return pgList(ctx, 0, i) }},
	}
	const perRound, rounds = 300, 3
	type total struct{ data, own, wall time.Duration }
	totals := make([]total, len(modes))
	for _, m := range modes { // warm up
		for i := range len(reqs) {
			if err := m.fn(i); err != nil {
				b.Fatalf("%s: %v", m.name, err)
			}
		}
	}
	for range rounds {
		for i, m := range modes {
			d0, o0, w0 := pidCPU(m.pid), selfCPU(), time.Now()
			for k := range perRound {
				if err := m.fn(k); err != nil {
					b.Fatalf("%s: %v", m.name, err)
				}
			}
			totals[i].data += pidCPU(m.pid) - d0
			totals[i].own += selfCPU() - o0
			totals[i].wall += time.Since(w0)
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	per := time.Duration(perRound * rounds)
	base := totals[0].data + totals[0].own
	b.Logf("%d products, %d listing requests, %d per mode; load average %s", n, len(reqs), perRound*rounds, bytes.TrimSpace(load))
	b.Logf("%-62s %12s %12s %12s %14s", "mode (per request, one at a time)", "data process", "this process", "wall", "CPU ÷ product")
	for i, m := range modes {
		t := totals[i]
		b.Logf("%-62s %9d µs %9d µs %9d µs %13.2f×", m.name, (t.data / per).Microseconds(), (t.own / per).Microseconds(),
			(t.wall / per).Microseconds(), float64(t.data+t.own)/float64(base))
	}
}

// onePool opens a pool of one connection and returns its backend's pid.
func onePool(b *testing.B, dbURL string) (*pgxpool.Pool, int) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns, cfg.MinConns = 1, 1
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(p.Close)
	var pid int
	if err := p.QueryRow(context.Background(), `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		b.Fatal(err)
	}
	return p, pid
}

// pidCPU is a process's user + system time from /proc (10 ms ticks).
func pidCPU(pid int) time.Duration {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	f := bytes.Fields(raw[bytes.LastIndexByte(raw, ')')+1:])
	ut, _ := strconv.ParseInt(string(f[11]), 10, 64)
	st, _ := strconv.ParseInt(string(f[12]), 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// selfCPU is this process's user + system time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
