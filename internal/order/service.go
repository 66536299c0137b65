package order

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/pricing"
	"github.com/dure-coop/dure/internal/textin"
)

// DefaultReservationTTL is how long stock stays reserved for an unpaid order.
const DefaultReservationTTL = 15 * time.Minute

// Shortage is a cart line that cannot be ordered as it is: its product (and
// option) name and the stock left.
type Shortage struct {
	Name      string
	Available int
}

// Cart is what checkout needs from the shopper's cart. cart.Service
// implements it.
type Cart interface {
	// CheckoutItems returns the cart's orderable lines priced against the
	// catalogue in PostgreSQL now (never the cart's remembered prices), and
	// the lines that cannot be ordered as they are (sold out, too many).
	CheckoutItems(ctx context.Context, cartID, postcode string) ([]pricing.Item, []Shortage, error)
	// Clear empties the cart.
	Clear(ctx context.Context, cartID string) error
}

// Config tunes a Service.
type Config struct {
	// ReservationTTL is how long an unpaid order holds its stock
	// (DefaultReservationTTL when 0).
	ReservationTTL time.Duration
	// RefundRetryAfter is how old an unconfirmed refund must be before the
	// worker retries it (1 minute when 0), so it does not race the request
	// that wrote it. Retrying is safe anyway: the idempotency key is reused.
	RefundRetryAfter time.Duration
	// ReconcileAfter is how long an order may await payment before the
	// worker asks the provider about its payment, in case the webhook was
	// lost (5 minutes when 0).
	ReconcileAfter time.Duration
	// ReconcileInterval is how often RunWorker does that (1 minute when 0).
	// An order whose reservation has run out is asked about before it is
	// given up, whatever the interval.
	ReconcileInterval time.Duration
	// ProcessingGrace is how long past its reservation an order whose
	// payment is still processing (3-D Secure, the card network) keeps
	// waiting before the worker tries to cancel that payment (1 hour when 0).
	ProcessingGrace time.Duration
	// Mailer sends the codes that claim guest orders (StartClaim); nil
	// disables claims (apperr.Unavailable).
	Mailer mail.Mailer
	Logger *slog.Logger
}

const (
	// cancelledWindow is how far back the worker looks for cancelled orders
	// whose payment could still take money.
	cancelledWindow = 7 * 24 * time.Hour
	checkPage       = 100  // orders listed at a time for the worker
	maxChecks       = 1000 // orders the worker settles per pass and kind
)

// Service is checkout and everything that follows: payment, payment events,
// cancellation, expiry of unpaid reservations, the guest order lookup, the
// enterprises' fulfilment of their parts and the members' order history.
type Service struct {
	store    Store
	carts    Cart
	provider payment.Provider
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
}

// NewService returns an order service. provider may also implement
// payment.WebhookVerifier (HandleWebhook) and payment.TestConfirmer
// (ConfirmTestPayment).
func NewService(store Store, carts Cart, provider payment.Provider, cfg Config) *Service {
	if cfg.ReservationTTL <= 0 {
		cfg.ReservationTTL = DefaultReservationTTL
	}
	if cfg.RefundRetryAfter <= 0 {
		cfg.RefundRetryAfter = time.Minute
	}
	if cfg.ReconcileAfter <= 0 {
		cfg.ReconcileAfter = 5 * time.Minute
	}
	if cfg.ReconcileInterval <= 0 {
		cfg.ReconcileInterval = time.Minute
	}
	if cfg.ProcessingGrace <= 0 {
		cfg.ProcessingGrace = time.Hour
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, carts: carts, provider: provider, cfg: cfg, log: log, now: time.Now}
}

// CheckoutInput is the checkout form.
type CheckoutInput struct {
	// CheckoutKey is a random token rendered into the checkout form: the same
	// form submitted twice yields the same order.
	CheckoutKey string
	CartID      string
	Buyer       Buyer
	Address     Address
	// ExpectedTotal is the total the checkout page showed; if the total
	// computed now differs, the buyer must look again.
	ExpectedTotal int64
	// UserID is the signed-in buyer, whose order history the order joins;
	// 0 for a guest. It must be the actor's own (account.FromContext).
	UserID int64
}

// notFound is the one answer for an unknown order and a wrong phone alike.
func notFound() error {
	return apperr.Errorf(apperr.NotFound, "주문을 찾을 수 없습니다. 주문번호와 연락처를 확인해 주세요.")
}

