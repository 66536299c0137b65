package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/stripe"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web/app"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// With Redis stopped, a page that only shows the cart count (and a session
// cookie's owner) answers at once, without the count; the cart, which
// needs Redis, answers 503 with Retry-After and the Korean message, as a
// page and as JSON. Issue 12, item 5.
func TestRedisOutage(t *testing.T) {
	cfg := testutil.Config(t)
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	priv := testutil.StartRedis(t)
	rdb := goredis.NewClient(&goredis.Options{Addr: priv.Addr})
	t.Cleanup(func() { rdb.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	catalogStore := postgres.NewCatalogStore(pool)
	carts := cart.NewService(redis.NewCartStore(rdb, ""), catalogStore)
	accounts, err := account.NewService(postgres.NewAccountStore(pool), redis.NewSessionStore(rdb, ""), &mail.Outbox{},
		redis.NewRateLimiter(rdb, ""), account.Config{BaseURL: "http://dure.test", Logger: log,
			Password: account.PasswordParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	provider, err := stripe.New(stripe.Config{Key: cfg.StripeKey, APIBase: cfg.StripeAPIBase, WebhookSecret: cfg.StripeWebhookKey})
	if err != nil {
		t.Fatal(err)
	}
	orders := order.NewService(postgres.NewOrderStore(pool), carts, payment.NewRegistry(provider), order.Config{Logger: log, Mailer: &mail.Outbox{}})
	e := &webtest.Env{Pool: pool, App: app.New(app.Deps{Catalog: catalogStore, Search: webtest.SearchFn(webtest.OKSearch), Carts: carts,
		Orders: orders, Accounts: accounts, CookieSecret: []byte(cfg.CookieSecret), Log: log})}
	var pid int64
	if err := pool.QueryRow(context.Background(), `UPDATE products SET stock = 50 WHERE id = (SELECT id FROM products
		WHERE status = 'active' AND kind = 'goods' AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = products.id)
		ORDER BY id LIMIT 1) RETURNING id`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	product := "/p/" + strconv.FormatInt(pid, 10)

	b := e.Shopper()
	doc := b.Page(t, product, 200)
	b.Post(t, "/cart/items", url.Values{"_csrf": {webtest.CSRFOf(t, doc)}, "product_id": {strconv.FormatInt(pid, 10)},
		"quantity": {"1"}}, http.StatusSeeOther)
	b.Cookies["dure_session"] = "a-session-that-needs-redis-to-look-up"

	priv.Stop()
	for i := range 3 {
		start := time.Now()
		resp, _ := b.Do(t, "GET", product, "", nil)
		if took := time.Since(start); resp.StatusCode != 200 || took > time.Second {
			t.Errorf("product page #%d with Redis down: %d in %s, want 200 within 1s", i+1, resp.StatusCode, took)
		}
	}
	resp, body := b.Do(t, "GET", "/cart", "", nil)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "잠시 후 다시 시도해 주세요") {
		t.Errorf("/cart with Redis down: %d, Retry-After %q:\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), webtest.Truncate(body, 400))
	}
	var out struct {
		Error struct{ Code, Message string }
	}
	b.API(t, "GET", "/api/v1/cart", nil, 503, &out)
	if out.Error.Code != "unavailable" || !strings.Contains(out.Error.Message, "잠시 후") {
		t.Errorf("/api/v1/cart with Redis down: %+v", out)
	}

	priv.Start()
	b.Page(t, "/cart", 200)
}
