package redis_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"
	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/search"
)

// countingEngine answers every search with its call count as Total, so a
// cached answer shows as an old count.
type countingEngine struct {
	calls atomic.Int64
	fail  atomic.Bool
}

func (e *countingEngine) Search(_ context.Context, q search.Query) (*search.Result, error) {
	if e.fail.Load() {
		return nil, errors.New("meilisearch: connection refused")
	}
	n := e.calls.Add(1)
	return &search.Result{Total: int(n), Page: q.Page, PerPage: q.PerPage,
		Hits:    []search.Hit{{ProductID: n, Name: "청송 꿀사과 5kg", NameHighlight: "청송 꿀\x02사과\x03 5kg", InStock: true}},
		Facets:  map[string][]search.FacetValue{search.FacetRegion: {{Value: "gyeongbuk", Count: 3}}},
		Reading: search.Reading{Kind: search.ReadHanYeong, Text: "사과"}, Ignored: []string{"맛있는"}}, nil
}

type fallbackEngine struct{}

func (fallbackEngine) Search(context.Context, search.Query) (*search.Result, error) {
	return &search.Result{Total: 100}, nil
}

// TestSearchCacheAcrossInstances runs two Services (two instances of the
// app) on one Redis: a search answered by one is a hit on the other; the
// worker's bump, on either, makes both ask the engine again.
func TestSearchCacheAcrossInstances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		engine := &countingEngine{}
		m1, m2 := metrics.New(), metrics.New()
		a := search.NewService(engine, fallbackEngine{}, time.Second, m1, nil).WithCache(redis.NewSearchCache(rdb, prefix))
		b := search.NewService(engine, fallbackEngine{}, time.Second, m2, nil).WithCache(redis.NewSearchCache(rdb, prefix))
		q := search.Query{Text: "tkrhk", Page: 1, PerPage: 24}

		first, err := a.Search(ctx, q)
		if err != nil || first.Total != 1 {
			t.Fatalf("first search = %+v, %v", first, err)
		}
		a.Flush() // stored after it was answered
		second, err := b.Search(ctx, search.Query{Text: "  tkrhk ", Page: 1, PerPage: 24})
		if err != nil {
			t.Fatal(err)
		}
		if second.Total != 1 || engine.calls.Load() != 1 {
			t.Fatalf("the other instance asked the engine (calls %d, total %d); want a hit", engine.calls.Load(), second.Total)
		}
		if second.Hits[0].NameHighlight != first.Hits[0].NameHighlight || second.Reading != first.Reading ||
			second.Ignored[0] != "맛있는" || second.Facets[search.FacetRegion][0].Count != 3 || !second.Hits[0].InStock {
			t.Errorf("cached result %+v differs from the answer %+v", second, first)
		}
		if got := promtest.ToFloat64(m2.SearchCacheHits); got != 1 {
			t.Errorf("hits on b = %v, want 1", got)
		}
		// Another page, sort or filter is another entry.
		other := q
		other.Page = 2
		if res, _ := b.Search(ctx, other); res.Total != 2 {
			t.Errorf("page 2 = total %d, want a fresh answer (2)", res.Total)
		}

		// The worker applies a change: one bump, seen by both instances.
		if err := redis.NewSearchCache(rdb, prefix).Bump(ctx); err != nil {
			t.Fatal(err)
		}
		if res, _ := b.Search(ctx, q); res.Total != 3 {
			t.Errorf("after a bump b answered total %d, want a fresh answer (3)", res.Total)
		}
		b.Flush()
		if res, _ := a.Search(ctx, q); res.Total != 3 {
			t.Errorf("after a bump a answered total %d, want b's fresh answer (3)", res.Total)
		}

		// A degraded answer (PostgreSQL while Meilisearch is away) is not kept.
		engine.fail.Store(true)
		dq := search.Query{Text: "된장", Page: 1, PerPage: 24}
		if res, _ := a.Search(ctx, dq); !res.Degraded {
			t.Fatalf("want a degraded answer, got %+v", res)
		}
		engine.fail.Store(false)
		if res, _ := a.Search(ctx, dq); res.Degraded || res.Total != 4 {
			t.Errorf("after Meilisearch came back = %+v; want the engine's answer, not the cached fallback", res)
		}
	})
}

// TestSearchCacheRedisDown: with Redis unreachable every search still
// answers, from the engine.
func TestSearchCacheRedisDown(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		cache := redis.NewSearchCache(rdb, prefix)
		_ = rdb.Close()
		engine := &countingEngine{}
		s := search.NewService(engine, fallbackEngine{}, time.Second, nil, nil).WithCache(cache)
		for i := 1; i <= 2; i++ {
			res, err := s.Search(context.Background(), search.Query{Text: "사과", Page: 1, PerPage: 10})
			if err != nil || res.Total != i {
				t.Fatalf("search %d with Redis down = %+v, %v; want the engine's answer", i, res, err)
			}
		}
		if err := cache.Bump(context.Background()); err == nil {
			t.Error("Bump with Redis down = nil")
		}
	})
}
