// Package admin is the co-op's operator console (/admin): the approval
// queue (enterprise applications and products pending review), the
// enterprises with their suspension and acting on their behalf (대리 등록),
// every enterprise's products, and the audit log, in the console's layout
// (templates/layouts/admin.html, templates/admin/).
//
// Every /admin address runs behind guard: an anonymous visitor is sent to
// sign in, and for anyone who is not an operator the console does not
// exist (404). The handlers decide nothing themselves: every read and write
// goes through the domain services with the request's context, and they
// check account.RequireOperator and record the audit log.
package admin

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/board"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/document/pdf"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/report"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/web"
)

// Deps is what the console needs; internal/web/app builds it. Accounts,
// Onboarding and Catalog are required.
type Deps struct {
	// Accounts reads the audit log and the operators' and members' names,
	// and starts and stops acting on behalf of an enterprise.
	Accounts *account.Service
	// Onboarding finds applications and approves or rejects them.
	Onboarding *onboarding.Service
	// Catalog finds every enterprise and product, hides and approves
	// products, and suspends and reinstates enterprises (their products
	// leave and return to search through the outbox).
	Catalog *catalog.Manager
	// Search is the synonym dictionary and the search analytics (nil: no
	// /admin/search).
	Search *search.Admin
	// Institutions reviews public institutions (optional: without it the
	// console has no /admin/institutions).
	Institutions *institution.Service
	// Helpdesk is the help desk (optional: without it the console has no
	// /admin/help).
	Helpdesk *helpdesk.Service
	// Quotes is the institutions' quote requests (nil: /admin/quotes
	// answers 503).
	Quotes *quote.Service
	// Coop is the co-op's settings and holiday calendar (nil: those pages
	// answer 503).
	Coop *coop.Service
	// Documents is the terms and privacy documents the operator publishes
	// (nil: /admin/legal answers 503).
	Documents *coop.Documents
	// Orders lists invoices and records bank transfers (nil: 503).
	Orders *order.Service
	// Reports builds the priority-purchase report of every institution
	// and the sales report (nil: /admin/reports/… answer 503).
	Reports *report.Service
	// PDF renders documents as PDF (nil: the .pdf addresses answer 503).
	PDF *pdf.Renderer
	// Reviews lists every review and hides abusive ones (optional: without
	// it the console has no /admin/reviews).
	Reviews *review.Service
	// Settlement is commission rates and the enterprises' statements
	// (optional: without it the console has no /admin/settlements).
	Settlement *settlement.Service
	// Curation is campaigns and online expos (nil leaves their pages out).
	Curation *curation.Service
	// Board is the co-op's notices and downloads (optional: without it
	// the console has no /admin/board).
	Board *board.Service
	// Bundles builds joint products (공동상품; nil: /admin/bundles answers
	// 503).
	Bundles *catalog.Bundles
}

// Pages are the templates the console renders; app checks them at start-up.
func Pages() []string {
	return []string{"admin/queue", "admin/enterprises", "admin/enterprise", "admin/products", "admin/audit", "admin/search", "admin/error",
		"admin/institutions", "admin/institution", "admin/help_inbox", "admin/help", "admin/help_stats",
		"admin/settings", "admin/legal", "admin/holidays", "admin/invoices", "admin/invoice", "admin/returns", "admin/quotes", "admin/quote", "admin/reports", "admin/sales",
		"admin/reviews", "admin/settlements", "admin/settlement", "admin/settlement_rates", "admin/campaigns", "admin/campaign",
		"admin/bundles", "admin/board", "admin/post"}
}

// server holds the dependencies for the handlers.
type server struct {
	Deps
	kit *web.Kit
}

