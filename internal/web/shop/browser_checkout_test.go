package shop_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserCheckout walks a guest's purchase in headless Chromium at the
// desktop width: product page → 장바구니 담기 (the page stays, with a link to
// the cart) → cart → 주문하기 → address form and consents → 테스트 카드로
// 결제 → confirmation with the order number.
func TestBrowserCheckout(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, _ := e.Goods(t)
	b := browser.New(t, e)

	b.Run("open the product", chromedp.Navigate(b.Base+"/p/"+strconv.FormatInt(pid, 10)), chromedp.WaitVisible(chromedp.CSS("form.add-cart")))
	b.Run("장바구니 담기", chromedp.Click(chromedp.CSS(`form.add-cart button:not([name])`)),
		chromedp.WaitVisible(chromedp.CSS(`.add-cart-status a[href="/cart"]`)))
	b.Run("장바구니 보기", chromedp.Click(chromedp.CSS(`.add-cart-status a[href="/cart"]`)), chromedp.WaitVisible(chromedp.CSS(".cart-line")))
	if n := strings.TrimSpace(b.Text(".cart-count")); n != "1" {
		t.Errorf("header cart count %q after adding, want 1", n)
	}
	b.Run("주문하기", chromedp.Click(chromedp.CSS(`.cart-side a[href="/checkout"]`)), chromedp.WaitVisible(chromedp.CSS("#buyer_name")))
	fields := map[string]string{"#buyer_name": "김두레", "#buyer_phone": "01012345678", "#buyer_email": "doore@example.kr",
		"#recipient": "박수령", "#phone": "010-2222-3333", "#postcode": "41940", "#road": "대구광역시 중구 동덕로 115",
		"#detail": "3층", "#memo": "문 앞에 놓아 주세요"}
	for sel, v := range fields {
		b.Run("fill "+sel, chromedp.SendKeys(chromedp.CSS(sel), v))
	}
	b.Run("agree", chromedp.SendKeys(chromedp.CSS("#agree_terms"), " "), chromedp.SendKeys(chromedp.CSS("#agree_privacy"), " "))
	b.Run("submit the order", chromedp.Click(chromedp.CSS(`form.checkout-form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".test-pay")))
	b.Run("테스트 카드로 결제", chromedp.Click(chromedp.CSS(`.test-pay button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".order-number")))

	number := strings.TrimSpace(b.Text(".order-number"))
	if !regexp.MustCompile(`^D[0-9]{6}-[A-HJ-NP-Z2-9]{10}$`).MatchString(number) {
		t.Errorf("confirmation shows order number %q", number)
	}
	if s := b.Text(".order-status"); !strings.Contains(s, "결제 완료") {
		t.Errorf("confirmation status %q, want 결제 완료", s)
	}
}
