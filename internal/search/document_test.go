package search_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
)

func TestBuildDocument(t *testing.T) {
	t.Parallel()
	root := int64(1)
	cats := catalog.NewCategoryIndex([]*catalog.Category{
		{ID: 1, Slug: "food", Name: "식품"},
		{ID: 2, Slug: "fruit", Name: "과일", ParentID: &root},
	})
	created := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	p := &catalog.Product{ID: 7, EnterpriseID: 3, CategoryID: 2, Kind: catalog.Goods, Name: " 꿀사과 ",
		Description: strings.Repeat("사과", search.MaxDescriptionRunes), TaxType: catalog.Exempt,
		ConsumerPrice: 39000, PublicPrice: 35000, Stock: 0, Popularity: 4, Featured: true, CreatedAt: created,
		Images: []catalog.Image{{URL: "/a.svg"}, {URL: "/b.svg"}}}
	e := &catalog.Enterprise{ID: 3, Name: "청송사과마을", Type: catalog.VillageEnterprise, Region: "gyeongbuk"}
	d := search.BuildDocument(p, e, cats.Path(2), search.Reviews{Count: 12, Sum: 55})
	if d.RatingAvg != 458 || d.ReviewCount != 12 {
		t.Errorf("rating = %d of %d, want 458 of 12", d.RatingAvg, d.ReviewCount)
	}
	if d.Name != "꿀사과" || d.EnterpriseName != "청송사과마을" || d.EnterpriseType != catalog.VillageEnterprise ||
		d.Region != "gyeongbuk" || d.InStock || d.CreatedAt != created.Unix() || d.ImageURL != "/a.svg" || !d.Featured {
		t.Errorf("BuildDocument = %+v", d)
	}
	if len(d.CategoryIDs) != 2 || d.CategoryIDs[0] != 1 || d.CategoryIDs[1] != 2 ||
		strings.Join(d.CategoryNames, ">") != "식품>과일" {
		t.Errorf("categories = %v %v, want [1 2] [식품 과일]", d.CategoryIDs, d.CategoryNames)
	}
	if n := utf8.RuneCountInString(d.Description); n != search.MaxDescriptionRunes {
		t.Errorf("description has %d runes, want %d", n, search.MaxDescriptionRunes)
	}
	// A category missing from the path still filters.
	if d := search.BuildDocument(p, e, nil, search.Reviews{}); len(d.CategoryIDs) != 1 || d.CategoryIDs[0] != 2 {
		t.Errorf("without a path CategoryIDs = %v, want [2]", d.CategoryIDs)
	}
}

func TestReviewsAvg(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ count, sum, want int }{
		{0, 0, 0}, {1, 5, 500}, {2, 9, 450}, {3, 14, 467}, {3, 13, 433}, {8, 37, 463}, {200, 911, 456},
	} {
		if got := (search.Reviews{Count: tc.count, Sum: tc.sum}).Avg(); got != tc.want {
			t.Errorf("Reviews{%d, %d}.Avg() = %d, want %d", tc.count, tc.sum, got, tc.want)
		}
	}
}

func TestEnrichName(t *testing.T) {
	t.Parallel()
	jamo, cho := search.EnrichName("수제맥주 유기농 쌀 2kg")
	has := func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	}
	for _, want := range []string{
		"tnwpaorwn",   // 수제맥주
		"aorwn",       // 맥주: the noun inside the compound
		"dbrlshdttkf", // 유기농쌀: spacing ignored
		"dbrlshd", "ttkf",
	} {
		if !has(jamo, want) {
			t.Errorf("jamo %v lacks %q", jamo, want)
		}
	}
	for _, want := range []string{"twaw", "aw", "drstt"} {
		if !has(cho, want) {
			t.Errorf("choseong %v lacks %q", cho, want)
		}
	}
	if j, c := search.EnrichName("LED 2kg"); len(j) != 0 || len(c) != 0 {
		t.Errorf("EnrichName(Latin) = %v, %v; want nothing", j, c)
	}
}

func TestCardImpact(t *testing.T) {
	t.Parallel()
	base := search.Document{ID: 7, Name: "청송 꿀사과 5kg", CategoryIDs: []int64{1, 2}, ConsumerPrice: 39000, PublicPrice: 35000,
		InStock: true, Stock: 50, Popularity: 4}
	change := func(f func(d *search.Document)) search.Document {
		d := base
		f(&d)
		return d
	}
	old := search.CardOf(&base)
	for _, tc := range []struct {
		name string
		doc  search.Document
		want search.Impact
	}{
		{"stock count", change(func(d *search.Document) { d.Stock = 49 }), search.ImpactNone},
		{"public price", change(func(d *search.Document) { d.PublicPrice = 34000 }), search.ImpactNone},
		{"consumer price", change(func(d *search.Document) { d.ConsumerPrice = 36000 }), search.ImpactSortKey},
		{"rating", change(func(d *search.Document) { d.RatingAvg, d.ReviewCount = 450, 2 }), search.ImpactSortKey},
		{"review count", change(func(d *search.Document) { d.ReviewCount = 3 }), search.ImpactSortKey},
		{"sold out", change(func(d *search.Document) { d.Stock, d.InStock = 0, false }), search.ImpactIndex},
		{"name", change(func(d *search.Document) { d.Name = "청송 꿀사과 3kg" }), search.ImpactIndex},
		{"category", change(func(d *search.Document) { d.CategoryIDs = []int64{1, 3} }), search.ImpactIndex},
		{"popularity", change(func(d *search.Document) { d.Popularity = 5 }), search.ImpactIndex},
	} {
		if got := search.CardImpact(old, true, search.CardOf(&tc.doc)); got != tc.want {
			t.Errorf("%s: impact %d, want %d", tc.name, got, tc.want)
		}
	}
	if got := search.CardImpact(search.Card{}, false, old); got != search.ImpactIndex {
		t.Errorf("a product without a card: impact %d, want ImpactIndex", got)
	}
	h := search.Hit{ProductID: 7, ConsumerPrice: 1, InStock: false}
	search.CardOf(&base).Show(&h)
	if h.ConsumerPrice != 39000 || h.PublicPrice != 35000 || !h.InStock {
		t.Errorf("Show = %+v", h)
	}
}

func TestSortKeyed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		q    search.Query
		want bool
	}{
		{search.Query{Text: "사과"}, false},
		{search.Query{Sort: search.SortNewest, InStock: true}, false},
		{search.Query{Sort: search.SortPopular}, false},
		{search.Query{Sort: search.SortPriceAsc}, true},
		{search.Query{Sort: search.SortPriceDesc}, true},
		{search.Query{Sort: search.SortRating}, true},
		{search.Query{MinPrice: 10000}, true},
		{search.Query{MaxPrice: 30000}, true},
	} {
		if got := tc.q.SortKeyed(); got != tc.want {
			t.Errorf("%+v.SortKeyed() = %v, want %v", tc.q, got, tc.want)
		}
	}
}
