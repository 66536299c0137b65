package order

import (
	"context"
	"fmt"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/payment"
)

// PaymentKey is the idempotency key of an order's card payment: one per
// order, stored before the provider is called.
func PaymentKey(orderNumber string) string { return "pi-" + orderNumber }

// RefundKey is the idempotency key of the full refund of an order's payment.
func RefundKey(orderNumber string) string { return "re-" + orderNumber }

// CancelKey is the idempotency key of the cancellation of an order's
// payment at the provider.
func CancelKey(orderNumber string) string { return "pi-cancel-" + orderNumber }

// StartPayment returns the order's card payment (provider reference and the
// client secret the payment page needs), creating it at the provider the
// first time. The payments row and its idempotency key are written first,
// the provider is called outside any transaction, and its answer is stored
// in a second transaction; calling it again returns the same payment, and a
// retry after a crash in between reuses the same key, so the provider
// returns the same payment too. Errors: apperr.NotFound; apperr.Conflict when
// the order is not awaiting payment or its reservation ran out;
// apperr.Unavailable when the provider does not answer.
func (s *Service) StartPayment(ctx context.Context, number string) (*Payment, error) {
	o, err := s.FindOrder(ctx, number)
	if err != nil {
		return nil, err
	}
	if o.Payment != nil && o.Payment.Ref != "" && o.Status == PendingPayment {
		return o.Payment, nil
	}
	switch {
	case o.Status == Paid || o.Status == Completed:
		return nil, apperr.Errorf(apperr.Conflict, "이미 결제된 주문입니다.")
	case o.Status != PendingPayment:
		return nil, apperr.Errorf(apperr.Conflict, "취소된 주문은 결제할 수 없습니다. 다시 주문해 주세요.")
	case !s.now().Before(o.ReservedUntil):
		return nil, apperr.Errorf(apperr.Conflict, "결제 시간이 지나 주문이 취소됩니다. 다시 주문해 주세요.")
	}
	p, err := s.store.EnsurePayment(ctx, o.ID, Payment{Provider: s.provider.Name(), IdempotencyKey: PaymentKey(o.Number),
		Amount: o.Total, Status: PaymentCreated})
	if err != nil {
		return nil, err
	}
	if p.Ref != "" {
		return p, nil
	}
	ref, secret, err := s.provider.CreatePayment(ctx, payment.Request{OrderNumber: o.Number, Amount: p.Amount,
		IdempotencyKey: p.IdempotencyKey, Description: "두레 주문 " + o.Number})
	if err != nil {
		s.log.Error("order: create payment", "order", o.Number, "err", err)
		return nil, apperr.Errorf(apperr.Unavailable, "결제를 시작하지 못했습니다. 잠시 후 다시 시도해 주세요.")
	}
	return s.store.SetPaymentRef(ctx, p.ID, ref, secret)
}

// HandleWebhook verifies the webhook of the provider registered as
// provider (apperr.NotFound when none is, or it takes no webhooks: answer
// 404; apperr.Invalid for a bad signature: answer 400, nothing changes) and
// applies its event.
func (s *Service) HandleWebhook(ctx context.Context, provider string, payload []byte, signature string) error {
	v, err := s.payments.Verifier(provider)
	if err != nil {
		return err
	}
	ev, err := v.VerifyWebhook(payload, signature)
	if err != nil {
		return err
	}
	return s.ApplyPaymentEvent(ctx, ev)
}

// ApplyPaymentEvent applies a verified payment event once, whatever order
// events arrive in: the event id is recorded in the transaction that has
// the effect, and a replay does nothing.
//   - succeeded on a pending order: the order and its sub-orders become paid.
//   - succeeded on an order already cancelled (it expired, or the buyer
//     cancelled before paying): the payment is recorded and refunded in full,
//     because its stock was already released.
//   - failed on a pending order: the order is cancelled and its stock
//     released; the buyer orders again. A failure after success changes
//     nothing. The payment itself is cancelled at the provider by the
//     worker (ReconcilePayments), so a page still open cannot pay it.
//   - cancelled (at the provider) on a pending order: as failed; on a
//     cancelled order: the payment is recorded as cancelled.
//
// Events for unknown payments are logged and ignored (nil), so the provider
// stops retrying them.
func (s *Service) ApplyPaymentEvent(ctx context.Context, ev payment.Event) error {
	if ev.ID == "" {
		return apperr.Errorf(apperr.Invalid, "이벤트 번호가 없습니다.")
	}
	switch ev.Kind {
	case payment.EventSucceeded, payment.EventFailed, payment.EventCancelled:
	default:
		return nil
	}
	number := ev.OrderNumber
	if number == "" {
		n, err := s.store.FindOrderNumberByPaymentRef(ctx, ev.Provider, ev.PaymentRef)
		if apperr.Code(err) == apperr.NotFound {
			s.log.Warn("order: payment event for an unknown payment", "event", ev.ID, "payment", ev.PaymentRef)
			return nil
		}
		if err != nil {
			return err
		}
		number = n
	}
	var refund *Refund
	applied, err := s.update(ctx, number, &ProcessedEvent{Provider: ev.Provider, ID: ev.ID, Type: ev.Type},
		func(o *Order) (Change, error) {
			c := s.decideEvent(o, ev)
			refund = c.Refund
			return c, nil
		})
	if apperr.Code(err) == apperr.NotFound {
		s.log.Warn("order: payment event for an unknown order", "event", ev.ID, "order", number)
		return nil
	}
	if err != nil {
		return err
	}
	if !applied {
		s.log.Info("order: payment event already applied", "event", ev.ID, "order", number)
		return nil
	}
	if refund != nil {
		s.refund(ctx, refund)
	}
	return nil
}

