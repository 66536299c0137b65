package pricing

import (
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
)

func TestDiscountOff(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    Discount
		unit int64
		want int64
	}{
		{"10% of 12,000", Discount{Percent: true, Value: 1000}, 12000, 1200},
		{"12.5% rounds down to the won", Discount{Percent: true, Value: 1250}, 9999, 1249},
		{"won", Discount{Value: 3000}, 12000, 3000},
		{"won reaching the price takes nothing", Discount{Value: 12000}, 12000, 0},
		{"won above the price takes nothing", Discount{Value: 20000}, 12000, 0},
		{"a percent rounding to 0 takes nothing", Discount{Percent: true, Value: 1}, 50, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.d.Off(tc.unit); got != tc.want {
				t.Fatalf("Off(%d) = %d, want %d", tc.unit, got, tc.want)
			}
		})
	}
}

// Overlapping campaigns: the buyer gets the best price of them, one only;
// a tie goes to the lowest campaign id whatever the order.
func TestBestOverlap(t *testing.T) {
	pct := Discount{CampaignID: 7, Percent: true, Value: 1000, FundedBy: FundedByCoop} // 1,000 off 10,000
	won := Discount{CampaignID: 3, Value: 1500, FundedBy: FundedByEnterprise}          // 1,500 off
	if d, ok := Best([]Discount{pct, won}, 10000); !ok || d.CampaignID != 3 {
		t.Fatalf("best of 10%% and 1,500원 on 10,000 = %+v, want campaign 3", d)
	}
	if d, ok := Best([]Discount{pct, won}, 20000); !ok || d.CampaignID != 7 {
		t.Fatalf("best of 10%% and 1,500원 on 20,000 = %+v, want campaign 7", d)
	}
	tieA, tieB := Discount{CampaignID: 9, Value: 1000}, Discount{CampaignID: 4, Value: 1000}
	for _, ds := range [][]Discount{{tieA, tieB}, {tieB, tieA}} {
		if d, _ := Best(ds, 10000); d.CampaignID != 4 {
			t.Fatalf("tie went to %d, want 4", d.CampaignID)
		}
	}
	if _, ok := Best([]Discount{{CampaignID: 1, Value: 10000}}, 10000); ok {
		t.Fatal("a discount making the unit free was chosen")
	}
}

func TestConsumerLine(t *testing.T) {
	p := &catalog.Product{ID: 1, ConsumerPrice: 11000, PublicPrice: 10000, TaxType: catalog.Taxable,
		ConsumerTiers: []catalog.Tier{{MinQuantity: 10, UnitPrice: 9000}}}
	opt := &catalog.Option{ID: 2, ExtraPrice: 1000}
	d := Discount{CampaignID: 5, Campaign: "겨울 기획전", Percent: true, Value: 1000, FundedBy: FundedByCoop}

	lp := ConsumerLine(p, opt, 3, []Discount{d})
	// (11,000 + 1,000) − 10% = 10,800 each.
	if lp.UnitPrice != 10800 || lp.ListUnit != 12000 || lp.Discount == nil || lp.Discounted != 3600 || lp.Total != 32400 {
		t.Fatalf("3 units in the campaign: %+v", lp)
	}
	if lp.Supply+lp.VAT != lp.Total || lp.VAT != 2946 {
		t.Fatalf("VAT split of 32,400: supply %d vat %d", lp.Supply, lp.VAT)
	}
	it := ItemOf(p, opt, lp)
	if it.ListUnitPrice() != 12000 || it.DiscountAmount() != 3600 {
		t.Fatalf("item list price %d, discount %d", it.ListUnitPrice(), it.DiscountAmount())
	}

	// 10 units reach the tier (9,000 + 1,000 = 10,000 < 10,800): the tier
	// wins and no discount is recorded; they never stack.
	lp = ConsumerLine(p, opt, 10, []Discount{d})
	if lp.UnitPrice != 10000 || lp.Discount != nil || lp.Tier == nil {
		t.Fatalf("10 units: %+v", lp)
	}
	if it := ItemOf(p, opt, lp); it.ListUnitPrice() != 10000 || it.DiscountAmount() != 0 {
		t.Fatalf("tier line is no discount: list %d, discount %d", it.ListUnitPrice(), it.DiscountAmount())
	}

	// Without campaigns ConsumerLine is Line.
	if got, want := ConsumerLine(p, nil, 2, nil), Line(Consumer, p, nil, 2); got.UnitPrice != want.UnitPrice || got.Discount != nil {
		t.Fatalf("no campaign: %+v, want %+v", got, want)
	}
	if unit, dd := Offer(p, nil, []Discount{d}); unit != 9900 || dd == nil || dd.CampaignID != 5 {
		t.Fatalf("Offer = %d, %+v", unit, dd)
	}
}
