package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	goredis "github.com/redis/go-redis/v9"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/dure-coop/dure/internal/meilisearch"
	dredis "github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/search"
)

// LoadConfig says what to drive and how hard.
type LoadConfig struct {
	// BaseURL is the running `dure serve` (with DURE_BENCH_HELLO=1).
	BaseURL string
	// DatabaseURL is the database it serves, read for product and category ids.
	DatabaseURL string
	// MeiliURL, MeiliKey and MeiliIndex are the index it searches, for the
	// direct-search floor.
	MeiliURL, MeiliKey, MeiliIndex string
	// RedisURL is the Redis its carts and search result cache live in, for
	// the cart floor and for invalidating the cache.
	RedisURL string
	// MetricsURL is the server's /metrics (admin listener), read for the
	// search result cache's hits and misses per scenario ("" = not reported).
	MetricsURL string
	// Duration is how long each scenario runs.
	Duration time.Duration
	// MinRequests, if set, keeps each scenario running past Duration until
	// it has made that many requests: on a loaded machine a short run may
	// otherwise make too few to say anything (a cache never hit twice).
	MinRequests int
	// Workers is the fixed number of concurrent clients of every scenario
	// but checkout.
	Workers int
	// CheckoutWorkers is the number of concurrent buyers in the checkout scenario.
	CheckoutWorkers int
	// Progress receives one line per finished scenario (may be nil).
	Progress io.Writer
	// ServerPID is the server's process, whose CPU each row reports (0: none).
	ServerPID int
	// Services, if set, picks the service processes (by pid) whose CPU each
	// row reports; nil counts every postgres, redis-server and meilisearch
	// process on the machine.
	Services func(pid int) bool
	// Profile, if set, is called as each loaded (more than one worker) HTTP
	// scenario starts; it profiles the server for that scenario's duration
	// (for the search rows run in turns, each round's: the last one's stays).
	Profile func(scenario string, d time.Duration)
	// Only, if set, runs just the scenarios whose names it matches (and
	// their floors' rows only when matched too); nil runs every one.
	Only *regexp.Regexp
	// RedisDownURL, if set, is a second server on the same data whose
	// Redis is stopped (its port refuses connections), process
	// RedisDownPID: the pages that do not need Redis are driven on it and,
	// right before, on BaseURL (the RedisDown rows).
	RedisDownURL string
	RedisDownPID int
}

// Row is one scenario's result.
type Row struct {
	Scenario string
	// Workers is the fixed concurrency it ran at.
	Workers int
	// Floor names the row this one is divided by ("" = none).
	Floor    string
	Requests uint64
	// Rate is successful requests (or iterations) per second.
	Rate          float64
	P50, P95, P99 time.Duration
	Errors        uint64
	// ServerCPU and ServicesCPU are the CPU time per request (or iteration)
	// of the server and of PostgreSQL, Redis and Meilisearch together,
	// measured from /proc over the scenario (the load generator excluded).
	ServerCPU, ServicesCPU time.Duration
	// Bytes is the mean size of a response body as sent (compressed when
	// the scenario asks for gzip); 0 for the custom loops.
	Bytes float64
	// CacheHits and CacheMisses are the server's search result cache
	// lookups during the scenario (from MetricsURL; both 0 when not read).
	CacheHits, CacheMisses uint64
	// FirstError describes one failure, for the report.
	FirstError string
	// Note says how the scenario was driven.
	Note string

	skipped bool // not run (LoadConfig.Only)
}

// Scenario names other code refers to. The search rows without "cached" in
// their name invalidate the server's result cache before every request
// (every search is new to it: what all-distinct queries cost); the gzipped
// rows are the same requests as their plain rows with Accept-Encoding: gzip.
const (
	MeiliFloor      = "meilisearch plain query (floor)"
	SearchPage      = "search page /search"
	SearchAPI       = "search API /api/v1/search"
	SearchPageZipf  = "search page /search, Zipf mix, cached"
	ProductPage     = "product page /p/:id"
	ProductPageGzip = "product page /p/:id, gzip"
	SearchPageGzip  = "search page /search, gzip"
	CategoryPage    = "category page /c/:slug"
	CategoryCached  = "category page /c/:slug, cached"
	// RedisUp and RedisDown end the names of the paired rows of a page
	// that does not need Redis, on a server with and without Redis.
	RedisUp   = ", Redis up (paired)"
	RedisDown = ", Redis down"
)

