package meilisearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
func (c *Client) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if len(q.Variants) > 0 {
		return c.searchVariants(ctx, q)
	}
	return c.searchOne(ctx, q, Request(q))
}

func (c *Client) searchOne(ctx context.Context, q search.Query, req *ms.SearchRequest) (*search.Result, error) {
	raw, err := c.sm.Index(c.index).SearchRawWithContext(ctx, req.Query, req)
	if err != nil {
		return nil, fmt.Errorf("meilisearch: search %s: %w", c.index, err)
	}
	var resp response
	if err := json.Unmarshal(*raw, &resp); err != nil {
		return nil, fmt.Errorf("meilisearch: search %s: decode: %w", c.index, err)
	}
	res := &search.Result{
		Hits:    make([]search.Hit, len(resp.Hits)),
		Total:   resp.TotalHits,
		Page:    q.Page,
		PerPage: q.PerPage,
		Facets:  make(map[string][]search.FacetValue, len(resp.FacetDistribution)),
	}
	for i, h := range resp.Hits {
		hit := h.Document.Hit()
		if h.Formatted.Name != "" {
			hit.NameHighlight = h.Formatted.Name
		}
		res.Hits[i] = hit
	}
	for name, counts := range resp.FacetDistribution {
		res.Facets[name] = facetValues(counts)
	}
	return res, nil
}

// searchVariants runs every variant of q at once, each for its first
// search.MergeWindow hits, and merges them with search.MergeVariants. A page
// beyond the window is the first variant's own page.
func (c *Client) searchVariants(ctx context.Context, q search.Query) (*search.Result, error) {
	if q.Page*q.PerPage > search.MergeWindow {
		return c.searchOne(ctx, q, VariantRequest(q, q.Variants[0]))
	}
	wq := q
	wq.Page, wq.PerPage = 1, search.MergeWindow
	results := make([]*search.Result, len(q.Variants))
	errs := make([]error, len(q.Variants))
	var wg sync.WaitGroup
	for i, v := range q.Variants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = c.searchOne(ctx, wq, VariantRequest(wq, v))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return search.MergeVariants(q, results), nil
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

type response struct {
	Hits []struct {
		search.Document
		Formatted struct {
			Name string `json:"name"`
		} `json:"_formatted"`
	} `json:"hits"`
	TotalHits         int                       `json:"totalHits"`
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
		Query:                 q.Text,
		Page:                  int64(q.Page),
		HitsPerPage:           &per,
		AttributesToRetrieve:  retrieved,
		AttributesToHighlight: []string{"name"},
		HighlightPreTag:       search.HighlightPre,
		HighlightPostTag:      search.HighlightPost,
		Facets:                facets,
		Locales:               []string{"kor"},
		AttributesToSearchOn:  textAttributes,
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
