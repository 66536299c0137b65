package app_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web/app"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// With PostgreSQL really stopped (a private server, stopped at once as a
// crash would), the pages that read it answer 503 with Retry-After and
// the storefront's Korean page, the API the JSON error, each within a
// couple of seconds; /livez stays 200 and /healthz says down. Started
// again, the same app serves them without a restart. Issue 12, item 5.
func TestPostgresOutage(t *testing.T) {
	cfg := testutil.Config(t)
	pg := testutil.StartPostgres(t)
	pool := pg.NewDB(t)
	testutil.SeedDemo(t, pool)
	rdb, prefix := testutil.NewRedis(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	catalogStore := postgres.NewCatalogStore(pool)
	carts := cart.NewService(redis.NewCartStore(rdb, prefix), catalogStore)
	e := &webtest.Env{Pool: pool, App: app.New(app.Deps{Catalog: catalogStore, Search: webtest.SearchFn(webtest.OKSearch),
		Carts: carts, CookieSecret: []byte(cfg.CookieSecret), Log: log, Checks: map[string]func(ctx context.Context) error{"postgres": pool.Ping}})}
	b := e.Shopper()
	b.Page(t, "/enterprises", 200)

	pg.Stop()
	for _, path := range []string{"/enterprises", "/"} {
		start := time.Now()
		resp, body := b.Do(t, "GET", path, "", nil)
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("GET %s with PostgreSQL down took %s", path, took)
		}
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "잠시 후 다시 시도해 주세요") ||
			!strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s with PostgreSQL down: %d, Retry-After %q, %s:\n%s", path, resp.StatusCode, resp.Header.Get("Retry-After"),
				resp.Header.Get("Content-Type"), webtest.Truncate(body, 400))
		}
	}
	var out struct {
		Error struct{ Code, Message string }
	}
	b.API(t, "GET", "/api/v1/enterprises", nil, 503, &out)
	if out.Error.Code != "unavailable" || !strings.Contains(out.Error.Message, "잠시 후") {
		t.Errorf("/api/v1/enterprises with PostgreSQL down: %+v", out)
	}
	if resp, _ := b.Do(t, "GET", "/livez", "", nil); resp.StatusCode != 200 {
		t.Errorf("/livez with PostgreSQL down: %d, want 200", resp.StatusCode)
	}
	if resp, body := b.Do(t, "GET", "/healthz", "", nil); resp.StatusCode != 503 || strings.Contains(body, "127.0.0.1") {
		t.Errorf("/healthz with PostgreSQL down: %d %s", resp.StatusCode, body)
	}

	pg.Start()
	b.Page(t, "/enterprises", 200)
}
