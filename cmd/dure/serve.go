package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/dure-coop/dure/internal/document/pdf"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/board"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/notify"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/postgres"
	dredis "github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/report"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/stripe"
	webapp "github.com/dure-coop/dure/internal/web/app"
	"github.com/dure-coop/dure/storefront"
)

// shutdownGrace is how long in-flight requests get after SIGTERM.
const shutdownGrace = 10 * time.Second

// runServe migrates, wires the stores, search and web layer, serves until ctx
// ends (SIGINT/SIGTERM) and then drains in-flight requests.
func runServe(ctx context.Context, cfg config.Config, log *slog.Logger, _ []string) error {
	// Secrets, templates and payment settings first: any of them wrong fails
	// start-up before anything connects.
	if err := cfg.CheckServe(); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	tmpl, err := webapp.LoadTemplates(storefront.FS(), cfg.DevTemplates)
	if err != nil {
		return fmt.Errorf("serve: templates: %w", err)
	}
	docs, err := pdf.New(cfg.FontDir) // a missing font fails start-up, not the first download
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if err := checkPayments(cfg); err != nil {
		return err
	}
	pool, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		return err
	}
	// One server, Sentinel or Cluster, by the URL's form (dredis.Open).
	rdb, err := dredis.Open(cfg.RedisURL)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer rdb.Close()

	m := metrics.New()
	sd, err := openSearch(ctx, cfg, pool, rdb, m, log)
	if err != nil {
		return err
	}
	checks := map[string]func(context.Context) error{
		"postgres":    pool.Ping,
		"redis":       func(ctx context.Context) error { return rdb.Ping(ctx).Err() },
		"meilisearch": sd.Ping,
	}
	if cfg.StripeAPIBase != "" {
		checks["stripe-mock"] = httpCheck(strings.TrimRight(cfg.StripeAPIBase, "/")+"/v1/balance", cfg.StripeKey)
	}
	catalogStore := postgres.NewCatalogStore(pool)
	// The catalogue pages may read a replica; carts and checkouts (which
	// price and reserve) read catalogStore, on the primary.
	catalogReads, replica, err := openCatalogReads(ctx, cfg, catalogStore)
	if err != nil {
		return err
	}
	if replica != nil {
		defer replica.Close()
		checks["postgres-replica"] = replica.Ping
	}
	carts := cart.NewService(dredis.NewCartStore(rdb, ""), catalogStore)
	ids, err := openAccounts(cfg, pool, rdb, log)
	if err != nil {
		return err
	}
	coops := coop.NewService(postgres.NewCoopStore(pool), ids.Accounts)
	orders, testPayments, err := openOrders(ctx, cfg, pool, carts, ids.Mailer, coops, ids.Accounts, log)
	if err != nil {
		return err
	}
	// Reviews, product questions and notifications (issue 14): events are
	// queued in PostgreSQL and made into notifications and mail by the
	// worker below; the header's unread count is cached in Redis.
	reviews := &review.Service{Store: postgres.NewReviewStore(pool), Auditor: ids.Accounts}
	notices := &notify.Service{Store: postgres.NewNotifyStore(pool), Cache: dredis.NewUnreadCache(rdb, ""),
		Notifier: notify.MailNotifier{Mailer: ids.Mailer, BaseURL: cfg.BaseURL}, Log: log.With("component", "notify")}
	blobs, err := blob.NewDir(cfg.UploadDir)
	if err != nil {
		return fmt.Errorf("serve: upload folder: %w", err)
	}
	defer blobs.Close()
	// Campaigns (기획전, online expos): their discounts price the cart, the
	// listings and the feeds, computed from each campaign's period at read
	// time (no per-process state, so every instance agrees).
	campaigns := &curation.Service{Store: postgres.NewCurationStore(pool), Blobs: blobs, Audit: ids.Accounts}
	posts := &board.Service{Store: postgres.NewBoardStore(pool), Blobs: blobs, Audit: ids.Accounts, Log: log.With("component", "board")}
	carts.WithDiscounts(campaigns)
	quotes := openQuotes(pool, ids.Accounts, orders, ids.Institutions, coops)
	if cfg.IsDevelopment() {
		log.Warn("development mode (DURE_ENV=development): development secrets and stripe-mock are allowed; never expose this instance")
		lines, err := ensureDemoAccounts(ctx, pool, ids.Accounts, ids.Institutions)
		if err != nil {
			return err
		}
		printDemoAccounts(log, lines)
		if err := ensureDemoCoop(ctx, pool); err != nil {
			return err
		}
		if err := ensureDemoBoard(ctx, ids.Accounts, posts); err != nil {
			return err
		}
		if err := ensureDemoHistory(ctx, pool, ids.Accounts, quotes, orders); err != nil {
			log.Warn("demo procurement history: not seeded", "err", err) // the shop runs without it
		}
	}
	// Search analytics: counted in memory, added to PostgreSQL every 10 s
	// and once more at shutdown (search.Tally).
	statsStore := postgres.NewSearchStatsStore(pool)
	stats := search.NewTally(statsStore)
	statsCtx, stopStats := context.WithCancel(context.WithoutCancel(ctx))
	statsDone := make(chan struct{})
	go func() {
		defer close(statsDone)
		stats.Run(statsCtx, 10*time.Second, func(err error) { log.Warn("search stats: flush", "err", err) })
	}()
	defer func() { stopStats(); <-statsDone }()

	feeds, feedWorker := openFeeds(cfg, pool, log)
	feeds.Discounts = campaigns
	app := webapp.New(webapp.Deps{
		Catalog:              catalogReads,
		Search:               sd.Searcher,
		Checks:               checks,
		Metrics:              m,
		Log:                  log,
		Templates:            tmpl,
		Carts:                carts,
		Orders:               orders,
		Limiter:              dredis.NewRateLimiter(rdb, ""),
		CookieSecret:         []byte(cfg.CookieSecret),
		SecureCookies:        cfg.SecureCookies,
		TrustedProxies:       cfg.TrustedProxies,
		ProxyHeader:          cfg.ProxyHeader,
		TestPayments:         testPayments,
		StripePublishableKey: cfg.StripePublishableKey,
		BenchHello:           cfg.BenchHello,
		Suggest:              sd.Suggester,
		Accounts:             ids.Accounts,
		Onboarding:           ids.Onboarding,
		Institutions:         ids.Institutions,
		Manager:              ids.Catalog,
		Bundles:              &catalog.Bundles{Store: catalogStore, Auditor: ids.Accounts},
		Impact:               &impact.Service{Store: postgres.NewImpactStore(pool), Auditor: ids.Accounts},
		Blobs:                blobs,
		SearchStats:          stats,
		Helpdesk: &helpdesk.Service{Store: postgres.NewHelpdeskStore(pool), Blobs: blobs, Audit: ids.Accounts,
			Mailer: ids.Mailer, BaseURL: cfg.BaseURL, Log: log.With("component", "helpdesk")},
		Reviews:   reviews,
		Addresses: &order.AddressBook{Store: postgres.NewAddressStore(pool)},
		Notify:    notices,
		Curation:  campaigns,
		Board:     posts,
		SearchAdmin: &search.Admin{Synonyms: postgres.NewSynonymStore(pool), Stats: statsStore,
			Push: sd.PushSynonyms, Audit: ids.Accounts},
		Feeds:      feeds,
		FeedToken:  cfg.FeedToken,
		Quotes:     quotes,
		Coop:       coops,
		Reports:    report.NewService(postgres.NewReportStore(pool), coops),
		Settlement: &settlement.Service{Store: postgres.NewSettlementStore(pool), Audit: ids.Accounts},
		Documents:  coop.NewDocuments(postgres.NewCoopStore(pool), ids.Accounts),
		PDF:        docs,
	})

	workerCtx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWorker()
	workerDone := make(chan error, 1)
	ordersDone := make(chan struct{})
	feedsDone := make(chan struct{})
	noticesDone := make(chan struct{})
	if cfg.RunWorker {
		go func() { workerDone <- sd.RunWorker(workerCtx) }()
		go func() { runOrderWorker(workerCtx, cfg, orders); close(ordersDone) }()
		go func() { _ = feedWorker.Run(workerCtx); close(feedsDone) }()
		go func() { notices.Run(workerCtx, cfg.OrderInterval); close(noticesDone) }()
	} else {
		workerDone <- nil
		close(ordersDone)
		close(feedsDone)
		close(noticesDone)
	}

	if cfg.PprofAddr != "" {
		go servePprof(cfg.PprofAddr, log)
	}

	startedGC()

	listeners := []listener{{name: "storefront", app: app, addr: cfg.Addr}}
	if cfg.AdminAddr != "" {
		listeners = append(listeners, listener{name: "admin (detailed /healthz, /metrics)", app: webapp.Admin(webapp.Deps{Checks: checks, Metrics: m, Log: log}), addr: cfg.AdminAddr})
	}
	stop := func() {
		stopWorker()
		<-ordersDone
		<-feedsDone
		<-noticesDone
		if werr := <-workerDone; werr != nil && !errors.Is(werr, context.Canceled) {
			log.Warn("search worker stopped with an error", "err", werr)
		}
	}
	err = serveAll(ctx, log, listeners, stop)
	sd.Flush() // answers computed during the last requests reach the cache
	if err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// openCatalogReads returns the store the storefront's catalogue pages read
