package meilisearch

import (
	"context"
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
	windows := make([]search.Window, len(q.Variants))
	errs := make([]error, len(q.Variants))
	var wg sync.WaitGroup
	for i, v := range q.Variants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// What is typed is a prefix, and any of its words may do: not
			// the whole words of a search.
			req := VariantRequest(q, v)
			req.Query, req.MatchingStrategy = v.Text, ""
			if v.Field == search.FieldText {
				req.AttributesToSearchOn = suggestAttributes
			}
			req.Facets, req.Filter, req.Sort = nil, nil, nil
			req.AttributesToRetrieve = []string{"id", "name", "category_ids", "category_names"}
			var resp response
			if err := c.search(ctx, req, &resp); err != nil {
				errs[i] = fmt.Errorf("meilisearch: suggest: %w", err)
				return
			}
			windows[i] = search.Window{Docs: resp.Hits, Total: resp.TotalHits}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	list := search.Merge(q, c.synonymDict(ctx), windows)
	out := []search.Suggestion{}
	seenName := map[string]bool{}
	seenCat := map[int64]bool{}
	var categories []search.Suggestion
	for _, d := range list.Docs {
		if len(out) < limit && !seenName[d.Name] {
			seenName[d.Name] = true
			out = append(out, search.Suggestion{Type: search.SuggestProduct, Text: d.Name, ID: d.ID})
		}
		// The leaf: category_ids ends with the product's own category,
		// category_names with its name.
		if len(d.CategoryIDs) == 0 || len(d.CategoryNames) == 0 {
			continue
		}
		id, name := d.CategoryIDs[len(d.CategoryIDs)-1], d.CategoryNames[len(d.CategoryNames)-1]
		if !seenCat[id] && len(categories) < suggestCategories {
			seenCat[id] = true
			categories = append(categories, search.Suggestion{Type: search.SuggestCategory, Text: name, ID: id})
		}
	}
	return append(out, categories...), nil
}
