// Package webtest holds what the web packages' tests share: the app on the
// real services with the demo catalogue (Env), a browser-like client that
// keeps cookies (Shopper), and the app on fakes of the catalogue and search
// (Unit). It is imported by tests only.
package webtest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/board"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/document/pdf"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/notify"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/report"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/stripe"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web/app"
)

// Env is the whole app on the real services: a fresh database with the demo
// catalogue, a fresh Meilisearch index built by a reindex, Redis under a
// fresh key prefix and stripe-mock.
type Env struct {
	App     *fiber.App
	Pool    *pgxpool.Pool
	Metrics *metrics.Metrics
	Carts   *cart.Service
	Orders  *order.Service
	Coop    *coop.Service
	// Documents is the versioned terms and privacy documents.
	Documents *coop.Documents
	Reports   *report.Service
	Secret    string // the Stripe webhook secret

	Accounts   *account.Service
	Onboarding *onboarding.Service
	// Institutions registers institutions and their buyers (Env.Institution).
	Institutions *institution.Service
	Manager      *catalog.Manager
	Blobs        blob.Store
	// Mail keeps every mail the app sent (links for resets, invitations,
	// order claims).
	Mail *mail.Outbox
	// Outbox drains the search outbox into the test's index (DrainSearch).
	Indexer *search.Indexer
	// SearchStats is the app's search tally: Flush it to see its counts.
	SearchStats *search.Tally
	// Helpdesk is the help desk (애로 상담).
	Helpdesk *helpdesk.Service
	// Quotes is the quote service the app runs with; its Now and Orders may
	// be set by a test (acceptance needs an OrderPlacer).
	Quotes *quote.Service
	// Reviews and Notify are issue 14's reviews, questions and
	// notifications (DrainNotify runs the notifications worker once).
	Reviews *review.Service
	Notify  *notify.Service
	// Settlement is commission and settlement.
	Settlement *settlement.Service
	// Curation is campaigns and expos; its Now may be set by a test to move
	// the clock across a campaign's start or end.
	Curation *curation.Service
	// Board is the co-op's notices and downloads.
	Board *board.Service
}

// NewEnv builds an Env for one test (or benchmark).
func NewEnv(t testing.TB) *Env {
	t.Helper()
	return NewEnvOnRedis(t, "")
}