// Checkout turns the cart into one order with one sub-order per enterprise,
// reserving the stock of every line in the same transaction. It returns
//   - the existing order when in.CheckoutKey was already used (created again
//     never, reserved again never);
//   - apperr.Invalid with Fields (keys buyer_name, buyer_phone, buyer_email,
//     recipient, phone, postcode, road, detail, memo) for a wrong form, or
//     with a message for an empty cart or a missing checkout key;
//   - apperr.Conflict "'X'의 재고가 부족합니다. 남은 수량: n개" when stock is
//     short (found while reading the cart or while reserving), and
//     "가격이나 배송비가 바뀌었습니다. 다시 확인해 주세요." when the total is not
//     in.ExpectedTotal or a price changed while reserving;
//   - apperr.Forbidden when in.UserID is not the signed-in actor's.
//
// Nothing is written when it fails. The cart is cleared after the order is
// committed (best effort).
// ValidateCheckout is the form check Checkout starts with, without any I/O:
// apperr.Invalid (with Fields for the form) as Checkout would answer it. The
// web layer runs it before counting an attempt against the checkout rate
// limit, which bounds attempts that reach stock reservation and payment,
// not typing mistakes.
func ValidateCheckout(in CheckoutInput) error {
	key := strings.TrimSpace(in.CheckoutKey)
	if n := len(key); n < 16 || n > 100 || !textin.Clean(key, false) {
		return errCheckoutKey()
	}
	in.Address.Normalize()
	return validate(normalizeBuyer(in.Buyer), in.Address)
}

func (s *Service) Checkout(ctx context.Context, in CheckoutInput) (*Order, error) {
	if in.UserID != 0 {
		if a := account.FromContext(ctx); a == nil || a.UserID != in.UserID {
			return nil, apperr.Errorf(apperr.Forbidden, "로그인한 회원 본인의 주문만 만들 수 있습니다.")
		}
	}
	in.CheckoutKey = strings.TrimSpace(in.CheckoutKey)
	if n := len(in.CheckoutKey); n < 16 || n > 100 || !textin.Clean(in.CheckoutKey, false) {
		return nil, errCheckoutKey()
	}
	if o, err := s.store.FindOrderByCheckoutKey(ctx, in.CheckoutKey); err == nil {
		return o, nil
	} else if apperr.Code(err) != apperr.NotFound {
		return nil, err
	}
	in.Address.Normalize()
	in.Buyer = normalizeBuyer(in.Buyer)
	if err := validate(in.Buyer, in.Address); err != nil {
		return nil, err
	}
	items, short, err := s.carts.CheckoutItems(ctx, in.CartID, in.Address.Postcode)
	if err != nil {
		return nil, err
	}
	if len(short) > 0 {
		return nil, ErrOutOfStock(short[0].Name, short[0].Available)
	}
	if len(items) == 0 {
		// A concurrent submission of the same form may have just ordered
		// and cleared the cart: answer with its order.
		if o, err := s.store.FindOrderByCheckoutKey(ctx, in.CheckoutKey); err == nil {
			return o, nil
		}
		return nil, apperr.Errorf(apperr.Invalid, "장바구니가 비어 있습니다. 상품을 담은 뒤 주문해 주세요.")
	}
	b := pricing.Price(items, in.Address.Postcode)
	if b.Total != in.ExpectedTotal {
		return nil, ErrPriceChanged()
	}
	o := newOrder(in, b)
	var saved *Order
	created := false
	for attempt := 0; ; attempt++ {
		o.Number = NewNumber(s.now())
		saved, created, err = s.store.CreateOrder(ctx, o, s.cfg.ReservationTTL)
		if errors.Is(err, ErrDuplicateNumber) && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, err
		}
		break
	}
	if created {
		if err := s.carts.Clear(ctx, in.CartID); err != nil {
			s.log.Warn("order: clear cart after checkout", "order", saved.Number, "err", err)
		}
		s.log.Info("order: created", "order", saved.Number, "total", saved.Total, "sub_orders", len(saved.SubOrders))
	}
	return saved, nil
}

// errCheckoutKey is the answer to a checkout form whose hidden key is
// missing or was tampered with: Fields["checkout_key"], so the form is shown
// again with a new key and the input kept.
func errCheckoutKey() error {
	const msg = "주문서가 만료되었습니다. 입력하신 내용을 확인하신 뒤 다시 주문해 주세요."
	return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"checkout_key": msg}}
}

func normalizeBuyer(b Buyer) Buyer {
	b.Name = strings.TrimSpace(b.Name)
	b.Phone = kr.Phone(strings.TrimSpace(b.Phone))
	b.Email = strings.TrimSpace(b.Email)
	return b
}

// The buyer's text fields (textin's rule; the phone and the address have
// formats of their own).
var (
	buyerNameRule  = textin.Rule{Label: "주문하시는 분 이름", Required: true, Max: 30}
	buyerEmailRule = textin.Rule{Label: "이메일 주소", Max: 100, NoSpace: true}
)

