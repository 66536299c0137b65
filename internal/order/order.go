package order

import (
	"context"
	"crypto/rand"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
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
	ID          int64
	Number      string // "D251123-7KQ2MXH4PA" (older orders: "D251123-7KQ2MX")
	CheckoutKey string
	// CartRef names the cart the order was made from (CartRef of its id),
	// "" for orders not made from a cart (public orders, quotes).
	CartRef string
	Status  Status
	Channel Channel
	Terms   Terms
	// InstitutionID is the buying institution of a public order (0 for a
	// consumer's); QuoteID the quote it was accepted from (0 for none).
	InstitutionID int64
	QuoteID       int64
	// DesiredDelivery is the civil date a public buyer asked for (nil for
	// none).
	DesiredDelivery *time.Time
	UserID          int64 // the member who ordered or claimed it; 0 for a guest order
	Buyer           Buyer
	Address         Address
	ItemsTotal      int64
	ShippingTotal   int64
	Total           int64
	Supply          int64 // 공급가액
	VAT             int64 // 부가세
	ReservedUntil   time.Time
	CreatedAt       time.Time
	PaidAt          *time.Time
	CancelledAt     *time.Time
	SubOrders       []*SubOrder
	Events          []Event
	Payment         *Payment // nil before StartPayment
	// Consent is what the buyer of a shop order agreed to before payment
	// (zero for public orders and orders from before consents were kept).
	Consent Consent
}

// Consent is what a shop order's buyer agreed to and when: the versions
// (legal_documents ids, coop.Document) of the terms with the purchase
// conditions and of the personal-data collection notice, both required, and
// the separate, optional marketing consent.
type Consent struct {
	TermsDocID   int64
	PrivacyDocID int64
	Marketing    bool
	At           time.Time // zero when nothing was agreed
}

// Channel is who the order is for.
type Channel string

// Channels.
const (
	ChannelConsumer Channel = "consumer"
	ChannelPublic   Channel = "public" // a public institution (우선구매)
)

// Terms is how an order is paid.
type Terms string

// Payment terms.
const (
	TermsCard    Terms = "card"    // paid by card at checkout
	TermsInvoice Terms = "invoice" // bank transfer after 검수, on the invoice
)

// Label is the Korean name of the terms.
func (t Terms) Label() string {
	switch t {
	case TermsCard:
		return "카드 결제"
	case TermsInvoice:
		return "계좌이체 (후불)"
	}
	return ""
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

	// CourierCode is the stored courier (Couriers); Courier its Korean name
	// and TrackingURL the courier's public tracking page for TrackingNumber
	// (digits). All "" until the part ships; see SetShipment.
	CourierCode    string
	Courier        string
	TrackingNumber string
	TrackingURL    string

	PaidAt, AcceptedAt, ShippedAt, DeliveredAt, CancelledAt *time.Time
	CancelReason                                            string
	CancelledBy                                             Party // "" unless cancelled
	// Refund is the refund of this part alone, when it was cancelled after
	// payment by itself (a whole-order refund is not listed here).
	Refund *Refund
	Lines  []Line
	// Returns are the part's return requests after delivery, oldest first
	// (at most one open, ReturnStatus.Open).
	Returns []*Return
	// OneWayShipping is the enterprise's shipping fee now, what a change
	// of mind's return costs one way (ReturnFeeFor).
	OneWayShipping int64
}

// StatusLabel is the Korean name of the sub-order's status.
func (s *SubOrder) StatusLabel() string { return s.Status.Label() }

// CancelledByLabel is who cancelled the part, in Korean ("" unless
// cancelled).
func (s *SubOrder) CancelledByLabel() string { return s.CancelledBy.Label() }

// RefundLabel says where this part's own refund is: "환불 완료",
// "환불 처리 중", or "" when it has none.
func (s *SubOrder) RefundLabel() string {
	switch {
	case s.Refund == nil:
		return ""
	case s.Refund.Ref != "":
		return "환불 완료"
	}
	return "환불 처리 중"
}

// SetShipment sets the courier (by code) and tracking number with the
// courier's name and tracking page, as loaded or as just shipped.
func (s *SubOrder) SetShipment(courierCode, trackingNumber string) {
	s.CourierCode, s.TrackingNumber = courierCode, trackingNumber
	s.Courier = CourierName(courierCode)
	s.TrackingURL = TrackingURL(courierCode, trackingNumber)
}

