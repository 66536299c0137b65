package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/document/doctest"
	"github.com/dure-coop/dure/internal/document/pdf"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// documentApp is the shared web layer with test-only routes showing the
// fixture documents as the /biz, /portal and /admin handlers will.
func documentApp(t *testing.T) *fiber.App {
	t.Helper()
	r, err := pdf.New(os.Getenv("DURE_FONT_DIR"))
	if err != nil {
		t.Fatalf("%v\nrun scripts/docs-deps (make test does)", err)
	}
	app, kit := web.New(web.Config{CookieSecret: []byte(strings.Repeat("s", 32))})
	docs := map[string]*document.Document{
		"quote":     doctest.Consortium(document.Quote, 33),
		"statement": doctest.Consortium(document.Statement, 5),
		"invoice":   doctest.Consortium(document.Invoice, 5),
	}
	bad := doctest.Consortium(document.Statement, 5)
	bad.Totals.Total++
	docs["bad"] = bad
	app.Get("/docs/:kind", func(c *fiber.Ctx) error {
		d, ok := docs[c.Params("kind")]
		if !ok {
			return fiber.ErrNotFound
		}
		return kit.RenderDocument(c, web.DocumentPage{Doc: d, PDFURL: "/docs/" + c.Params("kind") + "/pdf", BackURL: "/", BackLabel: "견적 목록"})
	})
	app.Get("/docs/:kind/pdf", func(c *fiber.Ctx) error {
		d, ok := docs[c.Params("kind")]
		if !ok {
			return fiber.ErrNotFound
		}
		return web.SendDocumentPDF(c, r, d)
	})
	return app
}

func get(t *testing.T, app *fiber.App, path string) (int, string, http.Header) {
	t.Helper()
	resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestDocumentPage(t *testing.T) {
	app := documentApp(t)
	d := doctest.Consortium(document.Quote, 33)
	st, body, h := get(t, app, "/docs/quote")
	if st != 200 || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("quote page: %d, Cache-Control %q", st, h.Get("Cache-Control"))
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	text := doc.Find("main").Text()
	want := []string{d.Number, "2026.11.23", "2026.12.23", d.Issuer.Name, d.Issuer.IDText(), d.Buyer.Name,
		d.AmountInWords(), kr.Won(d.Totals.Total), kr.Won(d.Totals.Supply), kr.Won(d.Totals.VAT), kr.Won(d.Totals.Exempt),
		"공동수급", "공급 불가", "행사장 음향 장비 대여"}
	for _, g := range d.Groups() {
		if g.Supplier.ID != 0 {
			want = append(want, g.Supplier.Name, g.Supplier.IDText(), g.Supplier.Representative, kr.Won(g.Totals.Total), g.Share())
		}
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
	if got := doc.Find("h1").Text(); got != "견적서" {
		t.Errorf("h1 %q", got)
	}
	if n := doc.Find("table.doc-lines tbody tr").Not(".doc-group, .doc-subtotal").Length(); n != len(d.Lines) {
		t.Errorf("%d line rows, want %d", n, len(d.Lines))
	}
	if doc.Find(".site-header, .site-footer").Length() != 0 {
		t.Error("site chrome on a document page")
	}
	if href, _ := doc.Find(`a[href="/docs/quote/pdf"]`).Attr("href"); href == "" || doc.Find("button[data-print]").Length() != 1 {
		t.Error("no PDF link or 인쇄 button")
	}
	if !strings.Contains(body, "@media print") && doc.Find(`link[href*="docs."]`).Length() != 1 {
		t.Error("no print stylesheet")
	}

	st, body, _ = get(t, app, "/docs/invoice")
	if inv := doctest.Consortium(document.Invoice, 5); st != 200 || !strings.Contains(body, inv.Bank.Number) || !strings.Contains(body, "납부기한") || strings.Contains(body, "유효기간") {
		t.Errorf("invoice page: %d, bank account or due date missing", st)
	}
	if st, _, _ = get(t, app, "/docs/bad"); st != 500 {
		t.Errorf("a document whose totals do not add up answered %d, want 500", st)
	}
}

func TestDocumentPDFDownload(t *testing.T) {
	app := documentApp(t)
	st, body, h := get(t, app, "/docs/statement/pdf")
	if st != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("PDF: %d %q", st, h.Get("Content-Type"))
	}
	cd := h.Get("Content-Disposition")
	if !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, `filename*=UTF-8''%EA%B1%B0%EB%9E%98%EB%AA%85%EC%84%B8%EC%84%9C_S-20261123-000123.pdf`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if st, _, _ = get(t, app, "/docs/bad/pdf"); st != 500 {
		t.Errorf("PDF of an inconsistent document answered %d, want 500", st)
	}
}

// TestDocumentPageAxe checks the document pages with axe-core at the
// desktop and the phone width (390 px).
func TestDocumentPageAxe(t *testing.T) {
	b := browser.New(t, &webtest.Env{App: documentApp(t)})
	for _, kind := range []string{"quote", "invoice"} {
		b.CheckAxe(t, "/docs/"+kind)
	}
	if b.Open("/docs/quote"); !b.Has("button[data-print]:not([hidden])") {
		t.Error("the 인쇄 button stays hidden with scripts on")
	}
}
