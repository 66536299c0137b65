package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/bench"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/testutil"
)

func TestCatalogueIsValidAndDeterministic(t *testing.T) {
	a, err := bench.Catalogue(1200)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := bench.Catalogue(1200)
	if !bytes.Equal(a, b) {
		t.Error("two runs gave different catalogues")
	}
	batch, err := catalog.Parse(bytes.NewReader(a), nil)
	if err != nil {
		t.Fatalf("the importer rejects the catalogue: %v", err)
	}
	if len(batch.Products) != 1200 || len(batch.Enterprises) != 120 {
		t.Errorf("%d products and %d enterprises, want 1200 and 120", len(batch.Products), len(batch.Enterprises))
	}
	var names []string
	for _, line := range bytes.Split(a, []byte("\n")) {
		var p struct{ Type, Name string }
		if json.Unmarshal(line, &p) == nil && p.Type == "product" {
			names = append(names, p.Name)
		}
	}
	if qs := bench.Queries(names, []int64{1, 2}); len(qs) < 50 {
		t.Errorf("%d search queries, want at least 50", len(qs))
	}
}

// TestPipeline runs the whole benchmark in a tiny configuration so that it
// never rots. It asserts that every scenario ran without errors and that a
// table came out; it asserts nothing about speed.
func TestPipeline(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "dure")
	build := exec.Command("go", "build", "-o", bin, "./cmd/dure")
	build.Dir = testutil.RepoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/dure: %v\n%s", err, out)
	}
	cfg := testutil.Config(t)
	pool := testutil.NewDB(t)
	var log strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := bench.Run(ctx, bench.Config{
		Bin: bin, N: 300,
		DatabaseURL: pool.Config().ConnString(),
		MeiliURL:    cfg.MeiliURL, MeiliKey: cfg.MeiliKey, MeiliIndex: testutil.NewMeiliIndex(t),
		RedisURL: cfg.RedisURL, StripeAPIBase: cfg.StripeAPIBase,
		WorkDir: t.TempDir(),
		// At least 20 requests a row: under load one second may hold a
		// handful (a Zipf mix never repeating, a checkout never finishing).
		Duration: time.Second, MinRequests: 20, Workers: 2, CheckoutWorkers: 2,
		Log: &log,
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if len(rep.Rows) < 10 {
		t.Errorf("only %d scenarios ran", len(rep.Rows))
	}
	for _, r := range rep.Rows {
		if r.Requests == 0 || r.Errors != 0 {
			t.Errorf("%s (%d workers): %d requests, %d errors; first: %s", r.Scenario, r.Workers, r.Requests, r.Errors, r.FirstError)
		}
	}
	// The floor and the uncached search rows ran in turns (their ratios
	// compare the same minutes of the machine), at both concurrencies.
	turns := map[string]int{}
	for _, r := range rep.Rows {
		if strings.Contains(r.Note, "in turns") {
			turns[r.Scenario]++
		}
	}
	for _, name := range []string{bench.MeiliFloor, bench.SearchPage, bench.SearchAPI} {
		if turns[name] != 2 {
			t.Errorf("%s: %d rows run in turns, want 2 (one per concurrency)", name, turns[name])
		}
	}
	// The product page costs the server and PostgreSQL CPU, and /proc says so.
	for _, r := range rep.Rows {
		if r.Scenario == "product page /p/:id" && (r.ServerCPU <= 0 || r.ServicesCPU <= 0) {
			t.Errorf("%s (%d workers): CPU per request server %v, services %v; want both measured", r.Scenario, r.Workers, r.ServerCPU, r.ServicesCPU)
		}
	}
	// The gzipped pages arrive compressed: smaller bodies than the same
	// requests without Accept-Encoding (a size, not a speed).
	bytesOf := map[string]float64{}
	for _, r := range rep.Rows {
		if r.Workers == 2 {
			bytesOf[r.Scenario] = r.Bytes
		}
	}
	for plain, packed := range map[string]string{"product page /p/:id": bench.ProductPageGzip, "search page /search": bench.SearchPageGzip} {
		if bytesOf[plain] <= 0 || bytesOf[packed] <= 0 || bytesOf[packed]*2 > bytesOf[plain] {
			t.Errorf("%s: %.0f bytes per answer; gzipped %.0f, want under half", plain, bytesOf[plain], bytesOf[packed])
		}
	}
	// The uncached rows missed the result cache; the Zipf mix hit it.
	for _, r := range rep.Rows {
		switch r.Scenario {
		case bench.SearchPage, bench.SearchAPI:
			if r.CacheMisses == 0 || r.CacheHits*10 > r.CacheMisses {
				t.Errorf("%s (%d workers): %d hits, %d misses; want (nearly) all misses", r.Scenario, r.Workers, r.CacheHits, r.CacheMisses)
			}
		case bench.SearchPageZipf:
			if r.CacheHits == 0 {
				t.Errorf("%s (%d workers): no cache hits (%d misses)", r.Scenario, r.Workers, r.CacheMisses)
			}
		}
	}
	md := rep.Markdown()
	for _, want := range []string{"| scenario |", "checkout (full flow, stripe-mock)", bench.MeiliFloor, "Search result cache", "Peak server RSS", "Server RSS after start, idle", "Compression (gzip", "CPU for 1,000 requests", "Redis down (issue 12", bench.ProductPage + bench.RedisDown} {
		if !strings.Contains(md, want) {
			t.Errorf("the table lacks %q:\n%s", want, md)
		}
	}
	if rep.PeakRSS <= 0 || rep.Documents != 300 {
		t.Errorf("peak RSS %d, %d documents", rep.PeakRSS, rep.Documents)
	}
	// After start the server is resident, and the run's peak includes the
	// start's.
	if rep.StartRSS <= 0 || rep.StartPeakRSS < rep.StartRSS || rep.PeakRSS < rep.StartPeakRSS {
		t.Errorf("RSS after start %d, its peak %d, the run's peak %d", rep.StartRSS, rep.StartPeakRSS, rep.PeakRSS)
	}
}
