package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// These tests cover the shared layer's own logic — error mapping, health
// states, headers, the client address — on the whole app with fakes of the
// domain interfaces (webtest.Unit).

func TestErrorsMapToStatusAndSafeMessages(t *testing.T) {
	leak := "dial tcp 10.0.0.7:5432: secret detail"
	tests := []struct {
		name, target string
		store        *webtest.FakeStore
		search       webtest.SearchFn
		status       int
		code         string
	}{
		{"search unavailable page", "/search?q=x", nil, func(context.Context, search.Query) (*search.Result, error) {
			return nil, apperr.Errorf(apperr.Unavailable, "지금은 검색을 할 수 없습니다.")
		}, 503, "unavailable"},
		{"search unavailable api", "/api/v1/search?q=x", nil, func(context.Context, search.Query) (*search.Result, error) {
			return nil, apperr.Errorf(apperr.Unavailable, "지금은 검색을 할 수 없습니다.")
		}, 503, "unavailable"},
		{"internal error page", "/p/3", &webtest.FakeStore{FindProductByIDFn: func(context.Context, int64) (*catalog.Product, error) {
			return nil, errors.New(leak)
		}}, nil, 500, "internal"},
		{"internal error api", "/api/v1/products/3", &webtest.FakeStore{FindProductByIDFn: func(context.Context, int64) (*catalog.Product, error) {
			return nil, errors.New(leak)
		}}, nil, 500, "internal"},
		{"panic", "/e/3", &webtest.FakeStore{FindEnterpriseByIDFn: func(context.Context, int64) (*catalog.Enterprise, error) {
			panic(leak)
		}}, nil, 500, "internal"},
		{"conflict", "/api/v1/enterprises/3", &webtest.FakeStore{FindEnterpriseByIDFn: func(context.Context, int64) (*catalog.Enterprise, error) {
			return nil, apperr.Errorf(apperr.Conflict, "충돌")
		}}, nil, 409, "conflict"},
		{"too many", "/api/v1/enterprises/3", &webtest.FakeStore{FindEnterpriseByIDFn: func(context.Context, int64) (*catalog.Enterprise, error) {
			return nil, apperr.Errorf(apperr.TooMany, "잠시 후 다시 시도해 주세요.")
		}}, nil, 429, "too_many"},
		{"too many page", "/e/3", &webtest.FakeStore{FindEnterpriseByIDFn: func(context.Context, int64) (*catalog.Enterprise, error) {
			return nil, apperr.Errorf(apperr.TooMany, "잠시 후 다시 시도해 주세요.")
		}}, nil, 429, "too_many"},
		{"unknown id", "/api/v1/products/99999999", nil, nil, 404, "not_found"},
		{"bad id", "/api/v1/products/-1", nil, nil, 400, "invalid"},
		{"id too large", "/api/v1/products/99999999999999999999", nil, nil, 400, "invalid"},
		{"bad escape", "/api/v1/search?q=%zz", nil, nil, 400, "invalid"},
		{"no route api", "/api/v1/nope", nil, nil, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &webtest.Unit{Store: tt.store, Search: tt.search}
			resp, body := u.Do(t, "GET", tt.target)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if strings.Contains(body, "secret detail") {
				t.Errorf("internal detail leaked: %s", body)
			}
			if strings.HasPrefix(tt.target, "/api/") {
				var e struct {
					Error struct{ Code, Message string } `json:"error"`
				}
				if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != tt.code || e.Error.Message == "" {
					t.Errorf("body %s, want error code %q with a message", body, tt.code)
				}
			} else if !strings.Contains(body, `<html lang="ko">`) {
				t.Errorf("not an HTML page: %s", body)
			}
			logged := strings.Contains(u.Logs.String(), "secret detail")
			if (tt.code == "internal") != logged {
				t.Errorf("internal error logged = %v, want %v; logs:\n%s", logged, tt.code == "internal", u.Logs.String())
			}
			if tt.code == "internal" && !strings.Contains(u.Logs.String(), "request_id=") {
				t.Errorf("internal error logged without request id:\n%s", u.Logs.String())
			}
		})
	}
}

