package order

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/pricing"
	"github.com/dure-coop/dure/internal/textin"
)

// Catalog reads what a public order snapshots of its products and their
// enterprises (postgres.CatalogStore implements it, as for carts).
type Catalog interface {
	// FindCartProducts returns the active products of active enterprises
	// among ids, with their options and enterprise.
	FindCartProducts(ctx context.Context, ids []int64) (map[int64]*catalog.Product, error)
}

// Coop is what invoices and 검수 need of the co-op's settings
// (*coop.Service).
type Coop interface {
	Settings(ctx context.Context) (*coop.Settings, error)
	// Calendar returns the holidays from from on.
	Calendar(ctx context.Context, from time.Time) (coop.Calendar, error)
}

// PublicLine is one line of an accepted quote: a product (and option), the
// quantity and the agreed unit price, VAT included when taxable.
type PublicLine struct {
	ProductID int64
	OptionID  int64 // 0 when the product has no options
	Quantity  int
	UnitPrice int64
	// Name is the line's name on the order when it is not the product's:
	// a free-text quote line (청소 용역) supplied as the product keeps the
	// buyer's words. "" for the product's name.
	Name string
}

// PublicOrderInput is a public institution's order, made from an accepted
// quote (procurement calls PlacePublic).
type PublicOrderInput struct {
	// Key makes placing idempotent: the same key ("quote:12:r2") places one
	// order, however often it is accepted.
	Key           string
	InstitutionID int64
	UserID        int64 // the buyer (기관 구매담당자) accepting
	QuoteID       int64 // 0 when none
	Buyer         Buyer
	Address       Address // recipient, 도로명주소, memo
	// DesiredDelivery is the civil date asked for (coop.Date); not before
	// today in Korea.
	DesiredDelivery time.Time
	Terms           Terms
	Lines           []PublicLine
	// Shipping is the agreed shipping fee per enterprise id (VAT included);
	// an enterprise missing from it ships for nothing.
	Shipping map[int64]int64
}

var publicKeyRule = textin.Rule{Label: "주문 키", Required: true, Max: 100, NoSpace: true}

// PlacePublic places a public order at the agreed prices: one sub-order per
// enterprise, the stock of every line reserved in the same transaction as
// consumer checkout does, the same per-line evidence snapshotted (the
// enterprise's type, certification number and validity, 사업자등록번호).
//   - invoice terms: the order is confirmed and its parts go to their
//     enterprises at once, unpaid (nothing records money); the reservation
//     never expires; money follows 검수 and the claims (Inspect, InvoiceFor).
//   - card terms: it awaits payment like a consumer's order (StartPayment),
//     and expires unpaid like one.
//
// The actor must be a buyer of in.InstitutionID placing it as in.UserID, or
// an operator (else apperr.Forbidden). The same in.Key returns the order it
// placed, reserving nothing again. apperr.Invalid (with Fields for the
// buyer, the address and delivery_date) for bad input, a past delivery
// date, an empty or wrong line; apperr.Conflict "'X'의 재고가 부족합니다…"
// when stock is short. Nothing is written when it fails.
func (s *Service) PlacePublic(ctx context.Context, in PublicOrderInput) (*Order, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsOperator() && (a.Role != account.InstitutionUser || a.InstitutionID == 0 ||
		a.InstitutionID != in.InstitutionID || a.UserID != in.UserID) {
		return nil, apperr.Errorf(apperr.Forbidden, "소속 기관의 주문만 만들 수 있습니다.")
	}
	in.Key = strings.TrimSpace(in.Key)
	if msg := publicKeyRule.Message(in.Key); msg != "" {
		return nil, apperr.Errorf(apperr.Invalid, "%s", msg)
	}
	if o, err := s.store.FindOrderByCheckoutKey(ctx, in.Key); err == nil {
		return o, nil
	} else if apperr.Code(err) != apperr.NotFound {
		return nil, err
	}
	if s.cfg.Catalog == nil {
		return nil, apperr.Errorf(apperr.Unavailable, "지금은 기관 주문을 받을 수 없습니다.")
	}
	in.Address.Normalize()
	in.Buyer = normalizeBuyer(in.Buyer)
	f := map[string]string{}
	var ae *apperr.Error
	if err := validate(in.Buyer, in.Address); errors.As(err, &ae) {
		f = ae.Fields
	} else if err != nil {
		return nil, err
	}
	switch {
	case in.DesiredDelivery.IsZero():
		f["delivery_date"] = "납품 희망일을 입력해 주세요."
	case in.DesiredDelivery.Before(coop.DateOf(s.now())):
		f["delivery_date"] = "납품 희망일은 오늘 이후로 입력해 주세요."
	}
	if len(f) > 0 {
		return nil, &apperr.Error{Code: apperr.Invalid, Message: "주문 정보를 확인해 주세요.", Fields: f}
	}
	if in.Terms != TermsCard && in.Terms != TermsInvoice {
		return nil, apperr.Errorf(apperr.Invalid, "결제 방법을 선택해 주세요.")
	}
	if in.InstitutionID == 0 {
		return nil, apperr.Errorf(apperr.Invalid, "주문하는 기관을 알 수 없습니다.")
	}
	items, err := s.publicItems(ctx, in.Lines)
	if err != nil {
		return nil, err
	}
	o, err := newPublicOrder(in, items)
	if err != nil {
		return nil, err
	}
	ttl := s.cfg.ReservationTTL
	var saved *Order
	created := false
	for attempt := 0; ; attempt++ {
		o.Number = NewNumber(s.now())
		saved, created, err = s.store.CreateOrder(ctx, o, ttl)
		if errors.Is(err, ErrDuplicateNumber) && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, err
		}
		break
	}
	if created {
		s.log.Info("order: public order placed", "order", saved.Number, "terms", saved.Terms,
			"institution", saved.InstitutionID, "total", saved.Total)
	}
	return saved, nil
}

