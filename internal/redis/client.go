package redis

import (
	"fmt"
	"net/url"

	goredis "github.com/redis/go-redis/v9"
)

// Options is what a DURE_REDIS_URL describes: exactly one of One (one
// server), Sentinel (a master found through sentinels) or Cluster.
type Options struct {
	One      *goredis.Options
	Sentinel *goredis.FailoverOptions
	Cluster  *goredis.ClusterOptions
}

// ParseURL reads DURE_REDIS_URL in go-redis's URL forms:
//
//	redis://[user:pass@]host:port/db              one server (as before)
//	redis://[user:pass@]sentinel1:26379/db?master_name=mymaster&addr=sentinel2:26379&password=…
//	                                              Sentinel: the hosts are sentinels, the
//	                                              user info is theirs, password the master's
//	redis://[user:pass@]node1:6379?addr=node2:6379&addr=node3:6379
//	                                              Cluster: any addr= without master_name,
//	                                              or cluster=true with one seed node
//
// rediss:// gives TLS in every form. Unless the URL sets max_retries, a
// command is retried once: with Redis down, go-redis's default three retries
// with backoff kept a cart request ~3.4 s before its 503, and one retry
// answers within a second and never repeats a cart change more than once.
func ParseURL(rawURL string) (Options, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Options{}, fmt.Errorf("redis: url: %w", err)
	}
	q := u.Query()
	retries := !q.Has("max_retries")
	switch {
	case q.Has("master_name"):
		o, err := goredis.ParseFailoverURL(rawURL)
		if err != nil {
			return Options{}, fmt.Errorf("redis: sentinel url: %w", err)
		}
		if retries {
			o.MaxRetries = 1
		}
		return Options{Sentinel: o}, nil
	case q.Has("cluster") || q.Has("addr"):
		q.Del("cluster") // Dure's marker, unknown to go-redis
		u.RawQuery = q.Encode()
		o, err := goredis.ParseClusterURL(u.String())
		if err != nil {
			return Options{}, fmt.Errorf("redis: cluster url: %w", err)
		}
		if retries {
			o.MaxRetries = 1
		}
		return Options{Cluster: o}, nil
	default:
		o, err := goredis.ParseURL(rawURL)
		if err != nil {
			return Options{}, fmt.Errorf("redis: url: %w", err)
		}
		if retries {
			o.MaxRetries = 1
		}
		return Options{One: o}, nil
	}
}

// Open returns the client DURE_REDIS_URL describes (ParseURL). Every store
// in this package works on each of them: no command, script or transaction
// touches keys of two slots (README, Redis).
func Open(rawURL string) (goredis.UniversalClient, error) {
	o, err := ParseURL(rawURL)
	switch {
	case err != nil:
		return nil, err
	case o.Sentinel != nil:
		return goredis.NewFailoverClient(o.Sentinel), nil
	case o.Cluster != nil:
		return goredis.NewClusterClient(o.Cluster), nil
	}
	return goredis.NewClient(o.One), nil
}
