// Package stripe implements payment.Provider on Stripe PaymentIntents with
// stripe-go: amounts in KRW (zero-decimal), an idempotency key on every
// write, webhook signatures verified with the configured secret. It uses its
// own client and backends, never stripe-go's package-level key or backends.
package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/payment"
)

// Name is the provider name stored in payments.provider.
const Name = "stripe"

// TestPaymentMethod is the test card ConfirmTest pays with.
const TestPaymentMethod = "pm_card_visa"

// Config is what the adapter needs; cmd/dure fills it from config.Config.
type Config struct {
	Key           string // secret API key
	APIBase       string // "" = api.stripe.com; stripe-mock's URL in development and tests
	WebhookSecret string // whsec_...
	HTTPClient    *http.Client
}

// Provider is Stripe as a payment.Provider, payment.WebhookVerifier and
// payment.TestConfirmer.
type Provider struct {
	api    *client.API
	secret string
	// IsMock is true when the API base is not api.stripe.com (stripe-mock):
	// only then may the server confirm a payment with a test card.
	IsMock bool
}

var (
	_ payment.Provider        = (*Provider)(nil)
	_ payment.WebhookVerifier = (*Provider)(nil)
	_ payment.TestConfirmer   = (*Provider)(nil)
)

// New returns a Stripe provider with its own backends.
func New(c Config) (*Provider, error) {
	if c.Key == "" {
		return nil, errors.New("stripe: no API key")
	}
	if c.WebhookSecret == "" {
		return nil, errors.New("stripe: no webhook secret")
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 20 * time.Second}
	}
	retries := int64(2) // retries reuse the idempotency key, so they cannot charge twice
	bc := &stripego.BackendConfig{HTTPClient: hc, MaxNetworkRetries: &retries,
		LeveledLogger: &stripego.LeveledLogger{Level: stripego.LevelError}}
	mock := false
	if c.APIBase != "" {
		u, err := url.Parse(c.APIBase)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("stripe: API base %q is not a URL", c.APIBase)
		}
		mock = u.Hostname() != "api.stripe.com"
		bc.URL = stripego.String(c.APIBase)
	}
	backends := &stripego.Backends{
		API:     stripego.GetBackendWithConfig(stripego.APIBackend, bc),
		Connect: stripego.GetBackendWithConfig(stripego.ConnectBackend, bc),
		Uploads: stripego.GetBackendWithConfig(stripego.UploadsBackend, bc),
	}
	api := &client.API{}
	api.Init(c.Key, backends)
	return &Provider{api: api, secret: c.WebhookSecret, IsMock: mock}, nil
}

// Name returns "stripe".
func (p *Provider) Name() string { return Name }

// CreatePayment creates a PaymentIntent for r.Amount won with r's idempotency
// key and the order number in its metadata.
func (p *Provider) CreatePayment(ctx context.Context, r payment.Request) (string, string, error) {
	params := &stripego.PaymentIntentParams{
		Amount:             stripego.Int64(r.Amount),
		Currency:           stripego.String(string(stripego.CurrencyKRW)),
		PaymentMethodTypes: stripego.StringSlice([]string{"card"}),
		Description:        stripego.String(r.Description),
	}
	params.Context = ctx
	params.AddMetadata("order_number", r.OrderNumber)
	params.SetIdempotencyKey(r.IdempotencyKey)
	pi, err := p.api.PaymentIntents.New(params)
	if err != nil {
		return "", "", fmt.Errorf("stripe: create payment intent for %s: %w", r.OrderNumber, err)
	}
	return pi.ID, pi.ClientSecret, nil
}

// Refund refunds amount won of the PaymentIntent ref.
func (p *Provider) Refund(ctx context.Context, ref string, amount int64, idempotencyKey string) (string, error) {
	params := &stripego.RefundParams{
		PaymentIntent: stripego.String(ref),
		Amount:        stripego.Int64(amount),
	}
	params.Context = ctx
	params.SetIdempotencyKey(idempotencyKey)
	r, err := p.api.Refunds.New(params)
	if err != nil {
		return "", fmt.Errorf("stripe: refund %s: %w", ref, err)
	}
	return r.ID, nil
}

// Status re-reads the PaymentIntent ref.
func (p *Provider) Status(ctx context.Context, ref string) (payment.Status, error) {
	pi, err := p.get(ctx, ref)
	if err != nil {
		return "", err
	}
	return status(pi), nil
}

// Cancel cancels the PaymentIntent ref with idempotencyKey. Stripe answers
// 200 only when the PaymentIntent is cancelled. When it refuses because of
// the PaymentIntent's state (it succeeded, is processing, or was cancelled
// before), the PaymentIntent is read again and the state that prevented it
// returned.
//
// Stripe replays its first answer to a key for 24 hours, refusals included:
// a key refused while the PaymentIntent was processing would be refused
// again after a failed attempt made it cancellable. So when the PaymentIntent
// read again is cancellable, the cancellation is sent once more under a key
// derived from idempotencyKey and that state.
func (p *Provider) Cancel(ctx context.Context, ref, idempotencyKey string) (payment.Status, error) {
	key := idempotencyKey
	for try := 0; ; try++ {
		refused, err := p.cancel(ctx, ref, key)
		if err != nil {
			return "", err
		}
		if !refused {
			return payment.StatusCancelled, nil
		}
		pi, err := p.get(ctx, ref)
		if err != nil {
			return "", err
		}
		switch pi.Status {
		case stripego.PaymentIntentStatusRequiresPaymentMethod, stripego.PaymentIntentStatusRequiresConfirmation,
			stripego.PaymentIntentStatusRequiresAction:
			if try == 0 {
				key = idempotencyKey + "-" + string(pi.Status)
				continue
			}
		}
		return status(pi), nil
	}
}

