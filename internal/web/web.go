// Package web is Dure's thin HTTP layer on fiber: the Korean storefront pages
// (html/template from storefront/), the JSON API under /api/v1, /healthz and
// /metrics. Handlers parse input, call the catalogue and search, and return
// errors; one ErrorHandler turns every error into a status and a safe page or
// JSON body.
package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/view"
	"github.com/dure-coop/dure/storefront"
)

// Deps is what the web layer needs; cmd/dure builds it.
type Deps struct {
	// Catalog reads products, enterprises and categories.
	Catalog catalog.Store
	// Search answers the search, category and enterprise product lists.
	Search search.Searcher
	// Checks are the dependency probes /healthz runs, by name (postgres,
	// redis, meilisearch, stripe-mock). "postgres" is critical: when it fails,
	// /healthz answers 503; any other failure only degrades.
	Checks map[string]func(context.Context) error
	// Metrics receives the per-route latency histogram and serves /metrics.
	Metrics *metrics.Metrics
	// Log receives access and internal-error logs.
	Log *slog.Logger
	// Templates renders pages and serves static files; nil means the embedded
	// storefront (and New panics if that is broken: a build defect).
	Templates *Templates
	// CategoryTTL is how long the category tree is reused between database
	// reads (default 10s). The tree is tiny and rarely changes; a short TTL keeps
	// instances independent without a coherent cache.
	CategoryTTL time.Duration

	// Carts keeps the shoppers' carts (nil: the cart and checkout routes
	// answer 503, for deployments that only show the catalogue).
	Carts *cart.Service
	// Orders is checkout, payment, the Stripe webhook and the order pages.
	Orders *order.Service
	// Limiter bounds checkout attempts per client IP across all instances.
	Limiter RateLimiter
	// CookieSecret signs the cart and order-access cookies and the CSRF
	// tokens (config.Config.CookieSecret).
	CookieSecret []byte
	// SecureCookies forces the Secure flag; otherwise it follows the scheme.
	SecureCookies bool
	// TrustedProxies and ProxyHeader: only requests from these addresses or
	// ranges have their client address read from ProxyHeader and their scheme
	// from X-Forwarded-Proto (config.Config.TrustedProxies).
	TrustedProxies []string
	ProxyHeader    string
	// TestPayments shows the "테스트 카드로 결제" button instead of the Stripe.js
	// card form: only when the payment backend is stripe-mock.
	TestPayments bool
	// StripePublishableKey is the pk_... key of the Stripe.js card form.
	StripePublishableKey string
	// BenchHello adds GET /bench/hello, a fixed "hello" through the same fiber
	// app and middleware: the floor `make bench` compares the pages with
	// (DURE_BENCH_HELLO). Off in production.
	BenchHello bool
	// Suggest answers /api/v1/suggest for the search box; nil leaves the
	// route out.
	Suggest search.Suggester
}

// RateLimiter counts requests per key across every instance (redis.RateLimiter).
type RateLimiter interface {
	// Allow counts one request for key and reports whether it is within
	// limit requests per window.
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error)
}

// server holds the dependencies for the handlers.
type server struct {
	Deps
	cats *view.Categories
}