// The public /healthz says up or down per dependency and nothing of the
// driver's error (it names the database user, host and port); the admin
// app's says why.
func TestHealthzStates(t *testing.T) {
	const detail = "dial tcp 10.1.2.3:5432: user=dure connection refused"
	down := func(context.Context) error { return errors.New(detail) }
	up := func(context.Context) error { return nil }
	tests := []struct {
		name   string
		checks map[string]func(context.Context) error
		status int
		want   string
	}{
		{"all up", map[string]func(context.Context) error{"postgres": up, "meilisearch": up}, 200, "ok"},
		{"meilisearch down", map[string]func(context.Context) error{"postgres": up, "meilisearch": down}, 200, "degraded"},
		{"postgres down", map[string]func(context.Context) error{"postgres": down, "meilisearch": up}, 503, "down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &webtest.Unit{Checks: tt.checks}
			resp, body := u.Do(t, "GET", "/healthz")
			var h struct {
				Status string            `json:"status"`
				Checks map[string]string `json:"checks"`
			}
			if err := json.Unmarshal([]byte(body), &h); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if resp.StatusCode != tt.status || h.Status != tt.want {
				t.Errorf("got %d %q, want %d %q: %s", resp.StatusCode, h.Status, tt.status, tt.want, body)
			}
			if len(h.Checks) != len(tt.checks) {
				t.Errorf("checks %v", h.Checks)
			}
			for n, st := range h.Checks {
				if st != "up" && st != "down" {
					t.Errorf("%s: %q, want up or down", n, st)
				}
			}
			if strings.Contains(body, "10.1.2.3") || strings.Contains(body, "user=") || strings.Contains(body, "refused") {
				t.Errorf("public /healthz shows the driver's error: %s", body)
			}

			admin := web.NewAdmin(web.Config{Checks: tt.checks})
			resp, err := admin.Test(httptest.NewRequest("GET", "/healthz", nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || (tt.want != "ok") != strings.Contains(string(b), detail) {
				t.Errorf("admin /healthz: %d %s", resp.StatusCode, b)
			}
		})
	}
}

// /livez, the liveness probe, answers 200 whatever the dependencies do:
// with every check failing (and counted) it calls none of them.
func TestLivezAsksNoDependency(t *testing.T) {
	var asked atomic.Int32
	down := func(context.Context) error { asked.Add(1); return errors.New("down") }
	u := &webtest.Unit{Checks: map[string]func(context.Context) error{"postgres": down, "redis": down}}
	resp, body := u.Do(t, "GET", "/livez")
	if resp.StatusCode != 200 || body != "ok" || asked.Load() != 0 {
		t.Errorf("/livez = %d %q with %d checks asked, want 200 ok and none", resp.StatusCode, body, asked.Load())
	}
	if resp, _ := u.Do(t, "GET", "/healthz"); resp.StatusCode != 503 || asked.Load() != 2 {
		t.Errorf("/healthz = %d after %d checks, want 503 after 2", resp.StatusCode, asked.Load())
	}
}

func TestHeadersAndMethods(t *testing.T) {
	u := &webtest.Unit{}
	resp, _ := u.Do(t, "GET", "/")
	for h, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"X-Request-Id":            "",
	} {
		if got := resp.Header.Get(h); got == "" || !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", h, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q does not restrict to self", csp)
	}
	resp, body := u.Do(t, "POST", "/")
	if resp.StatusCode != 405 {
		t.Errorf("POST /: %d, want 405: %s", resp.StatusCode, body)
	}
}

// The client address (the checkout rate limit's key, the access log's ip) is
// read from the proxy header only when the request comes from a trusted
// proxy; from anyone else the header is ignored.
func TestClientIPTrustsConfiguredProxiesOnly(t *testing.T) {
	forwarded := http.Header{"X-Real-Ip": {"203.0.113.7"}}
	for _, tt := range []struct {
		name    string
		proxies []string
		want    bool
	}{
		{"no proxy configured", nil, false},
		{"peer not trusted", []string{"10.0.0.0/8"}, false},
		{"peer trusted", []string{"0.0.0.0/8"}, true}, // app.Test's peer is 0.0.0.0
	} {
		u := &webtest.Unit{Proxies: tt.proxies, Header: forwarded}
		u.Do(t, "GET", "/healthz")
		if got := strings.Contains(u.Logs.String(), "ip=203.0.113.7"); got != tt.want {
			t.Errorf("%s: access log %q; forwarded address used = %v, want %v", tt.name, u.Logs.String(), got, tt.want)
		}
	}
}

