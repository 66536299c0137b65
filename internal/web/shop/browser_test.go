package shop_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestBrowserSearchToProduct drives Debian's Chromium (headless, through
// chromedp) against the storefront on a real loopback listener: open home,
// type '사과' into the search box, submit, open the first result and check
// the product page.
func TestBrowserSearchToProduct(t *testing.T) {
	e := webtest.NewEnv(t)
	b := newBrowser(t, e)

	b.run("open home", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(css("#home-q")))
	b.run("search 사과",
		chromedp.SendKeys(css("#home-q"), "사과"),
		chromedp.Click(css(`form.big-search button[type="submit"]`)),
		chromedp.WaitVisible(css(".results .card-link")))
	searchURL, resultsTitle := b.location(), b.text("h1")
	b.run("open the first result", chromedp.Click(css(".results .card-link")), chromedp.WaitVisible(css("h1.product-name")))
	productURL, name, price := b.location(), b.text("h1.product-name"), b.text(".price-main .price")

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
