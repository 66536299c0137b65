package biz

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/web/view"
)

type reportsView struct {
	layout
	Report *view.ReportPage
}

// reportsPage is GET /biz/reports: the institution's priority-purchase
// report (우선구매 실적) for a fiscal year, a quarter or a range of dates
// (kind, year, quarter, from, to). The report service scopes it to the
// buyer's own institution; a wrong period keeps the form and says why (422).
func (s *server) reportsPage(c *fiber.Ctx) error {
	if s.Reports == nil {
		return fiber.ErrServiceUnavailable
	}
	p, status, err := view.BuildReportPage(c, s.Reports, "/biz/reports", nil)
	if err != nil {
		return err
	}
	v := reportsView{Report: p}
	v.Title, v.Nav = "우선구매 실적", navReports
	c.Status(status)
	return s.render(c, "biz/reports", &v)
}

// reportFile is GET /biz/reports.csv and /biz/reports.xlsx: the same
// report as a file.
func (s *server) reportFile(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s.Reports == nil {
			return fiber.ErrServiceUnavailable
		}
		return view.SendReport(c, s.Reports, format)
	}
}
