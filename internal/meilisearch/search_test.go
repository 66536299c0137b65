package meilisearch_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// TestQueriesAndFilters runs the same Korean queries and filters on
// Meilisearch and on the PostgreSQL fallback: both must find the same products,
// so a degraded store still answers like the normal one.
func TestQueriesAndFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	engines := map[string]search.Searcher{"meilisearch": e.client, "postgres": postgres.NewSearchFallback(e.pool)}
	with := func(text string, mod func(*search.Query)) search.Query {
		qq := q(text)
		mod(&qq)
		return qq
	}
	cases := []struct {
		name  string
		query search.Query
		want  []string
	}{
		{"사과", q("사과"), []string{"Apple", "AppleJuice", "AppleJam"}},
		{"세제", q("세제"), []string{"DishSoap", "LaundrySoap"}},
		{"청소", q("청소"), []string{"OfficeCleaning", "Disinfection"}},
		{"no match", q("우주선"), nil},
		{"parent category finds children", with("", func(q *search.Query) { q.CategoryID = e.fx.Categories["food"] }),
			[]string{"Apple", "AppleJuice", "AppleJam", "Vegetables"}},
		{"services category", with("", func(q *search.Query) { q.CategoryID = e.fx.Categories["services"] }),
			[]string{"OfficeCleaning", "Disinfection", "Woodwork"}},
		{"leaf category and text", with("사과", func(q *search.Query) { q.CategoryID = e.fx.Categories["processed"] }),
			[]string{"AppleJuice", "AppleJam"}},
		{"enterprise type", with("", func(q *search.Query) { q.EnterpriseTypes = []catalog.EnterpriseType{catalog.Cooperative} }),
			[]string{"DishSoap", "Toothbrush"}},
		{"two enterprise types", with("", func(q *search.Query) {
			q.EnterpriseTypes = []catalog.EnterpriseType{catalog.Cooperative, catalog.VillageEnterprise}
		}), []string{"DishSoap", "Toothbrush", "Apple", "AppleJuice"}},
		{"region", with("", func(q *search.Query) { q.Regions = []catalog.Region{"daegu"} }),
			[]string{"AppleJam", "DishSoap", "Vegetables", "Toothbrush"}},
		{"text and region", with("사과", func(q *search.Query) { q.Regions = []catalog.Region{"gyeongbuk"} }),
			[]string{"Apple", "AppleJuice"}},
		{"tax exempt", with("", func(q *search.Query) { q.TaxType = catalog.Exempt }),
			[]string{"Apple", "Vegetables", "Woodwork"}},
		{"services kind", with("", func(q *search.Query) { q.Kind = catalog.Service }),
			[]string{"OfficeCleaning", "Disinfection", "Woodwork"}},
		{"price range inclusive", with("", func(q *search.Query) { q.MinPrice, q.MaxPrice = 6500, 15000 }),
			[]string{"AppleJam", "DishSoap", "LaundrySoap"}},
		{"in stock", with("사과", func(q *search.Query) { q.InStock = true }), []string{"Apple", "AppleJam"}},
		{"enterprise", with("", func(q *search.Query) { q.EnterpriseID = e.fx.Enterprises["green_share"] }),
			[]string{"LaundrySoap", "Woodwork"}},
		{"suspended enterprise's products are not found", with("", func(q *search.Query) {
			q.EnterpriseID = e.fx.Enterprises["moon_craft"]
		}), nil},
	}
	// As the Service asks: with the readings of the text (search.Analyze),
	// whose text matches whole words, so '청소' does not also find the
	// '청송' that Meilisearch's jamo prefix would.
	for engine, s := range engines {
		for _, c := range cases {
			t.Run(engine+"/"+c.name, func(t *testing.T) {
				qq := c.query
				qq.Variants = search.Analyze(qq.Text)
				res := mustSearch(t, s, qq)
				want := e.set(c.want...)
				got := ids(res)
				if res.Total != len(want) {
					t.Errorf("Total = %d, want %d", res.Total, len(want))
				}
				if !slices.Equal(sorted(got), want) {
					t.Errorf("found %v, want %v (%v)", got, want, c.want)
				}
			})
		}
	}
}

func TestSortsFacetsHighlightPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	engines := map[string]search.Searcher{"meilisearch": e.client, "postgres": postgres.NewSearchFallback(e.pool)}
	sorts := map[search.Sort][]string{
		// The sold-out AppleJuice sinks to the end whatever the order.
		search.SortPriceAsc: {"Toothbrush", "DishSoap", "AppleJam", "LaundrySoap", "Vegetables", "Woodwork", "Apple",
			"OfficeCleaning", "Disinfection", "AppleJuice"},
		search.SortPriceDesc: {"Disinfection", "OfficeCleaning", "Apple", "Woodwork", "Vegetables", "LaundrySoap",
			"AppleJam", "DishSoap", "Toothbrush", "AppleJuice"},
		search.SortNewest: {"Toothbrush", "Woodwork", "Vegetables", "Disinfection", "OfficeCleaning", "LaundrySoap",
			"DishSoap", "AppleJam", "Apple", "AppleJuice"},
		search.SortPopular: {"Apple", "DishSoap", "LaundrySoap", "OfficeCleaning", "AppleJam", "Disinfection",
			"Vegetables", "Woodwork", "Toothbrush", "AppleJuice"},
	}
	for engine, s := range engines {
		t.Run(engine+"/sorts", func(t *testing.T) {
			for sort, names := range sorts {
				qq := q("")
				qq.Sort = sort
				got := ids(mustSearch(t, s, qq))
				want := make([]int64, len(names))
				for i, n := range names {
					want[i] = e.fx.Products[n]
				}
				if !slices.Equal(got, want) {
					t.Errorf("sort %s: got %v, want %v (%v)", sort, got, want, names)
				}
			}
		})
		t.Run(engine+"/facets", func(t *testing.T) {
			res := mustSearch(t, s, q("사과"))
			cat := func(k string) string { return strconv.FormatInt(e.fx.Categories[k], 10) }
			for _, c := range []struct {
				facet, value string
				want         int
			}{
				{search.FacetEnterpriseType, "village_enterprise", 2}, {search.FacetEnterpriseType, "self_sufficiency", 1},
				{search.FacetRegion, "gyeongbuk", 2}, {search.FacetRegion, "daegu", 1},
				{search.FacetTaxType, "exempt", 1}, {search.FacetTaxType, "taxable", 2},
				{search.FacetKind, "goods", 3},
				{search.FacetCategory, cat("food"), 3}, {search.FacetCategory, cat("fruit"), 1},
				{search.FacetCategory, cat("processed"), 2}, {search.FacetCategory, cat("services"), 0},
			} {
				if got := facetCount(res, c.facet, c.value); got != c.want {
					t.Errorf("facet %s=%s: %d, want %d (all: %v)", c.facet, c.value, got, c.want, res.Facets[c.facet])
				}
			}
		})
		t.Run(engine+"/highlight", func(t *testing.T) {
			res := mustSearch(t, s, q("사과"))
			for _, h := range res.Hits {
				if !strings.Contains(h.NameHighlight, search.HighlightPre+"사과"+search.HighlightPost) {
					t.Errorf("NameHighlight of %q = %q, want the match marked", h.Name, h.NameHighlight)
				}
				if strings.NewReplacer(search.HighlightPre, "", search.HighlightPost, "").Replace(h.NameHighlight) != h.Name {
					t.Errorf("NameHighlight %q is not Name %q with markers", h.NameHighlight, h.Name)
				}
				if h.ImageURL == "" || h.EnterpriseName == "" || h.ConsumerPrice == 0 {
					t.Errorf("hit lacks fields: %+v", h)
				}
			}
		})
		t.Run(engine+"/pages", func(t *testing.T) {
			qq := q("")
			qq.Sort, qq.PerPage, qq.Page = search.SortPriceAsc, 4, 3
			res := mustSearch(t, s, qq)
			if res.Total != e.fx.Indexable || len(res.Hits) != e.fx.Indexable-8 || res.Page != 3 || res.PerPage != 4 {
				t.Errorf("page 3 of 4: total %d, %d hits, page %d/%d; want %d total, %d hits",
					res.Total, len(res.Hits), res.Page, res.PerPage, e.fx.Indexable, e.fx.Indexable-8)
			}
			qq.Page = search.MaxPage
			if res := mustSearch(t, s, qq); len(res.Hits) != 0 || res.Total != e.fx.Indexable {
				t.Errorf("page past the end: %d hits, total %d", len(res.Hits), res.Total)
			}
		})
	}
}

