package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/report"
)

// ReportStore implements report.Store.
type ReportStore struct {
	pool db
}

var _ report.Store = (*ReportStore)(nil)

// NewReportStore returns a report store on pool.
func NewReportStore(pool *pgxpool.Pool) *ReportStore { return &ReportStore{pool: db{pool}} }

// publicLinesSQL is every public order line that counts under a basis
// ($1: 'inspected' or 'delivered') and falls in the civil dates (in Korea)
// $3 to $4, with the quantity that counts and the date that places it in a
// month; the rules are the report package's doc. $2 is the institution (0:
// all). Each branch is bounded by an indexed date (00026): the 검수 date of
// an invoice order under the inspected basis, else the delivery time.
const publicLinesSQL = `
SELECT o.id AS order_id, o.channel, o.institution_id, o.user_id, o.buyer_phone, l.id AS line_id, l.product_id,
       l.product_name, so.enterprise_id, l.enterprise_name, l.enterprise_type, l.tax_type, l.unit_price,
       CASE WHEN i.result = 'reject' THEN 0 ELSE coalesce(il.accepted_quantity, l.quantity) END AS qty,
       i.inspected_on AS day
FROM inspections i
JOIN sub_orders so ON so.id = i.sub_order_id
JOIN orders o ON o.id = so.order_id
JOIN order_lines l ON l.sub_order_id = so.id
LEFT JOIN inspection_lines il ON il.sub_order_id = so.id AND il.order_line_id = l.id
WHERE $1 = 'inspected' AND o.payment_terms = 'invoice' AND i.result IN ('pass', 'partial')
  AND i.inspected_on BETWEEN $3 AND $4
  AND o.channel = 'public' AND o.status <> 'cancelled' AND so.status <> 'cancelled'
  AND ($2 = 0 OR o.institution_id = $2) AND ` + notRefundedSQL + `
UNION ALL
SELECT o.id, o.channel, o.institution_id, o.user_id, o.buyer_phone, l.id, l.product_id,
       l.product_name, so.enterprise_id, l.enterprise_name, l.enterprise_type, l.tax_type, l.unit_price,
       CASE WHEN i.result = 'reject' THEN 0 ELSE coalesce(il.accepted_quantity, l.quantity) END,
       (so.delivered_at AT TIME ZONE 'Asia/Seoul')::date
FROM sub_orders so
JOIN orders o ON o.id = so.order_id
JOIN order_lines l ON l.sub_order_id = so.id
LEFT JOIN inspections i ON i.sub_order_id = so.id
LEFT JOIN inspection_lines il ON il.sub_order_id = so.id AND il.order_line_id = l.id
WHERE NOT ($1 = 'inspected' AND o.payment_terms = 'invoice')
  AND so.status = 'delivered' AND so.delivered_at >= ` + kstFromSQL + ` AND so.delivered_at < ` + kstToSQL + `
  AND o.channel = 'public' AND o.status <> 'cancelled'
  AND ($2 = 0 OR o.institution_id = $2) AND ` + notRefundedSQL

// consumerLinesSQL is every consumer order line that counts: its order
// paid on a civil date (in Korea) from $3 to $4, neither the order nor the
// sub-order cancelled or refunded; the whole quantity.
const consumerLinesSQL = `
SELECT o.id AS order_id, o.channel, o.institution_id, o.user_id, o.buyer_phone, l.id AS line_id, l.product_id,
       l.product_name, so.enterprise_id, l.enterprise_name, l.enterprise_type, l.tax_type, l.unit_price,
       l.quantity AS qty, (o.paid_at AT TIME ZONE 'Asia/Seoul')::date AS day
FROM orders o
JOIN sub_orders so ON so.order_id = o.id
JOIN order_lines l ON l.sub_order_id = so.id
WHERE o.channel = 'consumer' AND o.paid_at >= ` + kstFromSQL + ` AND o.paid_at < ` + kstToSQL + `
  AND o.status <> 'cancelled' AND so.status <> 'cancelled' AND ` + notRefundedSQL

// notRefundedSQL holds when neither the order (o) nor its sub-order (so)
// was refunded.
const notRefundedSQL = `NOT EXISTS (SELECT 1 FROM refunds r JOIN payments p ON p.id = r.payment_id
                  WHERE p.order_id = o.id AND (r.sub_order_id IS NULL OR r.sub_order_id = so.id))`

// kstFromSQL and kstToSQL are the instants the Korean civil dates $3 and
// $4 start and end: a time column compared with them keeps its index.
const (
	kstFromSQL = `($3::date)::timestamp AT TIME ZONE 'Asia/Seoul'`
	kstToSQL   = `($4::date + 1)::timestamp AT TIME ZONE 'Asia/Seoul'`
)

