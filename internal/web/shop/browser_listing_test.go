package shop_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserListingAddToCart: 장바구니 담기 on a search result stays on
// the search page, says so beside the button with a link to the cart and
// updates the header's count; with JavaScript off the same button goes to
// the cart as before.
func TestBrowserListingAddToCart(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, name := e.Goods(t)
	b := browser.New(t, e)
	search := "/search?q=" + url.QueryEscape(name)
	btn := `article.card:has(a.card-link[href="/p/` + strconv.FormatInt(pid, 10) + `"]) .card-add-btn`
	status := `article.card:has(a.card-link[href="/p/` + strconv.FormatInt(pid, 10) + `"]) .add-cart-status`

	b.Run("390×844", chromedp.EmulateViewport(browser.Phone, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile,
		chromedp.EmulateTouch, chromedp.EmulatePortrait))
	b.Open(search)
	if size := browser.Eval[[]float64](b, `(() => { const r = document.querySelector(`+strconv.Quote(btn)+`).getBoundingClientRect(); return [r.width, r.height] })()`); size[0] < 44 || size[1] < 44 {
		t.Errorf("the card's 장바구니 담기 is %.0f×%.0f px at 390 px, want at least 44×44", size[0], size[1])
	}
	b.Run("장바구니 담기 on the card", chromedp.Click(chromedp.CSS(btn)),
		chromedp.WaitVisible(chromedp.CSS(status+` a[href="/cart"]`)))
	if p := b.Path(); !strings.HasPrefix(p, "/search") {
		t.Errorf("the card's 장바구니 담기 left the search page for %s", p)
	}
	if s := b.Text(status); !strings.Contains(s, "장바구니에 담았습니다") {
		t.Errorf("card add status %q", s)
	}
	if n := strings.TrimSpace(b.Text(".cart-link .cart-count")); n != "1" {
		t.Errorf("header cart count %q after adding from the card, want 1", n)
	}

	if _, err := chromedp.Call(b.Ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	b.Open(search)
	b.Submit("장바구니 담기 without JavaScript", btn)
	if p := b.Location(); !strings.HasSuffix(p, "/cart?done=added") {
		t.Errorf("without JavaScript the card's 장바구니 담기 went to %s, want the cart", p)
	}
	if s := b.Text("main"); !strings.Contains(s, name) {
		t.Errorf("the cart does not show %q: %q", name, s)
	}
}
