package redis

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/search"
)

// SearchCacheTTL is how long a cached search result lives. Bumping the
// version is what invalidates; the TTL only bounds how long a result can be
// stale when a bump was lost (Redis away while the worker applied a change)
// and lets superseded versions' results expire.
const SearchCacheTTL = 5 * time.Minute

// SearchCache is search.ResultCache on Redis: the version under
// "<prefix>{search}:ver", each result as JSON under
// "<prefix>{search}:r:<version>:<key>". The hash tag keeps them in one slot,
// so the one-round-trip lookup (a script reading the version and then the
// result) also works on a Redis Cluster.
type SearchCache struct {
	rdb    goredis.UniversalClient
	prefix string
	ttl    time.Duration
}

var _ search.ResultCache = (*SearchCache)(nil)

// SearchCachePrefix is the key prefix of the cache of the index named index:
// servers, workers and the benchmark on one Redis keep each index's results
// apart.
func SearchCachePrefix(index string) string { return index + ":" }

// NewSearchCache returns the cache; prefix namespaces keys (SearchCachePrefix;
// tests use one each).
func NewSearchCache(rdb goredis.UniversalClient, prefix string) *SearchCache {
	return &SearchCache{rdb: rdb, prefix: prefix, ttl: SearchCacheTTL}
}

func (c *SearchCache) verKey() string { return c.prefix + "{search}:ver" }

func (c *SearchCache) resultKey(version int64, key string) string {
	return c.prefix + "{search}:r:" + strconv.FormatInt(version, 10) + ":" + key
}

// getScript reads the version and the result stored under it in one round
// trip: KEYS[1] the version key, ARGV[1] the result key's prefix, ARGV[2] the
// search's key.
var getScript = goredis.NewScript(`
local v = redis.call('GET', KEYS[1]) or '0'
local r = redis.call('GET', ARGV[1] .. v .. ':' .. ARGV[2])
return {v, r}
`)

// Get returns the result stored for key under the current version.
func (c *SearchCache) Get(ctx context.Context, key string) (*search.Result, int64, bool, error) {
	out, err := getScript.Run(ctx, c.rdb, []string{c.verKey()}, c.prefix+"{search}:r:", key).Slice()
	if err != nil {
		return nil, 0, false, wrap("search cache get", err)
	}
	if len(out) != 2 {
		return nil, 0, false, fmt.Errorf("redis: search cache get: %d values", len(out))
	}
	vs, _ := out[0].(string)
	ver, err := strconv.ParseInt(vs, 10, 64)
	if err != nil {
		return nil, 0, false, fmt.Errorf("redis: search cache version %q: %w", vs, err)
	}
	raw, ok := out[1].(string)
	if !ok { // nil: not cached
		return nil, ver, false, nil
	}
	var res search.Result
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		return nil, ver, false, fmt.Errorf("redis: search cache decode: %w", err)
	}
	return &res, ver, true, nil
}

// Set stores res for key under version.
func (c *SearchCache) Set(ctx context.Context, version int64, key string, res *search.Result) error {
	b, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("redis: search cache encode: %w", err)
	}
	if err := c.rdb.Set(ctx, c.resultKey(version, key), b, c.ttl).Err(); err != nil {
		return wrap("search cache set", err)
	}
	return nil
}

// Bump starts a new version.
func (c *SearchCache) Bump(ctx context.Context) error {
	if err := c.rdb.Incr(ctx, c.verKey()).Err(); err != nil {
		return wrap("search cache bump", err)
	}
	return nil
}
