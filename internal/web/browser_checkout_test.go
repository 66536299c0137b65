package web_test

import (
	"context"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCheckout walks a guest's purchase in headless Chromium with
// JavaScript doing nothing but what the pages offer without it: product
// page → 장바구니 담기 → cart → 주문하기 → address form → 테스트 카드로 결제 →
// confirmation with the order number.
func TestBrowserCheckout(t *testing.T) {
	e := newEnv(t)
	pid, _ := e.goods(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- e.app.Listener(ln) }()
	t.Cleanup(func() {
		_ = e.app.ShutdownWithTimeout(5 * time.Second)
		<-served
	})
	base := "http://" + ln.Addr().String()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath("/usr/bin/chromium"),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("browser: %s: %v", step, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("browser: text of %s: %v", sel, err)
		}
		return s
	}

	run("open the product", chromedp.Navigate(base+"/p/"+strconv.FormatInt(pid, 10)), chromedp.WaitVisible(css("form.add-cart")))
	run("장바구니 담기", chromedp.Click(css(`form.add-cart button[type="submit"]`)), chromedp.WaitVisible(css(".cart-line")))
	if n := strings.TrimSpace(text(".cart-count")); n != "1" {
		t.Errorf("header cart count %q after adding, want 1", n)
	}
	run("주문하기", chromedp.Click(css(`.cart-side a[href="/checkout"]`)), chromedp.WaitVisible(css("#buyer_name")))
	fields := map[string]string{"#buyer_name": "김두레", "#buyer_phone": "01012345678", "#buyer_email": "doore@example.kr",
		"#recipient": "박수령", "#phone": "010-2222-3333", "#postcode": "41940", "#road": "대구광역시 중구 동덕로 115",
		"#detail": "3층", "#memo": "문 앞에 놓아 주세요"}
	for sel, v := range fields {
		run("fill "+sel, chromedp.SendKeys(css(sel), v))
	}
	run("submit the order", chromedp.Click(css(`form.checkout-form button[type="submit"]`)), chromedp.WaitVisible(css(".test-pay")))
	run("테스트 카드로 결제", chromedp.Click(css(`.test-pay button[type="submit"]`)), chromedp.WaitVisible(css(".order-number")))

	number := strings.TrimSpace(text(".order-number"))
	if !regexp.MustCompile(`^D[0-9]{6}-[A-Z2-9]{6}$`).MatchString(number) {
		t.Errorf("confirmation shows order number %q", number)
	}
	if s := text(".order-status"); !strings.Contains(s, "결제 완료") {
		t.Errorf("confirmation status %q, want 결제 완료", s)
	}
}
