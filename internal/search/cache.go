package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ResultCache keeps search results per index version, shared by every
// instance (Redis). A result is stored under the versions read before it was
// computed, so a change to the index during a search never hides behind a
// newer version.
//
// There are two versions (CacheVersion). The index version covers what
// decides every list: which products match, their relevance order (sold-out
// last among equals, so an in-stock flip counts), facets; the sort-key
// version covers the consumer price and the rating, which decide only lists
// that sort or filter by them (Query.SortKeyed). Fields a list only shows —
// prices, in stock, rating, review count: Card — are stored per product as
// the worker applies changes and laid over a cached result's hits when it is
// read, so a price or stock change that leaves a list's order alone is shown
// on a cached page at once and invalidates nothing.
type ResultCache interface {
	// Get returns the result stored for key under the current versions (the
	// sort-key version only when sortKeyed), its hits' cards made current,
	// and the versions read (ok false when there is no result).
	Get(ctx context.Context, key string, sortKeyed bool) (res *Result, v CacheVersion, ok bool, err error)
	// Set stores res for key under v.
	Set(ctx context.Context, v CacheVersion, key string, res *Result) error
	// Apply records the cards of a change the worker applied to the index
	// and starts the versions it invalidates (CardImpact); a delete starts a
	// new index version.
	Apply(ctx context.Context, c Change) error
	// Bump starts a new index version: every result stored before is stale
	// (a synonym push).
	Bump(ctx context.Context) error
	// Reset is Bump that also forgets every card (a reindex, which may bring
	// changes made without the outbox).
	Reset(ctx context.Context) error
}

// CacheVersion is the pair of versions a cached result is stored under.
type CacheVersion struct {
	Index   int64
	SortKey int64 // -1 for a query that is not SortKeyed
}

// SortKeyed reports whether q's list depends on the sort-key fields: sorted
// by price or rating, or filtered by price.
func (q Query) SortKeyed() bool {
	switch q.Sort {
	case SortPriceAsc, SortPriceDesc, SortRating:
		return true
	}
	return q.MinPrice > 0 || q.MaxPrice > 0
}

// Card is what a result list shows of a product that can change without
// changing the list of a query that is not SortKeyed, plus Rank, a hash of
// every other field of its document (what matches, ranks and counts in
// facets).
type Card struct {
	ConsumerPrice int64
	PublicPrice   int64
	InStock       bool
	RatingAvg     int
	ReviewCount   int
	Rank          uint64
}

// CardOf returns d's card.
func CardOf(d *Document) Card {
	rest := *d
	rest.ConsumerPrice, rest.PublicPrice, rest.InStock, rest.Stock, rest.RatingAvg, rest.ReviewCount = 0, 0, false, 0, 0, 0
	b, _ := json.Marshal(&rest) // a Document always encodes
	h := fnv.New64a()
	h.Write(b)
	return Card{ConsumerPrice: d.ConsumerPrice, PublicPrice: d.PublicPrice, InStock: d.InStock,
		RatingAvg: d.RatingAvg, ReviewCount: d.ReviewCount, Rank: h.Sum64()}
}

// Impact is what a product's change invalidates in a ResultCache.
type Impact int

// Impacts, least first.
const (
	ImpactNone    Impact = iota // shown through the card: the public price, the stock count
	ImpactSortKey               // the consumer price or the rating: lists that are SortKeyed
	ImpactIndex                 // anything else, an in-stock flip, or a product new to the cache: every list
)

// CardImpact is what changing a product's card from old (known false when
// the cache has none: a new product, or one whose card was lost) to new
// invalidates. An in-stock flip is ImpactIndex: sold-out products rank after
// equally relevant ones and the in-stock filter drops them, and letting a
// cached page keep the old order while a page computed later has the new
// one would show a product twice, or never, across pages.
func CardImpact(old Card, known bool, new Card) Impact {
	switch {
	case !known || old.Rank != new.Rank || old.InStock != new.InStock:
		return ImpactIndex
	case old.ConsumerPrice != new.ConsumerPrice || old.RatingAvg != new.RatingAvg || old.ReviewCount != new.ReviewCount:
		return ImpactSortKey
	}
	return ImpactNone
}

// Show lays c over h: the fields a cached hit shows that the card keeps
// current.
func (c Card) Show(h *Hit) {
	h.ConsumerPrice, h.PublicPrice, h.InStock, h.RatingAvg, h.ReviewCount =
		c.ConsumerPrice, c.PublicPrice, c.InStock, c.RatingAvg, c.ReviewCount
}

