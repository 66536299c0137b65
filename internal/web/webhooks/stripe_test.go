package webhooks_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestStripeWebhook posts Stripe events: a bad signature is a 400 that
// changes nothing, a signed event for an unknown payment is acknowledged.
func TestStripeWebhook(t *testing.T) {
	e := webtest.NewEnv(t)
	t.Run("webhook", func(t *testing.T) {
		payload, err := json.Marshal(map[string]any{"id": "evt_web_1", "object": "event", "api_version": stripego.APIVersion,
			"type": "payment_intent.succeeded", "created": 1700000000, "data": map[string]any{"object": map[string]any{
				"id": "pi_unknown", "object": "payment_intent", "amount": 1000, "currency": "krw", "status": "succeeded"}}})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/webhooks/stripe", strings.NewReader(string(payload)))
		req.Header.Set("Stripe-Signature", "t=1,v1=deadbeef")
		resp, err := e.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("bad signature: %d, want 400", resp.StatusCode)
		}
		s := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: e.Secret})
		req = httptest.NewRequest(http.MethodPost, "/webhooks/stripe", strings.NewReader(string(payload)))
		req.Header.Set("Stripe-Signature", s.Header)
		resp, err = e.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			t.Errorf("signed webhook for an unknown payment: %d, want 2xx", resp.StatusCode)
		}
	})
}

// TestWebhookProviders: /webhooks/:provider finds the provider in the
// registry; a provider not registered, or one that takes no webhooks (the
// bank-transfer invoice), answers 404 in JSON and changes nothing.
func TestWebhookProviders(t *testing.T) {
	e := webtest.NewEnv(t)
	for _, p := range []string{"unknown", "invoice", "toss"} {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/"+p, strings.NewReader(`{"id":"evt_1"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := e.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		body := make([]byte, 512)
		n, _ := resp.Body.Read(body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
			t.Errorf("POST /webhooks/%s: %d %s, want 404 JSON\n%s", p, resp.StatusCode, resp.Header.Get("Content-Type"), body[:n])
		}
	}
	var events int
	if err := e.Pool.QueryRow(t.Context(), `SELECT count(*) FROM processed_events`).Scan(&events); err != nil || events != 0 {
		t.Errorf("processed events %d (%v), want none", events, err)
	}
}
