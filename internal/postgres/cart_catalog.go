package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
)

var _ cart.Catalog = (*CatalogStore)(nil)

// FindCartProducts returns the active products of active enterprises among
// ids with what a cart shows and an order snapshots, in one query: the
// product's kind, name, tax type, prices (both lists), volume tiers and stock, its options, and its
// enterprise's name, type, certification, 사업자등록번호, region and shipping
// policy (one Enterprise value per enterprise). Descriptions, images and the
// other columns are left empty. A joint product comes with its Parts (each
// with its product read the same way) and the stock its parts allow; one
// whose part is not sold now is absent.
func (s *CatalogStore) FindCartProducts(ctx context.Context, ids []int64) (map[int64]*catalog.Product, error) {
	out, err := s.findCartProducts(ctx, ids)
	if err != nil || len(out) == 0 {
		return out, err
	}
	return out, s.attachBundleParts(ctx, out)
}

func (s *CatalogStore) findCartProducts(ctx context.Context, ids []int64) (map[int64]*catalog.Product, error) {
	out := make(map[int64]*catalog.Product, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT p.id, p.enterprise_id, p.kind, p.name, p.tax_type, p.consumer_price, p.public_price, p.stock,
			e.name, e.type, e.cert_number, e.cert_valid_until, e.business_number, e.region,
			e.shipping_fee, e.free_shipping_threshold, e.remote_surcharge,
			COALESCE(o.id, 0), COALESCE(o.code, ''), COALESCE(o.name, ''), COALESCE(o.extra_price, 0), COALESCE(o.stock, 0),
			`+tierArrays+`
		FROM products p
		JOIN enterprises e ON e.id = p.enterprise_id
		CROSS JOIN LATERAL (`+tierArraysFrom+`) t
		LEFT JOIN product_options o ON o.product_id = p.id
		WHERE p.id = ANY($1) AND p.status = 'active' AND e.status = 'active'
		ORDER BY p.id, o.position, o.id`, ids)
	if err != nil {
		return nil, translate(err, "상품")
	}
	enterprises := map[int64]*catalog.Enterprise{}
	var (
		p  catalog.Product
		e  catalog.Enterprise
		o  catalog.Option
		tc tierCols
	)
	dest := []any{&p.ID, &p.EnterpriseID, &p.Kind, &p.Name, &p.TaxType, &p.ConsumerPrice, &p.PublicPrice, &p.Stock,
		&e.Name, &e.Type, &e.CertNumber, &e.CertValidUntil, &e.BusinessNumber, &e.Region,
		&e.Shipping.Fee, &e.Shipping.FreeThreshold, &e.Shipping.RemoteSurcharge,
		&o.ID, &o.Code, &o.Name, &o.ExtraPrice, &o.Stock, &tc.lists, &tc.mins, &tc.prices}
	_, err = pgx.ForEachRow(rows, dest, func() error {
		cur := out[p.ID]
		if cur == nil {
			ent := enterprises[p.EnterpriseID]
			if ent == nil {
				ent = new(catalog.Enterprise)
				*ent = e
				ent.ID = p.EnterpriseID
				enterprises[ent.ID] = ent
			}
			cur = new(catalog.Product)
			*cur = p
			cur.Status = "active"
			cur.Enterprise = ent
			tc.fill(cur)
			out[cur.ID] = cur
		}
		if o.ID != 0 { // 0: the product has no options (the LEFT JOIN found none)
			cur.Options = append(cur.Options, o)
		}
		return nil
	})
	if err != nil {
		return nil, translate(err, "상품")
	}
	return out, nil
}