// New builds the fiber app with every route, the middleware and the error handler.
func New(d Deps) *fiber.App {
	if d.Templates == nil {
		t, err := LoadTemplates(storefront.FS(), "")
		if err != nil {
			panic(err)
		}
		d.Templates = t
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Metrics == nil {
		d.Metrics = metrics.New()
	}
	if d.CategoryTTL == 0 {
		d.CategoryTTL = 10 * time.Second
	}
	s := &server{Deps: d, cats: view.NewCategories(d.Catalog.FindCategories, d.CategoryTTL)}

	app := fiber.New(fiber.Config{
		ErrorHandler:          s.handleError,
		Immutable:             true,
		DisableStartupMessage: true,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           90 * time.Second,
		ReadBufferSize:        16 << 10,
		BodyLimit:             1 << 20,
		AppName:               "dure",
		// Forwarded headers are believed from the configured proxies only;
		// with none, c.IP() is the peer and X-Forwarded-Proto is ignored.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.TrustedProxies,
		ProxyHeader:             proxyHeader(d),
		EnableIPValidation:      true,
	})
	app.Use(s.requestID, s.observe, s.recover, securityHeaders)
	s.routes(app)
	return app
}

// proxyHeader is the header c.IP() reads, when any proxy is trusted.
func proxyHeader(d Deps) string {
	if len(d.TrustedProxies) == 0 {
		return ""
	}
	return d.ProxyHeader
}

func (s *server) routes(app *fiber.App) {
	app.Get("/healthz", s.healthz)
	if s.BenchHello {
		app.Get("/bench/hello", func(c *fiber.Ctx) error { return c.SendString("hello") })
	}
	app.Get("/metrics", s.metricsHandler())
	app.Get("/static/:name", s.staticFile)
	app.Get("/media/products/:id.svg", s.productImage)
	app.Get("/media/categories/:slug.svg", s.categoryImage)

	app.Get("/", s.homePage)
	app.Get("/search", s.searchPage)
	app.Get("/c/:slug", s.categoryPage)
	app.Get("/p/:id", s.productPage)
	app.Get("/e/:id", s.enterprisePage)
	app.Get("/enterprises", s.enterprisesPage)

	// Verified by its Stripe-Signature, not by a CSRF token.
	app.Post("/webhooks/stripe", s.stripeWebhook)

	// The shop's pages: every POST carries the form's CSRF token.
	shop := []fiber.Handler{s.needOrders, s.checkCSRF}
	with := func(h fiber.Handler) []fiber.Handler { return append(shop[:len(shop):len(shop)], h) }
	app.Get("/cart", with(s.cartPage)...)
	app.Post("/cart/items", with(s.cartAdd)...)
	app.Post("/cart/items/:key", with(s.cartUpdate)...)
	app.Get("/checkout", with(s.checkoutPage)...)
	app.Post("/checkout", with(s.checkoutSubmit)...)
	app.Get("/orders/lookup", with(s.lookupPage)...)
	app.Post("/orders/lookup", with(s.lookupSubmit)...)
	app.Get("/orders/:number", with(s.orderPage)...)
	app.Post("/orders/:number/cancel", with(s.orderCancel)...)
	app.Get("/orders/:number/pay", with(s.payPage)...)
	app.Post("/orders/:number/pay/test", with(s.payTest)...)
	app.Get("/orders/:number/complete", with(s.completePage)...)

	api := app.Group("/api/v1")
	api.Get("/products", s.apiProducts)
	api.Get("/products/:id", s.apiProduct)
	api.Get("/search", s.apiSearch)
	if s.Suggest != nil {
		api.Get("/suggest", SuggestHandler(s.Suggest))
	}
	api.Get("/categories", s.apiCategories)
	api.Get("/enterprises", s.apiEnterprises)
	api.Get("/enterprises/:id", s.apiEnterprise)

	// The cart API: writes must be declared JSON (see checkAPIWrite).
	cartAPI := func(h fiber.Handler) []fiber.Handler { return []fiber.Handler{s.needOrders, checkAPIWrite, h} }
	api.Get("/cart", cartAPI(s.apiCart)...)
	api.Delete("/cart", cartAPI(s.apiCartClear)...)
	api.Post("/cart/items", cartAPI(s.apiCartAdd)...)
	api.Patch("/cart/items/:key", cartAPI(s.apiCartUpdate)...)
	api.Delete("/cart/items/:key", cartAPI(s.apiCartRemove)...)
}

// needOrders answers 503 when the app was built without carts and orders.
func (s *server) needOrders(c *fiber.Ctx) error {
	if s.Carts == nil || s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}
