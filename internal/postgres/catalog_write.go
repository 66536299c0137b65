package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
)

var _ catalog.Importer = (*CatalogStore)(nil)

// importLockKey serialises catalogue imports (pg_advisory_xact_lock), so two
// imports never interleave their reference checks and writes.
const importLockKey int64 = 0x64757265_696d7074 // "dureimpt"

// importChunk is how many rows go to the server in one pipelined batch.
const importChunk = 500

type importQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// FindImportRefs returns the external ids (with business numbers, parents and
// slugs) of every enterprise and category, for validating a catalogue file.
func (s *CatalogStore) FindImportRefs(ctx context.Context) (*catalog.Existing, error) {
	return findImportRefs(ctx, s.pool)
}

func findImportRefs(ctx context.Context, q importQuerier) (*catalog.Existing, error) {
	ex := &catalog.Existing{Enterprises: map[string]string{}, Categories: map[string]catalog.ExistingCategory{}}
	rows, err := q.Query(ctx, `SELECT external_id, business_number FROM enterprises`)
	if err != nil {
		return nil, fmt.Errorf("postgres: import refs: enterprises: %w", err)
	}
	var id, bn string
	if _, err := pgx.ForEachRow(rows, []any{&id, &bn}, func() error { ex.Enterprises[id] = bn; return nil }); err != nil {
		return nil, fmt.Errorf("postgres: import refs: enterprises: %w", err)
	}
	rows, err = q.Query(ctx, `SELECT c.external_id, c.slug, coalesce(p.external_id, '')
		FROM categories c LEFT JOIN categories p ON p.id = c.parent_id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: import refs: categories: %w", err)
	}
	var c catalog.ExistingCategory
	if _, err := pgx.ForEachRow(rows, []any{&id, &c.Slug, &c.Parent}, func() error { ex.Categories[id] = c; return nil }); err != nil {
		return nil, fmt.Errorf("postgres: import refs: categories: %w", err)
	}
	return ex, nil
}

// ImportCatalogue writes b in one transaction: categories (parents first),
// enterprises and products are created or updated by external id, each
// product's options (by code) and images are replaced when they differ, and
// every created or changed row gets a search_outbox row. Rows whose content is
// unchanged are not touched (their updated_at stays). References are checked
// again under an advisory lock; a row that no longer resolves or that breaks a
// constraint is returned as an *catalog.ImportError and nothing is written.
func (s *CatalogStore) ImportCatalogue(ctx context.Context, b *catalog.Batch) (catalog.ImportStats, error) {
	var stats catalog.ImportStats
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return stats, fmt.Errorf("postgres: import: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, importLockKey); err != nil {
		return stats, fmt.Errorf("postgres: import: lock: %w", err)
	}
	existing, err := findImportRefs(ctx, tx)
	if err != nil {
		return stats, err
	}
	if rows := b.CheckReferences(existing); len(rows) > 0 {
		return stats, &catalog.ImportError{Rows: rows}
	}
	w := &importWriter{tx: tx, outbox: map[string][]int64{}}
	if stats.Categories, err = w.categories(ctx, b.Categories); err != nil {
		return catalog.ImportStats{}, err
	}
	if stats.Enterprises, err = w.enterprises(ctx, b.Enterprises); err != nil {
		return catalog.ImportStats{}, err
	}
	if stats.Products, err = w.products(ctx, b.Products); err != nil {
		return catalog.ImportStats{}, err
	}
	for _, entity := range []string{search.EntityCategory, search.EntityEnterprise, search.EntityProduct} {
		if err := queueOutbox(ctx, tx, entity, w.outbox[entity]...); err != nil {
			return catalog.ImportStats{}, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return catalog.ImportStats{}, fmt.Errorf("postgres: import: commit: %w", err)
	}
	// A bulk import leaves the planner without statistics until autovacuum
	// catches up; seen here: product lists went from 0.4 ms to 4 ms on a bad
	// plan right after a seed. Analyse now when many rows were written.
	if stats.Products.Created+stats.Products.Updated+stats.Enterprises.Created > 100 {
		if _, err := s.pool.Exec(ctx, `ANALYZE enterprises, categories, products, product_options, product_images`); err != nil {
			return stats, fmt.Errorf("postgres: import: analyze: %w", err)
		}
	}
	return stats, nil
}

type importWriter struct {
	tx     pgx.Tx
	outbox map[string][]int64 // entity → ids of created or changed rows
}

// rowError turns a constraint violation caused by the row on line into an
// ImportError naming that line; other errors are wrapped.
func rowError(line int, what string, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.ConstraintName == "products_enterprise_name" {
		return &catalog.ImportError{Rows: []catalog.RowError{{Line: line, Field: "name", Message: catalog.MsgNameTaken,
			English: "another product of the enterprise already has this name"}}}
	}
	if errors.As(err, &pgErr) && len(pgErr.Code) == 5 && pgErr.Code[:2] == "23" {
		field := pgErr.ColumnName
		return &catalog.ImportError{Rows: []catalog.RowError{{Line: line, Field: field,
			Message: "데이터베이스 제약 조건에 맞지 않습니다 (" + pgErr.ConstraintName + ")",
			English: "violates a database constraint: " + pgErr.Message}}}
	}
	return fmt.Errorf("postgres: import %s on line %d: %w", what, line, err)
}

// idsByExternalID maps the external ids of table's rows in ids to their ids.
func (w *importWriter) idsByExternalID(ctx context.Context, table string, ids []string) (map[string]int64, error) {
	// table is one of three constants, never input.
	rows, err := w.tx.Query(ctx, `SELECT external_id, id FROM `+table+` WHERE external_id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: import: find %s: %w", table, err)
	}
	m := make(map[string]int64, len(ids))
	var ext string
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&ext, &id}, func() error { m[ext] = id; return nil }); err != nil {
		return nil, fmt.Errorf("postgres: import: find %s: %w", table, err)
	}
	return m, nil
}

