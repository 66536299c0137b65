package curation

import (
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
)

func valid() Input {
	return Input{Slug: "winter-2026", Kind: "campaign", Title: "겨울 기획전", Starts: "2026-12-01T09:00", Ends: "2026-12-31T23:59",
		Status: "published", DiscountKind: "percent", DiscountValue: "10", FundedBy: "coop", Products: "3, 5\n3"}
}

func TestInputBuild(t *testing.T) {
	c, err := valid().build()
	if err != nil {
		t.Fatal(err)
	}
	if c.DiscountValue != 1000 || len(c.ProductIDs) != 2 || c.StartsAt.UTC().Hour() != 0 || c.EndsAt.UTC().Format("15:04") != "14:59" {
		t.Fatalf("built %+v", c)
	}
	for _, tc := range []struct {
		name, field string
		change      func(*Input)
	}{
		{"ends before it starts", "ends", func(in *Input) { in.Ends = "2026-11-30T09:00" }},
		{"ends when it starts", "ends", func(in *Input) { in.Ends = in.Starts }},
		{"percent over 100", "discount_value", func(in *Input) { in.DiscountValue = "101" }},
		{"percent of 100", "discount_value", func(in *Input) { in.DiscountValue = "100" }},
		{"percent with 3 decimals", "discount_value", func(in *Input) { in.DiscountValue = "1.005" }},
		{"won of 0", "discount_value", func(in *Input) { in.DiscountKind, in.DiscountValue = "won", "0" }},
		{"no funder", "funded_by", func(in *Input) { in.FundedBy = "" }},
		{"bad slug", "slug", func(in *Input) { in.Slug = "겨울" }},
		{"bad product number", "products", func(in *Input) { in.Products = "3, x" }},
		{"unknown type", "types", func(in *Input) { in.Types = []string{"corp"} }},
		{"no title", "title", func(in *Input) { in.Title = " " }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.change(&in)
			_, err := in.build()
			var fields apperr.Fields
			if ae, ok := err.(*apperr.Error); ok {
				fields = ae.Fields
			}
			if apperr.Code(err) != apperr.Invalid || fields[tc.field] == "" {
				t.Fatalf("err = %v, fields %v; want Invalid on %s", err, fields, tc.field)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	for in, want := range map[string]int64{"10": 1000, "12.5": 1250, "7%": 700, "0.01": 1, "99.99": 9999} {
		if got, ok := ParsePercent(in); !ok || got != want {
			t.Errorf("ParsePercent(%q) = %d, %v", in, got, ok)
		}
		if back, _ := ParsePercent(FormatPercent(want)); back != want {
			t.Errorf("FormatPercent(%d) does not read back", want)
		}
	}
}
