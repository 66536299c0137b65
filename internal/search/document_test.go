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
