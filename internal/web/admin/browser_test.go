package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserConsoleAccessible runs axe-core (WCAG 2.1 A and AA) over every
// console page at a desktop and a 390 px phone width, also as shown again
// with errors, and approves an application with the keyboard alone: no
// serious or critical violation.
func TestBrowserConsoleAccessible(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)
	op := e.Operator(t)
	if landed := b.SignIn(op, webtest.Password); !strings.HasPrefix(landed, "/") {
		t.Fatalf("operator's sign-in landed on %q", landed)
	}
	pending, _ := apply(t, e, "이음 자활사업단")
	other, _ := apply(t, e, "고운손 마을기업")
	ent := e.Enterprises(t, 1)[0]
	pid, pname := e.Goods(t)
	e.Get(t, "/search?q="+url.QueryEscape("사과"))
	if err := e.SearchStats.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	for _, path := range []string{"/admin", "/admin/enterprises", "/admin/enterprises?status=pending",
		entURL(ent), entURL(pending), "/admin/products", "/admin/products?enterprise=" + strconv.FormatInt(ent, 10),
		"/admin/audit", "/admin/search", "/admin/search?view=zero&group=" + url.QueryEscape("애플, ")} {
		b.CheckAxe(t, path)
	}
	if st := b.Open("/admin/no-such-page"); st != http.StatusNotFound {
		t.Errorf("/admin/no-such-page: %d, want 404", st)
	}
	b.CheckAxeCurrent(t, "the console's 404")

	// Rejecting without a reason, then the audit filter naming nobody.
	b.Open(entURL(other))
	if st := b.Submit("reject without a reason", `form.admin-reject button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Errorf("reject without a reason: status %d, want 422", st)
	}
	if !b.Has("#reason-error") {
		t.Error("no error next to the reason")
	}
	b.CheckAxeCurrent(t, "the enterprise page with the reason's error")
	b.Open("/admin/audit?actor=nobody%40dure.test&to=2020-01-01&from=2021-01-01")
	b.CheckAxeCurrent(t, "the audit log with the filter's errors")

	// With the keyboard alone: tab to the approve button and press Enter.
	b.Open(entURL(pending))
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	var focused string
	for i := 0; i < 60 && focused != "입점 승인"; i++ {
		b.Run("tab", chromedp.KeyEvent(kb.Tab))
		focused = eval(`document.activeElement.textContent.trim()`)
	}
	if focused != "입점 승인" {
		t.Fatal("the approve button cannot be reached with Tab")
	}
	if outline := eval(`getComputedStyle(document.activeElement).outlineStyle`); outline == "none" || outline == "" {
		t.Errorf("the focused button shows no outline (%q)", outline)
	}
	resp, err := chromedp.RunResponse(b.Ctx, chromedp.KeyEvent(kb.Enter))
	if err != nil || resp == nil || resp.Status != http.StatusOK {
		t.Fatalf("press Enter on the approve button: %v", err)
	}
	if p := b.Path(); p != entURL(pending)+"?done=approved" {
		t.Errorf("after Enter: %s", p)
	}
	b.CheckAxeCurrent(t, "the approved enterprise with its notice")

	// The product list after hiding one, with its notice.
	b.Open("/admin/products?q=" + url.QueryEscape(pname))
	b.Submit("hide a product", `form[action="/admin/products/`+strconv.FormatInt(pid, 10)+`/hide"] button`)
	b.CheckAxeCurrent(t, "the product list after hiding")
	b.CheckAxe(t, "/admin/audit")
}

// TestBrowserInvoiceConsoleAccessible runs axe-core over the settings,
// holidays and invoice pages (a browser of its own: the budget of one
// Browser is the other test's), also with the settings form's errors.
func TestBrowserInvoiceConsoleAccessible(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)
	if landed := b.SignIn(e.Operator(t), webtest.Password); !strings.HasPrefix(landed, "/") {
		t.Fatalf("operator's sign-in landed on %q", landed)
	}
	pid, _ := e.Goods(t)
	inv, _ := e.InvoiceOrder(t, pid, 1, 10_000)
	for _, path := range []string{"/admin/settings", "/admin/legal", "/admin/holidays?year=2026", "/admin/invoices",
		"/admin/invoices?status=unpaid", "/admin/invoices/" + strconv.FormatInt(inv.ID, 10)} {
		b.CheckAxe(t, path)
	}
	b.Open("/admin/settings")
	b.Fill(map[string]string{"#inspection_days": "0"})
	b.Submit("save wrong settings", `form[action="/admin/settings"] button[type="submit"]`)
	b.CheckAxeCurrent(t, "the settings with their errors")
}
