package meilisearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	ms "github.com/meilisearch/meilisearch-go"

	"github.com/dure-coop/dure/internal/search"
)

// Search runs q on the live index. q must be valid (Service validates); an
// invalid one is apperr.Invalid. Any other failure is a wrapped error, on which
// the Service falls back to PostgreSQL. With q.Variants (search.Analyze) it
// searches every variant and merges them (search.MergeVariants); without, q.Text
// alone on the real attributes, as a bare engine would.
//
// Names are highlighted here (search.Highlight), not by Meilisearch: its
// highlighting re-tokenises every hit's name and was a third of its time for a
// merge window (docs/bench.md).
func (c *Client) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	reqs, merged := Requests(q)
	if merged {
		return c.searchVariants(ctx, q, reqs)
	}
	var resp response
	if err := c.search(ctx, reqs[0], &resp); err != nil {
		return nil, err
	}
	res := resp.result(q)
	words := c.highlightWords(ctx, q)
	for i, d := range resp.Hits {
		res.Hits[i] = d.Hit()
		res.Hits[i].NameHighlight = search.Highlight(d.Name, words)
	}
	return res, nil
}

// Requests are the search requests Search sends first for q, in parallel
// (exported, like PageRequest, so the benchmark's floor sends exactly what
// the app sends). merged says they are merge windows (windowRequests): their
// hits are merged, and when there are several the page's documents follow
// (PageRequest). Otherwise there is one request, whose answer is the page: q
// without variants as a bare engine would run it, or a page beyond the merge
// window as the first variant ranks it.
func Requests(q search.Query) (reqs []*ms.SearchRequest, merged bool) {
	switch {
	case len(q.Variants) == 0:
		return []*ms.SearchRequest{Request(q)}, false
	case q.Page*q.PerPage > search.MergeWindow:
		return []*ms.SearchRequest{VariantRequest(q, q.Variants[0])}, false
	}
	return windowRequests(q), true
}

// search sends one search request and decodes its answer into out.
func (c *Client) search(ctx context.Context, req *ms.SearchRequest, out any) error {
	raw, err := c.sm.Index(c.index).SearchRawWithContext(ctx, req.Query, req)
	if err != nil {
		return fmt.Errorf("meilisearch: search %s: %w", c.index, err)
	}
	if err := json.Unmarshal(*raw, out); err != nil {
		return fmt.Errorf("meilisearch: search %s: decode: %w", c.index, err)
	}
	return nil
}

// searchVariants merges the variants of q in two steps. First every variant
// (windowRequests, in parallel) returns the ids and names of its first
// search.MergeWindow hits, and search.MergeVariants ranks them; then the
// documents of the page alone are fetched by id (PageRequest). Retrieving whole
// documents for every window made Meilisearch and our decoding do several
// times the work a page needs. A query with one variant (초성, Latin, one
// syllable) has nothing to merge but the ranking: its window brings whole
// documents and there is no second step.
func (c *Client) searchVariants(ctx context.Context, q search.Query, reqs []*ms.SearchRequest) (*search.Result, error) {
	words := c.highlightWords(ctx, q)
	results := make([]*search.Result, len(reqs))
	windows := make([][]search.Document, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var resp response
			if errs[i] = c.search(ctx, req, &resp); errs[i] != nil {
				return
			}
			r := resp.result(q)
			text := q.Variants[i].Field == search.FieldText
			for j, d := range resp.Hits {
				r.Hits[j] = search.Hit{ProductID: d.ID, Name: d.Name}
				if text { // MergeVariants reads a marked name as "the text matched the name"
					r.Hits[j].NameHighlight = search.Highlight(d.Name, words)
				}
			}
			results[i], windows[i] = r, resp.Hits
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	res := search.MergeVariants(q, results)
	if len(res.Hits) == 0 {
		return res, nil
	}
	if len(reqs) == 1 {
		return fillPage(res, windows[0], words), nil
	}
	// The page's documents and, when the first variant found nothing, the
	// facets of the variant that leads instead (only the first asks for them).
	var page response
	var facets windowFacets
	lead := slices.IndexFunc(results, func(r *search.Result) bool { return len(r.Hits) > 0 })
	var perr, ferr error
	var fwg sync.WaitGroup
	if lead > 0 {
		fwg.Add(1)
		go func() {
			defer fwg.Done()
			ferr = c.search(ctx, FacetRequest(q, q.Variants[lead]), &facets)
		}()
	}
	ids := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ProductID
	}
	perr = c.search(ctx, PageRequest(ids), &page)
	fwg.Wait()
	if err := errors.Join(perr, ferr); err != nil {
		return nil, err
	}
	if lead > 0 {
		for name, counts := range facets.FacetDistribution {
			res.Facets[name] = facetValues(counts)
		}
	}
	return fillPage(res, page.Hits, words), nil
}