// (products, enterprises, categories): on a pool of its own to
// DURE_DATABASE_REPLICA_URL when that is set (returned, to close), else
// primary. A replica lags its primary by a moment: a page may show a price
// or stock a second old, which the cart and the checkout, reading the
// primary, correct.
func openCatalogReads(ctx context.Context, cfg config.Config, primary *postgres.CatalogStore) (*postgres.CatalogStore, *pgxpool.Pool, error) {
	if cfg.DatabaseReplicaURL == "" {
		return primary, nil, nil
	}
	replica, err := postgres.OpenReplica(ctx, cfg.DatabaseReplicaURL)
	if err != nil {
		return nil, nil, fmt.Errorf("serve: replica (DURE_DATABASE_REPLICA_URL): %w", err)
	}
	return postgres.NewCatalogStore(replica), replica, nil
}

// listener is one fiber app on its own address.
type listener struct {
	name string
	app  *fiber.App
	addr string
	ln   net.Listener // set by serveAll (or beforehand, by a test)
}

// serveAll serves every app on its address until ctx ends or one of them
// fails, then shuts them all down within shutdownGrace (in-flight requests
// finish) and calls stop (the workers) before returning.
func serveAll(ctx context.Context, log *slog.Logger, ls []listener, stop func()) error {
	for i := range ls {
		if ls[i].ln != nil {
			continue
		}
		ln, err := net.Listen("tcp", ls[i].addr)
		if err != nil {
			for _, l := range ls[:i] {
				l.ln.Close()
			}
			stop()
			return fmt.Errorf("serve: listen %s (%s): %w", ls[i].addr, ls[i].name, err)
		}
		ls[i].ln = ln
	}
	served := make(chan error, len(ls))
	for _, l := range ls {
		go func() { served <- l.app.Listener(l.ln) }()
		log.Info("serving", "what", l.name, "url", "http://"+l.ln.Addr().String())
	}
	var err error
	select {
	case <-ctx.Done():
		log.Info("shutting down", "grace", shutdownGrace.String())
	case err = <-served:
		err = fmt.Errorf("serve: %w", err)
	}
	for _, l := range ls {
		if serr := l.app.ShutdownWithTimeout(shutdownGrace); serr != nil && err == nil {
			err = fmt.Errorf("serve: shutdown %s: %w", l.name, serr)
		}
	}
	stop()
	return err
}

