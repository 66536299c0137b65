package postgres

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/hangul"
	"github.com/dure-coop/dure/internal/search"
)

// maxFallbackWords bounds the words of a query the fallback matches on.
const maxFallbackWords = 8

// fallbackWindow is how much of the list's head the fallback ranks by the
// policy (search.MergeN): SQL's own order only puts names that contain the
// first word first, and a few hundred short rows cost a database little.
const fallbackWindow = 500

// SearchFallback is a search.Searcher on the catalogue tables, used while
// Meilisearch is unreachable. It follows the same policy (search.Merge): a
// product matches a text reading when every word of it (or a synonym)
// occurs (ILIKE) in its name, summary, description, enterprise name or
// category names, and a 초성 reading when its name's 초성 contain it; the
// readings' matches are one list, the first fallbackWindow of it (in SQL
// order: names matching first, in stock, similarity, popularity) ranked by
// the policy, the rest in SQL order. Filters, sorts, pagination, facets
// and highlighting behave as on Meilisearch, without typo tolerance. Facet
// counts include every filter, as on Meilisearch.
type SearchFallback struct {
	pool db
}

var (
	_ search.Searcher    = (*SearchFallback)(nil)
	_ search.WordCounter = (*SearchFallback)(nil)
)

// NewSearchFallback returns the PostgreSQL searcher on pool.
func NewSearchFallback(pool *pgxpool.Pool) *SearchFallback { return &SearchFallback{pool: db{pool}} }

// textQuery is the text part of a fallback search: the words of its text
// readings with their synonyms, and its 초성.
type textQuery struct {
	readings [][]string // per text reading, its words (at most maxFallbackWords)
	choseong string
	alts     map[string][]string // word → the word and its synonyms
}

// newTextQuery reads the variants of q (search.Analyze; the text alone when
// there are none) and looks up the synonyms of their words. The jamo reading
// (typos, compound tails) needs the search engine and is skipped.
func newTextQuery(ctx context.Context, db querier, q search.Query) (*textQuery, error) {
	t := &textQuery{}
	variants := q.Variants
	if len(variants) == 0 && q.Text != "" {
		variants = []search.Variant{{Field: search.FieldText, Text: q.Text}}
	}
	var all []string
	for _, v := range variants {
		switch v.Field {
		case search.FieldText:
			words := strings.Fields(v.Text)
			if len(words) > maxFallbackWords {
				words = words[:maxFallbackWords]
			}
			t.readings = append(t.readings, words)
			all = append(all, words...)
		case search.FieldChoseong:
			t.choseong = strings.ReplaceAll(hangul.Choseong(q.Text), " ", "")
		}
	}
	if len(all) == 0 {
		return t, nil
	}
	var err error
	t.alts, err = expandSynonyms(ctx, db, all)
	return t, err
}

func (t *textQuery) empty() bool { return len(t.readings) == 0 && t.choseong == "" }

// synonyms is the dictionary the readings used, for search.Merge.
func (t *textQuery) synonyms() map[string][]string {
	m := make(map[string][]string, len(t.alts))
	for w, alts := range t.alts {
		m[search.NormalizeTerm(w)] = alts[1:]
	}
	return m
}

// highlightWords are the words and synonyms marked in names.
func (t *textQuery) highlightWords() []string {
	var out []string
	for _, words := range t.readings {
		for _, w := range words {
			out = append(out, t.alts[w]...)
		}
	}
	return out
}

// cond is the SQL condition "matches one of the readings".
func (t *textQuery) cond(cats []*catalog.Category, cix *catalog.CategoryIndex, arg func(any) string) string {
	var readings []string
	for _, words := range t.readings {
		var all []string
		for _, w := range words {
			var conds []string
			for _, alt := range t.alts[w] {
				pat := arg("%" + likeEscape(alt) + "%")
				conds = append(conds, "p.name ILIKE "+pat+" OR (p.summary || ' ' || p.description) ILIKE "+pat+
					" OR e.name ILIKE "+pat)
				if ids := categoriesNamed(cats, cix, alt); len(ids) > 0 {
					conds = append(conds, "p.category_id = ANY("+arg(ids)+")")
				}
			}
			all = append(all, "("+strings.Join(conds, " OR ")+")")
		}
		readings = append(readings, "("+joinAnd(all)+")")
	}
	if t.choseong != "" {
		readings = append(readings, "strpos(hangul_choseong(p.name), "+arg(t.choseong)+") > 0")
	}
	return "(" + strings.Join(readings, " OR ") + ")"
}

// filterConds are q's filters as SQL conditions, after the rules of what
// is searchable at all (active products of active enterprises).
func filterConds(q search.Query, cix *catalog.CategoryIndex, arg func(any) string) []string {
	where := []string{"p.status = 'active'", "e.status = 'active'"}
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
		where = append(where, productStock+" > 0")
	}
	return where
}

