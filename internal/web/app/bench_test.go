package app_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// BenchmarkPages measures whole requests through the app (middleware,
// handlers, real PostgreSQL and Meilisearch, template rendering).
func BenchmarkPages(b *testing.B) {
	e := webtest.NewEnv(b)
	var list struct {
		Data []struct {
			URL string `json:"url"`
		} `json:"data"`
	}
	e.JSON(b, "/api/v1/products?per_page=1", http.StatusOK, &list)
	product := list.Data[0].URL
	for _, target := range []string{product, "/search?q=%EC%82%AC%EA%B3%BC", "/api/v1/search?q=%EC%82%AC%EA%B3%BC", "/api/v1/products" + product[len("/p"):], "/"} {
		b.Run(target, func(b *testing.B) {
			for b.Loop() {
				resp, err := e.App.Test(httptest.NewRequest(http.MethodGet, target, nil), -1)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("GET %s: %v %v", target, err, resp.StatusCode)
				}
				resp.Body.Close()
			}
		})
	}
}
