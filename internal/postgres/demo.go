package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/demo"
)

// DemoStore moves the demo procurement history back in time
// (demo.History): the services stamp every step with the clock, and no
// service may write a past date, so this is the one place that does.
// Development only.
type DemoStore struct {
	pool *pgxpool.Pool
}

// NewDemoStore returns the store.
func NewDemoStore(pool *pgxpool.Pool) *DemoStore { return &DemoStore{pool: pool} }

// Backdate moves quote request requestID (its lines' offers, revisions and
// decision) and the order made from it (its parts, events, payment, 검수,
// claims and transfers) to the dates of at. A date column moves by as many
// days as its step's time lies before today (KST), so what the services
// derived from it (a claim's due date, a quote's validity) keeps its span.
// Sent revisions are immutable by trigger; Backdate turns it off inside its
// transaction, which needs the tables' owner (development's database user).
func (s *DemoStore) Backdate(ctx context.Context, requestID int64, at demo.Dates) error {
	today := coop.DateOf(time.Now())
	days := func(t time.Time) int {
		if t.IsZero() {
			return 0
		}
		return int(today.Sub(coop.DateOf(t)).Hours() / 24)
	}
	ts := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t
	}
	accepted := time.Time{}
	if !at.Shipped.IsZero() {
		accepted = at.Shipped.Add(-24 * time.Hour)
	}
	last := at.Requested
	for _, t := range []time.Time{at.Answered, at.Sent, at.Decided, at.Shipped, at.Inspected, at.Paid} {
		if t.After(last) {
			last = t
		}
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: backdate: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	const orders = `(SELECT id FROM orders WHERE quote_id = $1)`
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE quote_requests SET created_at = $2, updated_at = $3, desired_date = desired_date - $4::int WHERE id = $1`,
			[]any{at.Requested, last, days(at.Requested)}},
		{`UPDATE quote_line_offers SET routed_at = $2, answered_at = CASE WHEN answered_at IS NOT NULL THEN $3::timestamptz END,
			available_date = available_date - $4::int WHERE line_id IN (SELECT id FROM quote_request_lines WHERE request_id = $1)`,
			[]any{at.Requested, ts(at.Answered), days(at.Answered)}},
		// A sent revision never changes (its trigger): the history's are
		// dated back with the trigger off, in this transaction only.
		{`ALTER TABLE quote_revisions DISABLE TRIGGER quote_revisions_immutable`, nil},
		{`UPDATE quote_revisions SET sent_at = $2, delivery_date = delivery_date - $3::int, valid_until = valid_until - $3::int
			WHERE request_id = $1`, []any{ts(at.Sent), days(at.Sent)}},
		{`ALTER TABLE quote_revisions ENABLE TRIGGER quote_revisions_immutable`, nil},
		{`UPDATE quote_decisions SET at = $2 WHERE request_id = $1`, []any{ts(at.Decided)}},
		{`UPDATE orders SET created_at = $2, updated_at = $3, reserved_until = $2,
			agreed_at = CASE WHEN agreed_at IS NOT NULL THEN $2::timestamptz END,
			completed_at = CASE WHEN completed_at IS NOT NULL THEN $3::timestamptz END,
			desired_delivery_date = desired_delivery_date - $4::int WHERE quote_id = $1`,
			[]any{ts(at.Decided), last, days(at.Sent)}},
		{`UPDATE sub_orders SET created_at = $2, updated_at = $5,
			accepted_at = CASE WHEN accepted_at IS NOT NULL THEN $3::timestamptz END,
			shipped_at = CASE WHEN shipped_at IS NOT NULL THEN $4::timestamptz END,
			delivered_at = CASE WHEN delivered_at IS NOT NULL THEN coalesce($6::timestamptz, $4::timestamptz) END
			WHERE order_id IN ` + orders, []any{ts(at.Decided), ts(accepted), ts(at.Shipped), last, ts(at.Inspected)}},
		{`UPDATE order_events SET created_at = CASE
				WHEN sub_order_id IS NULL THEN $2::timestamptz
				WHEN to_status = 'accepted' THEN coalesce($3::timestamptz, $2::timestamptz)
				WHEN to_status = 'shipped' THEN coalesce($4::timestamptz, $2::timestamptz)
				ELSE $5::timestamptz END
			WHERE order_id IN ` + orders, []any{ts(at.Decided), ts(accepted), ts(at.Shipped), last}},
		{`UPDATE payments SET created_at = $2, updated_at = $2 WHERE order_id IN ` + orders, []any{ts(at.Decided)}},
		{`UPDATE inspections SET inspected_on = inspected_on - $2::int, created_at = $3, updated_at = $3
			WHERE sub_order_id IN (SELECT id FROM sub_orders WHERE order_id IN ` + orders + `)`,
			[]any{days(at.Inspected), ts(at.Inspected)}},
		{`UPDATE payment_claims SET claimed_on = claimed_on - $2::int, due_on = due_on - $2::int, created_at = $3
			WHERE order_id IN ` + orders, []any{days(at.Inspected), ts(at.Inspected)}},
		{`UPDATE invoice_transfers SET received_on = received_on - $2::int, created_at = $3 WHERE order_id IN ` + orders,
			[]any{days(at.Paid), ts(at.Paid)}},
	} {
		args := q.args
		if args != nil {
			args = append([]any{requestID}, args...)
		}
		if _, err := tx.Exec(ctx, q.sql, args...); err != nil {
			return fmt.Errorf("postgres: backdate: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: backdate: %w", err)
	}
	return nil
}
