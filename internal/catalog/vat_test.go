package catalog_test

import (
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
)

func TestSplitVAT(t *testing.T) {
	tests := []struct {
		total       int64
		tax         catalog.TaxType
		supply, vat int64
	}{
		{11000, catalog.Taxable, 10000, 1000},
		{10000, catalog.Taxable, 9090, 910},
		{45000, catalog.Taxable, 40909, 4091},
		{100, catalog.Taxable, 90, 10},
		{1, catalog.Taxable, 0, 1},
		{0, catalog.Taxable, 0, 0},
		{10000, catalog.Exempt, 10000, 0},
		{45000, catalog.Exempt, 45000, 0},
	}
	for _, tt := range tests {
		supply, vat := catalog.SplitVAT(tt.total, tt.tax)
		if supply != tt.supply || vat != tt.vat {
			t.Errorf("SplitVAT(%d, %s) = %d + %d, want %d + %d", tt.total, tt.tax, supply, vat, tt.supply, tt.vat)
		}
		if supply+vat != tt.total {
			t.Errorf("SplitVAT(%d, %s) does not add up", tt.total, tt.tax)
		}
	}
}
