package redis_test

import (
	"context"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/redis"
)

// Two limiters on one Redis (two instances of the app) share each key's
// count; another key counts apart.
func TestRateLimiterSharedAcrossInstances(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		ctx := context.Background()
		a, b := redis.NewRateLimiter(rdb, prefix), redis.NewRateLimiter(rdb, prefix)
		for i := 1; i <= 6; i++ {
			l := a
			if i%2 == 0 {
				l = b
			}
			ok, err := l.Allow(ctx, "signin:1.2.3.4", 4, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if ok != (i <= 4) {
				t.Fatalf("request %d: Allow = %v, want %v", i, ok, i <= 4)
			}
		}
		if ok, err := b.Allow(ctx, "signin:5.6.7.8", 4, time.Hour); err != nil || !ok {
			t.Fatalf("another key: Allow = %v, %v", ok, err)
		}
	})
}
