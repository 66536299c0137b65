package stripe_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

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
	ref2, _, err := p.CreatePayment(ctx, payment.Request{OrderNumber: "D251123-GHJKLM", Amount: 12000,
		IdempotencyKey: "pi-D251123-GHJKLM", Description: "두레 주문 D251123-GHJKLM"})
	if err != nil {
		t.Fatalf("CreatePayment: %v", err)
	}
	if st, err := p.Cancel(ctx, ref2, "pi-cancel-D251123-GHJKLM"); err != nil || st != payment.StatusCancelled {
		t.Errorf("Cancel = %q, %v; want cancelled", st, err)
	}
}

// fakeStripe answers GET /v1/payment_intents/pi_1 with a PaymentIntent in
// status, and POST /v1/payment_intents/pi_1/cancel with what cancel returns
// for the request's idempotency key (an HTTP status and a body), as Stripe
// does: stripe-mock's answers are canned and cannot refuse a cancellation.
// It returns the keys the cancellations were sent with.
func fakeStripe(t *testing.T, status string, cancel func(key string) (int, string)) (*stripe.Provider, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var keys []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/v1/payment_intents/pi_1":
			fmt.Fprintf(w, `{"id":"pi_1","object":"payment_intent","amount":12000,"currency":"krw","status":%q}`, status)
		case r.Method == http.MethodPost && r.URL.Path == "/v1/payment_intents/pi_1/cancel" && cancel != nil:
			key := r.Header.Get("Idempotency-Key")
			mu.Lock()
			keys = append(keys, key)
			mu.Unlock()
			code, body := cancel(key)
			w.WriteHeader(code)
			fmt.Fprint(w, body)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	p, err := stripe.New(stripe.Config{Key: "sk_test_x", APIBase: srv.URL, WebhookSecret: "whsec_x"})
	if err != nil {
		t.Fatal(err)
	}
	return p, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(keys)
	}
}

func TestCancelReportsWhatPreventedIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const key = "pi-cancel-D251123-ABCDEF"
	cancelled := func(string) (int, string) {
		return 200, `{"id":"pi_1","object":"payment_intent","status":"canceled"}`
	}
	refused := func(string) (int, string) {
		return 400, `{"error":{"type":"invalid_request_error","code":"payment_intent_unexpected_state",
			"message":"You cannot cancel this PaymentIntent because of its status."}}`
	}
	// Stripe replays the refusal given to key while the payment was
	// processing; a new key gets a fresh answer.
	replayed := func(k string) (int, string) {
		if k == key {
			return refused(k)
		}
		return cancelled(k)
	}
	tests := []struct {
		name, status string
		cancel       func(string) (int, string)
		want         payment.Status
		keys         []string
	}{
		{"cancelled", "canceled", cancelled, payment.StatusCancelled, []string{key}},
		{"already succeeded", "succeeded", refused, payment.StatusSucceeded, []string{key}},
		{"processing", "processing", refused, payment.StatusProcessing, []string{key}},
		{"cancelled before", "canceled", refused, payment.StatusCancelled, []string{key}},
		{"refusal replayed after a failed attempt", "requires_payment_method", replayed, payment.StatusCancelled,
			[]string{key, key + "-requires_payment_method"}},
		{"refused twice", "requires_action", refused, payment.StatusProcessing, []string{key, key + "-requires_action"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, keys := fakeStripe(t, tt.status, tt.cancel)
			st, err := p.Cancel(ctx, "pi_1", key)
			if err != nil || st != tt.want {
				t.Errorf("Cancel = %q, %v; want %q", st, err, tt.want)
			}
			if got := keys(); !slices.Equal(got, tt.keys) {
				t.Errorf("idempotency keys sent = %v, want %v", got, tt.keys)
			}
		})
	}
	t.Run("other refusal", func(t *testing.T) {
		p, _ := fakeStripe(t, "requires_payment_method", func(string) (int, string) {
			return 400, `{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such payment_intent"}}`
		})
		if st, err := p.Cancel(ctx, "pi_1", key); err == nil {
			t.Errorf("Cancel = %q, nil; want the error", st)
		}
	})
}

func TestStatus(t *testing.T) {
	t.Parallel()
	for stripeStatus, want := range map[string]payment.Status{
		"succeeded": payment.StatusSucceeded, "canceled": payment.StatusCancelled,
		"processing": payment.StatusProcessing, "requires_action": payment.StatusProcessing,
		"requires_capture": payment.StatusProcessing, "requires_payment_method": payment.StatusPending,
		"requires_confirmation": payment.StatusPending,
	} {
		p, _ := fakeStripe(t, stripeStatus, nil)
		if got, err := p.Status(context.Background(), "pi_1"); err != nil || got != want {
			t.Errorf("Status of a %s PaymentIntent = %q, %v; want %q", stripeStatus, got, err, want)
		}
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
	canceled, _ := json.Marshal(map[string]any{"id": "evt_2", "object": "event", "api_version": stripego.APIVersion,
		"type": "payment_intent.canceled", "data": map[string]any{"object": map[string]any{
			"id": "pi_2", "object": "payment_intent", "amount": 12000, "currency": "krw", "status": "canceled"}}})
	signed = webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: canceled, Secret: secret})
	if ev, err := p.VerifyWebhook(canceled, signed.Header); err != nil || ev.Kind != payment.EventCancelled || ev.PaymentRef != "pi_2" {
		t.Errorf("canceled event = %+v, %v; want kind cancelled for pi_2", ev, err)
	}
	other := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: "whsec_other"})
	// Signed right but dated beyond the 5-minute tolerance either way.
	old := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now().Add(-10 * time.Minute)})
	ahead := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now().Add(10 * time.Minute)})
	for name, sig := range map[string]string{"wrong secret": other.Header, "garbage": "t=1,v1=00", "empty": "",
		"10 minutes old": old.Header, "10 minutes ahead": ahead.Header} {
		if _, err := p.VerifyWebhook(payload, sig); apperr.Code(err) != apperr.Invalid {
			t.Errorf("%s: err = %v, want Invalid", name, err)
		}
	}
}
