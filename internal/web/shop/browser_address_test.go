package shop_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserAddressBookWalk is issue 14's signed-in walk in headless
// Chromium, with axe-core (1280 and 390 px, no violation of any impact) on
// every new page: 우편번호 찾기 with the postcode service unreachable (as
// on this machine) says so in Korean and the address is typed by hand →
// saved as the default → checkout is filled from it → the order shows in
// the order history → 재주문 puts it into the cart again.
func TestBrowserAddressBookWalk(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, name := e.Goods(t)
	me := e.Consumer(t)
	b := browser.New(t, e)
	check := func(what string) {
		t.Helper()
		if vs := b.CheckAxeCurrent(t, what); len(vs) > 0 {
			t.Errorf("%s: %d axe violations:\n%s", what, len(vs), browser.Format(vs))
		}
	}
	b.SignIn(me, webtest.Password)

	b.Open("/account/addresses")
	if !b.Has("button.postcode-btn") {
		t.Fatal("the address form has no 우편번호 찾기 button with JavaScript on")
	}
	check("/account/addresses, empty")
	b.Run("우편번호 찾기", chromedp.Click(chromedp.CSS("button.postcode-btn")),
		chromedp.WaitVisible(chromedp.CSS(".postcode-status.notice-warn")))
	if msg := b.Text(".postcode-status"); !strings.Contains(msg, "불러오지 못했습니다") || !strings.Contains(msg, "직접 입력") {
		t.Errorf("the unreachable postcode service says %q", msg)
	}
	if id := browser.Eval[string](b, `document.activeElement ? document.activeElement.id : ""`); id != "postcode" {
		t.Errorf("after the failed search the focus is on %q, want the postcode field", id)
	}
	check("/account/addresses, postcode search unreachable")
	b.Fill(map[string]string{"#label": "집", "#recipient": "박수령", "#phone": "01022223333", "#postcode": "63100",
		"#road": "제주특별자치도 제주시 문연로 6", "#detail": "2층"})
	b.Submit("배송지 저장", `form.address-form button[type="submit"]`)
	if !strings.Contains(b.Text(".address-list"), "기본 배송지") || !strings.Contains(b.Text(".address-list"), "63100") {
		t.Fatalf("the saved address is not listed as the default: %s", b.Text("main"))
	}
	check("/account/addresses with an address")

	b.Open("/p/" + strconv.FormatInt(pid, 10))
	b.Run("장바구니 담기", chromedp.Click(chromedp.CSS(`form.add-cart button:not([name])`)),
		chromedp.WaitVisible(chromedp.CSS(`.add-cart-status a[href="/cart"]`)))
	b.Open("/checkout")
	if b.Value("#postcode") != "63100" || b.Value("#road") != "제주특별자치도 제주시 문연로 6" {
		t.Errorf("checkout not filled from the default address: %q %q", b.Value("#postcode"), b.Value("#road"))
	}
	if !strings.Contains(b.Text(".cart-side"), "제주") {
		t.Errorf("the checkout summary does not show the 제주 surcharge: %s", b.Text(".cart-side"))
	}
	check("checkout with saved addresses")
	b.Fill(map[string]string{"#buyer_phone": "01012345678"})
	b.Run("agree", chromedp.SendKeys(chromedp.CSS("#agree_terms"), " "), chromedp.SendKeys(chromedp.CSS("#agree_privacy"), " "))
	b.Run("submit the order", chromedp.Click(chromedp.CSS(`form.checkout-form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".test-pay")))
	b.Run("테스트 카드로 결제", chromedp.Click(chromedp.CSS(`.test-pay button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".order-number")))
	number := strings.TrimSpace(b.Text(".order-number"))

	b.Open("/account/orders")
	if !strings.Contains(b.Text(".my-orders"), number) || !strings.Contains(b.Text(".my-orders"), "결제 완료") {
		t.Fatalf("the order history lacks %s: %s", number, b.Text("main"))
	}
	check("/account/orders")
	b.Submit("재주문", `.reorder-form button[type="submit"]`)
	if !strings.Contains(b.Text("main"), name) || !strings.Contains(b.Text("main"), "장바구니에 담았습니다") {
		t.Errorf("the cart after 재주문 lacks the product or the notice: %s", b.Text("main"))
	}
	check("the cart after 재주문")
}
