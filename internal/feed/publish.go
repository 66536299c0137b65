package feed

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/pricing"
)

// DefaultSummaryWindow is how far back the summary feed looks when the
// request names no time.
const DefaultSummaryWindow = 24 * time.Hour

// Publisher writes the feeds from the snapshot.
type Publisher struct {
	Store   Store
	Links   Links
	Channel Channel // Updated is filled from the snapshot
	// Discounts, when set, prices the items with the campaign discounts
	// running at the moment a feed is written (the snapshot keeps list
	// prices: a campaign's start or end then shows in the next feed
	// written, with no snapshot rebuild).
	Discounts Discounted
}

// Discounted finds every product with a campaign discount now.
type Discounted interface {
	// AllConsumerDiscounts returns the discounts running now, per product.
	AllConsumerDiscounts(ctx context.Context) (map[int64][]pricing.Discount, error)
	// DiscountsChanged is the last moment up to now at which the
	// discounts changed (a start, an end, an edit), zero if never.
	DiscountsChanged(ctx context.Context) (time.Time, error)
}

// priced wraps fn so that each item gets its price now (CurrentPrice).
func (p *Publisher) priced(ctx context.Context, fn func(Item) error) (func(Item) error, error) {
	if p.Discounts == nil {
		return fn, nil
	}
	all, err := p.Discounts.AllConsumerDiscounts(ctx)
	if err != nil || len(all) == 0 {
		return fn, err
	}
	return func(it Item) error {
		if ds := all[it.ID]; len(ds) > 0 {
			it.Price = CurrentPrice(&catalog.Product{ConsumerPrice: it.NormalPrice}, ds)
		}
		return fn(it)
	}, nil
}

// State returns the snapshot's version and last change.
func (p *Publisher) State(ctx context.Context) (State, error) {
	st, err := p.Store.State(ctx)
	if err != nil || p.Discounts == nil {
		return st, err
	}
	if st.Prices, err = p.Discounts.DiscountsChanged(ctx); err != nil {
		return st, err
	}
	if st.Prices.After(st.Modified) {
		st.Modified = st.Prices
	}
	return st, nil
}

// Naver writes the full EP.
func (p *Publisher) Naver(ctx context.Context, w io.Writer) error {
	nw, err := NewNaverWriter(w, p.Links, false)
	if err != nil {
		return err
	}
	item, err := p.priced(ctx, nw.Item)
	if err != nil {
		return err
	}
	if err := p.Store.EachItem(ctx, item); err != nil {
		return err
	}
	return nw.Flush()
}

// NaverSummary writes the summary EP of the changes after since.
func (p *Publisher) NaverSummary(ctx context.Context, w io.Writer, since time.Time) error {
	nw, err := NewNaverWriter(w, p.Links, true)
	if err != nil {
		return err
	}
	if err := p.Store.EachChange(ctx, since, nw.Change); err != nil {
		return err
	}
	return nw.Flush()
}

// GoogleXML writes the RSS feed.
func (p *Publisher) GoogleXML(ctx context.Context, w io.Writer) error {
	ch, err := p.channel(ctx)
	if err != nil {
		return err
	}
	gw, err := NewGoogleXMLWriter(w, p.Links, ch)
	if err != nil {
		return err
	}
	item, err := p.priced(ctx, gw.Item)
	if err != nil {
		return err
	}
	if err := p.Store.EachItem(ctx, item); err != nil {
		return err
	}
	return gw.Close()
}

// GoogleJSON writes the JSON feed.
func (p *Publisher) GoogleJSON(ctx context.Context, w io.Writer) error {
	ch, err := p.channel(ctx)
	if err != nil {
		return err
	}
	gw, err := NewGoogleJSONWriter(w, p.Links, ch)
	if err != nil {
		return err
	}
	item, err := p.priced(ctx, gw.Item)
	if err != nil {
		return err
	}
	if err := p.Store.EachItem(ctx, item); err != nil {
		return err
	}
	return gw.Close()
}

func (p *Publisher) channel(ctx context.Context) (Channel, error) {
	st, err := p.Store.State(ctx)
	if err != nil {
		return Channel{}, err
	}
	ch := p.Channel
	ch.Updated = st.Modified
	return ch, nil
}

// sinceLayouts are the forms ParseSince reads without a zone, in KST.
var sinceLayouts = []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "20060102150405", "2006-01-02"}

// ParseSince reads the summary feed's since parameter: RFC 3339, a KST time
// as "2006-01-02 15:04:05" (Naver's update_time form; also with a T, or as
// 20060102150405), a KST date, or Unix seconds. Blank means
// DefaultSummaryWindow before now. A time in the future is refused.
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return now.Add(-DefaultSummaryWindow), nil
	}
	t, ok := parseSince(s)
	if !ok {
		return time.Time{}, apperr.Errorf(apperr.Invalid,
			"since는 2026-01-02 15:04:05 (한국 시간), RFC 3339 또는 유닉스 초로 적어 주세요.")
	}
	if t.After(now) {
		return time.Time{}, apperr.Errorf(apperr.Invalid, "since가 지금보다 뒤입니다. 지난 시각을 적어 주세요.")
	}
	return t, nil
}

func parseSince(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, l := range sinceLayouts {
		if t, err := time.ParseInLocation(l, s, kr.Seoul()); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) <= 11 && n >= 0 {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

// Worker keeps the snapshot in step with the catalogue by draining the feed
// outbox. Any number of instances may run it: the store lets one apply a
// batch at a time.
type Worker struct {
	Store     Store
	Interval  time.Duration // poll interval; default 1 s
	BatchSize int           // outbox rows per batch; default 500
	Log       *slog.Logger  // may be nil
}

// Drain applies queued changes until none is left and returns how many it
// applied.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	batch := w.BatchSize
	if batch <= 0 {
		batch = 500
	}
	total := 0
	for {
		n, err := w.Store.ProcessOutbox(ctx, batch)
		total += n
		if err != nil || n < batch {
			return total, err
		}
	}
}

// Run drains the outbox every Interval until ctx ends; it then returns nil.
// A failure is logged and retried: the changes stay queued.
func (w *Worker) Run(ctx context.Context) error {
	interval := w.Interval
	if interval <= 0 {
		interval = time.Second
	}
	log := w.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := w.Drain(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("feed worker failed; retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
