package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// RateLimiter counts requests per key in fixed windows shared by every
// instance: INCR on "<prefix>rl:<key>:<window>" with an expiry of one window.
type RateLimiter struct {
	rdb    goredis.UniversalClient
	prefix string
}

// NewRateLimiter returns a limiter; prefix namespaces keys (tests use one each).
func NewRateLimiter(rdb goredis.UniversalClient, prefix string) *RateLimiter {
	return &RateLimiter{rdb: rdb, prefix: prefix}
}

// Allow counts one request for key and reports whether it is within limit
// requests per window.
func (r *RateLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	slot := time.Now().UnixNano() / int64(window)
	k := fmt.Sprintf("%srl:%s:%d", r.prefix, key, slot)
	pipe := r.rdb.TxPipeline()
	n := pipe.Incr(ctx, k)
	pipe.Expire(ctx, k, window)
	if _, err := pipe.Exec(ctx); err != nil {
		return false, wrap("rate limit", err)
	}
	return n.Val() <= int64(limit), nil
}
