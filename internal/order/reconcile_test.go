package order_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/payment"
)

// expire moves the order's reservation back by ago (an SQL interval).
func (e *env) expire(t *testing.T, number, ago string) {
	t.Helper()
	e.exec(t, `UPDATE orders SET reserved_until = now() - $2::interval WHERE number = $1`, number, ago)
}

// backdate makes the order older by ago (an SQL interval).
func (e *env) backdate(t *testing.T, number, ago string) {
	t.Helper()
	e.exec(t, `UPDATE orders SET created_at = created_at - $2::interval WHERE number = $1`, number, ago)
}

// reason is the reason of the order's last order-level event.
func reason(o *order.Order) string {
	for i := len(o.Events) - 1; i >= 0; i-- {
		if o.Events[i].SubOrderID == 0 {
			return o.Events[i].Reason
		}
	}
	return ""
}

func (e *env) paidTransitions(t *testing.T, number string) int {
	t.Helper()
	return e.count(t, `SELECT count(*) FROM order_events v JOIN orders o ON o.id = v.order_id
		WHERE o.number = $1 AND v.to_status = 'paid' AND v.from_status <> 'paid' AND v.sub_order_id IS NULL`, number)
}

// wantState checks an order's status, its sub-orders' and its payment's.
func wantState(t *testing.T, o *order.Order, status order.Status, pay order.PaymentStatus) {
	t.Helper()
	if o.Status != status || o.Payment == nil || o.Payment.Status != pay {
		t.Fatalf("order %s is %s with payment %+v; want %s with payment %s", o.Number, o.Status, o.Payment, status, pay)
	}
	sub := map[order.Status]order.SubStatus{order.PendingPayment: order.SubPendingPayment, order.Paid: order.SubPaid,
		order.Cancelled: order.SubCancelled}[status]
	for _, so := range o.SubOrders {
		if so.Status != sub {
			t.Errorf("sub-order %d of %s is %s, want %s", so.ID, o.Number, so.Status, sub)
		}
	}
}

// TestLostWebhookReconciledToPaid: the buyer paid, the webhook never came;
// the worker asks Stripe and the order is paid, not expired.
func TestLostWebhookReconciledToPaid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	lost, pay := e.awaiting(t, 2, p)
	recent, recentPay := e.awaiting(t, 1, p)
	e.backdate(t, lost.Number, "10 minutes")
	e.provider.answer(pay.Ref, payment.StatusSucceeded, "")
	e.provider.answer(recentPay.Ref, payment.StatusSucceeded, "")

	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		e.svc.RunWorker(wctx, time.Hour) // the first pass reconciles at once
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for e.reload(t, lost.Number).Status == order.PendingPayment {
		if time.Now().After(deadline) {
			t.Fatal("the worker did not reconcile the payment")
		}
		time.Sleep(20 * time.Millisecond) // polling for the worker, not an assertion
	}
	cancel()
	<-done

	got := e.reload(t, lost.Number)
	wantState(t, got, order.Paid, order.PaymentSucceeded)
	if got.PaidAt == nil {
		t.Error("paid_at not set")
	}
	// An order younger than ReconcileAfter (5 minutes) is not asked about yet.
	if n, err := e.svc.ReconcilePayments(ctx); err != nil || n != 0 {
		t.Errorf("ReconcilePayments again = %d, %v; want 0", n, err)
	}
	wantState(t, e.reload(t, recent.Number), order.PendingPayment, order.PaymentCreated)
	if s := e.stock(t, p); s != 7 {
		t.Errorf("stock = %d, want 7 (nothing released)", s)
	}
	if keys := e.provider.cancelKeys(); len(keys) != 0 {
		t.Errorf("cancelled %v; a paid PaymentIntent must not be cancelled", keys)
	}

	// The webhook turns up after all: nothing more happens.
	payload, sig := e.signed(t, "evt_late_success", "payment_intent.succeeded", pay.Ref, lost.Number, lost.Total)
	if err := e.svc.HandleWebhook(ctx, "stripe", payload, sig); err != nil {
		t.Fatal(err)
	}
	if n := e.paidTransitions(t, lost.Number); n != 1 {
		t.Errorf("paid transitions = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM refunds`); n != 0 {
		t.Errorf("refunds = %d, want 0", n)
	}
}

