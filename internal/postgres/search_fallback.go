package postgres

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/hangul"
	"github.com/dure-coop/dure/internal/search"
)

// maxFallbackWords bounds the words of a query the fallback matches on.
const maxFallbackWords = 8

// SearchFallback is a search.Searcher on the catalogue tables, used while
// Meilisearch is unreachable: every word of the query must occur (ILIKE) in
// the product's name, summary, description, enterprise name or category
// names; names matching come first, then trigram similarity. Filters, sorts,
// pagination, facets and highlighting behave as on Meilisearch, without typo
// tolerance. Facet counts include every filter, as on Meilisearch.
type SearchFallback struct {
	pool *pgxpool.Pool
}

var _ search.Searcher = (*SearchFallback)(nil)

// NewSearchFallback returns the PostgreSQL searcher on pool.
func NewSearchFallback(pool *pgxpool.Pool) *SearchFallback { return &SearchFallback{pool: pool} }

// Search runs q. It returns apperr.Invalid for a query that fails Validate.
//
// Of q.Variants (search.Analyze) it applies the cheap ones: text readings
// (the text as typed, or the Hangul of a 한/영 slip) with each word widened
// by its synonyms, and 초성 on product names (hangul_choseong); the first
// variant that finds anything answers. The jamo variant (typos, compound
// tails) needs the search engine and is skipped.
func (s *SearchFallback) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	cats, err := searchCategories(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	cix := catalog.NewCategoryIndex(cats)
	variants := q.Variants
	if len(variants) == 0 {
		variants = []search.Variant{{Field: search.FieldText, Text: q.Text}}
	}
	var res *search.Result
	for _, v := range variants {
		var words []string
		var choseong string
		switch v.Field {
		case search.FieldText:
			words = strings.Fields(v.Text)
		case search.FieldChoseong:
			choseong = strings.ReplaceAll(hangul.Choseong(q.Text), " ", "")
			if choseong == "" {
				continue
			}
		default:
			continue
		}
		if res, err = s.search(ctx, q, cats, cix, words, choseong); err != nil || res.Total > 0 {
			return res, err
		}
	}
	if res == nil {
		return s.search(ctx, q, cats, cix, strings.Fields(q.Text), "")
	}
	return res, nil
}

// search runs q with words (each, or one of its synonyms, must occur) or,
// when choseong is set, with names whose 초성 contain it.
func (s *SearchFallback) search(ctx context.Context, q search.Query, cats []*catalog.Category,
	cix *catalog.CategoryIndex, words []string, choseong string) (*search.Result, error) {

	where := []string{"p.status = 'active'", "e.status = 'active'"}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if len(words) > maxFallbackWords {
		words = words[:maxFallbackWords]
	}
	syns, err := expandSynonyms(ctx, s.pool, words)
	if err != nil {
		return nil, err
	}
	for _, w := range words {
		var conds []string
		for _, alt := range syns[w] {
			pat := arg("%" + escapeLike(alt) + "%")
			conds = append(conds, "p.name ILIKE "+pat+" OR (p.summary || ' ' || p.description) ILIKE "+pat+
				" OR e.name ILIKE "+pat)
			if ids := categoriesNamed(cats, cix, alt); len(ids) > 0 {
				conds = append(conds, "p.category_id = ANY("+arg(ids)+")")
			}
		}
		where = append(where, "("+strings.Join(conds, " OR ")+")")
	}
	if choseong != "" {
		where = append(where, "strpos(hangul_choseong(p.name), "+arg(choseong)+") > 0")
	}
	if q.CategoryID > 0 {
		where = append(where, "p.category_id = ANY("+arg(cix.Descendants(q.CategoryID))+")")
	}
	if q.EnterpriseID > 0 {
		where = append(where, "p.enterprise_id = "+arg(q.EnterpriseID))
	}
	if len(q.EnterpriseTypes) > 0 {
		ts := make([]string, len(q.EnterpriseTypes))
		for i, t := range q.EnterpriseTypes {
			ts[i] = string(t)
		}
		where = append(where, "e.type = ANY("+arg(ts)+")")
	}
	if len(q.Regions) > 0 {
		rs := make([]string, len(q.Regions))
		for i, r := range q.Regions {
			rs[i] = string(r)
		}
		where = append(where, "e.region = ANY("+arg(rs)+")")
	}
	if q.TaxType != "" {
		where = append(where, "p.tax_type = "+arg(string(q.TaxType)))
	}
	if q.Kind != "" {
		where = append(where, "p.kind = "+arg(string(q.Kind)))
	}
	if q.MinPrice > 0 {
		where = append(where, "p.consumer_price >= "+arg(q.MinPrice))
	}
	if q.MaxPrice > 0 {
		where = append(where, "p.consumer_price <= "+arg(q.MaxPrice))
	}
	if q.InStock {
		where = append(where, "p.stock > 0")
	}
	from := ` FROM products p JOIN enterprises e ON e.id = p.enterprise_id WHERE ` + joinAnd(where)

	res := &search.Result{Page: q.Page, PerPage: q.PerPage, Facets: map[string][]search.FacetValue{}, Hits: []search.Hit{}}
	if err := s.facets(ctx, from, args, cix, res); err != nil {
		return nil, err
	}
	if res.Total == 0 || (q.Page-1)*q.PerPage >= res.Total {
		return res, nil
	}

	// Order as Meilisearch's rules do: a match in the name first, in-stock
	// before sold-out, then the asked sort or similarity and popularity.
	var order []string
	if len(words) > 0 {
		order = append(order, "(p.name ILIKE "+arg("%"+escapeLike(words[0])+"%")+") DESC")
	}
	order = append(order, "(p.stock > 0) DESC")
	switch q.Sort {
	case search.SortPriceAsc:
		order = append(order, "p.consumer_price ASC")
	case search.SortPriceDesc:
		order = append(order, "p.consumer_price DESC")
	case search.SortNewest:
		order = append(order, "p.created_at DESC")
	case search.SortPopular:
		order = append(order, "p.popularity DESC")
	default:
		if len(words) > 0 {
			order = append(order, "word_similarity("+arg(q.Text)+", p.name) DESC")
		}
		order = append(order, "p.popularity DESC")
	}
	order = append(order, "p.id DESC")
	limit, offset := arg(q.PerPage), arg((q.Page-1)*q.PerPage)
	rows, err := s.pool.Query(ctx, `SELECT p.id, p.name, p.summary, p.enterprise_id, e.name, e.type, e.region,
			p.category_id, p.kind, p.tax_type, p.consumer_price, p.public_price, p.stock > 0,
			coalesce((SELECT i.url FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), '')`+
		from+` ORDER BY `+strings.Join(order, ", ")+` LIMIT `+limit+` OFFSET `+offset, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: fallback search: %w", err)
	}
	res.Hits, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (search.Hit, error) {
		var h search.Hit
		err := r.Scan(&h.ProductID, &h.Name, &h.Summary, &h.EnterpriseID, &h.EnterpriseName, &h.EnterpriseType,
			&h.Region, &h.CategoryID, &h.Kind, &h.TaxType, &h.ConsumerPrice, &h.PublicPrice, &h.InStock, &h.ImageURL)
		h.NameHighlight = search.Highlight(h.Name, words)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: fallback search: %w", err)
	}
	return res, nil
}

