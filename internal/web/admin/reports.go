package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/web/view"
)

type reportsView struct {
	layout
	Report *view.ReportPage
}

// procurementPage is GET /admin/reports/procurement: the priority-purchase
// report (우선구매 실적) of every institution, or of one (institution), for
// a fiscal year, a quarter or a range of dates.
func (s *server) procurementPage(c *fiber.Ctx) error {
	if s.Reports == nil {
		return fiber.ErrServiceUnavailable
	}
	list, err := s.Reports.Institutions(c.UserContext())
	if err != nil {
		return err
	}
	p, status, err := view.BuildReportPage(c, s.Reports, "/admin/reports/procurement", list)
	if err != nil {
		return err
	}
	v := reportsView{Report: p}
	v.Title, v.Nav = "우선구매 실적", navReports
	c.Status(status)
	return s.render(c, "admin/reports", &v)
}

// procurementFile is GET /admin/reports/procurement.csv and .xlsx.
func (s *server) procurementFile(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s.Reports == nil {
			return fiber.ErrServiceUnavailable
		}
		return view.SendReport(c, s.Reports, format)
	}
}

type salesView struct {
	layout
	Report *view.SalesPage
}

// salesPage is GET /admin/reports/sales: the operators' sales report of
// both channels for a fiscal year, a quarter, a month or a range of dates;
// a wrong period answers 400 with the form kept and the reason in Korean.
func (s *server) salesPage(c *fiber.Ctx) error {
	if s.Reports == nil {
		return fiber.ErrServiceUnavailable
	}
	p, status, err := view.BuildSalesPage(c, s.Reports, "/admin/reports/sales")
	if err != nil {
		return err
	}
	v := salesView{Report: p}
	v.Title, v.Nav = "판매 실적", navSales
	c.Status(status)
	return s.render(c, "admin/sales", &v)
}

// salesFile is GET /admin/reports/sales.csv and .xlsx.
func (s *server) salesFile(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s.Reports == nil {
			return fiber.ErrServiceUnavailable
		}
		return view.SendSales(c, s.Reports, format)
	}
}