// TestExpiryPaysAnOrderWhosePaymentSucceeded: the reservation ran out, but
// Stripe says the money was taken (the webhook was lost).
func TestExpiryPaysAnOrderWhosePaymentSucceeded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o, pay := e.awaiting(t, 2, p)
	e.expire(t, o.Number, "1 minute")
	e.provider.answer(pay.Ref, payment.StatusSucceeded, "")

	if n, err := e.svc.ExpireReservations(ctx); err != nil || n != 0 {
		t.Fatalf("ExpireReservations = %d, %v; want 0 expired", n, err)
	}
	wantState(t, e.reload(t, o.Number), order.Paid, order.PaymentSucceeded)
	if s := e.stock(t, p); s != 8 {
		t.Errorf("stock = %d, want 8 (still sold)", s)
	}
	if keys := e.provider.cancelKeys(); len(keys) != 0 {
		t.Errorf("cancelled %v; want no cancellation", keys)
	}
	if n := e.count(t, `SELECT count(*) FROM refunds`); n != 0 {
		t.Errorf("refunds = %d, want 0", n)
	}
}

func TestProcessingPaymentIsNotExpired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o, pay := e.awaiting(t, 2, p)
	e.expire(t, o.Number, "1 minute")
	e.provider.answer(pay.Ref, payment.StatusProcessing, payment.StatusProcessing)

	if n, err := e.svc.ExpireReservations(ctx); err != nil || n != 0 {
		t.Fatalf("ExpireReservations = %d, %v; want 0", n, err)
	}
	wantState(t, e.reload(t, o.Number), order.PendingPayment, order.PaymentCreated)
	if s := e.stock(t, p); s != 8 {
		t.Errorf("stock = %d, want 8 (still reserved)", s)
	}
	if keys := e.provider.cancelKeys(); len(keys) != 0 {
		t.Errorf("cancelled %v while the payment is processing", keys)
	}

	// Past ProcessingGrace (1 hour) the worker tries to cancel; Stripe
	// refuses while the payment is processing, and the order keeps waiting.
	e.expire(t, o.Number, "2 hours")
	if n, err := e.svc.ExpireReservations(ctx); err != nil || n != 0 {
		t.Fatalf("ExpireReservations past the grace = %d, %v; want 0", n, err)
	}
	wantState(t, e.reload(t, o.Number), order.PendingPayment, order.PaymentCreated)
	if keys := e.provider.cancelKeys(); !slices.Equal(keys, []string{order.CancelKey(o.Number)}) {
		t.Errorf("cancel keys = %v, want one try with %s", keys, order.CancelKey(o.Number))
	}

	// Abandoned in 3-D Secure: Stripe (stripe-mock) accepts the cancellation.
	e.provider.answer(pay.Ref, payment.StatusProcessing, "")
	if n, err := e.svc.ExpireReservations(ctx); err != nil || n != 1 {
		t.Fatalf("ExpireReservations = %d, %v; want 1", n, err)
	}
	wantState(t, e.reload(t, o.Number), order.Cancelled, order.PaymentCancelled)
	if s := e.stock(t, p); s != 10 {
		t.Errorf("stock = %d, want 10", s)
	}
}