// SubOrder returns the order's sub-order id, or nil.
func (o *Order) SubOrder(id int64) *SubOrder {
	for _, s := range o.SubOrders {
		if s.ID == id {
			return s
		}
	}
	return nil
}

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
	// ListUnitPrice is the unit price before a campaign discount (UnitPrice
	// when none); DiscountAmount = ListUnitPrice × Quantity − LineTotal;
	// DiscountFundedBy ("coop", "enterprise", "" when no discount) and
	// CampaignID (0 when none) say who bears it and which campaign gave it
	// (migration 00018's shape).
	ListUnitPrice    int64
	DiscountAmount   int64
	DiscountFundedBy string
	CampaignID       int64

	EnterpriseName string
	EnterpriseType catalog.EnterpriseType
	CertNumber     string
	CertValidUntil *time.Time
	BusinessNumber string

	// BundleProductID is the joint product (공동상품) the line is a part of,
	// at its share of the bundle's price; 0 for a product bought alone.
	// BundleName is the bundle's name at order time.
	BundleProductID int64
	BundleName      string
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
	RefundedAmount int64 // refunds the provider confirmed
	// RefundsTotal is every refund written for the payment, confirmed or
	// not: what may still be refunded is Amount - RefundsTotal.
	RefundsTotal int64
}

// Refundable is what may still be refunded of the payment.
func (p *Payment) Refundable() int64 { return max(p.Amount-p.RefundsTotal, 0) }

// Refund is money given back for a payment. Its row, with its own
// idempotency key, is written before the provider is called.
type Refund struct {
	ID             int64
	PaymentID      int64
	SubOrderID     int64 // the one part refunded; 0 for a whole-order refund
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
	To Status // "" leaves the order's status as it is
	// SubTo moves every sub-order not already in it (the whole order).
	SubTo  SubStatus
	Reason string
	// CancelledBy is recorded on the sub-orders SubTo cancels.
	CancelledBy Party
	Note        string // an event recorded without a state change ("" for none)
	// Release gives back the stock of every sub-order not cancelled before
	// this change.
	Release bool
	Payment PaymentStatus
	Failure string
	Refund  *Refund
	// Sub changes one sub-order alone (fulfilment); it is written before To.
	Sub *SubChange
	// Return is a step of a return after delivery (returns.go).
	Return *ReturnChange
}

// SubChange is a change of one sub-order by its enterprise.
type SubChange struct {
	ID     int64
	To     SubStatus // may be its status (shipped) to correct the tracking number
	Reason string    // the event's text
	// CourierCode and TrackingNumber are written when To is shipped.
	CourierCode, TrackingNumber string
	// CancelReason and CancelledBy are written when To is cancelled.
	CancelReason string
	CancelledBy  Party
	Release      bool // give this part's stock back
}

