package stripe_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/stripe"
	"github.com/dure-coop/dure/internal/testutil"
)

func newProvider(t *testing.T) (*stripe.Provider, string) {
	t.Helper()
	cfg := testutil.Config(t)
	p, err := stripe.New(stripe.Config{Key: cfg.StripeKey, APIBase: cfg.StripeAPIBase, WebhookSecret: cfg.StripeWebhookKey})
	if err != nil {
		t.Fatal(err)
	}
	return p, cfg.StripeWebhookKey
}

// TestAgainstStripeMock checks that every request the adapter sends is one
// stripe-mock (which validates against Stripe's OpenAPI spec) accepts.
func TestAgainstStripeMock(t *testing.T) {
	t.Parallel()
	p, _ := newProvider(t)
	ctx := context.Background()
	if !p.IsMock || !p.TestMode() || p.Name() != "stripe" {
		t.Fatalf("provider = %+v, want a mock named stripe", p)
	}
	ref, secret, err := p.CreatePayment(ctx, payment.Request{OrderNumber: "D251123-ABCDEF", Amount: 51600,
		IdempotencyKey: "pi-D251123-ABCDEF", Description: "두레 주문 D251123-ABCDEF"})
	if err != nil {
		t.Fatalf("CreatePayment: %v", err)
	}
	if !strings.HasPrefix(ref, "pi_") || secret == "" {
		t.Errorf("ref %q, secret %q", ref, secret)
	}
	if err := p.ConfirmTest(ctx, ref); err != nil {
		t.Errorf("ConfirmTest: %v", err)
	}
	if _, err := p.Status(ctx, ref); err != nil {
		t.Errorf("Status: %v", err)
	}
	rr, err := p.Refund(ctx, ref, 51600, "re-D251123-ABCDEF")
	if err != nil || !strings.HasPrefix(rr, "re_") {
		t.Errorf("Refund = %q, %v", rr, err)
	}
}

func TestRealStripeIsNotAMock(t *testing.T) {
	t.Parallel()
	p, err := stripe.New(stripe.Config{Key: "sk_live_x", APIBase: "https://api.stripe.com", WebhookSecret: "whsec_x"})
	if err != nil {
		t.Fatal(err)
	}
	if p.IsMock {
		t.Error("api.stripe.com must not be a mock")
	}
	if err := p.ConfirmTest(context.Background(), "pi_x"); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("ConfirmTest on real Stripe = %v, want Forbidden", err)
	}
}

func TestVerifyWebhook(t *testing.T) {
	t.Parallel()
	p, secret := newProvider(t)
	payload, _ := json.Marshal(map[string]any{"id": "evt_1", "object": "event", "api_version": stripego.APIVersion,
		"type": "payment_intent.payment_failed", "data": map[string]any{"object": map[string]any{
			"id": "pi_1", "object": "payment_intent", "amount": 12000, "currency": "krw",
			"metadata":           map[string]string{"order_number": "D251123-ABCDEF"},
			"last_payment_error": map[string]any{"message": "declined"}}}})
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret})

	ev, err := p.VerifyWebhook(payload, signed.Header)
	if err != nil {
		t.Fatalf("VerifyWebhook: %v", err)
	}
	want := payment.Event{Provider: "stripe", ID: "evt_1", Type: "payment_intent.payment_failed", Kind: payment.EventFailed,
		PaymentRef: "pi_1", OrderNumber: "D251123-ABCDEF", Amount: 12000, FailureReason: "declined"}
	if ev != want {
		t.Errorf("event = %+v, want %+v", ev, want)
	}
	other := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: "whsec_other"})
	for name, sig := range map[string]string{"wrong secret": other.Header, "garbage": "t=1,v1=00", "empty": ""} {
		if _, err := p.VerifyWebhook(payload, sig); apperr.Code(err) != apperr.Invalid {
			t.Errorf("%s: err = %v, want Invalid", name, err)
		}
	}
}
