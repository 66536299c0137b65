package meilisearch_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
)

// TestKoreanAnalysis runs analysed queries (search.Service) against
// Meilisearch on the fixture: 초성, 한/영 slips, a one-jamo typo, a noun inside
// a compound, spacing and a pushed synonym.
func TestKoreanAnalysis(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	ctx := context.Background()
	store := postgres.NewSynonymStore(e.pool)
	if err := store.AddSynonyms(ctx, []string{"주방세제", "퐁퐁"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.client.WithSynonyms(store).PushSynonyms(ctx); err != nil {
		t.Fatalf("PushSynonyms: %v", err)
	}
	svc := search.NewService(e.client, postgres.NewSearchFallback(e.pool), 5*time.Second, nil, nil)
	tests := []struct {
		text  string
		first string // the product that must rank first
	}{
		{"ㅂㅇ", "Disinfection"},
		{"tkrhkwmq", "AppleJuice"}, // 사과즙
		{"주방쎄제", "DishSoap"},       // one jamo off
		{"세탁세재", "LaundrySoap"},
		{"꿀사과", "Apple"},
		{"칫솔", "Toothbrush"},
		{"대나무칫솔", "Toothbrush"},
		{"퐁퐁", "DishSoap"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			res := mustSearch(t, svc, q(tt.text))
			if res.Degraded || len(res.Hits) == 0 || res.Hits[0].ProductID != e.fx.Products[tt.first] {
				t.Errorf("Search(%q) = %v (degraded %v), want %s first", tt.text, ids(res), res.Degraded, tt.first)
			}
		})
	}
	// A name found through a synonym is marked where the synonym stands, as
	// Meilisearch matched it.
	res := mustSearch(t, svc, q("퐁퐁"))
	if want := "친환경 " + search.HighlightPre + "주방세제" + search.HighlightPost + " 500ml"; len(res.Hits) == 0 || res.Hits[0].NameHighlight != want {
		t.Errorf("Search(퐁퐁) first NameHighlight = %q, want %q", hl(res), want)
	}
	// A Latin query is not mangled into Hangul.
	if v := search.Analyze("organic"); len(v) != 1 || v[0].Text != "organic" {
		t.Errorf("Analyze(organic) = %v", v)
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "", "")
	ctx := context.Background()
	for _, text := range []string{"사과", "ㅅㄱ", "tkrhk"} {
		got, err := e.client.Suggest(ctx, text, 5)
		if err != nil {
			t.Fatalf("Suggest(%q): %v", text, err)
		}
		var names, cats []string
		for _, s := range got {
			switch s.Type {
			case search.SuggestProduct:
				names = append(names, s.Text)
			case search.SuggestCategory:
				cats = append(cats, s.Text)
			}
		}
		if !slices.Contains(names, "청송 꿀사과 5kg") || !slices.Contains(names, "사과즙 30포") || slices.Contains(names, "수제 사과 파이") {
			t.Errorf("Suggest(%q) names = %q", text, names)
		}
		if len(cats) == 0 {
			t.Errorf("Suggest(%q) has no category: %v", text, got)
		}
	}
	if got, err := e.client.Suggest(ctx, "  ", 5); err != nil || len(got) != 0 {
		t.Errorf("Suggest(blank) = %v, %v", got, err)
	}
	if _, err := e.client.Suggest(ctx, strings.Repeat("가", search.MaxTextLen+1), 5); apperr.Code(err) != apperr.Invalid {
		t.Errorf("Suggest(too long) err = %v, want Invalid", err)
	}
}

// hl is the first hit's NameHighlight ("" without hits).
func hl(res *search.Result) string {
	if len(res.Hits) == 0 {
		return ""
	}
	return res.Hits[0].NameHighlight
}
