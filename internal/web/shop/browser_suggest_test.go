package shop_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserSuggestions drives suggest.js in Chromium: typing into the
// home search box shows suggestions (an ARIA listbox with products), the
// arrow key marks one and Enter opens it.
func TestBrowserSuggestions(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)

	b.Run("open home", chromedp.Navigate(b.Base+"/"), chromedp.WaitVisible(chromedp.CSS("#home-q")))
	// A Korean IME delivers the composed word at once; typing it as two key
	// events could let a late answer for '사' redraw the list (and reset the
	// marked entry) between the arrow key and Enter.
	b.Run("type 사과", chromedp.Focus(chromedp.CSS("#home-q")),
		chromedp.Evaluate[chromedp.Void](`(() => { const q = document.querySelector("#home-q"); q.value = "사과"; q.dispatchEvent(new Event("input", {bubbles: true})); })()`),
		chromedp.WaitVisible(chromedp.CSS(`ul.suggest li[role="option"]`)))
	list := b.Text("ul.suggest")
	expanded, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.querySelector("#home-q").getAttribute("aria-expanded")`))
	if err != nil {
		t.Fatal(err)
	}
	first, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.querySelector('ul.suggest li[role="option"]').dataset.url`))
	if err != nil {
		t.Fatal(err)
	}
	b.Run("arrow down and Enter", chromedp.SendKeys(chromedp.CSS("#home-q"), kb.ArrowDown+kb.Enter),
		chromedp.WaitNotPresent(chromedp.CSS("#home-q")))
	landed := b.Location()

	if !strings.Contains(list, "사과") {
		t.Errorf("suggestions %q do not mention 사과", list)
	}
	if expanded != "true" {
		t.Errorf("aria-expanded = %q while the list shows", expanded)
	}
	if !regexp.MustCompile(`^/(p|c)/[^/]+$`).MatchString(first) {
		t.Errorf("first suggestion links to %q", first)
	}
	if !strings.HasSuffix(landed, first) {
		t.Errorf("Enter on the first suggestion went to %s, want %s", landed, first)
	}
}

// TestBrowserSuggestEscapeKeepsText: Escape with suggestions open closes the
// list and keeps what was typed (a type="search" box would clear itself), so
// Enter then searches for it, not for everything.
func TestBrowserSuggestEscapeKeepsText(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)

	b.Run("open home", chromedp.Navigate(b.Base+"/"), chromedp.WaitVisible(chromedp.CSS("#home-q")))
	b.Run("type 사과", chromedp.Focus(chromedp.CSS("#home-q")),
		chromedp.Evaluate[chromedp.Void](`(() => { const q = document.querySelector("#home-q"); q.value = "사과"; q.dispatchEvent(new Event("input", {bubbles: true})); })()`),
		chromedp.WaitVisible(chromedp.CSS(`ul.suggest li[role="option"]`)))
	b.Run("Escape", chromedp.SendKeys(chromedp.CSS("#home-q"), kb.Escape), chromedp.WaitNotVisible(chromedp.CSS("ul.suggest")))
	value := b.Value("#home-q")
	expanded := browser.Eval[string](b, `document.querySelector("#home-q").getAttribute("aria-expanded")`)
	b.Run("Enter", chromedp.SendKeys(chromedp.CSS("#home-q"), kb.Enter), chromedp.WaitNotPresent(chromedp.CSS("#home-q")))
	landed := b.Location()

	if value != "사과" {
		t.Errorf("after Escape the search box holds %q, want 사과", value)
	}
	if expanded != "false" {
		t.Errorf("aria-expanded = %q after Escape", expanded)
	}
	if u, err := url.Parse(landed); err != nil || u.Path != "/search" || u.Query().Get("q") != "사과" {
		t.Errorf("Enter after Escape went to %s, want /search?q=사과", landed)
	}
}
