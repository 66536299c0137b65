package main

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/config"
)

func TestCheckPayments(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		base, pk   string
		wantRefuse bool
	}{
		{"stripe-mock without a publishable key", "http://127.0.0.1:12111", "", false},
		{"Stripe with a publishable key", "", "pk_live_x", false},
		{"Stripe without a publishable key", "", "", true},
		{"Stripe by its URL without a key", "https://api.stripe.com", "", true},
	} {
		cfg := config.Config{StripeKey: "sk_test_x", StripeAPIBase: tt.base, StripePublishableKey: tt.pk, StripeWebhookKey: "whsec_x"}
		err := checkPayments(cfg)
		if refused := err != nil && strings.Contains(err.Error(), "DURE_STRIPE_PUBLISHABLE_KEY"); refused != tt.wantRefuse {
			t.Errorf("%s: checkPayments = %v, want refused %v", tt.name, err, tt.wantRefuse)
		}
	}
}

// serve in production refuses to start without its secrets, before it
// connects to anything, and says which variables to set.
func TestServeRefusesProductionWithoutSecrets(t *testing.T) {
	t.Parallel()
	cfg, err := config.FromLookup(func(name string) (string, bool) {
		if name == "DURE_DATABASE_URL" {
			return "postgres://nobody@127.0.0.1:1/none", true // never reached
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	err = runServe(t.Context(), cfg, slog.New(slog.DiscardHandler), nil)
	if err == nil || !strings.Contains(err.Error(), "DURE_COOKIE_SECRET") || strings.Contains(err.Error(), "connect") {
		t.Fatalf("runServe in production without secrets = %v, want a refusal naming DURE_COOKIE_SECRET", err)
	}
}

// The test-card button needs development mode as well as stripe-mock.
func TestTestPaymentsOnlyInDevelopment(t *testing.T) {
	t.Parallel()
	for env, want := range map[string]bool{config.Development: true, config.Production: false} {
		cfg := config.Config{Env: env, StripeKey: "sk_test_x", StripeAPIBase: config.DevStripeMock, StripeWebhookKey: "whsec_x"}
		_, test, err := openOrders(t.Context(), cfg, nil, nil, nil, slog.New(slog.DiscardHandler))
		if err != nil || test != want {
			t.Errorf("%s with stripe-mock: test payments %v (%v), want %v", env, test, err, want)
		}
	}
}
