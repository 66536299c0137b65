package admin

import "github.com/gofiber/fiber/v2"

// mountSettlement registers commission rates and statements.
func (s *server) mountSettlement(g fiber.Router) {}
