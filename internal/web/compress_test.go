package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/storefront"
)

// securityHeaders are the headers every answer carries (middleware.go).
var securityHeaders = []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Permissions-Policy"}

func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for _, name := range securityHeaders {
		if h.Get(name) == "" {
			t.Errorf("%s: no %s", what, name)
		}
	}
}

// do runs one request through a; header is name, value pairs.
func do(t *testing.T, a *fiber.App, target string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := a.Test(req, -1)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

// A shop page (the home page on fakes) is gzipped for a client that takes
// gzip and decompresses to the very page an identity client gets; both say
// Vary: Accept-Encoding and keep the security headers.
func TestPagesAreGzippedWhenAccepted(t *testing.T) {
	u := &webtest.Unit{}
	resp, plain := u.Do(t, "GET", "/")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" || !strings.Contains(plain, "<html") {
		t.Fatalf("identity: %d, Content-Encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("identity answer: Vary %q, want Accept-Encoding", resp.Header.Get("Vary"))
	}
	u.Header = http.Header{"Accept-Encoding": {"gzip, deflate, br"}}
	resp, packed := u.Do(t, "GET", "/")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip: %d, Content-Encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("gzip answer: Vary %q", resp.Header.Get("Vary"))
	}
	checkSecurityHeaders(t, "gzipped page", resp.Header)
	got := gunzip(t, []byte(packed))
	// The pages carry a CSRF token per request; everything else is equal.
	token := regexp.MustCompile(`value="[A-Za-z0-9_.=-]{20,}"`)
	if a, b := token.ReplaceAllString(string(got), ""), token.ReplaceAllString(plain, ""); a != b {
		t.Errorf("gunzipped page differs from the identity page (%d vs %d bytes)", len(a), len(b))
	}
	if len(packed)*2 > len(plain) {
		t.Errorf("gzip %d bytes for a %d byte page: less than half expected", len(packed), len(plain))
	}
	// q=0 refuses a coding.
	u.Header = http.Header{"Accept-Encoding": {"gzip;q=0, identity"}}
	if resp, _ := u.Do(t, "GET", "/"); resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0: Content-Encoding %q, want identity", resp.Header.Get("Content-Encoding"))
	}
	// Error pages are compressed too, with their headers.
	u.Header = http.Header{"Accept-Encoding": {"gzip"}}
	resp, body := u.Do(t, "GET", "/p/999999")
	if resp.StatusCode != 404 {
		t.Fatalf("missing product: %d", resp.StatusCode)
	}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		gunzip(t, []byte(body))
	} else if len(body) >= 1024 {
		t.Errorf("404 page of %d bytes not compressed", len(body))
	}
	checkSecurityHeaders(t, "404 page", resp.Header)
}

