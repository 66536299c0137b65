package api

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPI is the OpenAPI 3.1 document of the whole /api/v1, written by
// hand (openapi.json) and served at /api/v1/openapi.json. Its paths are
// relative to the server URL /api/v1. A test checks it against the routes
// the app registers, both ways, and the answers against its schemas: a
// route added, removed or reshaped without the document fails the tests.
//
//go:embed openapi.json
var openAPI []byte

// openAPIDocument serves openAPI.
func openAPIDocument(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPI)
}
