package portal

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/web"
)

// orderStatement is GET /portal/orders/:id/statement(.pdf): the
// 거래명세서 of the enterprise's own part of a public order
// (order.Service.EnterpriseStatement scopes it to the enterprise).
func (s *server) orderStatement(pdf bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if pdf && s.PDF == nil {
			return fiber.ErrServiceUnavailable
		}
		id, err := subOrderID(c)
		if err != nil {
			return err
		}
		d, err := s.Orders.EnterpriseStatement(c.UserContext(), id)
		if err != nil {
			return err
		}
		if pdf {
			return web.SendDocumentPDF(c, s.PDF, d)
		}
		back := orderURL(id, "")
		return s.kit.RenderDocument(c, web.DocumentPage{Doc: d, PDFURL: back + "/statement.pdf", BackURL: back,
			BackLabel: "주문으로 돌아가기"})
	}
}
