// Package app assembles the web layer: the shared infrastructure of
// internal/web and every audience package mounted on it. cmd/dure calls
// New; adding an audience is a field or two in Deps, its Pages in Pages and
// one Mount line in New.
package app

import (
	"context"
	"io/fs"
	"log/slog"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

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
	"github.com/dure-coop/dure/internal/feed"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/notify"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/report"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/admin"
	"github.com/dure-coop/dure/internal/web/api"
	"github.com/dure-coop/dure/internal/web/biz"
	"github.com/dure-coop/dure/internal/web/feeds"
	"github.com/dure-coop/dure/internal/web/portal"
	"github.com/dure-coop/dure/internal/web/shop"
	"github.com/dure-coop/dure/internal/web/view"
	"github.com/dure-coop/dure/internal/web/webhooks"
	"github.com/dure-coop/dure/storefront"
)

// Deps is what the web layer needs; cmd/dure builds it.
type Deps struct {
	// Catalog reads products, enterprises and categories.
	Catalog catalog.Store
	// Search answers the search, category and enterprise product lists.
	Search search.Searcher
	// Checks are the dependency probes /healthz runs (web.Config.Checks).
	Checks map[string]func(context.Context) error
	// Metrics receives the per-route latency histogram; Admin serves it at
	// /metrics.
	Metrics *metrics.Metrics
	// Log receives access and internal-error logs.
	Log *slog.Logger
	// Templates renders pages and serves static files; nil means the embedded
	// storefront (and New panics if that is broken: a build defect).
	Templates *web.Templates
	// CategoryTTL is how long the category tree is reused between database
	// reads (default 10s); see view.Categories.
	CategoryTTL time.Duration

	// Carts keeps the shoppers' carts (nil: the cart and checkout routes
	// answer 503, for deployments that only show the catalogue).
	Carts *cart.Service
	// Orders is checkout, payment, the Stripe webhook and the order pages
	// (nil, with Carts: those routes answer 503).
	Orders *order.Service
	// Limiter bounds checkout attempts per client IP across all instances.
	Limiter web.RateLimiter
	// CookieSecret signs the cookies and the CSRF tokens
	// (config.Config.CookieSecret).
	CookieSecret []byte
	// SecureCookies forces the Secure flag; otherwise it follows the scheme.
	SecureCookies bool
	// TrustedProxies and ProxyHeader: see web.Config.
	TrustedProxies []string
	ProxyHeader    string
	// TestPayments shows the "테스트 카드로 결제" button instead of the Stripe.js
	// card form: only when the payment backend is stripe-mock.
	TestPayments bool
	// StripePublishableKey is the pk_... key of the Stripe.js card form.
	StripePublishableKey string
	// BenchHello adds GET /bench/hello (web.Config.BenchHello).
	BenchHello bool
	// Suggest answers /api/v1/suggest for the search box; nil leaves the
	// route out.
	Suggest search.Suggester

	// Accounts signs people up and in (sessions, passwords, members, API
	// keys, the audit log); nil leaves every request anonymous and the
	// account pages answering 503.
	Accounts *account.Service
	// Manager writes the catalogue for the enterprise portal (nil: /portal
	// answers 503).
	Manager *catalog.Manager
	// Onboarding shows an enterprise under review its application's status.
	Onboarding *onboarding.Service
	// Institutions registers public institutions and their buyers (/biz and
	// the console's /admin/institutions; nil: /biz answers 503 but its
	// landing page).
	Institutions *institution.Service
	// Blobs keeps uploaded images (served at /media/u/) and pending CSV
	// uploads.
	Blobs blob.Store
	// SearchStats counts searches and results opened from them (nil: not
	// counted); SearchAdmin is the console's synonyms and analytics (nil:
	// /admin/search answers 404).
	SearchStats *search.Tally
	SearchAdmin *search.Admin
	// Feeds writes the product feeds for other malls (/feeds/…; nil: 503);
	// FeedToken, when set, must be given as ?token=.
	Feeds     *feed.Publisher
	FeedToken string
	// Helpdesk is the help desk for enterprises (애로 상담: /portal/help and
	// /admin/help; nil: those routes answer 503 / are absent).
	Helpdesk *helpdesk.Service
	// Quotes is procurement's quote requests and quotes: the enterprises'
	// answers in the portal, the operator's inbox in the console (nil:
	// those screens answer 503).
	Quotes *quote.Service
	// Coop is the co-op's settings and holidays, edited in the console.
	Coop *coop.Service
	// Documents is the terms, privacy policy and checkout collection
	// notice, versioned (the shop's /terms, /privacy and checkout consents;
	// the console's /admin/legal).
	Documents *coop.Documents
	// Reports builds the priority-purchase report (/biz/reports,
	// /admin/reports/procurement); nil: those pages answer 503.
	Reports *report.Service
	// Settlement is commission and settlement (/admin/settlements, the
	// portal's statements, the product page's open fees); nil leaves them
	// out.
	Settlement *settlement.Service
	// Bundles builds and finds joint products (공동상품): /admin/bundles and
	// the parts on a bundle's product page (nil: the console's page answers
	// 503 and product pages show no parts).
	Bundles *catalog.Bundles
	// Impact is impact per purchase (the portal's figures, the estimates on
	// product and order pages, the buyers' yearly statements; nil: none).
	Impact *impact.Service
	// PDF renders the documents (거래명세서, 청구서) as PDF, made once at
	// start-up (pdf.New(cfg.FontDir)); nil: the .pdf addresses answer 503.
	PDF *pdf.Renderer
	// Reviews is reviews and product questions (shop, portal and console;
	// nil leaves them out); Notify the members' notifications and the
	// header's unread count (nil: none).
	Reviews *review.Service
	// Addresses is the members' address books (shop; nil: none).
	Addresses *order.AddressBook
	Notify    *notify.Service
	// Curation is campaigns and online expos (/campaigns, the home page's
	// featured ones, /admin/campaigns, /portal/campaigns); nil leaves them
	// out.
	Curation *curation.Service
	// Board is the co-op's notices and downloads (/notices, /downloads,
	// the home page's latest, /admin/board); nil leaves them out.
	Board *board.Service
}

