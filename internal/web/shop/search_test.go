package shop_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/webtest"
)

func TestDegradedSearchShowsNotice(t *testing.T) {
	u := &webtest.Unit{Search: func(ctx context.Context, q search.Query) (*search.Result, error) {
		return &search.Result{Total: 1, Page: 1, PerPage: 24, Degraded: true, Hits: []search.Hit{{
			ProductID: 5, Name: "사과잼", NameHighlight: search.HighlightPre + "사과" + search.HighlightPost + "잼",
			EnterpriseName: "희망", EnterpriseType: catalog.SelfSufficiency, ConsumerPrice: 8900, InStock: true,
		}}}, nil
	}}
	resp, body := u.Do(t, "GET", "/search?q=%EC%82%AC%EA%B3%BC")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"검색이 잠시 간소화된 모드로 동작 중입니다", "<mark>사과</mark>잼", "8,900원", "/media/products/5.svg"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// A 한/영 slip is searched as the Hangul it stands for, and the page says so
// with a link to the text as typed, which searches only that.
func TestSearchSaysWhatItReadTheQueryAs(t *testing.T) {
	e := webtest.NewEnv(t)
	doc := e.Page(t, "/search?q=tkrhk", 200)
	note := doc.Find(".reading-note")
	if !strings.Contains(note.Text(), "'사과'(으)로 검색한 결과입니다.") {
		t.Fatalf("no reading note: %q", note.Text())
	}
	href, _ := note.Find("a").Attr("href")
	if !strings.Contains(href, "literal=1") || !strings.Contains(href, "q=tkrhk") {
		t.Fatalf("literal link %q", href)
	}
	lit := e.Page(t, href, 200)
	if lit.Find(".reading-note").Length() != 0 {
		t.Errorf("the literal search still says it read the query otherwise")
	}
	if n := lit.Find(".card").Length(); n >= doc.Find(".card").Length() {
		t.Errorf("the literal search found %d cards, the read one %d", n, doc.Find(".card").Length())
	}
}
