package search_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
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

// wordEngine is a fake engine that finds a product for a query only when
// every word is in its table, and counts words alone; with countsAlong it
// counts them in a search that finds nothing when the query asks, as
// Meilisearch's engine does.
type wordEngine struct {
	names       map[string]string // word → the name of the product it finds
	countsAlong bool
	searched    []string
	askedCounts []bool // per search, whether it asked for its words' counts
	counted     int    // CountWords calls
}

func (e *wordEngine) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	e.searched = append(e.searched, q.Text)
	e.askedCounts = append(e.askedCounts, q.CountWords)
	name := ""
	for _, w := range strings.Fields(q.Text) {
		n, ok := e.names[w]
		if !ok {
			res := &search.Result{Hits: []search.Hit{}}
			if e.countsAlong && q.CountWords {
				res.WordCounts = e.count(strings.Fields(q.Text))
			}
			return res, nil
		}
		name = n
	}
	return &search.Result{Total: 1, Page: q.Page, PerPage: q.PerPage, Hits: []search.Hit{{ProductID: 1, Name: name}}}, nil
}

func (e *wordEngine) CountWords(_ context.Context, _ search.Query, words []string) ([]int, error) {
	e.counted++
	return e.count(words), nil
}

func (e *wordEngine) count(words []string) []int {
	out := make([]int, len(words))
	for i, w := range words {
		if _, ok := e.names[w]; ok {
			out[i] = 1
		}
	}
	return out
}

func TestServiceIgnoresWords(t *testing.T) {
	t.Parallel()
	e := &wordEngine{names: map[string]string{"워크숍": "워크숍 간식 꾸러미", "도시락": "비건 도시락", "사과": "못난이 사과"}}
	s := search.NewService(e, fail(errors.New("must not be called")), time.Second, nil, nil)
	// 회사, 점심, 50명 are unknown; 워크숍 도시락 finds a product that does
	// not say 도시락 in its name (weak); 도시락 alone does.
	res, err := s.Search(context.Background(), search.Query{Text: "회사 워크숍 점심 50명 도시락", Page: 1, PerPage: 10})
	if err != nil || res.Total != 1 || res.Hits[0].Name != "비건 도시락" {
		t.Fatalf("Search = %+v, %v; want 비건 도시락", res, err)
	}
	if want := []string{"회사", "워크숍", "점심", "50명"}; !slices.Equal(res.Ignored, want) {
		t.Errorf("Ignored = %q, want %q", res.Ignored, want)
	}
	// Nothing known: nothing found, nothing said.
	res, err = s.Search(context.Background(), search.Query{Text: "우주 정거장", Page: 1, PerPage: 10})
	if err != nil || res.Total != 0 || len(res.Ignored) != 0 {
		t.Errorf("unknown words: %+v, %v", res, err)
	}
	// A weak try that stays the answer is not searched twice.
	e.searched = nil
	e.names["한식"] = "워크숍 간식 꾸러미"
	res, err = s.Search(context.Background(), search.Query{Text: "회사 한식", Page: 1, PerPage: 10})
	if err != nil || res.Total != 1 || !slices.Equal(res.Ignored, []string{"회사"}) || len(e.searched) != 2 {
		t.Errorf("weak try: %+v, %v, searched %q; want it found once, 회사 ignored", res, err, e.searched)
	}
	// A query that finds something is never relaxed.
	e.searched = nil
	res, err = s.Search(context.Background(), search.Query{Text: "사과", Page: 1, PerPage: 10})
	if err != nil || res.Total != 1 || len(res.Ignored) != 0 || len(e.searched) != 1 {
		t.Errorf("found: %+v, %v, searched %q", res, err, e.searched)
	}
}

// An engine that counted the words of a query that found nothing in the
// same round trip spares the Service its CountWords request; only the query
// as typed asks for counts, not the tries that leave words out.
func TestServiceUsesTheSearchsWordCounts(t *testing.T) {
	t.Parallel()
	for _, along := range []bool{false, true} {
		e := &wordEngine{names: map[string]string{"워크숍": "워크숍 간식 꾸러미", "도시락": "비건 도시락"}, countsAlong: along}
		s := search.NewService(e, fail(errors.New("must not be called")), time.Second, nil, nil)
		res, err := s.Search(context.Background(), search.Query{Text: "회사 워크숍 점심 도시락", Page: 1, PerPage: 10})
		if err != nil || res.Total != 1 || res.Hits[0].Name != "비건 도시락" {
			t.Fatalf("counts along %v: Search = %+v, %v; want 비건 도시락", along, res, err)
		}
		if want := []string{"회사", "워크숍", "점심"}; !slices.Equal(res.Ignored, want) {
			t.Errorf("counts along %v: Ignored = %q, want %q", along, res.Ignored, want)
		}
		if want := map[bool]int{false: 1, true: 0}[along]; e.counted != want {
			t.Errorf("counts along %v: CountWords called %d times, want %d", along, e.counted, want)
		}
		if len(e.askedCounts) < 2 || !e.askedCounts[0] || slices.Contains(e.askedCounts[1:], true) {
			t.Errorf("counts along %v: searches %q asked for counts %v; want only the first", along, e.searched, e.askedCounts)
		}
	}
}

