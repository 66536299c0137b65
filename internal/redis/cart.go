// Package redis implements Dure's Redis-backed stores: carts (a hash per cart,
// refreshed TTL), and later sessions and rate limits.
package redis

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
)

// CartStore keeps each cart as a hash "<prefix>cart:<id>" whose fields are
// "<product>:<option>" and values "<quantity>:<price seen>".
type CartStore struct {
	rdb    goredis.UniversalClient
	prefix string
}

var _ cart.Store = (*CartStore)(nil)

// NewCartStore returns a cart store; prefix namespaces keys (tests use one each).
func NewCartStore(rdb goredis.UniversalClient, prefix string) *CartStore {
	return &CartStore{rdb: rdb, prefix: prefix}
}

func (s *CartStore) key(id string) string { return s.prefix + "cart:" + id }

func field(k cart.Key) string {
	return strconv.FormatInt(k.ProductID, 10) + ":" + strconv.FormatInt(k.OptionID, 10)
}

// Lines returns the cart's lines, ordered by product then option.
func (s *CartStore) Lines(ctx context.Context, id string) ([]cart.Line, error) {
	pipe := s.rdb.Pipeline()
	all := pipe.HGetAll(ctx, s.key(id))
	pipe.Expire(ctx, s.key(id), cart.TTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, wrap("cart lines", err)
	}
	lines := make([]cart.Line, 0, len(all.Val()))
	for f, v := range all.Val() {
		l, ok := parseLine(f, v)
		if !ok {
			continue // a field this code did not write: ignore rather than fail the cart
		}
		lines = append(lines, l)
	}
	slices.SortFunc(lines, func(a, b cart.Line) int {
		if c := cmp.Compare(a.ProductID, b.ProductID); c != 0 {
			return c
		}
		return cmp.Compare(a.OptionID, b.OptionID)
	})
	return lines, nil
}

func parseLine(f, v string) (cart.Line, bool) {
	p, o, ok1 := strings.Cut(f, ":")
	q, pr, ok2 := strings.Cut(v, ":")
	if !ok1 || !ok2 {
		return cart.Line{}, false
	}
	pid, e1 := strconv.ParseInt(p, 10, 64)
	oid, e2 := strconv.ParseInt(o, 10, 64)
	qty, e3 := strconv.Atoi(q)
	price, e4 := strconv.ParseInt(pr, 10, 64)
	if e1 != nil || e2 != nil || e3 != nil || e4 != nil || qty <= 0 {
		return cart.Line{}, false
	}
	return cart.Line{Key: cart.Key{ProductID: pid, OptionID: oid}, Quantity: qty, PriceAtAdd: price}, true
}

// Put sets one line as given and refreshes the TTL, atomically. It checks no
// limit and keeps nothing of the line as it was, so the cart service changes
// lines with Add, Set and SeePrice; Put seeds carts in tests.
func (s *CartStore) Put(ctx context.Context, id string, l cart.Line) error {
	pipe := s.rdb.TxPipeline()
	pipe.HSet(ctx, s.key(id), field(l.Key), strconv.Itoa(l.Quantity)+":"+strconv.FormatInt(l.PriceAtAdd, 10))
	pipe.Expire(ctx, s.key(id), cart.TTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return wrap("cart put", err)
	}
	return nil
}

// parseLua is the Lua of parseLine's value half: parse(v) returns a line's
// quantity and price seen, or nil for a value this code did not write.
const parseLua = `
local function parse(v)
  local q, p = string.match(v, '^(%d+):(%-?%d+)$')
  q = tonumber(q)
  if q == nil or q <= 0 then return nil end
  return q, p
end
`

// addScript is CartStore.Add: KEYS the cart; ARGV the field, the quantity to
// add, the price seen, the line's limit, the line cap and the TTL in
// seconds. It answers the quantity before, after, and 1 when the cart was
// full.
var addScript = goredis.NewScript(parseLua + `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local before = 0
if cur then before = parse(cur) or 0 end
local after, full = before, 0
if not cur and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[5]) then
  full = 1
elseif before + tonumber(ARGV[2]) <= tonumber(ARGV[4]) then
  after = before + tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], ARGV[1], after .. ':' .. ARGV[3])
end
redis.call('EXPIRE', KEYS[1], ARGV[6])
return {before, after, full}
`)