// Mount registers the console's routes under /admin and its error pages.
func Mount(r fiber.Router, k *web.Kit, d Deps) {
	s := &server{Deps: d, kit: k}
	k.ErrorPages("/admin", s.errorPage)
	k.ErrorPages("/admin/", s.errorPage)

	// guard covers every address under /admin, routes or not, so that the
	// console answers the same for an address it does not have.
	r.Use("/admin", s.guard)
	g := r.Group("/admin")
	g.Get("/", s.queuePage)

	g.Get("/enterprises", s.enterprisesPage)
	g.Get("/enterprises/:id", s.enterprisePage)
	g.Post("/enterprises/:id/approve", s.approve)
	g.Post("/enterprises/:id/reject", s.reject)
	g.Post("/enterprises/:id/suspend", s.suspend)
	g.Post("/enterprises/:id/reinstate", s.reinstate)
	g.Post("/enterprises/:id/review", s.setReview)
	g.Post("/enterprises/:id/act", s.act)
	g.Post("/acting/stop", s.stopActing)

	g.Get("/products", s.productsPage)
	g.Post("/products/:id/approve", s.productAction)
	g.Post("/products/:id/hide", s.productAction)
	g.Post("/products/:id/unhide", s.productAction)

	g.Get("/audit", s.auditPage)

	g.Get("/bundles", s.bundlesPage)
	g.Post("/bundles", s.createBundle)
	g.Post("/bundles/:id<int>/status", s.setBundleStatus)

	if d.Search != nil {
		g.Get("/search", s.searchPage)
		g.Get("/search/queries.csv", s.queriesCSV)
		g.Post("/search/synonyms", s.addSynonyms)
		g.Post("/search/synonyms/remove", s.removeSynonym)
		g.Post("/search/synonyms/push", s.pushSynonyms)
	}
	if d.Reviews != nil {
		g.Get("/reviews", s.reviewsPage)
		g.Post("/reviews/:id<int>/hide", s.hideReview)
		g.Post("/reviews/:id<int>/unhide", s.unhideReview)
	}
	if d.Institutions != nil {
		g.Get("/institutions", s.institutionsPage)
		g.Get("/institutions/:id", s.institutionPage)
		g.Post("/institutions/:id/approve", s.institutionAction)
		g.Post("/institutions/:id/reject", s.institutionAction)
		g.Post("/institutions/:id/suspend", s.institutionAction)
		g.Post("/institutions/:id/reinstate", s.institutionAction)
		g.Post("/institutions/:id/limit", s.institutionAction)
	}
	if d.Helpdesk != nil {
		s.mountHelpdesk(g)
	}
	if d.Curation != nil {
		s.mountCampaigns(g)
	}
	if d.Board != nil {
		s.mountBoard(g)
	}
	s.mountQuotes(g)
	g.Get("/invoices", s.invoicesPage)
	g.Get("/returns", s.returnsPage)
	g.Get("/invoices/:id", s.invoicePage)
	g.Post("/invoices/:id/transfers", s.recordTransfer)
	g.Get("/invoices/:id/statement", s.invoiceDocument(document.Statement, false))
	g.Get("/invoices/:id/statement.pdf", s.invoiceDocument(document.Statement, true))
	g.Get("/invoices/:id/invoice", s.invoiceDocument(document.Invoice, false))
	g.Get("/invoices/:id/invoice.pdf", s.invoiceDocument(document.Invoice, true))
	g.Get("/taxinvoices.csv", s.taxInvoicesCSV)

	g.Get("/reports/procurement", s.procurementPage)
	g.Get("/reports/procurement.csv", s.procurementFile("csv"))
	g.Get("/reports/procurement.xlsx", s.procurementFile("xlsx"))
	g.Get("/reports/sales", s.salesPage)
	g.Get("/reports/sales.csv", s.salesFile("csv"))
	g.Get("/reports/sales.xlsx", s.salesFile("xlsx"))

	if d.Settlement != nil {
		s.mountSettlement(g)
	}

	g.Get("/settings", s.settingsPage)
	g.Post("/settings", s.saveSettings)
	g.Get("/legal", s.legalPage)
	g.Post("/legal/:kind", s.publishLegal)
	g.Get("/holidays", s.holidaysPage)
	g.Post("/holidays", s.addHoliday)
	g.Post("/holidays/:day/delete", s.deleteHoliday)
}

// signInURL is the sign-in page that comes back to next.
func signInURL(next string) string { return "/account/signin?next=" + url.QueryEscape(next) }

// guard lets operators through to /admin and /admin/… (also while they act
// on behalf of an enterprise), and checks the CSRF token of every POST.
// Anonymous GETs are sent to sign in and come back; other anonymous
// requests get 401. Everyone else gets RequireOperator's 404.
func (s *server) guard(c *fiber.Ctx) error {
	if p := c.Path(); p != "/admin" && !strings.HasPrefix(p, "/admin/") {
		return c.Next() // "/administrator" is not the console
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if _, err := account.RequireOperator(c.UserContext()); err != nil {
		if apperr.Code(err) == apperr.Unauthorized && (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) {
			return c.Redirect(signInURL(c.OriginalURL()), fiber.StatusSeeOther)
		}
		return err
	}
	return s.kit.CheckCSRF(c)
}
