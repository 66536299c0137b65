package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/search"
)

// The category listing's data, measured two ways next to the category page
// rows (issue 13 item 6): the Meilisearch query the page sends today, and a
// prototype that serves the same listing from PostgreSQL — keyset pages in
// the listing order on an index per category, facet counts precomputed into
// a table. Both read the same requests (the category page mix: every
// category, plain and "인기순, 재고 있는 상품만", page 1 and the page after
// it), so their services CPU per listing compares the two data paths; the
// page around them (render, cache lookup) is the same either way.
const (
	ListingMeili    = "category listing data: Meilisearch query"
	ListingPostgres = "category listing data: PostgreSQL keyset + precomputed facets (prototype)"
)

// listingRequest is one listing the scenarios read: a category subtree,
// whether only in-stock products count, and, for a second page, the keyset
// of the first page's last product.
type listingRequest struct {
	category int64
	subtree  []int64
	inStock  bool
	page     int
	after    *listingKey
	meili    []byte // the Meilisearch request of the same listing
}

// listingKey is a product's place in the listing order: in stock first,
// then popularity, then id (descending each).
type listingKey struct {
	inStock    bool
	popularity int
	id         int64
}

// prepareListing builds the prototype's index and facet table in the bench
// database (not migrations: a prototype) and the request mix.
func prepareListing(ctx context.Context, dbURL string, perPage int) ([]listingRequest, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("bench: listing: %w", err)
	}
	defer pool.Close()
	for _, sql := range []string{
		`CREATE INDEX IF NOT EXISTS bench_listing ON products (category_id, ((stock > 0)::int) DESC, popularity DESC, id DESC)
			WHERE status = 'active'`,
		`DROP TABLE IF EXISTS bench_listing_facets`,
		// One row per (category, in-stock only, facet, value): every product
		// counts for its category and its ancestors, as the engine counts.
		`CREATE TABLE bench_listing_facets AS
		WITH RECURSIVE up (product_id, category_id) AS (
			SELECT p.id, p.category_id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
			WHERE p.status = 'active' AND e.status = 'active'
			UNION ALL
			SELECT up.product_id, c.parent_id FROM up JOIN categories c ON c.id = up.category_id WHERE c.parent_id IS NOT NULL
		), rows AS (
			SELECT up.category_id AS listing, s.in_stock_only, f.facet, f.value
			FROM up JOIN products p ON p.id = up.product_id JOIN enterprises e ON e.id = p.enterprise_id
			CROSS JOIN (VALUES (false), (true)) s (in_stock_only)
			CROSS JOIN LATERAL (VALUES ('enterprise_type', e.type::text), ('region', e.region::text),
				('tax_type', p.tax_type::text), ('kind', p.kind::text), ('category_ids', p.category_id::text), ('total', '')) f (facet, value)
			WHERE NOT s.in_stock_only OR p.stock > 0
		)
		SELECT listing AS category_id, in_stock_only, facet, value, count(*)::int AS n FROM rows
		GROUP BY 1, 2, 3, 4`,
		`CREATE INDEX ON bench_listing_facets (category_id, in_stock_only)`,
		`ANALYZE products`, `ANALYZE bench_listing_facets`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			return nil, fmt.Errorf("bench: listing: %w", err)
		}
	}
	rows, err := pool.Query(ctx, `WITH RECURSIVE down (root, id) AS (
			SELECT id, id FROM categories UNION ALL SELECT down.root, c.id FROM down JOIN categories c ON c.parent_id = down.id)
		SELECT root, array_agg(id ORDER BY id) FROM down GROUP BY root ORDER BY root`)
	if err != nil {
		return nil, fmt.Errorf("bench: listing: categories: %w", err)
	}
	type tree struct {
		Root    int64
		Subtree []int64
	}
	trees, err := pgx.CollectRows(rows, pgx.RowToStructByPos[tree])
	if err != nil {
		return nil, fmt.Errorf("bench: listing: categories: %w", err)
	}
	var out []listingRequest
	for _, t := range trees {
		for _, inStock := range []bool{false, true} {
			r := listingRequest{category: t.Root, subtree: t.Subtree, inStock: inStock, page: 1}
			first, err := listPostgres(ctx, pool, r, perPage)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
			if len(first) == perPage { // the page after it, by keyset
				next := r
				next.page, next.after = 2, &first[len(first)-1]
				out = append(out, next)
			}
		}
	}
	for i := range out {
		q := search.Query{CategoryID: out[i].category, InStock: out[i].inStock, Sort: search.SortPopular,
			Page: out[i].page, PerPage: perPage}
		if out[i].meili, err = json.Marshal(meilisearch.Request(q)); err != nil {
			return nil, fmt.Errorf("bench: listing: %w", err)
		}
	}
	return out, nil
}

