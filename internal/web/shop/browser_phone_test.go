package shop_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// tapTargetsJS lists the visible controls smaller than WCAG 2.5.8 allows
// on the page: primary actions under 44×44 px, any other link, button or
// box under 24×24 px. A link inside a sentence is exempt, as the rule says
// (its size is the line's); so are screen-reader-only and off-screen ones
// (the skip link until it is focused).
const tapTargetsJS = `(() => {
  const bad = [];
  const name = el => (el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") +
    " '" + (el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 30) + "'");
  const shown = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || s.visibility === "hidden" || el.closest("[hidden], .sr-only")) return false;
    return r.right > 0 && r.bottom + window.scrollY > 0;
  };
  const inSentence = el => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    const p = el.parentElement, own = (el.textContent || "").replace(/\s+/g, "");
    return p && (p.textContent || "").replace(/\s+/g, "").length > own.length;
  };
  const primary = new Set(document.querySelectorAll(".btn-primary, .btn-big, .buy-bar button, .buy-bar a.btn"));
  document.querySelectorAll("a[href], button, select, input[type=checkbox], input[type=radio], input[type=number]").forEach(el => {
    if (!shown(el) || inSentence(el)) return;
    // A check box or radio button inside its label is tapped anywhere on the label.
    const target = el.type === "checkbox" || el.type === "radio" ? el.closest("label") || el : el;
    const r = target.getBoundingClientRect(), min = primary.has(el) ? 44 : 24;
    if (r.width < min - 0.5 || r.height < min - 0.5) bad.push(name(el) + " " + Math.round(r.width) + "×" + Math.round(r.height) + " < " + min);
  });
  return bad;
})()`

// inViewJS reports whether the element sel lies wholly inside the viewport.
func inViewJS(sel string) string {
	return `(() => { const el = document.querySelector(` + strconv.Quote(sel) + `); if (!el) return false;
  const r = el.getBoundingClientRect(); return r.width > 0 && r.top >= 0 && r.bottom <= window.innerHeight; })()`
}

// TestBrowserPhonePurchase buys on a 390×844 phone: the product page's buy
// bar (price, quantity, 장바구니 담기, 바로 구매) is on screen without
// scrolling; 장바구니 담기 stays on the page and says so with a link to the
// cart; the cart's and the checkout's order bars are on screen; 주문자
// 정보와 동일 copies the buyer; a checkout refused for its consents puts the
// focus on the first wrong field; tap targets are big enough on each page
// (a filtered search's chips too);
// axe-core finds nothing at either width.
func TestBrowserPhonePurchase(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, _ := e.Goods(t)
	b := browser.New(t, e)
	product := "/p/" + strconv.FormatInt(pid, 10)
	phone := func() {
		b.Run("390×844", chromedp.EmulateViewport(browser.Phone, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile,
			chromedp.EmulateTouch, chromedp.EmulatePortrait))
	}
	taps := func(what string) {
		t.Helper()
		if bad := browser.Eval[[]string](b, tapTargetsJS); len(bad) > 0 {
			t.Errorf("%s: tap targets too small at 390 px:\n  %s", what, strings.Join(bad, "\n  "))
		}
	}
	inView := func(what, sel string) {
		t.Helper()
		if !browser.Eval[bool](b, inViewJS(sel)) {
			t.Errorf("%s: %s is not on the screen of a 390×844 phone without scrolling", what, sel)
		}
	}
	noAxe := func(vs []browser.Violation) {
		t.Helper()
		if len(vs) > 0 {
			t.Errorf("axe-core found %d violations:\n%s", len(vs), browser.Format(vs))
		}
	}

	noAxe(b.CheckAxe(t, product))
	noAxe(b.CheckAxe(t, "/terms"))
	noAxe(b.CheckAxe(t, "/privacy"))
	noAxe(b.CheckAxe(t, "/search?q=tkrhk")) // read as 사과: the note with its link to the literal search

	phone()
	b.Open(product)
	for _, sel := range []string{"form.add-cart.buy-bar", ".buy-bar-price", `form.add-cart input[name="quantity"]`,
		`form.add-cart button:not([name])`, `form.add-cart button[name="buy"]`} {
		inView("product page", sel)
	}
	taps("product page")
	b.Run("장바구니 담기 (stays)", chromedp.Click(chromedp.CSS(`form.add-cart button:not([name])`)),
		chromedp.WaitVisible(chromedp.CSS(`.add-cart-status a[href="/cart"]`)))
	if b.Path() != product {
		t.Errorf("장바구니 담기 left the product page for %s", b.Path())
	}
	if s := b.Text(".add-cart-status"); !strings.Contains(s, "장바구니에 담았습니다") {
		t.Errorf("add-to-cart status %q", s)
	}
	if n := strings.TrimSpace(b.Text(".cart-link .cart-count")); n != "1" {
		t.Errorf("header cart count %q after adding, want 1", n)
	}

	b.Open("/search?in_stock=1") // a filter chip and 전체 해제 beside it
	if b.Text(".chip-clear") == "" {
		t.Error("filtered search: no 전체 해제 link")
	}
	taps("filtered search")

	b.Open("/cart")
	inView("cart", ".cart-bar")
	inView("cart", `.cart-bar a[href="/checkout"]`)
	taps("cart")

	b.Open("/checkout")
	inView("checkout", ".checkout-bar")
	inView("checkout", ".checkout-bar button")
	taps("checkout")
	b.Fill(map[string]string{"#buyer_name": "김두레", "#buyer_phone": "010-1234-5678", "#buyer_email": "doore@example.kr",
		"#postcode": "41940", "#road": "대구광역시 중구 동덕로 115", "#detail": "3층"})
	b.Run("주문자 정보와 동일", chromedp.Click(chromedp.CSS("#same_as_buyer")))
	if r, p := b.Value("#recipient"), b.Value("#phone"); r != "김두레" || p != "010-1234-5678" {
		t.Errorf("주문자 정보와 동일 gave %q %q", r, p)
	}
	b.Run("주문하기 without consents", chromedp.Click(chromedp.CSS(".checkout-bar button")),
		chromedp.WaitVisible(chromedp.CSS("#agree_terms-error")))
	if id := browser.Eval[string](b, `document.activeElement ? document.activeElement.id : ""`); id != "agree_terms" {
		t.Errorf("after the refused checkout the focus is on %q, want the first wrong field (agree_terms)", id)
	}
	if r := b.Value("#recipient"); r != "김두레" {
		t.Errorf("recipient after the refusal %q", r)
	}
	taps("checkout with errors")
	noAxe(b.CheckAxeCurrent(t, "checkout with errors"))

	phone()
	b.Run("agree", chromedp.SendKeys(chromedp.CSS("#agree_terms"), " "), chromedp.SendKeys(chromedp.CSS("#agree_privacy"), " "))
	b.Run("주문하기", chromedp.Click(chromedp.CSS(".checkout-bar button")), chromedp.WaitVisible(chromedp.CSS(".test-pay")))
	number := strings.TrimSuffix(strings.TrimPrefix(b.Path(), "/orders/"), "/pay")
	noAxe(b.CheckAxe(t, "/orders/"+number))
	phone()
	b.Open("/orders/" + number)
	taps("order page")
}
