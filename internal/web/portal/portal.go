// Package portal is the enterprise portal (/portal): the screens where a
// member of an enterprise — or an operator acting on its behalf — manages
// that enterprise's products, stock, catalogue uploads, orders, members and
// API keys, in the portal's layout (templates/layouts/portal.html,
// templates/portal/).
//
// Every /portal route runs behind guard: an anonymous visitor is sent to
// sign in, a member of an enterprise still under review sees where the
// application stands, and everyone else who may not use the portal gets
// the account rules' answer. The handlers then call the domain services
// with the request's context; the services scope every read and write to
// the actor's enterprise, so another enterprise's things answer not found.
package portal

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/document/pdf"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// Deps is what the portal needs; internal/web/app builds it.
type Deps struct {
	// Manager writes and finds the enterprise's products (nil: every
	// /portal route answers 503).
	Manager *catalog.Manager
	// Onboarding tells a member of an enterprise under review where its
	// application stands (nil: they get the plain refusal).
	Onboarding *onboarding.Service
	// Blobs keeps uploaded images and pending CSV uploads, and serves the
	// images at /media/u/<key> (nil: uploads answer 503 and /media/u/ 404).
	Blobs blob.Store
	// Categories is the app's shared category tree.
	Categories *view.Categories
	// Orders finds and fulfils the enterprise's sub-orders and its sales
	// figures (nil: the order screens answer 503 and the dashboard shows
	// stock only).
	Orders *order.Service
	// Accounts manages the enterprise's members and API keys (nil: those
	// screens answer 503).
	Accounts *account.Service
	// Helpdesk is the help desk (애로 상담; nil: those screens answer 503).
	Helpdesk *helpdesk.Service
	// Quotes shows the enterprise the quote request lines asked of it and
	// takes its answers (nil: those screens answer 503).
	Quotes *quote.Service
	// PDF renders the part's 거래명세서 as PDF (nil: the .pdf address
	// answers 503).
	PDF *pdf.Renderer
	// Reviews answers the enterprise's reviews and product questions (nil:
	// those screens answer 503).
	Reviews *review.Service
	// Settlement is the enterprise's statements and settlement account
	// (nil: /portal/settlements answers 503).
	Settlement *settlement.Service
	// Curation is campaigns and online expos (nil leaves their pages out).
	Curation *curation.Service
	// Impact keeps the enterprise's impact figures (nil: /portal/impact
	// answers 503).
	Impact *impact.Service
}

// Pages are the templates the portal renders; app checks them at start-up.
func Pages() []string {
	return []string{"portal/dashboard", "portal/error", "portal/application",
		"portal/products", "portal/product_form", "portal/product_delete", "portal/stock",
		"portal/upload", "portal/upload_preview", "portal/upload_done",
		"portal/orders", "portal/order", "portal/order_cancel", "portal/members", "portal/member_remove",
		"portal/keys", "portal/key_revoke", "portal/help_list", "portal/help_new", "portal/help", "portal/quotes", "portal/quote",
		"portal/reviews", "portal/questions", "portal/settlements", "portal/settlement", "portal/bank",
		"portal/campaigns", "portal/campaign", "portal/impact", "portal/profile"}
}

// server holds the dependencies for the handlers.
type server struct {
	Deps
	kit *web.Kit
	// imageSlots bounds the image uploads decoded at once (images.go).
	imageSlots chan struct{}
}

// Mount registers the portal's routes under /portal, its error pages, and
// the uploaded files at /media/u/.
func Mount(r fiber.Router, k *web.Kit, d Deps) {
	s := &server{Deps: d, kit: k, imageSlots: make(chan struct{}, imageSlots)}
	k.ErrorPages("/portal", s.errorPage)
	k.ErrorPages("/portal/", s.errorPage)
	k.PlainErrors("/media/u/")
	r.Get("/media/u/*", s.mediaFile)

	// Every portal route needs a member of an active enterprise (guard), and
	// every POST the form's CSRF token.
	g := r.Group("/portal", s.guard, k.CheckCSRF)
	g.Get("/", s.dashboardPage)
	s.mountProducts(g)
	s.mountOrders(g)
	s.mountMembers(g)
	s.mountKeys(g)
	s.mountHelpdesk(g)
	s.mountQuotes(g)
	s.mountFeedback(g)
	s.mountSettlement(g)
	s.mountCampaigns(g)
	s.mountImpact(g)
	s.mountProfile(g)
}

// Locals keys.
const localEnterprise = "portal_enterprise"

// guard lets through the members of an active enterprise and operators
// acting on behalf of one, with the enterprise in Locals for the layout.
// Anonymous GETs are sent to sign in and come back; other anonymous
// requests are 401. A member of an enterprise whose application is pending
// or rejected sees the application's status instead of the portal; a
// suspended enterprise's member gets the account rules' 403.
func (s *server) guard(c *fiber.Ctx) error {
	ctx := c.UserContext()
	a := account.FromContext(ctx)
	if a == nil {
		if c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
			return c.Redirect("/account/signin?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
		}
		return apperr.Errorf(apperr.Unauthorized, "로그인이 필요합니다. 다시 로그인한 뒤 시도해 주세요.")
	}
	if s.Manager == nil {
		return fiber.ErrServiceUnavailable
	}
	id, err := account.EnterpriseScope(ctx)
	if err != nil {
		if underReview(a) && s.Onboarding != nil {
			return s.applicationPage(c)
		}
		return err
	}
	e, err := s.Manager.Store.FindManagedEnterprise(ctx, id)
	if err != nil {
		return err
	}
	c.Locals(localEnterprise, e)
	return c.Next()
}

// underReview reports whether a is a member of an enterprise that applied
// and is not (yet) approved.
func underReview(a *account.Actor) bool {
	return a.Role == account.EnterpriseStaff && a.APIKeyID == 0 &&
		(a.EnterpriseStatus == account.EnterprisePending || a.EnterpriseStatus == account.EnterpriseRejected)
}

// enterprise is the enterprise guard let through (nil outside the guard,
// as on an error page for a refused request).
func enterprise(c *fiber.Ctx) *catalog.Enterprise {
	e, _ := c.Locals(localEnterprise).(*catalog.Enterprise)
	return e
}
