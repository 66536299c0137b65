package shop_test

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

// TestBrowserStorefrontAxe is issue 14's accessibility gate: axe-core
// (WCAG 2.0/2.1 A and AA) over every storefront page state at 1280 px and
// at 390 px finds 0 violations of any impact — home, category, search with
// results and with none, enterprise, enterprises, product (goods, service,
// with options), cart empty and full, checkout clean and with errors, pay,
// confirmation, order lookup and the 404 page.
func TestBrowserStorefrontAxe(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	goods, _ := e.Goods(t)
	one := func(q string) (id int64) {
		t.Helper()
		if err := e.Pool.QueryRow(ctx, `SELECT p.id FROM products p WHERE p.status = 'active' AND `+q+` ORDER BY p.id LIMIT 1`).Scan(&id); err != nil {
			t.Fatalf("no product where %s: %v", q, err)
		}
		return id
	}
	service := one(`p.kind = 'service'`)
	options := one(`EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)`)
	var slug string
	var ent int64
	if err := e.Pool.QueryRow(ctx, `SELECT c.slug, p.enterprise_id FROM products p JOIN categories c ON c.id = p.category_id
		WHERE p.id = $1`, goods).Scan(&slug, &ent); err != nil {
		t.Fatal(err)
	}
	b := browser.New(t, e)
	none := func(what string, vs []browser.Violation) {
		t.Helper()
		if len(vs) > 0 {
			t.Errorf("axe-core: %s: %d violations (any impact counts):\n%s", what, len(vs), browser.Format(vs))
		}
	}
	page := func(path string) { t.Helper(); none(path, b.CheckAxe(t, path)) }
	p := func(id int64) string { return "/p/" + strconv.FormatInt(id, 10) }

	page("/")
	page("/c/" + slug)
	page("/search?q=" + url.QueryEscape("사과"))
	page("/search?q=" + url.QueryEscape("없는상품쿼크"))
	page("/e/" + strconv.FormatInt(ent, 10))
	page("/enterprises")
	page(p(goods))
	page(p(service))
	page(p(options))
	page("/cart")
	page("/orders/lookup")
	if st := b.Open("/no-such-page"); st != http.StatusNotFound {
		t.Errorf("/no-such-page answered %d", st)
	}
	none("404", b.CheckAxeCurrent(t, "404"))

	b.Open(p(goods))
	b.Run("장바구니 담기", chromedp.Click(chromedp.CSS(`form.add-cart button:not([name])`)),
		chromedp.WaitVisible(chromedp.CSS(`.add-cart-status a[href="/cart"]`)))
	page("/cart")
	page("/checkout")
	b.Open("/checkout")
	b.Run("주문하기 with nothing filled", chromedp.Click(chromedp.CSS(`form.checkout-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.field-error`)))
	none("checkout with errors", b.CheckAxeCurrent(t, "checkout with errors"))
	b.Fill(map[string]string{"#buyer_name": "김두레", "#buyer_phone": "010-1234-5678", "#buyer_email": "doore@example.kr",
		"#recipient": "박수령", "#phone": "010-2222-3333", "#postcode": "41940", "#road": "대구광역시 중구 동덕로 115", "#detail": "3층"})
	b.Run("agree", chromedp.SendKeys(chromedp.CSS("#agree_terms"), " "), chromedp.SendKeys(chromedp.CSS("#agree_privacy"), " "))
	b.Run("주문하기", chromedp.Click(chromedp.CSS(`form.checkout-form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".test-pay")))
	pay := b.Path()
	page(pay)
	b.Open(pay)
	b.Run("테스트 카드로 결제", chromedp.Click(chromedp.CSS(`.test-pay button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".order-number")))
	none("confirmation", b.CheckAxeCurrent(t, "confirmation"))
}

// tabTo presses Tab until the focused element matches sel, at most max
// times, and returns how many presses it took (max+1: never).
func tabTo(t *testing.T, b *browser.Browser, sel string, max int) int {
	t.Helper()
	for n := 1; n <= max; n++ {
		b.Run("Tab", chromedp.KeyEvent(kb.Tab))
		if browser.Eval[bool](b, `document.activeElement && document.activeElement.matches(`+strconv.Quote(sel)+`)`) {
			return n
		}
	}
	return max + 1
}

