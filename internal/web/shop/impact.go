package shop

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/order"
)

// Impact per purchase on the shop's pages: the estimate of what buying a
// product, or an order, does, from the figures each enterprise declared
// (with their year and basis), rounded as impact.Estimate rounds.

// productImpact estimates buying one of p at its consumer price: for a
// joint product, each part's enterprise at its share.
// With facts (the page's one read) a product that is not a bundle costs
// no further read.
func (s *server) productImpact(c *fiber.Ctx, p *catalog.Product, parts []catalog.BundlePart, facts *catalog.PageFacts) ([]impact.StatementRow, error) {
	if s.Impact == nil {
		return nil, nil
	}
	var ps []impact.Purchase
	if len(parts) == 0 {
		name := ""
		if p.Enterprise != nil {
			name = p.Enterprise.Name
		}
		ps = []impact.Purchase{{EnterpriseID: p.EnterpriseID, EnterpriseName: name, Amount: p.ConsumerPrice}}
	}
	if len(parts) == 0 && facts != nil {
		return impact.EstimateRows(ps, map[int64][]impact.Figure{p.EnterpriseID: facts.Figures}), nil
	}
	for _, bp := range parts {
		ps = addPurchase(ps, bp.Product.EnterpriseID, bp.Product.Enterprise.Name, bp.Share)
	}
	return s.Impact.EstimatePurchases(c.UserContext(), ps)
}

// orderImpact estimates an order's parts that are not cancelled, each at
// what its lines cost.
func (s *server) orderImpact(c *fiber.Ctx, o *order.Order) []impact.StatementRow {
	if s.Impact == nil {
		return nil
	}
	var ps []impact.Purchase
	for _, so := range o.SubOrders {
		if so.Status == order.SubCancelled {
			continue
		}
		for _, l := range so.Lines {
			ps = addPurchase(ps, so.EnterpriseID, so.EnterpriseName, l.LineTotal)
		}
	}
	rows, err := s.Impact.EstimatePurchases(c.UserContext(), ps)
	if err != nil {
		// The estimate is an aside on the order page: the page shows
		// without it rather than failing.
		return nil
	}
	return rows
}

func addPurchase(ps []impact.Purchase, id int64, name string, amount int64) []impact.Purchase {
	for i := range ps {
		if ps[i].EnterpriseID == id {
			ps[i].Amount += amount
			return ps
		}
	}
	return append(ps, impact.Purchase{EnterpriseID: id, EnterpriseName: name, Amount: amount})
}
