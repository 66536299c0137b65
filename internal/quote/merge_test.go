package quote_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/quote"
)

// TestMerge: the lowest offer unless the operator chooses another, a
// 면세 line without VAT, shipping taxed, an unsupplied line kept with its
// reason, and bad choices or shipping refused with their fields.
func TestMerge(t *testing.T) {
	now := time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC) // 2026.12.01 01:00 KST
	day := quote.Today(now)
	if day.Day() != 1 {
		t.Fatalf("today in Seoul: %s", day)
	}
	when := day.AddDate(0, 0, 3)
	offer := func(ent int64, price int64) *quote.Offer {
		return &quote.Offer{EnterpriseID: ent, EnterpriseName: "기업" + itoa(ent), Status: quote.Offered, UnitPrice: price, AvailableDate: &when}
	}
	r := &quote.Request{ID: 1, Lines: []*quote.Line{
		{ID: 10, Name: "떡 선물세트", TaxType: catalog.Taxable, Quantity: 3, Offers: []*quote.Offer{offer(1, 11000), offer(2, 10500)}},
		{ID: 11, Name: "쌀 10kg", TaxType: catalog.Exempt, Quantity: 2, Offers: []*quote.Offer{offer(1, 30000)}},
		{ID: 12, Name: "현수막", TaxType: catalog.Taxable, Quantity: 1, Offers: []*quote.Offer{{EnterpriseID: 3, EnterpriseName: "기업3", Status: quote.Asked}}},
	}}
	in := quote.RevisionInput{DeliveryDate: when, ValidUntil: day, Shipping: map[int64]int64{1: 3300}}
	v, err := quote.Merge(r, in, 50_000, now)
	if err != nil {
		t.Fatal(err)
	}
	if v.Lines[0].EnterpriseID != 2 || v.Lines[0].Total != 31500 || v.Lines[0].Supply != 28636 || v.Lines[0].VAT != 2864 {
		t.Errorf("lowest offer: %+v", v.Lines[0])
	}
	if v.Lines[1].VAT != 0 || v.Lines[1].Supply != 60000 {
		t.Errorf("면세 line: %+v", v.Lines[1])
	}
	if v.Lines[2].EnterpriseID != 0 || !strings.Contains(v.Lines[2].Unsupplied, "답변") {
		t.Errorf("unanswered line: %+v", v.Lines[2])
	}
	s1 := v.Share(1)
	if s1 == nil || s1.Total != 63300 || s1.Supply != 60000+3000 || s1.VAT != 300 || !s1.OverLimit || v.Share(2).OverLimit {
		t.Errorf("share 1: %+v", s1)
	}
	if v.Total != 31500+63300 || v.Supply+v.VAT != v.Total || v.ShippingTotal != 3300 {
		t.Errorf("totals: %+v", v)
	}

	in.Choice = map[int64]int64{10: 1}
	if v, err = quote.Merge(r, in, 50_000, now); err != nil || v.Lines[0].EnterpriseID != 1 || v.Share(2) != nil {
		t.Errorf("chosen offer: %v %+v", err, v)
	}

	in.Choice = map[int64]int64{10: 3}
	in.Shipping = map[int64]int64{3: 1000, 1: -1}
	in.ValidUntil = day.AddDate(0, 0, -1)
	_, err = quote.Merge(r, in, 50_000, now)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
		t.Fatalf("bad merge: %v", err)
	}
	for _, k := range []string{"choice_10", "shipping_3", "shipping_1", "valid_until"} {
		if ae.Fields[k] == "" {
			t.Errorf("no message for %s: %v", k, ae.Fields)
		}
	}

	// Nothing supplied at all: no quote to send.
	none := &quote.Request{ID: 2, Lines: []*quote.Line{r.Lines[2]}}
	if _, err := quote.Merge(none, quote.RevisionInput{DeliveryDate: when, ValidUntil: day}, 50_000, now); apperr.Code(err) != apperr.Invalid {
		t.Errorf("a quote of nothing: %v", err)
	}
}
