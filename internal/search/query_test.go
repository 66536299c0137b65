package search_test

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
)

func TestParseQuery(t *testing.T) {
	t.Parallel()
	def := func(mod func(*search.Query)) search.Query {
		q := search.Query{Page: 1, PerPage: search.DefaultPerPage}
		if mod != nil {
			mod(&q)
		}
		return q
	}
	tests := []struct {
		name  string
		query string
		want  search.Query
	}{
		{"empty", "", def(nil)},
		{"text trimmed and spaces collapsed", "q=%20%20%EC%82%AC%EA%B3%BC%20%20%EC%A6%99%20", def(func(q *search.Query) { q.Text = "사과 즙" })},
		{"every filter", "q=세제&category=3&enterprise=7&type=cooperative&type=social_enterprise&region=daegu&region=seoul" +
			"&tax=taxable&kind=goods&min_price=1000&max_price=20%2C000&in_stock=1&sort=price_asc&page=2&per_page=60",
			def(func(q *search.Query) {
				q.Text, q.CategoryID, q.EnterpriseID = "세제", 3, 7
				q.EnterpriseTypes = []catalog.EnterpriseType{catalog.Cooperative, catalog.SocialEnterprise}
				q.Regions = []catalog.Region{"daegu", "seoul"}
				q.TaxType, q.Kind = catalog.Taxable, catalog.Goods
				q.MinPrice, q.MaxPrice, q.InStock = 1000, 20000, true
				q.Sort, q.Page, q.PerPage = search.SortPriceAsc, 2, 60
			})},
		{"comma separated types, duplicates dropped", "type=cooperative,village_enterprise&type=cooperative",
			def(func(q *search.Query) {
				q.EnterpriseTypes = []catalog.EnterpriseType{catalog.Cooperative, catalog.VillageEnterprise}
			})},
		{"empty parameters ignored", "category=&min_price=&type=&sort=&page=", def(nil)},
		{"relevance spelled out", "sort=relevance", def(nil)},
		{"in_stock=0", "in_stock=0", def(nil)},
		{"max price alone", "max_price=5000", def(func(q *search.Query) { q.MaxPrice = 5000 })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := search.ParseQuery(v)
			if err != nil {
				t.Fatalf("ParseQuery(%q) error: %v", tt.query, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseQuery(%q)\n got  %+v\n want %+v", tt.query, got, tt.want)
			}
		})
	}
}

func TestParseQueryInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query, field string
	}{
		{"page not a number", "page=abc", "page"},
		{"page zero", "page=0", "page"},
		{"page negative", "page=-1", "page"},
		{"page too large", "page=401", "page"},
		{"page overflow", "page=99999999999999999999", "page"},
		{"per_page too large", "per_page=61", "per_page"},
		{"per_page zero", "per_page=0", "per_page"},
		{"category not a number", "category=fruit", "category"},
		{"enterprise float", "enterprise=1.5", "enterprise"},
		{"min price text", "min_price=cheap", "min_price"},
		{"max price negative", "max_price=-5", "max_price"},
		{"min above max", "min_price=5000&max_price=1000", "min_price"},
		{"unknown type", "type=company", "type"},
		{"unknown region", "region=tokyo", "region"},
		{"unknown tax", "tax=vat", "tax"},
		{"unknown kind", "kind=digital", "kind"},
		{"unknown sort", "sort=cheapest", "sort"},
		{"bad in_stock", "in_stock=yes please", "in_stock"},
		{"text too long", "q=" + strings.Repeat("가", search.MaxTextLen+1), "q"},
		{"NUL in the text", "q=%EC%82%AC%00%EA%B3%BC", "q"},      // PostgreSQL's 22021, a 500 on the fallback
		{"broken UTF-8 in the text", "q=%EC%82%AC%FF", "q"},      // idem
		{"control character in the text", "q=%EC%82%AC%1B", "q"}, // an escape sequence
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			_, err = search.ParseQuery(v)
			if apperr.Code(err) != apperr.Invalid {
				t.Fatalf("ParseQuery(%q) = %v, want Invalid", tt.query, err)
			}
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Fields[tt.field] == "" || ae.Message == "" {
				t.Errorf("ParseQuery(%q) = %#v, want a Korean message for field %q", tt.query, err, tt.field)
			}
		})
	}
}

func TestValidateLimits(t *testing.T) {
	t.Parallel()
	ok := search.Query{Page: search.MaxPage, PerPage: search.MaxPerPage, Text: strings.Repeat("가", search.MaxTextLen)}
	if err := ok.Validate(); err != nil {
		t.Errorf("Validate(at the limits) = %v, want nil", err)
	}
	for name, q := range map[string]search.Query{
		"zero value":      {},
		"negative prices": {Page: 1, PerPage: 1, MinPrice: -1},
		"bad sort":        {Page: 1, PerPage: 1, Sort: "x"},
		"negative cat":    {Page: 1, PerPage: 1, CategoryID: -3},
	} {
		if err := q.Validate(); apperr.Code(err) != apperr.Invalid {
			t.Errorf("Validate(%s) = %v, want Invalid", name, err)
		}
	}
}
