package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
)

var _ catalog.WriteStore = (*CatalogStore)(nil)

// FindManagedEnterprise returns an enterprise in any status.
func (s *CatalogStore) FindManagedEnterprise(ctx context.Context, id int64) (*catalog.Enterprise, error) {
	e, err := scanEnterprise(s.pool.QueryRow(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE e.id = $1`, id))
	if err != nil {
		return nil, translate(err, "기업")
	}
	return e, nil
}

// FindManagedProduct returns a product in any status with its enterprise,
// category, options and images; enterpriseID > 0 restricts it to that
// enterprise's products that are not archived.
func (s *CatalogStore) FindManagedProduct(ctx context.Context, id, enterpriseID int64) (*catalog.Product, error) {
	if enterpriseID > 0 {
		return findFullProduct(ctx, s.pool, `p.id = $1 AND p.enterprise_id = $2 AND p.status <> 'archived' AND `+notBundle, id, enterpriseID)
	}
	return findFullProduct(ctx, s.pool, `p.id = $1 AND `+notBundle, id)
}

// FindManagedProducts returns the products f selects with their enterprise,
// options and first image, and the total.
func (s *CatalogStore) FindManagedProducts(ctx context.Context, f catalog.ManagedProductFilter) ([]*catalog.Product, int, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, replaceN(cond, len(args)))
	}
	if f.EnterpriseID != 0 {
		add("p.enterprise_id = $N", f.EnterpriseID)
	}
	where = append(where, notBundle) // bundles have their own console page
	if f.Status == "" {
		where = append(where, "p.status <> 'archived'")
	} else {
		add("p.status = $N", f.Status)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		add("(p.name ILIKE $N OR p.code ILIKE $N)", "%"+likeEscape(q)+"%")
	}
	if q := strings.TrimSpace(f.EnterpriseQuery); q != "" {
		// A 사업자등록번호 matches by its leading digits, hyphens or not.
		digits := strings.ReplaceAll(q, "-", "")
		if len(digits) < 3 || strings.Trim(digits, "0123456789") != "" {
			digits = "-" // matches no business number
		}
		args = append(args, "%"+likeEscape(q)+"%", digits+"%")
		where = append(where, fmt.Sprintf("(e.name ILIKE $%d OR e.business_number LIKE $%d)", len(args)-1, len(args)))
	}
	if len(where) == 0 {
		where = append(where, "true")
	}
	cond := joinAnd(where)
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, translate(err, "상품 목록")
	}
	order := "p.created_at DESC, p.id DESC"
	switch f.Sort {
	case catalog.SortUpdated:
		order = "p.updated_at DESC, p.id DESC"
	case catalog.SortName:
		order = "p.name, p.id"
	case catalog.SortLowStock:
		order = "coalesce((SELECT min(stock) FROM product_options WHERE product_id = p.id), p.stock), p.id"
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, `SELECT `+productColumns+`, `+enterpriseColumns+`, `+optionArrays+`,
			coalesce(i.url, ''), coalesce(i.alt, ''), coalesce(i.thumb_url, '')
		FROM products p
		JOIN enterprises e ON e.id = p.enterprise_id
		CROSS JOIN LATERAL (`+optionArraysFrom+`) o
		LEFT JOIN LATERAL (SELECT url, alt, thumb_url FROM product_images WHERE product_id = p.id ORDER BY position LIMIT 1) i ON true
		WHERE `+cond+` ORDER BY `+order+`
		LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, translate(err, "상품 목록")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*catalog.Product, error) {
		var p catalog.Product
		var e catalog.Enterprise
		var o optionCols
		var im catalog.Image
		dest := append(append(productEnterpriseDest(&p, &e), o.dest()...), &im.URL, &im.Alt, &im.ThumbURL)
		if err := r.Scan(dest...); err != nil {
			return nil, err
		}
		p.Enterprise, p.Options, p.Images = &e, o.options(), []catalog.Image{}
		if im.URL != "" {
			p.Images = append(p.Images, im)
		}
		return &p, nil
	})
	if err != nil {
		return nil, 0, translate(err, "상품 목록")
	}
	return list, total, nil
}