// CacheKey is q's key in a ResultCache: its text as searched (spaces
// collapsed, case kept: 'EM' and 'em' read differently), filters in a fixed
// order (repeatable ones sorted), sort and page, hashed to a fixed length.
// Variants are left out: they follow from the text.
func CacheKey(q Query) string {
	var b strings.Builder
	b.WriteString(strings.Join(strings.Fields(q.Text), " "))
	num := func(name string, n int64) {
		b.WriteString("\x00")
		b.WriteString(name)
		b.WriteString(strconv.FormatInt(n, 10))
	}
	num("c", q.CategoryID)
	num("e", q.EnterpriseID)
	types := make([]string, len(q.EnterpriseTypes))
	for i, t := range q.EnterpriseTypes {
		types[i] = string(t)
	}
	regions := make([]string, len(q.Regions))
	for i, r := range q.Regions {
		regions[i] = string(r)
	}
	slices.Sort(types)
	slices.Sort(regions)
	b.WriteString("\x00t" + strings.Join(slices.Compact(types), ","))
	b.WriteString("\x00r" + strings.Join(slices.Compact(regions), ","))
	b.WriteString("\x00x" + string(q.TaxType) + "\x00k" + string(q.Kind))
	num("min", q.MinPrice)
	num("max", q.MaxPrice)
	if q.InStock {
		b.WriteString("\x00s")
	}
	b.WriteString("\x00o" + string(q.Sort))
	num("p", int64(q.Page))
	num("n", int64(q.PerPage))
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:16])
}

// cached answers q from s.cache when it can; otherwise it runs search and
// stores what the primary engine answered (never a degraded answer, which
// PostgreSQL gave while Meilisearch was away, nor an error). A cache that
// fails is passed by: search works without Redis.
//
// Each cache call gets cacheBudget; after a failure the cache is left alone
// for cacheCooldown, so a Redis that is down or hung costs one search the
// budget, not every search.
//
// The answer is stored after it is returned (its caller need not wait for
// Redis): a search of the same key in this process waits for that store
// first, so it finds what was just computed.
func (s *Service) cached(ctx context.Context, q Query, search func() (*Result, error)) (*Result, error) {
	if s.cache == nil || time.Now().UnixNano() < s.cacheOffUntil.Load() {
		return search()
	}
	key := CacheKey(q)
	if done, ok := s.storing.Load(key); ok {
		select {
		case <-done.(chan struct{}):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	gctx, cancel := context.WithTimeout(ctx, cacheBudget)
	res, ver, ok, err := s.cache.Get(gctx, key, q.SortKeyed())
	cancel()
	if err == nil && ok {
		s.count(true)
		return res, nil
	}
	s.count(false)
	if err != nil {
		s.cacheFailed(ctx, err)
	}
	res, serr := search()
	if serr != nil || err != nil || res.Degraded {
		return res, serr
	}
	done := make(chan struct{})
	s.storing.Store(key, done)
	bg := context.WithoutCancel(ctx)
	s.stores.Add(1)
	go func() {
		defer s.stores.Done()
		defer close(done)
		defer s.storing.CompareAndDelete(key, done)
		sctx, cancel := context.WithTimeout(bg, cacheBudget)
		defer cancel()
		if err := s.cache.Set(sctx, ver, key, res); err != nil {
			s.cacheFailed(bg, err)
		}
	}()
	return res, nil
}

// Flush waits until every answer being stored in the cache is stored: for
// another instance (or a test standing for one) to find it. (At shutdown a
// store under way may be lost: the next search computes the answer again.)
func (s *Service) Flush() {
	s.stores.Wait()
}

// The result cache's time budget per call and its rest after a failure.
const (
	cacheBudget   = 250 * time.Millisecond
	cacheCooldown = 5 * time.Second
)

// cacheFailed rests the cache for cacheCooldown after a failure that was
// not the request's own end.
func (s *Service) cacheFailed(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	s.cacheOffUntil.Store(time.Now().Add(cacheCooldown).UnixNano())
	s.log.DebugContext(ctx, "search: result cache failed; resting it", "err", err, "for", cacheCooldown)
}

func (s *Service) count(hit bool) {
	if s.metrics == nil {
		return
	}
	if hit {
		s.metrics.SearchCacheHits.Inc()
	} else {
		s.metrics.SearchCacheMisses.Inc()
	}
}