// ProcurementSums sums the counted lines of q in one pass over them:
// GROUPING SETS give the total, the types, the enterprises (with their
// snapshotted type), the months and the institutions together.
func (s *ReportStore) ProcurementSums(ctx context.Context, q report.Query) (*report.Sums, error) {
	rows, err := s.pool.Query(ctx, `
WITH counted AS (`+publicLinesSQL+`),
lines AS (
    SELECT order_id, institution_id, inst.name AS institution_name, enterprise_id, enterprise_name, enterprise_type,
           date_trunc('month', day)::date AS month, qty::bigint AS qty, unit_price * qty AS amount,
           CASE WHEN tax_type = 'exempt' THEN unit_price * qty ELSE unit_price * qty * 10 / 11 END AS supply
    FROM counted JOIN institutions inst ON inst.id = counted.institution_id
    WHERE qty > 0
)
SELECT GROUPING(enterprise_type, enterprise_id, month, institution_id),
       coalesce(enterprise_type, ''), coalesce(enterprise_id, 0), month,
       coalesce(institution_id, 0), coalesce(institution_name, ''),
       coalesce((array_agg(enterprise_name ORDER BY order_id DESC))[1], ''),
       count(DISTINCT order_id), count(*), coalesce(sum(qty), 0)::bigint,
       coalesce(sum(amount), 0)::bigint, coalesce(sum(supply), 0)::bigint
FROM lines
GROUP BY GROUPING SETS ((), (enterprise_type), (enterprise_id, enterprise_type), (month),
                        (institution_id, institution_name))`,
		string(q.Basis), q.InstitutionID, q.Period.From, q.Period.To)
	if err != nil {
		return nil, fmt.Errorf("postgres: procurement report: %w", err)
	}
	defer rows.Close()
	sums := &report.Sums{}
	types := map[catalog.EnterpriseType]report.Figures{}
	months := map[time.Time]report.Figures{}
	for rows.Next() {
		var (
			g                int
			typ, inst, ename string
			ent, instID      int64
			month            *time.Time
			f                report.Figures
		)
		if err := rows.Scan(&g, &typ, &ent, &month, &instID, &inst, &ename, &f.Orders, &f.Lines, &f.Quantity,
			&f.Amount, &f.Supply); err != nil {
			return nil, fmt.Errorf("postgres: procurement report: %w", err)
		}
		f.VAT = f.Amount - f.Supply
		// GROUPING's bits, most significant first: type, enterprise, month,
		// institution; a bit is 1 when its column is rolled up.
		switch g {
		case 0b1111:
			sums.Total = f
		case 0b0111:
			types[catalog.EnterpriseType(typ)] = f
		case 0b0011:
			sums.ByEnterprise = append(sums.ByEnterprise, report.EnterpriseRow{EnterpriseID: ent, Name: ename,
				Type: catalog.EnterpriseType(typ), Figures: f})
		case 0b1101:
			if month != nil {
				months[*month] = f
			}
		case 0b1110:
			if q.InstitutionID == 0 {
				sums.ByInstitution = append(sums.ByInstitution, report.InstitutionRow{InstitutionID: instID, Name: inst, Figures: f})
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: procurement report: %w", err)
	}
	for _, t := range catalog.EnterpriseTypes {
		sums.ByType = append(sums.ByType, report.TypeRow{Type: t, Figures: types[t]})
	}
	for _, m := range q.Period.Months() {
		sums.ByMonth = append(sums.ByMonth, report.MonthRow{Month: m, Figures: months[m]})
	}
	report.SortEnterprises(sums.ByEnterprise)
	report.SortInstitutions(sums.ByInstitution)
	return sums, nil
}

// FindInstitution returns institution id.
func (s *ReportStore) FindInstitution(ctx context.Context, id int64) (*report.Institution, error) {
	var in report.Institution
	err := s.pool.QueryRow(ctx, `SELECT id, name FROM institutions WHERE id = $1`, id).Scan(&in.ID, &in.Name)
	if err != nil {
		return nil, translate(err, "기관")
	}
	return &in, nil
}

// FindInstitutions lists the institutions that are not pending, by name.
func (s *ReportStore) FindInstitutions(ctx context.Context) ([]report.Institution, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name FROM institutions WHERE status <> 'pending' ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: report institutions: %w", err)
	}
	defer rows.Close()
	var out []report.Institution
	for rows.Next() {
		var in report.Institution
		if err := rows.Scan(&in.ID, &in.Name); err != nil {
			return nil, fmt.Errorf("postgres: report institutions: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}
