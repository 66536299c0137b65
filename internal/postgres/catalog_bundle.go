package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
)

var _ catalog.BundleStore = (*CatalogStore)(nil)

// productStock is a product's available stock in SQL (on p): its own, or
// for a joint product the minimum over its parts (bundle_stock, 00022).
const productStock = `coalesce(bundle_stock(p.id), p.stock)`

// notBundle (on p) leaves joint products out of the lists and writes of
// the generic product screens: their price is fixed to their parts' shares
// and the console changes them on its own page.
const notBundle = `NOT EXISTS (SELECT 1 FROM bundles bx WHERE bx.product_id = p.id)`

// CreateBundle writes the bundle's product row, the bundles row and its
// parts, queues the product for search and writes the audit record, in one
// transaction.
func (s *CatalogStore) CreateBundle(ctx context.Context, b *catalog.Bundle, createdBy int64, audit account.AuditFunc[*catalog.Bundle]) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: create bundle: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	p := b.Product
	p.ExternalID = "bundle-" + randomToken()
	if err := insertProduct(ctx, tx, p); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `INSERT INTO bundles (product_id, created_by) VALUES ($1, $2) RETURNING created_at`,
		p.ID, nullID(createdBy)).Scan(&b.CreatedAt); err != nil {
		return translate(err, "공동상품")
	}
	for i, part := range b.Parts {
		if _, err := tx.Exec(ctx, `INSERT INTO bundle_parts (bundle_product_id, position, product_id, option_id, quantity, share)
			VALUES ($1, $2, $3, $4, $5, $6)`, p.ID, i, part.ProductID, nullID(part.OptionID), part.Quantity, part.Share); err != nil {
			return translate(err, "공동상품 구성품")
		}
	}
	if err := tx.QueryRow(ctx, `SELECT coalesce(bundle_stock($1), 0)`, p.ID).Scan(&p.Stock); err != nil {
		return fmt.Errorf("postgres: create bundle: stock: %w", err)
	}
	if err := insertAuditFunc(ctx, tx, audit, nil, b); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: create bundle: commit: %w", err)
	}
	return nil
}

func randomToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// FindBundle returns the bundle of product id with its parts.
func (s *CatalogStore) FindBundle(ctx context.Context, id int64, activeOnly bool) (*catalog.Bundle, error) {
	cond := `b.product_id = $1`
	if activeOnly {
		cond += ` AND p.status = 'active' AND e.status = 'active'`
	}
	list, err := s.findBundles(ctx, cond, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, apperr.Errorf(apperr.NotFound, "공동상품을 찾을 수 없습니다.")
	}
	return list[0], nil
}

// FindBundles lists every bundle, newest first.
func (s *CatalogStore) FindBundles(ctx context.Context) ([]*catalog.Bundle, error) {
	return s.findBundles(ctx, `true`)
}

// findBundles loads the bundles cond (on b, p, e; $1 = arg) selects, with
// their parts, in two queries.
func (s *CatalogStore) findBundles(ctx context.Context, cond string, args ...any) ([]*catalog.Bundle, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+productColumns+`, `+enterpriseColumns+`, b.created_at
		FROM bundles b JOIN products p ON p.id = b.product_id JOIN enterprises e ON e.id = p.enterprise_id
		WHERE `+cond+` ORDER BY b.created_at DESC, b.product_id DESC`, args...)
	if err != nil {
		return nil, translate(err, "공동상품")
	}
	byID := map[int64]*catalog.Bundle{}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*catalog.Bundle, error) {
		var p catalog.Product
		var e catalog.Enterprise
		b := &catalog.Bundle{Product: &p}
		if err := r.Scan(append(productEnterpriseDest(&p, &e), &b.CreatedAt)...); err != nil {
			return nil, err
		}
		p.Enterprise = &e
		byID[p.ID] = b
		return b, nil
	})
	if err != nil {
		return nil, translate(err, "공동상품")
	}
	if len(list) == 0 {
		return list, nil
	}
	ids := make([]int64, 0, len(list))
	for _, b := range list {
		ids = append(ids, b.Product.ID)
	}
	rows, err = s.pool.Query(ctx, `SELECT bp.bundle_product_id, bp.product_id, coalesce(bp.option_id, 0), bp.quantity, bp.share,
			p.name, p.kind, p.tax_type, p.status, p.enterprise_id, e.name, e.type, e.status,
			coalesce(o.name, ''), coalesce(o.stock, p.stock)
		FROM bundle_parts bp
		JOIN products p ON p.id = bp.product_id
		JOIN enterprises e ON e.id = p.enterprise_id
		LEFT JOIN product_options o ON o.id = bp.option_id
		WHERE bp.bundle_product_id = ANY($1)
		ORDER BY bp.bundle_product_id, bp.position`, ids)
	if err != nil {
		return nil, translate(err, "공동상품 구성품")
	}
	var bid int64
	var part catalog.BundlePart
	var p catalog.Product
	var e catalog.Enterprise
	_, err = pgx.ForEachRow(rows, []any{&bid, &part.ProductID, &part.OptionID, &part.Quantity, &part.Share,
		&p.Name, &p.Kind, &p.TaxType, &p.Status, &p.EnterpriseID, &e.Name, &e.Type, &e.Status,
		&part.OptionName, &part.Stock}, func() error {
		pp, ee := p, e
		ee.ID = pp.EnterpriseID
		pp.ID, pp.Enterprise = part.ProductID, &ee
		x := part
		x.Product = &pp
		if b := byID[bid]; b != nil {
			b.Parts = append(b.Parts, x)
		}
		return nil
	})
	if err != nil {
		return nil, translate(err, "공동상품 구성품")
	}
	return list, nil
}

