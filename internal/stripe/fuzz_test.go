package stripe_test

import (
	"testing"
	"unicode/utf8"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/stripe"
)

// FuzzVerifyWebhook hands any body to the webhook check, with any
// Stripe-Signature header or, when signed, a valid signature of that body
// (so the decoding behind the check is reached too): no panic, and every
// refusal is Invalid (400, never 500); an event it accepts names its payment.
func FuzzVerifyWebhook(f *testing.F) {
	const secret = "whsec_fuzz"
	p, err := stripe.New(stripe.Config{Key: "sk_test_fuzz", WebhookSecret: secret})
	if err != nil {
		f.Fatal(err)
	}
	for _, body := range []string{
		`{"id":"evt_1","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","object":"payment_intent","amount":1000,"metadata":{"order_number":"D251123-7KQ2MXH4PA"}}}}`,
		`{"id":"evt_2","object":"event","type":"payment_intent.payment_failed","data":{"object":{"id":"pi_2","last_payment_error":{"message":"\u0000"}}}}`,
		`{"id":"evt_3","object":"event","type":"payment_intent.canceled","data":null}`,
		`{"id":"evt_4","object":"event","type":"payment_intent.succeeded","data":{"object":"pi_4"}}`,
		"{\"id\":\"evt\xff\"}",
		``,
	} {
		f.Add([]byte(body), "t=1,v1=deadbeef", true)
		f.Add([]byte(body), "", false)
	}
	f.Fuzz(func(t *testing.T, body []byte, header string, sign bool) {
		if sign {
			header = webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret}).Header
		}
		ev, err := p.VerifyWebhook(body, header)
		if err != nil {
			if apperr.Code(err) != apperr.Invalid || !utf8.ValidString(apperr.Message(err)) {
				t.Fatalf("VerifyWebhook: %v, want Invalid", err)
			}
			return
		}
		if !sign {
			t.Fatalf("an unsigned body passed with header %q", header)
		}
		if ev.Kind != payment.EventOther && ev.PaymentRef == "" {
			t.Fatalf("event %+v names no payment", ev)
		}
	})
}