// TestExpiryCancelsThePaymentIntent goes through the real adapter: the
// cancellation is sent to stripe-mock before the order is given up.
func TestExpiryCancelsThePaymentIntent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o, pay := e.awaiting(t, 2, p)
	unstarted := e.checkout(t, 1, p) // the buyer never opened the payment page
	e.expire(t, o.Number, "1 minute")
	e.expire(t, unstarted.Number, "1 minute")
	e.provider.answer(pay.Ref, payment.StatusPending, "") // never paid; Cancel goes to stripe-mock

	if n, err := e.svc.ExpireReservations(ctx); err != nil || n != 2 {
		t.Fatalf("ExpireReservations = %d, %v; want 2", n, err)
	}
	got := e.reload(t, o.Number)
	wantState(t, got, order.Cancelled, order.PaymentCancelled)
	if r := reason(got); r != "결제 시간 초과" {
		t.Errorf("reason = %q", r)
	}
	if u := e.reload(t, unstarted.Number); u.Status != order.Cancelled || u.Payment != nil {
		t.Errorf("order without a payment: %s, payment %+v; want cancelled", u.Status, u.Payment)
	}
	if s := e.stock(t, p); s != 10 {
		t.Errorf("stock = %d, want 10", s)
	}
	want := []string{order.CancelKey(o.Number)}
	if keys := e.provider.cancelKeys(); !slices.Equal(keys, want) {
		t.Errorf("cancel keys = %v, want %v", keys, want)
	}
	if n, err := e.svc.ExpireReservations(ctx); err != nil || n != 0 {
		t.Errorf("second run = %d, %v; want 0", n, err)
	}
	if n, err := e.svc.ReconcilePayments(ctx); err != nil || n != 0 {
		t.Errorf("ReconcilePayments = %d, %v; want 0 (the payment is cancelled)", n, err)
	}
	if keys := e.provider.cancelKeys(); !slices.Equal(keys, want) {
		t.Errorf("cancel keys after more passes = %v, want %v", keys, want)
	}
}

// TestCancelAfterSuccessMakesTheOrderPaid: the buyer paid between the
// worker's look and its cancellation; Stripe refuses to cancel.
func TestCancelAfterSuccessMakesTheOrderPaid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o, pay := e.awaiting(t, 2, p)
	e.expire(t, o.Number, "1 minute")
	e.provider.answer(pay.Ref, payment.StatusPending, payment.StatusSucceeded)

	if n, err := e.svc.ExpireReservations(ctx); err != nil || n != 0 {
		t.Fatalf("ExpireReservations = %d, %v; want 0 expired", n, err)
	}
	wantState(t, e.reload(t, o.Number), order.Paid, order.PaymentSucceeded)
	if s := e.stock(t, p); s != 8 {
		t.Errorf("stock = %d, want 8", s)
	}
	if n := e.count(t, `SELECT count(*) FROM refunds`); n != 0 {
		t.Errorf("refunds = %d, want 0", n)
	}
	if keys := e.provider.cancelKeys(); !slices.Equal(keys, []string{order.CancelKey(o.Number)}) {
		t.Errorf("cancel keys = %v", keys)
	}
}

func TestExpiryWaitsForAProviderThatDoesNotAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o, pay := e.awaiting(t, 2, p)
	e.expire(t, o.Number, "1 minute")
	e.provider.setAnswer(pay.Ref, answer{err: errors.New("stripe: connection refused (test)")})

	n, err := e.svc.ExpireReservations(ctx)
	if err == nil || n != 0 {
		t.Fatalf("ExpireReservations = %d, %v; want 0 and the error", n, err)
	}
	wantState(t, e.reload(t, o.Number), order.PendingPayment, order.PaymentCreated)
	if s := e.stock(t, p); s != 8 {
		t.Errorf("stock = %d, want 8 (kept while the payment is unknown)", s)
	}

	e.provider.answer(pay.Ref, payment.StatusPending, "") // Stripe is back
	if n, err := e.svc.ExpireReservations(ctx); err != nil || n != 1 {
		t.Fatalf("ExpireReservations = %d, %v; want 1", n, err)
	}
	wantState(t, e.reload(t, o.Number), order.Cancelled, order.PaymentCancelled)
}

