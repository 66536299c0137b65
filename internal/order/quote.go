package order

import (
	"context"
	"strconv"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/quote"
)

// QuoteOrders places accepted quotes as public orders: it is the
// quote.OrderPlacer cmd/dure gives the quote service, through PlacePublic
// at the quote's prices and shipping, with the revision's idempotency key.
type QuoteOrders struct {
	Orders *Service
	// Institutions gives the accepting buyer's institution: the order's
	// recipient and contact phone.
	Institutions *institution.Service
}

// PlacePublic places o for the buyer in ctx. A quote with a free-text line
// (a service such as 청소 용역: no catalogue product) cannot be ordered
// online yet: Conflict, and the quote stays acceptable.
func (q *QuoteOrders) PlacePublic(ctx context.Context, o quote.PublicOrder) (int64, error) {
	a := account.FromContext(ctx)
	if a == nil {
		return 0, apperr.Errorf(apperr.Unauthorized, "로그인이 필요합니다.")
	}
	inst, err := q.Institutions.Mine(ctx)
	if err != nil {
		return 0, err
	}
	in := PublicOrderInput{Key: o.Key, InstitutionID: o.InstitutionID, UserID: o.UserID, QuoteID: o.RequestID,
		Buyer:           Buyer{Name: a.Name, Phone: inst.Phone, Email: a.Email},
		Address:         Address{Recipient: inst.Name, Phone: inst.Phone, Postcode: o.Place.Postcode, Road: o.Place.Road, Detail: o.Place.Detail, Memo: "견적 " + o.QuoteNumber + " r" + strconv.Itoa(o.RevisionNumber)},
		DesiredDelivery: o.DeliveryDate, Terms: Terms(o.Terms), Shipping: map[int64]int64{}}
	for _, p := range o.Parts {
		in.Shipping[p.EnterpriseID] = p.Shipping
		for _, l := range p.Lines {
			if l.ProductID == 0 {
				return 0, apperr.Errorf(apperr.Conflict, "목록에 없는 품목(%s)이 든 견적은 아직 온라인으로 주문할 수 없습니다. 협동조합에 문의해 주세요.", l.Name)
			}
			in.Lines = append(in.Lines, PublicLine{ProductID: l.ProductID, OptionID: l.OptionID, Quantity: l.Quantity, UnitPrice: l.UnitPrice})
		}
	}
	placed, err := q.Orders.PlacePublic(ctx, in)
	if err != nil {
		return 0, err
	}
	return placed.ID, nil
}
