package portal

import "github.com/gofiber/fiber/v2"

// mountSettlement registers the enterprise's statements and its
// settlement account.
func (s *server) mountSettlement(g fiber.Router) {}
