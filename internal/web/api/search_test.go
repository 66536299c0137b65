package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// The API says when search runs on the PostgreSQL fallback (the search page
// shows a notice: shop's TestDegradedSearchShowsNotice).
func TestDegradedSearchIsFlagged(t *testing.T) {
	u := &webtest.Unit{Search: func(ctx context.Context, q search.Query) (*search.Result, error) {
		return &search.Result{Total: 1, Page: 1, PerPage: 24, Degraded: true, Hits: []search.Hit{{
			ProductID: 5, Name: "사과잼", NameHighlight: search.HighlightPre + "사과" + search.HighlightPost + "잼",
			EnterpriseName: "희망", EnterpriseType: catalog.SelfSufficiency, ConsumerPrice: 8900, InStock: true,
		}}}, nil
	}}
	_, body := u.Do(t, "GET", "/api/v1/search?q=%EC%82%AC%EA%B3%BC")
	if !strings.Contains(body, `"degraded":true`) {
		t.Errorf("API body lacks degraded:true: %s", body)
	}
}

// The API says what a query was read as, and literal=1 searches the text as
// typed.
func TestSearchReading(t *testing.T) {
	e := webtest.NewEnv(t)
	var out struct {
		Data    []struct{ Name string } `json:"data"`
		Reading *struct{ Kind, Text string }
	}
	e.JSON(t, "/api/v1/search?q=tkrhk", 200, &out)
	if out.Reading == nil || out.Reading.Kind != "hanyeong" || out.Reading.Text != "사과" || len(out.Data) == 0 {
		t.Fatalf("reading %+v, %d hits", out.Reading, len(out.Data))
	}
	out.Reading = nil
	e.JSON(t, "/api/v1/search?q=tkrhk&literal=1", 200, &out)
	if out.Reading != nil {
		t.Errorf("literal search read as %+v", out.Reading)
	}
}