// validate reports every wrong field of the buyer and the address at once.
func validate(b Buyer, a Address) error {
	f := map[string]string{}
	if msg := buyerNameRule.Message(b.Name); msg != "" {
		f["buyer_name"] = msg
	}
	if b.Phone == "" {
		f["buyer_phone"] = "주문하시는 분 연락처를 입력해 주세요."
	} else if !kr.ValidPhone(b.Phone) {
		f["buyer_phone"] = "연락처는 010-1234-5678 형식으로 입력해 주세요."
	}
	if msg := buyerEmailRule.Message(b.Email); msg != "" {
		f["buyer_email"] = msg
	} else if b.Email != "" {
		if at := strings.IndexByte(b.Email, '@'); at < 1 || at == len(b.Email)-1 {
			f["buyer_email"] = "이메일 주소를 확인해 주세요."
		}
	}
	var ae *apperr.Error
	if err := a.Validate(); errors.As(err, &ae) {
		for k, v := range ae.Fields {
			f[k] = v
		}
	} else if err != nil {
		return err
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "주문 정보를 확인해 주세요.", Fields: f}
	}
	return nil
}

// newOrder builds the order a priced cart becomes, with each line's snapshot.
func newOrder(in CheckoutInput, b pricing.Breakdown) *Order {
	o := &Order{CheckoutKey: in.CheckoutKey, Status: PendingPayment, UserID: in.UserID, Buyer: in.Buyer, Address: in.Address,
		ItemsTotal: b.ItemsTotal, ShippingTotal: b.ShippingTotal, Total: b.Total, Supply: b.Supply, VAT: b.VAT}
	for _, p := range b.Parts {
		e := p.Enterprise
		so := &SubOrder{EnterpriseID: e.ID, EnterpriseName: e.Name, Status: SubPendingPayment,
			ItemsTotal: p.ItemsTotal, ShippingFee: p.ShippingFee, Remote: p.Remote, Total: p.Total}
		for _, it := range p.Items {
			supply, vat := it.Split()
			so.Lines = append(so.Lines, Line{ProductID: it.ProductID, OptionID: it.OptionID, Name: it.Name,
				OptionName: it.OptionName, Kind: it.Kind, TaxType: it.TaxType, UnitPrice: it.UnitPrice,
				Quantity: it.Quantity, LineTotal: it.LineTotal(), Supply: supply, VAT: vat,
				EnterpriseName: e.Name, EnterpriseType: e.Type, CertNumber: e.CertNumber,
				CertValidUntil: e.CertValidUntil, BusinessNumber: e.BusinessNumber})
		}
		o.SubOrders = append(o.SubOrders, so)
	}
	return o
}

// FindOrder returns an order by number with everything Lookup shows, for the
// pages reached right after checkout (payment, confirmation) whose caller
// already knows the buyer placed it (the checkout's own session). Guests
// looking an order up use Lookup. apperr.NotFound when there is none.
func (s *Service) FindOrder(ctx context.Context, number string) (*Order, error) {
	number = strings.TrimSpace(number)
	if !ValidNumber(number) {
		return nil, notFound()
	}
	o, err := s.store.FindOrderByNumber(ctx, number)
	if apperr.Code(err) == apperr.NotFound {
		return nil, notFound()
	}
	return o, err
}

// Lookup returns the order with this number if phone is its buyer's phone;
// otherwise apperr.NotFound, with the same message whether or not the order
// exists, after the same work: one query for the buyer's phone (a stand-in
// when there is no order) and one comparison of phone hashes in constant
// time; the order itself is read only for the right phone. apperr.Invalid
// for an empty or malformed number or phone (nothing is looked up). The
// caller limits how often a client and a number may try (the web layer,
// with Redis).
func (s *Service) Lookup(ctx context.Context, number, phone string) (*Order, error) {
	ok, number, err := s.buyerMatches(ctx, number, phone)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound()
	}
	return s.FindOrder(ctx, number)
}

// absentPhone stands in for the buyer's phone when there is no order, so
// that an unknown number is compared like a known one.
const absentPhone = "000-0000-0000"

// buyerMatches reports whether phone is the buyer's phone of the order with
// this number (normalised, and returned so). Found or not, it makes the same
// one query and the same comparison.
func (s *Service) buyerMatches(ctx context.Context, number, phone string) (bool, string, error) {
	number = NormalizeNumber(number)
	phone = strings.TrimSpace(phone)
	if number == "" || phone == "" {
		return false, number, apperr.Errorf(apperr.Invalid, "주문번호와 연락처를 입력해 주세요.")
	}
	if !ValidNumber(number) {
		return false, number, apperr.Errorf(apperr.Invalid, "주문번호를 확인해 주세요. 주문번호는 D251123-7KQ2MXH4PA처럼 생겼습니다.")
	}
	if !kr.ValidPhone(phone) {
		return false, number, apperr.Errorf(apperr.Invalid, "연락처는 010-1234-5678 형식으로 입력해 주세요.")
	}
	stored, err := s.store.FindBuyerPhone(ctx, number)
	found := err == nil
	if !found {
		if apperr.Code(err) != apperr.NotFound {
			return false, number, err
		}
		stored = absentPhone
	}
	given, kept := sha256.Sum256([]byte(kr.Phone(phone))), sha256.Sum256([]byte(stored))
	same := subtle.ConstantTimeCompare(given[:], kept[:]) == 1
	return found && same, number, nil
}

