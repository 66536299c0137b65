// Package pricing prices lines and orders: unit prices from the catalogue,
// the VAT split and each enterprise's shipping. The cart, checkout and
// procurement all price through it.
package pricing

import (
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
)

// Item is one priced line going into an order: what the cart holds, with the
// price and stock read from the catalogue at this moment (never from the cart).
type Item struct {
	ProductID  int64
	OptionID   int64 // 0 when the product has no options
	Name       string
	OptionName string
	Kind       catalog.Kind
	TaxType    catalog.TaxType
	UnitPrice  int64 // 원, VAT included when taxable, options' extra included, tier applied
	// ListUnit is the unit price before any volume tier (the list's base
	// price plus the option's extra); Tier the tier applied, nil if none.
	ListUnit int64
	Tier     *catalog.Tier
	// Discount is the campaign discount in UnitPrice (ConsumerLine), nil
	// when none.
	Discount   *Discount
	Quantity   int
	Enterprise *catalog.Enterprise
	// BundleID is the joint product (공동상품) this item is a part of, 0 for
	// a product bought alone; BundleName its name. A part's UnitPrice is
	// its share per unit (catalog.BundlePart.UnitPrice) and its Quantity
	// the part's units in all the bundles bought.
	BundleID   int64
	BundleName string
}

// ListUnitPrice is order_lines.list_unit_price: the unit price before the
// campaign discount (ListUnit) when one applies, else UnitPrice (a volume
// tier is the list's own price, not a discount).
func (it Item) ListUnitPrice() int64 {
	if it.Discount != nil {
		return it.ListUnit
	}
	return it.UnitPrice
}

// DiscountAmount is order_lines.discount_amount: ListUnitPrice × Quantity
// − LineTotal.
func (it Item) DiscountAmount() int64 {
	return it.ListUnitPrice()*int64(it.Quantity) - it.LineTotal()
}

// LineTotal is UnitPrice × Quantity.
func (it Item) LineTotal() int64 { return it.UnitPrice * int64(it.Quantity) }

// Split is the line's 공급가액 and 부가세 (catalog.SplitVAT of LineTotal):
// what order_lines.supply_amount and vat_amount hold.
func (it Item) Split() (supply, vat int64) { return catalog.SplitVAT(it.LineTotal(), it.TaxType) }

// Part is one enterprise's share of an order: it becomes a sub-order.
type Part struct {
	Enterprise   *catalog.Enterprise
	Items        []Item
	ItemsTotal   int64
	ShippingFee  int64 // base fee (0 when free or nothing ships) plus any remote surcharge
	Remote       bool  // the 제주/도서산간 surcharge applied
	FreeShipping bool  // the threshold was reached
	// AmountToFree is what is still missing to reach free shipping (0 if none).
	AmountToFree int64
	Total        int64
	// ownTotal is ItemsTotal without joint products' parts: a bundle's
	// price includes its delivery, so its parts neither ship for a fee nor
	// count towards the free-shipping threshold.
	ownTotal int64
}

// Breakdown is the price of a whole order, split per enterprise, with the VAT
// split the receipts and reports need. Supply and VAT are the sums of each
// line's split (Item.Split) and of each part's shipping split, never a split
// of Total, so they equal what the order's lines add up to.
type Breakdown struct {
	Parts         []*Part
	ItemsTotal    int64
	ShippingTotal int64
	Total         int64
	Supply        int64 // 공급가액 (taxable lines and shipping, net of VAT; exempt lines whole)
	VAT           int64 // 부가세
	Exempt        int64 // the 면세 part of Supply
}

// Price groups items by enterprise in first-seen order and applies each
// enterprise's shipping policy: goods pay the fee unless the enterprise's
// items total reaches its free-shipping threshold; a 제주/도서산간 postcode adds
// the remote surcharge (also when shipping is otherwise free); parts made only
// of services ship nothing, nor do joint products' parts (Item.BundleID):
// a bundle's price includes its delivery. Shipping is taxable. An empty postcode prices
// without the surcharge (the cart, before an address is known).
func Price(items []Item, postcode string) Breakdown {
	remote := kr.IsRemotePostcode(postcode)
	var b Breakdown
	byEnt := map[int64]*Part{}
	for _, it := range items {
		p := byEnt[it.Enterprise.ID]
		if p == nil {
			p = &Part{Enterprise: it.Enterprise}
			byEnt[it.Enterprise.ID] = p
			b.Parts = append(b.Parts, p)
		}
		p.Items = append(p.Items, it)
		p.ItemsTotal += it.LineTotal()
		if it.BundleID == 0 {
			p.ownTotal += it.LineTotal()
		}
		s, v := it.Split()
		b.Supply += s
		b.VAT += v
		if it.TaxType == catalog.Exempt {
			b.Exempt += s
		}
	}
	for _, p := range b.Parts {
		ships := false
		for _, it := range p.Items {
			ships = ships || (it.Kind != catalog.Service && it.BundleID == 0)
		}
		if ships {
			pol := p.Enterprise.Shipping
			if pol.FreeThreshold > 0 && p.ownTotal >= pol.FreeThreshold {
				p.FreeShipping = true
			} else {
				p.ShippingFee = pol.Fee
				if pol.FreeThreshold > 0 {
					p.AmountToFree = pol.FreeThreshold - p.ownTotal
				}
			}
			if remote && pol.RemoteSurcharge > 0 {
				p.Remote = true
				p.ShippingFee += pol.RemoteSurcharge
			}
		}
		p.Total = p.ItemsTotal + p.ShippingFee
		b.ItemsTotal += p.ItemsTotal
		b.ShippingTotal += p.ShippingFee
		s, v := catalog.SplitVAT(p.ShippingFee, catalog.Taxable)
		b.Supply += s
		b.VAT += v
	}
	b.Total = b.ItemsTotal + b.ShippingTotal
	return b
}
