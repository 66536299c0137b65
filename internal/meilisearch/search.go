package meilisearch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	ms "github.com/meilisearch/meilisearch-go"
	fastjson "github.com/segmentio/encoding/json"

	"github.com/dure-coop/dure/internal/search"
)

// Search runs q on the live index. q must be valid (Service validates); an
// invalid one is apperr.Invalid. Any other failure is a wrapped error, on which
// the Service falls back to PostgreSQL. With q.Variants (search.Analyze) it
// asks every reading for its window and builds the result list the policy
// says (search.Merge); without, q.Text alone on the real attributes, as a bare
// engine would.
//
// Names are highlighted here (search.Highlight), not by Meilisearch: its
// highlighting re-tokenises every hit's name and was a third of its time for a
// merge window (docs/bench.md).
func (c *Client) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	reqs, _ := Requests(q)
	syn := c.synonymDict(ctx)
	if len(q.Variants) == 0 {
		var resp response
		if err := c.search(ctx, reqs[0], &resp); err != nil {
			return nil, err
		}
		return page(q, resp.result(q), docPointers(resp.Hits), syn), nil
	}
	if size := search.FirstWindow(q); (q.Page-1)*q.PerPage >= size {
		// A page past the first reading's window: when that reading has
		// more than a window, it is the spine and the page is its own.
		var resp response
		if err := c.search(ctx, reqs[0], &resp); err != nil {
			return nil, err
		}
		if resp.TotalHits > size {
			res := resp.result(q)
			docs := docPointers(resp.Hits)
			if len(docs) > 0 {
				res.Reading = search.NewRanker(q, syn).TailReading(q, 0, docs[0])
			}
			return page(q, res, docs, syn), nil
		}
		// Otherwise the list is decided by every window.
	}
	return c.searchList(ctx, q, syn)
}

// Requests are the window requests Search may send first for q (see
// sendWindows for how: the first reading first). page says a request for the
// page's documents follows them: never, since the windows carry what a page
// shows. A query without variants is one
// request, as a bare engine would run it; a page past the merge window is
// the first reading's page (when that reading turns out not to be the
// spine, Search then sends the windows as for a first page).
func Requests(q search.Query) (reqs []*ms.SearchRequest, page bool) {
	switch {
	case len(q.Variants) == 0:
		return []*ms.SearchRequest{Request(q)}, false
	case (q.Page-1)*q.PerPage >= search.FirstWindow(q):
		req := VariantRequest(q, q.Variants[0])
		req.AttributesToRetrieve = search.WindowAttributes()
		return []*ms.SearchRequest{req}, false
	}
	return windowRequests(q), false
}

// search sends one search request and decodes its answer into out.
func (c *Client) search(ctx context.Context, req *ms.SearchRequest, out any) error {
	raw, err := c.sm.Index(c.index).SearchRawWithContext(ctx, req.Query, req)
	if err != nil {
		return fmt.Errorf("meilisearch: search %s: %w", c.index, err)
	}
	if err := fastjson.Unmarshal(*raw, out); err != nil {
		return fmt.Errorf("meilisearch: search %s: decode: %w", c.index, err)
	}
	return nil
}

// searchList asks every reading of q for its window (windowRequests, in
// parallel), builds the list (search.Merge) and answers q's page from it:
// positions inside the ranked head from the windows, positions past it from
// the spine's own order (already in its window when the spine is the first
// reading, whose window reaches to the end of the page). Only when another
// reading is the spine do its facets or its later hits take one more request.
func (c *Client) searchList(ctx context.Context, q search.Query, syn map[string][]string) (*search.Result, error) {
	reqs := windowRequests(q)
	resps, counts, err := c.sendWindows(ctx, q, reqs)
	if err != nil {
		return nil, err
	}
	windows := make([]search.Window, len(reqs))
	for i, resp := range resps {
		windows[i] = search.Window{Docs: resp.Hits, Total: resp.TotalHits}
		if resp.FacetDistribution != nil {
			windows[i].Facets = facetMap(resp.FacetDistribution)
		}
	}
	list := search.Merge(q, syn, windows)
	res := &search.Result{Page: q.Page, PerPage: q.PerPage, Total: list.Total, Facets: list.Facets, Reading: list.Reading}
	if list.Total == 0 && counts != nil {
		if res.WordCounts, err = c.countOthers(ctx, q, strings.Fields(q.Text), counts); err != nil {
			return nil, err
		}
	}
	from, to := (q.Page-1)*q.PerPage, min(q.Page*q.PerPage, list.Total)
	docs := make([]*search.Document, 0, max(to-from, 0))
	for p := from; p < to && p < len(list.Docs); p++ {
		docs = append(docs, list.Docs[p])
	}
	if list.Spine < 0 {
		return page(q, res, docs, syn), nil
	}
	spine := windows[list.Spine]
	res.Facets = spine.Facets
	for p := max(from, len(list.Docs)); p < to && p < len(spine.Docs); p++ {
		docs = append(docs, &spine.Docs[p])
	}
	// The rare rest: the facets of a spine that is not the first reading,
	// and its hits past its window.
	var more response
	var facets windowFacets
	var merr, ferr error
	var fwg sync.WaitGroup
	v := q.Variants[list.Spine]
	if res.Facets == nil {
		fwg.Add(1)
		go func() {
			defer fwg.Done()
			ferr = c.search(ctx, FacetRequest(q, v), &facets)
		}()
	}
	if need := to - max(from, len(spine.Docs)); need > 0 {
		fwg.Add(1)
		go func() {
			defer fwg.Done()
			req := VariantRequest(q, v)
			req.Page, req.HitsPerPage = 0, nil
			req.Offset, req.Limit = int64(max(from, len(spine.Docs))), int64(need)
			req.Facets = nil
			req.AttributesToRetrieve = search.WindowAttributes()
			merr = c.search(ctx, req, &more)
		}()
	}
	fwg.Wait()
	if err := errors.Join(merr, ferr); err != nil {
		return nil, err
	}
	if res.Facets == nil {
		res.Facets = facetMap(facets.FacetDistribution)
	}
	for i := range more.Hits {
		docs = append(docs, &more.Hits[i])
	}
	return page(q, res, docs, syn), nil
}

