package redis_test

import (
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/testutil"
)

// eachRedis runs f once per Redis deployment the stores must work on
// (testutil.RedisTargets: one server and a three-master Cluster), as
// parallel subtests with a client and key prefix of their own.
func eachRedis(t *testing.T, f func(t *testing.T, rdb goredis.UniversalClient, prefix string)) {
	t.Helper()
	for _, target := range testutil.RedisTargets(t) {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			rdb, prefix := testutil.NewRedisAt(t, target.URL)
			f(t, rdb, prefix)
		})
	}
}
