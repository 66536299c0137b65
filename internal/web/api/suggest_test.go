package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web"
)

// suggestFn is a Suggester from a function (for the handler's own logic; the
// real Suggester is tested against Meilisearch in internal/meilisearch).
type suggestFn func(ctx context.Context, text string, limit int) ([]search.Suggestion, error)

func (f suggestFn) Suggest(ctx context.Context, text string, limit int) ([]search.Suggestion, error) {
	return f(ctx, text, limit)
}

func TestSuggestHandler(t *testing.T) {
	t.Parallel()
	var asked string
	s := suggestFn(func(_ context.Context, text string, limit int) ([]search.Suggestion, error) {
		asked = text
		if text == "boom" {
			return nil, errors.New("engine down")
		}
		return []search.Suggestion{
			{Type: search.SuggestProduct, Text: "전통 재래식 된장 2kg", ID: 7},
			{Type: search.SuggestCategory, Text: "장류·소스", ID: 4},
		}, nil
	})
	app, kit := web.New(web.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	kit.JSONErrors("/api/")
	app.Get("/api/v1/suggest", SuggestHandler(s))
	get := func(q string) (int, apiSuggestResponse) {
		t.Helper()
		resp, err := app.Test(httptest.NewRequest("GET", "/api/v1/suggest?q="+url.QueryEscape(q), nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body apiSuggestResponse
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}

	status, body := get("  ㄷㅈ ")
	want := []apiSuggestion{{"product", "전통 재래식 된장 2kg", "/p/7"}, {"category", "장류·소스", "/search?category=4"}}
	if status != 200 || asked != "ㄷㅈ" || len(body.Data) != 2 || body.Data[0] != want[0] || body.Data[1] != want[1] {
		t.Errorf("suggest ㄷㅈ = %d %+v (asked %q), want 200 %+v", status, body, asked, want)
	}
	asked = ""
	if status, body := get(""); status != 200 || body.Data == nil || len(body.Data) != 0 || asked != "" {
		t.Errorf("blank = %d %+v (asked %q), want 200 and an empty list without asking", status, body, asked)
	}
	if status, _ := get(strings.Repeat("가", search.MaxTextLen+1)); status != 400 {
		t.Errorf("too long = %d, want 400", status)
	}
	if status, _ := get("boom"); status < 500 {
		t.Errorf("engine failure = %d, want 5xx", status)
	}
}
