package redis

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
	fastjson "github.com/segmentio/encoding/json"

	"github.com/dure-coop/dure/internal/search"
)

// SearchCacheTTL is how long a cached search result lives. Bumping the
// version is what invalidates; the TTL only bounds how long a result can be
// stale when a bump was lost (Redis away while the worker applied a change)
// and lets superseded versions' results expire.
const SearchCacheTTL = 5 * time.Minute

// SearchCache is search.ResultCache on Redis: the index version under
// "<prefix>{search}:ver", the sort-key version under "<prefix>{search}:sver",
// each product's card in the hash "<prefix>{search}:cards" (field: the
// product id), and each result under
// "<prefix>{search}:r:<version>:<sort-key version or ->:<key>" as its hits'
// ids, a newline and the result's JSON. The hash tag keeps them in one slot,
// so the one-round-trip lookup (a script reading the versions, the result and
// its hits' cards) also works on a Redis Cluster.
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

func (c *SearchCache) verKey() string   { return c.prefix + "{search}:ver" }
func (c *SearchCache) sverKey() string  { return c.prefix + "{search}:sver" }
func (c *SearchCache) cardsKey() string { return c.prefix + "{search}:cards" }

func (c *SearchCache) resultKey(v search.CacheVersion, key string) string {
	s := "-"
	if v.SortKey >= 0 {
		s = strconv.FormatInt(v.SortKey, 10)
	}
	return c.prefix + "{search}:r:" + strconv.FormatInt(v.Index, 10) + ":" + s + ":" + key
}

// getScript reads the versions, the result stored under them and its hits'
// cards in one round trip: KEYS the version, sort-key version and cards
// keys; ARGV[1] the result key's prefix, ARGV[2] the search's key, ARGV[3]
// "1" when the search is sort-keyed. It answers {version, sort-key version}
// or {version, sort-key version, result, card of each hit ("" when none)}.
var getScript = goredis.NewScript(`
local v = redis.call('GET', KEYS[1]) or '0'
local s = '-'
local sv = '0'
if ARGV[3] == '1' then
  sv = redis.call('GET', KEYS[2]) or '0'
  s = sv
end
local r = redis.call('GET', ARGV[1] .. v .. ':' .. s .. ':' .. ARGV[2])
if not r then return {v, sv} end
local out = {v, sv, r}
local nl = string.find(r, '\n', 1, true)
if nl and nl > 1 then
  local ids = {}
  for id in string.gmatch(string.sub(r, 1, nl - 1), '%d+') do ids[#ids + 1] = id end
  local cards = redis.call('HMGET', KEYS[3], unpack(ids))
  for i = 1, #ids do out[#out + 1] = cards[i] or '' end
end
return out
`)

// Get returns the result stored for key under the current versions, with
// its hits' current cards laid over them.
func (c *SearchCache) Get(ctx context.Context, key string, sortKeyed bool) (*search.Result, search.CacheVersion, bool, error) {
	flag := "0"
	if sortKeyed {
		flag = "1"
	}
	var v search.CacheVersion
	out, err := getScript.Run(ctx, c.rdb, []string{c.verKey(), c.sverKey(), c.cardsKey()},
		c.prefix+"{search}:r:", key, flag).Slice()
	if err != nil {
		return nil, v, false, wrap("search cache get", err)
	}
	if len(out) < 2 {
		return nil, v, false, fmt.Errorf("redis: search cache get: %d values", len(out))
	}
	for i, dst := range []*int64{&v.Index, &v.SortKey} {
		s, _ := out[i].(string)
		if *dst, err = strconv.ParseInt(s, 10, 64); err != nil {
			return nil, v, false, fmt.Errorf("redis: search cache version %q: %w", s, err)
		}
	}
	if !sortKeyed {
		v.SortKey = -1
	}
	if len(out) == 2 { // not cached
		return nil, v, false, nil
	}
	raw, _ := out[2].(string)
	_, body, found := strings.Cut(raw, "\n")
	if !found {
		return nil, v, false, fmt.Errorf("redis: search cache entry without ids")
	}
	var res search.Result
	if err := fastjson.Unmarshal([]byte(body), &res); err != nil {
		return nil, v, false, fmt.Errorf("redis: search cache decode: %w", err)
	}
	cards := out[3:]
	for i := range res.Hits {
		if i >= len(cards) {
			break
		}
		if s, _ := cards[i].(string); s != "" {
			if card, ok := decodeCard(s); ok {
				card.Show(&res.Hits[i])
			}
		}
	}
	return &res, v, true, nil
}

