package catalog

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
)

func TestParseTiers(t *testing.T) {
	cases := []struct {
		in   string
		want []Tier
		bad  bool
	}{
		{"", nil, false},
		{"100:9000;500:8500", []Tier{{100, 9000}, {500, 8500}}, false},
		{" 500 : 8,500원 ; 1,000개:8000 ;", []Tier{{500, 8500}, {1000, 8000}}, false},
		{"50:8000\r\n10:9000", []Tier{{10, 9000}, {50, 8000}}, false},
		{"100=9000", nil, true},
		{"열:9000", nil, true},
		{"10:9000;10", nil, true},
	}
	for _, c := range cases {
		got, err := ParseTiers(c.in)
		if (err != nil) != c.bad {
			t.Errorf("ParseTiers(%q) err = %v", c.in, err)
			continue
		}
		if c.bad {
			if !strings.Contains(err.Error(), "수량") {
				t.Errorf("ParseTiers(%q) message %q is not the Korean one", c.in, err)
			}
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("ParseTiers(%q) = %v, want %v", c.in, got, c.want)
		}
		if back, _ := ParseTiers(FormatTiers(got)); !slices.Equal(back, got) {
			t.Errorf("round trip of %q = %v", c.in, back)
		}
	}
}

func TestValidateTiers(t *testing.T) {
	base := func() *Product {
		return &Product{CategoryID: 1, Kind: Goods, Name: "비누", TaxType: Taxable, ConsumerPrice: 10000, PublicPrice: 9000}
	}
	cases := []struct {
		name     string
		consumer []Tier
		public   []Tier
		field    string // "" when valid
		msg      string
	}{
		{"none", nil, nil, "", ""},
		{"five tiers", []Tier{{2, 9999}, {3, 9998}, {4, 9997}, {5, 9996}, {6, 9995}}, nil, "", ""},
		{"six tiers", []Tier{{2, 9999}, {3, 9998}, {4, 9997}, {5, 9996}, {6, 9995}, {7, 9994}}, nil, "consumer_tiers", "5개까지"},
		{"quantity 1", []Tier{{1, 9000}}, nil, "consumer_tiers", "2개 이상"},
		{"equal to the base", []Tier{{10, 10000}}, nil, "consumer_tiers", "기본 가격 10,000원보다 낮아야"},
		{"public tier against the public base", nil, []Tier{{100, 9500}}, "public_tiers", "기본 가격 9,000원보다"},
		{"public tier below its base, above consumer tiers", []Tier{{10, 8000}}, []Tier{{100, 8500}}, "", ""},
		{"not lower for more", []Tier{{10, 9000}, {50, 9000}}, nil, "consumer_tiers", "많을수록 낮아야"},
		{"same quantity twice", []Tier{{10, 9000}, {10, 8000}}, nil, "consumer_tiers", "두 번"},
		{"zero price", []Tier{{10, 0}}, nil, "consumer_tiers", "1원 이상"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base()
			p.ConsumerTiers, p.PublicTiers = c.consumer, c.public
			p.Normalize()
			err := p.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != apperr.Invalid || !strings.Contains(ae.Fields[c.field], c.msg) {
				t.Fatalf("Validate() = %v, want %s saying %q", err, c.field, c.msg)
			}
		})
	}
}

func TestNormalizeSortsTiers(t *testing.T) {
	p := &Product{ConsumerTiers: []Tier{{50, 8000}, {10, 9000}}}
	p.Normalize()
	if p.ConsumerTiers[0].MinQuantity != 10 {
		t.Errorf("tiers = %v, want sorted", p.ConsumerTiers)
	}
	if got := p.ConsumerTiers[0].String(); got != "10개 이상 개당 9,000원" {
		t.Errorf("String() = %q", got)
	}
}
