package document_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/document/doctest"
)

func TestValidate(t *testing.T) {
	for _, k := range []document.Kind{document.Quote, document.Statement, document.Invoice} {
		if err := doctest.Consortium(k, 31).Validate(); err != nil {
			t.Errorf("%s: a consistent document refused: %v", k, err)
		}
	}
	for _, tc := range []struct {
		name  string
		kind  document.Kind
		spoil func(d *document.Document)
		want  string
	}{
		{"total off by one won", document.Statement, func(d *document.Document) { d.Totals.Total++ }, "not the sum"},
		{"VAT total off", document.Statement, func(d *document.Document) { d.Totals.VAT--; d.Totals.Total-- }, "not the sum"},
		{"exempt total missing", document.Statement, func(d *document.Document) { d.Totals.Exempt = 0 }, "not the sum"},
		{"line split wrong", document.Statement, func(d *document.Document) { d.Lines[0].Supply++ }, "공급가액"},
		{"line qty × price wrong", document.Statement, func(d *document.Document) { d.Lines[0].Quantity++ }, "공급가액"},
		{"exempt line with VAT", document.Statement, func(d *document.Document) { d.Lines[2].VAT, d.Lines[2].Supply = 1, d.Lines[2].Supply-1 }, "면세"},
		{"unknown supplier", document.Statement, func(d *document.Document) { d.Lines[0].SupplierID = 99 }, "unknown supplier"},
		{"bad supplier BRN", document.Statement, func(d *document.Document) { d.Suppliers[1].IDNumber = "1234567890" }, "supplier 22"},
		{"no number", document.Statement, func(d *document.Document) { d.Number = " " }, "number"},
		{"quote without valid-until", document.Quote, func(d *document.Document) { d.ValidUntil = time.Time{} }, "valid-until"},
		{"invoice without bank", document.Invoice, func(d *document.Document) { d.Bank = nil }, "bank"},
		{"unavailable line on a statement", document.Statement, func(d *document.Document) {
			d.Lines = append(d.Lines, document.Line{Name: "x", Unavailable: true})
		}, "only a quote"},
		{"unavailable line with amounts", document.Quote, func(d *document.Document) { d.Lines[len(d.Lines)-1].Supply = 100 }, "no amounts"},
		{"negative quantity", document.Statement, func(d *document.Document) { d.Lines[0].Quantity = -1 }, "out of range"},
		{"overflowing line", document.Statement, func(d *document.Document) {
			d.Lines[0].Quantity, d.Lines[0].UnitPrice = 1<<40, 1<<40
		}, "out of range"},
		{"no lines", document.Statement, func(d *document.Document) { d.Lines = nil; d.Totals = document.Totals{} }, "no lines"},
		{"unknown tax type", document.Statement, func(d *document.Document) { d.Lines[0].TaxType = "zero" }, "tax type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := doctest.Consortium(tc.kind, 31)
			tc.spoil(d)
			err := d.Validate()
			if !errors.Is(err, document.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate = %v, want ErrInvalid mentioning %q", err, tc.want)
			}
		})
	}
}

func TestVATExcludedBasis(t *testing.T) {
	d := doctest.Consortium(document.Statement, 3)
	d.PriceBasis = document.VATExcluded
	d.Lines = []document.Line{{SupplierID: 11, Name: "쿠키", Quantity: 3, UnitPrice: 10000, Supply: 30000, VAT: 3000, TaxType: catalog.Taxable}}
	d.Totals = d.Sum()
	if err := d.Validate(); err != nil {
		t.Fatalf("VAT-excluded line: %v", err)
	}
	if d.Totals != (document.Totals{Supply: 30000, VAT: 3000, Total: 33000}) {
		t.Errorf("totals %+v", d.Totals)
	}
	d.Lines[0].Supply = 27273
	d.Totals = d.Sum()
	if err := d.Validate(); err == nil {
		t.Error("a VAT-excluded line whose 공급가액 is not 수량 × 단가 was accepted")
	}
}

func TestGroupsAndTotals(t *testing.T) {
	d := doctest.Consortium(document.Quote, 31)
	gs := d.Groups()
	if len(gs) != 4 {
		t.Fatalf("%d groups, want 3 suppliers and the unavailable lines", len(gs))
	}
	var sum document.Totals
	var share int64
	for _, g := range gs[:3] {
		sum.Supply += g.Totals.Supply
		sum.VAT += g.Totals.VAT
		sum.Exempt += g.Totals.Exempt
		sum.Total += g.Totals.Total
		share += g.ShareBP
		if last := g.Rows[len(g.Rows)-1]; g.Supplier.ID != 22 && !last.Shipping {
			t.Errorf("%s: shipping is not the group's last line", g.Supplier.Name)
		}
	}
	if sum != d.Totals {
		t.Errorf("groups sum to %+v, document totals %+v", sum, d.Totals)
	}
	if share < 9997 || share > 10000 {
		t.Errorf("shares add up to %d bp", share)
	}
	if g := gs[3]; g.Supplier.ID != 0 || len(g.Rows) != 1 || !g.Rows[0].Unavailable || g.Rows[0].No != len(d.Lines) {
		t.Errorf("last group %+v, want the one unavailable line", g)
	}
	if gs[2].Totals.Exempt == 0 || gs[2].Totals.Taxable() != gs[2].Rows[len(gs[2].Rows)-1].Supply {
		t.Errorf("farm group: exempt %d, taxable %d (only its shipping is taxable)", gs[2].Totals.Exempt, gs[2].Totals.Taxable())
	}
	if got := (document.Group{ShareBP: 3456}).Share(); got != "34.56%" {
		t.Errorf("Share = %q", got)
	}
	if d.Number != "Q-20261123-000123" || d.FileName() != "견적서_Q-20261123-000123.pdf" {
		t.Errorf("number %q, file name %q", d.Number, d.FileName())
	}
}