// RedisFree are the pages that must keep their throughput when Redis is
// down (issue 12): they only show the cart count and use Redis as a cache.
var RedisFree = []string{ProductPage, CategoryPage, SearchPage}

// fixtures are the ids and queries the scenarios draw from.
type fixtures struct {
	products   []int64 // every active product
	cartable   []int64 // active goods without options and with ample stock
	categories []string
	searches   []url.Values
	// pool is a larger mix of distinct searches (the top words and pairs of
	// product names), drawn from by the Zipf scenario.
	pool []url.Values
}

// Load runs every scenario against cfg.BaseURL in turn, each for
// cfg.Duration at a fixed concurrency, with its floors, and returns the rows
// in report order.
func Load(ctx context.Context, cfg LoadConfig) ([]Row, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.CheckoutWorkers <= 0 {
		cfg.CheckoutWorkers = 4
	}
	if cfg.Duration <= 0 {
		cfg.Duration = 10 * time.Second
	}
	fx, err := loadFixtures(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	// With cfg.Only, a scenario it does not match is not run: attack and
	// hammer answer a skipped row, which add leaves out. The warm-up runs.
	wants := func(name string) bool { return cfg.Only == nil || name == "warm-up" || cfg.Only.MatchString(name) }
	attack := func(name, floor string, cfg LoadConfig, tr vegeta.Targeter, n int, check func([]byte) error) Row {
		if !wants(name) {
			return Row{Scenario: name, skipped: true}
		}
		return attack(name, floor, cfg, tr, n, check)
	}
	hammer := func(name string, workers int, d time.Duration, fn func(ctx context.Context, worker, i int) error, note string) Row {
		if !wants(name) {
			return Row{Scenario: name, skipped: true}
		}
		return hammer(name, workers, d, cfg.MinRequests, fn, note)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	pick := func(ids []int64) int64 { return ids[rng.IntN(len(ids))] }

	var rows []Row
	// measure runs f and returns what it cost the serving side (the CPU of
	// the server pid and the services) and the result cache's lookups.
	measure := func(pid int, f func()) cost {
		h0, m0 := cacheCounts(cfg.MetricsURL)
		before := sampleCPU(pid, cfg.Services)
		f()
		after := sampleCPU(pid, cfg.Services)
		h1, m1 := cacheCounts(cfg.MetricsURL)
		server, services := after.since(before)
		return cost{server: server, services: services, hits: h1 - h0, misses: m1 - m0}
	}
	// record adds a finished row with its cost.
	record := func(r Row, c cost) {
		r.CacheHits, r.CacheMisses = c.hits, c.misses
		if r.Requests > 0 {
			r.ServerCPU = c.server / time.Duration(r.Requests)
			r.ServicesCPU = c.services / time.Duration(r.Requests)
		}
		rows = append(rows, r)
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "bench: %-34s %3d workers %9.0f req/s  p50 %-8s p99 %-8s errors %d  CPU/req %v + %v\n",
				r.Scenario, r.Workers, r.Rate, ms(r.P50), ms(r.P99), r.Errors, r.ServerCPU.Round(time.Microsecond), r.ServicesCPU.Round(time.Microsecond))
		}
	}
	// addOn records a scenario run by f, with the CPU it cost the serving
	// side.
	addOn := func(pid int, f func() Row) {
		var r Row
		c := measure(pid, func() { r = f() })
		if !r.skipped {
			record(r, c)
		}
	}
	// inTurns runs the wanted turns in rounds (each round every turn for
	// Duration/searchRounds, in order) and records one row per turn over
	// all its rounds, its rate over the time it ran.
	inTurns := func(c LoadConfig, turns []turn) {
		var run []turn
		for _, t := range turns {
			if wants(t.name) {
				run = append(run, t)
			}
		}
		type acc struct {
			m        vegeta.Metrics
			firstErr string
			took     time.Duration
			cost     cost
		}
		accs := make([]acc, len(run))
		rc := c
		rc.Duration = max(c.Duration/searchRounds, time.Millisecond)
		rc.MinRequests = (c.MinRequests + searchRounds - 1) / searchRounds
		for range searchRounds {
			for i, t := range run {
				a := &accs[i]
				start := time.Now()
				k := measure(cfg.ServerPID, func() { t.run(rc, &a.m, &a.firstErr) })
				a.took += time.Since(start)
				a.cost.add(k)
			}
		}
		for i, t := range run {
			a := &accs[i]
			a.m.Close()
			r := row(t.name, t.floor, c.Workers, &a.m, a.firstErr, t.note+fmt.Sprintf(", in turns with the other search rows (%d rounds)", searchRounds))
			if a.took > 0 {
				r.Rate = float64(r.Requests-r.Errors) / a.took.Seconds()
			}
			record(r, a.cost)
		}
	}
	add := func(f func() Row) { addOn(cfg.ServerPID, f) }
	get := func(paths []string) []vegeta.Target {
		ts := make([]vegeta.Target, len(paths))
		for i, p := range paths {
			ts[i] = vegeta.Target{Method: http.MethodGet, URL: base + p}
		}
		return ts
	}
	// gzipped asks for the same pages as a browser does, with
	// Accept-Encoding: gzip; the rows without it are the uncompressed
	// baseline, so the difference is what compression costs.
	gzipped := func(ts []vegeta.Target) []vegeta.Target {
		out := make([]vegeta.Target, len(ts))
		for i, t := range ts {
			t.Header = http.Header{"Accept-Encoding": {"gzip"}}
			out[i] = t
		}
		return out
	}
	var searchPages, searchAPI []string
	for _, v := range fx.searches {
		searchPages = append(searchPages, "/search?"+v.Encode())
		searchAPI = append(searchAPI, "/api/v1/search?"+v.Encode())
	}
	var productPages, productAPI, categoryPages []string
	for range 2000 {
		id := strconv.FormatInt(pick(fx.products), 10)
		productPages = append(productPages, "/p/"+id)
		productAPI = append(productAPI, "/api/v1/products/"+id)
	}
	for _, slug := range fx.categories {
		categoryPages = append(categoryPages, "/c/"+slug)
		categoryPages = append(categoryPages, "/c/"+slug+"?sort=popular&in_stock=1")
	}

	bodies, err := meiliSearches(fx.searches)
	if err != nil {
		return nil, err
	}
	listings, err := prepareListing(ctx, cfg.DatabaseURL, search.DefaultPerPage)
	if err != nil {
		return nil, err
	}
	lpool, err := pgxpool.New(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("bench: listing: %w", err)
	}
	defer lpool.Close()
	carts, err := cartTargets(ctx, base, fx.cartable, cfg.Workers*32)
	if err != nil {
		return nil, err
	}
	rfloor, closeRedis, err := redisFloor(cfg.RedisURL)
	if err != nil {
		return nil, err
	}
	defer closeRedis()
	bump, closeBump, err := cacheBumper(cfg.RedisURL, cfg.MeiliIndex)
	if err != nil {
		return nil, err
	}
	defer closeBump()
	// uncached sends targets round-robin, each after a bump of the result
	// cache's version, so that no search is answered from the cache.
	uncached := func(ts []vegeta.Target) vegeta.Targeter {
		var i atomic.Uint64
		return func(t *vegeta.Target) error {
			bump()
			*t = ts[(i.Add(1)-1)%uint64(len(ts))]
			return nil
		}
	}
	static := func(ts []vegeta.Target) vegeta.Targeter { return vegeta.NewStaticTargeter(ts...) }
	// The Zipf mix: shoppers repeat a few searches a lot and many rarely
	// (s = 1.1 over a pool of a few hundred distinct searches), from a cold
	// cache.
	var zipfPages []string
	zrng := rand.New(rand.NewPCG(13, 17))
	zipf := rand.NewZipf(zrng, 1.1, 1, uint64(len(fx.pool)-1))
	for range 50000 {
		zipfPages = append(zipfPages, "/search?"+fx.pool[zipf.Uint64()].Encode())
	}

	// Warm up: connections, the server's caches, Meilisearch's page cache.
	warm := cfg
	warm.Duration = min(2*time.Second, cfg.Duration)
	hammer("warm-up", cfg.Workers, warm.Duration, meiliFloor(cfg, bodies), "")
	attack("warm-up", "", warm, static(get(append(append(searchAPI, productPages[:100]...), categoryPages...))), 0, nil)

	// Two passes: at cfg.Workers the machine is saturated and req/s is the
	// figure; with one worker nothing queues and the latencies (and any
	// 40 ms stall) are the request's own.
	for _, w := range []int{cfg.Workers, 1} {
		c := cfg
		c.Workers = w
		meili := meiliFloor(c, bodies)
		pages, api := uncached(get(searchPages)), uncached(get(searchAPI))
		inTurns(c, []turn{
			{name: MeiliFloor, note: "the honest floor: one plain Meilisearch search per search, the same text and filters, 24 hits and facets, no readings, no synonyms' ranking, no merge (meilisearch.Request); custom loop",
				run: func(c LoadConfig, m *vegeta.Metrics, firstErr *string) {
					hammerInto(m, firstErr, MeiliFloor, c.Workers, c.Duration, c.MinRequests, meili)
				}},
			{name: SearchPage, floor: MeiliFloor, note: attackNote(SearchPage, len(searchPages)),
				run: func(c LoadConfig, m *vegeta.Metrics, firstErr *string) {
					attackInto(m, firstErr, SearchPage, c, pages, nil)
				}},
			{name: SearchAPI, floor: MeiliFloor, note: attackNote(SearchAPI, len(searchAPI)),
				run: func(c LoadConfig, m *vegeta.Metrics, firstErr *string) {
					attackInto(m, firstErr, SearchAPI, c, api, nil)
				}},
		})
		add(func() Row {
			bump() // from a cold cache
			return attack(SearchPageZipf, MeiliFloor, c, static(get(zipfPages)), len(zipfPages), nil)
		})
		add(func() Row {
			return attack(ProductPage, "hello world /bench/hello", c, static(get(productPages)), len(productPages), nil)
		})
		add(func() Row {
			return attack(ProductPageGzip, "hello world /bench/hello", c, static(gzipped(get(productPages))), len(productPages), nil)
		})
		if w > 1 {
			add(func() Row {
				return attack(SearchPageGzip, MeiliFloor, c, uncached(gzipped(get(searchPages))), len(searchPages), nil)
			})
			add(func() Row {
				return attack(CategoryPage, "hello world /bench/hello", c, uncached(get(categoryPages)), len(categoryPages), nil)
			})
			add(func() Row {
				return attack(CategoryCached, "hello world /bench/hello", c, static(get(categoryPages)), len(categoryPages), nil)
			})
			add(func() Row {
				return hammer(ListingMeili, w, c.Duration, meiliListing(c, listings),
					"the category page's Meilisearch request (category filter, 인기순, facets, 24 hits), page 1 and 2 of every category; custom loop")
			})
			add(func() Row {
				return hammer(ListingPostgres, w, c.Duration, postgresListing(lpool, listings, search.DefaultPerPage), listingNote)
			})
			add(func() Row {
				return attack("product API /api/v1/products/:id", "hello world /bench/hello", c, static(get(productAPI)), len(productAPI), nil)
			})
		}
		add(func() Row {
			return attack("hello world /bench/hello", "", c, static(get([]string{"/bench/hello"})), 1, nil)
		})
		add(func() Row {
			return attack("cart add POST /api/v1/cart/items", "redis direct HSET+EXPIRE", c, static(carts), len(carts), checkCartAdd)
		})
		add(func() Row {
			return hammer("redis direct HSET+EXPIRE", w, c.Duration, rfloor,
				"MULTI HSET EXPIRE EXEC pipeline as the cart store writes a line; go-redis, custom loop")
		})
	}

	// Redis down: each page that does not need Redis on the first server
	// and then on the second, whose Redis is stopped, one pair after the
	// other so that both see the same load on the machine. The searches
	// and categories skip the result cache on the first (it is in Redis,
	// which the second cannot reach).
	if cfg.RedisDownURL != "" {
		down := strings.TrimRight(cfg.RedisDownURL, "/")
		on := func(b string, paths []string) []vegeta.Target {
			ts := make([]vegeta.Target, len(paths))
			for i, p := range paths {
				ts[i] = vegeta.Target{Method: http.MethodGet, URL: b + p}
			}
			return ts
		}
		for _, name := range RedisFree {
			paths := map[string][]string{ProductPage: productPages, CategoryPage: categoryPages, SearchPage: searchPages}[name]
			up := static(on(base, paths))
			if name != ProductPage {
				up = uncached(on(base, paths))
			}
			add(func() Row { return attack(name+RedisUp, "", cfg, up, len(paths), nil) })
			addOn(cfg.RedisDownPID, func() Row {
				return attack(name+RedisDown, name+RedisUp, cfg, static(on(down, paths)), len(paths), nil)
			})
		}
	}

	co := newCheckout(base, fx.cartable)
	add(func() Row {
		return hammer("checkout (full flow, stripe-mock)", cfg.CheckoutWorkers, cfg.Duration, co.run,
			"per iteration: cart add, GET /checkout, POST /checkout, GET pay page, POST pay/test (stripe-mock); custom loop, one source IP per buyer")
	})
	return rows, nil
}

