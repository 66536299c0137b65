// Package biz is the public-procurement channel for institution buyers
// (/biz): what it offers, registering an institution and joining one, the
// buyer's dashboard, the institution's details, its members (for its admin)
// the catalogue at public prices and the quote requests (견적 요청) with
// their 견적서, in its own layout
// (templates/layouts/biz.html, templates/biz/).
//
// The handlers decide nothing themselves: the account rules
// (account.RequireInstitutionBuyer, account.CanManageInstitution) and the
// institution service scope every read and write to the actor's own
// institution, so another institution's members answer not found.
package biz

import (
	"context"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/document/pdf"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/report"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web"
)

// Deps is what /biz needs; internal/web/app builds it.
type Deps struct {
	// Accounts signs a new officer in after registering or joining.
	Accounts *account.Service
	// Institutions registers and joins institutions and manages members
	// (nil: every /biz route but the landing page answers 503).
	Institutions *institution.Service
	// Search lists the catalogue (nil: /biz/products answers 503).
	Search search.Searcher
	// Reports builds the institution's priority-purchase report (nil:
	// /biz/reports answers 503).
	Reports *report.Service
	// Orders lists the institution's orders, records 검수 and builds their
	// documents (nil: /biz/orders answers 503).
	Orders *order.Service
	// PDF renders documents as PDF (nil: the .pdf addresses answer 503).
	PDF *pdf.Renderer
	// Quotes is procurement's quote requests (nil: /biz/quotes answers 503);
	// Catalog gives the request form its products and the 견적서 its
	// suppliers' details; Carts turns the shop cart into a request.
	Quotes  *quote.Service
	Catalog catalog.Store
	Carts   *cart.Service
	// PDF renders the 견적서's PDF and Coop gives the co-op's business
	// details printed on it as issuer (either nil, or the details not yet
	// set in the console: the 견적서 answers 503).
	Coop CoopSettings
	// Payments pays orders on card terms.
	Payments
}

// Payments are what a public order on card terms is paid with: the
// shop's payment path. TestPayments (stripe-mock) shows the test-card
// button; otherwise StripePublishableKey feeds Stripe.js.
type Payments struct {
	TestPayments         bool
	StripePublishableKey string
}

// CoopSettings is the co-op's settings (*coop.Service).
type CoopSettings interface {
	Settings(ctx context.Context) (*coop.Settings, error)
}

// Pages are the templates /biz renders; app checks them at start-up.
func Pages() []string {
	return []string{"biz/home", "biz/dashboard", "biz/register", "biz/join", "biz/institution",
		"biz/members", "biz/products", "biz/reports", "biz/orders", "biz/order", "biz/error", "biz/quotes", "biz/quote_new", "biz/quote", "biz/pay"}
}

type server struct {
	Deps
	kit *web.Kit
}

// Mount registers /biz's routes and its error pages.
func Mount(r fiber.Router, k *web.Kit, d Deps) {
	s := &server{Deps: d, kit: k}
	k.ErrorPages("/biz", s.errorPage)
	k.ErrorPages("/biz/", s.errorPage)

	g := r.Group("/biz", s.needService, k.CheckCSRF)
	// Public: the landing page (a dashboard once signed in), registering and joining.
	g.Get("/", s.homePage)
	g.Get("/register", s.registerPage)
	g.Post("/register", s.register)
	g.Get("/join", s.joinPage)
	g.Post("/join", s.join)
	// An institution user of any status: where things stand.
	g.Get("/institution", s.signedIn(account.RequireInstitutionUser), s.institutionPage)
	// The institution's admin.
	g.Get("/members", s.signedIn(account.RequireInstitutionUser), s.membersPage)
	g.Post("/members/:uid<int>/approve", s.signedIn(account.RequireInstitutionUser), s.memberAction)
	g.Post("/members/:uid<int>/decline", s.signedIn(account.RequireInstitutionUser), s.memberAction)
	g.Post("/members/:uid<int>/remove", s.signedIn(account.RequireInstitutionUser), s.memberAction)
	g.Post("/members/:uid<int>/admin", s.signedIn(account.RequireInstitutionUser), s.memberAction)
	// Active buyers of an active institution.
	g.Get("/products", s.signedIn(account.RequireInstitutionBuyer), s.productsPage)
	g.Get("/reports", s.signedIn(account.RequireInstitutionBuyer), s.reportsPage)
	g.Get("/reports.csv", s.signedIn(account.RequireInstitutionBuyer), s.reportFile("csv"))
	g.Get("/reports.xlsx", s.signedIn(account.RequireInstitutionBuyer), s.reportFile("xlsx"))
	// The institution's orders, their 검수 and documents.
	o := g.Group("/orders", s.signedIn(account.RequireInstitutionBuyer), s.needOrders)
	o.Get("/", s.ordersPage)
	o.Get("/:number", s.orderPage)
	o.Post("/:number/parts/:id<int>/inspect", s.inspect)
	o.Get("/:number/pay", s.payPage)
	o.Post("/:number/pay/test", s.payTest)
	o.Get("/:number/statement", s.orderDocument(document.Statement, false))
	o.Get("/:number/statement.pdf", s.orderDocument(document.Statement, true))
	o.Get("/:number/invoice", s.orderDocument(document.Invoice, false))
	o.Get("/:number/invoice.pdf", s.orderDocument(document.Invoice, true))
	s.mountQuotes(g)
}

// needService answers 503 without the institution service.
func (s *server) needService(c *fiber.Ctx) error {
	if s.Institutions == nil || s.Accounts == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

// signedIn is a route's guard: anonymous GETs are sent to sign in and come
// back, other anonymous requests get 401, and everyone else gets rule's
// answer (403 with where things stand).
func (s *server) signedIn(rule func(context.Context) (*account.Actor, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, err := rule(c.UserContext())
		if apperr.Code(err) == apperr.Unauthorized && (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) {
			return c.Redirect(signInURL(c.OriginalURL()), fiber.StatusSeeOther)
		}
		if err != nil {
			return err
		}
		return c.Next()
	}
}

// signInURL is the sign-in page that comes back to next.
func signInURL(next string) string { return "/account/signin?next=" + url.QueryEscape(next) }
