package order

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/pricing"
)

// DefaultReservationTTL is how long stock stays reserved for an unpaid order.
const DefaultReservationTTL = 15 * time.Minute

// Shortage is a cart line that cannot be ordered as it is: its product (and
// option) name and the stock left.
type Shortage struct {
	Name      string
	Kind      catalog.Kind
	Available int
}

// Cart is what checkout needs from the shopper's cart. cart.Service
// implements it.
type Cart interface {
	// CheckoutItems returns the cart's orderable lines priced against the
	// catalogue in PostgreSQL now (never the cart's remembered prices), and
	// the lines that cannot be ordered as they are (sold out, too many).
	CheckoutItems(ctx context.Context, cartID, postcode string) ([]pricing.Item, []Shortage, error)
	// Clear empties the cart.
	Clear(ctx context.Context, cartID string) error
}

// Config tunes a Service.
type Config struct {
	// ReservationTTL is how long an unpaid order holds its stock
	// (DefaultReservationTTL when 0).
	ReservationTTL time.Duration
	// RefundRetryAfter is how old an unconfirmed refund must be before the
	// worker retries it (1 minute when 0), so it does not race the request
	// that wrote it. Retrying is safe anyway: the idempotency key is reused.
	RefundRetryAfter time.Duration
	// ReconcileAfter is how long an order may await payment before the
	// worker asks the provider about its payment, in case the webhook was
	// lost (5 minutes when 0).
	ReconcileAfter time.Duration
	// ReconcileInterval is how often RunWorker does that (1 minute when 0).
	// An order whose reservation has run out is asked about before it is
	// given up, whatever the interval.
	ReconcileInterval time.Duration
	// ProcessingGrace is how long past its reservation an order whose
	// payment is still processing (3-D Secure, the card network) keeps
	// waiting before the worker tries to cancel that payment (1 hour when 0).
	ProcessingGrace time.Duration
	// Mailer sends the codes that claim guest orders (StartClaim); nil
	// disables claims (apperr.Unavailable).
	Mailer mail.Mailer
	// Catalog reads the products of public orders (PlacePublic); nil
	// refuses them (apperr.Unavailable).
	Catalog Catalog
	// Coop gives the inspection and payment periods and the holidays
	// (Inspect, InvoiceFor); nil uses the defaults without holidays.
	Coop Coop
	// Auditor builds the audit records of operators' invoice actions.
	Auditor Auditor
	// Documents reads the parties of public orders' documents and the
	// claims of a period (Statement, InvoiceDocument, TaxInvoiceBills); nil
	// refuses them (apperr.Unavailable).
	Documents DocumentStore
	// Exclusive lets one instance at a time run a pass of the worker
	// (RunWorker), so expiry, reconciliation and refund retries each happen
	// once however many instances run it; nil runs every pass (one
	// instance, or tests).
	Exclusive Exclusive
	Logger    *slog.Logger
}

// Exclusive runs a named job on one instance at a time
// (postgres.Exclusive: an advisory lock).
type Exclusive interface {
	// TryExclusive runs fn unless another instance is running the job
	// name, and reports whether it ran.
	TryExclusive(ctx context.Context, name string, fn func(context.Context) error) (ran bool, err error)
}

const (
	// cancelledWindow is how far back the worker looks for cancelled orders
	// whose payment could still take money.
	cancelledWindow = 7 * 24 * time.Hour
	checkPage       = 100  // orders listed at a time for the worker
	maxChecks       = 1000 // orders the worker settles per pass and kind
)

// Service is checkout and everything that follows: payment, payment events,
// cancellation, expiry of unpaid reservations, the guest order lookup, the
// enterprises' fulfilment of their parts and the members' order history.
type Service struct {
	store    Store
	carts    Cart
	payments *payment.Registry
	provider payment.Provider // payments.Card(): checkout's card payments
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
}

// NewService returns an order service. Card payments go to payments.Card(),
// which may also implement payment.TestConfirmer (ConfirmTestPayment);
// webhooks go to the provider they name (HandleWebhook); invoice orders use
// the provider registered as payment.InvoiceName.
func NewService(store Store, carts Cart, payments *payment.Registry, cfg Config) *Service {
	if cfg.ReservationTTL <= 0 {
		cfg.ReservationTTL = DefaultReservationTTL
	}
	if cfg.RefundRetryAfter <= 0 {
		cfg.RefundRetryAfter = time.Minute
	}
	if cfg.ReconcileAfter <= 0 {
		cfg.ReconcileAfter = 5 * time.Minute
	}
	if cfg.ReconcileInterval <= 0 {
		cfg.ReconcileInterval = time.Minute
	}
	if cfg.ProcessingGrace <= 0 {
		cfg.ProcessingGrace = time.Hour
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, carts: carts, payments: payments, provider: payments.Card(), cfg: cfg, log: log, now: time.Now}
}

// update runs decide under the order's row lock, checking the transitions
// it asks for against the state machines before anything is written.
func (s *Service) update(ctx context.Context, number string, ev *ProcessedEvent, decide func(*Order) (Change, error)) (bool, error) {
	return s.store.UpdateOrder(ctx, number, ev, func(o *Order) (Change, error) {
		c, err := decide(o)
		if err != nil {
			return Change{}, err
		}
		return c, c.check(o)
	})
}

// check enforces the state machines for a change: every transition it asks
// for must be allowed by Status.Transition and SubStatus.Transition. A
// SubChange to the state its sub-order is in may only correct a shipment.
func (c Change) check(o *Order) error {
	if sc := c.Sub; sc != nil {
		so := o.SubOrder(sc.ID)
		switch {
		case so == nil:
			return fmt.Errorf("order: sub-order %d is not part of %s", sc.ID, o.Number)
		case so.Status != sc.To:
			if err := so.Status.Transition(sc.To); err != nil {
				return err
			}
		case sc.To != SubShipped:
			return apperr.Errorf(apperr.Conflict, "이미 '%s' 상태인 주문입니다.", sc.To.Label())
		}
	}
	if c.Return != nil {
		if err := c.Return.check(o); err != nil {
			return err
		}
	}
	if c.To != "" && c.To != o.Status {
		if err := o.Status.Transition(c.To); err != nil {
			return err
		}
	}
	if c.SubTo != "" {
		for _, so := range o.SubOrders {
			if so.Status == c.SubTo {
				continue
			}
			if err := so.Status.Transition(c.SubTo); err != nil {
				return err
			}
		}
	}
	return nil
}
