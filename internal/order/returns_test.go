package order_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/order"
)

// deliver accepts, ships and delivers part id as its enterprise.
func (e *env) deliver(t *testing.T, enterprise, id int64) {
	t.Helper()
	ctx := staff(enterprise)
	if err := e.svc.AcceptSubOrder(ctx, id); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if err := e.svc.ShipSubOrder(ctx, id, "cj", "123456789012"); err != nil {
		t.Fatalf("ship: %v", err)
	}
	if err := e.svc.MarkDelivered(ctx, id); err != nil {
		t.Fatalf("deliver: %v", err)
	}
}

// oneWay is the enterprise's shipping fee now.
func (e *env) oneWay(t *testing.T, enterprise int64) int64 {
	t.Helper()
	return int64(e.count(t, `SELECT shipping_fee::int FROM enterprises WHERE id = $1`, enterprise))
}

// TestReturnFlow: the member who ordered asks to return a delivered part
// (not an undelivered one, not twice); another enterprise cannot act on it;
// its enterprise approves, then two workers confirm receipt at once: one
// refund, of the part's total less the return shipping, under the part's
// own key; the stock comes back once; the return is refunded when the
// provider confirms, and every step is in the order's events.
func TestReturnFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pa, ea := e.product(t, 10)
	pb, eb := e.product(t, 10, ea)
	o := e.paidOrder(t, 2, pa, pb)
	a, b := part(t, o, ea), part(t, o, eb)
	e.deliver(t, ea, a.ID)
	memberID, member := e.member(t)
	e.exec(t, `UPDATE orders SET user_id = $2 WHERE id = $1`, o.ID, memberID)
	e.exec(t, `UPDATE enterprises SET shipping_fee = 3500 WHERE id = $1`, ea)

	// Bad input, the wrong person, the wrong part.
	bad := wantCode(t, func() error {
		_, err := e.svc.RequestReturn(member, o.Number, order.ReturnInput{SubOrderID: a.ID, Reason: "whim"})
		return err
	}(), apperr.Invalid)
	if bad.Fields["reason"] == "" {
		t.Errorf("unknown reason: fields %v", bad.Fields)
	}
	bad = wantCode(t, func() error {
		_, err := e.svc.RequestReturn(member, o.Number, order.ReturnInput{SubOrderID: a.ID, Reason: order.ReasonDefective})
		return err
	}(), apperr.Invalid)
	if bad.Fields["detail"] == "" {
		t.Errorf("a defect without a word: fields %v", bad.Fields)
	}
	_, other := e.member(t)
	wantCode(t, func() error {
		_, err := e.svc.RequestReturn(other, o.Number, order.ReturnInput{SubOrderID: a.ID, Reason: order.ReasonChangeOfMind,
			Phone: "010-9999-8888"})
		return err
	}(), apperr.NotFound)
	if msg := wantCode(t, func() error {
		_, err := e.svc.RequestReturn(member, o.Number, order.ReturnInput{SubOrderID: b.ID, Reason: order.ReasonChangeOfMind})
		return err
	}(), apperr.Conflict).Message; !strings.Contains(msg, "배송이 끝난") {
		t.Errorf("undelivered part: %q", msg)
	}
	if e.count(t, `SELECT count(*) FROM order_returns WHERE order_id = $1`, o.ID) != 0 {
		t.Fatal("a refused request wrote a return")
	}

	r, err := e.svc.RequestReturn(member, o.Number, order.ReturnInput{SubOrderID: a.ID, Reason: order.ReasonChangeOfMind,
		Detail: "  색이 생각과 달라요  "})
	if err != nil {
		t.Fatalf("RequestReturn: %v", err)
	}
	fee := order.ReturnFeeFor(a, e.oneWay(t, ea), false)
	if fee <= 0 || r.ReturnFee != fee || r.RefundAmount != a.Total-fee || r.PaidAmount != a.Total || r.SellerPays ||
		r.Detail != "색이 생각과 달라요" || r.RequestedBy != memberID {
		t.Errorf("return = %+v; want fee %d of %d", r, fee, a.Total)
	}
	if msg := wantCode(t, func() error {
		_, err := e.svc.RequestReturn(member, o.Number, order.ReturnInput{SubOrderID: a.ID, Reason: order.ReasonChangeOfMind})
		return err
	}(), apperr.Conflict).Message; !strings.Contains(msg, "진행 중") {
		t.Errorf("second request: %q", msg)
	}

	// Another enterprise finds nothing; receipt waits for approval.
	ctxA, ctxB := staff(ea), staff(eb)
	wantCode(t, e.svc.ApproveReturn(ctxB, a.ID, false), apperr.NotFound)
	wantCode(t, e.svc.RejectReturn(ctxB, a.ID, "남의 반품"), apperr.NotFound)
	wantCode(t, e.svc.ReceiveReturn(ctxB, a.ID, true), apperr.NotFound)
	wantCode(t, e.svc.ReceiveReturn(ctxA, a.ID, true), apperr.Conflict)
	wantCode(t, e.svc.ApproveReturn(ctxA, b.ID, false), apperr.NotFound) // B's part is not A's
	wantCode(t, e.svc.ApproveReturn(ctxB, b.ID, false), apperr.Conflict) // and has no return
	if so, err := e.svc.FindEnterpriseSubOrder(ctxA, a.ID); err != nil || so.NextAction() != "반품 승인·거절" {
		t.Errorf("A's next action = %v, %v", so, err)
	}

	if err := e.svc.ApproveReturn(ctxA, a.ID, false); err != nil {
		t.Fatalf("ApproveReturn: %v", err)
	}
	wantCode(t, e.svc.ApproveReturn(ctxA, a.ID, false), apperr.Conflict)
	stock := e.stock(t, pa)

	const workers = 3
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() { errs[i] = e.svc.ReceiveReturn(ctxA, a.ID, true) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch apperr.Code(err) {
		case "":
			ok++
		case apperr.Conflict:
		default:
			t.Errorf("ReceiveReturn: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d concurrent receipts succeeded, want 1 (%v)", ok, workers, errs)
	}
	calls := e.provider.refundCalls()
	if len(calls) != 1 || calls[0].key != order.SubRefundKey(o.Number, a.ID) || calls[0].amount != a.Total-fee {
		t.Fatalf("refunds sent = %+v, want one of %d won", calls, a.Total-fee)
	}
	if s := e.stock(t, pa); s != stock+2 {
		t.Errorf("stock = %d, want %d + 2 (restocked once)", s, stock)
	}
	view := e.reload(t, o.Number)
	sa := part(t, view, ea)
	got := sa.LastReturn()
	if got == nil || got.Status != order.ReturnRefunded || got.RefundedAt == nil || got.Restock == nil || !*got.Restock ||
		sa.Refund == nil || sa.Refund.Amount != a.Total-fee || sa.Status != order.SubDelivered {
		t.Fatalf("A = %s, return %+v, refund %+v", sa.Status, got, sa.Refund)
	}
	if p := view.Payment; p.RefundedAmount != a.Total-fee || p.Status != order.PaymentSucceeded {
		t.Errorf("payment = %+v", p)
	}
	var steps []string
	for _, ev := range view.Events {
		if ev.SubOrderID == a.ID && strings.HasPrefix(ev.To, "return_") {
			steps = append(steps, ev.To)
		}
	}
	if strings.Join(steps, " ") != "return_requested return_approved return_received return_refunded" {
		t.Errorf("return events = %v", steps)
	}
	if n := e.count(t, `SELECT count(*) FROM notify_outbox WHERE kind = 'order_event'
		AND ref_id IN (SELECT id FROM order_events WHERE sub_order_id = $1 AND to_status LIKE 'return_%')`, a.ID); n != 4 {
		t.Errorf("notification events queued = %d, want 4", n)
	}
	// Returned and refunded: the part cannot be returned again.
	if msg := wantCode(t, func() error {
		_, err := e.svc.RequestReturn(member, o.Number, order.ReturnInput{SubOrderID: a.ID, Reason: order.ReasonDefective, Detail: "x"})
		return err
	}(), apperr.Conflict).Message; !strings.Contains(msg, "이미") {
		t.Errorf("after the refund: %q", msg)
	}
}

