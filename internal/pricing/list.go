package pricing

import (
	"github.com/dure-coop/dure/internal/catalog"
)

// List is a price list: who buys decides which one prices a line.
type List string

// The price lists. Consumer prices the shop's cart and checkout; Public
// prices quotes and public institutions' orders.
const (
	Consumer List = "consumer"
	Public   List = "public"
)

// Valid reports whether l is one of the lists.
func (l List) Valid() bool { return l == Consumer || l == Public }

// Label is the list's Korean name.
func (l List) Label() string {
	if l == Public {
		return "공공기관가"
	}
	return "소비자가"
}

// Base is p's base unit price on l before any option extra or tier:
// products.consumer_price, or products.public_price for Public. Both are
// required (1원 or more) by the catalogue and the schema, so there is no
// "no public price" case: a product without a negotiated public price
// carries its consumer price there too (the importer and forms require it).
func (l List) Base(p *catalog.Product) int64 {
	if l == Public {
		return p.PublicPrice
	}
	return p.ConsumerPrice
}

// Tiers are p's volume tiers on l, sorted by minimum quantity.
func (l List) Tiers(p *catalog.Product) []catalog.Tier {
	if l == Public {
		return p.PublicTiers
	}
	return p.ConsumerTiers
}

// BestTier returns the tier of tiers (sorted by minimum quantity) for a
// line of quantity units: the one with the largest minimum quantity that
// quantity reaches, which the catalogue's rules make the cheapest. ok is
// false when quantity reaches none.
func BestTier(tiers []catalog.Tier, quantity int) (t catalog.Tier, ok bool) {
	for _, c := range tiers {
		if quantity >= c.MinQuantity && (!ok || c.UnitPrice < t.UnitPrice) {
			t, ok = c, true
		}
	}
	return t, ok
}

// LinePrice is one line priced on a list: the unit price after the option's
// extra and the tier, and the line's 공급가액/부가세/합계.
type LinePrice struct {
	List List
	// ListUnit is the unit price on the list before any tier: the base
	// price plus the option's extra.
	ListUnit int64
	// UnitPrice is what one unit costs on this line: the tier's price (or
	// the base price) plus the option's extra.
	UnitPrice int64
	// Tier is the tier applied, nil when the quantity reaches none.
	Tier *catalog.Tier
	// Discount is the campaign discount applied (ConsumerLine), nil when
	// none; Discounted is what it took off the whole line.
	Discount   *Discount
	Discounted int64
	Quantity   int
	TaxType    catalog.TaxType
	Total      int64 // UnitPrice × Quantity, VAT included when taxable
	Supply     int64 // 공급가액 of Total (all of it when exempt)
	VAT        int64 // 부가세 of Total (0 when exempt)
}

// Line prices quantity units of product p (option o, nil when p has none) on
// list l: unit price = (the best tier's price, or the list's base price) +
// the option's extra price; the VAT is split on the line's total
// (catalog.SplitVAT), so Supply + VAT = Total exactly. The line's split is
// the authoritative one: totals of several lines add the lines' splits
// (Sum), as order_lines.supply_amount/vat_amount and the order's totals do,
// and may differ by a won or so from splitting the grand total.
func Line(l List, p *catalog.Product, o *catalog.Option, quantity int) LinePrice {
	var extra int64
	if o != nil {
		extra = o.ExtraPrice
	}
	lp := LinePrice{List: l, ListUnit: l.Base(p) + extra, Quantity: quantity, TaxType: p.TaxType}
	lp.UnitPrice = lp.ListUnit
	if t, ok := BestTier(l.Tiers(p), quantity); ok {
		lp.Tier = &t
		lp.UnitPrice = t.UnitPrice + extra
	}
	lp.Total = lp.UnitPrice * int64(quantity)
	lp.Supply, lp.VAT = catalog.SplitVAT(lp.Total, p.TaxType)
	return lp
}

// Totals are the 공급가액/부가세/합계 of several lines: the sums of the
// lines' own splits, so each equals what the per-line figures of a quote,
// an invoice or an order add up to.
type Totals struct {
	Supply int64 // 공급가액, exempt lines whole
	VAT    int64 // 부가세
	Total  int64 // 합계 = Supply + VAT
	Exempt int64 // the 면세 part of Supply
}

// Add adds a line of total, split as tax type t, to the totals.
func (s *Totals) Add(total int64, t catalog.TaxType) {
	supply, vat := catalog.SplitVAT(total, t)
	s.Supply += supply
	s.VAT += vat
	s.Total += total
	if t == catalog.Exempt {
		s.Exempt += supply
	}
}

// Sum returns the totals of lines.
func Sum(lines []LinePrice) Totals {
	var s Totals
	for _, l := range lines {
		s.Add(l.Total, l.TaxType)
	}
	return s
}

// NewItem is the order item for a line priced on l: what the cart and a
// quote put into Price. p must carry its Enterprise.
func NewItem(l List, p *catalog.Product, o *catalog.Option, quantity int) Item {
	return ItemOf(p, o, Line(l, p, o, quantity))
}

// ItemOf is the order item of product p (option o) priced as lp.
func ItemOf(p *catalog.Product, o *catalog.Option, lp LinePrice) Item {
	it := Item{ProductID: p.ID, Name: p.Name, Kind: p.Kind, TaxType: p.TaxType, UnitPrice: lp.UnitPrice,
		ListUnit: lp.ListUnit, Tier: lp.Tier, Discount: lp.Discount, Quantity: lp.Quantity, Enterprise: p.Enterprise}
	if o != nil {
		it.OptionID, it.OptionName = o.ID, o.Name
	}
	return it
}