// PaymentKey is the idempotency key of an order's card payment: one per
// order, stored before the provider is called.
func PaymentKey(orderNumber string) string { return "pi-" + orderNumber }

// RefundKey is the idempotency key of the full refund of an order's payment.
func RefundKey(orderNumber string) string { return "re-" + orderNumber }

// CancelKey is the idempotency key of the cancellation of an order's
// payment at the provider.
func CancelKey(orderNumber string) string { return "pi-cancel-" + orderNumber }

// StartPayment returns the order's card payment (provider reference and the
// client secret the payment page needs), creating it at the provider the
// first time. The payments row and its idempotency key are written first,
// the provider is called outside any transaction, and its answer is stored
// in a second transaction; calling it again returns the same payment, and a
// retry after a crash in between reuses the same key, so the provider
// returns the same payment too. Errors: apperr.NotFound; apperr.Conflict when
// the order is not awaiting payment or its reservation ran out;
// apperr.Unavailable when the provider does not answer.
func (s *Service) StartPayment(ctx context.Context, number string) (*Payment, error) {
	o, err := s.FindOrder(ctx, number)
	if err != nil {
		return nil, err
	}
	if o.Payment != nil && o.Payment.Ref != "" && o.Status == PendingPayment {
		return o.Payment, nil
	}
	switch {
	case o.Status == Paid || o.Status == Completed:
		return nil, apperr.Errorf(apperr.Conflict, "이미 결제된 주문입니다.")
	case o.Status != PendingPayment:
		return nil, apperr.Errorf(apperr.Conflict, "취소된 주문은 결제할 수 없습니다. 다시 주문해 주세요.")
	case !s.now().Before(o.ReservedUntil):
		return nil, apperr.Errorf(apperr.Conflict, "결제 시간이 지나 주문이 취소됩니다. 다시 주문해 주세요.")
	}
	p, err := s.store.EnsurePayment(ctx, o.ID, Payment{Provider: s.provider.Name(), IdempotencyKey: PaymentKey(o.Number),
		Amount: o.Total, Status: PaymentCreated})
	if err != nil {
		return nil, err
	}
	if p.Ref != "" {
		return p, nil
	}
	ref, secret, err := s.provider.CreatePayment(ctx, payment.Request{OrderNumber: o.Number, Amount: p.Amount,
		IdempotencyKey: p.IdempotencyKey, Description: "두레 주문 " + o.Number})
	if err != nil {
		s.log.Error("order: create payment", "order", o.Number, "err", err)
		return nil, apperr.Errorf(apperr.Unavailable, "결제를 시작하지 못했습니다. 잠시 후 다시 시도해 주세요.")
	}
	return s.store.SetPaymentRef(ctx, p.ID, ref, secret)
}

// HandleWebhook verifies a provider's webhook (apperr.Invalid for a bad
// signature: answer 400, nothing changes) and applies its event.
func (s *Service) HandleWebhook(ctx context.Context, payload []byte, signature string) error {
	v, ok := s.provider.(payment.WebhookVerifier)
	if !ok {
		return fmt.Errorf("order: provider %s does not verify webhooks", s.provider.Name())
	}
	ev, err := v.VerifyWebhook(payload, signature)
	if err != nil {
		return err
	}
	return s.ApplyPaymentEvent(ctx, ev)
}

// ApplyPaymentEvent applies a verified payment event once, whatever order
// events arrive in: the event id is recorded in the transaction that has
// the effect, and a replay does nothing.
//   - succeeded on a pending order: the order and its sub-orders become paid.
//   - succeeded on an order already cancelled (it expired, or the buyer
//     cancelled before paying): the payment is recorded and refunded in full,
//     because its stock was already released.
//   - failed on a pending order: the order is cancelled and its stock
//     released; the buyer orders again. A failure after success changes
//     nothing. The payment itself is cancelled at the provider by the
//     worker (ReconcilePayments), so a page still open cannot pay it.
//   - cancelled (at the provider) on a pending order: as failed; on a
//     cancelled order: the payment is recorded as cancelled.
//
// Events for unknown payments are logged and ignored (nil), so the provider
// stops retrying them.
func (s *Service) ApplyPaymentEvent(ctx context.Context, ev payment.Event) error {
	if ev.ID == "" {
		return apperr.Errorf(apperr.Invalid, "이벤트 번호가 없습니다.")
	}
	switch ev.Kind {
	case payment.EventSucceeded, payment.EventFailed, payment.EventCancelled:
	default:
		return nil
	}
	number := ev.OrderNumber
	if number == "" {
		n, err := s.store.FindOrderNumberByPaymentRef(ctx, ev.Provider, ev.PaymentRef)
		if apperr.Code(err) == apperr.NotFound {
			s.log.Warn("order: payment event for an unknown payment", "event", ev.ID, "payment", ev.PaymentRef)
			return nil
		}
		if err != nil {
			return err
		}
		number = n
	}
	var refund *Refund
	applied, err := s.update(ctx, number, &ProcessedEvent{Provider: ev.Provider, ID: ev.ID, Type: ev.Type},
		func(o *Order) (Change, error) {
			c := s.decideEvent(o, ev)
			refund = c.Refund
			return c, nil
		})
	if apperr.Code(err) == apperr.NotFound {
		s.log.Warn("order: payment event for an unknown order", "event", ev.ID, "order", number)
		return nil
	}
	if err != nil {
		return err
	}
	if !applied {
		s.log.Info("order: payment event already applied", "event", ev.ID, "order", number)
		return nil
	}
	if refund != nil {
		s.refund(ctx, refund)
	}
	return nil
}