// Search runs q. It returns apperr.Invalid for a query that fails Validate.
func (s *SearchFallback) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	cats, err := searchCategories(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	cix := catalog.NewCategoryIndex(cats)
	t, err := newTextQuery(ctx, s.pool, q)
	if err != nil {
		return nil, err
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where := filterConds(q, cix, arg)
	if !t.empty() {
		where = append(where, t.cond(cats, cix, arg))
	}
	from := ` FROM products p JOIN enterprises e ON e.id = p.enterprise_id WHERE ` + joinAnd(where)
	// The page's rows also carry their visible reviews (the rating sort's
	// keys and the cards' stars); the facet counts need not.
	fromRated := ` FROM products p JOIN enterprises e ON e.id = p.enterprise_id ` + reviewsLateral + ` WHERE ` + joinAnd(where)

	res := &search.Result{Page: q.Page, PerPage: q.PerPage, Facets: map[string][]search.FacetValue{}, Hits: []search.Hit{}}
	if err := s.facets(ctx, from, args, cix, res); err != nil {
		return nil, err
	}
	offset, end := (q.Page-1)*q.PerPage, min(q.Page*q.PerPage, res.Total)
	if offset >= end {
		return res, nil
	}

	// Order as Meilisearch's rules do: a match in the name first, in-stock
	// before sold-out, then the asked sort or similarity and popularity.
	var order []string
	if len(t.readings) > 0 {
		order = append(order, "(p.name ILIKE "+arg("%"+likeEscape(t.readings[0][0])+"%")+") DESC")
	}
	order = append(order, "("+productStock+" > 0) DESC")
	switch q.Sort {
	case search.SortPriceAsc:
		order = append(order, "p.consumer_price ASC")
	case search.SortPriceDesc:
		order = append(order, "p.consumer_price DESC")
	case search.SortNewest:
		order = append(order, "p.created_at DESC")
	case search.SortPopular:
		order = append(order, "p.popularity DESC")
	case search.SortRating:
		order = append(order, ratingAvgSQL+" DESC", "rv.n DESC")
	default:
		if !t.empty() {
			order = append(order, "word_similarity("+arg(q.Text)+", p.name) DESC")
		}
		order = append(order, "p.popularity DESC")
	}
	order = append(order, "p.id DESC")
	// With a text, the list's head is ranked by the policy: a page that
	// starts in it gets the head whole (and on to the end of the page), as
	// the engine's window would be; past it, the list is the SQL order.
	limit := end - offset
	ranked := !t.empty() && offset < fallbackWindow
	if ranked {
		limit, offset = max(fallbackWindow, end), 0
	}
	rows, err := s.pool.Query(ctx, `SELECT p.id, p.name, p.summary, p.enterprise_id, e.name, e.type, e.region,
			p.category_id, p.kind, p.tax_type, p.consumer_price, p.public_price, `+productStock+` > 0, p.popularity,
			p.created_at, coalesce((SELECT i.url FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), ''),
			rv.n, rv.total`+
		fromRated+` ORDER BY `+strings.Join(order, ", ")+` LIMIT `+arg(limit)+` OFFSET `+arg(offset), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: fallback search: %w", err)
	}
	docs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (search.Document, error) {
		var d search.Document
		var created time.Time
		var rv search.Reviews
		err := r.Scan(&d.ID, &d.Name, &d.Summary, &d.EnterpriseID, &d.EnterpriseName, &d.EnterpriseType,
			&d.Region, &d.CategoryID, &d.Kind, &d.TaxType, &d.ConsumerPrice, &d.PublicPrice, &d.InStock, &d.Popularity,
			&created, &d.ImageURL, &rv.Count, &rv.Sum)
		d.CreatedAt = created.Unix()
		d.RatingAvg, d.ReviewCount = rv.Avg(), rv.Count
		for _, c := range cix.Path(d.CategoryID) {
			d.CategoryIDs = append(d.CategoryIDs, c.ID)
			d.CategoryNames = append(d.CategoryNames, c.Name)
		}
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: fallback search: %w", err)
	}
	page := make([]*search.Document, 0, limit)
	if !ranked {
		for i := range docs {
			page = append(page, &docs[i])
		}
		if !t.empty() && len(docs) > 0 && len(q.Variants) > 0 {
			res.Reading = search.NewRanker(q, t.synonyms()).TailReading(q, 0, &docs[0])
		}
	} else {
		list := search.MergeN(q, t.synonyms(), []search.Window{{Docs: docs, Total: res.Total}}, fallbackWindow)
		res.Reading = list.Reading
		for p := (q.Page - 1) * q.PerPage; p < end && p < len(docs); p++ {
			if p < len(list.Docs) {
				page = append(page, list.Docs[p])
			} else {
				page = append(page, &docs[p])
			}
		}
	}
	words := t.highlightWords()
	for _, d := range page {
		h := d.Hit()
		h.NameHighlight = search.Highlight(d.Name, words)
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// CountWords returns, for each of words, the number of products it finds
// on its own with q's filters (each word read as search.Analyze reads it),
// in one query.
func (s *SearchFallback) CountWords(ctx context.Context, q search.Query, words []string) ([]int, error) {
	if len(words) == 0 {
		return nil, nil
	}
	cats, err := searchCategories(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	cix := catalog.NewCategoryIndex(cats)
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	counts := make([]string, len(words))
	for i, w := range words {
		wq := q
		wq.Text, wq.Variants = w, search.Analyze(w)
		t, err := newTextQuery(ctx, s.pool, wq)
		if err != nil {
			return nil, err
		}
		c := "false"
		if !t.empty() {
			c = t.cond(cats, cix, arg)
		}
		counts[i] = "count(*) FILTER (WHERE " + c + ")"
	}
	where := filterConds(q, cix, arg)
	out := make([]int, len(words))
	dst := make([]any, len(words))
	for i := range out {
		dst[i] = &out[i]
	}
	err = s.pool.QueryRow(ctx, `SELECT `+strings.Join(counts, ", ")+
		` FROM products p JOIN enterprises e ON e.id = p.enterprise_id WHERE `+joinAnd(where), args...).Scan(dst...)
	if err != nil {
		return nil, fmt.Errorf("postgres: count words: %w", err)
	}
	return out, nil
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

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