// count records the outcome of one upsert: inserted, updated, or (no row
// returned by the conditional DO UPDATE) unchanged.
func (w *importWriter) count(c *catalog.ImportCounts, entity string, id int64, returned, created bool) {
	switch {
	case !returned:
		c.Unchanged++
		return
	case created:
		c.Created++
	default:
		c.Updated++
	}
	w.outbox[entity] = append(w.outbox[entity], id)
}

func (w *importWriter) categories(ctx context.Context, rows []catalog.CategoryRow) (catalog.ImportCounts, error) {
	var c catalog.ImportCounts
	refs := make([]string, 0, 2*len(rows))
	for _, r := range rows {
		refs = append(refs, r.ExternalID, r.ParentRef)
	}
	ids, err := w.idsByExternalID(ctx, "categories", refs)
	if err != nil {
		return c, err
	}
	// One statement per row: a new parent's id is needed by its children.
	for _, r := range rows {
		var parentID *int64
		if r.ParentRef != "" {
			id, ok := ids[r.ParentRef]
			if !ok {
				return c, fmt.Errorf("postgres: import category on line %d: parent %q not written yet (categories must come parents first)", r.Line, r.ParentRef)
			}
			parentID = &id
		}
		var id int64
		var created bool
		err := w.tx.QueryRow(ctx, `INSERT INTO categories (external_id, slug, parent_id, name, position)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (external_id) DO UPDATE SET slug = EXCLUDED.slug, parent_id = EXCLUDED.parent_id,
				name = EXCLUDED.name, position = EXCLUDED.position, updated_at = now()
			WHERE (categories.slug, categories.parent_id, categories.name, categories.position)
				IS DISTINCT FROM (EXCLUDED.slug, EXCLUDED.parent_id, EXCLUDED.name, EXCLUDED.position)
			RETURNING id, xmax = 0`, r.ExternalID, r.Slug, parentID, r.Name, r.Position).Scan(&id, &created)
		returned := err == nil
		if errors.Is(err, pgx.ErrNoRows) {
			id, err = ids[r.ExternalID], nil
		}
		if err != nil {
			return c, rowError(r.Line, "category", err)
		}
		ids[r.ExternalID] = id
		w.count(&c, "category", id, returned, created)
	}
	return c, nil
}

