package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web"
)

// These tests cover the web layer's own logic — error mapping, degraded
// notices, health states, headers — with fakes of the domain interfaces. The
// storefront on the real services is tested in storefront_test.go.

// fakeStore is a catalog.Store whose methods are functions (wtf's …Fn style).
type fakeStore struct {
	FindProductByIDFn    func(ctx context.Context, id int64) (*catalog.Product, error)
	FindProductsFn       func(ctx context.Context, f catalog.ProductFilter) ([]*catalog.Product, int, error)
	FindEnterpriseByIDFn func(ctx context.Context, id int64) (*catalog.Enterprise, error)
}

func (f *fakeStore) FindProductByID(ctx context.Context, id int64) (*catalog.Product, error) {
	if f.FindProductByIDFn != nil {
		return f.FindProductByIDFn(ctx, id)
	}
	return nil, apperr.Errorf(apperr.NotFound, "상품을 찾을 수 없습니다.")
}

func (f *fakeStore) FindProducts(ctx context.Context, flt catalog.ProductFilter) ([]*catalog.Product, int, error) {
	if f.FindProductsFn != nil {
		return f.FindProductsFn(ctx, flt)
	}
	return nil, 0, nil
}

func (f *fakeStore) FindEnterpriseByID(ctx context.Context, id int64) (*catalog.Enterprise, error) {
	if f.FindEnterpriseByIDFn != nil {
		return f.FindEnterpriseByIDFn(ctx, id)
	}
	return nil, apperr.Errorf(apperr.NotFound, "기업을 찾을 수 없습니다.")
}

func (f *fakeStore) FindEnterprises(context.Context, int, int) ([]*catalog.Enterprise, int, error) {
	return nil, 0, nil
}

func (f *fakeStore) FindCategories(context.Context) ([]*catalog.Category, error) {
	parent := int64(1)
	return []*catalog.Category{
		{ID: 1, Slug: "food", Name: "식품"},
		{ID: 2, Slug: "fruit", Name: "과일", ParentID: &parent},
	}, nil
}

// searchFn is a search.Searcher as a function.
type searchFn func(ctx context.Context, q search.Query) (*search.Result, error)

func (f searchFn) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	return f(ctx, q)
}

func okSearch(ctx context.Context, q search.Query) (*search.Result, error) {
	return &search.Result{Page: q.Page, PerPage: q.PerPage, Facets: map[string][]search.FacetValue{}}, nil
}

type unitApp struct {
	store   *fakeStore
	search  searchFn
	checks  map[string]func(context.Context) error
	proxies []string // Deps.TrustedProxies
	header  http.Header
	logs    bytes.Buffer
}

