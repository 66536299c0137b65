// Package web is the HTTP layer's shared infrastructure on fiber v2: the
// middleware (request id and deadline, access log and per-route latency,
// recover, security headers, the client address through trusted proxies),
// the one error handler (apperr codes → statuses; a JSON body, a plain
// text or an audience's HTML page, by path), templates and static files,
// cookies and CSRF, and the public ops routes (/livez, /healthz, /static/); the
// operators' app (NewAdmin: detailed /healthz, /metrics) listens apart.
//
// It serves no page itself. Each audience is a package of its own
// (internal/web/shop, api, webhooks, …) with a Mount(r, kit, deps) that
// registers its routes, its templates' layout and its error pages through
// the Kit that New returns; internal/web/app assembles them.
package web

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	fastjson "github.com/segmentio/encoding/json"

	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/storefront"
)

// Config is what the shared layer needs; internal/web/app builds it.
type Config struct {
	// Templates renders pages and serves static files; nil means the
	// embedded storefront with no page required (and New panics if that
	// is broken: a build defect).
	Templates *Templates
	// Log receives access and internal-error logs (nil: slog.Default()).
	Log *slog.Logger
	// Metrics receives the per-route latency histogram, served at /metrics
	// by NewAdmin (nil: a fresh registry).
	Metrics *metrics.Metrics
	// Checks are the dependency probes /healthz runs, by name (postgres,
	// redis, meilisearch, stripe-mock). "postgres" is critical: when it fails,
	// /healthz answers 503; any other failure only degrades. The public
	// /healthz says up or down per check; NewAdmin's adds latency and error.
	Checks map[string]func(context.Context) error
	// CookieSecret signs the cookies and the CSRF tokens
	// (config.Config.CookieSecret).
	CookieSecret []byte
	// SecureCookies forces the Secure flag; otherwise it follows the scheme.
	SecureCookies bool
	// TrustedProxies and ProxyHeader: only requests from these addresses or
	// ranges have their client address read from ProxyHeader and their scheme
	// from X-Forwarded-Proto (config.Config.TrustedProxies).
	TrustedProxies []string
	ProxyHeader    string
	// Accounts authenticates sessions and API keys (account.Service); nil
	// leaves every request anonymous.
	Accounts Authenticator
	// BenchHello adds GET /bench/hello, a fixed "hello" through the same fiber
	// app and middleware: the floor `make bench` compares the pages with
	// (DURE_BENCH_HELLO). Off in production.
	BenchHello bool
}

// Kit is the shared infrastructure an audience's Mount gets: the templates,
// the logger, the signed cookies with the browser session and CSRF tokens
// (cookies.go), and the registration of the audience's error answers
// (errors.go). One Kit is made by New for one app; it is safe for
// concurrent use once the app serves.
type Kit struct {
	// Templates holds every audience's pages and the static files.
	Templates *Templates
	// Log is the app's logger; log with "request_id", RequestID(c).
	Log *slog.Logger
	// Cookies signs, checks and sets cookies under Config.CookieSecret.
	Cookies *Cookies

	errs     *errorHandler
	accounts Authenticator
	sessions *Breaker // bounds the session lookup (auth.go)
}

// RateLimiter counts requests per key across every instance (redis.RateLimiter).
type RateLimiter interface {
	// Allow counts one request for key and reports whether it is within
	// limit requests per window.
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error)
}

// core is the state of the shared middleware and ops routes.
type core struct {
	Config
	errs     *errorHandler
	gzipBufs sync.Pool // *[]byte: the buffers compress writes into
}

// New builds the fiber app with the shared middleware, the error handler and
// the ops routes, and the Kit its audiences mount themselves with.
func New(cfg Config) (*fiber.App, *Kit) {
	if cfg.Templates == nil {
		t, err := LoadTemplates(storefront.FS(), "")
		if err != nil {
			panic(err)
		}
		cfg.Templates = t
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	errs := &errorHandler{log: cfg.Log}
	k := &Kit{Templates: cfg.Templates, Log: cfg.Log, Cookies: &Cookies{secret: cfg.CookieSecret, secure: cfg.SecureCookies}, errs: errs, accounts: cfg.Accounts,
		sessions: NewBreaker(sessionTimeout, sessionCooldown)}
	s := &core{Config: cfg, errs: errs}

	app := fiber.New(fiber.Config{
		ErrorHandler:          errs.handle,
		Immutable:             true,
		DisableStartupMessage: true,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           90 * time.Second,
		ReadBufferSize:        16 << 10,
		BodyLimit:             1 << 20,
		AppName:               "dure",
		// API answers are encoded with segmentio's encoding/json drop-in
		// (a search answer in about two thirds of encoding/json's time);
		// request bodies are still read with encoding/json, whose errors
		// the API reports.
		JSONEncoder: fastjson.Marshal,
		// Forwarded headers are believed from the configured proxies only;
		// with none, c.IP() is the peer and X-Forwarded-Proto is ignored.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg),
		EnableIPValidation:      true,
	})
	app.Use(s.requestID, s.observe, s.recover, securityHeaders, k.authenticate)

	app.Get("/livez", livez)
	app.Get("/healthz", s.healthz)
	k.JSONErrors("/healthz")
	if cfg.BenchHello {
		app.Get("/bench/hello", func(c *fiber.Ctx) error { return c.SendString("hello") })
	}
	app.Get("/static/:name", s.staticFile)
	k.PlainErrors("/static/")
	return app, k
}

// proxyHeader is the header c.IP() reads, when any proxy is trusted.
func proxyHeader(cfg Config) string {
	if len(cfg.TrustedProxies) == 0 {
		return ""
	}
	return cfg.ProxyHeader
}

// Render writes page ("shop/product": templates/shop/product.html in
// templates/layouts/shop.html) as the HTML response; dot is the dot of the
// audience's layout, which passes the page's own view to "content".
func (k *Kit) Render(c *fiber.Ctx, page string, dot any) error {
	c.Type("html", "utf-8")
	return k.Templates.Render(c, page, dot)
}