func (s *Service) decideEvent(o *Order, ev payment.Event) Change {
	p := o.Payment
	if p == nil || (p.Ref != "" && p.Ref != ev.PaymentRef) {
		s.log.Warn("order: payment event does not match the order's payment", "event", ev.ID, "order", o.Number)
		return Change{}
	}
	if ev.Amount != 0 && ev.Amount != p.Amount {
		s.log.Error("order: payment amount differs from the order", "event", ev.ID, "order", o.Number,
			"amount", ev.Amount, "want", p.Amount)
		return Change{Note: fmt.Sprintf("결제 금액 불일치: %s (주문 %s)", kr.Won(ev.Amount), kr.Won(p.Amount))}
	}
	switch ev.Kind {
	case payment.EventSucceeded:
		switch {
		case o.Status == PendingPayment:
			return Change{To: Paid, SubTo: SubPaid, Reason: "카드 결제 완료", Payment: PaymentSucceeded}
		case o.Status == Cancelled && (p.Status == PaymentCreated || p.Status == PaymentFailed || p.Status == PaymentCancelled):
			return Change{Note: "취소된 주문의 결제가 완료되어 전액 환불합니다.", Payment: PaymentSucceeded,
				Refund: &Refund{PaymentID: p.ID, PaymentRef: ev.PaymentRef, Amount: p.Amount,
					Reason: "취소 후 결제", IdempotencyKey: RefundKey(o.Number)}}
		}
	case payment.EventFailed:
		if o.Status == PendingPayment {
			reason := "결제 실패"
			if ev.FailureReason != "" {
				reason += ": " + ev.FailureReason
			}
			return Change{To: Cancelled, SubTo: SubCancelled, Reason: reason, CancelledBy: PartySystem, Release: true,
				Payment: PaymentFailed, Failure: ev.FailureReason}
		}
	case payment.EventCancelled:
		switch {
		case o.Status == PendingPayment:
			return Change{To: Cancelled, SubTo: SubCancelled, Reason: "결제 취소", CancelledBy: PartySystem, Release: true,
				Payment: PaymentCancelled}
		case o.Status == Cancelled && (p.Status == PaymentCreated || p.Status == PaymentFailed):
			return Change{Payment: PaymentCancelled}
		}
	}
	return Change{}
}

// ConfirmTestPayment pays the order with the provider's test card and
// applies the success through ApplyPaymentEvent, as the webhook would (the
// event id is derived from the payment, so a double click applies once).
// Only when the provider is a test backend (stripe-mock); otherwise
// apperr.Forbidden. Other errors as StartPayment.
func (s *Service) ConfirmTestPayment(ctx context.Context, number string) error {
	tc, ok := s.provider.(payment.TestConfirmer)
	if !ok || !tc.TestMode() {
		return apperr.Errorf(apperr.Forbidden, "테스트 결제는 개발 환경에서만 쓸 수 있습니다.")
	}
	o, err := s.FindOrder(ctx, number)
	if err != nil {
		return err
	}
	if o.Status == Paid && o.Payment != nil && o.Payment.Status == PaymentSucceeded {
		return nil // a double click
	}
	p, err := s.StartPayment(ctx, number)
	if err != nil {
		return err
	}
	if err := tc.ConfirmTest(ctx, p.Ref); err != nil {
		s.log.Error("order: confirm test payment", "order", o.Number, "err", err)
		return apperr.Errorf(apperr.Unavailable, "테스트 결제를 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.")
	}
	return s.ApplyPaymentEvent(ctx, payment.Event{Provider: s.provider.Name(), ID: "evt_test_" + p.Ref,
		Type: "payment_intent.succeeded", Kind: payment.EventSucceeded, PaymentRef: p.Ref, OrderNumber: o.Number,
		Amount: p.Amount})
}

