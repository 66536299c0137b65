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