// loadFixtures reads what the scenarios pick from out of the database.
func loadFixtures(ctx context.Context, dbURL string) (*fixtures, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("bench: open database: %w", err)
	}
	defer pool.Close()
	ids := func(sql string) ([]int64, error) {
		rows, err := pool.Query(ctx, sql)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, pgx.RowTo[int64])
	}
	fx := &fixtures{}
	if fx.products, err = ids(`SELECT id FROM products WHERE status = 'active' ORDER BY id`); err != nil {
		return nil, fmt.Errorf("bench: products: %w", err)
	}
	fx.cartable, err = ids(`SELECT p.id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods' AND p.stock >= 500
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.id LIMIT 3000`)
	if err != nil {
		return nil, fmt.Errorf("bench: cartable products: %w", err)
	}
	if len(fx.products) == 0 || len(fx.cartable) < 50 {
		return nil, fmt.Errorf("bench: the catalogue is too small (%d products, %d cartable)", len(fx.products), len(fx.cartable))
	}
	rows, err := pool.Query(ctx, `SELECT id, slug FROM categories ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("bench: categories: %w", err)
	}
	type cat struct {
		ID   int64
		Slug string
	}
	cats, err := pgx.CollectRows(rows, pgx.RowToStructByPos[cat])
	if err != nil {
		return nil, fmt.Errorf("bench: categories: %w", err)
	}
	for _, c := range cats {
		fx.categories = append(fx.categories, c.Slug)
	}
	names, err := pool.Query(ctx, `SELECT name FROM products ORDER BY id LIMIT 5000`)
	if err != nil {
		return nil, fmt.Errorf("bench: names: %w", err)
	}
	list, err := pgx.CollectRows(names, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("bench: names: %w", err)
	}
	var catIDs []int64
	for _, c := range cats {
		catIDs = append(catIDs, c.ID)
	}
	fx.searches = Queries(list, catIDs)
	fx.pool = QueryPool(list, catIDs, 300, 100)
	return fx, nil
}

// Queries builds the benchmark's search mix from product names: the most
// common Korean words and the two-word starts of names, every third sorted,
// every fourth in a category, every fifth with facet filters. It returns at
// least 50 queries when the names allow it.
func Queries(names []string, categoryIDs []int64) []url.Values {
	return QueryPool(names, categoryIDs, 40, 20)
}

// QueryPool is Queries with the top words and top pairs of words of names
// instead of 40 and 20.
func QueryPool(names []string, categoryIDs []int64, words, pairsN int) []url.Values {
	count := map[string]int{}
	pairs := map[string]int{}
	for _, n := range names {
		var words []string
		for _, w := range strings.Fields(n) {
			if isHangulWord(w) {
				words = append(words, w)
			}
		}
		for _, w := range words {
			count[w]++
		}
		if len(words) >= 2 {
			pairs[words[0]+" "+words[1]]++
		}
	}
	top := func(m map[string]int, n int) []string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int {
			if m[a] != m[b] {
				return m[b] - m[a]
			}
			return strings.Compare(a, b)
		})
		return keys[:min(n, len(keys))]
	}
	texts := append(top(count, words), top(pairs, pairsN)...)
	sorts := []string{"price_asc", "popular", "newest", "price_desc"}
	regions := []string{"gyeongbuk", "jeonnam", "gangwon", "seoul", "chungbuk"}
	types := []string{"cooperative", "social_enterprise", "village_enterprise"}
	var out []url.Values
	for i, t := range texts {
		v := url.Values{"q": {t}}
		if i%3 == 1 {
			v.Set("sort", sorts[(i/3)%len(sorts)])
		}
		if i%4 == 2 && len(categoryIDs) > 0 {
			v.Set("category", strconv.FormatInt(categoryIDs[(i/4)%len(categoryIDs)], 10))
		}
		if i%5 == 3 {
			v.Set("region", regions[(i/5)%len(regions)])
			v.Set("type", types[(i/5)%len(types)])
			v.Set("in_stock", "1")
		}
		if i%7 == 5 {
			v.Set("max_price", "30000")
		}
		out = append(out, v)
	}
	return out
}

func isHangulWord(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.Is(unicode.Hangul, r) {
			return false
		}
		n++
	}
	return n >= 2
}

// newClient is the load generator's HTTP client: no gzip (the 40 ms trap of
// DESIGN §4 applies to any Go client) and enough idle connections for every
// worker, so connections are reused.
func newClient(workers int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DisableCompression:  true,
			MaxIdleConns:        4 * workers,
			MaxIdleConnsPerHost: 4 * workers,
			IdleConnTimeout:     90 * time.Second,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// searchRounds is how many turns the floor and the uncached search rows
// take (Load's inTurns): on a shared machine a floor measured a minute
// apart from its comparand moved its p50 by up to 30 % (1.46–1.90 ms), so the
// ratios compare runs interleaved through the same minutes.
const searchRounds = 5

// turn is one of the rows inTurns runs in rounds: run adds a round of it,
// as long as c.Duration, to m.
type turn struct {
	name, floor, note string
	run               func(c LoadConfig, m *vegeta.Metrics, firstErr *string)
}

// cost is what a run cost the serving side.
type cost struct {
	server, services time.Duration
	hits, misses     uint64
}

func (c *cost) add(o cost) {
	c.server += o.server
	c.services += o.services
	c.hits += o.hits
	c.misses += o.misses
}

// attack drives the targets tr gives (n of them, for the note) with vegeta
// at the maximum rate a fixed pool of cfg.Workers workers reaches. check, if
// set, inspects each response body and turns a wrong answer into an error.
func attack(name, floor string, cfg LoadConfig, tr vegeta.Targeter, n int, check func([]byte) error) Row {
	var m vegeta.Metrics
	var firstErr string
	attackInto(&m, &firstErr, name, cfg, tr, check)
	m.Close()
	return row(name, floor, cfg.Workers, &m, firstErr, attackNote(name, n))
}

// attackInto is attack's run, its results added to m (and the first
// failure to firstErr when it has none).
func attackInto(m *vegeta.Metrics, firstErr *string, name string, cfg LoadConfig, tr vegeta.Targeter, check func([]byte) error) {
	a := vegeta.NewAttacker(
		vegeta.Client(newClient(cfg.Workers)),
		vegeta.Workers(uint64(cfg.Workers)),
		vegeta.MaxWorkers(uint64(cfg.Workers)),
		vegeta.KeepAlive(true),
		vegeta.Redirects(vegeta.NoFollow),
		vegeta.MaxBody(1<<20),
	)
	if cfg.Profile != nil && cfg.Workers > 1 {
		go cfg.Profile(name, cfg.Duration)
	}
	// With MinRequests the attack runs until stopped: once Duration has
	// passed and enough requests were made.
	dur, start, n0 := cfg.Duration, time.Now(), m.Requests
	if cfg.MinRequests > 0 {
		dur = 0
	}
	for res := range a.Attack(tr, vegeta.Rate{}, dur, name) {
		if res.Error == "" && (res.Code < 200 || res.Code >= 300) {
			res.Error = fmt.Sprintf("%s %s: status %d", res.Method, res.URL, res.Code)
		}
		if res.Error == "" && check != nil {
			if err := check(res.Body); err != nil {
				res.Error = err.Error()
				res.Code = 0
			}
		}
		if res.Error != "" && *firstErr == "" {
			*firstErr = res.Error
		}
		res.Body = nil
		m.Add(res)
		if dur == 0 && m.Requests-n0 >= uint64(cfg.MinRequests) && time.Since(start) >= cfg.Duration {
			a.Stop()
		}
	}
}

// attackNote says how attack drove name's n targets.
func attackNote(name string, n int) string {
	note := fmt.Sprintf("vegeta, max rate with a fixed pool of workers, %d targets round-robin", n)
	switch {
	case strings.HasSuffix(name, RedisDown):
		note += ", on a second server whose Redis is stopped (its port refuses connections)"
	case strings.HasPrefix(name, SearchPage) && !strings.Contains(name, "cached") || strings.HasPrefix(name, SearchAPI) ||
		strings.HasPrefix(name, CategoryPage) && !strings.Contains(name, "cached"):
		note += ", the result cache invalidated before each request"
	}
	return note
}

// hammer calls fn from workers goroutines as fast as it answers for d and
// records each call like a vegeta result: for what vegeta cannot express (a
// Redis command, fan-out requests, a chained checkout).
// It runs past d until minN calls have finished (0: exactly d).
func hammer(name string, workers int, d time.Duration, minN int, fn func(ctx context.Context, worker, i int) error, note string) Row {
	var m vegeta.Metrics
	var firstErr string
	hammerInto(&m, &firstErr, name, workers, d, minN, fn)
	m.Close()
	return row(name, "", workers, &m, firstErr, note)
}

// hammerInto is hammer's run, its calls added to m (and the first failure
// to firstErr when it has none).
func hammerInto(m *vegeta.Metrics, firstErr *string, name string, workers int, d time.Duration, minN int, fn func(ctx context.Context, worker, i int) error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	var finished atomic.Int64
	enough := func() bool { return time.Since(start) >= d && finished.Load() >= int64(minN) }
	stop := time.AfterFunc(d, func() {
		if enough() {
			cancel()
		}
	})
	defer stop.Stop()
	results := make(chan *vegeta.Result, 1024)
	var wg sync.WaitGroup
	var seq atomic.Int64
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				t0 := time.Now()
				err := fn(ctx, w, int(seq.Add(1)))
				if err != nil && ctx.Err() != nil {
					return // cut off by the end of the run, not a failure
				}
				r := &vegeta.Result{Attack: name, Timestamp: t0, Latency: time.Since(t0), Code: 200}
				if err != nil {
					r.Code, r.Error = 0, err.Error()
				}
				results <- r
				if finished.Add(1); enough() {
					cancel()
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	for r := range results {
		if r.Error != "" && *firstErr == "" {
			*firstErr = r.Error
		}
		m.Add(r)
	}
}

func row(name, floor string, workers int, m *vegeta.Metrics, firstErr, note string) Row {
	ok := uint64(float64(m.Requests)*m.Success + 0.5)
	return Row{Scenario: name, Floor: floor, Workers: workers, Requests: m.Requests, Rate: m.Throughput,
		P50: m.Latencies.P50, P95: m.Latencies.P95, P99: m.Latencies.P99, Bytes: m.BytesIn.Mean,
		Errors: m.Requests - ok, FirstError: firstErr, Note: note}
}

// meiliSearches builds, for each search, the honest floor's request: one
// plain Meilisearch search with the same text and filters, 24 hits and
// facets (meilisearch.Request on the query without readings), what a bare
// engine behind a thin page would send.
func meiliSearches(searches []url.Values) ([][]byte, error) {
	var out [][]byte
	for _, v := range searches {
		q, err := search.ParseQuery(v)
		if err != nil {
			return nil, fmt.Errorf("bench: query %v: %w", v, err)
		}
		b, err := json.Marshal(meilisearch.Request(q))
		if err != nil {
			return nil, fmt.Errorf("bench: encode search: %w", err)
		}
		out = append(out, b)
	}
	return out, nil
}

// meiliPost posts body to the benchmark index's path and decodes the answer
// into out (nil: discarded).
func meiliPost(ctx context.Context, client *http.Client, cfg LoadConfig, path string, body []byte, out any) error {
	u := strings.TrimRight(cfg.MeiliURL, "/") + "/indexes/" + url.PathEscape(cfg.MeiliIndex) + path
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+cfg.MeiliKey)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("meilisearch %s: status %d", path, resp.StatusCode)
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// meiliFloor sends each search's floor request straight to Meilisearch.
func meiliFloor(cfg LoadConfig, searches [][]byte) func(context.Context, int, int) error {
	client := newClient(cfg.Workers * 2)
	return func(ctx context.Context, _, i int) error {
		return meiliPost(ctx, client, cfg, "/search", searches[i%len(searches)], nil)
	}
}

// cacheCounts reads the server's search result cache hits and misses so far
// from its /metrics (zeros when url is "" or unreadable).
func cacheCounts(url string) (hits, misses uint64) {
	if url == "" {
		return 0, 0
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return 0, 0
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(body), "\n") {
		name, val, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			continue
		}
		switch name {
		case "dure_search_cache_hits_total":
			hits = uint64(f)
		case "dure_search_cache_misses_total":
			misses = uint64(f)
		}
	}
	return hits, misses
}

// cacheBumper returns a func that invalidates the server's search result
// cache for index (as the outbox worker does after a change).
func cacheBumper(redisURL, index string) (func(), func(), error) {
	rdb, err := dredis.Open(redisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("bench: %w", err)
	}
	cache := dredis.NewSearchCache(rdb, dredis.SearchCachePrefix(index))
	return func() { _ = cache.Bump(context.Background()) }, func() { _ = rdb.Close() }, nil
}

// redisFloor writes a cart line the way the cart store does (MULTI HSET
// EXPIRE EXEC) under a benchmark key prefix, deleted by the returned func.
func redisFloor(redisURL string) (func(context.Context, int, int) error, func(), error) {
	rdb, err := dredis.Open(redisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("bench: %w", err)
	}
	fn := func(ctx context.Context, w, i int) error {
		key := fmt.Sprintf("bench:cart:%d", w)
		pipe := rdb.TxPipeline()
		pipe.HSet(ctx, key, strconv.Itoa(i%50)+":0", strconv.Itoa(1+i%9)+":12000")
		pipe.Expire(ctx, key, 10*time.Minute)
		_, err := pipe.Exec(ctx)
		return err
	}
	closeFn := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		clean := func(ctx context.Context, c *goredis.Client) error {
			iter := c.Scan(ctx, 0, "bench:cart:*", 500).Iterator()
			for iter.Next(ctx) {
				c.Del(ctx, iter.Val())
			}
			return iter.Err()
		}
		if c, ok := rdb.(*goredis.ClusterClient); ok { // SCAN sees one master's slots
			_ = c.ForEachMaster(ctx, clean)
		} else if c, ok := rdb.(*goredis.Client); ok {
			_ = clean(ctx, c)
		}
		_ = rdb.Close()
	}
	return fn, closeFn, nil
}

// cartTargets starts n carts (one add each, keeping the cart cookie) and
// returns cart-add targets that cycle through (cart, product) pairs so that
// no cart passes cart.MaxLines distinct lines and no line cart.MaxQuantity
// for well over a million requests: every request really adds.
func cartTargets(ctx context.Context, base string, products []int64, n int) ([]vegeta.Target, error) {
	client := newClient(4)
	const lines = 40
	cookies := make([]string, n)
	for i := range n {
		body := fmt.Sprintf(`{"product_id":%d,"quantity":1}`, products[i%len(products)])
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/cart/items", strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("bench: start a cart: %w", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return nil, fmt.Errorf("bench: start a cart: status %d", resp.StatusCode)
		}
		var parts []string
		for _, c := range resp.Cookies() {
			parts = append(parts, c.Name+"="+c.Value)
		}
		if len(parts) == 0 {
			return nil, errors.New("bench: start a cart: no cart cookie")
		}
		cookies[i] = strings.Join(parts, "; ")
	}
	var ts []vegeta.Target
	for l := range lines {
		for i := range n {
			p := products[(i+l)%len(products)]
			h := http.Header{"Content-Type": {"application/json"}, "Cookie": {cookies[i]}}
			ts = append(ts, vegeta.Target{Method: http.MethodPost, URL: base + "/api/v1/cart/items",
				Body: fmt.Appendf(nil, `{"product_id":%d,"quantity":1}`, p), Header: h})
		}
	}
	return ts, nil
}

// checkCartAdd makes sure a cart add answered a cart with lines in it.
func checkCartAdd(body []byte) error {
	var out struct {
		Data struct {
			Lines []struct {
				Quantity int `json:"quantity"`
			} `json:"lines"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return fmt.Errorf("cart add: answer is not a cart: %w", err)
	}
	if len(out.Data.Lines) == 0 {
		return errors.New("cart add: the cart is still empty")
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }
