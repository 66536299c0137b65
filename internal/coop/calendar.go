package coop

import (
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/kr"
)

// Dates here are civil dates: midnight UTC of the day, whatever zone the
// day was read in (Today reads it in Asia/Seoul).

// Date is the civil date y-m-d.
func Date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// DateOf is the civil date of t in Korea.
func DateOf(t time.Time) time.Time {
	y, m, d := t.In(kr.Seoul()).Date()
	return Date(y, m, d)
}

// ParseDate reads 2026-09-25 or 2026.09.25 (as forms and people write it).
func ParseDate(s string) (time.Time, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ".", "-")
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// Calendar says which days are holidays (besides weekends).
type Calendar map[time.Time]string

// NewCalendar returns the calendar of the holidays list.
func NewCalendar(list []Holiday) Calendar {
	c := make(Calendar, len(list))
	for _, h := range list {
		c[h.Day] = h.Name
	}
	return c
}

// WorkingDay reports whether the civil date d is a working day: not a
// Saturday, a Sunday or a holiday.
func (c Calendar) WorkingDay(d time.Time) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := c[d]
	return !holiday
}

// AddWorkingDays returns the civil date n working days after from: from
// itself does not count, weekends and holidays are skipped, so 2026.09.23
// (수) plus 5 is 2026.10.02 (금), past the 추석 days 09.24–26. n <= 0 returns
// from.
func (c Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	d := from
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.WorkingDay(d) {
			n--
		}
	}
	return d
}