// sendWindows sends the window requests of a search's readings and returns
// their answers in order. The first reading goes alone first: when it finds
// more than its window it is the spine of the list (search.Merge) and the other
// readings could add nothing, so they are not asked (their answers are left
// empty). That is most searches on a large catalogue, which then cost one
// request; the rest cost a second round trip for the other readings.
// c.allAtOnce sends every reading at once instead (for the cost benchmark).
//
// When the first reading finds nothing and q.CountWords asks, each word's
// count as text rides in the other readings' request and is returned (the
// first step of countWords): a query of several words that finds nothing as
// a whole then needs no round trip of its own to learn which words are
// known.
//
// A sorted query's first window reaches only to the end of its page
// (search.WindowHits); when that reading turns out to have fewer matches
// than a window but more than it sent, its whole window is asked for again.
func (c *Client) sendWindows(ctx context.Context, q search.Query, reqs []*ms.SearchRequest) (out []response, counts []int, err error) {
	if c.allAtOnce || len(reqs) == 1 {
		out, err := c.sendAll(ctx, reqs)
		if err != nil {
			return nil, nil, err
		}
		return out, nil, c.completeFirst(ctx, q, reqs[0], &out[0])
	}
	size0 := search.FirstWindow(q)
	out = make([]response, len(reqs))
	if err := c.search(ctx, reqs[0], &out[0]); err != nil {
		return nil, nil, err
	}
	if out[0].TotalHits > size0 {
		return out, nil, nil
	}
	if err := c.completeFirst(ctx, q, reqs[0], &out[0]); err != nil {
		return nil, nil, err
	}
	rest := reqs[1:]
	var words []string
	var owner []int
	if q.CountWords && out[0].TotalHits == 0 {
		words = strings.Fields(q.Text)
		var creqs []*ms.SearchRequest
		creqs, owner = countRequests(q, words, isText)
		rest = append(slices.Clip(rest), creqs...)
	}
	answers, err := c.sendAll(ctx, rest)
	if err != nil {
		return nil, nil, err
	}
	copy(out[1:], answers)
	if words != nil {
		counts = sumCounts(answers[len(reqs)-1:], owner, len(words))
	}
	return out, counts, nil
}

// completeFirst asks again for the first reading's whole window when its
// answer was cut at a sorted page's end (search.CompleteWindow).
func (c *Client) completeFirst(ctx context.Context, q search.Query, req *ms.SearchRequest, out *response) error {
	if search.CompleteWindow(q, len(out.Hits), out.TotalHits) {
		return nil
	}
	whole := *req
	per := int64(search.FirstWindow(q))
	whole.HitsPerPage = &per
	*out = response{}
	return c.search(ctx, &whole, out)
}

// sendAll sends reqs and returns their answers in order: one request when
// there is one, else one multi-search request, or (c.parallel) one request
// each in parallel.
func (c *Client) sendAll(ctx context.Context, reqs []*ms.SearchRequest) ([]response, error) {
	out := make([]response, len(reqs))
	if len(reqs) == 1 {
		return out, c.search(ctx, reqs[0], &out[0])
	}
	if !c.parallel {
		return out, c.multiSearch(ctx, reqs, out)
	}
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = c.search(ctx, req, &out[i]) }()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// page fills res's hits from docs, in order, with names highlighted.
func page(q search.Query, res *search.Result, docs []*search.Document, syn map[string][]string) *search.Result {
	words := highlightWords(q, syn)
	res.Hits = make([]search.Hit, len(docs))
	for i, d := range docs {
		res.Hits[i] = d.Hit()
		res.Hits[i].NameHighlight = search.Highlight(d.Name, words)
	}
	return res
}

