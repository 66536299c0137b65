// Package payment is the boundary between orders and whoever takes the money:
// Stripe today, a Korean payment gateway later. The order module calls only
// what is declared here, so adding a provider never touches orders.
package payment

import "context"

// Request is one charge to prepare for an order.
type Request struct {
	OrderNumber string
	Amount      int64 // 원 (KRW is zero-decimal: the number of won)
	// IdempotencyKey is stored in the database before the provider is called,
	// so a retry after a crash or a double click reuses it and the provider
	// returns the same payment instead of charging twice.
	IdempotencyKey string
	Description    string
}

// Status is a payment's state at the provider, in the provider-neutral words
// the order module understands.
type Status string

// Provider-neutral payment states.
const (
	StatusPending Status = "pending" // created, waiting for the buyer; nothing under way
	// StatusProcessing: the buyer has confirmed and the outcome is not known
	// yet (card authentication such as 3-D Secure, or the card network). It
	// may still succeed, so its order must not be given up.
	StatusProcessing Status = "processing"
	StatusSucceeded  Status = "succeeded" // money taken
	StatusFailed     Status = "failed"    // the last attempt failed; the buyer may retry
	StatusCancelled  Status = "cancelled" // it can never take money
)

// Provider takes card payments and refunds them. Implementations make no
// assumption about the caller holding a database transaction: they are
// network calls and are always made outside one.
type Provider interface {
	// Name is the provider's name as stored in payments.provider ("stripe").
	Name() string
	// CreatePayment prepares a payment and returns the provider's reference
	// for it and the secret the browser needs to confirm it. Called again
	// with the same IdempotencyKey it returns the same payment.
	CreatePayment(ctx context.Context, r Request) (ref, clientSecret string, err error)
	// Refund gives amount won of the payment ref back; the same
	// idempotencyKey never refunds twice. It returns the refund's reference.
	Refund(ctx context.Context, ref string, amount int64, idempotencyKey string) (refundRef string, err error)
	// Status re-reads a payment at the provider, for reconciliation when an
	// event is doubtful or missing.
	Status(ctx context.Context, ref string) (Status, error)
	// Cancel makes the payment ref impossible to pay, with idempotencyKey,
	// and returns its status afterwards: StatusCancelled when it is cancelled
	// (now or before), otherwise the status that prevented it — above all
	// StatusSucceeded when the money was taken first, or StatusProcessing.
	// An error means the provider did not answer or refused for another
	// reason; the payment's state is then unknown.
	Cancel(ctx context.Context, ref, idempotencyKey string) (Status, error)
}

// EventKind is what a provider's event means for an order.
type EventKind string

// Event kinds. Anything else is recorded and ignored.
const (
	EventSucceeded EventKind = "succeeded"
	EventFailed    EventKind = "failed"
	EventCancelled EventKind = "cancelled" // the payment can no longer be paid
	EventOther     EventKind = "other"
)

// Event is a verified notification from a provider about one payment.
type Event struct {
	Provider string
	// ID is the provider's unique event id: an event is applied once.
	ID   string
	Type string // the provider's own type, e.g. "payment_intent.succeeded"
	Kind EventKind
	// PaymentRef is the provider's payment reference (a PaymentIntent id).
	PaymentRef string
	// OrderNumber is the order number carried in the payment's metadata, when
	// the provider echoes it.
	OrderNumber   string
	Amount        int64 // 원; 0 when the event does not say
	FailureReason string
}

// WebhookVerifier checks a webhook's signature and decodes its event. It
// returns apperr.Invalid for a bad signature or payload.
type WebhookVerifier interface {
	VerifyWebhook(payload []byte, signature string) (Event, error)
}

// TestConfirmer is implemented by providers that can confirm a payment with
// a test card on the server (stripe-mock in development and tests), for the
// clearly marked test-card button. TestMode is false in production.
type TestConfirmer interface {
	TestMode() bool
	ConfirmTest(ctx context.Context, ref string) error
}
