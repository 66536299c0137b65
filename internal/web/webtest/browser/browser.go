// Package browser drives Debian's headless Chromium (through chromedp)
// against the whole app (webtest.Env) served on a real loopback listener,
// for the web packages' browser tests: named steps, sign-in through the
// real form, and axe-core accessibility checks at a desktop and a phone
// width (axe.go). It is imported by tests only.
package browser

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// Timeout bounds everything one Browser does; a test that needs longer is
// too slow for `make test`.
const Timeout = 2 * time.Minute

// Browser is one headless Chromium pointed at a test env's app.
type Browser struct {
	// Ctx is the browser tab's chromedp context, for actions the helpers
	// do not cover.
	Ctx context.Context
	// Base is the app's address: http://127.0.0.1:port.
	Base string

	t *testing.T
}

// New serves e.App on a loopback port and starts a fresh headless Chromium
// with the flags this machine needs (no sandbox as root, no background
// networking, Korean first); both stop when the test ends.
func New(t *testing.T, e *webtest.Env) *Browser {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- e.App.Listener(ln) }()
	t.Cleanup(func() {
		_ = e.App.ShutdownWithTimeout(5 * time.Second)
		<-served
	})
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
		chromedp.Flag("disable-dev-shm-usage", true), // /dev/shm is small in containers
		chromedp.Flag("lang", "ko-KR"),
		chromedp.Flag("accept-lang", "ko-KR,ko"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(Desktop, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	ctx, cancel := context.WithTimeout(bctx, Timeout)
	t.Cleanup(func() { cancel(); cancelBrowser(); cancelAlloc() })
	return &Browser{t: t, Ctx: ctx, Base: "http://" + ln.Addr().String()}
}

// URL is the app's address of path ("/account").
func (b *Browser) URL(path string) string { return b.Base + path }

// Run performs one named step, failing the test with its name.
func (b *Browser) Run(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	start := time.Now()
	defer func() { b.t.Helper(); b.t.Logf("%s: %s", step, time.Since(start).Round(time.Millisecond)) }()
	if err := chromedp.Do(b.Ctx, actions...); err != nil {
		b.t.Fatalf("browser: %s: %v", step, err)
	}
}

// Open loads path and returns the HTTP status of the page it ends on
// (after redirects).
func (b *Browser) Open(path string) int {
	b.t.Helper()
	start := time.Now()
	defer func() { b.t.Helper(); b.t.Logf("open %s: %s", path, time.Since(start).Round(time.Millisecond)) }()
	resp, err := chromedp.Run(b.Ctx, chromedp.NavigateResponse(b.URL(path)))
	if err != nil {
		b.t.Fatalf("browser: open %s: %v", path, err)
	}
	return status(resp)
}

// Submit clicks the button sel (a form's submit button, or a link) and
// waits for the page it leads to; it returns that page's HTTP status.
func (b *Browser) Submit(step, sel string) int {
	b.t.Helper()
	start := time.Now()
	defer func() { b.t.Helper(); b.t.Logf("%s: %s", step, time.Since(start).Round(time.Millisecond)) }()
	resp, err := chromedp.RunResponse(b.Ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("browser: %s: %v", step, err)
	}
	return status(resp)
}

func status(resp *network.Response) int {
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// Fill types each value into the field its selector names, after clearing
// it; a select or a date, time or file-less input that typing cannot set
// gets its value set with an input and a change event, as a person's
// choice would send.
func (b *Browser) Fill(fields map[string]string) {
	b.t.Helper()
	for sel, v := range fields {
		kind, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](fmt.Sprintf(
			`(() => { const el = document.querySelector(%q); return el ? el.tagName.toLowerCase() + ":" + (el.type || "") : ""; })()`, sel)))
		if err != nil || kind == "" {
			b.t.Fatalf("browser: fill %s: no such field (%v)", sel, err)
		}
		var act chromedp.Action[chromedp.Void]
		switch {
		case strings.HasPrefix(kind, "select:"), kind == "input:date", kind == "input:time", kind == "input:month":
			act = chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
				`(() => { const el = document.querySelector(%q); el.value = %q;
				  el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); })()`, sel, v))
		default: // emptied first (chromedp.Clear fails on an empty textarea)
			act = chromedp.Steps(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, sel)),
				chromedp.SendKeys(chromedp.CSS(sel), v))
		}
		if err := chromedp.Do(b.Ctx, act); err != nil {
			b.t.Fatalf("browser: fill %s: %v", sel, err)
		}
		if got := b.Value(sel); got != v {
			b.t.Fatalf("browser: fill %s: the field holds %q, want %q", sel, got, v)
		}
	}
}

