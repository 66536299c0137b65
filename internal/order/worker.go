package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dure-coop/dure/internal/payment"
)

// ExpireReservations gives up the orders whose reservation ran out unpaid
// and returns how many it cancelled. Each one's payment is settled with the
// provider first, outside any transaction:
//   - succeeded (its webhook was lost or is late): the order becomes paid;
//   - processing: the order keeps waiting, up to Config.ProcessingGrace past
//     its reservation; then its payment is cancelled if the provider still
//     allows it;
//   - otherwise the payment is cancelled at the provider (idempotency key
//     CancelKey) and only then is the order cancelled and its stock
//     returned, so the buyer can no longer pay it. Should the provider
//     answer that the money was taken first, the order becomes paid.
//
// An order without a payment at the provider is cancelled at once; one
// whose provider does not answer is left for the next pass (the error is
// returned after the others are done). Each order changes in its own short
// transaction, and several workers may run this at once. A payment that
// succeeds after all is refunded (ApplyPaymentEvent).
func (s *Service) ExpireReservations(ctx context.Context) (int, error) {
	return s.eachCheck(ctx, PaymentCheckFilter{Kind: CheckExpired}, func(ctx context.Context, c PaymentCheck) (bool, error) {
		return s.expire(ctx, c)
	})
}

func (s *Service) expire(ctx context.Context, c PaymentCheck) (bool, error) {
	if c.PaymentRef != "" {
		if err := s.ownPayment(c); err != nil {
			return false, err
		}
		st, err := s.provider.Status(ctx, c.PaymentRef)
		if err != nil {
			return false, err
		}
		if st == payment.StatusProcessing && s.now().Before(c.ReservedUntil.Add(s.cfg.ProcessingGrace)) {
			return false, nil
		}
		if st != payment.StatusSucceeded && st != payment.StatusCancelled {
			if st, err = s.provider.Cancel(ctx, c.PaymentRef, CancelKey(c.Number)); err != nil {
				return false, err
			}
		}
		switch st {
		case payment.StatusSucceeded:
			s.log.Warn("order: payment found succeeded at expiry; the order is paid", "order", c.Number, "payment", c.PaymentRef)
			return false, s.applyStatus(ctx, c.Number, c.PaymentRef, st)
		case payment.StatusCancelled:
		default:
			return false, nil // still processing: the next pass asks again
		}
	}
	expired := false
	_, err := s.update(ctx, c.Number, nil, func(o *Order) (Change, error) {
		expired = false
		ref := ""
		if o.Payment != nil {
			ref = o.Payment.Ref
		}
		// Someone else settled it first, or a payment was started since it
		// was listed (the next pass settles that one).
		if o.Status != PendingPayment || ref != c.PaymentRef {
			return Change{}, nil
		}
		ch := Change{To: Cancelled, SubTo: SubCancelled, Reason: "결제 시간 초과", CancelledBy: PartySystem, Release: true}
		if ref != "" {
			ch.Payment = PaymentCancelled
		}
		expired = true
		return ch, nil
	})
	return expired, err
}

// ReconcilePayments asks the provider about payments whose webhook may
// never have arrived, applies what it says through ApplyPaymentEvent as
// that webhook would have, and returns how many orders it settled:
//   - orders awaiting payment longer than Config.ReconcileAfter (and still
//     within their reservation): succeeded → paid; cancelled → cancelled;
//     failed → the payment is cancelled at the provider, then the order is
//     cancelled as failed (or paid, should the money have been taken in
//     between); pending or processing → left waiting;
//   - orders cancelled in the last week whose payment could still take
//     money (a failed card can be retried from a page still open): the
//     payment is cancelled at the provider, or, if it went through, the
//     money is refunded.
//
// Errors as ExpireReservations.
func (s *Service) ReconcilePayments(ctx context.Context) (int, error) {
	n, err := s.eachCheck(ctx, PaymentCheckFilter{Kind: CheckAwaiting, OlderThan: s.cfg.ReconcileAfter},
		func(ctx context.Context, c PaymentCheck) (bool, error) { return s.reconcileAwaiting(ctx, c) })
	m, err2 := s.eachCheck(ctx, PaymentCheckFilter{Kind: CheckCancelled, Within: cancelledWindow},
		func(ctx context.Context, c PaymentCheck) (bool, error) { return s.closePayment(ctx, c) })
	return n + m, errors.Join(err, err2)
}

func (s *Service) reconcileAwaiting(ctx context.Context, c PaymentCheck) (bool, error) {
	if err := s.ownPayment(c); err != nil {
		return false, err
	}
	st, err := s.provider.Status(ctx, c.PaymentRef)
	if err != nil {
		return false, err
	}
	if st == payment.StatusFailed {
		cst, err := s.provider.Cancel(ctx, c.PaymentRef, CancelKey(c.Number))
		if err != nil {
			return false, err
		}
		switch cst {
		case payment.StatusCancelled:
		case payment.StatusSucceeded:
			st = cst
		default:
			return false, nil // the buyer is retrying: the next pass asks again
		}
	}
	switch st {
	case payment.StatusSucceeded, payment.StatusFailed, payment.StatusCancelled:
		s.log.Warn("order: payment reconciled with the provider", "order", c.Number, "payment", c.PaymentRef, "status", st)
		return true, s.applyStatus(ctx, c.Number, c.PaymentRef, st)
	}
	return false, nil
}