// NewEnvOnRedis is NewEnv with the Redis redisURL names (a DURE_REDIS_URL
// of any form: one server, Sentinel or Cluster) opened as `dure serve`
// opens it; "" is the shared server.
func NewEnvOnRedis(t testing.TB, redisURL string) *Env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg := testutil.Config(t)
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool) // the demo catalogue `dure seed` loads
	// Fresh tables have no statistics until autovacuum gets to them, and
	// generic plans made without them are slow; production tables have them.
	if _, err := pool.Exec(ctx, "ANALYZE"); err != nil {
		t.Fatalf("analyze: %v", err)
	}

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := metrics.New()
	client := meilisearch.New(cfg.MeiliURL, cfg.MeiliKey, testutil.NewMeiliIndex(t))
	if err := client.Configure(ctx); err != nil {
		t.Fatalf("configure index: %v", err)
	}
	ix := &search.Indexer{Store: postgres.NewSearchOutbox(pool), Index: client, Builder: client,
		Prepare: client.Configure, Interval: time.Second, Metrics: m, Log: log}
	if _, err := ix.Reindex(ctx, nil); err != nil {
		t.Fatalf("reindex: %v", err)
	}
	svc := search.NewService(client, postgres.NewSearchFallback(pool), 2*time.Second, m, log)
	var (
		rdb    goredis.UniversalClient
		prefix string
	)
	if redisURL == "" {
		rdb, prefix = testutil.NewRedis(t)
	} else {
		rdb, prefix = testutil.NewRedisAt(t, redisURL)
	}
	catalogStore := postgres.NewCatalogStore(pool)
	carts := cart.NewService(redis.NewCartStore(rdb, prefix), catalogStore)
	provider, err := stripe.New(stripe.Config{Key: cfg.StripeKey, APIBase: cfg.StripeAPIBase, WebhookSecret: cfg.StripeWebhookKey})
	if err != nil {
		t.Fatal(err)
	}
	outbox := &mail.Outbox{}
	accountStore := postgres.NewAccountStore(pool)
	accounts, err := account.NewService(accountStore, redis.NewSessionStore(rdb, prefix), outbox, redis.NewRateLimiter(rdb, prefix),
		account.Config{BaseURL: "http://dure.test", Logger: log, Password: account.PasswordParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	coops := coop.NewService(postgres.NewCoopStore(pool), accounts)
	documents := coop.NewDocuments(postgres.NewCoopStore(pool), accounts)
	orderStore := postgres.NewOrderStore(pool)
	orders := order.NewService(orderStore, carts, payment.NewRegistry(provider, &payment.Invoice{}),
		order.Config{Logger: log, Mailer: outbox, Catalog: catalogStore, Coop: coops, Auditor: accounts, Documents: orderStore})
	boarding := onboarding.NewService(accountStore, accounts, outbox, log)
	institutions := institution.NewService(accountStore, accounts, outbox, log)
	manager := &catalog.Manager{Store: catalogStore, Auditor: accounts}
	blobs, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	synonyms := postgres.NewSynonymStore(pool)
	pusher := meilisearch.New(cfg.MeiliURL, cfg.MeiliKey, client.Index()).WithSynonyms(synonyms)
	reports := report.NewService(postgres.NewReportStore(pool), coops)
	stats := search.NewTally(postgres.NewSearchStatsStore(pool))
	help := &helpdesk.Service{Store: postgres.NewHelpdeskStore(pool), Blobs: blobs, Audit: accounts, Mailer: outbox,
		BaseURL: "http://dure.test", Log: log}
	quoteStore := postgres.NewQuoteStore(pool)
	quotes := &quote.Service{Store: quoteStore, Audit: accounts, Products: catalogStore, Coop: coops,
		Orders: &order.QuoteOrders{Orders: orders, Institutions: institutions}}
	docs, err := pdf.New(os.Getenv("DURE_FONT_DIR"))
	if err != nil {
		t.Fatal(err)
	}
	reviews := &review.Service{Store: postgres.NewReviewStore(pool), Auditor: accounts}
	campaigns := &curation.Service{Store: postgres.NewCurationStore(pool), Blobs: blobs, Audit: accounts}
	carts.WithDiscounts(campaigns)
	notices := &notify.Service{Store: postgres.NewNotifyStore(pool), Cache: redis.NewUnreadCache(rdb, prefix),
		Notifier: notify.MailNotifier{Mailer: outbox, BaseURL: "http://dure.test"}, Log: log}
	settle := &settlement.Service{Store: postgres.NewSettlementStore(pool), Audit: accounts}
	posts := &board.Service{Store: postgres.NewBoardStore(pool), Blobs: blobs, Audit: accounts, Log: log}
	a := app.New(app.Deps{
		Board:        posts,
		Settlement:   settle,
		PDF:          docs,
		Helpdesk:     help,
		Quotes:       quotes,
		Reviews:      reviews,
		Addresses:    &order.AddressBook{Store: postgres.NewAddressStore(pool)},
		Notify:       notices,
		Curation:     campaigns,
		SearchStats:  stats,
		SearchAdmin:  &search.Admin{Synonyms: synonyms, Stats: postgres.NewSearchStatsStore(pool), Push: pusher.SendSynonyms, Audit: accounts},
		Accounts:     accounts,
		Onboarding:   boarding,
		Institutions: institutions,
		Manager:      manager,
		Bundles:      &catalog.Bundles{Store: catalogStore, Auditor: accounts},
		Impact:       &impact.Service{Store: postgres.NewImpactStore(pool), Auditor: accounts},
		Blobs:        blobs,
		Carts:        carts,
		Orders:       orders,
		Limiter:      redis.NewRateLimiter(rdb, prefix),
		CookieSecret: []byte(cfg.CookieSecret),
		TestPayments: provider.IsMock,
		Catalog:      catalogStore,
		Search:       svc,
		Checks: map[string]func(context.Context) error{
			"postgres":    pool.Ping,
			"meilisearch": client.Health,
		},
		Metrics:   m,
		Log:       log,
		Suggest:   search.NewSuggestService(client, 2*time.Second),
		Coop:      coops,
		Documents: documents,
		Reports:   reports,
	})
	return &Env{App: a, Pool: pool, Metrics: m, Carts: carts, Orders: orders, Coop: coops, Documents: documents, Reports: reports, Secret: cfg.StripeWebhookKey,
		Accounts: accounts, Onboarding: boarding, Institutions: institutions, Manager: manager, Blobs: blobs, Mail: outbox,
		Indexer: ix, SearchStats: stats, Helpdesk: help, Quotes: quotes, Reviews: reviews, Notify: notices,
		Settlement: settle, Curation: campaigns, Board: posts}
}

// Goods returns an in-stock goods product without options whose enterprise
// charges the remote-area surcharge, with its stock set to 50.
func (e *Env) Goods(t testing.TB) (int64, string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	var name string
	err := e.Pool.QueryRow(ctx, `SELECT p.id, p.name FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods' AND e.remote_surcharge > 0
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.id LIMIT 1`).Scan(&id, &name)
	if err != nil {
		t.Fatalf("no goods product: %v", err)
	}
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = 50 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	return id, name
}

// Get runs a request through the app and returns the response with its body read.
func (e *Env) Get(t testing.TB, target string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.App.Test(req, -1)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", target, err)
	}
	return resp, body
}

// Page GETs an HTML page, checks its status and returns the parsed document.
func (e *Env) Page(t testing.TB, target string, status int) *goquery.Document {
	t.Helper()
	resp, body := e.Get(t, target)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: status %d, want %d\n%s", target, resp.StatusCode, status, Truncate(string(body), 2000))
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("GET %s: content type %q, want text/html", target, ct)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("GET %s: parse HTML: %v", target, err)
	}
	if lang, _ := doc.Find("html").Attr("lang"); lang != "ko" {
		t.Errorf("GET %s: <html lang=%q>, want ko", target, lang)
	}
	return doc
}

// JSON GETs an API route, checks its status and decodes the body into out.
func (e *Env) JSON(t testing.TB, target string, status int, out any) {
	t.Helper()
	resp, body := e.Get(t, target)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: status %d, want %d\n%s", target, resp.StatusCode, status, Truncate(string(body), 2000))
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: content type %q, want JSON", target, ct)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("GET %s: decode: %v\n%s", target, err, Truncate(string(body), 500))
	}
}

// Truncate shortens s to n bytes for a failure message.
func Truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
