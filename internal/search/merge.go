package search

import (
	"cmp"
	"slices"
	"strconv"
)

// MergeWindow is how many of a 초성 or jamo reading's best hits Merge ranks:
// the head of its result list. At 100k products Meilisearch answered a window
// of 48 in 60–80 % of the time of 96, with the same judged relevance
// (docs/bench.md).
const MergeWindow = 48

// TextWindow is the head of a text reading (the words as typed, or their
// Hangul for a 한/영 slip): a page. The engine already ranks a text reading
// much as Ranker does (the head noun's attribute is searched first), so a
// head of 24 kept the judged sets where 48 had them, at two thirds of the
// engine's work for the first window at 100k products; a 초성 or jamo
// reading is a prefix match, whose engine order is poor ('ㄷㅈ' found no
// 된장 in its first 24), and keeps MergeWindow.
const TextWindow = 24

// WindowOf is the head size of reading v: TextWindow or MergeWindow.
func WindowOf(v Variant) int {
	if v.Field == FieldText {
		return TextWindow
	}
	return MergeWindow
}

// FirstWindow is the head size of q's first reading: the window its first
// request asks for and the spine test Merge applies to it.
func FirstWindow(q Query) int { return windowOf(q, 0) }

// windowOf is the head size of q's i-th reading (MergeWindow for a query
// without readings).
func windowOf(q Query, i int) int {
	if i < len(q.Variants) {
		return WindowOf(q.Variants[i])
	}
	return MergeWindow
}

// Window is one reading's answer: its first hits in the engine's order
// (at least min(WindowOf(reading), Total) of them, more when a page reaches
// past it; for a sorted query's first reading with more than its window of
// matches, at least to the end of the page: WindowHits), with the attributes
// WindowAttributes names, and the number of all its matches.
type Window struct {
	Docs  []Document
	Total int
	// Facets are the reading's facet counts when the engine was asked for
	// them (the first reading), else nil.
	Facets map[string][]FacetValue
}

// List is the head of a search's result list, in its final order. The
// list is one total order that every page of the search reads from, so that
// across pages each product appears exactly once and Total is what can be
// paged through:
//   - when a reading finds more than its window (WindowOf) of products (the
//     first such reading is the spine), the list is the spine's matches: its
//     first window ranked by the policy (Ranker), then the rest as the engine
//     orders them. The other readings add nothing: when the words as typed
//     find that much, typo and compound readings would only pad it;
//   - otherwise every reading's matches are in the windows, and the list is
//     their union, ranked, without the typo-only matches of the jamo
//     reading when the text itself is in product names (청소 must not bring
//     청송 with it).
type List struct {
	// Docs are the ranked head: positions 0 to len(Docs)-1.
	Docs []*Document
	// Spine is the index of the reading whose matches past its window, in
	// the engine's order, are positions len(Docs) and on; -1 when the list
	// ends with Docs.
	Spine int
	// Total is the length of the whole list.
	Total int
	// Facets are the counts over the whole list when Spine is -1 (computed
	// from the windows); nil when they are the spine's own.
	Facets map[string][]FacetValue
	// Reading is what the results were read as, from the first product.
	Reading Reading
}

// WindowAttributes are the document attributes Merge needs of each hit, and
// that a page shows: everything but the description and the search forms.
func WindowAttributes() []string {
	return []string{"id", "name", "summary", "category_id", "category_ids", "category_names", "enterprise_id",
		"enterprise_name", "enterprise_type", "region", "kind", "tax_type", "consumer_price", "public_price",
		"in_stock", "image_url", "popularity", "created_at", "rating_avg", "review_count", "has_options"}
}

// WindowHits is how many hits the first reading's window of q asks for:
// its window (WindowOf), or the reach to the end of q's page when that is
// further. A sorted query asks only for the reach to the end of its page:
// when the first reading finds more than its window it is the spine and its list is
// the engine's order (Merge ranks only a relevance list's head), so the
// documents past the page would be fetched for nothing; when it finds fewer
// but more than it got, the engine sends the whole window after all
// (CompleteWindow).
func WindowHits(q Query) int {
	reach := max(q.Page, 1) * q.PerPage
	size := FirstWindow(q)
	if q.Sort != SortRelevance && reach < size {
		return reach
	}
	return max(size, reach)
}

// CompleteWindow reports whether a first-reading window of q with got hits
// out of total matches is all Merge needs: more than the reading's window
// (the spine), or every match.
func CompleteWindow(q Query, got, total int) bool {
	return total > FirstWindow(q) || got >= total
}

// Merge builds the list of q from the windows of its readings (results in
// the order of q.Variants; a search without variants has one window). syn is
// the synonym dictionary the engine used, for ranking.
func Merge(q Query, syn map[string][]string, windows []Window) *List {
	return merge(q, syn, windows, func(i int) int { return windowOf(q, i) })
}

// MergeN is Merge with a head of size products for every reading, for an
// engine whose window costs little (the PostgreSQL fallback, whose own order
// is only a rough one).
func MergeN(q Query, syn map[string][]string, windows []Window, size int) *List {
	return merge(q, syn, windows, func(int) int { return size })
}

