package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
)

// returnColumns read order_returns for scanReturn.
const returnColumns = `id, sub_order_id, reason, detail, status, fee_payer = 'seller', paid_amount, return_fee,
	refund_amount, reject_reason, restock, coalesce(requested_by, 0), requested_at, approved_at, rejected_at,
	received_at, refunded_at`

func scanReturn(r pgx.CollectableRow) (*order.Return, error) {
	var x order.Return
	err := r.Scan(&x.ID, &x.SubOrderID, &x.Reason, &x.Detail, &x.Status, &x.SellerPays, &x.PaidAmount, &x.ReturnFee,
		&x.RefundAmount, &x.RejectReason, &x.Restock, &x.RequestedBy, &x.RequestedAt, &x.ApprovedAt, &x.RejectedAt,
		&x.ReceivedAt, &x.RefundedAt)
	return &x, err
}

// attachReturns loads the returns of the sub-orders subs, oldest first,
// in one query.
func attachReturns(ctx context.Context, q orderQuerier, subs []subOrderRow) error {
	if len(subs) == 0 {
		return nil
	}
	ids := make([]int64, len(subs))
	bySub := make(map[int64]*order.SubOrder, len(subs))
	for i, x := range subs {
		ids[i] = x.so.ID
		bySub[x.so.ID] = x.so
	}
	rows, err := q.Query(ctx, `SELECT `+returnColumns+` FROM order_returns WHERE sub_order_id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return fmt.Errorf("postgres: load returns: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanReturn)
	if err != nil {
		return fmt.Errorf("postgres: load returns: %w", err)
	}
	for _, r := range list {
		if so := bySub[r.SubOrderID]; so != nil {
			so.Returns = append(so.Returns, r)
		}
	}
	return nil
}

func feePayer(sellerPays bool) string {
	if sellerPays {
		return "seller"
	}
	return "buyer"
}

// writeReturn writes a return's step and its events; the caller holds the
// order's row lock. A new return gets its id.
func writeReturn(ctx context.Context, tx pgx.Tx, o *order.Order, rc *order.ReturnChange) error {
	r := rc.Return
	so := o.SubOrder(r.SubOrderID)
	if so == nil {
		return fmt.Errorf("postgres: return: sub-order %d is not part of order %s", r.SubOrderID, o.Number)
	}
	if r.ID == 0 {
		err := tx.QueryRow(ctx, `INSERT INTO order_returns (order_id, sub_order_id, reason, detail, status, fee_payer,
				paid_amount, return_fee, refund_amount, requested_by)
			VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7, $8, $9) RETURNING id, requested_at`,
			o.ID, so.ID, r.Reason, r.Detail, feePayer(r.SellerPays), r.PaidAmount, r.ReturnFee, r.RefundAmount,
			nullID(r.RequestedBy)).Scan(&r.ID, &r.RequestedAt)
		if err != nil {
			return translate(fmt.Errorf("insert return of sub-order %d: %w", so.ID, err), "반품")
		}
		return addEvent(ctx, tx, o.ID, so.ID, string(so.Status), "return_"+string(r.Status), rc.Event)
	}
	to := r.Status
	if rc.Settled {
		to = order.ReturnRefunded
	}
	tag, err := tx.Exec(ctx, `UPDATE order_returns SET status = $3, fee_payer = $4, return_fee = $5, refund_amount = $6,
			reject_reason = $7, restock = $8, updated_at = now(),
			approved_at = CASE WHEN $3 = 'approved' THEN now() ELSE approved_at END,
			rejected_at = CASE WHEN $3 = 'rejected' THEN now() ELSE rejected_at END,
			received_at = CASE WHEN $3 IN ('received', 'refunded') THEN now() ELSE received_at END,
			refunded_at = CASE WHEN $3 = 'refunded' THEN now() ELSE refunded_at END
		WHERE id = $1 AND status = $2`, r.ID, rc.From, to, feePayer(r.SellerPays), r.ReturnFee, r.RefundAmount,
		r.RejectReason, r.Restock)
	if err != nil {
		return translate(fmt.Errorf("return %d to %s: %w", r.ID, to, err), "반품")
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("postgres: return %d is no longer %s", r.ID, rc.From)
	}
	if err := addEvent(ctx, tx, o.ID, so.ID, "return_"+string(rc.From), "return_"+string(r.Status), rc.Event); err != nil {
		return err
	}
	if rc.Settled {
		return addEvent(ctx, tx, o.ID, so.ID, "return_"+string(r.Status), "return_refunded",
			"환불할 금액 없음 (반품 배송비 차감)")
	}
	return nil
}

// refundReturn marks the return that refund refundID pays for refunded,
// with its event, once the provider confirmed it; nothing when the refund
// is not a return's.
func refundReturn(ctx context.Context, tx pgx.Tx, refundID, amount int64) error {
	var orderID, subID int64
	err := tx.QueryRow(ctx, `UPDATE order_returns SET status = 'refunded', refunded_at = now(), updated_at = now()
		WHERE refund_id = $1 AND status = 'received' RETURNING order_id, sub_order_id`, refundID).Scan(&orderID, &subID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("postgres: return of refund %d: %w", refundID, err)
	}
	return addEvent(ctx, tx, orderID, subID, "return_received", "return_refunded", "환불 "+kr.Won(amount))
}

// FindReturns lists returns for the operators' console.
func (s *OrderStore) FindReturns(ctx context.Context, f order.ReturnFilter) ([]*order.ReturnSummary, int, error) {
	cond, sort := `true`, `r.requested_at DESC, r.id DESC`
	if f.Open {
		cond, sort = `r.status IN ('requested', 'approved', 'received')`, `r.requested_at, r.id`
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM order_returns r WHERE `+cond).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count returns: %w", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT r.id, r.sub_order_id, r.reason, r.detail, r.status, r.fee_payer = 'seller',
			r.paid_amount, r.return_fee, r.refund_amount, r.reject_reason, r.restock, coalesce(r.requested_by, 0),
			r.requested_at, r.approved_at, r.rejected_at, r.received_at, r.refunded_at, o.number, e.name
		FROM order_returns r JOIN orders o ON o.id = r.order_id JOIN sub_orders so ON so.id = r.sub_order_id
			JOIN enterprises e ON e.id = so.enterprise_id
		WHERE `+cond+` ORDER BY `+sort+` LIMIT $1 OFFSET $2`, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: find returns: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*order.ReturnSummary, error) {
		var x order.ReturnSummary
		r := &x.Return
		err := row.Scan(&r.ID, &r.SubOrderID, &r.Reason, &r.Detail, &r.Status, &r.SellerPays, &r.PaidAmount, &r.ReturnFee,
			&r.RefundAmount, &r.RejectReason, &r.Restock, &r.RequestedBy, &r.RequestedAt, &r.ApprovedAt, &r.RejectedAt,
			&r.ReceivedAt, &r.RefundedAt, &x.OrderNumber, &x.EnterpriseName)
		return &x, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: find returns: %w", err)
	}
	return list, total, nil
}
