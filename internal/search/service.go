package search

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
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
	cache    ResultCache // nil: no cache
	// cacheOffUntil (unix nanoseconds) is when the cache may be asked
	// again after it failed: while Redis is away, searches go straight to
	// the engine instead of each waiting for the cache (cacheBudget).
	cacheOffUntil atomic.Int64
	// storing holds, per cache key, a channel closed when the answer being
	// stored in the cache after it was returned is stored (cached).
	storing sync.Map
	stores  sync.WaitGroup // the stores under way (Flush)

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
//
// When a query of several words finds nothing, it is searched again without
// the words that find nothing on their own (WordCounter), and then without
// its modifiers, furthest from the head noun first (Korean noun phrases end
// with their head: in 회사 워크숍 점심 도시락 the thing is a 도시락), until
// something is found; Result.Ignored lists what was left out. This costs
// requests only for queries that found nothing.
//
// With a ResultCache (WithCache) a search already answered at the current
// index version is answered from the cache.
func (s *Service) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return s.cached(ctx, q, func() (*Result, error) { return s.answer(ctx, q) })
}

// WithCache makes s answer repeated searches from c; it returns s. Call it
// while wiring, before s is shared.
func (s *Service) WithCache(c ResultCache) *Service {
	s.cache = c
	return s
}

// answer is Search without the cache: q is valid.
func (s *Service) answer(ctx context.Context, q Query) (*Result, error) {
	if len(q.Variants) == 0 {
		q.Variants = Analyze(q.Text)
	}
	words := strings.Fields(q.Text)
	q.CountWords = len(words) >= 2
	res, engine, err := s.search(ctx, q)
	if err != nil || res.Total > 0 {
		return res, err
	}
	if len(words) < 2 {
		return res, nil
	}
	q.CountWords = false // the tries below do not need their words counted
	counts := res.WordCounts
	if len(counts) != len(words) {
		counter, ok := engine.(WordCounter)
		if !ok {
			return res, nil
		}
		cctx, cancel := context.WithTimeout(ctx, s.timeout)
		var err error
		counts, err = counter.CountWords(cctx, q, words)
		cancel()
		if err != nil || len(counts) != len(words) {
			s.log.WarnContext(ctx, "search: counting the words of a query that found nothing", "err", err)
			return res, nil
		}
	}
	var known []int // indexes into words
	ignored := map[int]bool{}
	for i, n := range counts {
		if n > 0 {
			known = append(known, i)
		} else {
			ignored[i] = true
		}
	}
	// Each try is decided on its first page, so every page of the search
	// makes the same choice; a try whose best product does not say its words
	// in the name (워크숍 간식 꾸러미 of an enterprise called 나눔도시락, for
	// 워크숍 도시락) is kept only if no later one does better.
	var weak *Query
	var weakFirst *Result // weak's first page
	var weakIgnored []string
	for len(known) > 0 {
		if len(known) < len(words) {
			rq := q
			kept := make([]string, len(known))
			for i, k := range known {
				kept[i] = words[k]
			}
			rq.Text = strings.Join(kept, " ")
			rq.Variants = Analyze(rq.Text)
			first := rq
			first.Page = 1
			fres, _, err := s.search(ctx, first)
			if err != nil {
				return nil, err
			}
			if fres.Total > 0 {
				var left []string
				for i, w := range words {
					if ignored[i] {
						left = append(left, w)
					}
				}
				if namesAll(rq, fres) {
					return s.relaxed(ctx, rq, fres, left)
				}
				if weak == nil {
					weak, weakFirst, weakIgnored = &rq, fres, left
				}
			}
		}
		if len(known) == 1 {
			break
		}
		ignored[known[0]] = true
		known = known[1:]
	}
	if weak != nil {
		return s.relaxed(ctx, *weak, weakFirst, weakIgnored)
	}
	return res, nil
}

// relaxed answers rq (a query with words left out) at its page, reusing the
// first page already fetched.
func (s *Service) relaxed(ctx context.Context, rq Query, first *Result, ignored []string) (*Result, error) {
	res := first
	if res == nil || rq.Page != 1 {
		var err error
		if res, _, err = s.search(ctx, rq); err != nil {
			return nil, err
		}
	}
	res.Ignored = ignored
	return res, nil
}

// namesAll reports whether the best product of res (its first page) says
// every word of q in its name, or was read the way its reading says.
func namesAll(q Query, res *Result) bool {
	if len(res.Hits) == 0 {
		return false
	}
	if res.Reading.Kind != ReadAsTyped {
		return true
	}
	h := res.Hits[0]
	d := Document{Name: h.Name, Summary: h.Summary, EnterpriseName: h.EnterpriseName}
	return NewRanker(q, nil).Rank(&d).Class >= ClassModifier
}

// search runs q on the primary engine and, when it fails, on the fallback;
// it returns the engine that answered.
func (s *Service) search(ctx context.Context, q Query) (*Result, Searcher, error) {
	pctx, cancel := context.WithTimeout(ctx, s.timeout)
	res, err := s.primary.Search(pctx, q)
	cancel()
	if err == nil {
		if s.metrics != nil {
			s.metrics.SearchDegraded.Set(0)
		}
		return res, s.primary, nil
	}
	if apperr.Code(err) == apperr.Invalid {
		return nil, nil, err
	}
	if ctx.Err() != nil { // the caller gave up; falling back would be wasted work
		return nil, nil, ctx.Err()
	}
	if s.metrics != nil {
		s.metrics.SearchFallbacks.Inc()
		s.metrics.SearchDegraded.Set(1)
	}
	s.warn(err)
	res, ferr := s.fallback.Search(ctx, q)
	if ferr != nil {
		if apperr.Code(ferr) == apperr.Invalid {
			return nil, nil, ferr
		}
		s.log.ErrorContext(ctx, "search: both engines failed", "err", errors.Join(err, ferr))
		return nil, nil, apperr.Errorf(apperr.Unavailable, "지금은 검색을 할 수 없습니다. 잠시 후 다시 시도해 주세요.")
	}
	res.Degraded = true
	return res, s.fallback, nil
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
