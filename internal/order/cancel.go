package order

import (
	"context"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/payment"
)

// Cancel cancels the order for its buyer (phone must match, else
// apperr.NotFound): allowed while no part of it has shipped (else
// apperr.Conflict). Its stock is returned; a paid order is refunded in full
// through the provider: the refund row and its idempotency key are written
// with the cancellation, the provider is called after commit, and if it does
// not answer the worker retries the refund with the same key.
//
// An unpaid order's payment is cancelled at the provider first (outside any
// transaction), so it cannot be paid afterwards. If the provider answers that
// the money was taken, the order is recorded as paid and then cancelled and
// refunded like any paid order; if the payment is still processing, the
// answer is apperr.Conflict (try again shortly); if the provider does not
// answer, the order is cancelled anyway and the worker cancels the payment
// later (ReconcilePayments), refunding it should it go through.
func (s *Service) Cancel(ctx context.Context, number, phone string) error {
	o, err := s.Lookup(ctx, number, phone)
	if err != nil {
		return err
	}
	if o.Terms == TermsInvoice {
		// An institution's order is a contract: who may undo it is the
		// institution's signed-in buyer with the co-op, not whoever holds
		// the number and the phone on the delivery note.
		return apperr.Errorf(apperr.Conflict, "기관 주문(청구서 후불)은 주문번호와 연락처로 취소할 수 없습니다. 협동조합에 연락해 주세요.")
	}
	closed := "" // the payment cancelled at the provider just now
	if p := o.Payment; o.Status == PendingPayment && p != nil && p.Ref != "" {
		st, err := s.provider.Cancel(ctx, p.Ref, CancelKey(o.Number))
		switch {
		case err != nil:
			s.log.Warn("order: cancel payment at the provider; the worker retries", "order", o.Number, "err", err)
		case st == payment.StatusCancelled:
			closed = p.Ref
		case st == payment.StatusSucceeded:
			if err := s.applyStatus(ctx, o.Number, p.Ref, st); err != nil {
				return err
			}
		default:
			return apperr.Errorf(apperr.Conflict, "결제가 처리되는 중입니다. 잠시 후 다시 시도해 주세요.")
		}
	}
	var refund *Refund
	_, err = s.update(ctx, o.Number, nil, func(o *Order) (Change, error) {
		refund = nil
		if o.Status == Cancelled {
			if closed != "" {
				return Change{}, nil // the provider's cancellation event got here first
			}
			return Change{}, apperr.Errorf(apperr.Conflict, "이미 취소된 주문입니다.")
		}
		if !o.Cancellable() {
			return Change{}, apperr.Errorf(apperr.Conflict, "이미 발송된 상품이 있거나 구매가 확정되어 취소할 수 없습니다. 판매 기업에 문의해 주세요.")
		}
		c := Change{To: Cancelled, SubTo: SubCancelled, Reason: "구매자 취소", CancelledBy: PartyBuyer, Release: true}
		// Parts cancelled on their own were refunded on their own: the rest
		// is what is left.
		if p := o.Payment; p != nil && p.Status == PaymentSucceeded && p.Refundable() > 0 {
			c.Refund = &Refund{PaymentID: p.ID, PaymentRef: p.Ref, Amount: p.Refundable(),
				Reason: "구매자 취소", IdempotencyKey: RefundKey(o.Number)}
		} else if p != nil && closed != "" && p.Ref == closed {
			c.Payment = PaymentCancelled
		}
		refund = c.Refund
		return c, nil
	})
	if err != nil {
		return err
	}
	s.log.Info("order: cancelled by buyer", "order", o.Number, "refund", refund != nil)
	if refund != nil {
		s.refund(ctx, refund)
	}
	return nil
}

// refund calls the provider for a refund whose row is committed, then
// records its reference. A failure is logged: RetryRefunds tries again with
// the same idempotency key.
func (s *Service) refund(ctx context.Context, r *Refund) {
	ref, err := s.provider.Refund(ctx, r.PaymentRef, r.Amount, r.IdempotencyKey)
	if err != nil {
		s.log.Error("order: refund", "refund", r.IdempotencyKey, "err", err)
		return
	}
	if err := s.store.CompleteRefund(ctx, r.IdempotencyKey, ref); err != nil {
		s.log.Error("order: record refund", "refund", r.IdempotencyKey, "ref", ref, "err", err)
	}
}

// RetryRefunds calls the provider again for refunds it has not confirmed
// (the call failed or the process died after writing the row) and returns
// how many it tried.
func (s *Service) RetryRefunds(ctx context.Context) (int, error) {
	list, err := s.store.PendingRefunds(ctx, s.cfg.RefundRetryAfter, 50)
	if err != nil {
		return 0, err
	}
	for i := range list {
		s.refund(ctx, &list[i])
	}
	return len(list), nil
}
