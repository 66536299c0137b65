package meilisearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/search"
)

var _ search.Suggester = (*Client)(nil)

// suggestCategories is how many categories Suggest adds after the names.
const suggestCategories = 3

// suggestAttributes are what the text variant of a suggestion searches: the
// drop-down offers names and categories, so a word of a description must not
// bring a product in.
var suggestAttributes = []string{"name", "category_names"}

// Suggest runs the variants of text (search.Analyze) with a small limit,
// retrieving names and categories only, and merges them as a search would.
func (c *Client) Suggest(ctx context.Context, text string, limit int) ([]search.Suggestion, error) {
	if utf8.RuneCountInString(text) > search.MaxTextLen {
		return nil, apperr.Errorf(apperr.Invalid, "검색어는 %d자 이하로 입력해 주세요.", search.MaxTextLen)
	}
	limit = min(max(limit, 1), search.MaxSuggestions)
	q := search.Query{Text: strings.Join(strings.Fields(text), " "), Page: 1, PerPage: limit * 3}
	q.Variants = search.Analyze(q.Text)
	if len(q.Variants) == 0 {
		return []search.Suggestion{}, nil
	}
	type hit struct {
		ID            int64    `json:"id"`
		Name          string   `json:"name"`
		CategoryIDs   []int64  `json:"category_ids"`
		CategoryNames []string `json:"category_names"`
		Formatted     struct {
			Name string `json:"name"`
		} `json:"_formatted"`
	}
	results := make([]*search.Result, len(q.Variants))
	errs := make([]error, len(q.Variants))
	cats := make([]map[int64]hit, len(q.Variants))
	var wg sync.WaitGroup
	for i, v := range q.Variants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := VariantRequest(q, v)
			if v.Field == search.FieldText {
				req.AttributesToSearchOn = suggestAttributes
			}
			req.Facets, req.Filter, req.Sort = nil, nil, nil
			req.AttributesToRetrieve = []string{"id", "name", "category_ids", "category_names"}
			per := int64(q.PerPage)
			req.HitsPerPage = &per
			raw, err := c.sm.Index(c.index).SearchRawWithContext(ctx, req.Query, req)
			if err != nil {
				errs[i] = fmt.Errorf("meilisearch: suggest %s: %w", c.index, err)
				return
			}
			var resp struct {
				Hits      []hit `json:"hits"`
				TotalHits int   `json:"totalHits"`
			}
			if err := json.Unmarshal(*raw, &resp); err != nil {
				errs[i] = fmt.Errorf("meilisearch: suggest %s: decode: %w", c.index, err)
				return
			}
			r := &search.Result{Total: resp.TotalHits}
			cats[i] = make(map[int64]hit, len(resp.Hits))
			for _, h := range resp.Hits {
				r.Hits = append(r.Hits, search.Hit{ProductID: h.ID, Name: h.Name, NameHighlight: h.Formatted.Name})
				cats[i][h.ID] = h
			}
			results[i] = r
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	merged := search.MergeVariants(q, results)
	out := []search.Suggestion{}
	seenName := map[string]bool{}
	seenCat := map[int64]bool{}
	var categories []search.Suggestion
	for _, h := range merged.Hits {
		if len(out) < limit && !seenName[h.Name] {
			seenName[h.Name] = true
			out = append(out, search.Suggestion{Type: search.SuggestProduct, Text: h.Name, ID: h.ProductID})
		}
		for _, m := range cats {
			d, ok := m[h.ProductID]
			if !ok || len(d.CategoryIDs) == 0 || len(d.CategoryNames) == 0 {
				continue
			}
			// The leaf: category_ids ends with the product's own category,
			// category_names with its name.
			id, name := d.CategoryIDs[len(d.CategoryIDs)-1], d.CategoryNames[len(d.CategoryNames)-1]
			if !seenCat[id] && len(categories) < suggestCategories {
				seenCat[id] = true
				categories = append(categories, search.Suggestion{Type: search.SuggestCategory, Text: name, ID: id})
			}
			break
		}
	}
	return append(out, categories...), nil
}