// SetBundleStatus sets a bundle's status and queues it for search, with the
// audit record when it changed.
func (s *CatalogStore) SetBundleStatus(ctx context.Context, id int64, status string, audit account.AuditFunc[string]) (string, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return "", fmt.Errorf("postgres: bundle status: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	var before string
	err = tx.QueryRow(ctx, `SELECT p.status FROM products p JOIN bundles b ON b.product_id = p.id
		WHERE p.id = $1 FOR NO KEY UPDATE OF p`, id).Scan(&before)
	if err != nil {
		return "", translate(err, "공동상품")
	}
	if before != status {
		if _, err := tx.Exec(ctx, `UPDATE products SET status = $2, updated_at = now() WHERE id = $1`, id, status); err != nil {
			return "", translate(err, "공동상품")
		}
		if err := queueOutbox(ctx, tx, search.EntityProduct, id); err != nil {
			return "", err
		}
		if err := insertAuditFunc(ctx, tx, audit, before, status); err != nil {
			return "", err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return "", fmt.Errorf("postgres: bundle status: commit: %w", err)
	}
	return before, nil
}

// attachBundleParts gives the joint products among out their parts (the
// parts' products read like the cart's), and their stock as the minimum
// over them. A bundle one of whose parts is not sold now (or lacks its
// option) is taken out of out: it cannot be ordered.
func (s *CatalogStore) attachBundleParts(ctx context.Context, out map[int64]*catalog.Product) error {
	ids := make([]int64, 0, len(out))
	for id := range out {
		ids = append(ids, id)
	}
	rows, err := s.pool.Query(ctx, `SELECT bundle_product_id, product_id, coalesce(option_id, 0), quantity, share
		FROM bundle_parts WHERE bundle_product_id = ANY($1) ORDER BY bundle_product_id, position`, ids)
	if err != nil {
		return translate(err, "공동상품 구성품")
	}
	type row struct {
		bundle int64
		part   catalog.BundlePart
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.bundle, &x.part.ProductID, &x.part.OptionID, &x.part.Quantity, &x.part.Share)
		return x, err
	})
	if err != nil {
		return translate(err, "공동상품 구성품")
	}
	if len(list) == 0 {
		return nil
	}
	partIDs := make([]int64, 0, len(list))
	for _, x := range list {
		partIDs = append(partIDs, x.part.ProductID)
	}
	parts, err := s.findCartProducts(ctx, partIDs)
	if err != nil {
		return err
	}
	broken := map[int64]bool{}
	for _, x := range list {
		b := out[x.bundle]
		pp := parts[x.part.ProductID]
		part := x.part
		ok := pp != nil && pp.Kind == catalog.Goods && (x.part.OptionID != 0) == (len(pp.Options) > 0)
		if ok {
			part.Product, part.Stock = pp, pp.Stock
			if part.OptionID != 0 {
				ok = false
				for _, o := range pp.Options {
					if o.ID == part.OptionID {
						part.OptionName, part.Stock, ok = o.Name, o.Stock, true
					}
				}
			}
		}
		if !ok {
			broken[x.bundle] = true
			continue
		}
		b.Parts = append(b.Parts, part)
	}
	for id, p := range out {
		if broken[id] {
			delete(out, id)
			continue
		}
		if len(p.Parts) > 0 {
			p.Stock = catalog.Available(p.Parts)
		}
	}
	return nil
}
