package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
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
	id, err := parseID(c.Params("id"), "기업")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	e, err := s.Catalog.FindEnterpriseByID(ctx, id)
	if err != nil {
		return friendlyNotFound(err, "기업을 찾을 수 없습니다.")
	}
	v, q, err := searchParams(c, "enterprise") // the page is the enterprise
	if err != nil {
		return err
	}
	q.EnterpriseID = e.ID
	res, err := s.Search.Search(ctx, q)
	if err != nil {
		return err
	}
	ix, err := s.cats.get(ctx)
	if err != nil {
		return err
	}
	view := enterpriseView{
		listing:  buildListing(listingOptions{action: enterpriseURL(e.ID)}, v, q, res, ix),
		E:        e,
		About:    typeAbout[e.Type],
		Shipping: shippingLines(catalog.Goods, e.Shipping),
	}
	view.Title = e.Name
	view.Description = e.Name + " (" + e.Type.Label() + ", " + e.Region.Label() + ") — " + e.Mission
	return s.render(c, "enterprise", &view)
}

type enterprisesView struct {
	layout
	Enterprises []*catalog.Enterprise
	Total       int
	Pager       pager
}

// enterprisesPage lists the member enterprises by name.
func (s *server) enterprisesPage(c *fiber.Ctx) error {
	v, err := queryValues(c)
	if err != nil {
		return err
	}
	page, per, err := pageParams(v, 30, 100)
	if err != nil {
		return err
	}
	list, total, err := s.Catalog.FindEnterprises(c.UserContext(), per, (page-1)*per)
	if err != nil {
		return err
	}
	view := enterprisesView{Enterprises: list, Total: total}
	view.Pager = buildPager(page, totalPages(total, per, 1000), func(n int) string {
		if n == 1 {
			return "/enterprises"
		}
		return "/enterprises?page=" + strconv.Itoa(n)
	})
	view.Title = "입점기업"
	view.Nav = "enterprises"
	view.Description = "두레에 함께하는 사회적경제기업 " + kr.Comma(int64(total)) + "곳"
	return s.render(c, "enterprises", &view)
}
