package search

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestWeekOfIsTheKoreanMonday(t *testing.T) {
	for _, tc := range []struct{ at, want string }{
		{"2026-11-30T00:00:00+09:00", "2026-11-30"}, // Monday 00:00 KST
		{"2026-11-29T23:59:59+09:00", "2026-11-23"}, // Sunday night KST
		{"2026-11-29T15:30:00Z", "2026-11-30"},      // Monday 00:30 KST, still Sunday in UTC
		{"2026-12-06T14:59:59Z", "2026-11-30"},      // Sunday 23:59 KST
		{"2027-01-01T12:00:00+09:00", "2026-12-28"}, // a week across the new year
	} {
		at, err := time.Parse(time.RFC3339, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if got := WeekOf(at).Format(time.DateOnly); got != tc.want {
			t.Errorf("WeekOf(%s) = %s, want %s", tc.at, got, tc.want)
		}
	}
}

func TestStatsQueryKeepsNoPersonalData(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"  청송   꿀사과 ", "청송 꿀사과", true},
		{"Apple JUICE", "apple juice", true},
		{"사과 10kg 3박스", "사과 10kg 3박스", true},
		{"2026년 선물세트", "2026년 선물세트", true},
		{"010-1234-5678", "", false},
		{"010 1234 5678", "", false},
		{"hong@example.com", "", false},
		{"주문 D2K7Q9 123456", "", false},
		{"", "", false},
		{"   ", "", false},
	} {
		got, ok := StatsQuery(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("StatsQuery(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	long := string(make([]rune, 0))
	for range 150 {
		long += "가"
	}
	if got, ok := StatsQuery(long); !ok || len([]rune(got)) != MaxStatsLength {
		t.Errorf("a 150-rune query kept as %d runes, ok=%v; want %d", len([]rune(got)), ok, MaxStatsLength)
	}
}

func TestSplitGroup(t *testing.T) {
	got := SplitGroup(" 애플, 사과 ,,두루마리 휴지/화장지\n휴지 ")
	want := []string{"애플", "사과", "두루마리 휴지", "화장지", "휴지"}
	if !slices.Equal(got, want) {
		t.Errorf("SplitGroup = %q, want %q", got, want)
	}
}

// failingStats is a StatsStore whose writes fail until ok is set: the
// tally's own bookkeeping (keep counts across a failed flush) is pure logic.
type failingStats struct {
	ok  bool
	got []QueryStat
}

func (f *failingStats) AddQueryStats(_ context.Context, s []QueryStat) error {
	if !f.ok {
		return errors.New("database down")
	}
	f.got = append(f.got, s...)
	return nil
}
func (f *failingStats) FindQueryStats(context.Context, time.Time, StatsOrder, int) ([]QueryStat, error) {
	return nil, nil
}
func (f *failingStats) StatsWeeks(context.Context, int) ([]time.Time, error) { return nil, nil }

func TestTallyKeepsCountsAcrossAFailedFlush(t *testing.T) {
	st := &failingStats{}
	tl := NewTally(st)
	tl.now = func() time.Time { return time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC) }
	tl.Search("사과", 12)
	tl.Search(" 사과", 0)
	tl.Click("사과")
	tl.Search("010-1234-5678", 0) // never counted
	if err := tl.Flush(context.Background()); err == nil {
		t.Fatal("flush into a failing store: no error")
	}
	tl.Search("사과", 3)
	st.ok = true
	if err := tl.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(st.got) != 1 {
		t.Fatalf("flushed %d rows, want 1 (%+v)", len(st.got), st.got)
	}
	g := st.got[0]
	if g.Query != "사과" || g.Searches != 3 || g.ZeroResults != 1 || g.Clicks != 1 || g.Week.Format(time.DateOnly) != "2026-11-30" {
		t.Errorf("flushed %+v, want 사과 week 2026-11-30: 3 searches, 1 zero, 1 click", g)
	}
	if err := tl.Flush(context.Background()); err != nil || len(st.got) != 1 {
		t.Errorf("an empty flush wrote again (%d rows, err %v)", len(st.got), err)
	}
	var nilTally *Tally
	nilTally.Search("사과", 1) // a nil tally counts nothing and does not panic
}
