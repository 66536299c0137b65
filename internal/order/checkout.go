package order

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/pricing"
	"github.com/dure-coop/dure/internal/textin"
)

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
	// Consent is what the buyer agreed to on the form; both documents are
	// required (Consent.At is set by Checkout).
	Consent Consent
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
//     recipient, phone, postcode, road, detail, memo, agree_terms,
//     agree_privacy) for a wrong form or a missing consent, or
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
	return withConsent(validate(normalizeBuyer(in.Buyer), in.Address), in.Consent)
}

// withConsent adds the missing required consents to err, validate's answer:
// Fields agree_terms and agree_privacy.
func withConsent(err error, c Consent) error {
	f := map[string]string{}
	if c.TermsDocID <= 0 {
		f["agree_terms"] = "구매조건 확인 및 이용약관에 동의해 주세요. 동의하셔야 주문할 수 있습니다."
	}
	if c.PrivacyDocID <= 0 {
		f["agree_privacy"] = "개인정보 수집·이용에 동의해 주세요. 동의하셔야 주문할 수 있습니다."
	}
	if len(f) == 0 {
		return err
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid && ae.Fields != nil {
		for k, v := range f {
			ae.Fields[k] = v
		}
		return ae
	}
	if err != nil {
		return err
	}
	return &apperr.Error{Code: apperr.Invalid, Message: "주문 정보를 확인해 주세요.", Fields: f}
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
	if err := withConsent(validate(in.Buyer, in.Address), in.Consent); err != nil {
		return nil, err
	}
	in.Consent.At = s.now()
	items, short, err := s.carts.CheckoutItems(ctx, in.CartID, in.Address.Postcode)
	if err != nil {
		return nil, err
	}
	if len(short) > 0 {
		return nil, ErrOutOfStock(short[0].Name, short[0].Kind, short[0].Available)
	}
	if len(items) == 0 {
		// A concurrent submission of the same form, or of the same cart
		// from another tab, may have just ordered and cleared the cart:
		// answer with its order.
		if o, err := s.store.FindOrderByCheckoutKey(ctx, in.CheckoutKey); err == nil {
			return o, nil
		}
		if in.CartID != "" {
			if o, err := s.store.FindPendingOrderByCart(ctx, CartRef(in.CartID)); err == nil {
				return o, nil
			}
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
	} else if b.Email != "" && !kr.ValidEmail(b.Email) {
		f["buyer_email"] = "이메일 주소를 확인해 주세요. 예) hong@naver.com"
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

// CartRef is what an order keeps of the cart id it was made from: a hash,
// since a guest's cart id is the secret in its cookie; "" for no cart.
func CartRef(cartID string) string {
	if cartID == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("dure-cart:" + cartID))
	return hex.EncodeToString(sum[:16])
}

// newOrder builds the order a priced cart becomes, with each line's snapshot.
func newOrder(in CheckoutInput, b pricing.Breakdown) *Order {
	o := &Order{CheckoutKey: in.CheckoutKey, CartRef: CartRef(in.CartID), Status: PendingPayment, UserID: in.UserID, Buyer: in.Buyer, Address: in.Address,
		Consent:    in.Consent,
		ItemsTotal: b.ItemsTotal, ShippingTotal: b.ShippingTotal, Total: b.Total, Supply: b.Supply, VAT: b.VAT}
	for _, p := range b.Parts {
		e := p.Enterprise
		so := &SubOrder{EnterpriseID: e.ID, EnterpriseName: e.Name, Status: SubPendingPayment,
			ItemsTotal: p.ItemsTotal, ShippingFee: p.ShippingFee, Remote: p.Remote, Total: p.Total}
		for _, it := range p.Items {
			supply, vat := it.Split()
			l := Line{ProductID: it.ProductID, OptionID: it.OptionID, Name: it.Name,
				OptionName: it.OptionName, Kind: it.Kind, TaxType: it.TaxType, UnitPrice: it.UnitPrice,
				Quantity: it.Quantity, LineTotal: it.LineTotal(), Supply: supply, VAT: vat,
				ListUnitPrice: it.ListUnitPrice(), DiscountAmount: it.DiscountAmount(),
				EnterpriseName: e.Name, EnterpriseType: e.Type, CertNumber: e.CertNumber,
				CertValidUntil: e.CertValidUntil, BusinessNumber: e.BusinessNumber,
				BundleProductID: it.BundleID, BundleName: it.BundleName}
			if d := it.Discount; d != nil && l.DiscountAmount > 0 {
				l.DiscountFundedBy, l.CampaignID = d.FundedBy, d.CampaignID
			}
			so.Lines = append(so.Lines, l)
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