// What must not be compressed: small bodies, images, PDF, streams,
// answers already encoded, 304s; JSON and CSV are.
func TestCompressChoosesWhatToCompress(t *testing.T) {
	a, _ := web.New(web.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	big := strings.Repeat("두레 협동조합 상품 목록 ", 200)
	a.Get("/json", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"data": big}) })
	a.Get("/tiny", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"ok": true}) })
	a.Get("/csv", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="x.csv"`)
		return c.SendString(big)
	})
	a.Get("/pdf", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/pdf")
		return c.SendString(big)
	})
	a.Get("/png", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "image/png")
		return c.SendString(big)
	})
	a.Get("/stream", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "text/csv")
		return c.SendStream(strings.NewReader(big), len(big))
	})
	a.Get("/encoded", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "text/plain")
		c.Set(fiber.HeaderContentEncoding, "identity-test")
		return c.SendString(big)
	})
	a.Get("/etag", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderETag, `"v1"`)
		return c.SendString(big)
	})
	a.Get("/304", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNotModified) })
	for target, want := range map[string]bool{"/json": true, "/csv": true, "/etag": true,
		"/tiny": false, "/pdf": false, "/png": false, "/stream": false, "/encoded": false, "/304": false} {
		resp, body := do(t, a, target, "Accept-Encoding", "gzip")
		ce := resp.Header.Get("Content-Encoding")
		if got := ce == "gzip"; got != want {
			t.Errorf("%s: Content-Encoding %q, want gzip %v", target, ce, want)
			continue
		}
		checkSecurityHeaders(t, target, resp.Header)
		if !want {
			continue
		}
		if plain := gunzip(t, body); !strings.Contains(string(plain), "두레 협동조합") {
			t.Errorf("%s: gunzipped body %q", target, webtest.Truncate(string(plain), 100))
		}
		if target == "/etag" && resp.Header.Get("ETag") != `W/"v1"` {
			t.Errorf("gzipped answer keeps a strong ETag %q, want W/\"v1\"", resp.Header.Get("ETag"))
		}
	}
	if resp, _ := do(t, a, "/304", "Accept-Encoding", "gzip"); resp.StatusCode != 304 {
		t.Errorf("/304: %d", resp.StatusCode)
	}
}

// Static files: under the fingerprinted name for a year, brotli or gzip as
// the client takes, an ETag that a conditional request gets 304 on (with the
// security headers); under the plain name briefly; unknown names 404.
func TestStaticFilesPrecompressedAndCached(t *testing.T) {
	a, k := web.New(web.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	plain, err := fs.ReadFile(storefront.FS(), "static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	url := k.Templates.StaticPath("app.css")
	if !regexp.MustCompile(`^/static/app\.[0-9a-f]{10}\.css$`).MatchString(url) {
		t.Fatalf("StaticPath(app.css) = %q", url)
	}
	decode := map[string]func([]byte) []byte{
		"":     func(b []byte) []byte { return b },
		"gzip": func(b []byte) []byte { return gunzip(t, b) },
		"br": func(b []byte) []byte {
			out, err := io.ReadAll(brotli.NewReader(bytes.NewReader(b)))
			if err != nil {
				t.Fatalf("brotli: %v", err)
			}
			return out
		},
	}
	etags := map[string]string{} // by coding
	for accept, coding := range map[string]string{"": "", "gzip, deflate": "gzip", "gzip, deflate, br": "br", "br;q=0, gzip": "gzip"} {
		resp, body := do(t, a, url, "Accept-Encoding", accept)
		if resp.StatusCode != 200 {
			t.Fatalf("%s (%q): %d", url, accept, resp.StatusCode)
		}
		if got := resp.Header.Get("Content-Encoding"); got != coding {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", accept, got, coding)
			continue
		}
		if !bytes.Equal(decode[coding](body), plain) {
			t.Errorf("Accept-Encoding %q: body does not decode to app.css", accept)
		}
		if coding != "" && len(body)*3 > len(plain) {
			t.Errorf("%s: %d bytes of %d, want under a third", coding, len(body), len(plain))
		}
		for h, want := range map[string]string{"Cache-Control": "public, max-age=31536000, immutable", "Content-Type": "text/css; charset=utf-8", "Vary": "Accept-Encoding"} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("Accept-Encoding %q: %s %q, want %q", accept, h, got, want)
			}
		}
		checkSecurityHeaders(t, "static "+coding, resp.Header)
		etag := resp.Header.Get("ETag")
		if prev, seen := etags[coding]; etag == "" || seen && prev != etag {
			t.Errorf("Accept-Encoding %q: ETag %q, want one per coding", accept, etag)
		}
		etags[coding] = etag
		resp, body = do(t, a, url, "Accept-Encoding", accept, "If-None-Match", etag)
		if resp.StatusCode != 304 || len(body) != 0 || resp.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d, %d bytes, ETag %q; want 304, none, the same", etag, resp.StatusCode, len(body), resp.Header.Get("ETag"))
		}
		checkSecurityHeaders(t, "304", resp.Header)
	}
	if resp, _ := do(t, a, url, "If-None-Match", `"0123456789"`); resp.StatusCode != 200 {
		t.Errorf("another ETag: %d, want 200", resp.StatusCode)
	}

	// The plain name: the same file, a short cache.
	resp, body := do(t, a, "/static/app.css", "Accept-Encoding", "gzip")
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "public, max-age=300" || !bytes.Equal(gunzip(t, body), plain) {
		t.Errorf("/static/app.css: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	// Another type, another file.
	icon, _ := fs.ReadFile(storefront.FS(), "static/favicon.svg")
	resp, body = do(t, a, k.Templates.StaticPath("favicon.svg"), "Accept-Encoding", "gzip, br")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" ||
		!bytes.Equal(decode[resp.Header.Get("Content-Encoding")](body), icon) {
		t.Errorf("favicon: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"))
	}
	if len(etags) != 3 || etags[""] == etags["gzip"] || etags["gzip"] == etags["br"] {
		t.Errorf("ETags by coding %v, want three different", etags)
	}
	if resp, _ := do(t, a, "/static/app.0000000000.css"); resp.StatusCode != 404 {
		t.Errorf("unknown fingerprint: %d, want 404", resp.StatusCode)
	}
}

// Templates name static files only through their "static/NAME" templates
// (the fingerprinted URL; a missing file fails start-up), never by a
// written /static/ path, which would bypass the fingerprint and its cache.
func TestTemplatesHaveNoHardCodedStaticPaths(t *testing.T) {
	n := 0
	err := fs.WalkDir(storefront.FS(), "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(storefront.FS(), p)
		if err != nil {
			return err
		}
		n++
		if i := strings.Index(string(b), "/static/"); i >= 0 {
			line := strings.Count(string(b[:i]), "\n") + 1
			t.Errorf(`%s:%d: a written /static/ path; use {{template "static/NAME"}}`, p, line)
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("walk templates: %d files, %v", n, err)
	}
}

// Every static URL a rendered page links to is served, fingerprinted, with
// the long cache.
func TestPageAssetURLsResolve(t *testing.T) {
	a, _ := web.New(web.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	u := &webtest.Unit{}
	_, page := u.Do(t, "GET", "/")
	urls := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(urls) < 3 {
		t.Fatalf("home page links %d static files, want the icon, the CSS and the scripts", len(urls))
	}
	for _, m := range urls {
		resp, _ := do(t, a, m[1])
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d, Cache-Control %q", m[1], resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
}
