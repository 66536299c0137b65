// Package redis implements Dure's Redis-backed stores: carts (a hash per cart,
// refreshed TTL), and later sessions and rate limits.
package redis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"

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
		return nil, fmt.Errorf("redis: cart lines: %w", err)
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

// Put sets one line and refreshes the TTL, atomically.
func (s *CartStore) Put(ctx context.Context, id string, l cart.Line) error {
	pipe := s.rdb.TxPipeline()
	pipe.HSet(ctx, s.key(id), field(l.Key), strconv.Itoa(l.Quantity)+":"+strconv.FormatInt(l.PriceAtAdd, 10))
	pipe.Expire(ctx, s.key(id), cart.TTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("redis: cart put: %w", err)
	}
	return nil
}

// Remove deletes one line and refreshes the TTL.
func (s *CartStore) Remove(ctx context.Context, id string, k cart.Key) error {
	pipe := s.rdb.TxPipeline()
	pipe.HDel(ctx, s.key(id), field(k))
	pipe.Expire(ctx, s.key(id), cart.TTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("redis: cart remove: %w", err)
	}
	return nil
}

// Clear deletes the cart.
func (s *CartStore) Clear(ctx context.Context, id string) error {
	if err := s.rdb.Del(ctx, s.key(id)).Err(); err != nil {
		return fmt.Errorf("redis: cart clear: %w", err)
	}
	return nil
}

// Count returns the number of lines.
func (s *CartStore) Count(ctx context.Context, id string) (int, error) {
	n, err := s.rdb.HLen(ctx, s.key(id)).Result()
	if err != nil {
		return 0, fmt.Errorf("redis: cart count: %w", err)
	}
	return int(n), nil
}
