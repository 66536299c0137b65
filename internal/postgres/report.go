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

// countedLinesSQL is every public order line that counts under a basis
// ($1: 'inspected' or 'delivered'), with the quantity that counts and the
// civil date (in Korea) that places it in a month; the rules are the
// report package's doc. $2 is the institution (0: all).
const countedLinesSQL = `
SELECT o.id AS order_id, o.institution_id, inst.name AS institution_name,
       so.enterprise_id, l.enterprise_name, l.enterprise_type, l.tax_type, l.unit_price, c.qty, c.day
FROM order_lines l
JOIN sub_orders so ON so.id = l.sub_order_id
JOIN orders o ON o.id = l.order_id
JOIN institutions inst ON inst.id = o.institution_id
LEFT JOIN inspections i ON i.sub_order_id = so.id
LEFT JOIN inspection_lines il ON il.sub_order_id = so.id AND il.order_line_id = l.id
CROSS JOIN LATERAL (SELECT
    CASE WHEN i.result = 'reject' THEN 0
         WHEN i.result IS NOT NULL THEN coalesce(il.accepted_quantity, l.quantity)
         ELSE l.quantity END AS qty,
    CASE WHEN $1 = 'inspected' AND o.payment_terms = 'invoice' THEN i.inspected_on
         ELSE (so.delivered_at AT TIME ZONE 'Asia/Seoul')::date END AS day) c
WHERE o.channel = 'public' AND o.status <> 'cancelled' AND so.status <> 'cancelled'
  AND ($2 = 0 OR o.institution_id = $2)
  AND CASE WHEN $1 = 'inspected' AND o.payment_terms = 'invoice' THEN i.result IN ('pass', 'partial')
           ELSE so.status = 'delivered' AND so.delivered_at IS NOT NULL END
  AND NOT EXISTS (SELECT 1 FROM refunds r JOIN payments p ON p.id = r.payment_id
                  WHERE p.order_id = o.id AND (r.sub_order_id IS NULL OR r.sub_order_id = so.id))`

// ProcurementSums sums the counted lines of q in one pass over them:
// GROUPING SETS give the total, the types, the enterprises (with their
// snapshotted type), the months and the institutions together.
func (s *ReportStore) ProcurementSums(ctx context.Context, q report.Query) (*report.Sums, error) {
	rows, err := s.pool.Query(ctx, `
WITH counted AS (`+countedLinesSQL+`),
lines AS (
    SELECT order_id, institution_id, institution_name, enterprise_id, enterprise_name, enterprise_type,
           date_trunc('month', day)::date AS month, qty::bigint AS qty, unit_price * qty AS amount,
           CASE WHEN tax_type = 'exempt' THEN unit_price * qty ELSE unit_price * qty * 10 / 11 END AS supply
    FROM counted
    WHERE qty > 0 AND day BETWEEN $3 AND $4
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