func TestReconcileFailedAndCancelledPayments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	failed, fpay := e.awaiting(t, 1, p)
	dropped, dpay := e.awaiting(t, 1, p)  // cancelled at Stripe, e.g. from its dashboard
	retrying, rpay := e.awaiting(t, 1, p) // failed, but the buyer's next card is going through
	waiting, wpay := e.awaiting(t, 1, p)  // the buyer has not paid yet
	for _, n := range []string{failed.Number, dropped.Number, retrying.Number, waiting.Number} {
		e.backdate(t, n, "10 minutes")
	}
	e.provider.answer(fpay.Ref, payment.StatusFailed, "")
	e.provider.answer(dpay.Ref, payment.StatusCancelled, "")
	e.provider.answer(rpay.Ref, payment.StatusFailed, payment.StatusProcessing)
	e.provider.answer(wpay.Ref, payment.StatusPending, "")

	if _, err := e.svc.ReconcilePayments(ctx); err != nil {
		t.Fatalf("ReconcilePayments: %v", err)
	}
	got := e.reload(t, failed.Number)
	wantState(t, got, order.Cancelled, order.PaymentCancelled)
	if r := reason(got); r != "결제 실패" {
		t.Errorf("failed: reason %q", r)
	}
	got = e.reload(t, dropped.Number)
	wantState(t, got, order.Cancelled, order.PaymentCancelled)
	if r := reason(got); r != "결제 취소" {
		t.Errorf("dropped: reason %q", r)
	}
	wantState(t, e.reload(t, retrying.Number), order.PendingPayment, order.PaymentCreated)
	wantState(t, e.reload(t, waiting.Number), order.PendingPayment, order.PaymentCreated)
	if s := e.stock(t, p); s != 8 {
		t.Errorf("stock = %d, want 8 (two released)", s)
	}
	for _, k := range e.provider.cancelKeys() {
		if k == order.CancelKey(dropped.Number) || k == order.CancelKey(waiting.Number) {
			t.Errorf("cancelled %s, which needed no cancellation", k)
		}
	}
}

// TestFailedPaymentIsCancelledAtTheProvider: after a failed card the order
// is given up; the worker then cancels the PaymentIntent (through the real
// adapter on stripe-mock) so a page still open cannot pay it, and refunds a
// payment that went through before it got there.
func TestFailedPaymentIsCancelledAtTheProvider(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o, pay := e.awaiting(t, 2, p)
	payload, sig := e.signed(t, "evt_fail_1", "payment_intent.payment_failed", pay.Ref, o.Number, o.Total)
	if err := e.svc.HandleWebhook(ctx, "stripe", payload, sig); err != nil {
		t.Fatal(err)
	}
	wantState(t, e.reload(t, o.Number), order.Cancelled, order.PaymentFailed)
	if keys := e.provider.cancelKeys(); len(keys) != 0 {
		t.Errorf("the webhook called Stripe: %v", keys)
	}
	if _, err := e.svc.ReconcilePayments(ctx); err != nil {
		t.Fatal(err)
	}
	wantState(t, e.reload(t, o.Number), order.Cancelled, order.PaymentCancelled)
	want := []string{order.CancelKey(o.Number)}
	if keys := e.provider.cancelKeys(); !slices.Equal(keys, want) {
		t.Errorf("cancel keys = %v, want %v", keys, want)
	}
	if _, err := e.svc.ReconcilePayments(ctx); err != nil {
		t.Fatal(err)
	}
	if keys := e.provider.cancelKeys(); !slices.Equal(keys, want) {
		t.Errorf("cancel keys after another pass = %v, want %v", keys, want)
	}

	// The buyer retried on the open page and paid; that webhook was lost.
	o2, pay2 := e.awaiting(t, 1, p)
	payload, sig = e.signed(t, "evt_fail_2", "payment_intent.payment_failed", pay2.Ref, o2.Number, o2.Total)
	if err := e.svc.HandleWebhook(ctx, "stripe", payload, sig); err != nil {
		t.Fatal(err)
	}
	e.provider.answer(pay2.Ref, "", payment.StatusSucceeded)
	if _, err := e.svc.ReconcilePayments(ctx); err != nil {
		t.Fatal(err)
	}
	got := e.reload(t, o2.Number)
	wantState(t, got, order.Cancelled, order.PaymentRefunded)
	if got.Payment.RefundedAmount != o2.Total {
		t.Errorf("refunded %d, want %d", got.Payment.RefundedAmount, o2.Total)
	}
	if s := e.stock(t, p); s != 10 {
		t.Errorf("stock = %d, want 10", s)
	}
}