// cancel asks Stripe to cancel the PaymentIntent ref; refused is true when
// Stripe refused because of the PaymentIntent's state.
func (p *Provider) cancel(ctx context.Context, ref, idempotencyKey string) (refused bool, err error) {
	params := &stripego.PaymentIntentCancelParams{}
	params.Context = ctx
	params.SetIdempotencyKey(idempotencyKey)
	_, err = p.api.PaymentIntents.Cancel(ref, params)
	var se *stripego.Error
	if errors.As(err, &se) && se.Code == stripego.ErrorCodePaymentIntentUnexpectedState {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("stripe: cancel payment intent %s: %w", ref, err)
	}
	return false, nil
}

func (p *Provider) get(ctx context.Context, ref string) (*stripego.PaymentIntent, error) {
	params := &stripego.PaymentIntentParams{}
	params.Context = ctx
	pi, err := p.api.PaymentIntents.Get(ref, params)
	if err != nil {
		return nil, fmt.Errorf("stripe: get payment intent %s: %w", ref, err)
	}
	return pi, nil
}

func status(pi *stripego.PaymentIntent) payment.Status {
	switch pi.Status {
	case stripego.PaymentIntentStatusSucceeded:
		return payment.StatusSucceeded
	case stripego.PaymentIntentStatusCanceled:
		return payment.StatusCancelled
	case stripego.PaymentIntentStatusProcessing, stripego.PaymentIntentStatusRequiresAction,
		stripego.PaymentIntentStatusRequiresCapture:
		return payment.StatusProcessing
	case stripego.PaymentIntentStatusRequiresPaymentMethod:
		if pi.LastPaymentError != nil {
			return payment.StatusFailed
		}
	}
	return payment.StatusPending
}

// TestMode reports whether the backend is stripe-mock.
func (p *Provider) TestMode() bool { return p.IsMock }

// ConfirmTest confirms the PaymentIntent ref with the test card. It refuses
// (apperr.Forbidden) against the real Stripe API.
func (p *Provider) ConfirmTest(ctx context.Context, ref string) error {
	if !p.IsMock {
		return apperr.Errorf(apperr.Forbidden, "테스트 결제는 개발 환경에서만 쓸 수 있습니다.")
	}
	params := &stripego.PaymentIntentConfirmParams{PaymentMethod: stripego.String(TestPaymentMethod)}
	params.Context = ctx
	if _, err := p.api.PaymentIntents.Confirm(ref, params); err != nil {
		return fmt.Errorf("stripe: confirm test payment %s: %w", ref, err)
	}
	return nil
}

// signedAhead reports whether the header's timestamp (t=) is more than
// tolerance after now.
func signedAhead(header string, now time.Time, tolerance time.Duration) bool {
	for _, part := range strings.Split(header, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "t="); ok {
			t, err := strconv.ParseInt(v, 10, 64)
			return err != nil || time.Unix(t, 0).After(now.Add(tolerance))
		}
	}
	return true
}

// VerifyWebhook checks the Stripe-Signature header against the configured
// secret and the default 5-minute tolerance, both ways (stripe-go refuses
// only old timestamps; one from the future would stay replayable for as long
// as it is ahead), and decodes the event. A bad signature or payload is
// apperr.Invalid.
func (p *Provider) VerifyWebhook(payload []byte, signature string) (payment.Event, error) {
	ev, err := webhook.ConstructEventWithOptions(payload, signature, p.secret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err == nil && signedAhead(signature, time.Now(), webhook.DefaultTolerance) {
		err = errors.New("stripe: webhook timestamp ahead of the tolerance")
	}
	if err != nil {
		return payment.Event{}, &apperr.Error{Code: apperr.Invalid, Message: "웹훅 서명이 올바르지 않습니다."}
	}
	out := payment.Event{Provider: Name, ID: ev.ID, Type: string(ev.Type), Kind: payment.EventOther}
	switch ev.Type {
	case "payment_intent.succeeded":
		out.Kind = payment.EventSucceeded
	case "payment_intent.payment_failed":
		out.Kind = payment.EventFailed
	case "payment_intent.canceled":
		out.Kind = payment.EventCancelled
	}
	if out.Kind != payment.EventOther {
		if ev.Data == nil {
			return payment.Event{}, apperr.Errorf(apperr.Invalid, "웹훅 내용이 올바르지 않습니다.")
		}
		var pi stripego.PaymentIntent
		if err := json.Unmarshal(ev.Data.Raw, &pi); err != nil || pi.ID == "" {
			return payment.Event{}, apperr.Errorf(apperr.Invalid, "웹훅 내용이 올바르지 않습니다.")
		}
		out.PaymentRef = pi.ID
		out.Amount = pi.Amount
		out.OrderNumber = pi.Metadata["order_number"]
		if pi.LastPaymentError != nil {
			out.FailureReason = pi.LastPaymentError.Msg
		}
	}
	return out, nil
}
