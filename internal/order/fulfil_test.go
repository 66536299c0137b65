package order_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/order"
)

// part returns the order's sub-order of the enterprise.
func part(t *testing.T, o *order.Order, enterprise int64) *order.SubOrder {
	t.Helper()
	for _, so := range o.SubOrders {
		if so.EnterpriseID == enterprise {
			return so
		}
	}
	t.Fatalf("order %s has no part of enterprise %d", o.Number, enterprise)
	return nil
}

func TestFulfilAcceptShipDeliverPerSubOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pa, ea := e.product(t, 10)
	pb, eb := e.product(t, 10, ea)
	o := e.paidOrder(t, 1, pa, pb)
	a, b := part(t, o, ea), part(t, o, eb)
	ctxA, ctxB := staff(ea), staff(eb)

	list, total, err := e.svc.FindEnterpriseSubOrders(ctxA, order.SubOrderFilter{Waiting: true})
	if err != nil || total != 1 || len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("waiting list of A = %v, %d, %v; want its part", list, total, err)
	}
	got := list[0]
	if got.OrderNumber != o.Number || got.BuyerName != "김두레" || got.BuyerPhone != buyerPhone ||
		got.Address != o.Address || len(got.Lines) != 1 || got.Lines[0].ProductID != pa || got.NextAction() != "주문 접수" {
		t.Errorf("enterprise view = %+v", got)
	}

	// Refused moves say why, in Korean.
	refused := []struct {
		name string
		do   func() error
		msg  string
	}{
		{"ship before accepting", func() error { return e.svc.ShipSubOrder(ctxA, a.ID, "cj", "123456789012") }, "접수한 뒤에"},
		{"deliver before shipping", func() error { return e.svc.MarkDelivered(ctxA, a.ID) }, "배송 상태를"},
	}
	for _, r := range refused {
		if msg := wantCode(t, r.do(), apperr.Conflict).Message; !strings.Contains(msg, r.msg) {
			t.Errorf("%s: message %q, want it to contain %q", r.name, msg, r.msg)
		}
	}

	if err := e.svc.AcceptSubOrder(ctxA, a.ID); err != nil {
		t.Fatalf("AcceptSubOrder: %v", err)
	}
	if msg := wantCode(t, e.svc.AcceptSubOrder(ctxA, a.ID), apperr.Conflict).Message; !strings.Contains(msg, "주문 접수") {
		t.Errorf("second accept: %q", msg)
	}
	bad := wantCode(t, e.svc.ShipSubOrder(ctxA, a.ID, "pigeon", "12ab"), apperr.Invalid)
	if bad.Fields["courier"] == "" || bad.Fields["tracking_number"] == "" {
		t.Errorf("bad shipment fields = %v", bad.Fields)
	}
	if err := e.svc.ShipSubOrder(ctxA, a.ID, "cj", "1234-5678-9012"); err != nil {
		t.Fatalf("ShipSubOrder: %v", err)
	}
	if err := e.svc.ShipSubOrder(ctxA, a.ID, "cj", "123456789012"); err != nil {
		t.Errorf("the same shipment again: %v", err)
	}
	wantCode(t, e.svc.CancelSubOrder(ctxA, a.ID, "재고 부족"), apperr.Conflict)

	view := e.reload(t, o.Number)
	sa := part(t, view, ea)
	if sa.Status != order.SubShipped || sa.StatusLabel() != "배송 중" || sa.Courier != "CJ대한통운" ||
		sa.TrackingNumber != "123456789012" || !strings.Contains(sa.TrackingURL, "123456789012") ||
		sa.AcceptedAt == nil || sa.ShippedAt == nil {
		t.Errorf("buyer's view of A = %+v", sa)
	}
	if view.Status != order.Paid || part(t, view, eb).Status != order.SubPaid {
		t.Errorf("order %s, B %s; want paid and paid", view.Status, part(t, view, eb).Status)
	}

	// A correction of the tracking number is recorded, not a new shipment.
	if err := e.svc.ShipSubOrder(ctxA, a.ID, "hanjin", "5555 6666 7777"); err != nil {
		t.Fatalf("correct the shipment: %v", err)
	}
	if err := e.svc.MarkDelivered(ctxA, a.ID); err != nil {
		t.Fatalf("MarkDelivered: %v", err)
	}
	if view := e.reload(t, o.Number); view.Status != order.Paid {
		t.Errorf("order %s with B still to ship; want paid", view.Status)
	}
	for _, step := range []func() error{
		func() error { return e.svc.AcceptSubOrder(ctxB, b.ID) },
		func() error { return e.svc.ShipSubOrder(ctxB, b.ID, "epost", "6012345678901") },
		func() error { return e.svc.MarkDelivered(ctxB, b.ID) },
	} {
		if err := step(); err != nil {
			t.Fatalf("B: %v", err)
		}
	}
	view = e.reload(t, o.Number)
	if view.Status != order.Completed {
		t.Errorf("order %s once every part arrived; want completed", view.Status)
	}
	if sb := part(t, view, eb); sb.Courier != "우체국택배" || sb.DeliveredAt == nil {
		t.Errorf("B = %+v", sb)
	}

	detail, err := e.svc.FindEnterpriseSubOrder(ctxA, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, ev := range detail.Events {
		steps = append(steps, ev.To+" "+ev.Reason)
	}
	want := []string{"paid 카드 결제 완료", "accepted 주문 접수", "shipped 발송: CJ대한통운 123456789012",
		"shipped 운송장 변경: 한진택배 555566667777", "delivered 배송 완료"}
	if strings.Join(steps, "|") != strings.Join(want, "|") {
		t.Errorf("A's events = %q, want %q", steps, want)
	}
	if detail.Courier != "한진택배" || detail.NextAction() != "" {
		t.Errorf("detail = %+v", detail)
	}
	if n := e.count(t, `SELECT count(*) FROM order_events WHERE order_id = $1 AND sub_order_id IS NULL AND to_status = 'completed'`,
		o.ID); n != 1 {
		t.Errorf("completion events = %d, want 1", n)
	}
}

func TestCancelSubOrderRefundsThatPartOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pa, ea := e.product(t, 10)
	pb, eb := e.product(t, 10, ea)
	o := e.paidOrder(t, 2, pa, pb)
	a := part(t, o, ea)
	ctxA := staff(ea)
	if err := e.svc.AcceptSubOrder(ctxA, a.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.svc.CancelSubOrder(ctxA, a.ID, "  "), apperr.Invalid)

	const callers = 4
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { errs[i] = e.svc.CancelSubOrder(ctxA, a.ID, "재고가 맞지 않아 보낼 수 없습니다") })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch apperr.Code(err) {
		case "":
			ok++
		case apperr.Conflict:
		default:
			t.Errorf("CancelSubOrder: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d concurrent cancellations succeeded, want 1 (errors %v)", ok, callers, errs)
	}
	calls := e.provider.refundCalls()
	if len(calls) != 1 || calls[0].key != order.SubRefundKey(o.Number, a.ID) || calls[0].amount != a.Total {
		t.Fatalf("refunds sent = %+v, want one of %d won with key %s", calls, a.Total, order.SubRefundKey(o.Number, a.ID))
	}
	if s := e.stock(t, pa); s != 10 {
		t.Errorf("stock of A's product = %d, want 10 (returned once)", s)
	}
	if s := e.stock(t, pb); s != 8 {
		t.Errorf("stock of B's product = %d, want 8 (untouched)", s)
	}
	view := e.reload(t, o.Number)
	sa := part(t, view, ea)
	if view.Status != order.Paid || sa.Status != order.SubCancelled || sa.CancelledBy != order.PartyEnterprise ||
		sa.CancelledByLabel() != "판매 기업" || sa.CancelReason != "재고가 맞지 않아 보낼 수 없습니다" ||
		sa.Refund == nil || sa.Refund.Amount != a.Total || sa.RefundLabel() != "환불 완료" {
		t.Errorf("order %s, A = %+v (refund %+v)", view.Status, sa, sa.Refund)
	}
	if p := view.Payment; p.Status != order.PaymentSucceeded || p.RefundedAmount != a.Total {
		t.Errorf("payment = %+v, want %d refunded of it", p, a.Total)
	}

	// The buyer cancels the rest: only what is left is refunded.
	if err := e.svc.Cancel(context.Background(), o.Number, buyerPhone); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	calls = e.provider.refundCalls()
	if len(calls) != 2 || calls[1].amount != o.Total-a.Total {
		t.Fatalf("refunds sent = %+v, want the rest (%d) second", calls, o.Total-a.Total)
	}
	view = e.reload(t, o.Number)
	if p := view.Payment; view.Status != order.Cancelled || p.Status != order.PaymentRefunded || p.RefundedAmount != p.Amount {
		t.Errorf("order %s, payment %+v; want cancelled and refunded in full, no more", view.Status, p)
	}
	if sb := part(t, view, eb); sb.CancelledBy != order.PartyBuyer || sb.Refund != nil {
		t.Errorf("B = %+v", sb)
	}
	if e.stock(t, pa) != 10 || e.stock(t, pb) != 10 {
		t.Errorf("stock = %d and %d, want 10 and 10", e.stock(t, pa), e.stock(t, pb))
	}
}

func TestCancellingEveryPartCancelsTheOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pa, ea := e.product(t, 10)
	pb, eb := e.product(t, 10, ea)
	o := e.paidOrder(t, 1, pa, pb)
	a, b := part(t, o, ea), part(t, o, eb)
	e.provider.failRefunds.Store(1) // the first refund is left for the worker
	if err := e.svc.CancelSubOrder(staff(ea), a.ID, "품절"); err != nil {
		t.Fatal(err)
	}
	if v := e.reload(t, o.Number); part(t, v, ea).RefundLabel() != "환불 처리 중" {
		t.Errorf("A's refund = %+v, want pending", part(t, v, ea).Refund)
	}
	// An operator acting for B.
	op := account.NewContext(context.Background(), &account.Actor{UserID: 1, Role: account.Operator,
		EnterpriseID: eb, OnBehalf: true})
	if err := e.svc.CancelSubOrder(op, b.ID, "배송 불가 지역"); err != nil {
		t.Fatal(err)
	}
	view := e.reload(t, o.Number)
	if view.Status != order.Cancelled || part(t, view, eb).CancelledBy != order.PartyOperator {
		t.Errorf("order %s, B by %s; want cancelled, by the operator", view.Status, part(t, view, eb).CancelledBy)
	}
	if n := e.count(t, `SELECT coalesce(sum(amount), 0)::bigint FROM refunds WHERE payment_id = $1`, view.Payment.ID); int64(n) != o.Total {
		t.Errorf("refunds written = %d, want the whole %d", n, o.Total)
	}
	if n, err := e.service(order.Config{RefundRetryAfter: 1}).RetryRefunds(context.Background()); err != nil || n != 1 {
		t.Errorf("RetryRefunds = %d, %v; want A's", n, err)
	}
	if p := e.reload(t, o.Number).Payment; p.Status != order.PaymentRefunded || p.RefundedAmount != o.Total {
		t.Errorf("payment = %+v", p)
	}
}