// fillPage fills res's hits, in their merged order, from docs (the page's
// documents, or a window holding them), with names highlighted. A hit whose
// document is missing was deleted in between and is dropped.
func fillPage(res *search.Result, docs []search.Document, words []string) *search.Result {
	byID := make(map[int64]*search.Document, len(docs))
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	hits := res.Hits[:0]
	for _, h := range res.Hits {
		d := byID[h.ProductID]
		if d == nil {
			res.Total = max(res.Total-1, 0)
			continue
		}
		hit := d.Hit()
		hit.NameHighlight = search.Highlight(d.Name, words)
		hits = append(hits, hit)
	}
	res.Hits = hits
	return res
}

// windowRequests are the first step of a search with variants: each
// variant's first search.MergeWindow hits, ids and names only (whole
// documents when there is one variant: then nothing follows); the first asks
// for the facets too (the others' would be thrown away but when the first
// finds nothing, and counting them is Meilisearch's dearest part).
func windowRequests(q search.Query) []*ms.SearchRequest {
	wq := q
	wq.Page, wq.PerPage = 1, search.MergeWindow
	reqs := make([]*ms.SearchRequest, len(q.Variants))
	for i, v := range q.Variants {
		reqs[i] = VariantRequest(wq, v)
		if len(q.Variants) > 1 {
			reqs[i].AttributesToRetrieve = windowRetrieved
		}
		if i > 0 {
			reqs[i].Facets = nil
		}
	}
	return reqs
}

// FacetRequest asks for the facets of variant v of q alone, for when v
// leads the merge because the first variant found nothing.
func FacetRequest(q search.Query, v search.Variant) *ms.SearchRequest {
	req := VariantRequest(q, v)
	zero := int64(0)
	req.Page, req.HitsPerPage = 1, &zero
	req.AttributesToRetrieve = windowRetrieved
	return req
}

// PageRequest is the second step: the documents of the page's ids, by a
// filter on the primary key (the documents route would return them as maps
// that meilisearch-go decodes twice).
func PageRequest(ids []int64) *ms.SearchRequest {
	var b strings.Builder
	b.WriteString("id IN [")
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteString("]")
	return &ms.SearchRequest{Filter: b.String(), Limit: int64(len(ids)), AttributesToRetrieve: retrieved}
}

// VariantRequest is Request for one variant of q: the variant's text on the
// attributes of its field.
func VariantRequest(q search.Query, v search.Variant) *ms.SearchRequest {
	req := Request(q)
	req.Query = v.Text
	switch v.Field {
	case search.FieldJamo:
		req.AttributesToSearchOn = jamoAttributes
	case search.FieldChoseong:
		req.AttributesToSearchOn = choseongAttributes
	default:
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
	res := &search.Result{
		Hits:    make([]search.Hit, len(r.Hits)),
		Total:   r.TotalHits,
		Page:    q.Page,
		PerPage: q.PerPage,
		Facets:  make(map[string][]search.FacetValue, len(r.FacetDistribution)),
	}
	for name, counts := range r.FacetDistribution {
		res.Facets[name] = facetValues(counts)
	}
	return res
}

// windowFacets is a FacetRequest's answer.
type windowFacets struct {
	FacetDistribution map[string]map[string]int `json:"facetDistribution"`
}

// facetValues orders a facet's values by count, then by value.
func facetValues(counts map[string]int) []search.FacetValue {
	out := make([]search.FacetValue, 0, len(counts))
	for v, n := range counts {
		out = append(out, search.FacetValue{Value: v, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
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
