package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/order"
)

// enterpriseSubOrderColumns follow subOrderColumns in the enterprise's
// queries: the order, its buyer and where it goes.
const enterpriseSubOrderColumns = `, o.number, o.status, o.created_at, o.buyer_name, o.buyer_phone, o.recipient,
	o.recipient_phone, o.postcode, o.road_address, o.detail_address, o.delivery_memo, o.payment_terms`

// enterpriseVisible selects the sub-orders (s) that are their enterprise's
// business: paid ones, and every part of an invoice order (it goes to
// fulfilment unpaid; nothing about it claims money came).
const enterpriseVisible = `(s.paid_at IS NOT NULL OR EXISTS (SELECT 1 FROM orders oi
	WHERE oi.id = s.order_id AND oi.payment_terms = 'invoice'))`

// enterpriseSubOrders reads the sub-orders cond selects (tail orders and
// pages them) with their orders and lines. Only paid sub-orders are the
// enterprise's business: cond is always combined with that.
func enterpriseSubOrders(ctx context.Context, q orderQuerier, cond, tail string, args ...any) ([]*order.EnterpriseSubOrder, error) {
	var list []*order.EnterpriseSubOrder
	subs, err := querySubOrdersWith(ctx, q, func(so *order.SubOrder) []any {
		e := &order.EnterpriseSubOrder{}
		list = append(list, e)
		a := &e.Address
		return []any{&e.OrderNumber, &e.OrderStatus, &e.OrderedAt, &e.BuyerName, &e.BuyerPhone, &a.Recipient,
			&a.Phone, &a.Postcode, &a.Road, &a.Detail, &a.Memo, &e.Terms}
	}, `SELECT `+subOrderColumns+enterpriseSubOrderColumns+`
		FROM `+subOrderFrom+` JOIN orders o ON o.id = s.order_id
		WHERE `+enterpriseVisible+` AND `+cond+` `+tail, args...)
	if err != nil {
		return nil, err
	}
	if len(subs) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(subs))
	for i, x := range subs {
		ids[i] = x.so.ID
	}
	if err := attachLines(ctx, q, subs, `sub_order_id = ANY($1)`, ids); err != nil {
		return nil, err
	}
	if err := attachReturns(ctx, q, subs); err != nil {
		return nil, err
	}
	for i, x := range subs {
		list[i].SubOrder = *x.so
		list[i].OrderID = x.orderID
	}
	return list, nil
}