// TestReturnWindowRejectAndRetry: a guest gives the order's phone; a
// change of mind is refused 8 days after delivery (Korean dates) while a
// defect is accepted, with the enterprise paying the shipping; a rejection
// needs a reason and lets the buyer ask again; a refund the provider did
// not take is retried by RetryRefunds with the same key, and the return is
// refunded then; discarded goods do not come back into stock.
func TestReturnWindowRejectAndRetry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pa, ea := e.product(t, 10)
	o := e.paidOrder(t, 1, pa)
	a := part(t, o, ea)
	e.deliver(t, ea, a.ID)
	guest := context.Background()
	ctxA := staff(ea)

	wantCode(t, func() error {
		_, err := e.svc.RequestReturn(guest, o.Number, order.ReturnInput{SubOrderID: a.ID, Reason: order.ReasonChangeOfMind})
		return err
	}(), apperr.Invalid) // no phone
	wantCode(t, func() error {
		_, err := e.svc.RequestReturn(guest, o.Number, order.ReturnInput{SubOrderID: a.ID, Reason: order.ReasonChangeOfMind,
			Phone: "010-9999-8888"})
		return err
	}(), apperr.NotFound)

	// Delivered on a day eight Korean days ago: a change of mind is late.
	e.exec(t, `UPDATE sub_orders SET delivered_at = date_trunc('day', now() AT TIME ZONE 'Asia/Seoul') AT TIME ZONE 'Asia/Seoul'
		- interval '8 days' + interval '1 hour' WHERE id = $1`, a.ID)
	if msg := wantCode(t, func() error {
		_, err := e.svc.RequestReturn(guest, o.Number, order.ReturnInput{SubOrderID: a.ID, Reason: order.ReasonChangeOfMind,
			Phone: buyerPhone})
		return err
	}(), apperr.Conflict).Message; !strings.Contains(msg, "7일") {
		t.Errorf("late change of mind: %q", msg)
	}
	r, err := e.svc.RequestReturn(guest, o.Number, order.ReturnInput{SubOrderID: a.ID, Reason: order.ReasonDefective,
		Detail: "포장이 터져서 왔어요", Phone: buyerPhone})
	if err != nil {
		t.Fatalf("defect after 8 days: %v", err)
	}
	if !r.SellerPays || r.ReturnFee != 0 || r.RefundAmount != a.Total || r.RequestedBy != 0 {
		t.Errorf("defect return = %+v", r)
	}

	bad := wantCode(t, e.svc.RejectReturn(ctxA, a.ID, "  "), apperr.Invalid)
	if bad.Fields["reject_reason"] == "" {
		t.Errorf("reject without reason: %v", bad.Fields)
	}
	if err := e.svc.RejectReturn(ctxA, a.ID, "사진으로 보니 사용한 흔적이 있습니다"); err != nil {
		t.Fatalf("RejectReturn: %v", err)
	}
	wantCode(t, e.svc.ApproveReturn(ctxA, a.ID, false), apperr.Conflict) // nothing open
	if last := part(t, e.reload(t, o.Number), ea).LastReturn(); last.Status != order.ReturnRejected ||
		last.RejectReason != "사진으로 보니 사용한 흔적이 있습니다" || last.RejectedAt == nil {
		t.Errorf("rejected return = %+v", last)
	}

	// Asked again, approved, received while the provider is down.
	if _, err := e.svc.RequestReturn(guest, o.Number, order.ReturnInput{SubOrderID: a.ID, Reason: order.ReasonWrongItem,
		Detail: "다른 상품이 왔어요", Phone: buyerPhone}); err != nil {
		t.Fatalf("second request after a rejection: %v", err)
	}
	if err := e.svc.ApproveReturn(ctxA, a.ID, false); err != nil {
		t.Fatal(err)
	}
	stock := e.stock(t, pa)
	e.provider.failRefunds.Store(1)
	if err := e.svc.ReceiveReturn(ctxA, a.ID, false); err != nil {
		t.Fatalf("ReceiveReturn: %v", err)
	}
	if s := e.stock(t, pa); s != stock {
		t.Errorf("stock = %d after a discarded return, want %d", s, stock)
	}
	if last := part(t, e.reload(t, o.Number), ea).LastReturn(); last.Status != order.ReturnReceived || last.Restock == nil || *last.Restock {
		t.Fatalf("return while the refund waits = %+v", last)
	}
	if n, err := e.service(order.Config{RefundRetryAfter: 1}).RetryRefunds(context.Background()); err != nil || n != 1 {
		t.Fatalf("RetryRefunds = %d, %v; want the return's", n, err)
	}
	calls := e.provider.refundCalls()
	if len(calls) != 1 || calls[0].key != order.SubRefundKey(o.Number, a.ID) || calls[0].amount != a.Total {
		t.Fatalf("refunds sent = %+v, want one of the whole %d", calls, a.Total)
	}
	view := e.reload(t, o.Number)
	if last := part(t, view, ea).LastReturn(); last.Status != order.ReturnRefunded {
		t.Errorf("return after the retry = %+v", last)
	}
	if p := view.Payment; p.Status != order.PaymentRefunded || p.RefundedAmount != o.Total {
		t.Errorf("payment = %+v; want refunded in full (one part, seller's fault)", p)
	}
	if n := e.count(t, `SELECT count(*) FROM order_returns WHERE sub_order_id = $1`, a.ID); n != 2 {
		t.Errorf("returns of the part = %d, want the rejected one and the refunded one", n)
	}
}

