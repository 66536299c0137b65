package quote

import (
	"context"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
)

// OrderPlacer places an accepted quote as an order paid on invoice
// or by card (order.PlacePublic is to implement it; cmd/dure wires it).
type OrderPlacer interface {
	// PlacePublic reserves the stock of every catalogue line and creates the
	// order with one sub-order per enterprise in one transaction. The same
	// Key returns the same order, reserved once. Conflict with a Korean
	// message naming the item when the stock is short (nothing reserved).
	PlacePublic(ctx context.Context, o PublicOrder) (orderID int64, err error)
}

// PublicOrder is an accepted revision as an order: the prices are the
// quote's, not the catalogue's of the day.
type PublicOrder struct {
	// Key is the idempotency key: one per quote revision ("quote:Q…:r2").
	Key            string
	RequestID      int64
	QuoteNumber    string
	RevisionNumber int
	InstitutionID  int64
	UserID         int64 // the accepting buyer
	Terms          Terms // how the institution pays
	Place          Place
	DeliveryDate   time.Time
	Parts          []PublicOrderPart // one per supplying enterprise
	ItemsTotal     int64
	ShippingTotal  int64
	Supply         int64
	VAT            int64
	Total          int64
}

// Terms is how an accepted quote is paid.
type Terms string

// Payment terms: on the invoice after 검수 (the public default), or by card
// at once.
const (
	TermsInvoice Terms = "invoice"
	TermsCard    Terms = "card"
)

// Label is the Korean name of the terms.
func (t Terms) Label() string {
	switch t {
	case TermsInvoice:
		return "계좌이체 (후불, 청구서)"
	case TermsCard:
		return "카드 결제"
	}
	return ""
}

// Valid reports whether t is known.
func (t Terms) Valid() bool { return t.Label() != "" }

// PublicOrderPart is one enterprise's sub-order to be.
type PublicOrderPart struct {
	EnterpriseID int64
	Lines        []PublicOrderLine
	ItemsTotal   int64
	Shipping     int64
	Supply       int64
	VAT          int64
	Total        int64
	OverLimit    bool // above the institution's direct-contract limit (it may proceed)
}

// PublicOrderLine is one line of a part, ordered as catalogue product
// ProductID: the one asked for, or the one the supplier linked a
// free-text line to. ProductID 0 is a free-text line of a revision sent
// before lines were linked: it cannot be ordered. FreeText says the line
// was asked for as free text (Name is then the buyer's words).
type PublicOrderLine struct {
	ProductID  int64
	FreeText   bool
	OptionID   int64
	Name       string
	OptionName string
	Unit       string
	TaxType    catalog.TaxType
	Quantity   int
	UnitPrice  int64
	Supply     int64
	VAT        int64
	Total      int64
}

// OrderKey is the idempotency key of revision number of request number.
func OrderKey(requestNumber string, revision int) string {
	return "quote:" + requestNumber + ":r" + itoa(revision)
}

// PublicOrderOf is revision v of r as the order it becomes: unsupplied
// lines are left out (the buyer saw them as such), every other figure is
// the revision's.
func PublicOrderOf(r *Request, v *Revision, userID int64, terms Terms) PublicOrder {
	o := PublicOrder{Key: OrderKey(r.Number, v.Number), RequestID: r.ID, QuoteNumber: r.Number, RevisionNumber: v.Number,
		InstitutionID: r.InstitutionID, UserID: userID, Terms: terms, Place: r.Place, DeliveryDate: v.DeliveryDate,
		ItemsTotal: v.ItemsTotal, ShippingTotal: v.ShippingTotal, Supply: v.Supply, VAT: v.VAT, Total: v.Total}
	for _, s := range v.Shares {
		p := PublicOrderPart{EnterpriseID: s.EnterpriseID, ItemsTotal: s.ItemsTotal, Shipping: s.Shipping,
			Supply: s.Supply, VAT: s.VAT, Total: s.Total, OverLimit: v.OverLimit(s)}
		for _, rl := range v.Lines {
			if rl.EnterpriseID != s.EnterpriseID {
				continue
			}
			l := r.Line(rl.LineID)
			pid := rl.ProductID
			if pid == 0 { // sent before revisions kept the product
				pid = l.ProductID
			}
			p.Lines = append(p.Lines, PublicOrderLine{ProductID: pid, FreeText: l.FreeText(), OptionID: l.OptionID, Name: rl.Name,
				OptionName: rl.OptionName, Unit: rl.Unit, TaxType: rl.TaxType, Quantity: rl.Quantity,
				UnitPrice: rl.UnitPrice, Supply: rl.Supply, VAT: rl.VAT, Total: rl.Total})
		}
		o.Parts = append(o.Parts, p)
	}
	return o
}

// Document is a revision as the 견적서 (internal/document) prints it:
// the parties, the lines grouped by supplying enterprise with each one's
// figures, the lines nobody supplies, and the totals.
type Document struct {
	Number          string // "Q261130-7KQ2MXH4-r2"
	InstitutionName string
	RequesterName   string
	Place           Place
	SentAt          time.Time
	DeliveryDate    time.Time
	ValidUntil      time.Time
	Remarks         string
	DirectLimit     int64
	Parts           []DocumentPart
	Unsupplied      []*RevisionLine
	ItemsTotal      int64
	ShippingTotal   int64
	Supply          int64
	VAT             int64
	Total           int64
}

// DocumentPart is one supplying enterprise's part of the 견적서 (the
// document looks up its business details by EnterpriseID).
type DocumentPart struct {
	EnterpriseID   int64
	EnterpriseName string
	Lines          []*RevisionLine
	Shipping       int64
	ItemsTotal     int64
	Supply         int64
	VAT            int64
	Total          int64
	OverLimit      bool
}

// DocumentOf is revision v of r as the data of its 견적서.
func DocumentOf(r *Request, v *Revision) Document {
	d := Document{Number: r.Number + "-" + v.Label(), InstitutionName: r.InstitutionName, RequesterName: r.UserName,
		Place: r.Place, SentAt: v.SentAt, DeliveryDate: v.DeliveryDate, ValidUntil: v.ValidUntil, Remarks: v.Remarks,
		DirectLimit: v.DirectLimit, ItemsTotal: v.ItemsTotal, ShippingTotal: v.ShippingTotal, Supply: v.Supply, VAT: v.VAT, Total: v.Total}
	for _, s := range v.Shares {
		p := DocumentPart{EnterpriseID: s.EnterpriseID, EnterpriseName: s.EnterpriseName, Shipping: s.Shipping,
			ItemsTotal: s.ItemsTotal, Supply: s.Supply, VAT: s.VAT, Total: s.Total, OverLimit: v.OverLimit(s)}
		for _, l := range v.Lines {
			if l.EnterpriseID == s.EnterpriseID {
				p.Lines = append(p.Lines, l)
			}
		}
		d.Parts = append(d.Parts, p)
	}
	for _, l := range v.Lines {
		if l.EnterpriseID == 0 {
			d.Unsupplied = append(d.Unsupplied, l)
		}
	}
	return d
}
