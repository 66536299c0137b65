package redis_test

import (
	"context"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/redis"
)

// Counts are kept per user; Forget drops several users' counts at once,
// whose keys a Cluster keeps in different slots.
func TestUnreadCache(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		ctx := context.Background()
		c := redis.NewUnreadCache(rdb, prefix)
		if _, ok, err := c.Get(ctx, 1); err != nil || ok {
			t.Fatalf("Get before Set = %v, %v; want no count", ok, err)
		}
		for id := int64(1); id <= 5; id++ {
			if err := c.Set(ctx, id, int(id)*10); err != nil {
				t.Fatal(err)
			}
		}
		if n, ok, err := c.Get(ctx, 3); err != nil || !ok || n != 30 {
			t.Fatalf("Get(3) = %d, %v, %v; want 30", n, ok, err)
		}
		if err := c.Forget(ctx, 1, 2, 3, 4); err != nil {
			t.Fatal(err)
		}
		for id := int64(1); id <= 4; id++ {
			if _, ok, _ := c.Get(ctx, id); ok {
				t.Errorf("user %d's count survived Forget", id)
			}
		}
		if n, ok, _ := c.Get(ctx, 5); !ok || n != 50 {
			t.Errorf("user 5's count = %d, %v; want 50 kept", n, ok)
		}
	})
}