// TestReturnWaivedFee: the enterprise may take the return shipping of a
// change of mind on itself when it approves; the refund is then whole.
func TestReturnWaivedFee(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pa, ea := e.product(t, 10)
	o := e.paidOrder(t, 1, pa)
	a := part(t, o, ea)
	e.deliver(t, ea, a.ID)
	if _, err := e.svc.RequestReturn(context.Background(), o.Number, order.ReturnInput{SubOrderID: a.ID,
		Reason: order.ReasonChangeOfMind, Phone: buyerPhone}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ApproveReturn(staff(ea), a.ID, true); err != nil {
		t.Fatal(err)
	}
	r := part(t, e.reload(t, o.Number), ea).LastReturn()
	if !r.SellerPays || r.ReturnFee != 0 || r.RefundAmount != a.Total || r.Status != order.ReturnApproved {
		t.Errorf("approved with the fee waived = %+v", r)
	}
}

// TestReturnConstraints: the schema refuses a second open return of a part
// and amounts that do not add up, whatever the code does.
func TestReturnConstraints(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pa, ea := e.product(t, 10)
	o := e.paidOrder(t, 1, pa)
	a := part(t, o, ea)
	ins := `INSERT INTO order_returns (order_id, sub_order_id, reason, fee_payer, paid_amount, return_fee, refund_amount)
		VALUES ($1, $2, 'change_of_mind', $3, $4, $5, $6)`
	e.exec(t, ins, o.ID, a.ID, "buyer", a.Total, 3000, a.Total-3000)
	refused := func(name, constraint string, args ...any) {
		t.Helper()
		_, err := e.pool.Exec(context.Background(), ins, args...)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.ConstraintName != constraint {
			t.Errorf("%s: err = %v, want a violation of %s", name, err, constraint)
		}
	}
	refused("second open return", "order_returns_one", o.ID, a.ID, "buyer", a.Total, 3000, a.Total-3000)
	e.exec(t, `UPDATE order_returns SET status = 'rejected', reject_reason = '테스트', rejected_at = now() WHERE sub_order_id = $1`, a.ID)
	refused("refund above paid", "order_returns_amount", o.ID, a.ID, "seller", a.Total, 0, a.Total+1)
	refused("seller pays but charged", "order_returns_fee_payer", o.ID, a.ID, "seller", a.Total, 3000, a.Total-3000)
	refused("negative refund", "order_returns_refund_amount_check", o.ID, a.ID, "buyer", a.Total, a.Total+1, -1)
}

// TestReturnFeeTakesAll: when the return shipping of a change of mind is
// the whole part, receipt refunds nothing and settles the return at once:
// no refund row, no provider call.
func TestReturnFeeTakesAll(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pa, ea := e.product(t, 10)
	o := e.paidOrder(t, 1, pa)
	a := part(t, o, ea)
	e.deliver(t, ea, a.ID)
	e.exec(t, `UPDATE enterprises SET shipping_fee = $2 WHERE id = $1`, ea, a.Total)
	r, err := e.svc.RequestReturn(context.Background(), o.Number, order.ReturnInput{SubOrderID: a.ID,
		Reason: order.ReasonChangeOfMind, Phone: buyerPhone})
	if err != nil {
		t.Fatal(err)
	}
	if r.ReturnFee != a.Total || r.RefundAmount != 0 {
		t.Fatalf("return = %+v, want the whole %d as fee", r, a.Total)
	}
	if err := e.svc.ApproveReturn(staff(ea), a.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ReceiveReturn(staff(ea), a.ID, true); err != nil {
		t.Fatal(err)
	}
	last := part(t, e.reload(t, o.Number), ea).LastReturn()
	if last.Status != order.ReturnRefunded || last.RefundedAt == nil || last.ReceivedAt == nil {
		t.Errorf("return = %+v, want refunded at once", last)
	}
	if n := e.count(t, `SELECT count(*) FROM refunds WHERE sub_order_id = $1`, a.ID); n != 0 || len(e.provider.refundCalls()) != 0 {
		t.Errorf("%d refunds written, %d sent; want none", n, len(e.provider.refundCalls()))
	}
}
