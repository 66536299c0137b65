package portal

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/imageproc"
)

// mountImages registers the image section of the edit page.
func (s *server) mountImages(g fiber.Router) {
	g.Post("/products/:id<int>/images", s.uploadImage)
	g.Post("/products/:id<int>/images/remove", s.removeImage)
	g.Post("/products/:id<int>/images/move", s.moveImage)
	g.Post("/products/:id<int>/images/alt", s.setImageAlt)
}

// mediaPrefix is where the blob store's images are served (media.go).
const mediaPrefix = "/media/u/"

// imageSlots bounds the uploads decoded at once: decoding may take a few
// hundred MB at imageproc.MaxPixels.
const imageSlots = 2

// imageRow is one picture of the edit page's image section.
type imageRow struct {
	N, No           int // the picture's place, from 0 and as people count
	URL, Thumb, Alt string
	First, Last     bool
	Uploaded        bool // stored here (served at /media/u/), not an address from an import
}

func imageRows(p *catalog.Product) []imageRow {
	rows := make([]imageRow, len(p.Images))
	for i, im := range p.Images {
		rows[i] = imageRow{N: i, No: i + 1, URL: im.URL, Thumb: im.ThumbURL, Alt: im.Alt, First: i == 0, Last: i == len(p.Images)-1,
			Uploaded: strings.HasPrefix(im.URL, mediaPrefix)}
		if rows[i].Thumb == "" {
			rows[i].Thumb = im.URL
		}
	}
	return rows
}

// imageError re-renders the edit page with a refused upload's reason next
// to the file field (422), the product's form as stored.
func (s *server) imageError(c *fiber.Ctx, p *catalog.Product, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
		return err
	}
	v := editView(p, formOf(p))
	v.ImageErr, v.ImageAlt = ae.Message, c.FormValue("alt")
	return s.renderForm(c, &v, fiber.StatusUnprocessableEntity)
}

func errImage(msg string) error { return apperr.Errorf(apperr.Invalid, "%s", msg) }

