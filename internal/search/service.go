package search

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/metrics"
)

// warnEvery limits how often the Service logs that it is degraded: during an
// outage every search falls back, and one line per search would drown the log.
const warnEvery = 5 * time.Second

// Service is the Searcher the application uses: it asks the primary engine
// (Meilisearch) within a time budget and, when that fails, answers from the
// fallback engine (PostgreSQL) with Result.Degraded set.
type Service struct {
	primary  Searcher
	fallback Searcher
	timeout  time.Duration
	metrics  *metrics.Metrics
	log      *slog.Logger

	mu         sync.Mutex
	lastWarn   time.Time
	suppressed int
}

var _ Searcher = (*Service)(nil)

// NewService returns a Service. timeout is the primary engine's budget per
// search (config SearchTimeout); m may be nil in tests.
func NewService(primary, fallback Searcher, timeout time.Duration, m *metrics.Metrics, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{primary: primary, fallback: fallback, timeout: timeout, metrics: m, log: log}
}

// Search validates q and runs it on the primary engine, falling back on any
// failure but an invalid query. It returns apperr.Invalid for a bad query and
// apperr.Unavailable when neither engine answers.
func (s *Service) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if len(q.Variants) == 0 {
		q.Variants = Analyze(q.Text)
	}
	pctx, cancel := context.WithTimeout(ctx, s.timeout)
	res, err := s.primary.Search(pctx, q)
	cancel()
	if err == nil {
		if s.metrics != nil {
			s.metrics.SearchDegraded.Set(0)
		}
		return res, nil
	}
	if apperr.Code(err) == apperr.Invalid {
		return nil, err
	}
	if ctx.Err() != nil { // the caller gave up; falling back would be wasted work
		return nil, ctx.Err()
	}
	if s.metrics != nil {
		s.metrics.SearchFallbacks.Inc()
		s.metrics.SearchDegraded.Set(1)
	}
	s.warn(err)
	res, ferr := s.fallback.Search(ctx, q)
	if ferr != nil {
		if apperr.Code(ferr) == apperr.Invalid {
			return nil, ferr
		}
		s.log.ErrorContext(ctx, "search: both engines failed", "err", errors.Join(err, ferr))
		return nil, apperr.Errorf(apperr.Unavailable, "지금은 검색을 할 수 없습니다. 잠시 후 다시 시도해 주세요.")
	}
	res.Degraded = true
	return res, nil
}

// warn logs a primary failure at most once per warnEvery, with how many
// fallbacks happened silently since the last line.
func (s *Service) warn(err error) {
	s.mu.Lock()
	now := time.Now()
	if now.Sub(s.lastWarn) < warnEvery {
		s.suppressed++
		s.mu.Unlock()
		return
	}
	n := s.suppressed
	s.lastWarn, s.suppressed = now, 0
	s.mu.Unlock()
	s.log.Warn("search: primary engine failed; answering from PostgreSQL (degraded)", "err", err, "suppressed_since_last", n)
}
