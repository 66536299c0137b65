// Package webhooks receives the payment provider's calls: POST
// /webhooks/stripe. They are verified by their signature, not by a CSRF
// token, and every error under /webhooks/ is answered in JSON.
package webhooks

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/web"
)

// Deps is what the webhooks need; internal/web/app builds it.
type Deps struct {
	// Orders applies Stripe's events (nil: 503).
	Orders *order.Service
}

type server struct{ Deps }

// Mount registers the webhooks on r.
func Mount(r fiber.Router, k *web.Kit, d Deps) {
	s := &server{Deps: d}
	k.JSONErrors("/webhooks/")
	r.Post("/webhooks/stripe", s.stripeWebhook)
}

// stripeWebhook hands Stripe's event to the order service: 400 for a bad
// signature (nothing changes), 200 once applied or ignored.
func (s *server) stripeWebhook(c *fiber.Ctx) error {
	if s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	if err := s.Orders.HandleWebhook(c.UserContext(), c.Body(), c.Get("Stripe-Signature")); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"received": true})
}
