package search_test

import (
	"context"
	"errors"
	"testing"
	"time"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/search"
)

// searcherFn is a fake engine (a unit test of the Service's own logic; the
// real engines are tested in internal/meilisearch against real services).
type searcherFn func(ctx context.Context, q search.Query) (*search.Result, error)

func (f searcherFn) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	return f(ctx, q)
}

func answer(total int) searcherFn {
	return func(context.Context, search.Query) (*search.Result, error) { return &search.Result{Total: total}, nil }
}

func fail(err error) searcherFn {
	return func(context.Context, search.Query) (*search.Result, error) { return nil, err }
}

var valid = search.Query{Text: "사과", Page: 1, PerPage: 10}

func TestServicePrimary(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.SearchDegraded.Set(1)
	s := search.NewService(answer(1), fail(errors.New("must not be called")), time.Second, m, nil)
	res, err := s.Search(context.Background(), valid)
	if err != nil || res.Total != 1 || res.Degraded {
		t.Fatalf("Search = %+v, %v; want the primary's answer", res, err)
	}
	if got := promtest.ToFloat64(m.SearchDegraded); got != 0 {
		t.Errorf("SearchDegraded = %v after a primary success, want 0", got)
	}
}

func TestServiceFallsBack(t *testing.T) {
	t.Parallel()
	hang := searcherFn(func(ctx context.Context, _ search.Query) (*search.Result, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	for name, primary := range map[string]search.Searcher{
		"error":   fail(errors.New("meilisearch: connection refused")),
		"timeout": hang,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := metrics.New()
			s := search.NewService(primary, answer(2), 50*time.Millisecond, m, nil)
			start := time.Now()
			res, err := s.Search(context.Background(), valid)
			if err != nil || res.Total != 2 || !res.Degraded {
				t.Fatalf("Search = %+v, %v; want the fallback's answer, degraded", res, err)
			}
			if time.Since(start) > 2*time.Second {
				t.Errorf("fallback took %s; the primary's timeout was not applied", time.Since(start))
			}
			if got := promtest.ToFloat64(m.SearchFallbacks); got != 1 {
				t.Errorf("SearchFallbacks = %v, want 1", got)
			}
			if got := promtest.ToFloat64(m.SearchDegraded); got != 1 {
				t.Errorf("SearchDegraded = %v, want 1", got)
			}
		})
	}
}

func TestServiceInvalidDoesNotFallBack(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	calls := 0
	fallback := searcherFn(func(context.Context, search.Query) (*search.Result, error) { calls++; return &search.Result{}, nil })
	s := search.NewService(fail(apperr.Errorf(apperr.Invalid, "잘못된 검색")), fallback, time.Second, m, nil)
	if _, err := s.Search(context.Background(), valid); apperr.Code(err) != apperr.Invalid {
		t.Fatalf("Search = %v, want the primary's Invalid", err)
	}
	if _, err := s.Search(context.Background(), search.Query{Page: 0}); apperr.Code(err) != apperr.Invalid {
		t.Fatalf("Search(page 0) = %v, want Invalid", err)
	}
	if calls != 0 || promtest.ToFloat64(m.SearchFallbacks) != 0 {
		t.Errorf("fallback called %d times for invalid queries", calls)
	}
}

func TestServiceBothFail(t *testing.T) {
	t.Parallel()
	s := search.NewService(fail(errors.New("down")), fail(errors.New("also down")), time.Second, metrics.New(), nil)
	_, err := s.Search(context.Background(), valid)
	if apperr.Code(err) != apperr.Unavailable || apperr.Message(err) == "" {
		t.Fatalf("Search = %v, want Unavailable with a message", err)
	}
}

func TestServiceCallerCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := search.NewService(searcherFn(func(ctx context.Context, _ search.Query) (*search.Result, error) {
		return nil, ctx.Err()
	}), fail(errors.New("must not be called")), time.Second, metrics.New(), nil)
	if _, err := s.Search(ctx, valid); !errors.Is(err, context.Canceled) {
		t.Fatalf("Search(cancelled) = %v, want context.Canceled", err)
	}
}