// servePprof serves the runtime profiles on addr (DURE_PPROF_ADDR), on a mux
// of its own so that nothing reaches them through the storefront's port.
// checkPayments refuses a configuration in which no order could be paid:
// against the real Stripe API the payment page needs Stripe.js and its
// publishable key (stripe-mock gets the test-card button instead).
func checkPayments(cfg config.Config) error {
	p, err := stripe.New(stripe.Config{Key: cfg.StripeKey, APIBase: cfg.StripeAPIBase, WebhookSecret: cfg.StripeWebhookKey})
	if err != nil {
		return err
	}
	if !p.IsMock && cfg.StripePublishableKey == "" {
		return errors.New("serve: DURE_STRIPE_PUBLISHABLE_KEY is empty while payments go to Stripe (not stripe-mock): the payment page could not take cards")
	}
	return nil
}

// serveGCPercent is serve's GOGC when the environment sets none.
const serveGCPercent = 400

// startedGC is called once start-up is done, before serving. The live heap
// is small (tens of MiB) and a search or page allocates fast, so at Go's
// default GOGC=100 the collector ran many times a second and took a fifth
// of a search's CPU; serving runs at serveGCPercent (400), trading some
// peak RSS for it (docs/bench.md). GOGC in the environment wins.
//
// Start-up itself runs at the default: it makes much garbage at once (the
// templates parsed and escaped, the PDF fonts tried, in development the
// demo's argon2id hashes of 19 MiB each), and at 400 the collector let the
// heap grow to five times what was live, then set the serving goal from a
// heap that still held start-up's leftovers (a pooled 32 MiB brotli
// encoder, a hash in progress): a goal of 500 MiB, which the requests'
// garbage then filled, so that serve peaked at ~680 MiB whatever the
// catalogue. So collect once here, start the goal from what the server
// keeps, hand the freed pages back, and only then raise GOGC.
func startedGC() {
	debug.FreeOSMemory()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}

func servePprof(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Warn("serving pprof; keep this address private", "addr", addr)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		log.Error("pprof server stopped", "err", err)
	}
}

// httpCheck probes an HTTP dependency: any answer below 500 means it is up.
func httpCheck(url, bearer string) func(context.Context) error {
	client := &http.Client{Timeout: 2 * time.Second}
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			return fmt.Errorf("%s answered %s", url, resp.Status)
		}
		return nil
	}
}
