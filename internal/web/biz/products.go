package biz

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/view"
)

// Price is a public price as /biz shows it: 공급가액 + 부가세 = 합계 (면세: no
// 부가세).
type Price struct {
	Supply, VAT, Total int64
	Exempt             bool
}

// publicPrice is the one place /biz turns a product's public price into
// what a buyer sees; when package pricing (price lists with volume tiers)
// lands, this function calls it instead.
func publicPrice(total int64, tax catalog.TaxType) Price {
	supply, vat := catalog.SplitVAT(total, tax)
	return Price{Supply: supply, VAT: vat, Total: total, Exempt: tax == catalog.Exempt}
}

// productRow is a product in the public-price list.
type productRow struct {
	ID         int64
	URL        string
	Name       string
	Enterprise string
	Type       string
	TypeKey    string
	Price      Price
	InStock    bool
}

type productsView struct {
	layout
	Q        string
	Rows     []productRow
	Total    int
	Pager    view.Pager
	Degraded bool
}

const perPage = 24

// productsPage is GET /biz/products: the catalogue at public prices, found
// by the shop's search (q, page).
func (s *server) productsPage(c *fiber.Ctx) error {
	if s.Search == nil {
		return fiber.ErrServiceUnavailable
	}
	qv, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(qv, perPage, perPage)
	if err != nil {
		return err
	}
	v := &productsView{Q: qv.Get("q")}
	v.Title, v.Nav = "공공구매 상품", navProducts
	res, err := s.Search.Search(c.UserContext(), search.Query{Text: v.Q, Page: page, PerPage: perPage})
	if err != nil {
		return err
	}
	for _, h := range res.Hits {
		v.Rows = append(v.Rows, productRow{ID: h.ProductID, URL: view.ProductURL(h.ProductID), Name: h.Name,
			Enterprise: h.EnterpriseName, Type: h.EnterpriseType.Label(), TypeKey: string(h.EnterpriseType),
			Price: publicPrice(h.PublicPrice, h.TaxType), InStock: h.InStock})
	}
	v.Total, v.Degraded = res.Total, res.Degraded
	v.Pager = view.BuildPager(page, view.TotalPages(res.Total, perPage, 0), func(n int) string {
		return view.PageURL("/biz/products", url.Values{"q": {v.Q}}, n)
	})
	return s.render(c, "biz/products", v)
}