// Add raises a line within its limit and the line cap in one Lua script, so
// that adds made at once all count and none passes a limit (a read and a
// write of their own would let two adds read the same quantity).
func (s *CartStore) Add(ctx context.Context, id string, l cart.Line, limit, maxLines int) (cart.Added, error) {
	reply, err := addScript.Run(ctx, s.rdb, []string{s.key(id)},
		field(l.Key), l.Quantity, l.PriceAtAdd, limit, maxLines, int64(cart.TTL.Seconds())).Int64Slice()
	if err != nil {
		return cart.Added{}, wrap("cart add", err)
	}
	if len(reply) != 3 {
		return cart.Added{}, fmt.Errorf("redis: cart add: reply %v", reply)
	}
	return cart.Added{Before: int(reply[0]), After: int(reply[1]), Full: reply[2] == 1}, nil
}

// setScript is CartStore.Set: KEYS the cart; ARGV the field, its value and
// the TTL in seconds. It answers 1 when the cart held the line.
var setScript = goredis.NewScript(`
local held = redis.call('HEXISTS', KEYS[1], ARGV[1])
if held == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return held
`)

// Set replaces a line the cart holds in one Lua script: a line removed
// meanwhile is not put back (which would also pass the line cap).
func (s *CartStore) Set(ctx context.Context, id string, l cart.Line) (bool, error) {
	held, err := setScript.Run(ctx, s.rdb, []string{s.key(id)},
		field(l.Key), strconv.Itoa(l.Quantity)+":"+strconv.FormatInt(l.PriceAtAdd, 10), int64(cart.TTL.Seconds())).Int64()
	if err != nil {
		return false, wrap("cart set", err)
	}
	return held == 1, nil
}

// seePriceScript is CartStore.SeePrice: KEYS the cart; ARGV the field, the
// price seen and the TTL in seconds.
var seePriceScript = goredis.NewScript(parseLua + `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local q = cur and parse(cur)
if q then redis.call('HSET', KEYS[1], ARGV[1], q .. ':' .. ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 0
`)

// SeePrice rewrites a line's price seen in one Lua script, with the quantity
// the line holds then: a view that read the cart before an add does not
// write back the quantity it read.
func (s *CartStore) SeePrice(ctx context.Context, id string, k cart.Key, price int64) error {
	err := seePriceScript.Run(ctx, s.rdb, []string{s.key(id)}, field(k), price, int64(cart.TTL.Seconds())).Err()
	if err != nil {
		return wrap("cart see price", err)
	}
	return nil
}

// Remove deletes one line and refreshes the TTL.
func (s *CartStore) Remove(ctx context.Context, id string, k cart.Key) error {
	pipe := s.rdb.TxPipeline()
	pipe.HDel(ctx, s.key(id), field(k))
	pipe.Expire(ctx, s.key(id), cart.TTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return wrap("cart remove", err)
	}
	return nil
}

// Clear deletes the cart.
func (s *CartStore) Clear(ctx context.Context, id string) error {
	if err := s.rdb.Del(ctx, s.key(id)).Err(); err != nil {
		return wrap("cart clear", err)
	}
	return nil
}

// Count returns the number of lines.
func (s *CartStore) Count(ctx context.Context, id string) (int, error) {
	n, err := s.rdb.HLen(ctx, s.key(id)).Result()
	if err != nil {
		return 0, wrap("cart count", err)
	}
	return int(n), nil
}

