package main

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/stripe"
)

// openOrders builds the order service on PostgreSQL, the carts and Stripe
// (stripe-mock when DURE_STRIPE_API_BASE points at it, which in development
// mode also enables the test-card button: order.Service.ConfirmTestPayment,
// reported as testPayments).
func openOrders(_ context.Context, cfg config.Config, pool *pgxpool.Pool, carts *cart.Service, mailer mail.Mailer, log *slog.Logger) (_ *order.Service, testPayments bool, _ error) {
	provider, err := stripe.New(stripe.Config{Key: cfg.StripeKey, APIBase: cfg.StripeAPIBase, WebhookSecret: cfg.StripeWebhookKey})
	if err != nil {
		return nil, false, err
	}
	testPayments = provider.IsMock && cfg.IsDevelopment()
	if testPayments {
		log.Warn("payments go to a Stripe mock; the test-card payment button is enabled", "api_base", cfg.StripeAPIBase)
	}
	return order.NewService(postgres.NewOrderStore(pool), carts, provider, order.Config{
		ReservationTTL:    cfg.ReservationTTL,
		ReconcileAfter:    cfg.ReconcileAfter,
		ReconcileInterval: cfg.ReconcileInterval,
		Logger:            log.With("component", "orders"),
		Mailer:            mailer,
	}), testPayments, nil
}

// runOrderWorker reconciles payments with Stripe (every
// cfg.ReconcileInterval), expires unpaid reservations and retries unconfirmed
// refunds every cfg.OrderInterval until ctx ends. Any number of instances may
// run it.
func runOrderWorker(ctx context.Context, cfg config.Config, orders *order.Service) {
	orders.RunWorker(ctx, cfg.OrderInterval)
}

// openQuotes builds the quote service on PostgreSQL. Its public unit prices
// come from the quote store until internal/pricing lands, and acceptance
// answers 503 until an OrderPlacer (order.PlacePublic) is wired here.
func openQuotes(pool *pgxpool.Pool, accounts *account.Service) *quote.Service {
	store := postgres.NewQuoteStore(pool)
	return &quote.Service{Store: store, Audit: accounts, Prices: store}
}
