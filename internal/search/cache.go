package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// ResultCache keeps search results per index version, shared by every
// instance (Redis). A result is stored under the version read before it was
// computed, so a change to the index during a search never hides behind a
// newer version; bumping the version (the outbox worker, after every change
// it applies, and a reindex or synonym push) makes every stored result
// unreachable at once, on every instance.
type ResultCache interface {
	// Get returns the result stored for key under the current version, and
	// that version (ok false when there is none).
	Get(ctx context.Context, key string) (res *Result, version int64, ok bool, err error)
	// Set stores res for key under version.
	Set(ctx context.Context, version int64, key string, res *Result) error
	// Bump starts a new version: every result stored before is stale.
	Bump(ctx context.Context) error
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
func (s *Service) cached(ctx context.Context, q Query, search func() (*Result, error)) (*Result, error) {
	if s.cache == nil {
		return search()
	}
	key := CacheKey(q)
	res, ver, ok, err := s.cache.Get(ctx, key)
	if err == nil && ok {
		s.count(true)
		return res, nil
	}
	s.count(false)
	res, serr := search()
	if serr != nil || err != nil || res.Degraded {
		return res, serr
	}
	if err := s.cache.Set(ctx, ver, key, res); err != nil {
		s.log.DebugContext(ctx, "search: result cache write failed", "err", err)
	}
	return res, nil
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
