package order

import (
	"context"
	"crypto/rand"
	"errors"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
)

// Buyer is who orders (and may look the order up with its phone number).
type Buyer struct {
	Name  string
	Phone string
	Email string
}

// Order is one checkout: its sub-orders (one per enterprise), the history of
// its states and its card payment.
type Order struct {
	ID            int64
	Number        string // "D251123-7KQ2MX"
	CheckoutKey   string
	Status        Status
	Buyer         Buyer
	Address       Address
	ItemsTotal    int64
	ShippingTotal int64
	Total         int64
	Supply        int64 // 공급가액
	VAT           int64 // 부가세
	ReservedUntil time.Time
	CreatedAt     time.Time
	PaidAt        *time.Time
	CancelledAt   *time.Time
	SubOrders     []*SubOrder
	Events        []Event
	Payment       *Payment // nil before StartPayment
}

// Cancellable reports whether the buyer may still cancel: the order is
// pending or paid and no part of it has shipped. The rule lives in the state
// machines (Status.CanTransition, SubStatus.Cancellable); this only combines
// them.
func (o *Order) Cancellable() bool {
	if !o.Status.CanTransition(Cancelled) {
		return false
	}
	for _, s := range o.SubOrders {
		if s.Status != SubCancelled && !s.Status.Cancellable() {
			return false
		}
	}
	return true
}

// SubOrder is one enterprise's part of an order: it fulfils and is settled
// for it alone.
type SubOrder struct {
	ID             int64
	EnterpriseID   int64
	EnterpriseName string
	Status         SubStatus
	ItemsTotal     int64
	ShippingFee    int64
	Remote         bool // the 제주/도서산간 surcharge is included
	Total          int64
	Courier        string
	TrackingNumber string
	Lines          []Line
}

// StatusLabel is the Korean name of the sub-order's status.
func (s *SubOrder) StatusLabel() string { return s.Status.Label() }

// Line is one product (option) of a sub-order with the snapshot the law and
// the reports need: price and VAT split, and the supplier's social-economy
// type and certification as they were at order time.
type Line struct {
	ID         int64
	ProductID  int64
	OptionID   int64 // 0 when none
	Name       string
	OptionName string
	Kind       catalog.Kind
	TaxType    catalog.TaxType
	UnitPrice  int64
	Quantity   int
	LineTotal  int64
	Supply     int64
	VAT        int64

	EnterpriseName string
	EnterpriseType catalog.EnterpriseType
	CertNumber     string
	CertValidUntil *time.Time
	BusinessNumber string
}

// Event is one recorded state change of the order (SubOrderID 0) or of one
// of its sub-orders.
type Event struct {
	SubOrderID int64
	From, To   string
	Reason     string
	At         time.Time
}

// PaymentStatus is the state of a payments row.
type PaymentStatus string

// Payment states.
const (
	PaymentCreated   PaymentStatus = "created"
	PaymentSucceeded PaymentStatus = "succeeded"
	PaymentFailed    PaymentStatus = "failed"
	PaymentRefunded  PaymentStatus = "refunded"
	// PaymentCancelled: the provider confirmed the payment can no longer
	// take money.
	PaymentCancelled PaymentStatus = "cancelled"
)

// Payment is an order's card payment at a provider.
type Payment struct {
	ID             int64
	Provider       string
	IdempotencyKey string
	Ref            string // the provider's reference; "" until the provider answered
	ClientSecret   string
	Amount         int64
	Status         PaymentStatus
	FailureReason  string
	RefundedAmount int64
}

// Refund is money given back for a payment. Its row, with its own
// idempotency key, is written before the provider is called.
type Refund struct {
	ID             int64
	PaymentID      int64
	PaymentRef     string
	Amount         int64
	Reason         string
	IdempotencyKey string
	Ref            string // "" until the provider answered
}

// ProcessedEvent identifies a provider event, recorded in the same
// transaction as its effect so that a replay has none.
type ProcessedEvent struct {
	Provider string
	ID       string
	Type     string
}

// Change is what a state-changing step decided, for the store to write in
// the transaction that holds the order's row lock.
type Change struct {
	To      Status // "" leaves the order's status as it is
	SubTo   SubStatus
	Reason  string
	Note    string // an event recorded without a state change ("" for none)
	Release bool   // give the reserved stock back
	Payment PaymentStatus
	Failure string
	Refund  *Refund
}

