package pricing

import (
	"context"

	"github.com/dure-coop/dure/internal/catalog"
)

// Who funds a campaign discount (order_lines.discount_funded_by).
const (
	FundedByCoop       = "coop"       // the co-op reimburses the enterprise at settlement
	FundedByEnterprise = "enterprise" // the enterprise simply earns less
)

// Discount is a campaign's price cut on the consumer list, as it applies to
// one product now. It is never applied to the public list.
type Discount struct {
	CampaignID int64
	Campaign   string // the campaign's title, for the buyer
	// Percent says whether Value is a rate in basis points (1000 = 10%)
	// or won off each unit.
	Percent  bool
	Value    int64
	FundedBy string // FundedByCoop or FundedByEnterprise
}

// Off is the won d takes off one unit priced unit: a percent is rounded
// down to the won. A cut that would make the unit free or cost less than
// nothing (a product whose price fell below a won discount after the
// campaign was set) takes nothing off.
func (d Discount) Off(unit int64) int64 {
	off := d.Value
	if d.Percent {
		off = unit * d.Value / 10000
	}
	if off <= 0 || off >= unit {
		return 0
	}
	return off
}

// Best is the discount of ds that gives the lowest unit price for unit:
// when campaigns overlap on a product, the buyer gets the best price of
// them, never two at once. Ties go to the lowest campaign id, so that the
// choice (and who funds it) does not depend on the order ds came in. ok
// is false when none takes anything off.
func Best(ds []Discount, unit int64) (best Discount, ok bool) {
	var bestOff int64
	for _, d := range ds {
		off := d.Off(unit)
		if off == 0 {
			continue
		}
		if !ok || off > bestOff || (off == bestOff && d.CampaignID < best.CampaignID) {
			best, bestOff, ok = d, off, true
		}
	}
	return best, ok
}

// Discounts finds the campaign discounts that apply now, on the consumer
// list, to products. Every consumer price (cart, checkout, listings,
// feeds) reads them through it and prices with ConsumerLine.
type Discounts interface {
	// ConsumerDiscounts returns, per product id among ids, the discounts
	// of the published campaigns whose period holds the present moment
	// (starts_at <= now < ends_at) and that hold the product. Products
	// without any are absent.
	ConsumerDiscounts(ctx context.Context, ids []int64) (map[int64][]Discount, error)
}

// ConsumerLine prices quantity units of p (option o, nil when none) on the
// consumer list with the campaign discounts ds that apply to p now: the
// unit price is the lower of the volume tier's price (Line) and the list
// unit price less the best discount (Best). A tier and a campaign never
// stack; when they give the same price the campaign's is recorded, so
// the line says why it is cheaper. When the discount wins, Discount names
// it and Discounted is (ListUnit - UnitPrice) × Quantity.
func ConsumerLine(p *catalog.Product, o *catalog.Option, quantity int, ds []Discount) LinePrice {
	lp := Line(Consumer, p, o, quantity)
	d, ok := Best(ds, lp.ListUnit)
	if !ok {
		return lp
	}
	if offer := lp.ListUnit - d.Off(lp.ListUnit); offer <= lp.UnitPrice {
		lp.UnitPrice, lp.Tier, lp.Discount = offer, nil, &d
		lp.Discounted = (lp.ListUnit - offer) * int64(quantity)
		lp.Total = offer * int64(quantity)
		lp.Supply, lp.VAT = catalog.SplitVAT(lp.Total, p.TaxType)
	}
	return lp
}

// Offer is the consumer price of one unit of p (option o) now, with its
// discount (nil when none): what cards, the product page and feeds show.
// It is ConsumerLine for one unit.
func Offer(p *catalog.Product, o *catalog.Option, ds []Discount) (unit int64, d *Discount) {
	lp := ConsumerLine(p, o, 1, ds)
	return lp.UnitPrice, lp.Discount
}