// listingColumns are what a card shows (as the Meilisearch request retrieves).
const listingColumns = `p.id, p.name, p.summary, p.category_id, p.enterprise_id, e.name, e.type, e.region, p.kind,
	p.tax_type, p.consumer_price, p.public_price, p.stock > 0, p.popularity`

// listingSQL is one listing page's query: for each category of the
// subtree its first perPage products after the keyset (an index range
// each), then the best perPage of those.
func listingSQL(r listingRequest, perPage int) (string, []any) {
	after := listingKey{inStock: true, popularity: 1 << 30, id: 1 << 62}
	if r.after != nil {
		after = *r.after
	}
	return `SELECT x.* FROM unnest($1::bigint[]) c (id) CROSS JOIN LATERAL (
			SELECT ` + listingColumns + ` FROM products p JOIN enterprises e ON e.id = p.enterprise_id
			WHERE p.category_id = c.id AND p.status = 'active' AND e.status = 'active' AND (NOT $2 OR p.stock > 0)
			  AND ((p.stock > 0)::int, p.popularity, p.id) < ($3::int, $4::int, $5::bigint)
			ORDER BY (p.stock > 0)::int DESC, p.popularity DESC, p.id DESC LIMIT $6) x
		ORDER BY 13 DESC, 14 DESC, 1 DESC LIMIT $6`,
		[]any{r.subtree, r.inStock, boolInt(after.inStock), after.popularity, after.id, perPage}
}

// scanListing reads a listing page's rows and returns their keys.
func scanListing(rows pgx.Rows) ([]listingKey, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (listingKey, error) {
		var k listingKey
		var name, summary, ent, typ, region, kind, tax string
		var cat, entID, price, public int64
		err := row.Scan(&k.id, &name, &summary, &cat, &entID, &ent, &typ, &region, &kind, &tax, &price, &public,
			&k.inStock, &k.popularity)
		return k, err
	})
}

// listPostgres reads one listing page and returns its keys.
func listPostgres(ctx context.Context, pool *pgxpool.Pool, r listingRequest, perPage int) ([]listingKey, error) {
	sql, args := listingSQL(r, perPage)
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("bench: listing: %w", err)
	}
	return scanListing(rows)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// postgresListing is the prototype's loop body: the facet counts and the
// page in one round trip (a pgx batch).
func postgresListing(pool *pgxpool.Pool, reqs []listingRequest, perPage int) func(context.Context, int, int) error {
	return func(ctx context.Context, _, i int) error {
		r := reqs[i%len(reqs)]
		var b pgx.Batch
		b.Queue(`SELECT facet, value, n FROM bench_listing_facets WHERE category_id = $1 AND in_stock_only = $2`,
			r.category, r.inStock)
		sql, args := listingSQL(r, perPage)
		b.Queue(sql, args...)
		res := pool.SendBatch(ctx, &b)
		defer res.Close()
		frows, err := res.Query()
		if err != nil {
			return err
		}
		for frows.Next() { // a category without products has none
		}
		frows.Close()
		if err := frows.Err(); err != nil {
			return err
		}
		rows, err := res.Query()
		if err != nil {
			return err
		}
		_, err = scanListing(rows)
		return err
	}
}

// meiliListing sends each listing's request straight to Meilisearch.
func meiliListing(cfg LoadConfig, reqs []listingRequest) func(context.Context, int, int) error {
	client := newClient(cfg.Workers * 2)
	return func(ctx context.Context, _, i int) error {
		return meiliPost(ctx, client, cfg, "/search", reqs[i%len(reqs)].meili, nil)
	}
}

// listingNote says how the prototype reads, for the report.
var listingNote = "per listing: facet counts from a precomputed table and the page by keyset (in stock, popularity, id) " +
	"as the best " + strconv.Itoa(search.DefaultPerPage) + " of each subtree category's first " +
	strconv.Itoa(search.DefaultPerPage) + " on an index; page 1 and page 2 of every category; custom loop"
