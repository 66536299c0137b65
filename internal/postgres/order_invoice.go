package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/order"
)

// loadInvoice reads the order's inspections, claims and transfers.
func loadInvoice(ctx context.Context, q orderQuerier, o *order.Order) (*order.InvoiceData, error) {
	d := &order.InvoiceData{Order: o, Inspections: map[int64]*order.Inspection{}, Claims: map[int64]*order.PaymentClaim{}}
	rows, err := q.Query(ctx, `SELECT sub_order_id, inspected_on, inspector, result, reason, user_id, updated_at
		FROM inspections WHERE order_id = $1`, o.ID)
	if err != nil {
		return nil, fmt.Errorf("postgres: inspections: %w", err)
	}
	var in order.Inspection
	_, err = pgx.ForEachRow(rows, []any{&in.SubOrderID, &in.Date, &in.Inspector, &in.Result, &in.Reason, &in.UserID,
		&in.RecordedAt}, func() error {
		x := in
		x.Accepted = map[int64]int{}
		d.Inspections[x.SubOrderID] = &x
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: inspections: %w", err)
	}
	rows, err = q.Query(ctx, `SELECT il.sub_order_id, il.order_line_id, il.accepted_quantity
		FROM inspection_lines il JOIN inspections i ON i.sub_order_id = il.sub_order_id WHERE i.order_id = $1`, o.ID)
	if err != nil {
		return nil, fmt.Errorf("postgres: inspection lines: %w", err)
	}
	var subID, lineID int64
	var qty int
	_, err = pgx.ForEachRow(rows, []any{&subID, &lineID, &qty}, func() error {
		if x := d.Inspections[subID]; x != nil {
			x.Accepted[lineID] = qty
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: inspection lines: %w", err)
	}
	rows, err = q.Query(ctx, `SELECT sub_order_id, amount, claimed_on, due_on FROM payment_claims WHERE order_id = $1`, o.ID)
	if err != nil {
		return nil, fmt.Errorf("postgres: claims: %w", err)
	}
	var c order.PaymentClaim
	_, err = pgx.ForEachRow(rows, []any{&c.SubOrderID, &c.Amount, &c.Date, &c.Due}, func() error {
		x := c
		d.Claims[x.SubOrderID] = &x
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: claims: %w", err)
	}
	rows, err = q.Query(ctx, `SELECT id, received_on, amount, payer, reference, created_at
		FROM invoice_transfers WHERE order_id = $1 ORDER BY id`, o.ID)
	if err != nil {
		return nil, fmt.Errorf("postgres: transfers: %w", err)
	}
	d.Transfers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (order.Transfer, error) {
		var t order.Transfer
		err := r.Scan(&t.ID, &t.Date, &t.Amount, &t.Payer, &t.Reference, &t.RecordedAt)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: transfers: %w", err)
	}
	return d, nil
}

// FindInvoice returns the order with its invoice's data.
func (s *OrderStore) FindInvoice(ctx context.Context, orderID int64) (*order.InvoiceData, error) {
	o, err := loadOrder(ctx, s.pool, `o.id = $1`, orderID)
	if err != nil {
		return nil, err
	}
	return loadInvoice(ctx, s.pool, o)
}

// invoiceStatusSQL is order.StatusOf over the sums invoiceSums computes,
// for filtering the list in the database.
const invoiceStatusSQL = `CASE
		WHEN x.past_due > x.paid THEN 'overdue'
		WHEN x.open = 0 AND x.claimed > 0 AND x.paid >= x.claimed THEN 'paid'
		WHEN x.paid > 0 THEN 'partial'
		ELSE 'unpaid' END`

// invoiceSums computes, per invoice order, what was claimed, what of it is
// past due on $1 (a date), what was paid and how many live parts have no
// claim yet.
const invoiceSums = `SELECT o.id, o.number, coalesce(i.name, ''), o.created_at, o.total,
		coalesce((SELECT sum(amount) FROM payment_claims c WHERE c.order_id = o.id), 0)::bigint AS claimed,
		coalesce((SELECT sum(amount) FROM payment_claims c WHERE c.order_id = o.id AND c.due_on < $1::date), 0)::bigint AS past_due,
		coalesce((SELECT sum(amount) FROM invoice_transfers t WHERE t.order_id = o.id), 0)::bigint AS paid,
		(SELECT count(*) FROM sub_orders s WHERE s.order_id = o.id AND s.status <> 'cancelled'
			AND NOT EXISTS (SELECT 1 FROM payment_claims c WHERE c.sub_order_id = s.id))::int AS open
	FROM orders o LEFT JOIN institutions i ON i.id = o.institution_id
	WHERE o.payment_terms = 'invoice'`

// FindInvoices lists the invoice orders by status as of today.
func (s *OrderStore) FindInvoices(ctx context.Context, f order.InvoiceFilter, today time.Time) ([]*order.InvoiceSummary, int, error) {
	args := []any{today.Format(time.DateOnly), string(f.Status)}
	base := `WITH x AS (` + invoiceSums + `), y AS (SELECT x.*, ` + invoiceStatusSQL + ` AS status FROM x)
		SELECT * FROM y WHERE ($2 = '' OR status = $2)`
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (`+base+`) z`, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count invoices: %w", err)
	}
	rows, err := s.pool.Query(ctx, base+` ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: invoices: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*order.InvoiceSummary, error) {
		var v order.InvoiceSummary
		var pastDue int64
		var open int
		err := r.Scan(&v.OrderID, &v.Number, &v.InstitutionName, &v.CreatedAt, &v.Total, &v.Claimed, &pastDue,
			&v.Paid, &open, &v.Status)
		return &v, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: invoices: %w", err)
	}
	return list, total, nil
}

// FindInvoiceStatuses implements order.Store: the invoice list's sums and
// status (invoiceSums, invoiceStatusSQL) of the given orders.
func (s *OrderStore) FindInvoiceStatuses(ctx context.Context, institutionID int64, orderIDs []int64, today time.Time) (map[int64]order.InvoiceStatus, error) {
	rows, err := s.pool.Query(ctx, `WITH x AS (`+invoiceSums+` AND o.institution_id = $2 AND o.id = ANY($3))
		SELECT x.id, `+invoiceStatusSQL+` FROM x`, today.Format(time.DateOnly), institutionID, orderIDs)
	if err != nil {
		return nil, fmt.Errorf("postgres: invoice statuses: %w", err)
	}
	out := make(map[int64]order.InvoiceStatus, len(orderIDs))
	var id int64
	var st order.InvoiceStatus
	if _, err := pgx.ForEachRow(rows, []any{&id, &st}, func() error {
		out[id] = st
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgres: invoice statuses: %w", err)
	}
	return out, nil
}

// InspectSubOrder writes a 검수, its claim and the part's change under the
// order's row lock.
func (s *OrderStore) InspectSubOrder(ctx context.Context, id int64,
	decide func(*order.Order, *order.SubOrder, *order.Inspection) (order.InspectionWrite, error)) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: inspect: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	var orderID int64
	if err := tx.QueryRow(ctx, `SELECT o.id FROM orders o JOIN sub_orders s ON s.order_id = o.id WHERE s.id = $1
		FOR UPDATE OF o`, id).Scan(&orderID); err != nil {
		return translate(err, "주문")
	}
	var w order.InspectionWrite
	err = s.apply(ctx, tx, orderID, func(o *order.Order) (order.Change, error) {
		d, err := loadInvoice(ctx, tx, o)
		if err != nil {
			return order.Change{}, err
		}
		so := o.SubOrder(id)
		if so == nil {
			return order.Change{}, translate(pgx.ErrNoRows, "주문")
		}
		w, err = decide(o, so, d.Inspections[id])
		return w.Change, err
	})
	if err != nil {
		return err
	}
	in := w.Inspection
	if _, err := tx.Exec(ctx, `INSERT INTO inspections (sub_order_id, order_id, inspected_on, inspector, result, reason, user_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (sub_order_id) DO UPDATE SET inspected_on = EXCLUDED.inspected_on, inspector = EXCLUDED.inspector,
			result = EXCLUDED.result, reason = EXCLUDED.reason, user_id = EXCLUDED.user_id, updated_at = now()`,
		id, orderID, in.Date.Format(time.DateOnly), in.Inspector, in.Result, in.Reason, in.UserID); err != nil {
		return translate(err, "검수")
	}
	if _, err := tx.Exec(ctx, `DELETE FROM inspection_lines WHERE sub_order_id = $1`, id); err != nil {
		return fmt.Errorf("postgres: inspection lines: %w", err)
	}
	for lineID, q := range in.Accepted {
		if _, err := tx.Exec(ctx, `INSERT INTO inspection_lines (sub_order_id, order_line_id, accepted_quantity)
			SELECT $1, l.id, $3 FROM order_lines l WHERE l.id = $2 AND l.sub_order_id = $1`, id, lineID, q); err != nil {
			return translate(err, "검수")
		}
	}
	if c := w.Claim; c != nil {
		if _, err := tx.Exec(ctx, `INSERT INTO payment_claims (sub_order_id, order_id, amount, claimed_on, due_on)
			VALUES ($1, $2, $3, $4, $5)`, id, orderID, c.Amount, c.Date.Format(time.DateOnly),
			c.Due.Format(time.DateOnly)); err != nil {
			return translate(err, "대금 청구")
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: inspect: commit: %w", err)
	}
	return nil
}

// AddTransfer records a transfer under the order's row lock, after check.
func (s *OrderStore) AddTransfer(ctx context.Context, orderID int64, t order.Transfer, audit *account.AuditRecord,
	check func(*order.InvoiceData) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: transfer: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if err := tx.QueryRow(ctx, `SELECT id FROM orders WHERE id = $1 FOR UPDATE`, orderID).Scan(&orderID); err != nil {
		return translate(err, "주문")
	}
	o, err := loadOrder(ctx, tx, `o.id = $1`, orderID)
	if err != nil {
		return err
	}
	d, err := loadInvoice(ctx, tx, o)
	if err != nil {
		return err
	}
	if err := check(d); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO invoice_transfers (order_id, received_on, amount, payer, reference, recorded_by)
		VALUES ($1, $2, $3, $4, $5, $6)`, orderID, t.Date.Format(time.DateOnly), t.Amount, t.Payer, t.Reference,
		t.RecordedBy); err != nil {
		return translate(err, "입금")
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: transfer: commit: %w", err)
	}
	return nil
}

// FindInstitutionOrders lists an institution's orders, newest first.
func (s *OrderStore) FindInstitutionOrders(ctx context.Context, institutionID int64, f order.UserOrderFilter) ([]*order.Order, int, error) {
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM orders WHERE institution_id = $1`, institutionID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count institution orders: %w", err)
	}
	list, err := loadOrders(ctx, s.pool, `o.institution_id = $1`, `ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3`,
		institutionID, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}
