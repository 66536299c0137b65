// Package shop is the storefront's audience: the Korean pages shoppers see
// (home, search, categories, products, enterprises, cart, checkout, payment
// and the order pages) and the generated product and category pictures, in
// the shop's layout (templates/layouts/shop.html, templates/shop/).
package shop

import (
	"context"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/board"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/document/pdf"
	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/notify"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// Deps is what the shop needs; internal/web/app builds it.
type Deps struct {
	// Catalog reads products, enterprises and categories.
	Catalog catalog.Store
	// Bundles finds a joint product's parts for its page (nil: none shown).
	Bundles *catalog.Bundles
	// Impact estimates a purchase's impact on product and order pages and
	// makes the members' yearly statements (nil: none shown).
	Impact *impact.Service
	// PDF renders the yearly impact statement as PDF (nil: 503).
	PDF *pdf.Renderer
	// Search answers the search, category and enterprise product lists.
	Search search.Searcher
	// Stats counts searches and the results opened from them, for the
	// operator's search analytics (nil counts nothing).
	Stats *search.Tally
	// Categories is the app's shared category tree.
	Categories *view.Categories
	// Carts keeps the shoppers' carts (nil: the cart and checkout routes
	// answer 503, for deployments that only show the catalogue).
	Carts *cart.Service
	// Orders is checkout, payment and the order pages.
	Orders *order.Service
	// Limiter bounds checkout attempts per client IP, and guest order
	// lookups per client IP and per order number, across all instances.
	Limiter web.RateLimiter
	// TestPayments shows the "테스트 카드로 결제" button instead of the Stripe.js
	// card form: only when the payment backend is stripe-mock.
	TestPayments bool
	// StripePublishableKey is the pk_... key of the Stripe.js card form.
	StripePublishableKey string
	// Accounts signs shoppers up and in and keeps their passwords; with
	// Onboarding (enterprise applications) nil the account pages answer 503.
	Accounts   *account.Service
	Onboarding *onboarding.Service
	// Reviews is reviews and product questions (nil: the product page shows
	// neither and their routes answer 503); Blobs keeps review photos.
	Reviews *review.Service
	Blobs   blob.Store
	// Notify is the members' notifications and the header's unread count
	// (nil: /account/notifications answers 503).
	Notify *notify.Service
	// Coop is the co-op's business details for the footer (nil: a footer
	// without them); Documents the terms, the privacy policy and the
	// checkout's collection notice (nil: those pages and checkout answer
	// 503, since no order may be placed without the consents).
	Coop      CoopSettings
	Documents *coop.Documents
	// Addresses is the members' address books (nil: /account/addresses
	// answers 503 and checkout offers no saved address).
	Addresses *order.AddressBook
	// Curation is campaigns and online expos (nil leaves their pages out).
	Curation *curation.Service
	// Board is the co-op's notices and downloads (nil leaves their pages
	// and the home page's list out).
	Board *board.Service
	// Fees splits a price between the enterprise and the co-op for the
	// product page's open-fees block (nil: no block).
	Fees Fees
}

// Fees is what the product page asks of settlement (*settlement.Service).
type Fees interface {
	OpenFees(ctx context.Context, enterpriseID, price int64) (settlement.Split, error)
	// Today is the day whose rate applies (a KST date).
	Today() time.Time
}

// Pages are the templates the shop renders; app checks them at start-up.
func Pages() []string {
	return []string{"shop/home", "shop/search", "shop/category", "shop/product", "shop/enterprise",
		"shop/enterprises", "shop/notfound", "shop/error", "shop/cart", "shop/checkout", "shop/pay", "shop/order", "shop/lookup",
		"shop/form", "shop/document", "shop/account", "shop/join", "shop/review_form", "shop/reviews", "shop/notifications", "shop/notify_settings",
		"shop/campaigns", "shop/campaign", "shop/booth", "shop/impact", "shop/board", "shop/post", "shop/addresses", "shop/my_orders"}
}

// server holds the dependencies for the handlers.
type server struct {
	Deps
	kit *web.Kit
	// countBreaker bounds the header's cart count: a page that only shows
	// it must not wait on Redis being down.
	countBreaker *web.Breaker
	// photoSlots bounds the review photos decoded at once (feedback.go).
	photoSlots chan struct{}
	// footerCache keeps the footer's business details (legal.go).
	footerCache footerCache
}

// Mount registers the shop's routes on r and its error pages for every
// path no other audience claims ("/").
func Mount(r fiber.Router, k *web.Kit, d Deps) {
	s := &server{Deps: d, kit: k, countBreaker: web.NewBreaker(cartCountTimeout, cartCountCooldown),
		photoSlots: make(chan struct{}, 2)}
	k.ErrorPages("/", s.errorPage)
	k.OnResume(s.resumePage)
	k.PlainErrors("/media/")

	r.Get("/media/products/:id.svg", s.productImage)
	r.Get("/media/categories/:slug.svg", s.categoryImage)

	r.Get("/", s.homePage)
	r.Get("/search", s.searchPage)
	r.Get("/c/:slug", s.categoryPage)
	r.Get("/p/:id", s.productPage)
	r.Get("/e/:id", s.enterprisePage)
	r.Get("/enterprises", s.enterprisesPage)
	if d.Board != nil {
		s.mountBoard(r)
	}
	r.Get("/terms", s.docPage(coop.Terms, "/terms"))
	r.Get("/privacy", s.docPage(coop.Privacy, "/privacy"))

	// The shop's pages: every POST carries the form's CSRF token.
	shop := []fiber.Handler{s.needOrders, k.CheckCSRF}
	with := func(h fiber.Handler) []fiber.Handler { return append(shop[:len(shop):len(shop)], h) }
	r.Get("/cart", with(s.cartPage)...)
	r.Post("/cart/items", with(s.cartAdd)...)
	r.Post("/cart/items/:key", with(s.cartUpdate)...)
	r.Get("/checkout", with(s.checkoutPage)...)
	r.Post("/checkout", with(s.checkoutSubmit)...)
	r.Get("/orders/lookup", with(s.lookupPage)...)
	r.Post("/orders/lookup", with(s.lookupSubmit)...)
	r.Get("/orders/:number", with(s.orderPage)...)
	r.Post("/orders/:number/cancel", with(s.orderCancel)...)
	r.Post("/orders/:number/returns", with(s.orderReturn)...)
	r.Get("/orders/:number/pay", with(s.payPage)...)
	r.Post("/orders/:number/pay/test", with(s.payTest)...)
	r.Get("/orders/:number/complete", with(s.completePage)...)

	// Accounts: sign-up and sign-in, passwords, mailed links, the member's
	// page, claiming guest orders, and enterprise applications.
	acc := func(h fiber.Handler) []fiber.Handler { return []fiber.Handler{s.needAccounts, k.CheckCSRF, h} }
	r.Get("/account/signin", acc(s.signinPage)...)
	r.Post("/account/signin", acc(s.signinSubmit)...)
	r.Post("/account/signout", acc(s.signout)...)
	r.Post("/account/signout-everywhere", acc(s.signoutEverywhere)...)
	r.Get("/account/signup", acc(s.signupPage)...)
	r.Post("/account/signup", acc(s.signupSubmit)...)
	r.Get("/account", acc(signedIn(s.accountPage))...)
	r.Get("/account/password", acc(signedIn(s.passwordPage))...)
	r.Get("/account/impact", acc(signedIn(s.impactStatementPage))...)
	r.Get("/account/impact.pdf", acc(signedIn(s.impactStatementPDF))...)
	r.Post("/account/password", acc(s.passwordSubmit)...)
	r.Get("/account/password/forgot", acc(s.forgotPage)...)
	r.Post("/account/password/forgot", acc(s.forgotSubmit)...)
	r.Get("/account/password/reset", acc(s.resetPage)...)
	r.Post("/account/password/reset", acc(s.resetSubmit)...)
	r.Get("/account/confirm", acc(s.confirmEmail)...)
	r.Get("/account/invitation", acc(s.invitationPage)...)
	r.Post("/account/invitation", acc(s.invitationSubmit)...)
	r.Get("/account/orders/claim", acc(signedIn(s.claimPage))...)
	r.Post("/account/orders/claim", acc(s.claimSubmit)...)
	r.Post("/account/orders/claim/confirm", acc(s.claimConfirm)...)
	r.Get("/join", acc(s.joinPage)...)
	r.Post("/join", acc(s.joinSubmit)...)

	// Reviews, product questions and notifications (issue 14).
	s.mountFeedback(r, k)
	s.mountNotifications(r, k)
	s.mountCampaigns(r, k)
	s.mountAddresses(r, k)
}

// signedIn sends an anonymous visitor of a member's page to the sign-in,
// which brings them back.
func signedIn(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if a := web.Actor(c); a == nil || a.SessionID == "" {
			return c.Redirect("/account/signin?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
		}
		return h(c)
	}
}

// needOrders answers 503 when the app was built without carts and orders.
func (s *server) needOrders(c *fiber.Ctx) error {
	if s.Carts == nil || s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}
