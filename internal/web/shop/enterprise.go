package shop

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/view"
)

type enterpriseView struct {
	layout
	listing
	E        *catalog.Enterprise
	About    string
	Shipping []string
}

// enterprisePage shows an enterprise's profile and its products.
func (s *server) enterprisePage(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "기업")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	e, err := s.Catalog.FindEnterpriseByID(ctx, id)
	if err != nil {
		return view.FriendlyNotFound(err, "기업을 찾을 수 없습니다.")
	}
	v, q, err := view.SearchParams(c, "enterprise") // the page is the enterprise
	if err != nil {
		return err
	}
	q.EnterpriseID = e.ID
	res, err := s.Search.Search(ctx, q)
	if err != nil {
		return err
	}
	ix, err := s.Categories.Get(ctx)
	if err != nil {
		return err
	}
	pv := enterpriseView{
		listing:  buildListing(listingOptions{action: view.EnterpriseURL(e.ID)}, v, q, res, ix),
		E:        e,
		About:    typeAbout[e.Type],
		Shipping: shippingLines(catalog.Goods, e.Shipping),
	}
	s.priceCards(ctx, pv.Cards) // campaign prices, at render
	s.cartCards(c, &pv.layout, pv.Cards)
	pv.Title = e.Name
	pv.Description = e.Name + " (" + e.Type.Label() + ", " + e.Region.Label() + ") — " + e.Mission
	return s.render(c, "shop/enterprise", &pv)
}

type enterprisesView struct {
	layout
	Enterprises []*catalog.Enterprise
	Total       int
	Pager       view.Pager
}

// enterprisesPage lists the member enterprises by name.
func (s *server) enterprisesPage(c *fiber.Ctx) error {
	v, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, per, err := view.PageParams(v, 30, 100)
	if err != nil {
		return err
	}
	list, total, err := s.Catalog.FindEnterprises(c.UserContext(), per, (page-1)*per)
	if err != nil {
		return err
	}
	pv := enterprisesView{Enterprises: list, Total: total}
	pv.Pager = view.BuildPager(page, view.TotalPages(total, per, 1000), func(n int) string {
		if n == 1 {
			return "/enterprises"
		}
		return "/enterprises?page=" + strconv.Itoa(n)
	})
	pv.Title = "입점기업"
	pv.Nav = "enterprises"
	pv.Description = "두레에 함께하는 사회적경제기업 " + kr.Comma(int64(total)) + "곳"
	return s.render(c, "shop/enterprises", &pv)
}
