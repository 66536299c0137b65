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
	b.Fill(map[string]string{"#label": "회사", "#recipient": "박수령", "#phone": "01022224444", "#postcode": "04524",
		"#road": "서울특별시 중구 세종대로 110", "#detail": "3층"})
	b.Submit("배송지 저장", `form.address-form button[type="submit"]`)
	if !strings.Contains(b.Text(".address-list"), "04524") {
		t.Fatalf("the second address is not listed: %s", b.Text("main"))
	}

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
	// Another saved address fills the recipient's fields in place: the
	// typed phone stays, the page does not reload.
	b.Run("회사 주소로 채우기", chromedp.Click(chromedp.CSS(`.saved-list a:not([aria-current])`)))
	if b.Value("#road") != "서울특별시 중구 세종대로 110" || b.Value("#buyer_phone") != "01012345678" || b.Path() != "/checkout" {
		t.Errorf("after choosing the second address: road %q, buyer phone %q, at %s", b.Value("#road"), b.Value("#buyer_phone"), b.Path())
	}
	if !strings.Contains(b.Text(`.saved-list a[aria-current="true"]`), "회사") || !strings.Contains(b.Text("#saved-status"), "회사") {
		t.Errorf("the chosen address is not marked or announced: %q / %q", b.Text(`.saved-list a[aria-current="true"]`), b.Text("#saved-status"))
	}
	check("checkout after choosing another saved address")
	b.Run("집 주소로 다시 채우기", chromedp.Click(chromedp.CSS(`.saved-list a:not([aria-current])`)))
	if b.Value("#postcode") != "63100" || b.Value("#buyer_phone") != "01012345678" {
		t.Errorf("back to the default address: postcode %q, buyer phone %q", b.Value("#postcode"), b.Value("#buyer_phone"))
	}
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
