package relevance_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/search"
)

// pagingQueries are queries of every kind the analysis knows, several with
// more matches than search.MergeWindow so that pages run past the ranked
// head of the list.
var pagingQueries = []struct{ kind, text string }{
	{"plain", "사과"}, {"plain", "청소"}, {"category", "과일"}, {"plain", "선물세트"}, {"one syllable", "차"},
	{"choseong", "ㄷㅈ"}, {"choseong", "ㅅㄱ"}, {"hanyeong", "tkrhk"}, {"hanyeong", "cjdth"},
	{"typo", "됀장"}, {"typo", "도시랔"}, {"synonym", "살균"}, {"synonym", "플래카드"},
	{"multi", "유기농 감자"}, {"multi", "친환경 세제"}, {"multi", "회사 워크숍 점심 50명 도시락"},
	{"latin", "organic"},
}

// TestPaging pages through every query at 10, 24 and 60 a page, sorted by
// relevance and by price, on Meilisearch and on the PostgreSQL fallback:
// each page size must give the same one list, in which every product appears
// once and whose length is the total every page reports.
func TestPaging(t *testing.T) {
	t.Parallel()
	w := setup(t)
	w.pushSynonyms(t)
	ctx := context.Background()
	// The fallback through a Service whose primary is down: as a degraded
	// store answers, words left out and all.
	degraded := search.NewService(down{}, w.fallback, time.Second, nil, nil)
	engines := map[string]func(search.Query) (*search.Result, error){
		"meilisearch": func(q search.Query) (*search.Result, error) { return w.svc.Search(ctx, q) },
		"postgres":    func(q search.Query) (*search.Result, error) { return degraded.Search(ctx, q) },
	}
	for name, run := range engines {
		for _, pq := range pagingQueries {
			for _, sort := range []search.Sort{search.SortRelevance, search.SortPriceAsc, search.SortRating} {
				t.Run(fmt.Sprintf("%s/%s/%s/%s", name, pq.kind, pq.text, sort), func(t *testing.T) {
					var lists [][]int64
					for _, per := range []int{10, 24, 60} {
						list, total := pageThrough(t, run, search.Query{Text: pq.text, Sort: sort, PerPage: per})
						seen := map[int64]bool{}
						for _, id := range list {
							if seen[id] {
								t.Fatalf("%d a page: product %d appears twice", per, id)
							}
							seen[id] = true
						}
						if len(list) != total {
							t.Fatalf("%d a page: %d products paged through, total says %d", per, len(list), total)
						}
						lists = append(lists, list)
					}
					if !slices.Equal(lists[0], lists[1]) || !slices.Equal(lists[1], lists[2]) {
						t.Fatalf("the list differs by page size:\n10: %v\n24: %v\n60: %v", lists[0], lists[1], lists[2])
					}
					if pq.kind != "latin" && !(name == "postgres" && pq.kind == "typo") && len(lists[0]) == 0 {
						t.Errorf("%q found nothing", pq.text)
					}
				})
			}
		}
	}
}

// down is a primary engine that is unreachable.
type down struct{}

func (down) Search(context.Context, search.Query) (*search.Result, error) {
	return nil, errors.New("meilisearch: connection refused")
}

// pageThrough reads every page of q (q.PerPage a page) until the total is
// reached, checking that every page reports the same total.
func pageThrough(t *testing.T, run func(search.Query) (*search.Result, error), q search.Query) ([]int64, int) {
	t.Helper()
	var list []int64
	total := -1
	for q.Page = 1; q.Page <= search.MaxPage; q.Page++ {
		res, err := run(q)
		if err != nil {
			t.Fatalf("page %d: %v", q.Page, err)
		}
		if total >= 0 && res.Total != total {
			t.Fatalf("%d a page: page %d says total %d, page 1 said %d", q.PerPage, q.Page, res.Total, total)
		}
		total = res.Total
		for _, h := range res.Hits {
			list = append(list, h.ProductID)
		}
		if len(res.Hits) < q.PerPage || q.Page*q.PerPage >= total {
			break
		}
	}
	return list, total
}

// TestPolicyOnDemo checks two rules of the ranking on the whole list, past
// the first page: a one-letter slip never reaches a place or an enterprise
// ('청소' finds no product of the farm in 청송, nor one named after it), and a
// product only its enterprise's name matches comes after every product that
// says the word itself ('사과' and the garlic of 의성 사과꽃마을, which the
// fallback's ILIKE finds).
func TestPolicyOnDemo(t *testing.T) {
	t.Parallel()
	w := setup(t)
	w.pushSynonyms(t)
	ctx := context.Background()
	degraded := search.NewService(down{}, w.fallback, time.Second, nil, nil)
	for name, svc := range map[string]*search.Service{"meilisearch": w.svc, "postgres": degraded} {
		hits := func(text string) []search.Hit {
			var out []search.Hit
			for page := 1; ; page++ {
				res, err := svc.Search(ctx, search.Query{Text: text, Page: page, PerPage: search.MaxPerPage})
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, res.Hits...)
				if page*search.MaxPerPage >= res.Total {
					return out
				}
			}
		}
		for _, h := range hits("청소") {
			if strings.Contains(h.Name, "청송") || h.EnterpriseName == "들꽃농장 협동조합" {
				t.Errorf("%s: 청소 found %q of %s", name, h.Name, h.EnterpriseName)
			}
		}
		list := hits("사과")
		firstOther := slices.IndexFunc(list, func(h search.Hit) bool {
			return !strings.Contains(h.Name, "사과") && !strings.Contains(h.Summary, "사과")
		})
		if firstOther < 0 {
			continue // Meilisearch matches whole words: 사과꽃마을 is not 사과
		}
		for _, h := range list[firstOther:] {
			if strings.Contains(h.Name, "사과") {
				t.Errorf("%s: %q comes after a product only its enterprise's name matches", name, h.Name)
			}
		}
	}
}
