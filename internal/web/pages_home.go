package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
)

type homeView struct {
	layout
	Categories []*catalog.Category
	Featured   []productCard
	New        []productCard
	Types      []typeInfo
}

// homePage shows the search box, the category tree, featured and new products
// and what the co-op and its enterprise types are.
func (s *server) homePage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	ix, err := s.cats.get(ctx)
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
	if v.Featured, err = s.cardsWithEnterprises(ctx, featured); err != nil {
		return err
	}
	// New arrivals come from search, which carries the enterprise fields; a
	// search outage only empties this shelf.
	if res, err := s.Search.Search(ctx, search.Query{Sort: search.SortNewest, Page: 1, PerPage: 8}); err == nil {
		for _, h := range res.Hits {
			v.New = append(v.New, cardFromHit(h))
		}
	} else {
		s.Log.Warn("home: new products", "request_id", requestIDOf(c), "err", err)
	}
	return s.render(c, "home", &v)
}

// enterprisesByIDs is implemented by stores that can fetch many enterprises
// in one query (postgres.CatalogStore); others are asked one by one.
type enterprisesByIDs interface {
	FindEnterprisesByIDs(ctx context.Context, ids []int64) (map[int64]*catalog.Enterprise, error)
}

// cardsWithEnterprises makes cards of catalogue products, with their
// enterprises' names and types.
func (s *server) cardsWithEnterprises(ctx context.Context, products []*catalog.Product) ([]productCard, error) {
	ents, err := s.enterprisesOf(ctx, products)
	if err != nil {
		return nil, err
	}
	cards := make([]productCard, 0, len(products))
	for _, p := range products {
		cards = append(cards, cardFromProduct(p, ents[p.EnterpriseID]))
	}
	return cards, nil
}

func (s *server) enterprisesOf(ctx context.Context, products []*catalog.Product) (map[int64]*catalog.Enterprise, error) {
	var ids []int64
	seen := map[int64]bool{}
	for _, p := range products {
		if !seen[p.EnterpriseID] {
			seen[p.EnterpriseID] = true
			ids = append(ids, p.EnterpriseID)
		}
	}
	if len(ids) == 0 {
		return map[int64]*catalog.Enterprise{}, nil
	}
	if f, ok := s.Catalog.(enterprisesByIDs); ok {
		return f.FindEnterprisesByIDs(ctx, ids)
	}
	out := make(map[int64]*catalog.Enterprise, len(ids))
	for _, id := range ids {
		e, err := s.Catalog.FindEnterpriseByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out[id] = e
	}
	return out, nil
}

// render writes an HTML page. data is a pointer to a view embedding layout,
// whose header fields (cart count, CSRF token) are filled here.
func (s *server) render(c *fiber.Ctx, page string, data any) error {
	if l, ok := data.(interface{ base() *layout }); ok {
		s.fillLayout(c, l.base())
	}
	c.Type("html", "utf-8")
	return s.Templates.Render(c, page, data)
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
