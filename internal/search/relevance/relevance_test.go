package relevance_test

import (
	"bufio"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// Thresholds the full stack must meet on the set (issue 4).
const (
	minRecall = 0.95
	minMRR    = 0.8
	k         = 10
)

type judged struct {
	kind, query string
	relevant    []string // external ids; empty: must find nothing
}

func loadSet(t *testing.T) []judged {
	t.Helper()
	f, err := os.Open("testdata/queries.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var set []judged
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 3 {
			t.Fatalf("bad line %q", line)
		}
		j := judged{kind: cols[0], query: cols[1]}
		if cols[2] != "" {
			j.relevant = strings.Split(cols[2], ",")
		}
		set = append(set, j)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return set
}

// score returns recall@k (of min(k, |relevant|)) and the reciprocal rank of
// the first relevant hit in the top k. A query that must find nothing scores
// 1 on both when it finds nothing, else 0.
func score(hits []string, relevant []string) (recall, rr float64) {
	if len(relevant) == 0 {
		if len(hits) == 0 {
			return 1, 1
		}
		return 0, 0
	}
	rel := make(map[string]bool, len(relevant))
	for _, id := range relevant {
		rel[id] = true
	}
	found := 0
	for i, h := range hits[:min(k, len(hits))] {
		if rel[h] {
			found++
			if rr == 0 {
				rr = 1 / float64(i+1)
			}
		}
	}
	return float64(found) / float64(min(k, len(relevant))), rr
}

type run struct {
	name   string
	search func(ctx context.Context, text string) (*search.Result, error)
}

// evaluate scores one way of searching over the set, logging the misses.
func evaluate(t *testing.T, set []judged, ext map[int64]string, r run) (recall, mrr float64) {
	t.Helper()
	ctx := context.Background()
	byKind := map[string][2]float64{}
	count := map[string]int{}
	start := time.Now()
	for _, j := range set {
		res, err := r.search(ctx, j.query)
		if err != nil {
			t.Fatalf("%s: search %q: %v", r.name, j.query, err)
		}
		hits := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			hits[i] = ext[h.ProductID]
		}
		rc, rr := score(hits, j.relevant)
		recall += rc
		mrr += rr
		s := byKind[j.kind]
		byKind[j.kind] = [2]float64{s[0] + rc, s[1] + rr}
		count[j.kind]++
		if rc < 1 || rr < 1 {
			var names []string
			for _, h := range res.Hits[:min(3, len(res.Hits))] {
				names = append(names, h.Name)
			}
			t.Logf("%s: %-8s %-14q recall@%d %.2f rr %.2f (%d relevant, %d hits; top: %s)",
				r.name, j.kind, j.query, k, rc, rr, len(j.relevant), res.Total, strings.Join(names, " | "))
		}
	}
	n := float64(len(set))
	for kind, s := range byKind {
		t.Logf("%s: %-9s n=%2d recall@%d %.3f MRR %.3f", r.name, kind, count[kind], k,
			s[0]/float64(count[kind]), s[1]/float64(count[kind]))
	}
	t.Logf("%s: %d queries: recall@%d %.3f, MRR %.3f (mean %.1f ms a query, serial, with logging)", r.name, len(set), k,
		recall/n, mrr/n, float64(time.Since(start).Microseconds())/1000/n)
	return recall / n, mrr / n
}

// world is the demo catalogue indexed in a fresh index, with the ways of
// searching it that the test compares.
type world struct {
	ext      map[int64]string // product id → external id
	bare     *meilisearch.Client
	fallback *postgres.SearchFallback
	svc      *search.Service
	full     *meilisearch.Client
}

// setup seeds the demo catalogue, reindexes it into a fresh index (without
// synonyms, for the bare engine) and returns the searchers; call pushSynonyms
// before scoring the full stack.
func setup(tb testing.TB) *world {
	tb.Helper()
	cfg := testutil.Config(tb)
	pool := testutil.NewDB(tb)
	testutil.SeedDemo(tb, pool)
	ctx := context.Background()
	w := &world{ext: map[int64]string{}}
	rows, err := pool.Query(ctx, `SELECT id, external_id FROM products`)
	if err != nil {
		tb.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var e string
		if err := rows.Scan(&id, &e); err != nil {
			tb.Fatal(err)
		}
		w.ext[id] = e
	}
	rows.Close()

	index := testutil.NewMeiliIndex(tb)
	w.bare = meilisearch.New(cfg.MeiliURL, cfg.MeiliKey, index)
	ix := &search.Indexer{Store: postgres.NewSearchOutbox(pool), Index: w.bare, Builder: w.bare, Prepare: w.bare.Configure,
		Interval: 20 * time.Millisecond}
	if _, err := ix.Reindex(ctx, nil); err != nil {
		tb.Fatalf("Reindex: %v", err)
	}
	w.full = meilisearch.New(cfg.MeiliURL, cfg.MeiliKey, index).WithSynonyms(postgres.NewSynonymStore(pool))
	w.fallback = postgres.NewSearchFallback(pool)
	w.svc = search.NewService(w.full, w.fallback, 5*time.Second, nil, nil)
	return w
}

func (w *world) pushSynonyms(tb testing.TB) {
	tb.Helper()
	if err := w.full.PushSynonyms(context.Background()); err != nil {
		tb.Fatalf("PushSynonyms: %v", err)
	}
}

func perK(text string) search.Query {
	return search.Query{Text: text, Page: 1, PerPage: k}
}

// TestRelevance scores the relevance set on the demo catalogue: the bare
// engine (the text alone, no synonyms) for the record, the PostgreSQL
// fallback for the record, and the full stack (search.Service: query
// analysis, enrichment, synonyms), which must reach minRecall and minMRR.
func TestRelevance(t *testing.T) {
	t.Parallel()
	set := loadSet(t)
	if len(set) < 80 {
		t.Fatalf("the set has %d queries, want at least 80", len(set))
	}
	w := setup(t)
	evaluate(t, set, w.ext, run{"bare", func(ctx context.Context, text string) (*search.Result, error) {
		return w.bare.Search(ctx, perK(text))
	}})
	w.pushSynonyms(t)
	evaluate(t, set, w.ext, run{"postgres", func(ctx context.Context, text string) (*search.Result, error) {
		q := perK(text)
		q.Variants = search.Analyze(text)
		return w.fallback.Search(ctx, q)
	}})
	recall, mrr := evaluate(t, set, w.ext, run{"full", func(ctx context.Context, text string) (*search.Result, error) {
		res, err := w.svc.Search(ctx, perK(text))
		if err == nil && res.Degraded {
			t.Fatalf("search %q was answered by the fallback", text)
		}
		// Facets come with every result, also when a variant other than
		// the first leads (a typo only the jamo form finds).
		if err == nil && len(res.Hits) > 0 && len(res.Facets[search.FacetKind]) == 0 {
			t.Errorf("search %q: %d hits but no facets", text, len(res.Hits))
		}
		return res, err
	}})
	if recall < minRecall || mrr < minMRR {
		t.Errorf("recall@%d %.3f, MRR %.3f; want at least %.2f and %.2f", k, recall, mrr, minRecall, minMRR)
	}
}

// BenchmarkKoreanSearch measures what the Korean analysis costs per search
// against a bare query on the same index (24 hits, facets, highlighting, as
// the search page asks), and a suggestion.
func BenchmarkKoreanSearch(b *testing.B) {
	w := setup(b)
	w.pushSynonyms(b)
	ctx := context.Background()
	for _, text := range []string{"사과", "김치", "됀장", "ㄷㅈ", "ehlswkd", "organic"} {
		q := search.Query{Text: text, Page: 1, PerPage: search.DefaultPerPage}
		b.Run("bare/"+text, func(b *testing.B) {
			for b.Loop() {
				if _, err := w.bare.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("full/"+text, func(b *testing.B) {
			for b.Loop() {
				if _, err := w.svc.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("suggest/"+text, func(b *testing.B) {
			for b.Loop() {
				if _, err := w.full.Suggest(ctx, text, 8); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
