package pricing

import (
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
)

func TestPrice(t *testing.T) {
	farm := &catalog.Enterprise{ID: 1, Shipping: catalog.ShippingPolicy{Fee: 3000, FreeThreshold: 30000, RemoteSurcharge: 3000}}
	soap := &catalog.Enterprise{ID: 2, Shipping: catalog.ShippingPolicy{Fee: 2500, FreeThreshold: 0, RemoteSurcharge: 5000}}
	clean := &catalog.Enterprise{ID: 3, Shipping: catalog.ShippingPolicy{Fee: 3000, FreeThreshold: 50000, RemoteSurcharge: 3000}}
	apple := Item{ProductID: 10, Kind: catalog.Goods, TaxType: catalog.Exempt, UnitPrice: 12000, Quantity: 2, Enterprise: farm}
	detergent := Item{ProductID: 20, Kind: catalog.Goods, TaxType: catalog.Taxable, UnitPrice: 11000, Quantity: 1, Enterprise: soap}
	cleaning := Item{ProductID: 30, Kind: catalog.Service, TaxType: catalog.Taxable, UnitPrice: 220000, Quantity: 1, Enterprise: clean}

	t.Run("mainland", func(t *testing.T) {
		b := Price([]Item{apple, detergent, cleaning}, "41940")
		if len(b.Parts) != 3 {
			t.Fatalf("parts = %d, want 3", len(b.Parts))
		}
		want := []int64{3000, 2500, 0} // farm below threshold; soap never free; service ships nothing
		for i, p := range b.Parts {
			if p.ShippingFee != want[i] {
				t.Errorf("part %d shipping = %d, want %d", i, p.ShippingFee, want[i])
			}
		}
		if b.Parts[0].AmountToFree != 6000 {
			t.Errorf("amount to free = %d, want 6000", b.Parts[0].AmountToFree)
		}
		if b.Total != 24000+11000+220000+5500 {
			t.Errorf("total = %d", b.Total)
		}
		if b.Supply+b.VAT != b.Total {
			t.Errorf("supply %d + vat %d != total %d", b.Supply, b.VAT, b.Total)
		}
		if b.Exempt != 24000 {
			t.Errorf("exempt = %d, want 24000", b.Exempt)
		}
		// 11000 → 1000 VAT, 220000 → 20000; shipping is split per part
		// (each enterprise invoices its own): 3000 → 273, 2500 → 228.
		if b.VAT != 1000+20000+273+228 {
			t.Errorf("vat = %d, want 21501", b.VAT)
		}
	})
	t.Run("free threshold and jeju", func(t *testing.T) {
		big := apple
		big.Quantity = 3 // 36,000원 ≥ 30,000원
		b := Price([]Item{big, detergent}, "63122")
		if !b.Parts[0].FreeShipping || b.Parts[0].ShippingFee != 3000 || !b.Parts[0].Remote {
			t.Errorf("farm part = %+v, want free shipping plus the 3,000원 surcharge", b.Parts[0])
		}
		if b.Parts[1].ShippingFee != 2500+5000 {
			t.Errorf("soap shipping = %d, want 7500", b.Parts[1].ShippingFee)
		}
	})
	t.Run("no postcode yet", func(t *testing.T) {
		b := Price([]Item{detergent}, "")
		if b.Parts[0].Remote || b.Parts[0].ShippingFee != 2500 {
			t.Errorf("part = %+v", b.Parts[0])
		}
	})
}
