package testutil

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/redis"
)

// NewRedis connects to the shared Redis and returns a key prefix of the
// test's own; keys under it are deleted when the test ends.
func NewRedis(tb testing.TB) (*goredis.Client, string) {
	tb.Helper()
	opt, err := goredis.ParseURL(Config(tb).RedisURL)
	if err != nil {
		tb.Fatalf("testutil: redis url: %v", err)
	}
	rdb := goredis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		tb.Fatalf("testutil: Redis is not reachable (run `make test`, which starts it with scripts/services up): %v", err)
	}
	prefix := Name("t") + ":"
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		_ = rdb.Close()
	})
	return rdb, prefix
}

// PrivateRedis is a Redis server of the test's own (AOF everysec, data in a
// temp folder), for tests that stop and restart it.
type PrivateRedis struct {
	tb   testing.TB
	Addr string
	dir  string
	cmd  *exec.Cmd
}

// StartRedis starts a private Redis server on a free loopback port; it is
// stopped when the test ends.
func StartRedis(tb testing.TB) *PrivateRedis {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	r := &PrivateRedis{tb: tb, Addr: addr, dir: tb.TempDir()}
	r.Start()
	tb.Cleanup(r.Stop)
	return r
}

// Start (re)starts the server on the same port and data folder.
func (r *PrivateRedis) Start() {
	r.tb.Helper()
	_, port, _ := net.SplitHostPort(r.Addr)
	r.cmd = exec.Command("redis-server", "--bind", "127.0.0.1", "--port", port, "--dir", r.dir,
		"--appendonly", "yes", "--appendfsync", "everysec", "--save", "")
	if err := r.cmd.Start(); err != nil {
		r.tb.Fatalf("testutil: start redis-server: %v", err)
	}
	rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr})
	defer rdb.Close()
	for i := 0; i < 100; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.tb.Fatalf("testutil: private redis on %s did not answer", r.Addr)
}

// Stop shuts the server down cleanly (SHUTDOWN, which flushes the AOF) and
// waits for it to exit.
func (r *PrivateRedis) Stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = rdb.Shutdown(ctx).Err()
	_ = rdb.Close()
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = r.cmd.Process.Kill()
		<-done
	}
	r.cmd = nil
}

// Kill stops the server as a crash would (SIGKILL: no AOF flush, so up to
// the last second of writes under appendfsync everysec may be lost) and
// waits for it to exit; Start brings it back on the same data.
func (r *PrivateRedis) Kill() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}

// String names the server for messages.
func (r *PrivateRedis) String() string { return fmt.Sprintf("redis %s", r.Addr) }

// RedisTarget is a Redis deployment the Redis stores must work on, by the
// DURE_REDIS_URL that names it.
type RedisTarget struct {
	Name, URL string
}

var cluster struct {
	once sync.Once
	url  string
	err  error
}

// RedisTargets returns the shared single server (scripts/services) and the
// private three-master Redis Cluster of scripts/redis-cluster, which it
// starts when it does not answer (the script is idempotent and takes a lock,
// so test binaries running at once start it once).
func RedisTargets(tb testing.TB) []RedisTarget {
	tb.Helper()
	return []RedisTarget{{"single", Config(tb).RedisURL}, {"cluster", RedisClusterURL(tb)}}
}

// RedisClusterURL returns the DURE_REDIS_URL of the private Redis Cluster,
// starting it if need be; a Cluster that cannot start fails the test.
func RedisClusterURL(tb testing.TB) string {
	tb.Helper()
	script := RepoRoot(tb) + "/scripts/redis-cluster"
	cluster.once.Do(func() {
		if out, err := exec.Command(script, "up").CombinedOutput(); err != nil {
			cluster.err = fmt.Errorf("%s up: %v\n%s", script, err, out)
			return
		}
		out, err := exec.Command(script, "url").Output()
		cluster.url, cluster.err = strings.TrimSpace(string(out)), err
	})
	if cluster.err != nil {
		tb.Fatalf("testutil: the Redis Cluster did not start: %v", cluster.err)
	}
	return cluster.url
}

// NewRedisAt connects to the Redis rawURL names (one server, Sentinel or
// Cluster, as the app opens it) and returns a key prefix of the test's own;
// keys under it, and keys hash-tagged with it ("{<prefix>…}…"), are deleted
// when the test ends.
func NewRedisAt(tb testing.TB, rawURL string) (goredis.UniversalClient, string) {
	tb.Helper()
	rdb, err := redis.Open(rawURL)
	if err != nil {
		tb.Fatalf("testutil: redis url: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		tb.Fatalf("testutil: Redis at %s is not reachable (run `make test`, which starts it): %v", rawURL, err)
	}
	prefix := Name("t") + ":"
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, pattern := range []string{prefix + "*", "{" + prefix + "*"} {
			keys, _ := RedisKeys(ctx, rdb, pattern)
			for _, k := range keys {
				rdb.Del(ctx, k)
			}
		}
		_ = rdb.Close()
	})
	return rdb, prefix
}

// RedisKeys returns the keys matching pattern on every master (SCAN on one
// server only sees its own slots).
func RedisKeys(ctx context.Context, rdb goredis.UniversalClient, pattern string) ([]string, error) {
	var (
		mu   sync.Mutex
		keys []string
	)
	scan := func(ctx context.Context, c *goredis.Client) error {
		iter := c.Scan(ctx, 0, pattern, 500).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			keys = append(keys, iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	switch c := rdb.(type) {
	case *goredis.ClusterClient:
		err := c.ForEachMaster(ctx, scan)
		return keys, err
	case *goredis.Client:
		err := scan(ctx, c)
		return keys, err
	}
	return nil, fmt.Errorf("testutil: redis client %T", rdb)
}