func TestBuyerCancelCancelsThePaymentIntent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 20)

	t.Run("not paid", func(t *testing.T) { // through stripe-mock
		o, _ := e.awaiting(t, 2, p)
		if err := e.svc.Cancel(ctx, o.Number, buyerPhone); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
		got := e.reload(t, o.Number)
		wantState(t, got, order.Cancelled, order.PaymentCancelled)
		if r := reason(got); r != "구매자 취소" {
			t.Errorf("reason = %q", r)
		}
		if keys := e.provider.cancelKeys(); !slices.Contains(keys, order.CancelKey(o.Number)) {
			t.Errorf("cancel keys = %v, want %s", keys, order.CancelKey(o.Number))
		}
	})
	t.Run("paid in another tab just before", func(t *testing.T) {
		o, pay := e.awaiting(t, 2, p)
		e.provider.answer(pay.Ref, "", payment.StatusSucceeded)
		if err := e.svc.Cancel(ctx, o.Number, buyerPhone); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
		got := e.reload(t, o.Number)
		wantState(t, got, order.Cancelled, order.PaymentRefunded)
		if got.Payment.RefundedAmount != o.Total || e.paidTransitions(t, o.Number) != 1 {
			t.Errorf("payment %+v, paid transitions %d; want paid once, then refunded in full",
				got.Payment, e.paidTransitions(t, o.Number))
		}
	})
	t.Run("still processing", func(t *testing.T) {
		o, pay := e.awaiting(t, 2, p)
		e.provider.answer(pay.Ref, "", payment.StatusProcessing)
		err := e.svc.Cancel(ctx, o.Number, buyerPhone)
		if msg := wantCode(t, err, apperr.Conflict).Message; !strings.Contains(msg, "결제가 처리되는 중") {
			t.Errorf("message = %q", msg)
		}
		wantState(t, e.reload(t, o.Number), order.PendingPayment, order.PaymentCreated)
		e.provider.answer(pay.Ref, "", "")
		if err := e.svc.Cancel(ctx, o.Number, buyerPhone); err != nil {
			t.Fatalf("Cancel once processed: %v", err)
		}
	})
	t.Run("Stripe down", func(t *testing.T) {
		o, pay := e.awaiting(t, 2, p)
		e.provider.setAnswer(pay.Ref, answer{err: errors.New("stripe: connection refused (test)")})
		if err := e.svc.Cancel(ctx, o.Number, buyerPhone); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
		wantState(t, e.reload(t, o.Number), order.Cancelled, order.PaymentCreated)
		e.provider.answer(pay.Ref, "", "") // back up: the worker closes the payment
		if _, err := e.svc.ReconcilePayments(ctx); err != nil {
			t.Fatal(err)
		}
		wantState(t, e.reload(t, o.Number), order.Cancelled, order.PaymentCancelled)
	})
	if s := e.stock(t, p); s != 20 {
		t.Errorf("stock = %d, want 20", s)
	}
}

func TestCanceledWebhookCancelsTheOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o, pay := e.awaiting(t, 3, p)
	payload, sig := e.signed(t, "evt_canceled", "payment_intent.canceled", pay.Ref, o.Number, o.Total)
	for range 2 { // replayed
		if err := e.svc.HandleWebhook(ctx, "stripe", payload, sig); err != nil {
			t.Fatal(err)
		}
	}
	got := e.reload(t, o.Number)
	wantState(t, got, order.Cancelled, order.PaymentCancelled)
	if r := reason(got); r != "결제 취소" {
		t.Errorf("reason = %q", r)
	}
	if s := e.stock(t, p); s != 10 {
		t.Errorf("stock = %d, want 10 (returned once)", s)
	}
}
