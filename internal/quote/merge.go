package quote

import (
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/textin"
)

// RevisionInput is the operator's merge of the answers into a revision.
type RevisionInput struct {
	DeliveryDate time.Time // a date, not before today (KST)
	ValidUntil   time.Time // a date, not before today (KST)
	Remarks      string
	// Choice picks, per line id, the enterprise whose offer is used; a line
	// without a choice takes the lowest offer (the first asked on a tie).
	Choice map[int64]int64
	// Shipping is the shipping fee per supplying enterprise (VAT included).
	Shipping map[int64]int64
}

var remarksRule = textin.Rule{Label: "비고", Max: 1000, Multiline: true}

// Merge builds the revision in of r's answers: each line supplied by the
// chosen (or lowest) offer, or, when nobody offered, kept as unsupplied
// with the reason; the shares per enterprise with their shipping; every
// figure split into 공급가액 and 부가세 so that lines add up to shares and
// shares to the total, to the won. limit is the direct-contract limit the
// shares are checked against. Invalid with Fields for a bad input.
func Merge(r *Request, in RevisionInput, limit int64, now time.Time) (*Revision, error) {
	f := apperr.Fields{}
	today := Today(now)
	if in.DeliveryDate.IsZero() {
		f.Add("delivery_date", "납품 예정일을 입력해 주세요.")
	} else if in.DeliveryDate.Before(today) {
		f.Add("delivery_date", "납품 예정일은 오늘이나 그 뒤여야 합니다.")
	}
	if in.ValidUntil.IsZero() {
		f.Add("valid_until", "견적 유효기간을 입력해 주세요.")
	} else if in.ValidUntil.Before(today) {
		f.Add("valid_until", "견적 유효기간은 오늘이나 그 뒤여야 합니다.")
	}
	f.Add("remarks", remarksRule.Message(in.Remarks))
	v := &Revision{RequestID: r.ID, DeliveryDate: in.DeliveryDate, ValidUntil: in.ValidUntil, Remarks: in.Remarks,
		DirectLimit: limit}
	shares := map[int64]*Share{}
	for _, l := range r.Lines {
		rl := &RevisionLine{LineID: l.ID, Position: l.Position, Name: l.Name, OptionName: l.OptionName, Unit: l.Unit,
			TaxType: l.TaxType, Quantity: l.Quantity}
		v.Lines = append(v.Lines, rl)
		o, msg := pick(l, in.Choice[l.ID])
		if msg != "" && o == nil && in.Choice[l.ID] != 0 {
			f.Add("choice_"+strconv.FormatInt(l.ID, 10), msg)
			continue
		}
		if o == nil {
			rl.Unsupplied = msg
			continue
		}
		rl.EnterpriseID, rl.EnterpriseName, rl.UnitPrice, rl.AvailableDate = o.EnterpriseID, o.EnterpriseName, o.UnitPrice, o.AvailableDate
		rl.ProductID = l.ProductID
		if l.FreeText() {
			rl.ProductID = o.ProductID
		}
		rl.Total = o.UnitPrice * int64(l.Quantity)
		rl.Supply, rl.VAT = catalog.SplitVAT(rl.Total, l.TaxType)
		s := shares[o.EnterpriseID]
		if s == nil {
			s = &Share{EnterpriseID: o.EnterpriseID, EnterpriseName: o.EnterpriseName}
			shares[o.EnterpriseID] = s
			v.Shares = append(v.Shares, s)
		}
		s.ItemsTotal += rl.Total
		s.Supply += rl.Supply
		s.VAT += rl.VAT
	}
	for id, fee := range in.Shipping {
		switch {
		case fee < 0 || fee > 100_000_000:
			f.Add("shipping_"+strconv.FormatInt(id, 10), "배송비는 0원에서 1억 원 사이로 입력해 주세요.")
		case fee > 0 && shares[id] == nil:
			f.Add("shipping_"+strconv.FormatInt(id, 10), "이 견적에서 공급하는 품목이 없는 기업에는 배송비를 넣을 수 없습니다.")
		}
	}
	if len(v.Shares) == 0 && len(f) == 0 {
		return nil, apperr.Errorf(apperr.Invalid, "공급할 수 있다고 답한 품목이 하나도 없어 견적서를 보낼 수 없습니다. 기업의 답변을 기다리거나 다른 기업에 요청해 주세요.")
	}
	if err := f.Err(); err != nil {
		e := err.(*apperr.Error)
		e.Message = "견적서 내용을 확인해 주세요."
		return nil, e
	}
	for _, s := range v.Shares {
		s.Shipping = in.Shipping[s.EnterpriseID]
		sup, vat := catalog.SplitVAT(s.Shipping, catalog.Taxable) // shipping is taxable
		s.Supply += sup
		s.VAT += vat
		s.Total = s.ItemsTotal + s.Shipping
		s.OverLimit = s.Total > limit
		v.ItemsTotal += s.ItemsTotal
		v.ShippingTotal += s.Shipping
		v.Supply += s.Supply
		v.VAT += s.VAT
		v.Total += s.Total
	}
	return v, nil
}

// pick returns the offer line l is supplied by: that of enterprise choice
// (0: the lowest offer), or nil and why nobody supplies it. With a choice
// that is not an offer, nil and what is wrong with the choice.
func pick(l *Line, choice int64) (*Offer, string) {
	var best *Offer
	var refused []string
	waiting := 0
	for _, o := range l.Offers {
		switch o.Status {
		case Offered:
			if choice != 0 && o.EnterpriseID == choice {
				return o, ""
			}
			if best == nil || o.UnitPrice < best.UnitPrice {
				best = o
			}
		case Refused:
			refused = append(refused, o.EnterpriseName+": "+o.Reason)
		case Asked:
			waiting++
		}
	}
	if choice != 0 {
		return nil, "이 품목에 공급 가능하다고 답한 기업 중에서 골라 주세요."
	}
	switch {
	case best != nil:
		return best, ""
	case len(refused) > 0 && waiting == 0:
		return nil, "공급할 수 있는 회원기업이 없습니다 (" + strings.Join(refused, "; ") + ")."
	case waiting > 0:
		return nil, "기업의 답변을 받지 못해 이번 견적에서 제외했습니다."
	}
	return nil, "공급할 수 있는 회원기업이 없습니다."
}

func itoa(n int) string { return strconv.Itoa(n) }