// Store keeps orders. Every method is one short transaction; none makes a
// network call.
type Store interface {
	// CreateOrder reserves the stock of every line with conditional updates
	// and writes the order, its sub-orders, lines, first events and search
	// outbox rows, all in one transaction. When an order with o.CheckoutKey
	// exists it returns that one and created=false, reserving nothing.
	// Returns apperr.Conflict when stock is short (ErrOutOfStock) or a price
	// changed (ErrPriceChanged), and ErrDuplicateNumber when o.Number is taken.
	CreateOrder(ctx context.Context, o *Order, ttl time.Duration) (saved *Order, created bool, err error)
	// FindOrderByNumber returns the order with sub-orders, lines, events and
	// payment; apperr.NotFound when there is none.
	FindOrderByNumber(ctx context.Context, number string) (*Order, error)
	// FindOrderByCheckoutKey is FindOrderByNumber by checkout key.
	FindOrderByCheckoutKey(ctx context.Context, key string) (*Order, error)
	// FindOrderNumberByPaymentRef returns the number of the order paid by the
	// provider's payment ref; apperr.NotFound when there is none.
	FindOrderNumberByPaymentRef(ctx context.Context, provider, ref string) (string, error)
	// UpdateOrder locks the order (FOR UPDATE), loads it and calls decide,
	// then writes the Change decide returned. When ev is not nil it is
	// recorded first in the same transaction, and if it was already recorded
	// nothing happens and applied is false. An error from decide rolls back.
	UpdateOrder(ctx context.Context, number string, ev *ProcessedEvent, decide func(*Order) (Change, error)) (applied bool, err error)
	// FindPaymentChecks lists the orders of one kind whose payment the
	// worker must settle with the provider (see CheckKind), by order id
	// above f.AfterID, at most f.Limit. It locks nothing: the worker calls
	// the provider and then changes each order with UpdateOrder.
	FindPaymentChecks(ctx context.Context, f PaymentCheckFilter) ([]PaymentCheck, error)
	// EnsurePayment inserts the payments row (provider, key, amount) for the
	// order if it has none and returns the row as stored.
	EnsurePayment(ctx context.Context, orderID int64, p Payment) (*Payment, error)
	// SetPaymentRef stores the provider's reference and client secret on a
	// payments row that has none yet, and returns the row as stored.
	SetPaymentRef(ctx context.Context, paymentID int64, ref, clientSecret string) (*Payment, error)
	// CompleteRefund stores the provider's refund reference and adds the
	// amount to the payment's refunded amount (marking it refunded when all
	// of it is); a second call for the same refund changes nothing.
	CompleteRefund(ctx context.Context, idempotencyKey, ref string) error
	// PendingRefunds lists refunds written more than olderThan ago that the
	// provider has not confirmed, for retry.
	PendingRefunds(ctx context.Context, olderThan time.Duration, limit int) ([]Refund, error)
}

// CheckKind selects the orders Store.FindPaymentChecks lists.
type CheckKind int

// Check kinds.
const (
	// CheckExpired: pending_payment orders whose reservation has run out,
	// with or without a payment.
	CheckExpired CheckKind = iota + 1
	// CheckAwaiting: pending_payment orders still within their reservation,
	// created more than OlderThan ago, whose payment has a provider
	// reference (a webhook for it may have been lost).
	CheckAwaiting
	// CheckCancelled: orders cancelled less than Within ago whose payment
	// has a provider reference and is still created or failed: the provider
	// could still take money for it.
	CheckCancelled
)

// PaymentCheckFilter is what Store.FindPaymentChecks lists.
type PaymentCheckFilter struct {
	Kind      CheckKind
	OlderThan time.Duration // CheckAwaiting
	Within    time.Duration // CheckCancelled
	AfterID   int64         // order id; 0 for the first page
	Limit     int
}

// PaymentCheck is an order whose payment the worker must settle.
type PaymentCheck struct {
	OrderID       int64
	Number        string
	ReservedUntil time.Time
	Provider      string // "" when no payment was started
	PaymentRef    string // "" until the provider answered
}

// ErrOutOfStock is the Conflict a checkout gets when a line's stock ran out.
func ErrOutOfStock(name string, left int) error {
	return apperr.Errorf(apperr.Conflict, "'%s'의 재고가 부족합니다. 남은 수량: %d개", name, max(left, 0))
}

// ErrPriceChanged is the Conflict a checkout gets when a price, the shipping
// fee or the availability of a product changed since the page was shown.
func ErrPriceChanged() error {
	return apperr.Errorf(apperr.Conflict, "가격이나 배송비가 바뀌었습니다. 다시 확인해 주세요.")
}

// ErrDuplicateNumber is returned by Store.CreateOrder when the generated
// order number is already taken; the service retries with another.
var ErrDuplicateNumber = errors.New("order: order number already taken")

const numberAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" // no 0/O, 1/I

var kst = time.FixedZone("KST", 9*60*60)

// NewNumber returns an order number: "D", the date in Korea (YYMMDD), "-" and
// six random characters from a 32-letter alphabet without look-alikes
// (about a billion per day, so numbers are not guessable from one another).
func NewNumber(now time.Time) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	out := []byte("D" + now.In(kst).Format("060102") + "-")
	for _, c := range b {
		out = append(out, numberAlphabet[c&31])
	}
	return string(out)
}
