package demo_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/demo"
)

func parseDemo(t *testing.T) *catalog.Batch {
	t.Helper()
	b, err := catalog.Parse(bytes.NewReader(demo.Catalogue()), nil)
	if err != nil {
		if ie, ok := err.(*catalog.ImportError); ok {
			for _, r := range ie.Rows {
				t.Error(r)
			}
		}
		t.Fatalf("demo catalogue does not parse: %v", err)
	}
	return b
}

func TestCatalogueIsDeterministic(t *testing.T) {
	if !bytes.Equal(demo.Catalogue(), demo.Catalogue()) {
		t.Fatal("two calls to Catalogue gave different files")
	}
}

func TestCatalogueMeetsTheBrief(t *testing.T) {
	b := parseDemo(t)

	if n := len(b.Enterprises); n < 60 {
		t.Errorf("enterprises = %d, want >= 60", n)
	}
	types := map[catalog.EnterpriseType]int{}
	regions := map[catalog.Region]int{}
	for _, e := range b.Enterprises {
		types[e.Type]++
		regions[e.Region]++
		if e.Mission == "" || e.Representative == "" || e.Phone == "" || e.Address == "" {
			t.Errorf("enterprise %s lacks mission, representative, phone or address", e.ExternalID)
		}
	}
	for _, typ := range catalog.EnterpriseTypes {
		if types[typ] == 0 {
			t.Errorf("no enterprise of type %s", typ)
		}
	}
	if len(regions) < 8 {
		t.Errorf("regions = %d (%v), want >= 8", len(regions), regions)
	}
	if regions["daegu"] < regions["seoul"] || regions["daegu"]+regions["gyeongbuk"] < len(b.Enterprises)/3 {
		t.Errorf("Daegu/경북 should weigh most: %v", regions)
	}

	if n := len(b.Products); n < 600 {
		t.Errorf("products = %d, want >= 600", n)
	}
	parents := map[string]string{}
	for _, c := range b.Categories {
		parents[c.ExternalID] = c.ParentRef
	}
	leavesWithProducts := map[string]int{}
	var outOfStock, featured, withOptions, exempt, taxable int
	for _, p := range b.Products {
		leavesWithProducts[p.CategoryRef]++
		if p.ConsumerPrice%100 != 0 || p.PublicPrice%100 != 0 {
			t.Errorf("%s %q: prices %d/%d do not end in 00", p.ExternalID, p.Name, p.ConsumerPrice, p.PublicPrice)
		}
		if p.PublicPrice > p.ConsumerPrice {
			t.Errorf("%s: public price %d above consumer price %d", p.ExternalID, p.PublicPrice, p.ConsumerPrice)
		}
		isService := parents[p.CategoryRef] == "cat-services"
		if isService != (p.Kind == catalog.Service) {
			t.Errorf("%s in %s has kind %s", p.ExternalID, p.CategoryRef, p.Kind)
		}
		if len(p.Images) != 0 {
			t.Errorf("%s has images; the web layer draws them", p.ExternalID)
		}
		if p.Summary == "" || p.Description == "" {
			t.Errorf("%s lacks summary or description", p.ExternalID)
		}
		if p.Stock == 0 {
			outOfStock++
		}
		if p.Featured {
			featured++
		}
		if len(p.Options) > 0 {
			withOptions++
		}
		if p.TaxType == catalog.Exempt {
			exempt++
		} else {
			taxable++
		}
	}
	if len(leavesWithProducts) < 12 {
		t.Errorf("categories with products = %d, want >= 12", len(leavesWithProducts))
	}
	for _, leaf := range []string{"cat-cleaning", "cat-print-design", "cat-catering", "cat-education", "cat-fruit-veg", "cat-detergent"} {
		if leavesWithProducts[leaf] < 5 {
			t.Errorf("category %s has %d products, want >= 5", leaf, leavesWithProducts[leaf])
		}
	}
	for name, n := range map[string]int{"out of stock": outOfStock, "featured": featured, "with options": withOptions,
		"exempt": exempt, "taxable": taxable} {
		if n < 10 {
			t.Errorf("products %s = %d, want >= 10", name, n)
		}
	}

	for _, q := range []string{"사과", "세제", "청소", "김치", "도시락", "인쇄"} {
		n := 0
		for _, p := range b.Products {
			if strings.Contains(p.Name, q) {
				n++
			}
		}
		if n < 5 {
			t.Errorf("products named with %q = %d, want several", q, n)
		}
	}
}
