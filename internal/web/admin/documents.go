package admin

import (
	"bytes"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/document/taxinvoice"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// invoiceDocument is GET /admin/invoices/:id/{statement,invoice}(.pdf): an
// order's 거래명세서 or 청구서 for the operator.
func (s *server) invoiceDocument(kind document.Kind, pdf bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s.Orders == nil || (pdf && s.PDF == nil) {
			return fiber.ErrServiceUnavailable
		}
		id, err := view.ParseID(c.Params("id"), "청구서")
		if err != nil {
			return err
		}
		var d *document.Document
		if kind == document.Invoice {
			d, err = s.Orders.InvoiceDocument(c.UserContext(), id)
		} else {
			d, err = s.Orders.Statement(c.UserContext(), id)
		}
		if err != nil {
			return err
		}
		if pdf {
			return web.SendDocumentPDF(c, s.PDF, d)
		}
		back := invoiceURL(id)
		return s.kit.RenderDocument(c, web.DocumentPage{Doc: d, PDFURL: back + "/" + string(kind) + ".pdf", BackURL: back,
			BackLabel: "청구서로 돌아가기"})
	}
}

// taxInvoicesCSV is GET /admin/taxinvoices.csv?from=&to=&kind= (this month
// without from and to): the data
// for issuing the period's 세금계산서 (kind "" or tax), 계산서 (exempt) or
// every item (items), from the payment claims dated in the period, in
// 홈택스's bulk-issue layout (taxinvoice.CSV).
func (s *server) taxInvoicesCSV(c *fiber.Ctx) error {
	if s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	// Without a period: this month so far.
	today := coop.DateOf(time.Now())
	fromText, toText := c.Query("from", today.AddDate(0, 0, 1-today.Day()).Format(time.DateOnly)),
		c.Query("to", today.Format(time.DateOnly))
	from, ok1 := coop.ParseDate(fromText)
	to, ok2 := coop.ParseDate(toText)
	if !ok1 || !ok2 {
		return apperr.Errorf(apperr.Invalid, "기간을 from=2026-01-01&to=2026-03-31 형식으로 정해 주세요.")
	}
	bills, err := s.Orders.TaxInvoiceBills(c.UserContext(), from, to)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	out := &taxinvoice.CSV{}
	name := "세금계산서"
	switch c.Query("kind") {
	case "", "tax":
		out.TaxInvoices = &buf
	case "exempt":
		out.Invoices, name = &buf, "계산서"
	case "items":
		out.Items, name = &buf, "품목"
	default:
		return apperr.Errorf(apperr.Invalid, "종류는 tax, exempt, items 가운데 하나입니다.")
	}
	if err := out.Issue(c.UserContext(), bills); err != nil {
		return err
	}
	file := name + "_" + from.Format("20060102") + "-" + to.Format("20060102") + ".csv"
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="taxinvoices.csv"; filename*=UTF-8''`+url.PathEscape(file))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}
