package coop_test

import (
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/coop"
)

// holidays2026 is the part of the seeded 2026 calendar the cases cross.
var holidays2026 = coop.NewCalendar([]coop.Holiday{
	{Day: coop.Date(2026, 9, 24), Name: "추석 연휴"}, {Day: coop.Date(2026, 9, 25), Name: "추석"},
	{Day: coop.Date(2026, 9, 26), Name: "추석 연휴"},
	{Day: coop.Date(2026, 10, 3), Name: "개천절"}, {Day: coop.Date(2026, 10, 5), Name: "대체공휴일(개천절)"},
	{Day: coop.Date(2026, 10, 9), Name: "한글날"},
	{Day: coop.Date(2026, 12, 25), Name: "성탄절"},
})

func TestAddWorkingDays(t *testing.T) {
	for _, c := range []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"plain week", coop.Date(2026, 11, 2), 5, coop.Date(2026, 11, 9)},
		{"over a weekend", coop.Date(2026, 11, 5), 2, coop.Date(2026, 11, 9)},
		{"from a Saturday", coop.Date(2026, 11, 7), 1, coop.Date(2026, 11, 9)},
		{"across 추석", coop.Date(2026, 9, 23), 5, coop.Date(2026, 10, 2)},
		{"across 개천절's substitute holiday", coop.Date(2026, 10, 2), 1, coop.Date(2026, 10, 6)},
		{"추석, then the substitute holiday and 한글날", coop.Date(2026, 9, 23), 10, coop.Date(2026, 10, 13)},
		{"over 성탄절", coop.Date(2026, 12, 24), 1, coop.Date(2026, 12, 28)},
		{"zero", coop.Date(2026, 9, 25), 0, coop.Date(2026, 9, 25)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := holidays2026.AddWorkingDays(c.from, c.n); !got.Equal(c.want) {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", c.from.Format(time.DateOnly), c.n,
					got.Format(time.DateOnly), c.want.Format(time.DateOnly))
			}
		})
	}
}

func TestWorkingDay(t *testing.T) {
	for d, want := range map[time.Time]bool{
		coop.Date(2026, 9, 25): false, // 추석
		coop.Date(2026, 9, 27): false, // Sunday
		coop.Date(2026, 10, 5): false, // substitute holiday
		coop.Date(2026, 10, 6): true,
	} {
		if got := holidays2026.WorkingDay(d); got != want {
			t.Errorf("WorkingDay(%s) = %v, want %v", d.Format(time.DateOnly), got, want)
		}
	}
}

func TestParseDateAndDateOf(t *testing.T) {
	for _, s := range []string{"2026-09-25", "2026.09.25", " 2026-09-25 "} {
		if d, ok := coop.ParseDate(s); !ok || !d.Equal(coop.Date(2026, 9, 25)) {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, ok)
		}
	}
	if _, ok := coop.ParseDate("2026-02-30"); ok {
		t.Error("ParseDate accepted 2026-02-30")
	}
	// 23:30 UTC on the 24th is already the 25th in Seoul.
	if d := coop.DateOf(time.Date(2026, 9, 24, 23, 30, 0, 0, time.UTC)); !d.Equal(coop.Date(2026, 9, 25)) {
		t.Errorf("DateOf = %s, want 2026-09-25", d)
	}
}

func TestSettingsValidate(t *testing.T) {
	s := coop.Settings{Name: "두레", Representative: "김두레", BusinessNumber: "123-45-6789O", BankAccount: "301-1234",
		InspectionDays: 0, ClaimWorkingDays: 5, ReportBasis: "x", DirectContractLimit: 50_000_000}
	s.Normalize()
	err := s.Validate()
	if err == nil {
		t.Fatal("Validate accepted a wrong form")
	}
	f := fieldsOf(err)
	for _, k := range []string{"business_number", "bank_name", "bank_holder", "inspection_days", "report_basis"} {
		if f[k] == "" {
			t.Errorf("no message for %s: %v", k, f)
		}
	}
	ok := coop.Settings{Name: "두레", Representative: "김두레", BusinessNumber: "1208147521", InspectionDays: 14,
		ClaimWorkingDays: 5, ReportBasis: coop.BasisInspected, DirectContractLimit: 50_000_000}
	ok.Normalize()
	if err := ok.Validate(); err != nil {
		t.Errorf("Validate refused good settings: %v", err)
	}
}