// FindManagedEnterprises returns the enterprises f selects, by name, with
// their product counts (archived products left out), and the total.
func (s *CatalogStore) FindManagedEnterprises(ctx context.Context, f catalog.ManagedEnterpriseFilter) ([]*catalog.Enterprise, int, error) {
	where := []string{"true"}
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, replaceN(cond, len(args)))
	}
	if f.IDs != nil {
		add("e.id = ANY($N)", f.IDs)
	}
	if f.Status != "" {
		add("e.status = $N", f.Status)
	}
	if f.Type != "" {
		add("e.type = $N", f.Type)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// A 사업자등록번호 matches by its leading digits, hyphens or not.
		digits := strings.ReplaceAll(q, "-", "")
		if len(digits) < 3 || strings.Trim(digits, "0123456789") != "" {
			digits = "-" // matches no business number
		}
		args = append(args, "%"+likeEscape(q)+"%", digits+"%")
		where = append(where, fmt.Sprintf("(e.name ILIKE $%d OR e.business_number LIKE $%d)", len(args)-1, len(args)))
	}
	cond := joinAnd(where)
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM enterprises e WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, translate(err, "기업 목록")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	args = append(args, min(limit, 200), max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, `SELECT `+enterpriseColumns+`,
			(SELECT count(*) FROM products p WHERE p.enterprise_id = e.id AND p.status <> 'archived')
		FROM enterprises e WHERE `+cond+` ORDER BY e.name, e.id
		LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, translate(err, "기업 목록")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*catalog.Enterprise, error) {
		var n int
		e, err := scanEnterprise(r, &n)
		if err == nil {
			e.ProductCount = n
		}
		return e, err
	})
	if err != nil {
		return nil, 0, translate(err, "기업 목록")
	}
	return list, total, nil
}

// FindEnterpriseProducts returns the enterprise's products that are not
// archived, with options and images, by id.
func (s *CatalogStore) FindEnterpriseProducts(ctx context.Context, enterpriseID int64) ([]*catalog.Product, error) {
	return loadProducts(ctx, s.pool, `p.enterprise_id = $1 AND p.status <> 'archived' AND `+notBundle, enterpriseID)
}

// loadProducts returns the products matching cond (on p) with their options
// and images, by id.
func loadProducts(ctx context.Context, q querier, cond string, args ...any) ([]*catalog.Product, error) {
	rows, err := q.Query(ctx, `SELECT `+productColumns+`, `+optionArrays+`, i.urls, i.alts, i.thumbs, `+tierArrays+`
		FROM products p
		CROSS JOIN LATERAL (`+optionArraysFrom+`) o
		CROSS JOIN LATERAL (`+imageArraysFrom+`) i
		CROSS JOIN LATERAL (`+tierArraysFrom+`) t
		WHERE `+cond+` ORDER BY p.id`, args...)
	if err != nil {
		return nil, translate(err, "상품 목록")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*catalog.Product, error) {
		var p catalog.Product
		var o optionCols
		var im imageCols
		var tc tierCols
		if err := r.Scan(append(append(append(productDest(&p), o.dest()...), im.dest()...), tc.dest()...)...); err != nil {
			return nil, err
		}
		p.Options, p.Images = o.options(), im.images()
		tc.fill(&p)
		return &p, nil
	})
	if err != nil {
		return nil, translate(err, "상품 목록")
	}
	return list, nil
}

// CreateProduct inserts p with its options and images, queues it for the
// search index and writes its audit record, in one transaction.
func (s *CatalogStore) CreateProduct(ctx context.Context, p *catalog.Product, audit account.AuditFunc[*catalog.Product]) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: create product: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if err := insertProduct(ctx, tx, p); err != nil {
		return err
	}
	if err := insertAuditFunc(ctx, tx, audit, nil, p); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: create product: commit: %w", err)
	}
	return nil
}

// UpdateProduct locks product id, lets fn change a copy and writes what
// differs, queueing the product for the search index, with its audit record.
func (s *CatalogStore) UpdateProduct(ctx context.Context, id int64, fn func(p *catalog.Product) error,
	audit account.AuditFunc[*catalog.Product]) (before, after *catalog.Product, err error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: update product: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if before, err = lockProduct(ctx, tx, id, "FOR NO KEY UPDATE"); err != nil {
		return nil, nil, err
	}
	after = before.Clone()
	if err := fn(after); err != nil {
		return nil, nil, err
	}
	after.ID, after.EnterpriseID, after.ExternalID = before.ID, before.EnterpriseID, before.ExternalID
	changed, err := updateProduct(ctx, tx, before, after)
	if err != nil || !changed {
		return before, after, err
	}
	if after, err = findFullProduct(ctx, tx, `p.id = $1`, id); err != nil {
		return nil, nil, err
	}
	if err := insertAuditFunc(ctx, tx, audit, before, after); err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nil, fmt.Errorf("postgres: update product: commit: %w", err)
	}
	return before, after, nil
}

// lockProduct locks product id (lock is FOR UPDATE or FOR NO KEY UPDATE)
// and returns it in full. NotFound.
func lockProduct(ctx context.Context, tx pgx.Tx, id int64, lock string) (*catalog.Product, error) {
	var one int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM products p WHERE id = $1 AND `+notBundle+` `+lock, id).Scan(&one); err != nil {
		return nil, translate(err, "상품")
	}
	return findFullProduct(ctx, tx, `p.id = $1`, id)
}

