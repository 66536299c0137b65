package shop

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/board"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

type homeView struct {
	layout
	Categories []*catalog.Category
	Featured   []view.Card
	New        []view.Card
	Types      []typeInfo
	// Campaigns are the featured campaigns live now.
	Campaigns []campaignCard
	// Notices and Downloads are the board's latest published posts.
	Notices, Downloads []postItem
	Board              bool
}

// homePage shows the search box, the category tree, featured and new products
// and what the co-op and its enterprise types are.
func (s *server) homePage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	ix, err := s.Categories.Get(ctx)
	if err != nil {
		return err
	}
	live := s.discountsLive(ctx) // asked while the shelves are read
	featured, _, err := s.Catalog.FindProducts(ctx, catalog.ProductFilter{Featured: true, Limit: 8, NoTotal: true})
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
		s.kit.Log.Warn("home: new products", "request_id", web.RequestID(c), "err", err)
	}
	shelves := append(slices.Clip(v.Featured), v.New...) // priced in one query
	s.priceCards(ctx, shelves, live)
	copy(v.Featured, shelves)
	copy(v.New, shelves[len(v.Featured):])
	s.cartCards(c, &v.layout, v.Featured)
	s.cartCards(c, &v.layout, v.New)
	if s.Curation != nil {
		cs, err := s.Curation.LiveCampaigns(ctx, "", true, 4)
		if err != nil {
			return err
		}
		for _, x := range cs {
			v.Campaigns = append(v.Campaigns, cardOfCampaign(x))
		}
	}
	if s.Board != nil {
		latest, err := s.Board.Latest(ctx, 4)
		if err != nil {
			return err
		}
		v.Board, v.Notices, v.Downloads = true, postItems(latest[board.Notice]), postItems(latest[board.Download])
	}
	return s.render(c, "shop/home", &v)
}
