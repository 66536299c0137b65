package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// menuGroups are the console menu's groups as an operator reads them.
var menuGroups = []string{"회원·기업", "상품·기획전", "주문·조달", "정산·보고", "운영·설정"}

// checkMenu checks the console's menu on doc: one labelled nav of the
// groups, each a group labelled by its visible name, no script, every link
// once, and only current (a path) marked aria-current, in a group marked
// current too.
func checkMenu(t *testing.T, doc *goquery.Document, current string) {
	t.Helper()
	nav := doc.Find(`nav.admin-nav[aria-label="운영자 메뉴"]`)
	if nav.Length() != 1 || nav.Find("script").Length() != 0 {
		t.Fatalf("%s: %d console menus (want one, without script)", current, nav.Length())
	}
	groups := nav.Find(`[role="group"]`)
	if groups.Length() != len(menuGroups) {
		t.Fatalf("%s: %d menu groups, want %d", current, groups.Length(), len(menuGroups))
	}
	seen := map[string]bool{}
	groups.Each(func(i int, g *goquery.Selection) {
		label := doc.Find("#" + g.AttrOr("aria-labelledby", "-"))
		if got := strings.TrimSpace(label.Text()); got != menuGroups[i] || label.Closest(`[role="group"]`).Get(0) != g.Get(0) {
			t.Errorf("%s: group %d is labelled %q, want %q inside it", current, i, got, menuGroups[i])
		}
		links := g.Find("ul > li > a")
		if links.Length() == 0 {
			t.Errorf("%s: group %s has no links", current, menuGroups[i])
		}
		holds := false
		links.Each(func(_ int, a *goquery.Selection) {
			href := a.AttrOr("href", "")
			if seen[href] {
				t.Errorf("%s: %s is in the menu twice", current, href)
			}
			seen[href] = true
			_, marked := a.Attr("aria-current")
			if marked != (href == current) {
				t.Errorf("%s: %s aria-current=%v", current, href, marked)
			}
			holds = holds || marked
		})
		if holds != g.HasClass("nav-group-current") {
			t.Errorf("%s: group %s holds the current page: %v, marked: %v", current, menuGroups[i], holds, g.HasClass("nav-group-current"))
		}
	})
	if len(seen) < 17 || !seen[current] {
		t.Errorf("%s: %d menu links, the page's among them: %v", current, len(seen), seen[current])
	}
}

// The console's menu is grouped and marks the page it is on, on a page of
// each group.
func TestConsoleMenuGrouped(t *testing.T) {
	e := webtest.NewEnv(t)
	op := e.Shopper()
	op.SignIn(t, e.Operator(t), webtest.Password)
	for _, p := range []string{"/admin", "/admin/products", "/admin/quotes", "/admin/reports/procurement", "/admin/audit"} {
		checkMenu(t, op.Page(t, p, http.StatusOK), p)
	}
}

// The grouped menu passes axe-core without any violation, serious or not,
// at 1280 and 390 px (no sideways scroll), and a click on a link of
// another group goes there with it marked.
func TestBrowserConsoleMenu(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)
	if landed := b.SignIn(e.Operator(t), webtest.Password); !strings.HasPrefix(landed, "/") {
		t.Fatalf("operator's sign-in landed on %q", landed)
	}
	for _, p := range []string{"/admin", "/admin/settings"} {
		if vs := b.CheckAxe(t, p); len(vs) != 0 {
			t.Errorf("axe %s: %d violations, want none:\n%s", p, len(vs), browser.Format(vs))
		}
	}
	b.Open("/admin")
	b.Submit("click 우선구매 실적 in the menu", `nav.admin-nav a[href="/admin/reports/procurement"]`)
	if p := b.Path(); p != "/admin/reports/procurement" {
		t.Fatalf("after the click: %s", p)
	}
	if got := b.Text(`nav.admin-nav a[aria-current="page"]`); got != "우선구매 실적" {
		t.Errorf("the marked entry after the click: %q", got)
	}
	if got := b.Text(`nav.admin-nav .nav-group-current .nav-group-label`); got != "정산·보고" {
		t.Errorf("the marked group after the click: %q", got)
	}
}