// Cancel cancels the order for its buyer (phone must match, else
// apperr.NotFound): allowed while no part of it has shipped (else
// apperr.Conflict). Its stock is returned; a paid order is refunded in full
// through the provider: the refund row and its idempotency key are written
// with the cancellation, the provider is called after commit, and if it does
// not answer the worker retries the refund with the same key.
//
// An unpaid order's payment is cancelled at the provider first (outside any
// transaction), so it cannot be paid afterwards. If the provider answers that
// the money was taken, the order is recorded as paid and then cancelled and
// refunded like any paid order; if the payment is still processing, the
// answer is apperr.Conflict (try again shortly); if the provider does not
// answer, the order is cancelled anyway and the worker cancels the payment
// later (ReconcilePayments), refunding it should it go through.
func (s *Service) Cancel(ctx context.Context, number, phone string) error {
	o, err := s.Lookup(ctx, number, phone)
	if err != nil {
		return err
	}
	closed := "" // the payment cancelled at the provider just now
	if p := o.Payment; o.Status == PendingPayment && p != nil && p.Ref != "" {
		st, err := s.provider.Cancel(ctx, p.Ref, CancelKey(o.Number))
		switch {
		case err != nil:
			s.log.Warn("order: cancel payment at the provider; the worker retries", "order", o.Number, "err", err)
		case st == payment.StatusCancelled:
			closed = p.Ref
		case st == payment.StatusSucceeded:
			if err := s.applyStatus(ctx, o.Number, p.Ref, st); err != nil {
				return err
			}
		default:
			return apperr.Errorf(apperr.Conflict, "결제가 처리되는 중입니다. 잠시 후 다시 시도해 주세요.")
		}
	}
	var refund *Refund
	_, err = s.update(ctx, o.Number, nil, func(o *Order) (Change, error) {
		refund = nil
		if o.Status == Cancelled {
			if closed != "" {
				return Change{}, nil // the provider's cancellation event got here first
			}
			return Change{}, apperr.Errorf(apperr.Conflict, "이미 취소된 주문입니다.")
		}
		if !o.Cancellable() {
			return Change{}, apperr.Errorf(apperr.Conflict, "이미 발송된 상품이 있거나 구매가 확정되어 취소할 수 없습니다. 판매 기업에 문의해 주세요.")
		}
		c := Change{To: Cancelled, SubTo: SubCancelled, Reason: "구매자 취소", CancelledBy: PartyBuyer, Release: true}
		// Parts cancelled on their own were refunded on their own: the rest
		// is what is left.
		if p := o.Payment; p != nil && p.Status == PaymentSucceeded && p.Refundable() > 0 {
			c.Refund = &Refund{PaymentID: p.ID, PaymentRef: p.Ref, Amount: p.Refundable(),
				Reason: "구매자 취소", IdempotencyKey: RefundKey(o.Number)}
		} else if p != nil && closed != "" && p.Ref == closed {
			c.Payment = PaymentCancelled
		}
		refund = c.Refund
		return c, nil
	})
	if err != nil {
		return err
	}
	s.log.Info("order: cancelled by buyer", "order", o.Number, "refund", refund != nil)
	if refund != nil {
		s.refund(ctx, refund)
	}
	return nil
}

// refund calls the provider for a refund whose row is committed, then
// records its reference. A failure is logged: RetryRefunds tries again with
// the same idempotency key.
func (s *Service) refund(ctx context.Context, r *Refund) {
	ref, err := s.provider.Refund(ctx, r.PaymentRef, r.Amount, r.IdempotencyKey)
	if err != nil {
		s.log.Error("order: refund", "refund", r.IdempotencyKey, "err", err)
		return
	}
	if err := s.store.CompleteRefund(ctx, r.IdempotencyKey, ref); err != nil {
		s.log.Error("order: record refund", "refund", r.IdempotencyKey, "ref", ref, "err", err)
	}
}

// RetryRefunds calls the provider again for refunds it has not confirmed
// (the call failed or the process died after writing the row) and returns
// how many it tried.
func (s *Service) RetryRefunds(ctx context.Context) (int, error) {
	list, err := s.store.PendingRefunds(ctx, s.cfg.RefundRetryAfter, 50)
	if err != nil {
		return 0, err
	}
	for i := range list {
		s.refund(ctx, &list[i])
	}
	return len(list), nil
}

// ExpireReservations gives up the orders whose reservation ran out unpaid
// and returns how many it cancelled. Each one's payment is settled with the
// provider first, outside any transaction:
//   - succeeded (its webhook was lost or is late): the order becomes paid;
//   - processing: the order keeps waiting, up to Config.ProcessingGrace past
//     its reservation; then its payment is cancelled if the provider still
//     allows it;
//   - otherwise the payment is cancelled at the provider (idempotency key
//     CancelKey) and only then is the order cancelled and its stock
//     returned, so the buyer can no longer pay it. Should the provider
//     answer that the money was taken first, the order becomes paid.
//
// An order without a payment at the provider is cancelled at once; one
// whose provider does not answer is left for the next pass (the error is
// returned after the others are done). Each order changes in its own short
// transaction, and several workers may run this at once. A payment that
// succeeds after all is refunded (ApplyPaymentEvent).
func (s *Service) ExpireReservations(ctx context.Context) (int, error) {
	return s.eachCheck(ctx, PaymentCheckFilter{Kind: CheckExpired}, func(c PaymentCheck) (bool, error) {
		return s.expire(ctx, c)
	})
}

