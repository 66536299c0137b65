// Package redis implements Dure's Redis-backed stores: carts (a hash per cart,
// refreshed TTL), and later sessions and rate limits.
package redis

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/cart"
)

// CartStore keeps each cart as a hash "<prefix>cart:<id>" whose fields are
// "<product>:<option>" and values "<quantity>:<price seen>". Every command
// and script touches one cart's slot, so it works on a Redis Cluster; the
// prefix must not hold braces (a hash tag of its own would put every cart in
// one slot, and Merge's keys out of their cart's).
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
	return hashLines(all.Val()), nil
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

// noticesKey shares the cart's slot (its hash tag is the cart's key).
func (s *CartStore) noticesKey(id string) string { return "{" + s.key(id) + "}:notices" }

// SetNotices keeps notices for the cart's next page, for cart.NoticeTTL.
func (s *CartStore) SetNotices(ctx context.Context, id string, notices []string) error {
	var err error
	if len(notices) == 0 {
		err = s.rdb.Del(ctx, s.noticesKey(id)).Err()
	} else {
		raw, _ := json.Marshal(notices) // strings always marshal
		err = s.rdb.Set(ctx, s.noticesKey(id), raw, cart.NoticeTTL).Err()
	}
	if err != nil {
		return wrap("cart notices", err)
	}
	return nil
}

// TakeNotices returns the kept notices and deletes them (GETDEL).
func (s *CartStore) TakeNotices(ctx context.Context, id string) ([]string, error) {
	raw, err := s.rdb.GetDel(ctx, s.noticesKey(id)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("cart notices", err)
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("redis: cart notices: %w", err)
	}
	return out, nil
}

// Count returns the number of lines.
func (s *CartStore) Count(ctx context.Context, id string) (int, error) {
	n, err := s.rdb.HLen(ctx, s.key(id)).Result()
	if err != nil {
		return 0, wrap("cart count", err)
	}
	return int(n), nil
}

// The merge at sign-in moves a guest cart into a member's cart. On a Redis
// Cluster the two carts are in different slots, and no script or MULTI may
// touch both, so Merge goes in three steps, each one atomic script on one
// cart's slot, with two keys of its own that share that cart's slot through a
// hash tag made of the cart's whole key:
//
//	{<prefix>cart:<guest>}:merging         the guest's lines taken aside, with
//	                                       the merge's token (~t) and target (~i)
//	{<prefix>cart:<member>}:merged:<token> set when the lines of the merge
//	                                       with that token are in the member's cart
//
//  1. take: rename the guest cart to its "merging" key (unless one is there
//     from a merge that stopped midway: that one is taken as it is), so that
//     later adds to the guest cart make a new cart rather than change the
//     lines being moved;
//  2. apply: add the taken lines to the member's cart and set the "merged"
//     marker, in one script that does nothing when the marker is already set;
//  3. end: delete the "merging" key.
//
// A failure between the steps leaves the lines in the "merging" key, and the
// next Merge from the same guest cart finishes that merge first: step 2 runs
// again only where it did not (the marker), so no line is lost or added
// twice. Two Merges at once take the same lines and token; one applies them.

func (s *CartStore) mergingKey(id string) string { return "{" + s.key(id) + "}:merging" }

func (s *CartStore) mergedKey(id, token string) string {
	return "{" + s.key(id) + "}:merged:" + token
}