// FindEnterpriseSubOrders lists the enterprise's paid sub-orders: those
// waiting for it the longest first, or the newest first.
func (s *OrderStore) FindEnterpriseSubOrders(ctx context.Context, enterpriseID int64, f order.SubOrderFilter) ([]*order.EnterpriseSubOrder, int, error) {
	where := []string{`s.enterprise_id = $1`}
	args := []any{enterpriseID}
	if f.Status != "" {
		args = append(args, f.Status)
		where = append(where, `s.status = $`+itoa(len(args)))
	}
	sort := `s.created_at DESC, s.id DESC`
	if f.Waiting {
		where = append(where, `s.status IN ('paid', 'confirmed', 'accepted')`)
		sort = `coalesce(s.paid_at, s.created_at), s.id`
	}
	if f.Returns {
		where = append(where, `EXISTS (SELECT 1 FROM order_returns r WHERE r.sub_order_id = s.id AND r.status IN ('requested', 'approved'))`)
		sort = `(SELECT min(r.requested_at) FROM order_returns r WHERE r.sub_order_id = s.id), s.id`
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM sub_orders s WHERE `+enterpriseVisible+` AND `+joinAnd(where),
		args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count enterprise sub-orders: %w", err)
	}
	args = append(args, f.Limit, f.Offset)
	list, err := enterpriseSubOrders(ctx, s.pool, joinAnd(where),
		`ORDER BY `+sort+` LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// FindEnterpriseSubOrder returns the enterprise's paid sub-order id with its
// lines and its own events.
func (s *OrderStore) FindEnterpriseSubOrder(ctx context.Context, enterpriseID, id int64) (*order.EnterpriseSubOrder, error) {
	list, err := enterpriseSubOrders(ctx, s.pool, `s.enterprise_id = $1 AND s.id = $2`, "", enterpriseID, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, translate(pgx.ErrNoRows, "주문")
	}
	so := list[0]
	rows, err := s.pool.Query(ctx, `SELECT sub_order_id, from_status, to_status, reason, created_at
		FROM order_events WHERE sub_order_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: load sub-order events: %w", err)
	}
	so.Events, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (order.Event, error) {
		var e order.Event
		err := r.Scan(&e.SubOrderID, &e.From, &e.To, &e.Reason, &e.At)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: load sub-order events: %w", err)
	}
	return so, nil
}

// UpdateSubOrder locks the order of the enterprise's paid sub-order id and
// applies what decide returns, in one transaction.
func (s *OrderStore) UpdateSubOrder(ctx context.Context, enterpriseID, id int64,
	decide func(*order.Order, *order.SubOrder) (order.Change, error)) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: update sub-order: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	var orderID int64
	err = tx.QueryRow(ctx, `SELECT o.id FROM orders o JOIN sub_orders s ON s.order_id = o.id
		WHERE s.id = $1 AND s.enterprise_id = $2 AND `+enterpriseVisible+`
		FOR UPDATE OF o`, id, enterpriseID).Scan(&orderID)
	if err != nil {
		return translate(err, "주문")
	}
	err = s.apply(ctx, tx, orderID, func(o *order.Order) (order.Change, error) {
		so := o.SubOrder(id)
		if so == nil {
			return order.Change{}, fmt.Errorf("postgres: sub-order %d left order %d", id, orderID)
		}
		return decide(o, so)
	})
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: update sub-order: commit: %w", err)
	}
	return nil
}

// saleAt is when a sub-order s of order o counts as a sale on the
// enterprise's dashboard: when it was paid, or, for an order on invoice
// (never paid by the data), when it was placed, which confirms it. The
// 우선구매 report counts such orders at 검수 instead; the dashboard shows
// firm orders, as it does for card orders once paid.
const saleAt = `coalesce(s.paid_at, CASE WHEN o.payment_terms = 'invoice' THEN o.created_at END)`

// FindEnterpriseStats reads the enterprise's dashboard figures in four
// queries: sales per Korean day, the best-sellers both ways, and the parts
// waiting for it. Cancelled parts count nowhere.
func (s *OrderStore) FindEnterpriseStats(ctx context.Context, enterpriseID int64, salesSince, topSince time.Time,
	topLimit int) (*order.EnterpriseStats, error) {
	var st order.EnterpriseStats
	rows, err := s.pool.Query(ctx, `SELECT (`+saleAt+` AT TIME ZONE 'Asia/Seoul')::date AS day, sum(s.total)::bigint,
			count(*)::int
		FROM sub_orders s JOIN orders o ON o.id = s.order_id
		WHERE s.enterprise_id = $1 AND `+saleAt+` >= $2 AND s.status <> 'cancelled'
		GROUP BY day ORDER BY day`, enterpriseID, salesSince)
	if err != nil {
		return nil, fmt.Errorf("postgres: sales by day: %w", err)
	}
	st.Days, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (order.DaySales, error) {
		var d order.DaySales
		err := r.Scan(&d.Day, &d.Amount, &d.Orders)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: sales by day: %w", err)
	}
	for _, by := range []struct {
		sort string
		dest *[]order.ProductSales
	}{{"3 DESC, 4 DESC", &st.TopByQuantity}, {"4 DESC, 3 DESC", &st.TopByAmount}} {
		rows, err := s.pool.Query(ctx, `SELECT l.product_id, (array_agg(l.product_name ORDER BY l.id DESC))[1],
				sum(l.quantity)::int, sum(l.line_total)::bigint
			FROM sub_orders s JOIN orders o ON o.id = s.order_id JOIN order_lines l ON l.sub_order_id = s.id
			WHERE s.enterprise_id = $1 AND `+saleAt+` >= $2 AND s.status <> 'cancelled'
			GROUP BY l.product_id ORDER BY `+by.sort+`, l.product_id LIMIT $3`, enterpriseID, topSince, topLimit)
		if err != nil {
			return nil, fmt.Errorf("postgres: top products: %w", err)
		}
		*by.dest, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (order.ProductSales, error) {
			var p order.ProductSales
			err := r.Scan(&p.ProductID, &p.Name, &p.Quantity, &p.Amount)
			return p, err
		})
		if err != nil {
			return nil, fmt.Errorf("postgres: top products: %w", err)
		}
	}
	err = s.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status IN ('paid', 'confirmed')), count(*) FILTER (WHERE status = 'accepted')
		FROM sub_orders WHERE enterprise_id = $1 AND status IN ('paid', 'confirmed', 'accepted')`, enterpriseID).
		Scan(&st.AwaitingAcceptance, &st.AwaitingShipment)
	if err != nil {
		return nil, fmt.Errorf("postgres: sub-orders waiting: %w", err)
	}
	return &st, nil
}

// FindUserOrders lists the user's orders, newest first.
func (s *OrderStore) FindUserOrders(ctx context.Context, userID int64, f order.UserOrderFilter) ([]*order.Order, int, error) {
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM orders WHERE user_id = $1`, userID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count user orders: %w", err)
	}
	list, err := loadOrders(ctx, s.pool, `o.user_id = $1`, `ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3`,
		userID, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// CreateClaim stores a claim under the order's row lock, so that concurrent
// requests cannot pass the hourly limit together.
func (s *OrderStore) CreateClaim(ctx context.Context, c order.Claim, perHour int) (bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: create claim: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if _, err := tx.Exec(ctx, `SELECT id FROM orders WHERE id = $1 FOR UPDATE`, c.OrderID); err != nil {
		return false, fmt.Errorf("postgres: create claim: lock order: %w", err)
	}
	var recent int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM order_claims
		WHERE order_id = $1 AND created_at > now() - interval '1 hour'`, c.OrderID).Scan(&recent); err != nil {
		return false, fmt.Errorf("postgres: create claim: count: %w", err)
	}
	if recent >= perHour {
		return false, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE order_claims SET expires_at = now()
		WHERE order_id = $1 AND user_id = $2 AND used_at IS NULL AND expires_at > now()`, c.OrderID, c.UserID); err != nil {
		return false, fmt.Errorf("postgres: create claim: end earlier ones: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO order_claims (order_id, user_id, code_hash, expires_at)
		VALUES ($1, $2, $3, $4)`, c.OrderID, c.UserID, c.CodeHash, c.ExpiresAt); err != nil {
		return false, translate(err, "주문 연결 요청")
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("postgres: create claim: commit: %w", err)
	}
	return true, nil
}

// UpdateClaim locks the order and the user's newest claim of it and writes
// what decide returns.
func (s *OrderStore) UpdateClaim(ctx context.Context, number string, userID int64,
	decide func(*order.Claim) (order.ClaimChange, error)) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: update claim: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	var c order.Claim
	if err := tx.QueryRow(ctx, `SELECT id, coalesce(user_id, 0) FROM orders WHERE number = $1 FOR UPDATE`,
		number).Scan(&c.OrderID, &c.OrderUserID); err != nil {
		return translate(err, "주문 연결 요청")
	}
	err = tx.QueryRow(ctx, `SELECT id, user_id, code_hash, expires_at, attempts, used_at FROM order_claims
		WHERE order_id = $1 AND user_id = $2 ORDER BY id DESC LIMIT 1`, c.OrderID, userID).
		Scan(&c.ID, &c.UserID, &c.CodeHash, &c.ExpiresAt, &c.Attempts, &c.UsedAt)
	if err != nil {
		return translate(err, "주문 연결 요청")
	}
	ch, err := decide(&c)
	if err != nil {
		return err
	}
	if ch.Attempt || ch.Use {
		if _, err := tx.Exec(ctx, `UPDATE order_claims SET attempts = attempts + CASE WHEN $2 THEN 1 ELSE 0 END,
				used_at = CASE WHEN $3 THEN now() ELSE used_at END
			WHERE id = $1`, c.ID, ch.Attempt, ch.Use); err != nil {
			return fmt.Errorf("postgres: update claim %d: %w", c.ID, err)
		}
	}
	if ch.SetUser {
		tag, err := tx.Exec(ctx, `UPDATE orders SET user_id = $2, updated_at = now() WHERE id = $1 AND user_id IS NULL`,
			c.OrderID, c.UserID)
		if err != nil {
			return translate(err, "주문")
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.Conflict, "이미 다른 회원 계정에 연결된 주문입니다.")
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: update claim: commit: %w", err)
	}
	return nil
}
