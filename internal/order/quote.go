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

// PlacePublic places o for the buyer in ctx. A free-text line (a service
// such as 청소 용역) is ordered as the product its supplier linked it to,
// under the buyer's name for it. A free-text line of an old revision with
// no product linked cannot be ordered online: Conflict, and the quote
// stays acceptable.
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
				return 0, apperr.Errorf(apperr.Conflict, "목록에 없는 품목(%s)에 납품할 상품이 정해지지 않아 온라인으로 주문할 수 없습니다. 협동조합에 새 견적서를 요청해 주세요.", l.Name)
			}
			pl := PublicLine{ProductID: l.ProductID, OptionID: l.OptionID, Quantity: l.Quantity, UnitPrice: l.UnitPrice}
			if l.FreeText {
				pl.OptionID, pl.Name = 0, l.Name
			}
			in.Lines = append(in.Lines, pl)
		}
	}
	placed, err := q.Orders.PlacePublic(ctx, in)
	if err != nil {
		return 0, err
	}
	return placed.ID, nil
}
