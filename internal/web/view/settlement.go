package view

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/document/pdf"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/report"
	"github.com/dure-coop/dure/internal/settlement"
)

// SendStatement answers a settlement statement as a file: format csv, xlsx
// or pdf (renderer nil: 503).
func SendStatement(c *fiber.Ctx, renderer *pdf.Renderer, st *settlement.Statement, entries []settlement.Entry, format string) error {
	tables := st.Tables(entries)
	name := st.FileName()
	c.Set(fiber.HeaderCacheControl, "no-store")
	switch format {
	case "csv":
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
		return c.Send(report.CSV(st.Title(), tables))
	case "xlsx":
		b, err := report.XLSX(tables)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.xlsx"`)
		return c.Send(b)
	}
	if renderer == nil {
		return fiber.ErrServiceUnavailable
	}
	var sections []pdf.Section
	for _, t := range tables {
		s := pdf.Section{Title: t.Title, Header: t.Header}
		for _, r := range t.Rows {
			var cells []string
			for i, cell := range r {
				cells = append(cells, cell.String())
				for len(s.Right) <= i {
					s.Right = append(s.Right, false)
				}
				s.Right[i] = s.Right[i] || cell.IsNum
			}
			s.Rows = append(s.Rows, cells)
		}
		sections = append(sections, s)
	}
	b, err := renderer.Sheet("정산서", st.EnterpriseName+" · "+st.PeriodLabel()+" · "+st.Status.Label()+" · 지급액 "+kr.Won(st.Payout), st.UpdatedAt, sections)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.pdf"`)
	return c.Send(b)
}

// StatementRow is a statement as the lists show it.
type StatementRow struct {
	*settlement.Statement
	URL string
}
