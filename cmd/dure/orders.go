package main

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/stripe"
)

// openOrders builds the order service on PostgreSQL, the carts and Stripe
// (stripe-mock when DURE_STRIPE_API_BASE points at it, which in development
// mode also enables the test-card button: order.Service.ConfirmTestPayment,
// reported as testPayments).
//
// Invoice orders use the bank-transfer provider with the co-op's account and
// co's settings and holidays (co may be nil where no invoice is made).
func openOrders(_ context.Context, cfg config.Config, pool *pgxpool.Pool, carts *cart.Service, mailer mail.Mailer,
	co *coop.Service, auditor order.Auditor, log *slog.Logger) (_ *order.Service, testPayments bool, _ error) {
	provider, err := stripe.New(stripe.Config{Key: cfg.StripeKey, APIBase: cfg.StripeAPIBase, WebhookSecret: cfg.StripeWebhookKey})
	if err != nil {
		return nil, false, err
	}
	testPayments = provider.IsMock && cfg.IsDevelopment()
	if testPayments {
		log.Warn("payments go to a Stripe mock; the test-card payment button is enabled", "api_base", cfg.StripeAPIBase)
	}
	invoice := &payment.Invoice{}
	ocfg := order.Config{Auditor: auditor}
	if co != nil {
		ocfg.Coop = co
		invoice.Account = func(ctx context.Context) (payment.BankAccount, error) {
			st, err := co.Settings(ctx)
			if err != nil {
				return payment.BankAccount{}, err
			}
			return payment.BankAccount{Bank: st.BankName, Number: st.BankAccount, Holder: st.BankHolder}, nil
		}
	}
	if pool != nil {
		ocfg.Catalog = postgres.NewCatalogStore(pool)
	}
	store := postgres.NewOrderStore(pool)
	var exclusive order.Exclusive
	if pool != nil {
		exclusive = postgres.NewExclusive(pool)
	}
	return order.NewService(store, carts, payment.NewRegistry(provider, invoice), order.Config{
		Catalog:           ocfg.Catalog,
		Documents:         store,
		Coop:              ocfg.Coop,
		Auditor:           ocfg.Auditor,
		ReservationTTL:    cfg.ReservationTTL,
		ReconcileAfter:    cfg.ReconcileAfter,
		ReconcileInterval: cfg.ReconcileInterval,
		Logger:            log.With("component", "orders"),
		Mailer:            mailer,
		Exclusive:         exclusive,
	}), testPayments, nil
}

// runOrderWorker reconciles payments with Stripe (every
// cfg.ReconcileInterval), expires unpaid reservations and retries unconfirmed
// refunds every cfg.OrderInterval until ctx ends. Any number of instances may
// run it: one of them at a time does each pass (postgres.Exclusive).
func runOrderWorker(ctx context.Context, cfg config.Config, orders *order.Service) {
	orders.RunWorker(ctx, cfg.OrderInterval)
}

// openQuotes builds the quote service on PostgreSQL. It prices catalogue
// lines on the public list (pricing.Public, tiers included) and reads the
// default direct-contract limit from the co-op settings; an accepted quote
// becomes a public order through order.QuoteOrders (PlacePublic).
func openQuotes(pool *pgxpool.Pool, accounts *account.Service, orders *order.Service, institutions *institution.Service, coops *coop.Service) *quote.Service {
	return &quote.Service{Store: postgres.NewQuoteStore(pool), Audit: accounts, Products: postgres.NewCatalogStore(pool), Coop: coops,
		Orders: &order.QuoteOrders{Orders: orders, Institutions: institutions}}
}
