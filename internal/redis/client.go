package redis

import (
	"fmt"
	"net/url"

	goredis "github.com/redis/go-redis/v9"
)

// Open returns the client DURE_REDIS_URL describes, in go-redis's URL forms:
//
//	redis://[user:pass@]host:port/db              one server (as before)
//	redis://[user:pass@]sentinel1:26379/db?master_name=mymaster&addr=sentinel2:26379&password=…
//	                                              Sentinel: the hosts are sentinels, the
//	                                              user info is theirs, password the master's
//	redis://[user:pass@]node1:6379?cluster=true&addr=node2:6379
//	                                              Cluster (also: any addr= without master_name)
//
// rediss:// gives TLS in every form. Unless the URL sets max_retries, a
// command is retried once: with Redis down, go-redis's default three retries
// with backoff kept a cart request ~3.4 s before its 503, and one retry
// answers within a second and never repeats a cart change more than once.
//
// In Cluster mode the cart merge at sign-in (one script over the guest's and
// the member's carts) fails with CROSSSLOT, because the two keys are in
// different slots: Sentinel (or one server) is the supported way to scale
// Redis until cart keys carry a hash tag.
func Open(rawURL string) (goredis.UniversalClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redis: url: %w", err)
	}
	q := u.Query()
	retries := !q.Has("max_retries")
	switch {
	case q.Has("master_name"):
		o, err := goredis.ParseFailoverURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("redis: sentinel url: %w", err)
		}
		if retries {
			o.MaxRetries = 1
		}
		return goredis.NewFailoverClient(o), nil
	case q.Has("cluster") || q.Has("addr"):
		q.Del("cluster") // Dure's marker, unknown to go-redis
		u.RawQuery = q.Encode()
		o, err := goredis.ParseClusterURL(u.String())
		if err != nil {
			return nil, fmt.Errorf("redis: cluster url: %w", err)
		}
		if retries {
			o.MaxRetries = 1
		}
		return goredis.NewClusterClient(o), nil
	default:
		o, err := goredis.ParseURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("redis: url: %w", err)
		}
		if retries {
			o.MaxRetries = 1
		}
		return goredis.NewClient(o), nil
	}
}