// facets counts the matches per facet value in one query (GROUPING SETS) and
// sets the total. Categories are counted per product category and summed up
// the tree, so a parent counts its children's products as on Meilisearch.
func (s *SearchFallback) facets(ctx context.Context, from string, args []any, cix *catalog.CategoryIndex, res *search.Result) error {
	rows, err := s.pool.Query(ctx, `SELECT GROUPING(e.type, e.region, p.tax_type, p.kind, p.category_id),
			e.type, e.region, p.tax_type, p.kind, p.category_id, count(*)`+from+`
		GROUP BY GROUPING SETS ((e.type), (e.region), (p.tax_type), (p.kind), (p.category_id))`, args...)
	if err != nil {
		return fmt.Errorf("postgres: fallback facets: %w", err)
	}
	defer rows.Close()
	counts := map[string]map[string]int{}
	add := func(facet, value string, n int) {
		if counts[facet] == nil {
			counts[facet] = map[string]int{}
		}
		counts[facet][value] += n
	}
	for rows.Next() {
		var grouping int
		var typ, region, tax, kind *string
		var cat *int64
		var n int
		if err := rows.Scan(&grouping, &typ, &region, &tax, &kind, &cat, &n); err != nil {
			return fmt.Errorf("postgres: fallback facets: %w", err)
		}
		// GROUPING's bits are 0 for the column grouped on (first column = high bit).
		switch {
		case grouping&0b10000 == 0 && typ != nil:
			add(search.FacetEnterpriseType, *typ, n)
		case grouping&0b01000 == 0 && region != nil:
			add(search.FacetRegion, *region, n)
		case grouping&0b00100 == 0 && tax != nil:
			add(search.FacetTaxType, *tax, n)
		case grouping&0b00010 == 0 && kind != nil:
			add(search.FacetKind, *kind, n)
			res.Total += n
		case grouping&0b00001 == 0 && cat != nil:
			path := cix.Path(*cat)
			if len(path) == 0 {
				add(search.FacetCategory, strconv.FormatInt(*cat, 10), n)
			}
			for _, c := range path {
				add(search.FacetCategory, strconv.FormatInt(c.ID, 10), n)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: fallback facets: %w", err)
	}
	for facet, vals := range counts {
		out := make([]search.FacetValue, 0, len(vals))
		for v, n := range vals {
			out = append(out, search.FacetValue{Value: v, Count: n})
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].Count != out[j].Count {
				return out[i].Count > out[j].Count
			}
			return out[i].Value < out[j].Value
		})
		res.Facets[facet] = out
	}
	return nil
}

// categoriesNamed returns the categories (with their subtrees) whose name
// contains word, so '청소' finds the products of 청소·방역 as on Meilisearch,
// which searches category names.
func categoriesNamed(cats []*catalog.Category, cix *catalog.CategoryIndex, word string) []int64 {
	var ids []int64
	for _, c := range cats {
		if containsFold(c.Name, word) {
			ids = append(ids, cix.Descendants(c.ID)...)
		}
	}
	return ids
}

// escapeLike escapes the ILIKE wildcards % and _ and the escape character.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