func (s *Service) decideEvent(o *Order, ev payment.Event) Change {
	p := o.Payment
	if p == nil || (p.Ref != "" && p.Ref != ev.PaymentRef) {
		s.log.Warn("order: payment event does not match the order's payment", "event", ev.ID, "order", o.Number)
		return Change{}
	}
	if ev.Amount != 0 && ev.Amount != p.Amount {
		s.log.Error("order: payment amount differs from the order", "event", ev.ID, "order", o.Number,
			"amount", ev.Amount, "want", p.Amount)
		return Change{Note: fmt.Sprintf("결제 금액 불일치: %s (주문 %s)", kr.Won(ev.Amount), kr.Won(p.Amount))}
	}
	switch ev.Kind {
	case payment.EventSucceeded:
		switch {
		case o.Status == PendingPayment:
			return Change{To: Paid, SubTo: SubPaid, Reason: "카드 결제 완료", Payment: PaymentSucceeded}
		case o.Status == Cancelled && (p.Status == PaymentCreated || p.Status == PaymentFailed || p.Status == PaymentCancelled):
			return Change{Note: "취소된 주문의 결제가 완료되어 전액 환불합니다.", Payment: PaymentSucceeded,
				Refund: &Refund{PaymentID: p.ID, PaymentRef: ev.PaymentRef, Amount: p.Amount,
					Reason: "취소 후 결제", IdempotencyKey: RefundKey(o.Number)}}
		}
	case payment.EventFailed:
		if o.Status == PendingPayment {
			reason := "결제 실패"
			if ev.FailureReason != "" {
				reason += ": " + ev.FailureReason
			}
			return Change{To: Cancelled, SubTo: SubCancelled, Reason: reason, CancelledBy: PartySystem, Release: true,
				Payment: PaymentFailed, Failure: ev.FailureReason}
		}
	case payment.EventCancelled:
		switch {
		case o.Status == PendingPayment:
			return Change{To: Cancelled, SubTo: SubCancelled, Reason: "결제 취소", CancelledBy: PartySystem, Release: true,
				Payment: PaymentCancelled}
		case o.Status == Cancelled && (p.Status == PaymentCreated || p.Status == PaymentFailed):
			return Change{Payment: PaymentCancelled}
		}
	}
	return Change{}
}

// ConfirmTestPayment pays the order with the provider's test card and
// applies the success through ApplyPaymentEvent, as the webhook would (the
// event id is derived from the payment, so a double click applies once).
// Only when the provider is a test backend (stripe-mock); otherwise
// apperr.Forbidden. Other errors as StartPayment.
func (s *Service) ConfirmTestPayment(ctx context.Context, number string) error {
	tc, ok := s.provider.(payment.TestConfirmer)
	if !ok || !tc.TestMode() {
		return apperr.Errorf(apperr.Forbidden, "테스트 결제는 개발 환경에서만 쓸 수 있습니다.")
	}
	o, err := s.FindOrder(ctx, number)
	if err != nil {
		return err
	}
	if o.Status == Paid && o.Payment != nil && o.Payment.Status == PaymentSucceeded {
		return nil // a double click
	}
	p, err := s.StartPayment(ctx, number)
	if err != nil {
		return err
	}
	if err := tc.ConfirmTest(ctx, p.Ref); err != nil {
		s.log.Error("order: confirm test payment", "order", o.Number, "err", err)
		return apperr.Errorf(apperr.Unavailable, "테스트 결제를 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.")
	}
	return s.ApplyPaymentEvent(ctx, payment.Event{Provider: s.provider.Name(), ID: "evt_test_" + p.Ref,
		Type: "payment_intent.succeeded", Kind: payment.EventSucceeded, PaymentRef: p.Ref, OrderNumber: o.Number,
		Amount: p.Amount})
}