func (w *importWriter) enterprises(ctx context.Context, rows []catalog.EnterpriseRow) (catalog.ImportCounts, error) {
	var c catalog.ImportCounts
	refs := make([]string, len(rows))
	for i, r := range rows {
		refs[i] = r.ExternalID
	}
	ids, err := w.idsByExternalID(ctx, "enterprises", refs)
	if err != nil {
		return c, err
	}
	err = w.pipeline(ctx, len(rows), func(b *pgx.Batch, i int) {
		e := rows[i]
		b.Queue(`INSERT INTO enterprises (external_id, name, type, cert_number, cert_valid_until, business_number,
				region, representative, phone, email, address, mission, description, shipping_fee,
				free_shipping_threshold, remote_surcharge, status)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
			ON CONFLICT (external_id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type,
				cert_number = EXCLUDED.cert_number, cert_valid_until = EXCLUDED.cert_valid_until,
				business_number = EXCLUDED.business_number, region = EXCLUDED.region,
				representative = EXCLUDED.representative, phone = EXCLUDED.phone, email = EXCLUDED.email,
				address = EXCLUDED.address, mission = EXCLUDED.mission, description = EXCLUDED.description,
				shipping_fee = EXCLUDED.shipping_fee, free_shipping_threshold = EXCLUDED.free_shipping_threshold,
				remote_surcharge = EXCLUDED.remote_surcharge, status = EXCLUDED.status, updated_at = now()
			WHERE (enterprises.name, enterprises.type, enterprises.cert_number, enterprises.cert_valid_until,
				enterprises.business_number, enterprises.region, enterprises.representative, enterprises.phone,
				enterprises.email, enterprises.address, enterprises.mission, enterprises.description,
				enterprises.shipping_fee, enterprises.free_shipping_threshold, enterprises.remote_surcharge,
				enterprises.status)
			IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.type, EXCLUDED.cert_number, EXCLUDED.cert_valid_until,
				EXCLUDED.business_number, EXCLUDED.region, EXCLUDED.representative, EXCLUDED.phone,
				EXCLUDED.email, EXCLUDED.address, EXCLUDED.mission, EXCLUDED.description,
				EXCLUDED.shipping_fee, EXCLUDED.free_shipping_threshold, EXCLUDED.remote_surcharge,
				EXCLUDED.status)
			RETURNING id, xmax = 0`,
			e.ExternalID, e.Name, string(e.Type), e.CertNumber, e.CertValidUntil, e.BusinessNumber,
			string(e.Region), e.Representative, e.Phone, e.Email, e.Address, e.Mission, e.Description,
			e.Shipping.Fee, e.Shipping.FreeThreshold, e.Shipping.RemoteSurcharge, e.Status)
	}, func(br pgx.BatchResults, i int) error {
		var id int64
		var created bool
		err := br.QueryRow().Scan(&id, &created)
		returned := err == nil
		if errors.Is(err, pgx.ErrNoRows) {
			id, err = ids[rows[i].ExternalID], nil
		}
		if err != nil {
			return rowError(rows[i].Line, "enterprise", err)
		}
		w.count(&c, "enterprise", id, returned, created)
		return nil
	})
	return c, err
}

type optionRow struct {
	code, name string
	extra      int64
	stock      int
	position   int
}

type imageRow struct{ url, alt string }

