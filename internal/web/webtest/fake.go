package webtest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/app"
)

// These fakes are for the web layer's own logic — error mapping, degraded
// notices, health states, headers, views. The app on the real services is
// Env.

// FakeStore is a catalog.Store whose methods are functions (wtf's …Fn
// style); a nil function answers NotFound or nothing.
type FakeStore struct {
	FindProductByIDFn    func(ctx context.Context, id int64) (*catalog.Product, error)
	FindProductsFn       func(ctx context.Context, f catalog.ProductFilter) ([]*catalog.Product, int, error)
	FindEnterpriseByIDFn func(ctx context.Context, id int64) (*catalog.Enterprise, error)
}

// FindProductByID calls FindProductByIDFn; NotFound without it.
func (f *FakeStore) FindProductByID(ctx context.Context, id int64) (*catalog.Product, error) {
	if f.FindProductByIDFn != nil {
		return f.FindProductByIDFn(ctx, id)
	}
	return nil, apperr.Errorf(apperr.NotFound, "상품을 찾을 수 없습니다.")
}

// FindProducts calls FindProductsFn; none without it.
func (f *FakeStore) FindProducts(ctx context.Context, flt catalog.ProductFilter) ([]*catalog.Product, int, error) {
	if f.FindProductsFn != nil {
		return f.FindProductsFn(ctx, flt)
	}
	return nil, 0, nil
}

// FindEnterpriseByID calls FindEnterpriseByIDFn; NotFound without it.
func (f *FakeStore) FindEnterpriseByID(ctx context.Context, id int64) (*catalog.Enterprise, error) {
	if f.FindEnterpriseByIDFn != nil {
		return f.FindEnterpriseByIDFn(ctx, id)
	}
	return nil, apperr.Errorf(apperr.NotFound, "기업을 찾을 수 없습니다.")
}

// FindDirectory answers an empty directory.
func (f *FakeStore) FindDirectory(context.Context, catalog.DirectoryFilter) (*catalog.Directory, error) {
	return &catalog.Directory{TypeCounts: map[catalog.EnterpriseType]int{}, RegionCounts: map[catalog.Region]int{}}, nil
}

// FindCategories answers 식품 (id 1) with its child 과일 (id 2, slug fruit).
func (f *FakeStore) FindCategories(context.Context) ([]*catalog.Category, error) {
	parent := int64(1)
	return []*catalog.Category{
		{ID: 1, Slug: "food", Name: "식품"},
		{ID: 2, Slug: "fruit", Name: "과일", ParentID: &parent},
	}, nil
}

// SearchFn is a search.Searcher as a function.
type SearchFn func(ctx context.Context, q search.Query) (*search.Result, error)

// Search calls f.
func (f SearchFn) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	return f(ctx, q)
}

// OKSearch finds nothing, successfully.
func OKSearch(ctx context.Context, q search.Query) (*search.Result, error) {
	return &search.Result{Page: q.Page, PerPage: q.PerPage, Facets: map[string][]search.FacetValue{}}, nil
}

// Unit is the whole app on fakes: Store (default an empty FakeStore), Search
// (default OKSearch), the /healthz Checks, trusted Proxies (their address
// header is X-Real-IP) and Header sent with every request; the app's log
// goes to Logs. Without carts, the cart and order routes answer 503.
type Unit struct {
	Store   *FakeStore
	Search  SearchFn
	Checks  map[string]func(context.Context) error
	Proxies []string // app.Deps.TrustedProxies
	Header  http.Header
	Logs    bytes.Buffer
}

// Do builds the app and runs one request through it, returning the response
// with its body read.
func (u *Unit) Do(t *testing.T, method, target string) (*http.Response, string) {
	t.Helper()
	if u.Store == nil {
		u.Store = &FakeStore{}
	}
	if u.Search == nil {
		u.Search = OKSearch
	}
	a := app.New(app.Deps{Catalog: u.Store, Search: u.Search, Checks: u.Checks, Metrics: metrics.New(),
		Log: slog.New(slog.NewTextHandler(&u.Logs, nil)), TrustedProxies: u.Proxies, ProxyHeader: "X-Real-IP"})
	req := httptest.NewRequest(method, target, nil)
	for k, v := range u.Header {
		req.Header[k] = v
	}
	resp, err := a.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}