// takeScript is step 1: KEYS the guest cart and its "merging" key; ARGV a new
// token, the cart merged into and the TTL in seconds. It answers the
// "merging" hash (empty when there is nothing to merge).
var takeScript = goredis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[2], '~t', ARGV[1], '~i', ARGV[2])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
return redis.call('HGETALL', KEYS[2])
`)

// applyScript is step 2: KEYS the cart merged into and the merge's marker;
// ARGV the line cap, the TTL in seconds, then for each line its field,
// quantity, price seen and limit. When the marker is set it changes nothing
// and answers nothing; else for each line: field, quantity, price seen,
// quantity before, after, and 1 when the cart was full.
var applyScript = goredis.NewScript(parseLua + `
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then return {} end
local maxLines = tonumber(ARGV[1])
local n = redis.call('HLEN', KEYS[1])
local out = {}
for i = 3, #ARGV, 4 do
  local f, moved, seen, limit = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], tonumber(ARGV[i + 3])
  local cur = redis.call('HGET', KEYS[1], f)
  local before, price = 0, seen
  if cur then
    local q, p = parse(cur)
    if q ~= nil then before, price = q, p end
  end
  local after, full = before, 0
  if limit > 0 then
    if not cur and n >= maxLines then
      full = 1
    else
      after = math.max(before, math.min(before + moved, limit))
    end
  end
  if after > before then
    redis.call('HSET', KEYS[1], f, after .. ':' .. price)
    if not cur then n = n + 1 end
  end
  out[#out + 1] = f
  out[#out + 1] = moved
  out[#out + 1] = seen
  out[#out + 1] = before
  out[#out + 1] = after
  out[#out + 1] = full
end
if n > 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return out
`)

// endScript is step 3: KEYS the "merging" key; ARGV the merge's token.
var endScript = goredis.NewScript(`
if redis.call('HGET', KEYS[1], '~t') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`)

// mergeRounds bounds how many merges one Merge runs: one left midway, the
// guest cart, and what a tab added to it during the first two.
const mergeRounds = 3

// Merge moves cart fromID into cart intoID in the three steps above, so that
// it works when the carts live on different servers of a Redis Cluster.
func (s *CartStore) Merge(ctx context.Context, fromID, intoID string, limits cart.MergeLimits, maxLines int) ([]cart.Merged, error) {
	var out []cart.Merged
	for range mergeRounds {
		// Ask for the limits of the lines as they are before changing
		// anything: a catalogue that cannot answer leaves the carts alone.
		pipe := s.rdb.Pipeline()
		pending := pipe.HGetAll(ctx, s.mergingKey(fromID))
		guest := pipe.HGetAll(ctx, s.key(fromID))
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, wrap("cart merge", err)
		}
		peek := pending.Val()
		if len(peek) == 0 {
			peek = guest.Val()
		}
		if len(peek) == 0 {
			return out, nil
		}
		lim, err := limits(ctx, hashLines(peek))
		if err != nil {
			return nil, err
		}

		raw, err := takeScript.Run(ctx, s.rdb, []string{s.key(fromID), s.mergingKey(fromID)},
			newToken(), intoID, int64(cart.TTL.Seconds())).StringSlice()
		if err != nil {
			return nil, wrap("cart merge: take", err)
		}
		taken := make(map[string]string, len(raw)/2)
		for i := 0; i+1 < len(raw); i += 2 {
			taken[raw[i]] = raw[i+1]
		}
		token, into := taken["~t"], taken["~i"]
		if token == "" || into == "" {
			return out, nil // another Merge finished meanwhile
		}
		taking := hashLines(taken)
		var missing []cart.Line // lines added between the peek and the take
		for _, l := range taking {
			if _, ok := lim[l.Key]; !ok {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			more, err := limits(ctx, missing)
			if err != nil {
				return nil, err // the lines wait in the "merging" key for the next Merge
			}
			for k, v := range more {
				lim[k] = v
			}
		}

		args := make([]any, 0, 2+4*len(taking))
		args = append(args, maxLines, int64(cart.TTL.Seconds()))
		for _, l := range taking {
			args = append(args, field(l.Key), l.Quantity, l.PriceAtAdd, lim[l.Key])
		}
		reply, err := applyScript.Run(ctx, s.rdb, []string{s.key(into), s.mergedKey(into, token)}, args...).Slice()
		if err != nil {
			return nil, wrap("cart merge: apply", err)
		}
		merged, err := parseMerged(reply)
		if err != nil {
			return nil, err
		}
		if err := endScript.Run(ctx, s.rdb, []string{s.mergingKey(fromID)}, token).Err(); err != nil {
			return nil, wrap("cart merge: end", err)
		}
		if into == intoID {
			out = append(out, merged...)
		}
	}
	return out, nil
}

// hashLines returns the lines of a cart hash, ordered by product then
// option, skipping fields this code did not write (and the "merging" key's
// token and target).
func hashLines(h map[string]string) []cart.Line {
	lines := make([]cart.Line, 0, len(h))
	for f, v := range h {
		if l, ok := parseLine(f, v); ok {
			lines = append(lines, l)
		}
	}
	slices.SortFunc(lines, func(a, b cart.Line) int {
		return cmp.Or(cmp.Compare(a.ProductID, b.ProductID), cmp.Compare(a.OptionID, b.OptionID))
	})
	return lines
}

func parseMerged(reply []any) ([]cart.Merged, error) {
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

func newToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
