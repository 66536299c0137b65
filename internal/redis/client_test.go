package redis_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"
)

// One server, as DURE_REDIS_URL has always named it: a plain client with
// one retry unless the URL sets max_retries.
func TestOpenOneServer(t *testing.T) {
	url := testutil.Config(t).RedisURL
	for _, c := range []struct {
		url     string
		retries int
	}{{url, 1}, {url + "?max_retries=3", 3}} {
		rdb, err := redis.Open(c.url)
		if err != nil {
			t.Fatal(err)
		}
		defer rdb.Close()
		client, ok := rdb.(*goredis.Client)
		if !ok {
			t.Fatalf("Open(%s) = %T, want a plain client", c.url, rdb)
		}
		if got := client.Options().MaxRetries; got != c.retries {
			t.Errorf("Open(%s): MaxRetries %d, want %d", c.url, got, c.retries)
		}
		if err := rdb.Ping(context.Background()).Err(); err != nil {
			t.Errorf("Open(%s): ping: %v", c.url, err)
		}
	}
}

// A Sentinel URL reaches the master the sentinel names: a real
// redis-server --sentinel watching a private server, and a cart store on
// top of it.
func TestOpenSentinel(t *testing.T) {
	ctx := context.Background()
	master := testutil.StartRedis(t)
	host, port, _ := net.SplitHostPort(master.Addr)
	sentinel := freeAddr(t)
	_, sport, _ := net.SplitHostPort(sentinel)
	conf := filepath.Join(t.TempDir(), "sentinel.conf")
	body := fmt.Sprintf("bind 127.0.0.1\nport %s\nsentinel monitor dure %s %s 1\n", sport, host, port)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("redis-server", conf, "--sentinel")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sentinel: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	rdb, err := redis.Open("redis://" + sentinel + "/0?master_name=dure")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err = rdb.Set(ctx, "dure:sentinel-test", "via sentinel", 0).Err()
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("set through the sentinel: %v", err)
	}
	direct := goredis.NewClient(&goredis.Options{Addr: master.Addr})
	defer direct.Close()
	if v, err := direct.Get(ctx, "dure:sentinel-test").Result(); err != nil || v != "via sentinel" {
		t.Errorf("the master holds %q (%v), want the value written through the sentinel", v, err)
	}
	carts := redis.NewCartStore(rdb, "t:")
	if _, err := carts.Lines(ctx, "c1"); err != nil {
		t.Errorf("a cart store through the sentinel: %v", err)
	}
}

// A Cluster URL (cluster=true, or several addr=) gives a cluster client; the
// marker is not passed on to go-redis, which refuses unknown options.
func TestOpenClusterURL(t *testing.T) {
	for _, url := range []string{"redis://127.0.0.1:7000?cluster=true", "redis://127.0.0.1:7000?addr=127.0.0.1:7001&max_retries=2"} {
		rdb, err := redis.Open(url)
		if err != nil {
			t.Fatalf("Open(%s): %v", url, err)
		}
		c, ok := rdb.(*goredis.ClusterClient)
		if !ok {
			t.Fatalf("Open(%s) = %T, want a cluster client", url, rdb)
		}
		want := 1
		if url != "redis://127.0.0.1:7000?cluster=true" {
			want = 2
		}
		if got := c.Options().MaxRetries; got != want {
			t.Errorf("Open(%s): MaxRetries %d, want %d", url, got, want)
		}
		rdb.Close()
	}
	if _, err := redis.Open("redis://127.0.0.1:6379?no_such_option=1"); err == nil {
		t.Error("Open with an unknown option succeeded")
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// The Sentinel form names the master and every sentinel; the user info and
// sentinel_password are the sentinels', password the master's.
func TestParseURLSentinel(t *testing.T) {
	o, err := redis.ParseURL("redis://sen:spw@10.0.0.1:26379/2?master_name=dure&addr=10.0.0.2:26379&addr=10.0.0.3:26379&password=mpw&dial_timeout=2s")
	if err != nil {
		t.Fatal(err)
	}
	s := o.Sentinel
	if s == nil || o.One != nil || o.Cluster != nil {
		t.Fatalf("ParseURL = %+v, want Sentinel only", o)
	}
	want := []string{"10.0.0.1:26379", "10.0.0.2:26379", "10.0.0.3:26379"}
	if s.MasterName != "dure" || !slices.Equal(s.SentinelAddrs, want) || s.DB != 2 ||
		s.SentinelUsername != "sen" || s.SentinelPassword != "spw" || s.Password != "mpw" ||
		s.DialTimeout != 2*time.Second || s.MaxRetries != 1 {
		t.Errorf("sentinel options = %+v", s)
	}
	if _, err := redis.ParseURL("redis://10.0.0.1:26379?master_name=dure&db=x"); err == nil {
		t.Error("a Sentinel URL with a bad option parsed")
	}
}

// The Cluster form lists seed nodes; TLS and the password reach every node.
func TestParseURLCluster(t *testing.T) {
	o, err := redis.ParseURL("rediss://:pw@10.0.0.1:6379?addr=10.0.0.2:6379&addr=10.0.0.3:6379")
	if err != nil {
		t.Fatal(err)
	}
	c := o.Cluster
	if c == nil || o.One != nil || o.Sentinel != nil {
		t.Fatalf("ParseURL = %+v, want Cluster only", o)
	}
	if want := []string{"10.0.0.1:6379", "10.0.0.2:6379", "10.0.0.3:6379"}; !slices.Equal(c.Addrs, want) ||
		c.Password != "pw" || c.TLSConfig == nil || c.MaxRetries != 1 {
		t.Errorf("cluster options = %+v", c)
	}
}

// The private Cluster of scripts/redis-cluster, by the URL form the README
// gives, is a Cluster: three masters holding all 16384 slots.
func TestOpenCluster(t *testing.T) {
	rdb, err := redis.Open(testutil.RedisClusterURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	c, ok := rdb.(*goredis.ClusterClient)
	if !ok {
		t.Fatalf("Open = %T, want a cluster client", rdb)
	}
	slots, err := c.ClusterSlots(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	covered := 0
	for _, s := range slots {
		covered += s.End - s.Start + 1
	}
	if len(slots) != 3 || covered != 16384 {
		t.Errorf("cluster slots = %d ranges covering %d, want 3 covering 16384", len(slots), covered)
	}
}