func TestSubOrderOfAnotherEnterpriseIsNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pa, ea := e.product(t, 10)
	_, eb := e.product(t, 10, ea)
	o := e.paidOrder(t, 1, pa)
	a := part(t, o, ea)
	ctxB := staff(eb)
	actions := map[string]func(context.Context) error{
		"find": func(ctx context.Context) error {
			_, err := e.svc.FindEnterpriseSubOrder(ctx, a.ID)
			return err
		},
		"accept":  func(ctx context.Context) error { return e.svc.AcceptSubOrder(ctx, a.ID) },
		"ship":    func(ctx context.Context) error { return e.svc.ShipSubOrder(ctx, a.ID, "cj", "123456789012") },
		"deliver": func(ctx context.Context) error { return e.svc.MarkDelivered(ctx, a.ID) },
		"cancel":  func(ctx context.Context) error { return e.svc.CancelSubOrder(ctx, a.ID, "남의 주문") },
	}
	consumer := account.NewContext(context.Background(), &account.Actor{UserID: 5, Role: account.Consumer})
	suspended := account.NewContext(context.Background(), &account.Actor{UserID: 6, Role: account.EnterpriseStaff,
		EnterpriseID: ea, EnterpriseStatus: account.EnterpriseSuspended})
	for name, do := range actions {
		t.Run(name, func(t *testing.T) {
			wantCode(t, do(ctxB), apperr.NotFound)
			wantCode(t, do(context.Background()), apperr.Unauthorized)
			wantCode(t, do(consumer), apperr.Forbidden)
			wantCode(t, do(suspended), apperr.Forbidden)
		})
	}
	if list, total, err := e.svc.FindEnterpriseSubOrders(ctxB, order.SubOrderFilter{}); err != nil || total != 0 || len(list) != 0 {
		t.Errorf("B's list = %v, %d, %v; want empty", list, total, err)
	}
	if s := e.stock(t, pa); s != 9 {
		t.Errorf("stock = %d, want 9 (nothing returned)", s)
	}
	if v := e.reload(t, o.Number); part(t, v, ea).Status != order.SubPaid || len(e.provider.refundCalls()) != 0 {
		t.Errorf("A's part = %s after B's attempts; refunds %v", part(t, v, ea).Status, e.provider.refundCalls())
	}

	// An order not paid is nobody's business yet.
	unpaid := e.checkout(t, 1, pa)
	wantCode(t, e.svc.AcceptSubOrder(staff(ea), part(t, unpaid, ea).ID), apperr.NotFound)
}

func TestEnterpriseSubOrderListFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pa, ea := e.product(t, 20)
	ctx := staff(ea)
	var ids []int64
	for range 3 {
		o := e.paidOrder(t, 1, pa)
		ids = append(ids, part(t, o, ea).ID)
	}
	e.checkout(t, 1, pa) // unpaid: not listed
	if err := e.svc.AcceptSubOrder(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ShipSubOrder(ctx, ids[1], "lotte", "2345 6789 0123"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		f     order.SubOrderFilter
		want  []int64
		total int
	}{
		{order.SubOrderFilter{}, []int64{ids[2], ids[1], ids[0]}, 3},
		{order.SubOrderFilter{Limit: 2, Offset: 1}, []int64{ids[1], ids[0]}, 3},
		{order.SubOrderFilter{Status: order.SubShipped}, []int64{ids[1]}, 1},
		{order.SubOrderFilter{Waiting: true}, []int64{ids[0], ids[2]}, 2},
	}
	for _, tt := range tests {
		list, total, err := e.svc.FindEnterpriseSubOrders(ctx, tt.f)
		if err != nil {
			t.Fatalf("%+v: %v", tt.f, err)
		}
		var got []int64
		for _, so := range list {
			got = append(got, so.ID)
		}
		if total != tt.total || len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) ||
			(len(got) > 1 && got[1] != tt.want[1]) {
			t.Errorf("%+v: %v of %d, want %v of %d", tt.f, got, total, tt.want, tt.total)
		}
	}
	_, _, err := e.svc.FindEnterpriseSubOrders(ctx, order.SubOrderFilter{Status: "lost"})
	wantCode(t, err, apperr.Invalid)
}
