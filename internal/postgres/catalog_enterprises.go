package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/dure-coop/dure/internal/catalog"
)

// FindEnterprisesByIDs returns the active enterprises among ids, by id, in one
// query (product lists show each product's enterprise without N+1 lookups).
// Missing or inactive ids are simply absent from the map.
func (s *CatalogStore) FindEnterprisesByIDs(ctx context.Context, ids []int64) (map[int64]*catalog.Enterprise, error) {
	out := make(map[int64]*catalog.Enterprise, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e
		WHERE e.id = ANY($1) AND e.status = 'active'`, ids)
	if err != nil {
		return nil, translate(err, "기업 목록")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*catalog.Enterprise, error) { return scanEnterprise(r) })
	if err != nil {
		return nil, translate(err, "기업 목록")
	}
	for _, e := range list {
		out[e.ID] = e
	}
	return out, nil
}

// FindProductsWithOptions returns which of ids have options (a listing's
// card sends those to the product page to choose one), in one query.
func (s *CatalogStore) FindProductsWithOptions(ctx context.Context, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT product_id FROM product_options WHERE product_id = ANY($1)`, ids)
	if err != nil {
		return nil, translate(err, "상품 옵션")
	}
	list, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, translate(err, "상품 옵션")
	}
	for _, id := range list {
		out[id] = true
	}
	return out, nil
}