// Store keeps orders. Every method is one short transaction; none makes a
// network call.
type Store interface {
	// CreateOrder reserves the stock of every line with conditional updates
	// and writes the order, its sub-orders, lines, first events and search
	// outbox rows, all in one transaction. When an order with o.CheckoutKey
	// exists it returns that one and created=false, reserving nothing; so
	// it does when o.CartRef is set and an order from that cart with the
	// same lines still awaits payment within its reservation (two tabs
	// submitting one cart: one order). Orders of one cart are serialised.
	// Returns apperr.Conflict when stock is short (ErrOutOfStock) or a price
	// changed (ErrPriceChanged), and ErrDuplicateNumber when o.Number is taken.
	CreateOrder(ctx context.Context, o *Order, ttl time.Duration) (saved *Order, created bool, err error)
	// FindOrderByNumber returns the order with sub-orders, lines, events and
	// payment; apperr.NotFound when there is none.
	FindOrderByNumber(ctx context.Context, number string) (*Order, error)
	// FindBuyerPhone returns the buyer's phone of the order with this
	// number, and nothing else, for the guest lookup's check (one query, so
	// that a wrong phone costs what an unknown number costs);
	// apperr.NotFound when there is none.
	FindBuyerPhone(ctx context.Context, number string) (string, error)
	// FindOrderByCheckoutKey is FindOrderByNumber by checkout key.
	FindOrderByCheckoutKey(ctx context.Context, key string) (*Order, error)
	// FindPendingOrderByCart is FindOrderByNumber for the latest order made
	// from the cart ref that still awaits payment within its reservation;
	// apperr.NotFound when there is none.
	FindPendingOrderByCart(ctx context.Context, cartRef string) (*Order, error)
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

	// FindEnterpriseSubOrders lists the enterprise's paid sub-orders (those
	// never paid are not its business) with their lines, and how many match
	// f in all. f is valid (Service checks it).
	FindEnterpriseSubOrders(ctx context.Context, enterpriseID int64, f SubOrderFilter) ([]*EnterpriseSubOrder, int, error)
	// FindEnterpriseSubOrder returns one paid sub-order of the enterprise
	// with its lines and events; apperr.NotFound when there is none or it is
	// another enterprise's.
	FindEnterpriseSubOrder(ctx context.Context, enterpriseID, id int64) (*EnterpriseSubOrder, error)
	// UpdateSubOrder is UpdateOrder for the order of the enterprise's paid
	// sub-order id, found by the enterprise and the id alone: decide gets
	// the order and that sub-order. apperr.NotFound when there is none or it
	// is another enterprise's.
	UpdateSubOrder(ctx context.Context, enterpriseID, id int64, decide func(*Order, *SubOrder) (Change, error)) error
	// FindReturns lists returns with their order number and enterprise
	// name as f says, and how many match in all. f is valid.
	FindReturns(ctx context.Context, f ReturnFilter) ([]*ReturnSummary, int, error)
	// FindEnterpriseStats returns the enterprise's sales per day (Korean
	// time) since salesSince, its best-selling products since topSince (at
	// most topLimit each way) and its sub-orders waiting for it.
	FindEnterpriseStats(ctx context.Context, enterpriseID int64, salesSince, topSince time.Time, topLimit int) (*EnterpriseStats, error)

	// FindUserOrders lists the user's orders, newest first, with sub-orders,
	// lines, events and payment, and how many there are in all.
	FindUserOrders(ctx context.Context, userID int64, f UserOrderFilter) ([]*Order, int, error)
	// CreateClaim stores c, a member's claim of a guest order, ending the
	// member's earlier open claims of it, unless the order already got
	// perHour claims in the last hour (then created is false).
	CreateClaim(ctx context.Context, c Claim, perHour int) (created bool, err error)
	// UpdateClaim locks the order with number and the user's newest claim of
	// it (apperr.NotFound when there is none) and writes what decide
	// returned, in one transaction. An error from decide rolls back.
	UpdateClaim(ctx context.Context, number string, userID int64, decide func(*Claim) (ClaimChange, error)) error

	// FindInvoice returns the order orderID with its inspections, payment
	// claims and recorded transfers; apperr.NotFound when there is none.
	FindInvoice(ctx context.Context, orderID int64) (*InvoiceData, error)
	// FindInvoices lists the invoice orders matching f (status as of the
	// civil date today), newest first, and how many match in all.
	FindInvoices(ctx context.Context, f InvoiceFilter, today time.Time) ([]*InvoiceSummary, int, error)
	// FindInvoiceStatuses returns the status as of today of each invoice
	// order among orderIDs that is institutionID's, in one query; orders
	// not on invoice or another institution's are left out.
	FindInvoiceStatuses(ctx context.Context, institutionID int64, orderIDs []int64, today time.Time) (map[int64]InvoiceStatus, error)
	// FindInstitutionOrders lists the institution's orders, newest first,
	// with sub-orders, lines, events and payment, and how many there are.
	FindInstitutionOrders(ctx context.Context, institutionID int64, f UserOrderFilter) ([]*Order, int, error)
	// InstitutionTodo counts what waits for the institution's buyers as of
	// the civil date today, with inspectionDays to a 검수 deadline.
	InstitutionTodo(ctx context.Context, institutionID int64, today time.Time, inspectionDays int) (Todo, error)
	// InspectSubOrder locks the order of sub-order id, loads it with the
	// part's current inspection (nil for none) and writes what decide
	// returns: the inspection (replacing a rejected one), its claim and the
	// change, in one transaction. apperr.NotFound when there is no such
	// sub-order. An error from decide rolls back.
	InspectSubOrder(ctx context.Context, id int64, decide func(*Order, *SubOrder, *Inspection) (InspectionWrite, error)) error
	// AddTransfer locks order orderID, lets check look at its invoice and
	// writes t and audit (if not nil), in one transaction.
	AddTransfer(ctx context.Context, orderID int64, t Transfer, audit *account.AuditRecord, check func(*InvoiceData) error) error
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

// ErrOutOfStock is the Conflict a checkout gets when a line's stock ran
// out; a service's is said as booking ("예약 가능한 수가 부족합니다").
func ErrOutOfStock(name string, k catalog.Kind, left int) error {
	if k == catalog.Service {
		return apperr.Errorf(apperr.Conflict, "'%s'의 예약 가능한 수가 부족합니다. 남은 예약: %d건", name, max(left, 0))
	}
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

// numberRandom is how many random characters a new order number has: 10 of
// 32 letters, 50 bits a day, so that a number cannot be guessed even by
// someone who knows the date and tries many. Numbers made before had 6
// (30 bits a day); they stay valid.
const numberRandom = 10

// numberRe is the shape of an order number, old (6 random characters) and
// new (10).
var numberRe = regexp.MustCompile(`^D[0-9]{6}-(?:[A-HJ-NP-Z2-9]{10}|[A-HJ-NP-Z2-9]{6})$`)

var kst = time.FixedZone("KST", 9*60*60)

// NewNumber returns an order number: "D", the date in Korea (YYMMDD), "-" and
// ten random characters from a 32-letter alphabet without look-alikes
// ("D251123-7KQ2MXH4PA").
func NewNumber(now time.Time) string {
	var b [numberRandom]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	out := []byte("D" + now.In(kst).Format("060102") + "-")
	for _, c := range b {
		out = append(out, numberAlphabet[c&31]) // 256 is a multiple of 32: uniform
	}
	return string(out)
}

// NormalizeNumber is an order number as typed, trimmed and in capitals.
func NormalizeNumber(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ValidNumber reports whether s has the shape of an order number (NewNumber's,
// or the shorter one of older orders). Anything else is never looked up.
func ValidNumber(s string) bool { return numberRe.MatchString(s) }