func (s *Service) expire(ctx context.Context, c PaymentCheck) (bool, error) {
	if c.PaymentRef != "" {
		if err := s.ownPayment(c); err != nil {
			return false, err
		}
		st, err := s.provider.Status(ctx, c.PaymentRef)
		if err != nil {
			return false, err
		}
		if st == payment.StatusProcessing && s.now().Before(c.ReservedUntil.Add(s.cfg.ProcessingGrace)) {
			return false, nil
		}
		if st != payment.StatusSucceeded && st != payment.StatusCancelled {
			if st, err = s.provider.Cancel(ctx, c.PaymentRef, CancelKey(c.Number)); err != nil {
				return false, err
			}
		}
		switch st {
		case payment.StatusSucceeded:
			s.log.Warn("order: payment found succeeded at expiry; the order is paid", "order", c.Number, "payment", c.PaymentRef)
			return false, s.applyStatus(ctx, c.Number, c.PaymentRef, st)
		case payment.StatusCancelled:
		default:
			return false, nil // still processing: the next pass asks again
		}
	}
	expired := false
	_, err := s.update(ctx, c.Number, nil, func(o *Order) (Change, error) {
		expired = false
		ref := ""
		if o.Payment != nil {
			ref = o.Payment.Ref
		}
		// Someone else settled it first, or a payment was started since it
		// was listed (the next pass settles that one).
		if o.Status != PendingPayment || ref != c.PaymentRef {
			return Change{}, nil
		}
		ch := Change{To: Cancelled, SubTo: SubCancelled, Reason: "결제 시간 초과", CancelledBy: PartySystem, Release: true}
		if ref != "" {
			ch.Payment = PaymentCancelled
		}
		expired = true
		return ch, nil
	})
	return expired, err
}

// ReconcilePayments asks the provider about payments whose webhook may
// never have arrived, applies what it says through ApplyPaymentEvent as
// that webhook would have, and returns how many orders it settled:
//   - orders awaiting payment longer than Config.ReconcileAfter (and still
//     within their reservation): succeeded → paid; cancelled → cancelled;
//     failed → the payment is cancelled at the provider, then the order is
//     cancelled as failed (or paid, should the money have been taken in
//     between); pending or processing → left waiting;
//   - orders cancelled in the last week whose payment could still take
//     money (a failed card can be retried from a page still open): the
//     payment is cancelled at the provider, or, if it went through, the
//     money is refunded.
//
// Errors as ExpireReservations.
func (s *Service) ReconcilePayments(ctx context.Context) (int, error) {
	n, err := s.eachCheck(ctx, PaymentCheckFilter{Kind: CheckAwaiting, OlderThan: s.cfg.ReconcileAfter},
		func(c PaymentCheck) (bool, error) { return s.reconcileAwaiting(ctx, c) })
	m, err2 := s.eachCheck(ctx, PaymentCheckFilter{Kind: CheckCancelled, Within: cancelledWindow},
		func(c PaymentCheck) (bool, error) { return s.closePayment(ctx, c) })
	return n + m, errors.Join(err, err2)
}

func (s *Service) reconcileAwaiting(ctx context.Context, c PaymentCheck) (bool, error) {
	if err := s.ownPayment(c); err != nil {
		return false, err
	}
	st, err := s.provider.Status(ctx, c.PaymentRef)
	if err != nil {
		return false, err
	}
	if st == payment.StatusFailed {
		cst, err := s.provider.Cancel(ctx, c.PaymentRef, CancelKey(c.Number))
		if err != nil {
			return false, err
		}
		switch cst {
		case payment.StatusCancelled:
		case payment.StatusSucceeded:
			st = cst
		default:
			return false, nil // the buyer is retrying: the next pass asks again
		}
	}
	switch st {
	case payment.StatusSucceeded, payment.StatusFailed, payment.StatusCancelled:
		s.log.Warn("order: payment reconciled with the provider", "order", c.Number, "payment", c.PaymentRef, "status", st)
		return true, s.applyStatus(ctx, c.Number, c.PaymentRef, st)
	}
	return false, nil
}

// closePayment cancels at the provider the payment of an order given up
// while that payment could still take money, and records it; if the money
// was taken meanwhile, it is refunded (ApplyPaymentEvent).
func (s *Service) closePayment(ctx context.Context, c PaymentCheck) (bool, error) {
	if err := s.ownPayment(c); err != nil {
		return false, err
	}
	st, err := s.provider.Cancel(ctx, c.PaymentRef, CancelKey(c.Number))
	if err != nil {
		return false, err
	}
	if st != payment.StatusSucceeded && st != payment.StatusCancelled {
		return false, nil // processing: the next pass asks again
	}
	return true, s.applyStatus(ctx, c.Number, c.PaymentRef, st)
}