// Value returns the value of the form field sel.
func (b *Browser) Value(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("browser: value of %s: %v", sel, err)
	}
	return s
}

// Text returns the text of the first element matching sel.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("browser: text of %s: %v", sel, err)
	}
	return s
}

// Eval evaluates the JavaScript expression on the page and decodes its
// value into T (see chromedp.Evaluate), failing the test on an error.
func Eval[T any](b *Browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("browser: evaluate: %v\n%s", err, expr)
	}
	return v
}

// Has reports whether an element matches sel on the page now (no waiting).
func (b *Browser) Has(sel string) bool {
	b.t.Helper()
	ok, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q) !== null`, sel)))
	if err != nil {
		b.t.Fatalf("browser: look for %s: %v", sel, err)
	}
	return ok
}

// Location returns the current URL.
func (b *Browser) Location() string {
	b.t.Helper()
	u, err := chromedp.Run(b.Ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("browser: location: %v", err)
	}
	return u
}

// Path returns the current URL's path and query ("/portal?done=x").
func (b *Browser) Path() string {
	b.t.Helper()
	u, err := url.Parse(b.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return u.RequestURI()
}

// SignIn signs in through the real sign-in form (/account/signin, so the
// session cookie is the one the app sets) and returns the path it landed
// on. The browser must be signed out.
func (b *Browser) SignIn(email, password string) string {
	b.t.Helper()
	if st := b.Open("/account/signin"); st != 200 || !strings.HasPrefix(b.Path(), "/account/signin") {
		b.t.Fatalf("browser: sign in %s: /account/signin answered %d at %s (signed in already?)", email, st, b.Path())
	}
	b.Fill(map[string]string{"#f-email": email, "#f-password": password})
	if st := b.Submit("sign in "+email, `form.account-form button[type="submit"]`); st != 200 {
		b.t.Fatalf("browser: sign in %s: landed on %s with status %d", email, b.Path(), st)
	}
	landed := b.Path()
	if strings.HasPrefix(landed, "/account/signin") {
		b.t.Fatalf("browser: sign in %s: still on the sign-in form: %s", email, b.Text("main"))
	}
	if b.Cookie(web.SessionCookie) == "" {
		b.t.Fatalf("browser: sign in %s: no %s cookie", email, web.SessionCookie)
	}
	return landed
}

// SignOut signs out with the button on /account and checks the session
// cookie is gone.
func (b *Browser) SignOut() {
	b.t.Helper()
	if st := b.Open("/account"); st != 200 || b.Path() != "/account" {
		b.t.Fatalf("browser: sign out: /account answered %d at %s", st, b.Path())
	}
	b.Submit("sign out", `form[action="/account/signout"] button[type="submit"]`)
	if b.Cookie(web.SessionCookie) != "" {
		b.t.Fatalf("browser: sign out: the %s cookie is still set", web.SessionCookie)
	}
}

// Cookie returns the value of the app's cookie name ("" when unset).
func (b *Browser) Cookie(name string) string {
	b.t.Helper()
	res, err := chromedp.Call(b.Ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.Base + "/"}})
	if err != nil {
		b.t.Fatalf("browser: cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// PNG writes a w×h PNG (a soft green with a darker square) into a fresh
// folder and returns its absolute path, for a file input
// (chromedp.SetUploadFiles).
func PNG(t testing.TB, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{0xe7, 0xf0, 0xea, 0xff}
			if x > w/4 && x < 3*w/4 && y > h/4 && y < 3*h/4 {
				c = color.RGBA{0x2f, 0x6b, 0x4f, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	name := filepath.Join(t.TempDir(), "product.png")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return name
}
