package relevance_test

import (
	"bufio"
	"context"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// Thresholds the full stack must meet: on the first set (issue 4, binary
// judgments) and on the graded set (issue 13: head nouns, category intent,
// enterprise and place names, several words, variants; written before the
// head-noun ranking, which took it from recall@10 0.775, MRR 0.878, NDCG@10
// 0.780 to 0.903, 1.000 and 0.959).
const (
	minRecall = 0.95
	minMRR    = 0.8

	minGradedRecall = 0.88
	minGradedMRR    = 0.95
	minGradedNDCG   = 0.93

	k = 10
)

type judged struct {
	kind, query string
	grades      map[string]int // external id → grade (1 in the binary set); empty: must find nothing
}

// loadSet reads a judged set: kind, query, then the relevant products as
// external ids, each optionally with ":grade" (1–3, 1 when absent).
func loadSet(t *testing.T, name string) []judged {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var set []judged
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 3 {
			t.Fatalf("%s: bad line %q", name, line)
		}
		j := judged{kind: cols[0], query: cols[1], grades: map[string]int{}}
		if cols[2] != "" {
			for _, e := range strings.Split(cols[2], ",") {
				id, g, ok := strings.Cut(e, ":")
				grade := 1
				if ok {
					if grade, err = strconv.Atoi(g); err != nil || grade < 1 || grade > 3 {
						t.Fatalf("%s: bad grade %q in %q", name, e, line)
					}
				}
				j.grades[id] = grade
			}
		}
		set = append(set, j)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return set
}

// scores are one query's (or a set's mean) figures.
type scores struct {
	recall, rr, ndcg float64
}

func (s scores) add(o scores) scores {
	return scores{s.recall + o.recall, s.rr + o.rr, s.ndcg + o.ndcg}
}
func (s scores) div(n int) scores {
	return scores{s.recall / float64(n), s.rr / float64(n), s.ndcg / float64(n)}
}

// score returns recall@k (of min(k, |relevant|)), the reciprocal rank of the
// first relevant hit in the top k, and NDCG@k with gains 2^grade−1. A query
// that must find nothing scores 1 on all three when it finds nothing, else 0.
func score(hits []string, grades map[string]int) scores {
	if len(grades) == 0 {
		if len(hits) == 0 {
			return scores{1, 1, 1}
		}
		return scores{}
	}
	var s scores
	var dcg float64
	found := 0
	for i, h := range hits[:min(k, len(hits))] {
		if g := grades[h]; g > 0 {
			found++
			if s.rr == 0 {
				s.rr = 1 / float64(i+1)
			}
			dcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
		}
	}
	ideal := make([]int, 0, len(grades))
	for _, g := range grades {
		ideal = append(ideal, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
	var idcg float64
	for i, g := range ideal[:min(k, len(ideal))] {
		idcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	s.recall = float64(found) / float64(min(k, len(grades)))
	s.ndcg = dcg / idcg
	return s
}

type run struct {
	name   string
	search func(ctx context.Context, text string) (*search.Result, error)
}

// evaluate scores one way of searching over the set, logging the queries
// that miss and the figures per kind.
func evaluate(t *testing.T, set []judged, ext map[int64]string, r run) scores {
	t.Helper()
	ctx := context.Background()
	byKind := map[string]scores{}
	count := map[string]int{}
	var sum scores
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
		s := score(hits, j.grades)
		sum = sum.add(s)
		byKind[j.kind] = byKind[j.kind].add(s)
		count[j.kind]++
		if s.recall < 1 || s.rr < 1 || s.ndcg < 0.9 {
			var names []string
			for _, h := range res.Hits[:min(3, len(res.Hits))] {
				names = append(names, h.Name)
			}
			t.Logf("%s: %-10s %-14q recall@%d %.2f rr %.2f ndcg %.2f (%d judged, %d hits; top: %s)",
				r.name, j.kind, j.query, k, s.recall, s.rr, s.ndcg, len(j.grades), res.Total, strings.Join(names, " | "))
		}
	}
	kinds := make([]string, 0, len(byKind))
	for kind := range byKind {
		kinds = append(kinds, kind)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		s := byKind[kind].div(count[kind])
		t.Logf("%s: %-10s n=%2d recall@%d %.3f MRR %.3f NDCG@%d %.3f", r.name, kind, count[kind], k, s.recall, s.rr, k, s.ndcg)
	}
	m := sum.div(len(set))
	t.Logf("%s: %d queries: recall@%d %.3f, MRR %.3f, NDCG@%d %.3f (mean %.1f ms a query, serial, with logging)", r.name,
		len(set), k, m.recall, m.rr, k, m.ndcg, float64(time.Since(start).Microseconds())/1000/float64(len(set)))
	return m
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

// TestRelevance scores both judged sets on the demo catalogue: the bare
// engine (the text alone, no synonyms) for the record, the PostgreSQL
// fallback for the record, and the full stack (search.Service: query
// analysis, enrichment, synonyms), which must reach the floors.
func TestRelevance(t *testing.T) {
	t.Parallel()
	set, graded := loadSet(t, "queries.tsv"), loadSet(t, "graded.tsv")
	if len(set) < 80 || len(graded) < 60 {
		t.Fatalf("the sets have %d and %d queries, want at least 80 and 60", len(set), len(graded))
	}
	w := setup(t)
	bare := func(ctx context.Context, text string) (*search.Result, error) {
		return w.bare.Search(ctx, perK(text))
	}
	evaluate(t, set, w.ext, run{"bare", bare})
	evaluate(t, graded, w.ext, run{"bare/graded", bare})
	w.pushSynonyms(t)
	// The fallback as a degraded store answers: through a Service whose
	// primary is down.
	degraded := search.NewService(down{}, w.fallback, time.Second, nil, nil)
	fallback := func(ctx context.Context, text string) (*search.Result, error) {
		return degraded.Search(ctx, perK(text))
	}
	evaluate(t, set, w.ext, run{"postgres", fallback})
	evaluate(t, graded, w.ext, run{"postgres/graded", fallback})
	full := func(ctx context.Context, text string) (*search.Result, error) {
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
	}
	if s := evaluate(t, set, w.ext, run{"full", full}); s.recall < minRecall || s.rr < minMRR {
		t.Errorf("recall@%d %.3f, MRR %.3f; want at least %.2f and %.2f", k, s.recall, s.rr, minRecall, minMRR)
	}
	if s := evaluate(t, graded, w.ext, run{"full/graded", full}); s.recall < minGradedRecall || s.rr < minGradedMRR ||
		s.ndcg < minGradedNDCG {
		t.Errorf("graded set: recall@%d %.3f, MRR %.3f, NDCG@%d %.3f; want at least %.2f, %.2f and %.2f", k, s.recall, s.rr,
			k, s.ndcg, minGradedRecall, minGradedMRR, minGradedNDCG)
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