// closePayment cancels at the provider the payment of an order given up
// while that payment could still take money, and records it; if the money
// was taken meanwhile, it is refunded (ApplyPaymentEvent).
func (s *Service) closePayment(ctx context.Context, c PaymentCheck) (bool, error) {
	if err := s.ownPayment(c); err != nil {
		return false, err
	}
	st, err := s.provider.Cancel(ctx, c.PaymentRef, CancelKey(c.Number))
	if err != nil {
		return false, err
	}
	if st != payment.StatusSucceeded && st != payment.StatusCancelled {
		return false, nil // processing: the next pass asks again
	}
	return true, s.applyStatus(ctx, c.Number, c.PaymentRef, st)
}

// ownPayment refuses a payment taken by another provider than the
// service's: only that provider can settle it.
func (s *Service) ownPayment(c PaymentCheck) error {
	if c.Provider != s.provider.Name() {
		return fmt.Errorf("order: payment %s of %s is at %s, not %s", c.PaymentRef, c.Number, c.Provider, s.provider.Name())
	}
	return nil
}

// applyStatus applies what the provider said about the payment ref of
// order number through ApplyPaymentEvent, as the lost webhook would have.
// The event id is derived from the payment and the status, so however many
// workers read it, it is applied once.
func (s *Service) applyStatus(ctx context.Context, number, ref string, st payment.Status) error {
	kind, ok := map[payment.Status]payment.EventKind{payment.StatusSucceeded: payment.EventSucceeded,
		payment.StatusFailed: payment.EventFailed, payment.StatusCancelled: payment.EventCancelled}[st]
	if !ok {
		return nil
	}
	return s.ApplyPaymentEvent(ctx, payment.Event{Provider: s.provider.Name(), ID: "reconcile_" + string(st) + "_" + ref,
		Type: "reconcile." + string(st), Kind: kind, PaymentRef: ref, OrderNumber: number})
}

// settleTimeout bounds the settling of one order once begun.
const settleTimeout = 30 * time.Second

// eachCheck calls settle for every order f lists, a page at a time and at
// most maxChecks, and returns how many it settled. An order that fails is
// logged and left for the next pass; the error is returned after the rest.
// ctx ending stops it between two orders, never inside one: the order in
// hand is settled (its provider call and its transaction) on a context of
// its own, within settleTimeout.
func (s *Service) eachCheck(ctx context.Context, f PaymentCheckFilter, settle func(context.Context, PaymentCheck) (bool, error)) (int, error) {
	f.Limit = checkPage
	n, seen, failed := 0, 0, 0
	var first error
	for seen < maxChecks {
		list, err := s.store.FindPaymentChecks(ctx, f)
		if err != nil {
			return n, err
		}
		for _, c := range list {
			if ctx.Err() != nil {
				return n, ctx.Err()
			}
			octx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
			ok, err := settle(octx, c)
			cancel()
			if err != nil {
				s.log.Warn("order: settle payment", "order", c.Number, "payment", c.PaymentRef, "err", err)
				failed++
				if first == nil {
					first = err
				}
			}
			if ok {
				n++
			}
		}
		seen += len(list)
		if len(list) < f.Limit {
			break
		}
		f.AfterID = list[len(list)-1].OrderID
	}
	if first != nil {
		return n, fmt.Errorf("order: %d of %d orders left for the next pass: %w", failed, seen, first)
	}
	return n, nil
}

// RunWorker settles payments with the provider (ReconcilePayments, every
// Config.ReconcileInterval), expires unpaid reservations and retries
// unconfirmed refunds every interval until ctx ends. Several instances may
// run it at once: with Config.Exclusive one of them does each pass and the
// others skip it; without, each order still changes once (its own locked
// transaction) but the provider is asked by each. A pass is never cut
// short between an order's provider call and its transaction: ctx ending
// stops the worker after the order in hand (eachCheck).
func (s *Service) RunWorker(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var reconciled time.Time
	for {
		pass := func(ctx context.Context) error {
			s.workerPass(ctx, &reconciled)
			return nil
		}
		if s.cfg.Exclusive == nil {
			_ = pass(ctx)
		} else if _, err := s.cfg.Exclusive.TryExclusive(ctx, "order-worker", pass); err != nil && ctx.Err() == nil {
			s.log.Error("order: worker lock", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// workerPass is one pass of RunWorker.
func (s *Service) workerPass(ctx context.Context, reconciled *time.Time) {
	if now := s.now(); now.Sub(*reconciled) >= s.cfg.ReconcileInterval {
		*reconciled = now
		if n, err := s.ReconcilePayments(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("order: reconcile payments", "settled", n, "err", err)
		} else if n > 0 {
			s.log.Info("order: payments reconciled", "count", n)
		}
	}
	if ctx.Err() != nil {
		return
	}
	if n, err := s.ExpireReservations(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("order: expire reservations", "expired", n, "err", err)
	} else if n > 0 {
		s.log.Info("order: reservations expired", "count", n)
	}
	if ctx.Err() != nil {
		return
	}
	if _, err := s.RetryRefunds(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("order: retry refunds", "err", err)
	}
}