func docPointers(docs []search.Document) []*search.Document {
	out := make([]*search.Document, len(docs))
	for i := range docs {
		out[i] = &docs[i]
	}
	return out
}

// windowRequests are the window of each reading of q: its first
// search.WindowOf hits (the first reading's search.WindowHits: the reach
// to the end of q's page when that is further, only that for a sorted
// query) with what ranking and a page need
// (search.WindowAttributes); the first asks for the facets too (the others'
// would be thrown away: with a spine, the spine's are the list's; without,
// the list's are counted from the windows).
func windowRequests(q search.Query) []*ms.SearchRequest {
	wq := q
	wq.Page = 1
	reqs := make([]*ms.SearchRequest, len(q.Variants))
	for i, v := range q.Variants {
		reqs[i] = VariantRequest(wq, v)
		per := int64(search.WindowOf(v))
		if i == 0 {
			per = int64(search.WindowHits(q))
		}
		reqs[i].HitsPerPage = &per
		reqs[i].AttributesToRetrieve = search.WindowAttributes()
		if i > 0 {
			reqs[i].Facets = nil
		}
	}
	return reqs
}

// FacetRequest asks for the facets of variant v of q alone, for when v is
// the spine of the list but not the first reading.
func FacetRequest(q search.Query, v search.Variant) *ms.SearchRequest {
	req := VariantRequest(q, v)
	zero := int64(0)
	req.Page, req.HitsPerPage = 1, &zero
	req.AttributesToRetrieve = []string{"id"}
	return req
}

// VariantRequest is Request for one variant of q: the variant's text on the
// attributes of its field. A text reading matches whole words, every one of
// them (a trailing space ends Meilisearch's prefix match of the last word,
// and typos are off on the text attributes): a word a name merely starts
// with ('청소' and 청송) is not a match, and a query whose words do not all
// match finds nothing, for the Service to relax. The jamo and 초성 readings
// are prefixes: that is how they find compound tails and forgive a jamo.
func VariantRequest(q search.Query, v search.Variant) *ms.SearchRequest {
	req := Request(q)
	req.Query = v.Text
	switch v.Field {
	case search.FieldJamo:
		req.AttributesToSearchOn = jamoAttributes
	case search.FieldChoseong:
		req.AttributesToSearchOn = choseongAttributes
	default:
		req.Query = v.Text + " "
		req.MatchingStrategy = ms.All
		req.AttributesToSearchOn = textAttributes
	}
	return req
}

// response is a search answer with whole documents.
type response struct {
	Hits              []search.Document         `json:"hits"`
	TotalHits         int                       `json:"totalHits"`
	FacetDistribution map[string]map[string]int `json:"facetDistribution"`
}

func (r *response) result(q search.Query) *search.Result {
	return &search.Result{Total: r.TotalHits, Page: q.Page, PerPage: q.PerPage, Facets: facetMap(r.FacetDistribution)}
}

// windowFacets is a FacetRequest's answer.
type windowFacets struct {
	FacetDistribution map[string]map[string]int `json:"facetDistribution"`
}

// facetMap orders each facet's values by count, then by value.
func facetMap(dist map[string]map[string]int) map[string][]search.FacetValue {
	out := make(map[string][]search.FacetValue, len(dist))
	for name, counts := range dist {
		out[name] = search.SortFacetValues(counts)
	}
	return out
}

// Request builds the Meilisearch request for q (exported for tests and for
// measuring our overhead against a direct query).
func Request(q search.Query) *ms.SearchRequest {
	per := int64(q.PerPage)
	req := &ms.SearchRequest{
		Query:                q.Text,
		Page:                 int64(q.Page),
		HitsPerPage:          &per,
		AttributesToRetrieve: retrieved,
		Facets:               facets,
		Locales:              []string{"kor"},
		AttributesToSearchOn: textAttributes,
	}
	if f := Filter(q); len(f) > 0 {
		req.Filter = f
	}
	switch q.Sort {
	case search.SortPriceAsc:
		req.Sort = []string{"consumer_price:asc"}
	case search.SortPriceDesc:
		req.Sort = []string{"consumer_price:desc"}
	case search.SortNewest:
		req.Sort = []string{"created_at:desc"}
	case search.SortPopular:
		req.Sort = []string{"popularity:desc"}
	case search.SortRating:
		req.Sort = []string{"rating_avg:desc", "review_count:desc"}
	}
	return req
}

