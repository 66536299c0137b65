package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/dure-coop/dure/internal/order"
)

// InstitutionTodo counts, in one query, what waits for an institution's
// buyers (order.Service.InstitutionTodo says the rules). The invoice sums
// are those of the console's list (invoiceSums, invoiceStatusSQL).
func (s *OrderStore) InstitutionTodo(ctx context.Context, institutionID int64, today time.Time, inspectionDays int) (order.Todo, error) {
	var t order.Todo
	err := s.pool.QueryRow(ctx, `WITH x AS (`+invoiceSums+` AND o.institution_id = $2),
		parts AS (SELECT s.id, i.result, (coalesce(s.delivered_at, s.shipped_at) AT TIME ZONE 'Asia/Seoul')::date AS notice
			FROM sub_orders s JOIN orders o ON o.id = s.order_id
			LEFT JOIN inspections i ON i.sub_order_id = s.id
			WHERE o.institution_id = $2 AND o.payment_terms = 'invoice' AND s.status IN ('shipped', 'delivered')
			  AND (i.result IS NULL OR i.result = 'reject'))
		SELECT (SELECT count(*) FROM parts)::int,
			(SELECT count(*) FROM parts WHERE result IS NULL AND notice + $3::int < $1::date)::int,
			coalesce((SELECT sum(greatest(claimed - paid, 0)) FROM x), 0)::bigint,
			(SELECT count(*) FROM x WHERE past_due > paid)::int,
			(SELECT count(*) FROM orders WHERE institution_id = $2 AND payment_terms = 'card' AND status = 'pending_payment')::int`,
		today.Format(time.DateOnly), institutionID, inspectionDays).
		Scan(&t.PartsToInspect, &t.PartsPastDue, &t.InvoiceBalance, &t.InvoicesOverdue, &t.CardOrdersToPay)
	if err != nil {
		return order.Todo{}, fmt.Errorf("postgres: institution todo: %w", err)
	}
	return t, nil
}
