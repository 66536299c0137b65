package shop_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserSearchToProduct drives Debian's Chromium (headless, through
// chromedp) against the storefront on a real loopback listener: open home,
// type '사과' into the search box, submit, open the first result and check
// the product page.
func TestBrowserSearchToProduct(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)

	b.Run("open home", chromedp.Navigate(b.Base+"/"), chromedp.WaitVisible(chromedp.CSS("#home-q")))
	b.Run("search 사과",
		chromedp.SendKeys(chromedp.CSS("#home-q"), "사과"),
		chromedp.Click(chromedp.CSS(`form.big-search button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".results .card-link")))
	searchURL, resultsTitle := b.Location(), b.Text("h1")
	b.Run("open the first result", chromedp.Click(chromedp.CSS(".results .card-link")), chromedp.WaitVisible(chromedp.CSS("h1.product-name")))
	productURL, name, price := b.Location(), b.Text("h1.product-name"), b.Text(".price-main .price")

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
