package main

import (
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
