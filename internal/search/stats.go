package search

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// QueryStat is what shoppers did with one query in one week: how often it
// was searched, how often it found nothing, and how often a result of it was
// opened. Only the normalised query text is kept — no person, address,
// session or time of day — so the list is safe to show and to export.
type QueryStat struct {
	Week        time.Time // the Monday (KST) the week starts, at 00:00 UTC of that date
	Query       string
	Searches    int64
	ZeroResults int64
	Clicks      int64
}

// StatsOrder says which queries a stats list is about.
type StatsOrder string

// Stats lists: the most searched, those that found nothing, and those whose
// results nobody opened.
const (
	StatsTop       StatsOrder = "top"
	StatsZero      StatsOrder = "zero"
	StatsNoClick   StatsOrder = "noclick"
	MaxStatsLength            = 100 // longest query kept, in runes (MaxTextLen)
)

// StatsStore keeps the weekly query counts (PostgreSQL).
type StatsStore interface {
	// AddQueryStats adds the counts to the stored ones, in one statement.
	AddQueryStats(ctx context.Context, stats []QueryStat) error
	// FindQueryStats lists a week's queries for order, at most limit.
	FindQueryStats(ctx context.Context, week time.Time, order StatsOrder, limit int) ([]QueryStat, error)
	// StatsWeeks lists the weeks that have counts, newest first, at most limit.
	StatsWeeks(ctx context.Context, limit int) ([]time.Time, error)
}

var kst = time.FixedZone("KST", 9*60*60)

// WeekOf is the week t falls in, in Korea: the date of its Monday.
func WeekOf(t time.Time) time.Time {
	k := t.In(kst)
	d := time.Date(k.Year(), k.Month(), k.Day(), 0, 0, 0, 0, time.UTC)
	off := (int(d.Weekday()) + 6) % 7 // Monday 0 … Sunday 6
	return d.AddDate(0, 0, -off)
}

// StatsQuery is the form a query is counted under — NormalizeTerm, at most
// MaxStatsLength runes — and false for a query that must not be kept: empty,
// or one that may be personal data someone pasted into the box (an e-mail
// address, or a run of six or more digits such as a phone or order number).
func StatsQuery(text string) (string, bool) {
	q := NormalizeTerm(text)
	if q == "" || !utf8.ValidString(q) || strings.Contains(q, "@") {
		return "", false
	}
	digits := 0
	for _, r := range q {
		switch {
		case unicode.IsDigit(r):
			if digits++; digits >= 6 {
				return "", false
			}
		case r == '-' || r == ' ' || r == '.':
			// 010-1234-5678 and 010 1234 5678 are one run
		default:
			digits = 0
		}
		if unicode.IsControl(r) {
			return "", false
		}
	}
	if utf8.RuneCountInString(q) > MaxStatsLength {
		q = string([]rune(q)[:MaxStatsLength])
	}
	return q, true
}

// Tally counts searches and clicks in memory and adds them to a StatsStore
// every so often (Run), so a search costs a map update, not a database
// write. Counts not yet flushed are lost if the process dies — a few seconds
// of analytics, never anything a shopper did. Each instance keeps its own
// tally; the store adds them up. Distinct queries between two flushes are
// capped (maxPending): past it new queries are dropped and counted in
// Dropped.
type Tally struct {
	store   StatsStore
	now     func() time.Time
	mu      sync.Mutex
	pending map[statKey]*QueryStat
	dropped int64
}

type statKey struct {
	week  time.Time
	query string
}

const maxPending = 20000

// NewTally returns a tally flushing into store.
func NewTally(store StatsStore) *Tally {
	return &Tally{store: store, now: time.Now, pending: map[statKey]*QueryStat{}}
}

// Search counts one search for text that found total products. A nil Tally
// counts nothing.
func (t *Tally) Search(text string, total int) {
	t.add(text, func(s *QueryStat) {
		s.Searches++
		if total == 0 {
			s.ZeroResults++
		}
	})
}

// Click counts one result of text opened.
func (t *Tally) Click(text string) {
	t.add(text, func(s *QueryStat) { s.Clicks++ })
}

func (t *Tally) add(text string, f func(*QueryStat)) {
	if t == nil {
		return
	}
	q, ok := StatsQuery(text)
	if !ok {
		return
	}
	k := statKey{WeekOf(t.now()), q}
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.pending[k]
	if s == nil {
		if len(t.pending) >= maxPending {
			t.dropped++
			return
		}
		s = &QueryStat{Week: k.week, Query: q}
		t.pending[k] = s
	}
	f(s)
}

// Dropped is how many counts were dropped because the tally was full.
func (t *Tally) Dropped() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dropped
}

// Flush adds the pending counts to the store. On failure they are kept and
// tried again by the next flush.
func (t *Tally) Flush(ctx context.Context) error {
	t.mu.Lock()
	if len(t.pending) == 0 {
		t.mu.Unlock()
		return nil
	}
	batch := make([]QueryStat, 0, len(t.pending))
	for _, s := range t.pending {
		batch = append(batch, *s)
	}
	t.pending = map[statKey]*QueryStat{}
	t.mu.Unlock()
	if err := t.store.AddQueryStats(ctx, batch); err != nil {
		t.mu.Lock()
		for _, s := range batch {
			k := statKey{s.Week, s.Query}
			if p := t.pending[k]; p != nil {
				p.Searches += s.Searches
				p.ZeroResults += s.ZeroResults
				p.Clicks += s.Clicks
			} else {
				cp := s
				t.pending[k] = &cp
			}
		}
		t.mu.Unlock()
		return err
	}
	return nil
}

// Run flushes every interval until ctx ends, then once more (with a short
// deadline of its own) so a graceful stop loses nothing.
func (t *Tally) Run(ctx context.Context, every time.Duration, onErr func(error)) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if err := t.Flush(fctx); err != nil && onErr != nil {
				onErr(err)
			}
			cancel()
			return
		case <-tick.C:
			if err := t.Flush(ctx); err != nil && onErr != nil {
				onErr(err)
			}
		}
	}
}