// Requests no route takes share the route label "unmatched" (the raw path
// would explode the label set), also behind a middleware an audience adds
// with app.Use after the shared ones.
func TestUnmatchedRequestsShareOneLabel(t *testing.T) {
	m := metrics.New()
	a, _ := web.New(web.Config{Metrics: m, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	a.Use(func(c *fiber.Ctx) error { return c.Next() })
	a.Get("/known/:id", func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	for _, r := range []struct {
		method, target string
		status         int
	}{{"GET", "/nope/1", 404}, {"GET", "/nope/2", 404}, {"POST", "/known/1", 405}, {"GET", "/known/1", 404}} {
		resp, err := a.Test(httptest.NewRequest(r.method, r.target, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != r.status {
			t.Errorf("%s %s: %d, want %d", r.method, r.target, resp.StatusCode, r.status)
		}
	}
	resp, err := a.Test(httptest.NewRequest("POST", "/metrics", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("/metrics on the public app: %d, want 404 (it is on the admin address)", resp.StatusCode)
	}
	resp, err = web.NewAdmin(web.Config{Metrics: m}).Test(httptest.NewRequest("GET", "/metrics", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	text := string(body)
	for _, want := range []string{`_count{code="4xx",method="GET",route="unmatched"} 2`,
		`_count{code="4xx",method="POST",route="unmatched"} 2`, `_count{code="4xx",method="GET",route="/known/:id"} 1`} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, "/nope") {
		t.Error("a raw unmatched path became a label")
	}
}

// A dependency's connection failing (PostgreSQL refused, a reset, a
// deadline on the call, a server that is starting up, shutting down or
// full — the chaos suite met "not yet accepting connections" as a 500
// while PostgreSQL recovered from a crash), or a pooled connection the
// crash closed ("conn closed", met by a payment as a 500), is 503 with
// Retry-After and the Korean message, as the shop's page or as JSON,
// whatever handler met it; the driver's text never reaches the answer.
func TestDependencyDownIs503(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	conn, err := pgconn.Connect(context.Background(), testutil.Config(t).DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.Close(context.Background())
	_, closed := conn.Exec(context.Background(), "SELECT 1").ReadAll()
	if closed == nil {
		t.Fatal("a query on a closed connection did not fail")
	}
	fatal := func(code, msg string) error {
		return &pgconn.PgError{Severity: "FATAL", Code: code, Message: msg}
	}
	for name, cause := range map[string]error{
		"connect refused": fmt.Errorf("postgres: find product 1: failed to connect to `user=dure host=10.1.2.3`: %w", refused),
		"reset":           fmt.Errorf("postgres: find product 1: %w", syscall.ECONNRESET),
		"deadline":        fmt.Errorf("postgres: find product 1: %w", context.DeadlineExceeded),
		"starting up":     fmt.Errorf("postgres: 상품: failed to connect to `user=dure host=10.1.2.3`: %w", fatal("57P03", "the database system is not yet accepting connections")),
		"shutting down":   fmt.Errorf("postgres: 상품: %w", fatal("57P01", "terminating connection due to administrator command")),
		"crash":           fmt.Errorf("postgres: 상품: %w", fatal("57P02", "terminating connection because of crash of another server process")),
		"too many":        fmt.Errorf("postgres: 상품: %w", fatal("53300", "sorry, too many clients already")),
		"connection lost": fmt.Errorf("postgres: 상품: %w", fatal("08006", "connection failure")),
		"conn closed":     fmt.Errorf("postgres: update order: begin: %w", closed),
		"redis EOF":       fmt.Errorf("redis: rate limit: %w", io.EOF),
	} {
		t.Run(name, func(t *testing.T) {
			u := &webtest.Unit{Store: &webtest.FakeStore{FindProductByIDFn: func(context.Context, int64) (*catalog.Product, error) {
				return nil, cause
			}}}
			resp, body := u.Do(t, "GET", "/p/1")
			if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "잠시 후 다시 시도해 주세요") ||
				strings.Contains(body, "10.1.2.3") || !strings.Contains(resp.Header.Get("Content-Type"), "html") {
				t.Errorf("%d, Retry-After %q, %s:\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"), webtest.Truncate(body, 300))
			}
			u.Header = http.Header{"Accept": {"application/json"}}
			resp, body = u.Do(t, "GET", "/p/1")
			if resp.StatusCode != 503 || !strings.Contains(body, `"code":"unavailable"`) {
				t.Errorf("JSON: %d %s", resp.StatusCode, body)
			}
		})
	}
}

// fasthttp refuses a too large body (413) or header (431) before any
// middleware runs; those answers carry the security headers too.
func TestTooLargeAnswersCarrySecurityHeaders(t *testing.T) {
	a, _ := web.New(web.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	a.Post("/", func(c *fiber.Ctx) error { return c.SendString("ok") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.Listener(ln)
	t.Cleanup(func() { _ = a.Shutdown() })
	// Raw requests: the 413 is answered from Content-Length alone, so no
	// body is sent (a client still writing it would see a reset).
	big := "POST / HTTP/1.1\r\nHost: dure.test\r\nContent-Length: 2097152\r\n\r\n"
	long := "GET / HTTP/1.1\r\nHost: dure.test\r\nX-Long: " + strings.Repeat("a", 32<<10) + "\r\n\r\n"
	for want, raw := range map[int]string{413: big, 431: long} {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := io.WriteString(conn, raw); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("status %d, want %d", resp.StatusCode, want)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
			if resp.Header.Get(h) == "" {
				t.Errorf("%d answer without %s", want, h)
			}
		}
	}
}
