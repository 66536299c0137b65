package shop

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/view"
)

type categoryView struct {
	layout
	listing
	Category *catalog.Category
	Path     []*catalog.Category
	Children []categoryLink
	Heading  string
}

type categoryLink struct {
	Name     string
	URL      string
	ImageURL string
	Count    int
}

// categoryPage lists the products of a category and everything below it,
// through search, so facets, sort and pagination come with it.
func (s *server) categoryPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	ix, err := s.Categories.Get(ctx)
	if err != nil {
		return err
	}
	cat := ix.BySlug(c.Params("slug"))
	if cat == nil {
		return apperr.Errorf(apperr.NotFound, "카테고리를 찾을 수 없습니다.")
	}
	v, typed, q, errs, err := listingQuery(c, "category") // the page is the category
	if err != nil {
		return err
	}
	q.CategoryID = cat.ID
	live := s.discountsLive(ctx) // asked while the search runs
	res, err := s.Search.Search(ctx, q)
	if err != nil {
		return err
	}
	action := view.CategoryURL(cat.Slug)
	pv := categoryView{
		listing:  buildListing(listingOptions{action: action, fixedCatID: cat.ID, showFacets: true}, v, q, res, ix),
		Category: cat,
		Path:     ix.Path(cat.ID),
		Heading:  cat.Name + " " + strconv.Itoa(res.Total) + "개",
	}
	s.listingCards(c, &pv.layout, pv.Cards, live) // campaign prices at render, cart forms
	counts := map[string]int{}
	for _, fv := range res.Facets[search.FacetCategory] {
		counts[fv.Value] = fv.Count
	}
	for _, ch := range cat.Children {
		pv.Children = append(pv.Children, categoryLink{Name: ch.Name, URL: view.CategoryURL(ch.Slug),
			ImageURL: view.CategoryImageURL(ch.Slug), Count: counts[strconv.FormatInt(ch.ID, 10)]})
	}
	pv.withErrors(c, typed, errs)
	pv.Title = cat.Name
	pv.Q = q.Text
	pv.Description = "두레 사회적경제 공동판매장의 " + cat.Name + " 상품"
	return s.render(c, "shop/category", &pv)
}
