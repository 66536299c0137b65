package biz

import (
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
)

func TestPublicPrice(t *testing.T) {
	tests := []struct {
		total int64
		tax   catalog.TaxType
		want  Price
	}{
		{11000, catalog.Taxable, Price{Supply: 10000, VAT: 1000, Total: 11000}},
		{45000, catalog.Taxable, Price{Supply: 40909, VAT: 4091, Total: 45000}},
		{30000, catalog.Exempt, Price{Supply: 30000, VAT: 0, Total: 30000, Exempt: true}},
	}
	for _, tt := range tests {
		if got := publicPrice(tt.total, tt.tax); got != tt.want {
			t.Errorf("publicPrice(%d, %s) = %+v, want %+v", tt.total, tt.tax, got, tt.want)
		}
	}
}
