package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/impact"
)

// ImpactStore implements impact.Store.
type ImpactStore struct {
	pool db
}

var _ impact.Store = (*ImpactStore)(nil)

// NewImpactStore returns an impact store on pool.
func NewImpactStore(pool *pgxpool.Pool) *ImpactStore { return &ImpactStore{pool: db{pool}} }

// kindOrder sorts figures in impact.Kinds order.
const kindOrder = `array_position(ARRAY['vulnerable_share', 'jobs', 'local_sourcing', 'work_minutes'], kind)`

// FindFigures returns each enterprise's figures.
func (s *ImpactStore) FindFigures(ctx context.Context, ids []int64) (map[int64][]impact.Figure, error) {
	return findFigures(ctx, s.pool, ids)
}

func findFigures(ctx context.Context, q orderQuerier, ids []int64) (map[int64][]impact.Figure, error) {
	out := map[int64][]impact.Figure{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT enterprise_id, kind, value, year, basis, updated_at FROM enterprise_impacts
		WHERE enterprise_id = ANY($1) ORDER BY enterprise_id, `+kindOrder, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: impact figures: %w", err)
	}
	var id int64
	var f impact.Figure
	_, err = pgx.ForEachRow(rows, []any{&id, &f.Kind, &f.Value, &f.Year, &f.Basis, &f.UpdatedAt}, func() error {
		out[id] = append(out[id], f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: impact figures: %w", err)
	}
	return out, nil
}

// ReplaceFigures replaces the enterprise's figures and writes the audit
// record in one transaction, under the enterprise's row lock.
func (s *ImpactStore) ReplaceFigures(ctx context.Context, enterpriseID int64, figures []impact.Figure,
	audit account.AuditFunc[[]impact.Figure]) ([]impact.Figure, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: impact: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	var one int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM enterprises WHERE id = $1 FOR NO KEY UPDATE`, enterpriseID).Scan(&one); err != nil {
		return nil, translate(err, "입점기업")
	}
	before, err := findFigures(ctx, tx, []int64{enterpriseID})
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM enterprise_impacts WHERE enterprise_id = $1`, enterpriseID); err != nil {
		return nil, fmt.Errorf("postgres: impact: clear: %w", err)
	}
	for _, f := range figures {
		if _, err := tx.Exec(ctx, `INSERT INTO enterprise_impacts (enterprise_id, kind, value, year, basis)
			VALUES ($1, $2, $3, $4, $5)`, enterpriseID, f.Kind, f.Value, f.Year, f.Basis); err != nil {
			return nil, translate(err, "사회적 가치 지표")
		}
	}
	if err := insertAuditFunc(ctx, tx, audit, before[enterpriseID], figures); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("postgres: impact: commit: %w", err)
	}
	return before[enterpriseID], nil
}

// FindPurchases sums a buyer's order lines per enterprise over the orders
// placed in year (Korean time) that are paid, confirmed (invoice) or
// completed, leaving out cancelled parts.
func (s *ImpactStore) FindPurchases(ctx context.Context, userID, institutionID int64, year int) ([]impact.Purchase, error) {
	rows, err := s.pool.Query(ctx, `SELECT so.enterprise_id, min(l.enterprise_name), sum(l.line_total)::bigint
		FROM orders o
		JOIN sub_orders so ON so.order_id = o.id
		JOIN order_lines l ON l.sub_order_id = so.id
		WHERE (($1::bigint <> 0 AND o.user_id = $1) OR ($2::bigint <> 0 AND o.institution_id = $2))
		  AND o.status IN ('paid', 'confirmed', 'completed') AND so.status <> 'cancelled'
		  AND o.created_at >= make_timestamptz($3, 1, 1, 0, 0, 0, 'Asia/Seoul')
		  AND o.created_at < make_timestamptz($3 + 1, 1, 1, 0, 0, 0, 'Asia/Seoul')
		GROUP BY so.enterprise_id
		ORDER BY 3 DESC, 1`, userID, institutionID, year)
	if err != nil {
		return nil, fmt.Errorf("postgres: impact purchases: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (impact.Purchase, error) {
		var p impact.Purchase
		err := r.Scan(&p.EnterpriseID, &p.EnterpriseName, &p.Amount)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: impact purchases: %w", err)
	}
	return list, nil
}
