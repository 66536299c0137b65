package web_test

import (
	"context"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSearchToProduct drives Debian's Chromium (headless, through
// chromedp) against the storefront on a real loopback listener: open home,
// type '사과' into the search box, submit, open the first result and check
// the product page.
func TestBrowserSearchToProduct(t *testing.T) {
	e := newEnv(t)
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
		start := time.Now()
		defer func() { t.Logf("%s: %s", step, time.Since(start).Round(time.Millisecond)) }()
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
	location := func() string {
		t.Helper()
		u, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatalf("browser: location: %v", err)
		}
		return u
	}

	run("open home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(css("#home-q")))
	run("search 사과",
		chromedp.SendKeys(css("#home-q"), "사과"),
		chromedp.Click(css(`form.big-search button[type="submit"]`)),
		chromedp.WaitVisible(css(".results .card-link")))
	searchURL, resultsTitle := location(), text("h1")
	run("open the first result", chromedp.Click(css(".results .card-link")), chromedp.WaitVisible(css("h1.product-name")))
	productURL, name, price := location(), text("h1.product-name"), text(".price-main .price")

	if !regexp.MustCompile(`/p/[0-9]+$`).MatchString(productURL) {
		t.Errorf("the first result went to %s", productURL)
	}
	if !strings.Contains(searchURL, "/search?q=%EC%82%AC%EA%B3%BC") {
		t.Errorf("search went to %s", searchURL)
	}
	if !strings.Contains(resultsTitle, "'사과' 검색 결과") {
		t.Errorf("results title %q", resultsTitle)
	}
	if !strings.Contains(name, "사과") {
		t.Errorf("product name %q does not contain 사과", name)
	}
	if !regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})*원$`).MatchString(strings.TrimSpace(price)) {
		t.Errorf("price %q is not in 원", price)
	}
}