func TestCacheKey(t *testing.T) {
	t.Parallel()
	base := search.Query{Text: "사과 주스", Page: 1, PerPage: 24, Regions: []catalog.Region{"seoul", "gyeongbuk"}}
	same := base
	same.Text = " 사과   주스 "
	same.Regions = []catalog.Region{"gyeongbuk", "seoul"}
	if search.CacheKey(base) != search.CacheKey(same) {
		t.Error("spacing or the order of repeated filters changed the key")
	}
	for name, edit := range map[string]func(*search.Query){
		"text":     func(q *search.Query) { q.Text = "사과" },
		"case":     func(q *search.Query) { q.Text = "EM" },
		"page":     func(q *search.Query) { q.Page = 2 },
		"per page": func(q *search.Query) { q.PerPage = 60 },
		"sort":     func(q *search.Query) { q.Sort = search.SortPriceAsc },
		"category": func(q *search.Query) { q.CategoryID = 3 },
		"stock":    func(q *search.Query) { q.InStock = true },
		"price":    func(q *search.Query) { q.MaxPrice = 30000 },
		"region":   func(q *search.Query) { q.Regions = []catalog.Region{"seoul"} },
	} {
		q := base
		q.Regions = slices.Clone(base.Regions)
		edit(&q)
		if search.CacheKey(q) == search.CacheKey(base) {
			t.Errorf("%s: a different query has the same key", name)
		}
	}
	em := search.Query{Text: "em", Page: 1, PerPage: 24}
	if search.CacheKey(em) == search.CacheKey(search.Query{Text: "EM", Page: 1, PerPage: 24}) {
		t.Error("'em' and 'EM' (read differently) share a key")
	}
}

// slowCache is a fake ResultCache (the Service's own logic; the Redis one is
// tested in internal/redis) whose writes wait for release.
type slowCache struct {
	release chan struct{}
	mu      sync.Mutex
	stored  map[string]*search.Result
}

func (c *slowCache) Get(_ context.Context, key string, _ bool) (*search.Result, search.CacheVersion, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	res, ok := c.stored[key]
	return res, search.CacheVersion{}, ok, nil
}

func (c *slowCache) Set(_ context.Context, _ search.CacheVersion, key string, res *search.Result) error {
	<-c.release
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stored[key] = res
	return nil
}

func (c *slowCache) Apply(context.Context, search.Change) error { return nil }
func (c *slowCache) Bump(context.Context) error                 { return nil }
func (c *slowCache) Reset(context.Context) error                { return nil }

// An answer is stored in the cache after it is returned, and a search of the
// same key waits for that store and finds it instead of asking the engine.
func TestCacheStoreDoesNotHoldTheAnswer(t *testing.T) {
	t.Parallel()
	var asked atomic.Int32
	engine := searcherFn(func(context.Context, search.Query) (*search.Result, error) {
		asked.Add(1)
		return &search.Result{Total: 7}, nil
	})
	cache := &slowCache{release: make(chan struct{}), stored: map[string]*search.Result{}}
	svc := search.NewService(engine, fail(errors.New("no fallback")), time.Second, nil, nil).WithCache(cache)
	ask := func() chan *search.Result { // the answer, when it comes
		out := make(chan *search.Result, 1)
		go func() {
			r, err := svc.Search(context.Background(), valid)
			if err != nil {
				t.Error(err)
			}
			out <- r
		}()
		return out
	}
	select {
	case res := <-ask():
		if res == nil || res.Total != 7 {
			t.Fatalf("first search: %+v", res)
		}
	case <-time.After(5 * time.Second):
		close(cache.release)
		t.Fatal("the first search's answer waited for its store in the cache")
	}
	second := ask()
	select {
	case <-second:
		t.Fatal("the second search did not wait for the first one's store")
	case <-time.After(50 * time.Millisecond):
	}
	close(cache.release)
	if r := <-second; r == nil || r.Total != 7 || asked.Load() != 1 {
		t.Fatalf("second search %+v, engine asked %d times; want the stored answer, asked once", r, asked.Load())
	}
}
