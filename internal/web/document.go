package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/document/pdf"
)

// DocumentPage is what a document's print-ready page shows
// (templates/docs/document.html in templates/layouts/docs.html): the
// document itself and the page's links. The /biz, /portal and /admin
// handlers each build one after their own access check.
type DocumentPage struct {
	Doc       *document.Document
	PDFURL    string // the PDF download ("" hides the link)
	BackURL   string // where the back link leads ("" hides it)
	BackLabel string // the back link's text (default 돌아가기)
}

// RenderDocument writes the document's HTML page: an A4 sheet with no site
// chrome, a 인쇄 button and the PDF link. A document whose figures do not add
// up is refused with an error wrapping document.ErrInvalid (a 500: it is
// the caller's defect, never shown wrong). The page is never cached.
func (k *Kit) RenderDocument(c *fiber.Ctx, p DocumentPage) error {
	if err := p.Doc.Validate(); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return k.Render(c, "docs/document", &p)
}

// SendDocumentPDF renders the document with r and sends it as a download
// named after it (견적서_Q-20261123-000123.pdf), never cached. A document
// whose figures do not add up is refused as RenderDocument does.
func SendDocumentPDF(c *fiber.Ctx, r *pdf.Renderer, d *document.Document) error {
	b, err := r.Bytes(d)
	if err != nil {
		return err
	}
	name := d.FileName()
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return -1
		}
		return r
	}, name)
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+strings.TrimPrefix(ascii, "_")+`"; filename*=UTF-8''`+url.PathEscape(name))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b)
}