// Set stores res for key under v.
func (c *SearchCache) Set(ctx context.Context, v search.CacheVersion, key string, res *search.Result) error {
	b, err := fastjson.Marshal(res)
	if err != nil {
		return fmt.Errorf("redis: search cache encode: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = strconv.FormatInt(h.ProductID, 10)
	}
	entry := strings.Join(ids, ",") + "\n" + string(b)
	if err := c.rdb.Set(ctx, c.resultKey(v, key), entry, c.ttl).Err(); err != nil {
		return wrap("search cache set", err)
	}
	return nil
}

// Apply writes the cards of the change's documents, forgets those of the
// removed products, and starts the versions the change invalidates
// (search.CardImpact): two round trips, whatever the batch's size.
func (c *SearchCache) Apply(ctx context.Context, ch search.Change) error {
	impact := search.ImpactNone
	if len(ch.Delete) > 0 {
		impact = search.ImpactIndex
	}
	fields := make([]string, len(ch.Upsert))
	for i := range ch.Upsert {
		fields[i] = strconv.FormatInt(ch.Upsert[i].ID, 10)
	}
	var old []any
	if len(fields) > 0 {
		var err error
		if old, err = c.rdb.HMGet(ctx, c.cardsKey(), fields...).Result(); err != nil {
			return wrap("search cache cards", err)
		}
	}
	values := make([]any, 0, 2*len(fields))
	for i := range ch.Upsert {
		card := search.CardOf(&ch.Upsert[i])
		if impact < search.ImpactIndex {
			s, _ := old[i].(string)
			prev, known := decodeCard(s)
			impact = max(impact, search.CardImpact(prev, known, card))
		}
		values = append(values, fields[i], encodeCard(card))
	}
	_, err := c.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		if len(values) > 0 {
			p.HSet(ctx, c.cardsKey(), values...)
		}
		if len(ch.Delete) > 0 {
			gone := make([]string, len(ch.Delete))
			for i, id := range ch.Delete {
				gone[i] = strconv.FormatInt(id, 10)
			}
			p.HDel(ctx, c.cardsKey(), gone...)
		}
		switch impact {
		case search.ImpactIndex:
			p.Incr(ctx, c.verKey())
		case search.ImpactSortKey:
			p.Incr(ctx, c.sverKey())
		}
		return nil
	})
	if err != nil {
		return wrap("search cache apply", err)
	}
	return nil
}

// Bump starts a new index version.
func (c *SearchCache) Bump(ctx context.Context) error {
	if err := c.rdb.Incr(ctx, c.verKey()).Err(); err != nil {
		return wrap("search cache bump", err)
	}
	return nil
}

// Reset starts a new index version and forgets every card (UNLINK frees the
// hash off Redis's main thread).
func (c *SearchCache) Reset(ctx context.Context) error {
	_, err := c.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.Unlink(ctx, c.cardsKey())
		p.Incr(ctx, c.verKey())
		return nil
	})
	if err != nil {
		return wrap("search cache reset", err)
	}
	return nil
}

// encodeCard writes a card as "consumer price|public price|in stock (1/0)|
// rating avg|review count|rank".
func encodeCard(c search.Card) string {
	stock := "0"
	if c.InStock {
		stock = "1"
	}
	return strconv.FormatInt(c.ConsumerPrice, 10) + "|" + strconv.FormatInt(c.PublicPrice, 10) + "|" + stock + "|" +
		strconv.Itoa(c.RatingAvg) + "|" + strconv.Itoa(c.ReviewCount) + "|" + strconv.FormatUint(c.Rank, 16)
}

// decodeCard reads encodeCard's form; ok false for anything else.
func decodeCard(s string) (search.Card, bool) {
	parts := strings.Split(s, "|")
	if len(parts) != 6 {
		return search.Card{}, false
	}
	var c search.Card
	var errs [5]error
	c.ConsumerPrice, errs[0] = strconv.ParseInt(parts[0], 10, 64)
	c.PublicPrice, errs[1] = strconv.ParseInt(parts[1], 10, 64)
	c.InStock = parts[2] == "1"
	c.RatingAvg, errs[2] = strconv.Atoi(parts[3])
	c.ReviewCount, errs[3] = strconv.Atoi(parts[4])
	c.Rank, errs[4] = strconv.ParseUint(parts[5], 16, 64)
	for _, err := range errs {
		if err != nil {
			return search.Card{}, false
		}
	}
	return c, true
}
