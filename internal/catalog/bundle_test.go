package catalog_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
)

func TestBundleInputValidate(t *testing.T) {
	good := func() catalog.BundleInput {
		return catalog.BundleInput{Name: " 명절 선물세트 ", CategoryID: 1, Price: 30000, Parts: []catalog.BundlePart{
			{ProductID: 1, Quantity: 2, Share: 20000}, {ProductID: 2, OptionID: 5, Quantity: 1, Share: 10000}}}
	}
	in := good()
	if err := in.Validate(); err != nil || in.Name != "명절 선물세트" {
		t.Fatalf("good input: %v, name %q", err, in.Name)
	}
	cases := []struct {
		name   string
		change func(*catalog.BundleInput)
		field  string
		says   string
	}{
		{"shares short of the price", func(in *catalog.BundleInput) { in.Parts[1].Share = 9000 }, "parts", "1,000원 적습니다"},
		{"shares above the price", func(in *catalog.BundleInput) { in.Price = 29000 }, "parts", "1,000원 많습니다"},
		{"one part", func(in *catalog.BundleInput) { in.Parts = in.Parts[:1]; in.Price = 20000 }, "parts", "2개 이상"},
		{"share not divisible", func(in *catalog.BundleInput) {
			in.Parts[0].Share, in.Parts[1].Share = 20001, 9999
		}, "part_1_share", "나누어떨어져야"},
		{"zero quantity", func(in *catalog.BundleInput) { in.Parts[0].Quantity = 0 }, "part_1_quantity", "1개부터 99개"},
		{"same part twice", func(in *catalog.BundleInput) { in.Parts[1].ProductID, in.Parts[1].OptionID = 1, 0 }, "part_2_product", "같은 상품"},
		{"no name", func(in *catalog.BundleInput) { in.Name = "  " }, "name", "공동상품 이름"},
		{"no category", func(in *catalog.BundleInput) { in.CategoryID = 0 }, "category_id", "분류"},
		{"no price", func(in *catalog.BundleInput) { in.Price = 0 }, "price", "판매가"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := good()
			c.change(&in)
			var e *apperr.Error
			if err := in.Validate(); !errors.As(err, &e) || e.Code != apperr.Invalid || !strings.Contains(e.Fields[c.field], c.says) {
				t.Fatalf("Validate = %v (fields %v); want Invalid with %s saying %q", err, e, c.field, c.says)
			}
		})
	}
}

func TestBundleAvailable(t *testing.T) {
	for _, c := range []struct {
		parts []catalog.BundlePart
		want  int
	}{
		{nil, 0},
		{[]catalog.BundlePart{{Quantity: 2, Stock: 7}, {Quantity: 1, Stock: 10}}, 3},
		{[]catalog.BundlePart{{Quantity: 3, Stock: 2}, {Quantity: 1, Stock: 10}}, 0},
		{[]catalog.BundlePart{{Quantity: 1, Stock: -1}, {Quantity: 1, Stock: 10}}, 0},
		{[]catalog.BundlePart{{Quantity: 1, Stock: 8}, {Quantity: 4, Stock: 40}}, 8},
	} {
		if got := catalog.Available(c.parts); got != c.want {
			t.Errorf("Available(%+v) = %d, want %d", c.parts, got, c.want)
		}
	}
}