func (w *importWriter) products(ctx context.Context, rows []catalog.ProductRow) (catalog.ImportCounts, error) {
	var c catalog.ImportCounts
	var prodRefs, entRefs, catRefs []string
	for _, r := range rows {
		prodRefs = append(prodRefs, r.ExternalID)
		entRefs = append(entRefs, r.EnterpriseRef)
		catRefs = append(catRefs, r.CategoryRef)
	}
	entIDs, err := w.idsByExternalID(ctx, "enterprises", entRefs)
	if err != nil {
		return c, err
	}
	catIDs, err := w.idsByExternalID(ctx, "categories", catRefs)
	if err != nil {
		return c, err
	}
	ids, err := w.idsByExternalID(ctx, "products", prodRefs)
	if err != nil {
		return c, err
	}
	oldOptions, oldImages, err := w.children(ctx, ids)
	if err != nil {
		return c, err
	}

	// First the product rows themselves...
	type outcome struct {
		id                int64
		returned, created bool
	}
	out := make([]outcome, len(rows))
	err = w.pipeline(ctx, len(rows), func(b *pgx.Batch, i int) {
		p := rows[i]
		b.Queue(`INSERT INTO products (external_id, enterprise_id, category_id, kind, name, summary, description,
				unit, tax_type, consumer_price, public_price, stock, status, featured, popularity)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
			ON CONFLICT (external_id) DO UPDATE SET enterprise_id = EXCLUDED.enterprise_id,
				category_id = EXCLUDED.category_id, kind = EXCLUDED.kind, name = EXCLUDED.name,
				summary = EXCLUDED.summary, description = EXCLUDED.description, unit = EXCLUDED.unit,
				tax_type = EXCLUDED.tax_type, consumer_price = EXCLUDED.consumer_price,
				public_price = EXCLUDED.public_price, stock = EXCLUDED.stock, status = EXCLUDED.status,
				featured = EXCLUDED.featured, popularity = EXCLUDED.popularity, updated_at = now()
			WHERE (products.enterprise_id, products.category_id, products.kind, products.name, products.summary,
				products.description, products.unit, products.tax_type, products.consumer_price,
				products.public_price, products.stock, products.status, products.featured, products.popularity)
			IS DISTINCT FROM (EXCLUDED.enterprise_id, EXCLUDED.category_id, EXCLUDED.kind, EXCLUDED.name,
				EXCLUDED.summary, EXCLUDED.description, EXCLUDED.unit, EXCLUDED.tax_type,
				EXCLUDED.consumer_price, EXCLUDED.public_price, EXCLUDED.stock, EXCLUDED.status,
				EXCLUDED.featured, EXCLUDED.popularity)
			RETURNING id, xmax = 0`,
			p.ExternalID, entIDs[p.EnterpriseRef], catIDs[p.CategoryRef], string(p.Kind), p.Name, p.Summary,
			p.Description, p.Unit, string(p.TaxType), p.ConsumerPrice, p.PublicPrice, p.Stock, p.Status,
			p.Featured, p.Popularity)
	}, func(br pgx.BatchResults, i int) error {
		o := &out[i]
		err := br.QueryRow().Scan(&o.id, &o.created)
		o.returned = err == nil
		if errors.Is(err, pgx.ErrNoRows) {
			o.id, err = ids[rows[i].ExternalID], nil
		}
		if err != nil {
			return rowError(rows[i].Line, "product", err)
		}
		return nil
	})
	if err != nil {
		return c, err
	}

	// ...then options and images where they differ from what is stored.
	// Options are updated by code rather than replaced, so their ids (which
	// carts and orders will refer to) survive a re-import.
	type work struct {
		line  int
		queue func(b *pgx.Batch)
		n     int
	}
	var todo []work
	for i, p := range rows {
		o := &out[i]
		newOpts := make([]optionRow, len(p.Options))
		codes := make([]string, len(p.Options))
		for j, op := range p.Options {
			newOpts[j] = optionRow{code: op.Code, name: op.Name, extra: op.ExtraPrice, stock: op.Stock, position: j}
			codes[j] = op.Code
		}
		newImgs := make([]imageRow, len(p.Images))
		for j, im := range p.Images {
			newImgs[j] = imageRow{url: im.URL, alt: im.Alt}
		}
		optsChanged := !slices.Equal(newOpts, oldOptions[o.id])
		imgsChanged := !slices.Equal(newImgs, oldImages[o.id])
		if !optsChanged && !imgsChanged {
			w.count(&c, "product", o.id, o.returned, o.created)
			continue
		}
		id, touch := o.id, !o.returned
		n := 0
		var queue []func(b *pgx.Batch)
		if optsChanged {
			queue = append(queue, func(b *pgx.Batch) {
				b.Queue(`DELETE FROM product_options WHERE product_id = $1 AND NOT (code = ANY($2))`, id, codes)
			})
			n++
			for _, op := range newOpts {
				queue = append(queue, func(b *pgx.Batch) {
					b.Queue(`INSERT INTO product_options (product_id, code, name, extra_price, stock, position)
						VALUES ($1, $2, $3, $4, $5, $6)
						ON CONFLICT (product_id, code) DO UPDATE SET name = EXCLUDED.name,
							extra_price = EXCLUDED.extra_price, stock = EXCLUDED.stock, position = EXCLUDED.position`,
						id, op.code, op.name, op.extra, op.stock, op.position)
				})
				n++
			}
		}
		if imgsChanged {
			queue = append(queue, func(b *pgx.Batch) { b.Queue(`DELETE FROM product_images WHERE product_id = $1`, id) })
			n++
			for j, im := range newImgs {
				queue = append(queue, func(b *pgx.Batch) {
					b.Queue(`INSERT INTO product_images (product_id, position, url, alt) VALUES ($1, $2, $3, $4)`,
						id, j, im.url, im.alt)
				})
				n++
			}
		}
		if touch { // the product row itself was unchanged, but it changed as a whole
			queue = append(queue, func(b *pgx.Batch) { b.Queue(`UPDATE products SET updated_at = now() WHERE id = $1`, id) })
			n++
		}
		todo = append(todo, work{line: p.Line, n: n, queue: func(b *pgx.Batch) {
			for _, q := range queue {
				q(b)
			}
		}})
		w.count(&c, "product", o.id, true, o.created)
	}
	err = w.pipeline(ctx, len(todo), func(b *pgx.Batch, i int) { todo[i].queue(b) },
		func(br pgx.BatchResults, i int) error {
			for range todo[i].n {
				if _, err := br.Exec(); err != nil {
					return rowError(todo[i].line, "product options and images", err)
				}
			}
			return nil
		})
	return c, err
}