func (u *unitApp) do(t *testing.T, method, target string) (*http.Response, string) {
	t.Helper()
	if u.store == nil {
		u.store = &fakeStore{}
	}
	if u.search == nil {
		u.search = okSearch
	}
	app := web.New(web.Deps{Catalog: u.store, Search: u.search, Checks: u.checks, Metrics: metrics.New(),
		Log: slog.New(slog.NewTextHandler(&u.logs, nil)), TrustedProxies: u.proxies, ProxyHeader: "X-Real-IP"})
	req := httptest.NewRequest(method, target, nil)
	for k, v := range u.header {
		req.Header[k] = v
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestDegradedSearchShowsNotice(t *testing.T) {
	u := &unitApp{search: func(ctx context.Context, q search.Query) (*search.Result, error) {
		return &search.Result{Total: 1, Page: 1, PerPage: 24, Degraded: true, Hits: []search.Hit{{
			ProductID: 5, Name: "사과잼", NameHighlight: search.HighlightPre + "사과" + search.HighlightPost + "잼",
			EnterpriseName: "희망", EnterpriseType: catalog.SelfSufficiency, ConsumerPrice: 8900, InStock: true,
		}}}, nil
	}}
	resp, body := u.do(t, "GET", "/search?q=%EC%82%AC%EA%B3%BC")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"검색이 잠시 간소화된 모드로 동작 중입니다", "<mark>사과</mark>잼", "8,900원", "/media/products/5.svg"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	_, body = u.do(t, "GET", "/api/v1/search?q=%EC%82%AC%EA%B3%BC")
	if !strings.Contains(body, `"degraded":true`) {
		t.Errorf("API body lacks degraded:true: %s", body)
	}
}

func TestErrorsMapToStatusAndSafeMessages(t *testing.T) {
	leak := "dial tcp 10.0.0.7:5432: secret detail"
	tests := []struct {
		name, target string
		store        *fakeStore
		search       searchFn
		status       int
		code         string
	}{
		{"search unavailable page", "/search?q=x", nil, func(context.Context, search.Query) (*search.Result, error) {
			return nil, apperr.Errorf(apperr.Unavailable, "지금은 검색을 할 수 없습니다.")
		}, 503, "unavailable"},
		{"search unavailable api", "/api/v1/search?q=x", nil, func(context.Context, search.Query) (*search.Result, error) {
			return nil, apperr.Errorf(apperr.Unavailable, "지금은 검색을 할 수 없습니다.")
		}, 503, "unavailable"},
		{"internal error page", "/p/3", &fakeStore{FindProductByIDFn: func(context.Context, int64) (*catalog.Product, error) {
			return nil, errors.New(leak)
		}}, nil, 500, "internal"},
		{"internal error api", "/api/v1/products/3", &fakeStore{FindProductByIDFn: func(context.Context, int64) (*catalog.Product, error) {
			return nil, errors.New(leak)
		}}, nil, 500, "internal"},
		{"panic", "/e/3", &fakeStore{FindEnterpriseByIDFn: func(context.Context, int64) (*catalog.Enterprise, error) {
			panic(leak)
		}}, nil, 500, "internal"},
		{"conflict", "/api/v1/enterprises/3", &fakeStore{FindEnterpriseByIDFn: func(context.Context, int64) (*catalog.Enterprise, error) {
			return nil, apperr.Errorf(apperr.Conflict, "충돌")
		}}, nil, 409, "conflict"},
		{"unknown id", "/api/v1/products/99999999", nil, nil, 404, "not_found"},
		{"bad id", "/api/v1/products/-1", nil, nil, 400, "invalid"},
		{"id too large", "/api/v1/products/99999999999999999999", nil, nil, 400, "invalid"},
		{"bad escape", "/api/v1/search?q=%zz", nil, nil, 400, "invalid"},
		{"no route api", "/api/v1/nope", nil, nil, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &unitApp{store: tt.store, search: tt.search}
			resp, body := u.do(t, "GET", tt.target)
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
			logged := strings.Contains(u.logs.String(), "secret detail")
			if (tt.code == "internal") != logged {
				t.Errorf("internal error logged = %v, want %v; logs:\n%s", logged, tt.code == "internal", u.logs.String())
			}
			if tt.code == "internal" && !strings.Contains(u.logs.String(), "request_id=") {
				t.Errorf("internal error logged without request id:\n%s", u.logs.String())
			}
		})
	}
}

func TestHealthzStates(t *testing.T) {
	down := func(context.Context) error { return errors.New("connection refused") }
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
			u := &unitApp{checks: tt.checks}
			resp, body := u.do(t, "GET", "/healthz")
			var h struct {
				Status string                                    `json:"status"`
				Checks map[string]struct{ Status, Error string } `json:"checks"`
			}
			if err := json.Unmarshal([]byte(body), &h); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || h.Status != tt.want {
				t.Errorf("got %d %q, want %d %q: %s", resp.StatusCode, h.Status, tt.status, tt.want, body)
			}
			if len(h.Checks) != len(tt.checks) {
				t.Errorf("checks %v", h.Checks)
			}
		})
	}
}

func TestHeadersAndMethods(t *testing.T) {
	u := &unitApp{}
	resp, _ := u.do(t, "GET", "/")
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
	resp, body := u.do(t, "POST", "/")
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
		u := &unitApp{proxies: tt.proxies, header: forwarded}
		u.do(t, "GET", "/healthz")
		if got := strings.Contains(u.logs.String(), "ip=203.0.113.7"); got != tt.want {
			t.Errorf("%s: access log %q; forwarded address used = %v, want %v", tt.name, u.logs.String(), got, tt.want)
		}
	}
}