// ownPayment refuses a payment taken by another provider than the
// service's: only that provider can settle it.
func (s *Service) ownPayment(c PaymentCheck) error {
	if c.Provider != s.provider.Name() {
		return fmt.Errorf("order: payment %s of %s is at %s, not %s", c.PaymentRef, c.Number, c.Provider, s.provider.Name())
	}
	return nil
}

// applyStatus applies what the provider said about the payment ref of
// order number through ApplyPaymentEvent, as the lost webhook would have.
// The event id is derived from the payment and the status, so however many
// workers read it, it is applied once.
func (s *Service) applyStatus(ctx context.Context, number, ref string, st payment.Status) error {
	kind, ok := map[payment.Status]payment.EventKind{payment.StatusSucceeded: payment.EventSucceeded,
		payment.StatusFailed: payment.EventFailed, payment.StatusCancelled: payment.EventCancelled}[st]
	if !ok {
		return nil
	}
	return s.ApplyPaymentEvent(ctx, payment.Event{Provider: s.provider.Name(), ID: "reconcile_" + string(st) + "_" + ref,
		Type: "reconcile." + string(st), Kind: kind, PaymentRef: ref, OrderNumber: number})
}

// eachCheck calls settle for every order f lists, a page at a time and at
// most maxChecks, and returns how many it settled. An order that fails is
// logged and left for the next pass; the error is returned after the rest.
func (s *Service) eachCheck(ctx context.Context, f PaymentCheckFilter, settle func(PaymentCheck) (bool, error)) (int, error) {
	f.Limit = checkPage
	n, seen, failed := 0, 0, 0
	var first error
	for seen < maxChecks {
		list, err := s.store.FindPaymentChecks(ctx, f)
		if err != nil {
			return n, err
		}
		for _, c := range list {
			ok, err := settle(c)
			if err != nil {
				if ctx.Err() != nil {
					return n, ctx.Err()
				}
				s.log.Warn("order: settle payment", "order", c.Number, "payment", c.PaymentRef, "err", err)
				failed++
				if first == nil {
					first = err
				}
			}
			if ok {
				n++
			}
		}
		seen += len(list)
		if len(list) < f.Limit {
			break
		}
		f.AfterID = list[len(list)-1].OrderID
	}
	if first != nil {
		return n, fmt.Errorf("order: %d of %d orders left for the next pass: %w", failed, seen, first)
	}
	return n, nil
}

// RunWorker settles payments with the provider (ReconcilePayments, every
// Config.ReconcileInterval), expires unpaid reservations and retries
// unconfirmed refunds every interval until ctx ends. Several instances may
// run it at once.
func (s *Service) RunWorker(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var reconciled time.Time
	for {
		if now := s.now(); now.Sub(reconciled) >= s.cfg.ReconcileInterval {
			reconciled = now
			if n, err := s.ReconcilePayments(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("order: reconcile payments", "settled", n, "err", err)
			} else if n > 0 {
				s.log.Info("order: payments reconciled", "count", n)
			}
		}
		if n, err := s.ExpireReservations(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("order: expire reservations", "expired", n, "err", err)
		} else if n > 0 {
			s.log.Info("order: reservations expired", "count", n)
		}
		if _, err := s.RetryRefunds(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("order: retry refunds", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// update runs decide under the order's row lock, checking the transitions
// it asks for against the state machines before anything is written.
func (s *Service) update(ctx context.Context, number string, ev *ProcessedEvent, decide func(*Order) (Change, error)) (bool, error) {
	return s.store.UpdateOrder(ctx, number, ev, func(o *Order) (Change, error) {
		c, err := decide(o)
		if err != nil {
			return Change{}, err
		}
		return c, c.check(o)
	})
}

// check enforces the state machines for a change: every transition it asks
// for must be allowed by Status.Transition and SubStatus.Transition. A
// SubChange to the state its sub-order is in may only correct a shipment.
func (c Change) check(o *Order) error {
	if sc := c.Sub; sc != nil {
		so := o.SubOrder(sc.ID)
		switch {
		case so == nil:
			return fmt.Errorf("order: sub-order %d is not part of %s", sc.ID, o.Number)
		case so.Status != sc.To:
			if err := so.Status.Transition(sc.To); err != nil {
				return err
			}
		case sc.To != SubShipped:
			return apperr.Errorf(apperr.Conflict, "이미 '%s' 상태인 주문입니다.", sc.To.Label())
		}
	}
	if c.To != "" && c.To != o.Status {
		if err := o.Status.Transition(c.To); err != nil {
			return err
		}
	}
	if c.SubTo != "" {
		for _, so := range o.SubOrders {
			if so.Status == c.SubTo {
				continue
			}
			if err := so.Status.Transition(c.SubTo); err != nil {
				return err
			}
		}
	}
	return nil
}
