// Package webhooks receives the payment providers' calls: POST
// /webhooks/:provider (/webhooks/stripe for Stripe), the provider found by
// name in the order service's payment registry; an unknown provider is a
// 404. They are verified by their signature, not by a CSRF token, and every
// error under /webhooks/ is answered in JSON.
package webhooks

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/web"
)

// Deps is what the webhooks need; internal/web/app builds it.
type Deps struct {
	// Orders applies the providers' events (nil: 503).
	Orders *order.Service
}

type server struct{ Deps }

// Mount registers the webhooks on r.
func Mount(r fiber.Router, k *web.Kit, d Deps) {
	s := &server{Deps: d}
	k.JSONErrors("/webhooks/")
	r.Post("/webhooks/:provider", s.webhook)
}

// signatureHeaders names the header carrying each provider's signature.
var signatureHeaders = map[string]string{"stripe": "Stripe-Signature"}

// webhook hands a provider's event to the order service: 404 for a
// provider not registered, 400 for a bad signature (nothing changes), 200
// once applied or ignored.
func (s *server) webhook(c *fiber.Ctx) error {
	if s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	provider := c.Params("provider")
	header := signatureHeaders[provider]
	if header == "" {
		header = "Webhook-Signature"
	}
	if err := s.Orders.HandleWebhook(c.UserContext(), provider, c.Body(), c.Get(header)); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"received": true})
}
