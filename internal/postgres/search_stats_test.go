package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

func TestSearchStatsStoreAddsUpAndLists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := postgres.NewSearchStatsStore(testutil.NewDB(t))
	week := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	prev := week.AddDate(0, 0, -7)
	add := func(s ...search.QueryStat) {
		t.Helper()
		if err := st.AddQueryStats(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	add(search.QueryStat{Week: week, Query: "사과", Searches: 5, Clicks: 2},
		search.QueryStat{Week: week, Query: "애플 주스", Searches: 3, ZeroResults: 3},
		search.QueryStat{Week: week, Query: "텀블러", Searches: 2},
		search.QueryStat{Week: prev, Query: "사과", Searches: 9, Clicks: 9})
	// A second instance's tally adds to the same rows.
	add(search.QueryStat{Week: week, Query: "사과", Searches: 1, ZeroResults: 1, Clicks: 1},
		search.QueryStat{Week: week, Query: "텀블러", Searches: 4})

	queries := func(order search.StatsOrder) []string {
		t.Helper()
		list, err := st.FindQueryStats(ctx, week, order, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range list {
			out = append(out, s.Query)
		}
		return out
	}
	if got := queries(search.StatsTop); !slices.Equal(got, []string{"사과", "텀블러", "애플 주스"}) {
		t.Errorf("top = %q", got)
	}
	if got := queries(search.StatsZero); !slices.Equal(got, []string{"애플 주스", "사과"}) {
		t.Errorf("zero = %q, want 애플 주스 (3) then 사과 (1)", got)
	}
	// 애플 주스 found nothing at all: not a "nobody clicked" query.
	if got := queries(search.StatsNoClick); !slices.Equal(got, []string{"텀블러"}) {
		t.Errorf("noclick = %q", got)
	}
	top, _ := st.FindQueryStats(ctx, week, search.StatsTop, 1)
	if len(top) != 1 || top[0].Searches != 6 || top[0].ZeroResults != 1 || top[0].Clicks != 3 {
		t.Errorf("사과 this week = %+v, want 6 searches, 1 zero, 3 clicks", top)
	}
	weeks, err := st.StatsWeeks(ctx, 10)
	if err != nil || len(weeks) != 2 || !weeks[0].Equal(week) || !weeks[1].Equal(prev) {
		t.Errorf("weeks = %v (%v), want [%s %s]", weeks, err, week, prev)
	}
	// The table refuses a week that is not a Monday.
	if err := st.AddQueryStats(ctx, []search.QueryStat{{Week: week.AddDate(0, 0, 1), Query: "x", Searches: 1}}); err == nil {
		t.Error("a Tuesday week was stored")
	}
}

func TestRemoveSynonym(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := postgres.NewSynonymStore(testutil.NewDB(t))
	if err := st.AddSynonyms(ctx, []string{"애플", "사과"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.AddSynonyms(ctx, []string{"보온병", "텀블러", "물병"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.RemoveSynonym(ctx, " 애플 ", nil); err != nil {
		t.Fatalf("RemoveSynonym: %v", err)
	}
	if err := st.RemoveSynonym(ctx, "물병", nil); err != nil {
		t.Fatal(err)
	}
	list, err := st.FindSynonyms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m := search.SynonymMap(list)
	if _, ok := m["애플"]; ok {
		t.Errorf("애플 still has an entry: %v", m["애플"])
	}
	if _, ok := m["사과"]; ok {
		t.Errorf("사과 kept an entry with no synonym left: %v", m["사과"])
	}
	if !slices.Equal(m["보온병"], []string{"텀블러"}) || !slices.Equal(m["텀블러"], []string{"보온병"}) {
		t.Errorf("보온병 → %v, 텀블러 → %v; want each other only", m["보온병"], m["텀블러"])
	}
	if err := st.RemoveSynonym(ctx, "없는말", nil); apperr.Code(err) != apperr.NotFound {
		t.Errorf("removing an unknown word: %v, want NotFound", err)
	}
}
