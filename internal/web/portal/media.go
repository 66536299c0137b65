package portal

import (
	"regexp"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
)

// mediaKeys are the keys /media/u/ serves: the main images and thumbnails
// imageproc.Result.Keys names. Nothing else kept in the blob store (such as
// a CSV upload waiting for confirmation) is ever served.
var mediaKeys = regexp.MustCompile(`^[0-9a-f]{2}/[0-9a-f]{64}(_t)?\.(jpg|png)$`)

// mediaTypes are the content types the stored images have.
var mediaTypes = map[string]bool{"image/jpeg": true, "image/png": true}

// mediaFile serves an uploaded image, GET /media/u/<key>, from the blob
// store with the content type recorded when it was stored. Keys are content
// hashes, so a file never changes under its key: it is cached for a year.
func (s *server) mediaFile(c *fiber.Ctx) error {
	key := c.Params("*")
	if s.Blobs == nil || !mediaKeys.MatchString(key) {
		return errNoMedia()
	}
	rc, info, err := s.Blobs.Open(c.UserContext(), key)
	if err != nil {
		if apperr.Code(err) == apperr.NotFound {
			return errNoMedia()
		}
		return err
	}
	if !mediaTypes[info.ContentType] {
		rc.Close()
		return errNoMedia()
	}
	c.Set(fiber.HeaderContentType, info.ContentType)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; sandbox")
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	// fasthttp closes rc once the body is sent.
	return c.SendStream(rc, int(info.Size))
}

func errNoMedia() error { return apperr.Errorf(apperr.NotFound, "파일을 찾을 수 없습니다.") }