// Filter turns q's filters into Meilisearch filter expressions (ANDed).
// Ids and prices are integers; strings are quoted and escaped, although
// Validate already limits them to known values.
func Filter(q search.Query) []string {
	var f []string
	if q.CategoryID > 0 {
		f = append(f, "category_ids = "+strconv.FormatInt(q.CategoryID, 10))
	}
	if q.EnterpriseID > 0 {
		f = append(f, "enterprise_id = "+strconv.FormatInt(q.EnterpriseID, 10))
	}
	if len(q.EnterpriseTypes) > 0 {
		vals := make([]string, len(q.EnterpriseTypes))
		for i, t := range q.EnterpriseTypes {
			vals[i] = quote(string(t))
		}
		f = append(f, "enterprise_type IN ["+strings.Join(vals, ", ")+"]")
	}
	if len(q.Regions) > 0 {
		vals := make([]string, len(q.Regions))
		for i, r := range q.Regions {
			vals[i] = quote(string(r))
		}
		f = append(f, "region IN ["+strings.Join(vals, ", ")+"]")
	}
	if q.TaxType != "" {
		f = append(f, "tax_type = "+quote(string(q.TaxType)))
	}
	if q.Kind != "" {
		f = append(f, "kind = "+quote(string(q.Kind)))
	}
	if q.MinPrice > 0 {
		f = append(f, "consumer_price >= "+strconv.FormatInt(q.MinPrice, 10))
	}
	if q.MaxPrice > 0 {
		f = append(f, "consumer_price <= "+strconv.FormatInt(q.MaxPrice, 10))
	}
	if q.InStock {
		f = append(f, "in_stock = true")
	}
	return f
}

// quote makes s a double-quoted Meilisearch filter string.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

var _ search.WordCounter = (*Client)(nil)

// CountWords returns, for each of words, how many products it finds on its
// own with q's filters: 0 only when no reading of the word (search.Analyze)
// finds any, so a typo or a 한/영 slip is a known word. It counts the words
// as text first, then the other readings of the words the text did not find
// (a count costs Meilisearch about as much as its filters, whatever the
// reading): one request when every word is known as typed, two otherwise.
func (c *Client) CountWords(ctx context.Context, q search.Query, words []string) ([]int, error) {
	counts, err := c.count(ctx, q, words, isText)
	if err != nil {
		return nil, err
	}
	return c.countOthers(ctx, q, words, counts)
}

// countOthers completes counts of words as text (CountWords's first step)
// with the other readings of the words the text did not find.
func (c *Client) countOthers(ctx context.Context, q search.Query, words []string, counts []int) ([]int, error) {
	more, err := c.count(ctx, q, words, func(i int, v search.Variant) bool { return counts[i] == 0 && !isText(i, v) })
	if err != nil {
		return nil, err
	}
	for i := range counts {
		counts[i] += more[i]
	}
	return counts, nil
}

// count sends countRequests(q, words, keep) in one request and sums them
// per word.
func (c *Client) count(ctx context.Context, q search.Query, words []string, keep func(int, search.Variant) bool) ([]int, error) {
	reqs, owner := countRequests(q, words, keep)
	if len(reqs) == 0 {
		return make([]int, len(words)), nil
	}
	answers, err := c.sendAll(ctx, reqs)
	if err != nil {
		return nil, fmt.Errorf("meilisearch: count words: %w", err)
	}
	return sumCounts(answers, owner, len(words)), nil
}

// isText keeps a word's text readings in countRequests.
func isText(_ int, v search.Variant) bool { return v.Field == search.FieldText }

// countRequests are the count-only requests of the readings of words (the
// i-th word's reading v when keep(i, v)) with q's filters; owner[i] is the
// word reqs[i] counts for.
func countRequests(q search.Query, words []string, keep func(int, search.Variant) bool) (reqs []*ms.SearchRequest, owner []int) {
	zero := int64(0)
	for i, w := range words {
		wq := q
		wq.Text, wq.Page = w, 1
		for _, v := range search.Analyze(w) {
			if !keep(i, v) {
				continue
			}
			req := VariantRequest(wq, v)
			req.HitsPerPage, req.Facets, req.Sort = &zero, nil, nil
			req.AttributesToRetrieve = []string{"id"}
			reqs = append(reqs, req)
			owner = append(owner, i)
		}
	}
	return reqs, owner
}

// sumCounts adds up the answers to countRequests per word.
func sumCounts(answers []response, owner []int, words int) []int {
	out := make([]int, words)
	for i, a := range answers {
		out[owner[i]] += a.TotalHits
	}
	return out
}
