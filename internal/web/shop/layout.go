package shop

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/web"
)

// layout is what the shop's layout (templates/layouts/shop.html) needs on
// every page.
type layout struct {
	Title       string // without the site name; empty on the home page
	Description string
	Q           string // the search box's value
	NoIndex     bool
	Nav         string // which header link is current: "enterprises", ...
	HideSearch  bool   // the page has its own big search box
	Forms       bool   // the page has POST forms: render fills CSRF
	CSRF        string // the hidden _csrf field of its forms
	CartCount   int    // lines in the cart, for the header
	SignedIn    bool   // the header links to the account instead of the sign-in
	Unread      int    // the member's unread notifications (a cached count)
	// Scripts are extra scripts the page loads (the payment page's card form).
	Scripts []string
	// Footer is the co-op's business details (nil: not configured).
	Footer *footerView
}

func (l *layout) base() *layout { return l }

// baseView is the dot of the shop's layout: the layout, the page's own view
// (the dot of its "content" template) and the header's current link,
// decided here rather than by eq calls in the template.
type baseView struct {
	L    *layout
	Page any

	NavEnterprises, NavOrders, NavCart, NavAccount bool
}

func newBaseView(l *layout, page any) *baseView {
	return &baseView{L: l, Page: page, NavEnterprises: l.Nav == "enterprises", NavOrders: l.Nav == "orders", NavCart: l.Nav == "cart", NavAccount: l.Nav == "account"}
}

// render writes a shop page ("shop/product") in the shop's layout. data is
// a pointer to a view embedding layout, whose header fields (cart count, CSRF
// token) are filled here.
func (s *server) render(c *fiber.Ctx, page string, data any) error {
	var l *layout
	if v, ok := data.(interface{ base() *layout }); ok {
		l = v.base()
		s.fillLayout(c, l)
	} else {
		l = &layout{}
	}
	return s.kit.Render(c, page, newBaseView(l, data))
}

// The header's cart count gets cartCountTimeout; after a failure it is not
// asked for cartCountCooldown (the header shows no count meanwhile).
const (
	cartCountTimeout  = 50 * time.Millisecond
	cartCountCooldown = 5 * time.Second
)

// fillLayout sets the header's cart count (one HLEN, and only for a browser
// that has a cart, through countBreaker) and, on pages with forms, the CSRF
// token.
func (s *server) fillLayout(c *fiber.Ctx, l *layout) {
	l.Footer = s.footer(c.UserContext())
	if a := web.Actor(c); a != nil && a.SessionID != "" {
		l.SignedIn = true
		if s.Notify != nil {
			l.Unread = s.Notify.Unread(c.UserContext())
		}
	}
	if l.Forms && l.CSRF == "" { // cartCards may have asked already: one cart for a new browser
		l.CSRF = s.kit.CSRFToken(c)
	}
	if s.Carts == nil {
		return
	}
	if id, ok := s.kit.ReadCart(c); ok {
		var n int
		err := s.countBreaker.Do(c.UserContext(), func(ctx context.Context) (err error) {
			n, err = s.Carts.Count(ctx, id)
			return err
		})
		switch {
		case errors.Is(err, web.ErrBreakerOpen):
		case err != nil:
			s.kit.Log.Warn("cart count; not asked again for a while", "request_id", web.RequestID(c), "err", err, "cooldown", cartCountCooldown.String())
		default:
			l.CartCount = n
		}
	}
}

// errorView is the data of the HTML error pages.
type errorView struct {
	layout
	Status  int
	Heading string
	Message string
}

// errorPage is the shop's error page (web.Kit.ErrorPages): a real 404 page
// with a search box and links, or the error page, in the shop's layout.
func (s *server) errorPage(c *fiber.Ctx, e web.ErrorInfo) error {
	page := "shop/error"
	if e.Status == fiber.StatusNotFound {
		page = "shop/notfound"
	}
	v := errorView{Status: e.Status, Heading: e.Heading, Message: e.Message}
	v.Title, v.NoIndex, v.HideSearch = e.Title, true, true
	v.Q = c.Query("q")
	if len([]rune(v.Q)) > 100 {
		v.Q = ""
	}
	return s.render(c, page, &v)
}