// publicItems reads the lines' products from the catalogue and prices them
// at the agreed prices.
func (s *Service) publicItems(ctx context.Context, lines []PublicLine) ([]pricing.Item, error) {
	if len(lines) == 0 {
		return nil, apperr.Errorf(apperr.Invalid, "주문할 상품이 없습니다.")
	}
	ids := make([]int64, 0, len(lines))
	for _, l := range lines {
		if l.Quantity < 1 || l.Quantity > 100_000 {
			return nil, apperr.Errorf(apperr.Invalid, "수량은 1개에서 100,000개 사이여야 합니다.")
		}
		if l.UnitPrice < 1 {
			return nil, apperr.Errorf(apperr.Invalid, "단가가 올바르지 않습니다.")
		}
		ids = append(ids, l.ProductID)
	}
	products, err := s.cfg.Catalog.FindCartProducts(ctx, ids)
	if err != nil {
		return nil, err
	}
	seen := map[[2]int64]bool{}
	items := make([]pricing.Item, 0, len(lines))
	for _, l := range lines {
		p := products[l.ProductID]
		if p == nil {
			return nil, apperr.Errorf(apperr.Conflict, "판매하지 않는 상품이 있습니다. 견적을 다시 확인해 주세요.")
		}
		k := [2]int64{l.ProductID, l.OptionID}
		if seen[k] {
			return nil, apperr.Errorf(apperr.Invalid, "'%s'이(가) 두 번 들어 있습니다.", p.Name)
		}
		seen[k] = true
		// The quote's agreed price is the line's list price too: no tier
		// applies on top of an agreement.
		name := p.Name
		if n := strings.TrimSpace(l.Name); n != "" {
			name = n
		}
		it := pricing.Item{ProductID: p.ID, Name: name, Kind: p.Kind, TaxType: p.TaxType, UnitPrice: l.UnitPrice,
			ListUnit: l.UnitPrice, Quantity: l.Quantity, Enterprise: p.Enterprise}
		if l.OptionID != 0 || len(p.Options) > 0 {
			var opt *catalog.Option
			for i := range p.Options {
				if p.Options[i].ID == l.OptionID {
					opt = &p.Options[i]
				}
			}
			if opt == nil {
				return nil, apperr.Errorf(apperr.Conflict, "'%s'의 옵션을 확인해 주세요.", p.Name)
			}
			it.OptionID, it.OptionName = opt.ID, opt.Name
		}
		items = append(items, it)
	}
	return items, nil
}

// newPublicOrder builds the order: items grouped by enterprise in the
// order given, each part with its agreed shipping.
func newPublicOrder(in PublicOrderInput, items []pricing.Item) (*Order, error) {
	status, sub := PendingPayment, SubPendingPayment
	if in.Terms == TermsInvoice {
		status, sub = Confirmed, SubConfirmed
	}
	desired := in.DesiredDelivery
	o := &Order{CheckoutKey: in.Key, Status: status, Channel: ChannelPublic, Terms: in.Terms,
		InstitutionID: in.InstitutionID, QuoteID: in.QuoteID, DesiredDelivery: &desired, UserID: in.UserID,
		Buyer: in.Buyer, Address: in.Address}
	byEnt := map[int64]*SubOrder{}
	for _, it := range items {
		e := it.Enterprise
		so := byEnt[e.ID]
		if so == nil {
			fee := in.Shipping[e.ID]
			if fee < 0 {
				return nil, apperr.Errorf(apperr.Invalid, "배송비가 올바르지 않습니다.")
			}
			so = &SubOrder{EnterpriseID: e.ID, EnterpriseName: e.Name, Status: sub, ShippingFee: fee}
			byEnt[e.ID] = so
			o.SubOrders = append(o.SubOrders, so)
			sup, vat := catalog.SplitVAT(fee, catalog.Taxable)
			o.Supply += sup
			o.VAT += vat
			o.ShippingTotal += fee
		}
		supply, vat := it.Split()
		so.Lines = append(so.Lines, Line{ProductID: it.ProductID, OptionID: it.OptionID, Name: it.Name,
			OptionName: it.OptionName, Kind: it.Kind, TaxType: it.TaxType, UnitPrice: it.UnitPrice,
			Quantity: it.Quantity, LineTotal: it.LineTotal(), Supply: supply, VAT: vat,
			EnterpriseName: e.Name, EnterpriseType: e.Type, CertNumber: e.CertNumber,
			CertValidUntil: e.CertValidUntil, BusinessNumber: e.BusinessNumber})
		so.ItemsTotal += it.LineTotal()
		o.ItemsTotal += it.LineTotal()
		o.Supply += supply
		o.VAT += vat
	}
	for _, so := range o.SubOrders {
		so.Total = so.ItemsTotal + so.ShippingFee
	}
	o.Total = o.ItemsTotal + o.ShippingTotal
	return o, nil
}