// TestBrowserKeyboardSearch: from the header's search box, a keyboard user
// reaches the first search result within 10 Tab presses, through the skip
// link to the result list; the other skip link moves the focus to the
// filters.
func TestBrowserKeyboardSearch(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)
	b.Open("/search?q=" + url.QueryEscape("사과"))
	// Every stop, the cards' links and 장바구니 담기 buttons among them, shows a
	// focus ring of at least 3:1.
	stops := b.CheckFocus(t, "search results")
	var cards, adds int
	for _, s := range stops {
		cards += strings.Count(s.Target, "a.card-link")
		adds += strings.Count(s.Target, "button.btn.card-add-btn")
	}
	if cards == 0 || adds == 0 {
		t.Errorf("the Tab walk reached %d card links and %d add buttons", cards, adds)
	}
	focusBox := func() {
		t.Helper()
		b.Run("focus the search box", chromedp.Focus(chromedp.CSS("#q")))
	}

	focusBox()
	n := tabTo(t, b, `a[href="#results"]`, 10)
	if n > 10 {
		t.Fatal("no skip link to the result list within 10 Tab presses of the search box")
	}
	b.Run("Enter on the skip link", chromedp.KeyEvent(kb.Enter))
	m := tabTo(t, b, ".results .card-link", 10-n)
	t.Logf("the first result: %d Tab presses to the skip link, Enter, %d more", n, m)
	if n+m > 10 {
		t.Errorf("the first result is not reached within 10 Tab presses of the search box (%d to the skip link, then %d more)", n, m)
	} else if first := browser.Eval[string](b, `document.querySelector(".results .card-link").getAttribute("href")`); browser.Eval[string](b, `document.activeElement.getAttribute("href")`) != first {
		t.Error("the Tab reached a result that is not the first")
	}

	focusBox()
	if tabTo(t, b, `a[href="#facets"]`, 10) > 10 {
		t.Fatal("no skip link to the filters within 10 Tab presses of the search box")
	}
	b.Run("Enter on the filters' skip link", chromedp.KeyEvent(kb.Enter))
	if !browser.Eval[bool](b, `!!document.activeElement.closest("#facets")`) {
		t.Errorf("the filters' skip link left the focus on %s", browser.Eval[string](b, `document.activeElement.outerHTML.slice(0, 120)`))
	}
	b.Run("Tab into the filters", chromedp.KeyEvent(kb.Tab))
	if !browser.Eval[bool](b, `!!document.activeElement.closest("#facets")`) {
		t.Errorf("the Tab after the filters' skip link went to %s", browser.Eval[string](b, `document.activeElement.outerHTML.slice(0, 120)`))
	}
}

// headerWordsJS lists the words of the shop header's visible labels that
// are broken across lines (카테고/리) and whether the page scrolls sideways.
const headerWordsJS = `(() => {
  const bad = [];
  const w = document.createTreeWalker(document.querySelector(".site-header"), NodeFilter.SHOW_TEXT);
  for (let n; (n = w.nextNode());) {
    const el = n.parentElement;
    if (!el || el.closest(".sr-only, [hidden]") || !el.getClientRects().length) continue;
    for (const m of n.data.matchAll(/\S+/g)) {
      const r = document.createRange();
      r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
      if (tops.size > 1) bad.push(m[0]);
    }
  }
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth) bad.push("(the page scrolls sideways)");
  return bad;
})()`

// TestBrowserHeaderWords: at 320 and 360 px no label of the shop header
// breaks inside a word (카테고/리, 입점기/업), on a page with the header's
// search box and on the home page, signed out with a cart.
func TestBrowserHeaderWords(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, _ := e.Goods(t)
	b := browser.New(t, e)
	b.Open("/p/" + strconv.FormatInt(pid, 10))
	b.Run("장바구니 담기", chromedp.Click(chromedp.CSS(`form.add-cart button:not([name])`)),
		chromedp.WaitVisible(chromedp.CSS(`.add-cart-status a[href="/cart"]`)))
	for _, width := range []int64{320, 360} {
		b.Run(strconv.FormatInt(width, 10)+" px", chromedp.EmulateViewport(width, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile,
			chromedp.EmulateTouch, chromedp.EmulatePortrait))
		for _, path := range []string{"/", "/search?q=" + url.QueryEscape("사과"), "/enterprises"} {
			b.Open(path)
			if bad := browser.Eval[[]string](b, headerWordsJS); len(bad) > 0 {
				t.Errorf("%d px %s: header words broken across lines: %s", width, path, strings.Join(bad, ", "))
			}
		}
	}
	// The check itself sees a word broken: squeeze the first menu link as
	// the old header did.
	if !browser.Eval[bool](b, `(() => { const a = document.querySelector(".top-nav a"); Object.assign(a.style, {display: "inline-block",
	  width: "2.5em", whiteSpace: "normal", wordBreak: "normal"}); return true })()`) {
		t.Fatal("squeeze the menu link")
	}
	if bad := browser.Eval[[]string](b, headerWordsJS); len(bad) == 0 || bad[0] != "카테고리" {
		t.Errorf("a squeezed 카테고리 was not seen broken: %v", bad)
	}
}
