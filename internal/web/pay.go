package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/order"
)

// StripeCSP is a card payment page's policy: the site's own, plus Stripe.js
// and the frames and API it talks to.
const StripeCSP = "default-src 'self'; img-src 'self' data: https://*.stripe.com; style-src 'self'; " +
	"script-src 'self' https://js.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; " +
	"font-src 'self'; connect-src 'self' https://api.stripe.com; object-src 'none'; base-uri 'self'; " +
	"form-action 'self'; frame-ancestors 'none'"

// PayBox is the card payment of an order awaiting payment, as the shared
// "paybox" partial draws it for the shop and for institutions (/biz).
type PayBox struct {
	Total         int64
	ReservedUntil time.Time
	// Test is stripe-mock's clearly marked test-card button, which posts
	// to TestAction; otherwise ClientSecret and PublishableKey feed the
	// Stripe.js form, which comes back to ReturnURL.
	Test           bool
	TestAction     string
	ClientSecret   string
	PublishableKey string
	ReturnURL      string
	CSRF           string
}

// PayPage is what a payment page needs besides its own view: the box and
// the scripts the page loads.
type PayPage struct {
	Box     *PayBox
	Scripts []string
}

// StartPayBox prepares the payment of o (which the caller has checked the
// actor may pay): with test (stripe-mock) the test-card button, otherwise
// the PaymentIntent through orders.StartPayment (its errors) and the
// Stripe.js form, with the payment page's CSP set on the response.
func (k *Kit) StartPayBox(c *fiber.Ctx, orders *order.Service, o *order.Order, test bool, publishableKey, testAction, returnURL string) (*PayPage, error) {
	b := &PayBox{Total: o.Total, ReservedUntil: o.ReservedUntil, Test: test, TestAction: testAction, ReturnURL: returnURL,
		CSRF: k.CSRFToken(c)}
	if test {
		return &PayPage{Box: b}, nil
	}
	p, err := orders.StartPayment(c.UserContext(), o.Number)
	if err != nil {
		return nil, err
	}
	b.ClientSecret, b.PublishableKey = p.ClientSecret, publishableKey
	c.Set(fiber.HeaderContentSecurityPolicy, StripeCSP)
	return &PayPage{Box: b, Scripts: []string{"https://js.stripe.com/v3/", k.Templates.StaticPath("pay.js")}}, nil
}
