package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/view"
)

type homeView struct {
	layout
	Categories []*catalog.Category
	Featured   []view.Card
	New        []view.Card
	Types      []typeInfo
}

// homePage shows the search box, the category tree, featured and new products
// and what the co-op and its enterprise types are.
func (s *server) homePage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	ix, err := s.cats.Get(ctx)
	if err != nil {
		return err
	}
	featured, _, err := s.Catalog.FindProducts(ctx, catalog.ProductFilter{Featured: true, Limit: 8})
	if err != nil {
		return err
	}
	v := homeView{Categories: ix.Roots, Types: enterpriseTypeInfos()}
	v.HideSearch = true
	v.Description = "두레는 사회적기업·마을기업·자활기업·협동조합의 상품과 서비스를 한곳에서 만나는 사회적경제 공동판매장입니다."
	if v.Featured, err = view.CardsWithEnterprises(ctx, s.Catalog, featured); err != nil {
		return err
	}
	// New arrivals come from search, which carries the enterprise fields; a
	// search outage only empties this shelf.
	if res, err := s.Search.Search(ctx, search.Query{Sort: search.SortNewest, Page: 1, PerPage: 8}); err == nil {
		for _, h := range res.Hits {
			v.New = append(v.New, view.CardFromHit(h))
		}
	} else {
		s.Log.Warn("home: new products", "request_id", requestIDOf(c), "err", err)
	}
	return s.render(c, "shop/home", &v)
}

// render writes a shop page ("shop/product") in the shop's layout. data is
// a pointer to a view embedding layout, whose header fields (cart count, CSRF
// token) are filled here.
func (s *server) render(c *fiber.Ctx, page string, data any) error {
	var l *layout
	if v, ok := data.(interface{ base() *layout }); ok {
		l = v.base()
		s.fillLayout(c, l)
	} else {
		l = &layout{}
	}
	c.Type("html", "utf-8")
	return s.Templates.Render(c, page, newBaseView(l, data))
}

// baseView is the dot of the shop's layout (templates/layouts/shop.html):
// the layout, the page's own view (the dot of its "content" template) and
// the header's current link, decided here rather than by eq calls in the
// template.
type baseView struct {
	L    *layout
	Page any

	NavEnterprises, NavOrders, NavCart bool
}

func newBaseView(l *layout, page any) *baseView {
	return &baseView{L: l, Page: page, NavEnterprises: l.Nav == "enterprises", NavOrders: l.Nav == "orders", NavCart: l.Nav == "cart"}
}

// fillLayout sets the header's cart count (one HLEN, and only for a browser
// that has a cart) and, on pages with forms, the CSRF token.
func (s *server) fillLayout(c *fiber.Ctx, l *layout) {
	if l.Forms {
		l.CSRF = s.csrfToken(c)
	}
	if s.Carts == nil {
		return
	}
	if id, st := s.readCart(c); st == cartValid {
		n, err := s.Carts.Count(c.UserContext(), id)
		if err != nil {
			s.Log.Warn("cart count", "request_id", requestIDOf(c), "err", err)
		}
		l.CartCount = n
	}
}