// DeleteProduct deletes product id, or archives it when an order line refers
// to it, and queues it for the search index (which drops it), with its audit
// record.
func (s *CatalogStore) DeleteProduct(ctx context.Context, id int64, fn func(p *catalog.Product) error,
	audit account.AuditFunc[*catalog.Product]) (before *catalog.Product, archived bool, err error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("postgres: delete product: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	// FOR UPDATE waits for an order being placed for the product (its line
	// holds a key share lock), so the check below sees that order's line.
	if before, err = lockProduct(ctx, tx, id, "FOR UPDATE"); err != nil {
		return nil, false, err
	}
	if err := fn(before.Clone()); err != nil {
		return nil, false, err
	}
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM order_lines WHERE product_id = $1)`, id).Scan(&archived); err != nil {
		return nil, false, fmt.Errorf("postgres: delete product %d: order lines: %w", id, err)
	}
	var after *catalog.Product
	if archived {
		after = before.Clone()
		after.Status = catalog.StatusArchived
		err = tx.QueryRow(ctx, `UPDATE products SET status = 'archived', updated_at = now() WHERE id = $1 RETURNING updated_at`, id).
			Scan(&after.UpdatedAt)
	} else {
		_, err = tx.Exec(ctx, `DELETE FROM products WHERE id = $1`, id)
	}
	if err != nil {
		return nil, false, fmt.Errorf("postgres: delete product %d: %w", id, err)
	}
	if err := queueOutbox(ctx, tx, search.EntityProduct, id); err != nil {
		return nil, false, err
	}
	if err := insertAuditFunc(ctx, tx, audit, before, after); err != nil {
		return nil, false, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, false, fmt.Errorf("postgres: delete product: commit: %w", err)
	}
	return before, archived, nil
}

// UpdateEnterprise locks enterprise id, lets fn change a copy, and writes its
// review setting and return address with the audit record. The status is
// not written here: onboarding's ChangeStatus changes it and queues the
// enterprise for the search index.
func (s *CatalogStore) UpdateEnterprise(ctx context.Context, id int64, fn func(e *catalog.Enterprise) error,
	audit account.AuditFunc[*catalog.Enterprise]) (before, after *catalog.Enterprise, err error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: update enterprise: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if before, err = lockEnterprise(ctx, tx, id); err != nil {
		return nil, nil, err
	}
	a := *before
	after = &a
	if err := fn(after); err != nil {
		return nil, nil, err
	}
	after.Status = before.Status
	if after.ReviewProducts == before.ReviewProducts && after.Return == before.Return {
		return before, after, nil
	}
	r := after.Return
	if err := tx.QueryRow(ctx, `UPDATE enterprises SET review_products = $2, return_postcode = $3, return_road = $4,
		return_detail = $5, return_phone = $6, updated_at = now()
		WHERE id = $1 RETURNING updated_at`, id, after.ReviewProducts, r.Postcode, r.Road, r.Detail, r.Phone).Scan(&after.UpdatedAt); err != nil {
		return nil, nil, translate(err, "기업")
	}
	if err := insertAuditFunc(ctx, tx, audit, before, after); err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nil, fmt.Errorf("postgres: update enterprise: commit: %w", err)
	}
	return before, after, nil
}

// lockEnterprise locks enterprise id against other catalogue writes (not
// against orders, whose foreign keys only share its key) and returns it.
func lockEnterprise(ctx context.Context, tx pgx.Tx, id int64) (*catalog.Enterprise, error) {
	e, err := scanEnterprise(tx.QueryRow(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE e.id = $1 FOR NO KEY UPDATE`, id))
	if err != nil {
		return nil, translate(err, "기업")
	}
	return e, nil
}

