package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/hangul"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

func TestSynonymStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := postgres.NewSynonymStore(testutil.NewDB(t))
	list, err := st.FindSynonyms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 30 {
		t.Fatalf("starter dictionary has %d terms, want at least 30", len(list))
	}
	m := search.SynonymMap(list)
	if !slices.Contains(m["먹는샘물"], "생수") || !slices.Contains(m["생수"], "먹는샘물") || !slices.Contains(m["핸드워시"], "손세정제") {
		t.Errorf("starter dictionary lacks 먹는샘물↔생수 or 핸드워시→손세정제: %v %v", m["먹는샘물"], m["핸드워시"])
	}
	if err := st.AddSynonyms(ctx, []string{" 생수 ", "Drinking  Water"}, nil); err != nil {
		t.Fatalf("AddSynonyms: %v", err)
	}
	list, _ = st.FindSynonyms(ctx)
	m = search.SynonymMap(list)
	if !slices.Contains(m["생수"], "drinking water") || !slices.Contains(m["생수"], "먹는샘물") ||
		!slices.Equal(m["drinking water"], []string{"생수"}) {
		t.Errorf("after add: 생수 → %v, drinking water → %v", m["생수"], m["drinking water"])
	}
	for _, bad := range [][]string{{"생수"}, {"생수", " 생수"}, {"생수", ""}} {
		if err := st.AddSynonyms(ctx, bad, nil); apperr.Code(err) != apperr.Invalid {
			t.Errorf("AddSynonyms(%q) = %v, want Invalid", bad, err)
		}
	}
}

// TestHangulChoseongSQL checks the SQL function the fallback uses against
// the Go one.
func TestHangulChoseongSQL(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	for _, s := range []string{"된장", "전통 재래식 된장 2kg", "쌈장(500g)", "LED", "힣가"} {
		var got string
		if err := pool.QueryRow(context.Background(), `SELECT hangul_choseong($1)`, s).Scan(&got); err != nil {
			t.Fatal(err)
		}
		want := ""
		for _, r := range hangul.Choseong(s) {
			if r != ' ' {
				want += string(r)
			}
		}
		if got != want {
			t.Errorf("hangul_choseong(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestFallbackAnalysis: the fallback answers 초성, 한/영 slips and synonyms.
func TestFallbackAnalysis(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	fx := testutil.SeedSearchFixture(t, pool)
	fb := postgres.NewSearchFallback(pool)
	tests := []struct {
		text string
		want string // a product that must be found
	}{
		{"ㅂㅇ", "Disinfection"}, // 방역
		{"tpwp", "DishSoap"},   // 세제 typed in English mode
		{"살균", "Disinfection"}, // synonym of 방역
		{"설거지세제", "DishSoap"},  // synonym of 주방세제
		{"사과", "AppleJam"},     // plain
		{"tkrhk", "Apple"},     // 사과
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			q := search.Query{Text: tt.text, Page: 1, PerPage: 20, Variants: search.Analyze(tt.text)}
			res, err := fb.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				if h.ProductID == fx.Products[tt.want] {
					return
				}
			}
			t.Errorf("Search(%q) did not find %s: %d hits", tt.text, tt.want, res.Total)
		})
	}
}