// children loads the stored options and images of the given products.
func (w *importWriter) children(ctx context.Context, ids map[string]int64) (map[int64][]optionRow, map[int64][]imageRow, error) {
	list := make([]int64, 0, len(ids))
	for _, id := range ids {
		list = append(list, id)
	}
	opts := map[int64][]optionRow{}
	rows, err := w.tx.Query(ctx, `SELECT product_id, code, name, extra_price, stock, position FROM product_options
		WHERE product_id = ANY($1) ORDER BY product_id, position, id`, list)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: import: find options: %w", err)
	}
	var pid int64
	var o optionRow
	if _, err := pgx.ForEachRow(rows, []any{&pid, &o.code, &o.name, &o.extra, &o.stock, &o.position}, func() error {
		opts[pid] = append(opts[pid], o)
		return nil
	}); err != nil {
		return nil, nil, fmt.Errorf("postgres: import: find options: %w", err)
	}
	imgs := map[int64][]imageRow{}
	rows, err = w.tx.Query(ctx, `SELECT product_id, url, alt FROM product_images
		WHERE product_id = ANY($1) ORDER BY product_id, position`, list)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: import: find images: %w", err)
	}
	var im imageRow
	if _, err := pgx.ForEachRow(rows, []any{&pid, &im.url, &im.alt}, func() error {
		imgs[pid] = append(imgs[pid], im)
		return nil
	}); err != nil {
		return nil, nil, fmt.Errorf("postgres: import: find images: %w", err)
	}
	return opts, imgs, nil
}

// pipeline sends n rows' statements in batches of importChunk rows: queue adds
// row i's statements, read consumes its results in the same order.
func (w *importWriter) pipeline(ctx context.Context, n int, queue func(*pgx.Batch, int), read func(pgx.BatchResults, int) error) error {
	for start := 0; start < n; start += importChunk {
		end := min(start+importChunk, n)
		b := &pgx.Batch{}
		for i := start; i < end; i++ {
			queue(b, i)
		}
		br := w.tx.SendBatch(ctx, b)
		for i := start; i < end; i++ {
			if err := read(br, i); err != nil {
				_ = br.Close()
				return err
			}
		}
		if err := br.Close(); err != nil {
			return fmt.Errorf("postgres: import: %w", err)
		}
	}
	return nil
}