// ApplyProducts locks the enterprise and its products, lets plan decide and
// writes its changes, each with its audit record, in one transaction.
func (s *CatalogStore) ApplyProducts(ctx context.Context, enterpriseID int64,
	plan func(e *catalog.Enterprise, current []*catalog.Product) ([]catalog.ProductChange, error),
	audit account.AuditFunc[*catalog.Product]) ([]catalog.ProductChange, error) {

	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: apply products: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	e, err := lockEnterprise(ctx, tx, enterpriseID)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM products WHERE enterprise_id = $1 AND status <> 'archived' FOR NO KEY UPDATE`, enterpriseID); err != nil {
		return nil, fmt.Errorf("postgres: apply products: lock: %w", err)
	}
	current, err := loadProducts(ctx, tx, `p.enterprise_id = $1 AND p.status <> 'archived'`, enterpriseID)
	if err != nil {
		return nil, err
	}
	changes, err := plan(e, current)
	if err != nil {
		return nil, err
	}
	own := map[int64]bool{}
	for _, p := range current {
		own[p.ID] = true
	}
	for _, c := range changes {
		if c.Before == nil {
			c.After.EnterpriseID = enterpriseID
			err = insertProduct(ctx, tx, c.After)
		} else if !own[c.Before.ID] {
			err = fmt.Errorf("postgres: apply products: product %d is not one of enterprise %d's", c.Before.ID, enterpriseID)
		} else {
			c.After.ID, c.After.EnterpriseID, c.After.ExternalID = c.Before.ID, enterpriseID, c.Before.ExternalID
			_, err = updateProduct(ctx, tx, c.Before, c.After)
		}
		if err != nil {
			return nil, catalog.ErrorAtLine(c.Line, err)
		}
		if err := insertAuditFunc(ctx, tx, audit, c.Before, c.After); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("postgres: apply products: commit: %w", err)
	}
	return changes, nil
}

// insertProduct writes a new product, its options and images on tx and
// queues it for the search index; it sets p's ids and timestamps. A product
// made in the portal gets a generated external id.
func insertProduct(ctx context.Context, tx pgx.Tx, p *catalog.Product) error {
	err := tx.QueryRow(ctx, `INSERT INTO products (external_id, code, enterprise_id, category_id, kind, name, summary,
			description, unit, tax_type, consumer_price, public_price, stock, status, featured, popularity)
		VALUES (coalesce(nullif($1, ''), 'web-' || gen_random_uuid()::text), $2, $3, $4, $5, $6, $7, $8, $9, $10,
			$11, $12, $13, $14, $15, $16)
		RETURNING id, external_id, created_at, updated_at`,
		p.ExternalID, p.Code, p.EnterpriseID, p.CategoryID, string(p.Kind), p.Name, p.Summary, p.Description, p.Unit,
		string(p.TaxType), p.ConsumerPrice, p.PublicPrice, p.Stock, p.Status, p.Featured, p.Popularity,
	).Scan(&p.ID, &p.ExternalID, &p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return productError(err)
	}
	if err := writeOptions(ctx, tx, p.ID, nil, p.Options); err != nil {
		return err
	}
	if err := writeImages(ctx, tx, p.ID, p.Images); err != nil {
		return err
	}
	if err := writeTiers(ctx, tx, p); err != nil {
		return err
	}
	return queueOutbox(ctx, tx, search.EntityProduct, p.ID)
}

// updateProduct writes what differs between before and after (the row, the
// options, the images) on tx and queues the product for the search index.
// It reports whether anything differed.
func updateProduct(ctx context.Context, tx pgx.Tx, before, after *catalog.Product) (bool, error) {
	changes := catalog.ProductChanges(before, after)
	if len(changes) == 0 {
		return false, nil
	}
	err := tx.QueryRow(ctx, `UPDATE products SET code = $2, category_id = $3, kind = $4, name = $5, summary = $6,
			description = $7, unit = $8, tax_type = $9, consumer_price = $10, public_price = $11, stock = $12,
			status = $13, featured = $14, popularity = $15, updated_at = now()
		WHERE id = $1 RETURNING updated_at`,
		after.ID, after.Code, after.CategoryID, string(after.Kind), after.Name, after.Summary, after.Description,
		after.Unit, string(after.TaxType), after.ConsumerPrice, after.PublicPrice, after.Stock, after.Status,
		after.Featured, after.Popularity).Scan(&after.UpdatedAt)
	if err != nil {
		return false, productError(err)
	}
	if slices.Contains(changes, "options") {
		if err := writeOptions(ctx, tx, after.ID, before.Options, after.Options); err != nil {
			return false, err
		}
	}
	if slices.Contains(changes, "images") {
		if _, err := tx.Exec(ctx, `DELETE FROM product_images WHERE product_id = $1`, after.ID); err != nil {
			return false, fmt.Errorf("postgres: product %d: images: %w", after.ID, err)
		}
		if err := writeImages(ctx, tx, after.ID, after.Images); err != nil {
			return false, err
		}
	}
	if slices.Contains(changes, "consumer_tiers") || slices.Contains(changes, "public_tiers") {
		if _, err := tx.Exec(ctx, `DELETE FROM product_price_tiers WHERE product_id = $1`, after.ID); err != nil {
			return false, fmt.Errorf("postgres: product %d: tiers: %w", after.ID, err)
		}
		if err := writeTiers(ctx, tx, after); err != nil {
			return false, err
		}
	}
	return true, queueOutbox(ctx, tx, search.EntityProduct, after.ID)
}

// writeTiers inserts the volume tiers of p's two price lists.
func writeTiers(ctx context.Context, tx pgx.Tx, p *catalog.Product) error {
	for _, l := range []struct {
		name  string
		tiers []catalog.Tier
	}{{"consumer", p.ConsumerTiers}, {"public", p.PublicTiers}} {
		for _, t := range l.tiers {
			if _, err := tx.Exec(ctx, `INSERT INTO product_price_tiers (product_id, list, min_quantity, unit_price)
				VALUES ($1, $2, $3, $4)`, p.ID, l.name, t.MinQuantity, t.UnitPrice); err != nil {
				return productError(err)
			}
		}
	}
	return nil
}

// writeOptions turns the product's options from before into after: options
// of before left out are removed, those with an id updated in place (their
// ids are what carts and orders refer to), those without one inserted (their
// ids are set).
func writeOptions(ctx context.Context, tx pgx.Tx, productID int64, before, after []catalog.Option) error {
	keep := make([]int64, 0, len(after))
	for _, o := range after {
		if o.ID != 0 {
			keep = append(keep, o.ID)
		}
	}
	if len(before) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM product_options WHERE product_id = $1 AND NOT (id = ANY($2))`, productID, keep); err != nil {
			return fmt.Errorf("postgres: product %d: options: %w", productID, err)
		}
	}
	for i := range after {
		o := &after[i]
		if o.ID != 0 {
			tag, err := tx.Exec(ctx, `UPDATE product_options SET code = $3, name = $4, extra_price = $5, stock = $6, position = $7
				WHERE id = $1 AND product_id = $2`, o.ID, productID, o.Code, o.Name, o.ExtraPrice, o.Stock, i)
			if err != nil {
				return productError(err)
			}
			if tag.RowsAffected() != 1 {
				return fmt.Errorf("postgres: product %d: option %d is not its own", productID, o.ID)
			}
			continue
		}
		if err := tx.QueryRow(ctx, `INSERT INTO product_options (product_id, code, name, extra_price, stock, position)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, productID, o.Code, o.Name, o.ExtraPrice, o.Stock, i).Scan(&o.ID); err != nil {
			return productError(err)
		}
	}
	return nil
}

func writeImages(ctx context.Context, tx pgx.Tx, productID int64, images []catalog.Image) error {
	for i, im := range images {
		if _, err := tx.Exec(ctx, `INSERT INTO product_images (product_id, position, url, alt, thumb_url)
			VALUES ($1, $2, $3, $4, $5)`, productID, i, im.URL, im.Alt, im.ThumbURL); err != nil {
			return productError(err)
		}
	}
	return nil
}

// productError translates the violations of the catalogue's unique indexes
// and foreign keys into the catalogue's field errors.
func productError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.ConstraintName {
		case "products_enterprise_name":
			return catalog.NameTakenError()
		case "products_enterprise_code":
			return catalog.CodeTakenError()
		case "products_category_id_fkey":
			return catalog.UnknownCategoryError()
		case "product_options_product_id_code_key":
			return &apperr.Error{Code: apperr.Invalid, Message: "옵션 코드가 겹칩니다.", Fields: map[string]string{"options": "옵션 코드가 겹칩니다."}}
		}
	}
	return translate(err, "상품")
}