// uploadImage is POST /portal/products/:id/images (multipart: image, alt):
// the upload is checked and re-encoded by imageproc, its main image and
// thumbnail stored under their content hashes and added to the product's
// pictures. The request body may be up to MaxUploadBody (LimitBody).
func (s *server) uploadImage(c *fiber.Ctx) error {
	if s.Blobs == nil {
		return fiber.ErrServiceUnavailable
	}
	if c.Request().Header.ContentLength() > MaxUploadBody {
		return fiber.ErrRequestEntityTooLarge
	}
	p, err := s.findProduct(c)
	if err != nil {
		return err
	}
	if len(p.Images) >= catalog.MaxImages {
		return s.imageError(c, p, errImage("이미지는 "+strconv.Itoa(catalog.MaxImages)+"장까지 올릴 수 있습니다. 다른 이미지를 빼고 올려 주세요."))
	}
	fh, err := c.FormFile("image")
	if err != nil || fh.Size == 0 {
		return s.imageError(c, p, errImage("올릴 이미지 파일을 선택해 주세요."))
	}
	if fh.Size > imageproc.DefaultMaxBytes {
		return s.imageError(c, p, errImage("이미지는 10MB 이하만 올릴 수 있습니다."))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := s.process(c.UserContext(), f)
	if err != nil {
		return s.imageError(c, p, err)
	}
	mainKey, thumbKey := res.Keys()
	im := catalog.Image{URL: mediaPrefix + mainKey, ThumbURL: mediaPrefix + thumbKey, Alt: strings.TrimSpace(c.FormValue("alt"))}
	for _, have := range p.Images {
		if have.URL == im.URL {
			return s.imageError(c, p, errImage("이미 올린 이미지입니다."))
		}
	}
	ctx := c.UserContext()
	if err := s.Blobs.Put(ctx, mainKey, bytes.NewReader(res.Main.Data), res.Main.ContentType); err != nil {
		return err
	}
	if err := s.Blobs.Put(ctx, thumbKey, bytes.NewReader(res.Thumb.Data), res.Thumb.ContentType); err != nil {
		return err
	}
	upd := updateOf(p)
	upd.Images = append(append([]catalog.Image(nil), p.Images...), im)
	if _, err := s.Manager.UpdateProduct(ctx, p.ID, upd); err != nil {
		return s.imageError(c, p, fieldMessage(err, "images["+strconv.Itoa(len(p.Images))+"].alt"))
	}
	return c.Redirect(editURL(p.ID, "image-added")+"#images", fiber.StatusSeeOther)
}

// fieldMessage turns an Invalid error's message on field into the error's
// message, for a form that shows one message.
func fieldMessage(err error, field string) error {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid {
		if msg, ok := ae.Fields[field]; ok {
			return errImage(msg)
		}
	}
	return err
}

// process runs imageproc.Process, at most imageSlots at once; a request
// that cannot get a slot before its deadline is told to retry.
func (s *server) process(ctx context.Context, f io.Reader) (*imageproc.Result, error) {
	select {
	case s.imageSlots <- struct{}{}:
		defer func() { <-s.imageSlots }()
	case <-ctx.Done():
		return nil, apperr.Errorf(apperr.Unavailable, "이미지를 처리하는 사람이 많습니다. 잠시 후 다시 올려 주세요.")
	}
	return imageproc.Process(f, imageproc.DefaultMaxBytes)
}

// imageAt finds the picture the form names by its place and address: a
// stale page (the pictures changed since) is told to reload.
func imageAt(c *fiber.Ctx, p *catalog.Product) (int, error) {
	n, err := strconv.Atoi(c.FormValue("n"))
	if err != nil || n < 0 || n >= len(p.Images) || p.Images[n].URL != c.FormValue("url") {
		return 0, apperr.Errorf(apperr.Conflict, "이미지 목록이 그사이 바뀌었습니다. 화면을 새로 고친 뒤 다시 시도해 주세요.")
	}
	return n, nil
}

// changeImages applies fn to the product's pictures and saves them.
func (s *server) changeImages(c *fiber.Ctx, doneCode string, fn func(p *catalog.Product, imgs []catalog.Image, n int) ([]catalog.Image, error)) error {
	p, err := s.findProduct(c)
	if err != nil {
		return err
	}
	n, err := imageAt(c, p)
	if err != nil {
		return err
	}
	imgs, err := fn(p, append([]catalog.Image(nil), p.Images...), n)
	if err != nil {
		return err
	}
	upd := updateOf(p)
	upd.Images = imgs
	if _, err := s.Manager.UpdateProduct(c.UserContext(), p.ID, upd); err != nil {
		return s.imageError(c, p, fieldMessage(err, "images["+strconv.Itoa(n)+"].alt"))
	}
	return c.Redirect(editURL(p.ID, doneCode)+"#images", fiber.StatusSeeOther)
}

// removeImage is POST /portal/products/:id/images/remove (n, url). The
// stored files stay: the same picture may belong to another product.
func (s *server) removeImage(c *fiber.Ctx) error {
	return s.changeImages(c, "image-removed", func(_ *catalog.Product, imgs []catalog.Image, n int) ([]catalog.Image, error) {
		return append(imgs[:n], imgs[n+1:]...), nil
	})
}

// moveImage is POST /portal/products/:id/images/move (n, url, dir up or
// down); the first picture is the one lists and search show.
func (s *server) moveImage(c *fiber.Ctx) error {
	return s.changeImages(c, "image-moved", func(_ *catalog.Product, imgs []catalog.Image, n int) ([]catalog.Image, error) {
		to := n - 1
		if c.FormValue("dir") == "down" {
			to = n + 1
		}
		if to >= 0 && to < len(imgs) {
			imgs[n], imgs[to] = imgs[to], imgs[n]
		}
		return imgs, nil
	})
}

// setImageAlt is POST /portal/products/:id/images/alt (n, url, alt).
func (s *server) setImageAlt(c *fiber.Ctx) error {
	return s.changeImages(c, "image-alt", func(_ *catalog.Product, imgs []catalog.Image, n int) ([]catalog.Image, error) {
		imgs[n].Alt = strings.TrimSpace(c.FormValue("alt"))
		return imgs, nil
	})
}
