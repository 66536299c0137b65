// Package api is the JSON API under /api/v1: products, search, search-box
// suggestions, categories, enterprises and the cart for everyone, and under
// /api/v1/portal an enterprise's own products and orders (portal.go), for
// its programs with an API key or for its signed-in members. The OpenAPI
// 3.1 document of all of it is served at /api/v1/openapi.json. Lists are
// {"data":[…],"pagination":{…}}, single items {"data":{…}}, errors
// {"error":{"code","message","fields","request_id"}} (web.Kit.JSONErrors).
package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// Deps is what the API needs; internal/web/app builds it.
type Deps struct {
	// Catalog reads products, enterprises and categories.
	Catalog catalog.Store
	// Search answers /api/v1/search.
	Search search.Searcher
	// Categories is the app's shared category tree.
	Categories *view.Categories
	// Carts keeps the shoppers' carts; with Orders nil, the cart routes
	// answer 503.
	Carts  *cart.Service
	Orders *order.Service
	// Suggest answers /api/v1/suggest for the search box; nil leaves the
	// route out.
	Suggest search.Suggester
	// Manager writes and finds an enterprise's products for
	// /api/v1/portal (nil: those routes answer 503); Orders fulfils its
	// sub-orders.
	Manager *catalog.Manager
}

// server holds the dependencies for the handlers.
type server struct {
	Deps
	kit *web.Kit
}

// Mount registers the API under /api/v1 on r; every error under /api/ is
// answered in JSON.
func Mount(r fiber.Router, k *web.Kit, d Deps) {
	s := &server{Deps: d, kit: k}
	k.JSONErrors("/api/")
	api := r.Group("/api/v1")
	api.Get("/products", s.apiProducts)
	api.Get("/products/:id", s.apiProduct)
	api.Get("/search", s.apiSearch)
	if s.Suggest != nil {
		api.Get("/suggest", SuggestHandler(s.Suggest))
	}
	api.Get("/categories", s.apiCategories)
	api.Get("/enterprises", s.apiEnterprises)
	api.Get("/enterprises/:id", s.apiEnterprise)

	// The cart API: writes must be declared JSON (see web.CheckJSONWrite).
	cartAPI := func(h fiber.Handler) []fiber.Handler { return []fiber.Handler{s.needOrders, web.CheckJSONWrite, h} }
	api.Get("/cart", cartAPI(s.apiCart)...)
	api.Delete("/cart", cartAPI(s.apiCartClear)...)
	api.Post("/cart/items", cartAPI(s.apiCartAdd)...)
	api.Patch("/cart/items/:key", cartAPI(s.apiCartUpdate)...)
	api.Delete("/cart/items/:key", cartAPI(s.apiCartRemove)...)

	s.mountPortal(api)
	api.Get("/openapi.json", openAPIDocument)
}

// needOrders answers 503 when the app was built without carts and orders.
func (s *server) needOrders(c *fiber.Ctx) error {
	if s.Carts == nil || s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

// currency is the ISO code of every amount in the API: whole won, no decimals.
const currency = "KRW"

// pagination is the list metadata of every paginated API response.
type pagination struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Total      int `json:"total"`
	TotalPages int `json:"total_pages"`
}

// listResponse is the body of every API list: data plus pagination.
type listResponse struct {
	Data       any        `json:"data"`
	Pagination pagination `json:"pagination"`
}

// itemResponse is the body of every API single-item response.
type itemResponse struct {
	Data any `json:"data"`
}

type enterpriseRef struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Type      string `json:"type"`
	TypeLabel string `json:"type_label"`
	Region    string `json:"region,omitempty"`
	URL       string `json:"url"`
}
