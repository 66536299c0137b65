package redis

import (
	"context"
	"errors"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/notify"
)

// unreadTTL bounds how long a count can be wrong if a Forget was lost.
const unreadTTL = 10 * time.Minute

// UnreadCache keeps members' unread notification counts under
// "<prefix>unread:<user id>" (notify.UnreadCache): the page header reads
// one key instead of querying PostgreSQL on every page.
type UnreadCache struct {
	rdb    goredis.UniversalClient
	prefix string
}

var _ notify.UnreadCache = (*UnreadCache)(nil)

// NewUnreadCache returns the cache; prefix namespaces keys (tests use one each).
func NewUnreadCache(rdb goredis.UniversalClient, prefix string) *UnreadCache {
	return &UnreadCache{rdb: rdb, prefix: prefix}
}

func (c *UnreadCache) key(userID int64) string {
	return c.prefix + "unread:" + strconv.FormatInt(userID, 10)
}

// Get returns the cached count, and whether there was one.
func (c *UnreadCache) Get(ctx context.Context, userID int64) (int, bool, error) {
	n, err := c.rdb.Get(ctx, c.key(userID)).Int()
	if errors.Is(err, goredis.Nil) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, wrap("unread count", err)
	}
	return n, true, nil
}

// Set caches a count.
func (c *UnreadCache) Set(ctx context.Context, userID int64, n int) error {
	if err := c.rdb.Set(ctx, c.key(userID), n, unreadTTL).Err(); err != nil {
		return wrap("unread count", err)
	}
	return nil
}

// Forget drops the counts of userIDs (one DEL each: the keys may live on
// different Cluster slots).
func (c *UnreadCache) Forget(ctx context.Context, userIDs ...int64) error {
	pipe := c.rdb.Pipeline()
	for _, id := range userIDs {
		pipe.Del(ctx, c.key(id))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return wrap("unread count", err)
	}
	return nil
}