// mergeScript is CartStore.Merge: KEYS are the carts merged from and into;
// ARGV the line cap, the TTL in seconds, then pairs of field and limit. It
// answers false when the cart merged from holds a line without a limit,
// else for each line moved: field, quantity, price seen, quantity before,
// after, and 1 when the cart was full.
var mergeScript = goredis.NewScript(parseLua + `
local function canonical(f)
  local p, o = string.match(f, '^(%-?%d+):(%-?%d+)$')
  if p == nil then return nil end
  return string.format('%d:%d', tonumber(p), tonumber(o))
end

local raw = redis.call('HGETALL', KEYS[1])
if #raw == 0 then return {} end
local limits = {}
for i = 3, #ARGV, 2 do limits[ARGV[i]] = tonumber(ARGV[i + 1]) end
local from = {}
for i = 1, #raw, 2 do
  local f, q, p = canonical(raw[i]), parse(raw[i + 1])
  if f ~= nil and q ~= nil then
    if limits[f] == nil then return false end
    from[f] = {q, p}
  end
end

local maxLines = tonumber(ARGV[1])
local n = redis.call('HLEN', KEYS[2])
local out = {}
for i = 3, #ARGV, 2 do
  local f, limit, g = ARGV[i], limits[ARGV[i]], from[ARGV[i]]
  if g ~= nil then
    local cur = redis.call('HGET', KEYS[2], f)
    local before, price = 0, g[2]
    if cur then
      local q, p = parse(cur)
      if q ~= nil then before, price = q, p end
    end
    local after, full = before, 0
    if limit > 0 then
      if not cur and n >= maxLines then
        full = 1
      else
        after = math.max(before, math.min(before + g[1], limit))
      end
    end
    if after > before then
      redis.call('HSET', KEYS[2], f, after .. ':' .. price)
      if not cur then n = n + 1 end
    end
    out[#out + 1] = f
    out[#out + 1] = g[1]
    out[#out + 1] = g[2]
    out[#out + 1] = before
    out[#out + 1] = after
    out[#out + 1] = full
  end
end
redis.call('DEL', KEYS[1])
if n > 0 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
return out
`)

// Merge moves cart fromID into cart intoID in one Lua script, so that no
// other change to either cart falls between reading and writing them. Both
// keys must live on one server: with Redis Cluster they would need a common
// hash tag.
func (s *CartStore) Merge(ctx context.Context, fromID, intoID string, limits map[cart.Key]int, maxLines int) ([]cart.Merged, error) {
	keys := make([]cart.Key, 0, len(limits))
	for k := range limits {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b cart.Key) int {
		return cmp.Or(cmp.Compare(a.ProductID, b.ProductID), cmp.Compare(a.OptionID, b.OptionID))
	})
	args := make([]any, 0, 2+2*len(keys))
	args = append(args, maxLines, int64(cart.TTL.Seconds()))
	for _, k := range keys {
		args = append(args, field(k), limits[k])
	}
	reply, err := mergeScript.Run(ctx, s.rdb, []string{s.key(fromID), s.key(intoID)}, args...).Slice()
	if errors.Is(err, goredis.Nil) {
		return nil, apperr.Errorf(apperr.Conflict, "장바구니가 바뀌는 중이었습니다. 다시 시도해 주세요.")
	}
	if err != nil {
		return nil, wrap("cart merge", err)
	}
	if len(reply)%6 != 0 {
		return nil, fmt.Errorf("redis: cart merge: reply of %d values", len(reply))
	}
	merged := make([]cart.Merged, 0, len(reply)/6)
	for i := 0; i < len(reply); i += 6 {
		f, _ := reply[i].(string)
		price, _ := reply[i+2].(string)
		l, ok := parseLine(f, fmt.Sprint(reply[i+1])+":"+price)
		before, ok1 := reply[i+3].(int64)
		after, ok2 := reply[i+4].(int64)
		full, ok3 := reply[i+5].(int64)
		if !ok || !ok1 || !ok2 || !ok3 {
			return nil, fmt.Errorf("redis: cart merge: bad reply %v", reply[i:i+6])
		}
		merged = append(merged, cart.Merged{Line: l, Before: int(before), After: int(after), Full: full == 1})
	}
	return merged, nil
}