// Pages are the page templates of every audience: a missing one fails
// LoadTemplates, hence start-up.
func Pages() []string {
	return slices.Concat(shop.Pages(), portal.Pages(), admin.Pages(), biz.Pages())
}

// LoadTemplates parses the storefront's templates (fsys, or devDir in
// development) and checks that every audience's pages are there.
func LoadTemplates(fsys fs.FS, devDir string) (*web.Templates, error) {
	return web.LoadTemplates(fsys, devDir, Pages()...)
}

// New builds the fiber app: the shared middleware, error handler and ops
// routes, and every audience.
func New(d Deps) *fiber.App {
	if d.Templates == nil {
		t, err := LoadTemplates(storefront.FS(), "")
		if err != nil {
			panic(err)
		}
		d.Templates = t
	}
	if d.CategoryTTL == 0 {
		d.CategoryTTL = 10 * time.Second
	}
	a, k := web.New(web.Config{
		Templates:      d.Templates,
		Log:            d.Log,
		Metrics:        d.Metrics,
		Checks:         d.Checks,
		CookieSecret:   d.CookieSecret,
		SecureCookies:  d.SecureCookies,
		TrustedProxies: d.TrustedProxies,
		ProxyHeader:    d.ProxyHeader,
		BenchHello:     d.BenchHello,
		Accounts:       authenticator(d.Accounts),
	})
	categories := view.NewCategories(d.Catalog.FindCategories, d.CategoryTTL)
	// The portal's uploads may be larger than the 1 MB every other request
	// keeps (portal.LimitBody); fiber has no per-route body limit.
	a.Server().MaxRequestBodySize = portal.MaxUploadBody
	a.Use(portal.LimitBody)

	var fees shop.Fees
	if d.Settlement != nil {
		fees = d.Settlement
	}
	shop.Mount(a, k, shop.Deps{
		Fees:                 fees,
		Catalog:              d.Catalog,
		Bundles:              d.Bundles,
		Impact:               d.Impact,
		PDF:                  d.PDF,
		Search:               d.Search,
		Categories:           categories,
		Carts:                d.Carts,
		Orders:               d.Orders,
		Limiter:              d.Limiter,
		TestPayments:         d.TestPayments,
		StripePublishableKey: d.StripePublishableKey,
		Accounts:             d.Accounts,
		Onboarding:           d.Onboarding,
		Stats:                d.SearchStats,
		Reviews:              d.Reviews,
		Addresses:            d.Addresses,
		Blobs:                d.Blobs,
		Notify:               d.Notify,
		Curation:             d.Curation,
		Coop:                 shopCoop(d.Coop),
		Documents:            d.Documents,
		Board:                d.Board,
	})
	api.Mount(a, k, api.Deps{
		Catalog:    d.Catalog,
		Search:     d.Search,
		Categories: categories,
		Carts:      d.Carts,
		Orders:     d.Orders,
		Suggest:    d.Suggest,
		Manager:    d.Manager,
	})
	webhooks.Mount(a, k, webhooks.Deps{Orders: d.Orders})
	portal.Mount(a, k, portal.Deps{Manager: d.Manager, Onboarding: d.Onboarding, Blobs: d.Blobs, Categories: categories,
		Orders: d.Orders, Accounts: d.Accounts, Helpdesk: d.Helpdesk, Quotes: d.Quotes, PDF: d.PDF, Reviews: d.Reviews,
		Settlement: d.Settlement, Curation: d.Curation, Impact: d.Impact})
	biz.Mount(a, k, biz.Deps{Accounts: d.Accounts, Institutions: d.Institutions, Search: d.Search, Reports: d.Reports,
		Orders: d.Orders, PDF: d.PDF, Quotes: d.Quotes,
		Catalog: d.Catalog, Carts: d.Carts, Coop: coopOf(d.Coop),
		Payments: biz.Payments{TestPayments: d.TestPayments, StripePublishableKey: d.StripePublishableKey}})
	feeds.Mount(a, k, feeds.Deps{Feeds: d.Feeds, Token: d.FeedToken})
	if d.Accounts != nil && d.Onboarding != nil && d.Manager != nil { // the operator console (/admin)
		admin.Mount(a, k, admin.Deps{Accounts: d.Accounts, Onboarding: d.Onboarding, Catalog: d.Manager,
			Search: d.SearchAdmin, Institutions: d.Institutions, Helpdesk: d.Helpdesk, Coop: d.Coop, Orders: d.Orders, Quotes: d.Quotes,
			Reports: d.Reports, PDF: d.PDF, Reviews: d.Reviews, Settlement: d.Settlement, Curation: d.Curation, Documents: d.Documents,
			Bundles: d.Bundles, Board: d.Board})
	}
	return a
}

// Admin builds the operators' app (web.NewAdmin): the detailed /healthz and
// /metrics of d's checks and registry, for the admin address.
func Admin(d Deps) *fiber.App {
	return web.NewAdmin(web.Config{Log: d.Log, Metrics: d.Metrics, Checks: d.Checks})
}

// authenticator is accounts as the shared layer's Authenticator, or nil
// (a nil *account.Service must not become a non-nil interface).
func authenticator(a *account.Service) web.Authenticator {
	if a == nil {
		return nil
	}
	return a
}

// coopOf is c as biz.CoopSettings (nil stays nil, not a typed nil).
func coopOf(c *coop.Service) biz.CoopSettings {
	if c == nil {
		return nil
	}
	return c
}

// shopCoop is c as shop.CoopSettings (nil stays nil, not a typed nil).
func shopCoop(c *coop.Service) shop.CoopSettings {
	if c == nil {
		return nil
	}
	return c
}