// merge is Merge with the head size of the i-th reading sizeOf(i).
func merge(q Query, syn map[string][]string, windows []Window, sizeOf func(i int) int) *List {
	r := NewRanker(q, syn)
	n := 0
	for _, w := range windows {
		n += len(w.Docs)
	}
	ranks := make(map[int64]Rank, n)
	rank := func(d *Document) Rank {
		rk, ok := ranks[d.ID]
		if !ok {
			rk = r.Rank(d)
			ranks[d.ID] = rk
		}
		return rk
	}
	l := &List{Spine: -1}
	for i, w := range windows {
		size := sizeOf(i)
		if w.Total > size && (len(w.Docs) >= size || i == 0 && q.Sort != SortRelevance && len(w.Docs) > 0) {
			// A sorted list keeps the engine's order, so the first
			// reading's window need only reach the end of the page
			// (WindowHits): its head is the list's head as it is.
			l.Spine = i
			break
		}
		if slices.ContainsFunc(docPointers(w.Docs), func(d *Document) bool { return rank(d).Class >= ClassPartial }) {
			// A looser reading's matches past its window would push out
			// what this one found in names: no spine, the union of windows.
			break
		}
	}
	if l.Spine >= 0 {
		w := windows[l.Spine]
		l.Docs = make([]*Document, min(sizeOf(l.Spine), len(w.Docs)))
		for i := range l.Docs {
			l.Docs[i] = &w.Docs[i]
		}
		l.Total = w.Total
		if q.Sort == SortRelevance {
			for _, d := range l.Docs {
				rank(d)
			}
			slices.SortStableFunc(l.Docs, func(a, b *Document) int { return byRank(ranks, a, b) })
		}
		l.Reading = r.Reading(q, l.first())
		return l
	}

	// No spine: the union. A product the text readings did not find and
	// whose name is only a typo away from the query is dropped when the
	// text is in product names.
	textFound := map[int64]bool{}
	for i, w := range windows {
		if i < len(q.Variants) && q.Variants[i].Field != FieldText {
			continue
		}
		for j := range w.Docs {
			textFound[w.Docs[j].ID] = true
		}
	}
	seen := map[int64]bool{}
	nameMatched := false
	for _, w := range windows {
		for j := range w.Docs {
			d := &w.Docs[j]
			if seen[d.ID] {
				continue
			}
			seen[d.ID] = true
			rk := rank(d)
			if textFound[d.ID] && rk.Class >= ClassPartial {
				nameMatched = true
			}
			l.Docs = append(l.Docs, d)
		}
	}
	if nameMatched {
		l.Docs = slices.DeleteFunc(l.Docs, func(d *Document) bool {
			return !textFound[d.ID] && ranks[d.ID].Class <= ClassTypo
		})
	}
	switch q.Sort {
	case SortRelevance:
		slices.SortStableFunc(l.Docs, func(a, b *Document) int { return byRank(ranks, a, b) })
	default:
		// The readings' orders cannot be interleaved: order as the engine
		// would, relevance class first, then in stock, then the sort.
		slices.SortStableFunc(l.Docs, func(a, b *Document) int {
			if c := cmp.Compare(ranks[b.ID].Class, ranks[a.ID].Class); c != 0 {
				return c
			}
			if a.InStock != b.InStock {
				if a.InStock {
					return -1
				}
				return 1
			}
			if c := bySort(q.Sort, a, b); c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		})
	}
	l.Total = len(l.Docs)
	l.Facets = facetsOf(l.Docs)
	l.Reading = r.Reading(q, l.first())
	return l
}

func docPointers(docs []Document) []*Document {
	out := make([]*Document, len(docs))
	for i := range docs {
		out[i] = &docs[i]
	}
	return out
}

func (l *List) first() *Document {
	if len(l.Docs) == 0 {
		return nil
	}
	return l.Docs[0]
}

// byRank orders better ranks first.
func byRank(ranks map[int64]Rank, a, b *Document) int {
	ra, rb := ranks[a.ID], ranks[b.ID]
	switch {
	case rb.less(ra):
		return -1
	case ra.less(rb):
		return 1
	}
	return 0
}

// bySort compares two documents by an explicit sort order.
func bySort(s Sort, a, b *Document) int {
	switch s {
	case SortPriceAsc:
		return cmp.Compare(a.ConsumerPrice, b.ConsumerPrice)
	case SortPriceDesc:
		return cmp.Compare(b.ConsumerPrice, a.ConsumerPrice)
	case SortNewest:
		return cmp.Compare(b.CreatedAt, a.CreatedAt)
	case SortPopular:
		return cmp.Compare(b.Popularity, a.Popularity)
	case SortRating:
		if c := cmp.Compare(b.RatingAvg, a.RatingAvg); c != 0 {
			return c
		}
		return cmp.Compare(b.ReviewCount, a.ReviewCount)
	}
	return 0
}

// facetsOf counts the facet values of docs as the engine does: a product
// counts for its category and every ancestor.
func facetsOf(docs []*Document) map[string][]FacetValue {
	counts := map[string]map[string]int{}
	add := func(facet, value string) {
		if value == "" {
			return
		}
		if counts[facet] == nil {
			counts[facet] = map[string]int{}
		}
		counts[facet][value]++
	}
	for _, d := range docs {
		for _, c := range d.CategoryIDs {
			add(FacetCategory, strconv.FormatInt(c, 10))
		}
		add(FacetEnterpriseType, string(d.EnterpriseType))
		add(FacetRegion, string(d.Region))
		add(FacetTaxType, string(d.TaxType))
		add(FacetKind, string(d.Kind))
	}
	out := make(map[string][]FacetValue, len(counts))
	for facet, m := range counts {
		out[facet] = SortFacetValues(m)
	}
	return out
}

// SortFacetValues orders a facet's counts by count, then by value.
func SortFacetValues(counts map[string]int) []FacetValue {
	out := make([]FacetValue, 0, len(counts))
	for v, n := range counts {
		out = append(out, FacetValue{Value: v, Count: n})
	}
	slices.SortFunc(out, func(a, b FacetValue) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out
}
