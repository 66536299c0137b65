package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// BenchmarkProductPage measures GET /p/:id and GET /api/v1/products/:id as a
// load generator sees them: over loopback keep-alive connections to the
// served app, ids cycling through the demo catalogue on the real PostgreSQL.
// The client's own work is in the figures too, as it is in `make bench`;
// "serial" is one connection, "parallel" GOMAXPROCS of them.
func BenchmarkProductPage(b *testing.B) {
	e := webtest.NewEnv(b)
	rows, err := e.Pool.Query(context.Background(), `SELECT id FROM products WHERE status = 'active' ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	rows.Close()
	if len(ids) == 0 {
		b.Fatal("no products")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = e.App.Listener(ln) }()
	b.Cleanup(func() { _ = e.App.Shutdown() })
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	get := func(b *testing.B, url string) {
		resp, err := client.Get(url)
		if err != nil {
			b.Fatalf("GET %s: %v", url, err)
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
		}
	}
	for _, route := range []struct{ name, prefix string }{{"html", "/p/"}, {"json", "/api/v1/products/"}} {
		b.Run(route.name+"/serial", func(b *testing.B) {
			i := 0
			for b.Loop() {
				get(b, base+route.prefix+ids[i%len(ids)])
				i++
			}
		})
		b.Run(route.name+"/parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					get(b, base+route.prefix+ids[i%len(ids)])
					i++
				}
			})
		})
	}
}
