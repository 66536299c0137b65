package portal

import (
	"regexp"

	"github.com/gofiber/fiber/v2"
)

// Request body limits. fiber has no per-route body limit, and fasthttp reads
// a body whole before any handler runs, so the server's own limit is raised
// to MaxUploadBody (internal/web/app sets it) and LimitBody, app-wide
// middleware, holds every request that is not a portal upload to
// DefaultBodyLimit. A body over MaxUploadBody is refused by the server from
// its Content-Length, before it is read (413).
const (
	// MaxUploadBody is the largest upload request: a 10 MB image or CSV file
	// (imageproc.DefaultMaxBytes, catalog.MaxUploadBytes) and the form's
	// other fields.
	MaxUploadBody = 12 << 20
	// DefaultBodyLimit is every other request's limit.
	DefaultBodyLimit = 1 << 20
)

// uploadPaths are the routes that take files: an image of a product, a CSV
// upload to preview, a shopper's review with photos (shop, feedback.go), a
// notice's attachments (/admin/board).
var uploadPaths = regexp.MustCompile(`^/portal/(products/(upload|[0-9]+/images)|help/(new|[0-9]+/reply))/?$|^/admin/help/[0-9]+/reply/?$|^/admin/campaigns/[0-9]+/banner/?$|^/admin/board/(new|[0-9]+)/?$|^/portal/campaigns/[0-9]+/images/?$|^/account/reviews(/[0-9]+)?/?$`)

// isUpload reports whether the request is a POST to an upload route.
func isUpload(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && uploadPaths.MatchString(c.Path())
}

// LimitBody refuses (413) a request body over DefaultBodyLimit, unless the
// request is a POST to one of the portal's upload routes. Use it app-wide,
// before any route, once the server accepts MaxUploadBody.
func LimitBody(c *fiber.Ctx) error {
	if isUpload(c) {
		return c.Next()
	}
	if c.Request().Header.ContentLength() > DefaultBodyLimit || len(c.Request().Body()) > DefaultBodyLimit {
		return fiber.ErrRequestEntityTooLarge
	}
	return c.Next()
}
