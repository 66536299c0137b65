// Package taxinvoice turns a 거래명세서 or 청구서 into the data for issuing
// 세금계산서 (과세) and 계산서 (면세) — one per supplying enterprise and tax
// kind, since each member of a consortium issues its own to the buyer — and
// defines the Issuer a tax-invoice provider (an ASP or 홈택스 API client)
// can implement later. CSV is the Issuer there is today: files an operator
// uploads to 홈택스's bulk issue (일괄발급) or hands to each enterprise.
package taxinvoice

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/dure-coop/dure/internal/document"
)

// Kind is 세금계산서 (taxable supply, with 세액) or 계산서 (면세, no 세액).
type Kind string

// Kinds.
const (
	TaxInvoice Kind = "tax_invoice" // 세금계산서
	Invoice    Kind = "invoice"     // 계산서 (면세)
)

// Label is the kind's Korean name.
func (k Kind) Label() string {
	if k == Invoice {
		return "계산서"
	}
	return "세금계산서"
}

// Bill is the data of one 세금계산서 or 계산서: one supplier, one buyer,
// one date, its items.
type Bill struct {
	Kind           Kind
	DocumentNumber string    // the 거래명세서 or 청구서 it comes from
	Date           time.Time // 작성일자
	Supplier       document.Party
	Buyer          document.Party
	Supply         int64 // 공급가액
	Tax            int64 // 세액; 0 for a 계산서
	Items          []Item
	Remarks        string // 비고
	// Paid makes it a receipt (영수) rather than a claim (청구).
	Paid bool
}

// Total is 공급가액 + 세액.
func (b Bill) Total() int64 { return b.Supply + b.Tax }

// Summary is the items in one phrase: the first item's name, and "외 N건"
// for the rest.
func (b Bill) Summary() string {
	switch len(b.Items) {
	case 0:
		return ""
	case 1:
		return b.Items[0].Name
	}
	return b.Items[0].Name + " 외 " + strconv.Itoa(len(b.Items)-1) + "건"
}

// Item is one line of a bill.
type Item struct {
	Name string
	Spec string
	// Quantity and UnitPrice (the 공급단가) are 0 when the 공급가액 is not
	// quantity × a whole-won unit price (a VAT-included price split per
	// line): 홈택스 then takes the item's amounts alone.
	Quantity  int64
	UnitPrice int64
	Supply    int64
	Tax       int64
	Note      string
}

// Issuer issues bills: a tax-invoice provider (later) or the CSV export
// (now).
type Issuer interface {
	// Issue issues every bill, or none: a provider must not leave half a
	// batch issued without saying which (its error then names them).
	Issue(ctx context.Context, bills []Bill) error
}

// FromDocument returns the bills of a 거래명세서 or 청구서: for each
// supplying enterprise, in the document's order, a 세금계산서 of its 과세
// lines (shipping included) and a 계산서 of its 면세 lines, when it has
// any. The document is validated first; a quote is refused, since nothing
// has been supplied on a quote.
func FromDocument(d *document.Document) ([]Bill, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if d.Kind == document.Quote {
		return nil, fmt.Errorf("%w: taxinvoice: %s is a quote, not a supply", document.ErrInvalid, d.Number)
	}
	var out []Bill
	for _, g := range d.Groups() {
		if g.Supplier.ID == 0 {
			continue
		}
		for _, kind := range []Kind{TaxInvoice, Invoice} {
			b := Bill{Kind: kind, DocumentNumber: d.Number, Date: d.IssueDate, Supplier: g.Supplier.Party, Buyer: d.Buyer}
			for _, l := range g.Rows {
				if l.Unavailable || l.Exempt() != (kind == Invoice) {
					continue
				}
				it := Item{Name: l.Name, Spec: l.Spec, Supply: l.Supply, Tax: l.VAT, Note: l.Note}
				if l.Supply%l.Quantity == 0 {
					it.Quantity, it.UnitPrice = l.Quantity, l.Supply/l.Quantity
				}
				b.Items = append(b.Items, it)
				b.Supply += l.Supply
				b.Tax += l.VAT
			}
			if len(b.Items) > 0 {
				out = append(out, b)
			}
		}
	}
	return out, nil
}
