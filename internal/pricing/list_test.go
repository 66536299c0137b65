package pricing

import (
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
)

func TestLine(t *testing.T) {
	ent := &catalog.Enterprise{ID: 1}
	soap := &catalog.Product{ID: 1, Name: "비누", TaxType: catalog.Taxable, ConsumerPrice: 10000, PublicPrice: 9500,
		ConsumerTiers: []catalog.Tier{{MinQuantity: 10, UnitPrice: 9000}, {MinQuantity: 50, UnitPrice: 8000}},
		PublicTiers:   []catalog.Tier{{MinQuantity: 100, UnitPrice: 9000}}, Enterprise: ent}
	rice := &catalog.Product{ID: 2, Name: "쌀", TaxType: catalog.Exempt, ConsumerPrice: 33333, PublicPrice: 33333,
		ConsumerTiers: []catalog.Tier{{MinQuantity: 3, UnitPrice: 30001}}, Enterprise: ent}
	big := &catalog.Option{ID: 7, Name: "대용량", ExtraPrice: 1500}
	cases := []struct {
		name             string
		list             List
		p                *catalog.Product
		o                *catalog.Option
		qty              int
		unit, list1, tot int64
		tier             int // min quantity of the tier applied, 0 for none
		supply, vat      int64
	}{
		{"one unit, no tier", Consumer, soap, nil, 1, 10000, 10000, 10000, 0, 9090, 910},
		{"just below the first tier", Consumer, soap, nil, 9, 10000, 10000, 90000, 0, 81818, 8182},
		{"exactly at the first tier", Consumer, soap, nil, 10, 9000, 10000, 90000, 10, 81818, 8182},
		{"between tiers", Consumer, soap, nil, 49, 9000, 10000, 441000, 10, 400909, 40091},
		{"exactly at the second tier", Consumer, soap, nil, 50, 8000, 10000, 400000, 50, 363636, 36364},
		{"option extra on the tier", Consumer, soap, big, 10, 10500, 11500, 105000, 10, 95454, 9546},
		{"option extra without tier", Consumer, soap, big, 1, 11500, 11500, 11500, 0, 10454, 1046},
		{"public base", Public, soap, nil, 99, 9500, 9500, 940500, 0, 855000, 85500},
		{"public tier at its minimum", Public, soap, nil, 100, 9000, 9500, 900000, 100, 818181, 81819},
		{"consumer tiers do not price public lines", Public, rice, nil, 5, 33333, 33333, 166665, 0, 166665, 0},
		{"exempt with tier: no VAT", Consumer, rice, nil, 3, 30001, 33333, 90003, 3, 90003, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lp := Line(c.list, c.p, c.o, c.qty)
			if lp.UnitPrice != c.unit || lp.ListUnit != c.list1 || lp.Total != c.tot {
				t.Errorf("unit %d list %d total %d, want %d %d %d", lp.UnitPrice, lp.ListUnit, lp.Total, c.unit, c.list1, c.tot)
			}
			switch {
			case c.tier == 0 && lp.Tier != nil:
				t.Errorf("tier %+v applied, want none", *lp.Tier)
			case c.tier != 0 && (lp.Tier == nil || lp.Tier.MinQuantity != c.tier):
				t.Errorf("tier %+v, want the one from %d", lp.Tier, c.tier)
			}
			if lp.Supply != c.supply || lp.VAT != c.vat || lp.Supply+lp.VAT != lp.Total {
				t.Errorf("supply %d vat %d, want %d %d (total %d)", lp.Supply, lp.VAT, c.supply, c.vat, lp.Total)
			}
		})
	}
}

func TestBestTierUnsorted(t *testing.T) {
	// Tiers as a caller might hold them before validation: the best is the
	// cheapest reached, whatever the order.
	tiers := []catalog.Tier{{MinQuantity: 50, UnitPrice: 8000}, {MinQuantity: 10, UnitPrice: 9000}}
	if tr, ok := BestTier(tiers, 60); !ok || tr.UnitPrice != 8000 {
		t.Errorf("BestTier(60) = %+v %v, want 8000", tr, ok)
	}
	if _, ok := BestTier(tiers, 9); ok {
		t.Error("BestTier(9) found a tier")
	}
	if _, ok := BestTier(nil, 1000); ok {
		t.Error("BestTier(nil) found a tier")
	}
}

// The totals are the sums of the lines' splits, to the won: a split of the
// grand total would differ here (3 × 1,000원 taxable lines: 909+909+909 =
// 2,727 supply, while 3,000 × 10/11 = 2,727 — and 7 × 1원 lines: 0 supply
// each, while 7 × 10/11 = 6).
func TestSumAddsUpLines(t *testing.T) {
	p := &catalog.Product{TaxType: catalog.Taxable, ConsumerPrice: 1}
	var lines []LinePrice
	for range 7 {
		lines = append(lines, Line(Consumer, p, nil, 1))
	}
	apple := &catalog.Product{TaxType: catalog.Exempt, ConsumerPrice: 12000}
	lines = append(lines, Line(Consumer, apple, nil, 2))
	s := Sum(lines)
	var supply, vat, total int64
	for _, l := range lines {
		supply, vat, total = supply+l.Supply, vat+l.VAT, total+l.Total
	}
	if s.Supply != supply || s.VAT != vat || s.Total != total || s.Supply+s.VAT != s.Total {
		t.Errorf("sum %+v, lines add up to %d + %d = %d", s, supply, vat, total)
	}
	if s.VAT != 7 || s.Exempt != 24000 {
		t.Errorf("vat %d exempt %d, want 7 and 24000 (1원 lines are all VAT)", s.VAT, s.Exempt)
	}
}

func TestNewItemPricesWithTier(t *testing.T) {
	ent := &catalog.Enterprise{ID: 3, Shipping: catalog.ShippingPolicy{Fee: 3000}}
	p := &catalog.Product{ID: 9, Name: "수세미", Kind: catalog.Goods, TaxType: catalog.Taxable, ConsumerPrice: 2000,
		ConsumerTiers: []catalog.Tier{{MinQuantity: 10, UnitPrice: 1800}}, Enterprise: ent}
	o := &catalog.Option{ID: 4, Name: "초록", ExtraPrice: 100}
	it := NewItem(Consumer, p, o, 10)
	if it.UnitPrice != 1900 || it.ListUnit != 2100 || it.Tier == nil || it.OptionID != 4 || it.OptionName != "초록" {
		t.Fatalf("item = %+v", it)
	}
	b := Price([]Item{it}, "")
	if b.ItemsTotal != 19000 || b.Total != 22000 || b.Supply+b.VAT != b.Total {
		t.Errorf("breakdown = %+v", b)
	}
	s, v := it.Split()
	if s+v != 19000 || s != 17272 {
		t.Errorf("split = %d + %d", s, v)
	}
}