func TestFallbackEscapesWildcards(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	fb := postgres.NewSearchFallback(e.pool)
	for _, text := range []string{"%", "_", `\`, "%%_"} {
		if res := mustSearch(t, fb, q(text)); res.Total != 0 {
			t.Errorf("fallback %q matched %d products; wildcards must be literal", text, res.Total)
		}
	}
	res := mustSearch(t, fb, q("500ml"))
	if got := ids(res); !slices.Equal(got, e.set("DishSoap")) {
		t.Errorf("fallback '500ml' = %v, want DishSoap", got)
	}
}

func TestSearchRejectsInvalid(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	_, err := e.client.Search(context.Background(), search.Query{Page: 0})
	if err == nil {
		t.Fatal("Search(page 0) succeeded")
	}
}

// A search asks Meilisearch once per reading of its text and no more: the
// windows carry what a page shows (no page request follows), and a page past
// them (past the first reading's window: 24 for a text reading, 48 for a
// 초성 one) is the first reading's own.
func TestRequestsPerSearch(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text      string
		page, per int
		want      int
	}{
		{"사과", 1, 24, 2}, {"사과", 2, 24, 1}, {"사과", 2, 10, 2}, {"사과", 1, 60, 2}, {"사과", 3, 24, 1},
		{"tkrhk", 1, 24, 3}, {"ㄷㅈ", 1, 24, 1}, {"ㄷㅈ", 2, 24, 1}, {"organic", 1, 24, 1}, {"", 1, 24, 1},
	} {
		q := search.Query{Text: tt.text, Page: tt.page, PerPage: tt.per, Variants: search.Analyze(tt.text)}
		reqs, page := meilisearch.Requests(q)
		if len(reqs) != tt.want || page {
			t.Errorf("Requests(%q, page %d of %d) = %d requests (page request %v), want %d", tt.text, tt.page, tt.per,
				len(reqs), page, tt.want)
		}
	}
}

// A query of several words that finds nothing learns how many products each
// word finds on its own as text in the round trip its other readings take
// anyway; only a word the text does not find costs one more request, for its
// other readings. The counts are CountWords's, and none are asked when the
// Service did not ask (the tries that leave words out).
func TestWordCountsRideWithTheOtherReadings(t *testing.T) {
	t.Parallel()
	cfg := testutil.Config(t)
	e := newEnv(t, "", "")
	var requests atomic.Int64
	target, err := url.Parse(cfg.MeiliURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "search") {
			requests.Add(1)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(counting.Close)
	client := meilisearch.New(counting.URL, cfg.MeiliKey, e.client.Index())
	ctx := context.Background()

	for _, tt := range []struct {
		text          string
		known         []bool
		countRequests int64 // CountWords's requests
	}{
		{"사과 세제", []bool{true, true}, 1},
		{"사과 우주선 세제", []bool{true, false, true}, 2},
	} {
		words := strings.Fields(tt.text)
		requests.Store(0)
		want, err := client.CountWords(ctx, q(tt.text), words)
		if err != nil {
			t.Fatal(err)
		}
		if n := requests.Load(); n != tt.countRequests {
			t.Errorf("CountWords(%q) sent %d requests, want %d", tt.text, n, tt.countRequests)
		}
		for i, k := range tt.known {
			if (want[i] > 0) != k {
				t.Fatalf("CountWords(%q) = %v: the fixture should know %v", tt.text, want, tt.known)
			}
		}
		for _, ask := range []bool{true, false} {
			query := q(tt.text)
			query.Variants, query.CountWords = search.Analyze(tt.text), ask
			requests.Store(0)
			res := mustSearch(t, client, query)
			if res.Total != 0 {
				t.Fatalf("Search(%q) found %d, want nothing", tt.text, res.Total)
			}
			// The text reading, then the rest with the counts, then the
			// other readings of what the text did not find.
			wantRequests := int64(2)
			if ask {
				wantRequests = 1 + tt.countRequests
			}
			if n := requests.Load(); n != wantRequests {
				t.Errorf("Search(%q, CountWords %v) sent %d search requests, want %d", tt.text, ask, n, wantRequests)
			}
			switch {
			case ask && !slices.Equal(res.WordCounts, want):
				t.Errorf("Search(%q) WordCounts = %v, want CountWords's %v", tt.text, res.WordCounts, want)
			case !ask && res.WordCounts != nil:
				t.Errorf("Search(%q) without CountWords counted %v", tt.text, res.WordCounts)
			}
		}
	}
	// A query that finds something counts nothing.
	query := q("사과")
	query.Variants, query.CountWords = search.Analyze("사과"), true
	if res := mustSearch(t, client, query); res.Total == 0 || res.WordCounts != nil {
		t.Errorf("Search(사과) = %d found, WordCounts %v; want matches and no counts", res.Total, res.WordCounts)
	}
}
