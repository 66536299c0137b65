package shop_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// The enterprise directory on the demo catalogue, page and API: counts
// per type as the database has them (and under the region filter), filters
// that combine, the name order without legal-form prefixes, name search,
// newest first, paging that keeps the filters, the empty-result message,
// and a bad parameter answered in Korean with the rest of the form kept.
func TestEnterpriseDirectory(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	// Two enterprises whose names start with a legal form: they sort by
	// what follows it.
	for i, name := range []string{"(유)가나다 테스트", "주식회사 힣힣 테스트"} {
		if _, err := e.Pool.Exec(ctx, `INSERT INTO enterprises (external_id, name, type, business_number, region, representative)
			VALUES ($1, $2, 'social_enterprise', $3, 'jeju', '대표')`, "dir-"+strconv.Itoa(i), name, "99100000"+strconv.Itoa(10+i)); err != nil {
			t.Fatal(err)
		}
	}
	dbCount := func(where string, args ...any) int {
		t.Helper()
		var n int
		if err := e.Pool.QueryRow(ctx, `SELECT count(*) FROM enterprises WHERE status = 'active' AND `+where, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	all := dbCount("true")

	// The type counts, as regional centres publish them.
	doc := e.Page(t, "/enterprises", 200)
	chips := doc.Find(".type-counts .chip")
	if chips.Length() != 1+len(catalog.EnterpriseTypes) {
		t.Fatalf("%d type chips", chips.Length())
	}
	chips.Each(func(i int, s *goquery.Selection) {
		got, _ := strconv.Atoi(strings.ReplaceAll(s.Find(".count").Text(), ",", ""))
		want := all
		if i > 0 {
			want = dbCount("type = $1", string(catalog.EnterpriseTypes[i-1]))
		}
		if got != want {
			t.Errorf("chip %q: %d, want %d", s.Text(), got, want)
		}
	})
	// Name order: (유)가나다 is under ㄱ, 주식회사 힣힣 under ㅎ, not first.
	names := func(doc *goquery.Document) []string {
		return doc.Find(".ent-tile h3").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	}
	doc = e.Page(t, "/enterprises?region=jeju&per_page=100", 200)
	got := names(doc)
	if len(got) != dbCount("region = 'jeju'") || got[len(got)-1] != "주식회사 힣힣 테스트" {
		t.Fatalf("jeju by name: %v", got)
	}
	for i := 1; i < len(got); i++ {
		if strings.HasPrefix(got[i-1], "(") && !strings.HasPrefix(got[i], "(") && got[i] < "가나다" {
			t.Fatalf("a name with a legal form sorts before %q: %v", got[i], got)
		}
	}
	if got[0] != "(유)가나다 테스트" && dbCount("region = 'jeju' AND sort_name COLLATE \"C\" < '가나다'") == 0 {
		t.Fatalf("(유)가나다 not first in jeju: %v", got)
	}

	// Type and region combine; the type counts follow the region.
	doc = e.Page(t, "/enterprises?type=social_enterprise&region=jeju", 200)
	if n := doc.Find(".ent-tile").Length(); n != dbCount("type = 'social_enterprise' AND region = 'jeju'") || n < 2 {
		t.Fatalf("social enterprises in jeju: %d", n)
	}
	doc.Find(".ent-tile").Each(func(_ int, s *goquery.Selection) {
		if s.Find(".badge").Text() != "사회적기업" || s.Find(".region").Text() != "제주" {
			t.Errorf("tile %q", s.Text())
		}
		if !strings.Contains(s.Text(), "상품 ") || (!strings.Contains(s.Text(), "인증번호")) {
			t.Errorf("tile without products or certification: %q", s.Text())
		}
	})
	coopJeju := doc.Find(`.type-counts .chip[href*="type=cooperative"] .count`).Text()
	if want := strconv.Itoa(dbCount("type = 'cooperative' AND region = 'jeju'")); coopJeju != want {
		t.Errorf("cooperatives under region jeju: %s, want %s", coopJeju, want)
	}
	if _, ok := doc.Find(`input[name=type][value=social_enterprise]`).Attr("checked"); !ok {
		t.Error("type not kept in the form")
	}
	if _, ok := doc.Find(`#dir-region option[value=jeju]`).Attr("selected"); !ok {
		t.Error("region not kept in the form")
	}

	// Name search.
	doc = e.Page(t, "/enterprises?q="+url.QueryEscape("힣힣"), 200)
	if got := names(doc); len(got) != 1 || got[0] != "주식회사 힣힣 테스트" {
		t.Fatalf("search 힣힣: %v", got)
	}
	// Newest first.
	doc = e.Page(t, "/enterprises?sort=newest&per_page=1", 200)
	var newest string
	if err := e.Pool.QueryRow(ctx, `SELECT name FROM enterprises WHERE status = 'active' ORDER BY created_at DESC, id DESC LIMIT 1`).Scan(&newest); err != nil {
		t.Fatal(err)
	}
	if got := names(doc); len(got) != 1 || got[0] != newest {
		t.Fatalf("newest %v, want %s", got, newest)
	}
	// Paging keeps the filters.
	doc = e.Page(t, "/enterprises?type=social_enterprise&sort=newest&per_page=1", 200)
	next, _ := doc.Find(".pager a[rel=next]").Attr("href")
	if !strings.Contains(next, "type=social_enterprise") || !strings.Contains(next, "sort=newest") || !strings.Contains(next, "page=") {
		t.Fatalf("pager link %q loses the filters", next)
	}
	// Nothing found: a message and a way back.
	doc = e.Page(t, "/enterprises?q="+url.QueryEscape("없는기업이름"), 200)
	if !strings.Contains(doc.Find(".empty").Text(), "조건에 맞는 기업이 없습니다") || doc.Find(`.empty a[href="/enterprises"]`).Length() != 1 {
		t.Fatalf("empty result: %q", doc.Find(".results").Text())
	}
	// A bad type: 400 in Korean, the name search kept.
	doc = e.Page(t, "/enterprises?type=corp&q="+url.QueryEscape("햇살"), 400)
	if !strings.Contains(doc.Find(".facets .field-error").Text(), "기업 유형을 목록에서 골라 주세요") {
		t.Fatalf("bad type message: %q", doc.Find(".facets").Text())
	}
	if v, _ := doc.Find("#dir-q").Attr("value"); v != "햇살" {
		t.Fatalf("search word not kept: %q", v)
	}

	// The API: the same filters and counts.
	var list struct {
		webtest.APIList[struct {
			Name   string `json:"name"`
			Type   string `json:"type"`
			Region string `json:"region"`
		}]
		Counts struct {
			Types []struct {
				Value string `json:"value"`
				Count int    `json:"count"`
			} `json:"types"`
			Regions []struct {
				Value string `json:"value"`
				Count int    `json:"count"`
			} `json:"regions"`
		} `json:"counts"`
	}
	e.JSON(t, "/api/v1/enterprises?type=social_enterprise&region=jeju", 200, &list)
	if list.Pagination.Total != dbCount("type = 'social_enterprise' AND region = 'jeju'") || list.Data[0].Name != "(유)가나다 테스트" &&
		dbCount("region = 'jeju' AND type = 'social_enterprise' AND sort_name COLLATE \"C\" < '가나다'") == 0 {
		t.Fatalf("API: %+v", list)
	}
	for _, c := range list.Counts.Types {
		if want := dbCount("type = $1 AND region = 'jeju'", c.Value); c.Count != want {
			t.Errorf("API type count %s: %d, want %d", c.Value, c.Count, want)
		}
	}
	for _, c := range list.Counts.Regions {
		if want := dbCount("region = $1 AND type = 'social_enterprise'", c.Value); c.Count != want {
			t.Errorf("API region count %s: %d, want %d", c.Value, c.Count, want)
		}
	}
	var bad webtest.APIError
	e.JSON(t, "/api/v1/enterprises?sort=random", 400, &bad)
	e.JSON(t, "/api/v1/enterprises?region=mars", 400, &bad)
}
