package pdf

import (
	"bytes"
	"fmt"
	"strconv"
	"time"
)

// Section is one titled table of a Sheet: its cells as shown; Right marks
// the columns aligned right (figures).
type Section struct {
	Title  string
	Header []string
	Rows   [][]string
	Right  []bool
}

// Sheet renders a plain A4 document of titled tables (a settlement
// statement): the title, a line under it, then each section, breaking
// pages as needed with the header repeated.
func (r *Renderer) Sheet(title, subtitle string, at time.Time, sections []Section) ([]byte, error) {
	p, release, err := r.newPDF()
	if err != nil {
		return nil, err
	}
	defer release()
	p.SetTitle(title, true)
	p.SetCreator("Dure", true)
	p.SetCreationDate(at)
	p.SetModificationDate(at)
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(false, 0)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(pageH - 11)
		p.SetFont(family, "", 7.5)
		p.CellFormat(bodyW/2, 4, title, "", 0, "L", false, 0, "")
		p.CellFormat(bodyW/2, 4, strconv.Itoa(p.PageNo())+" / {nb}", "", 0, "R", false, 0, "")
	})
	p.SetDrawColor(60, 60, 60)
	p.SetLineWidth(0.2)
	p.AddPage()
	p.SetFont(family, "B", 18)
	p.CellFormat(bodyW, 10, title, "", 1, "C", false, 0, "")
	p.SetFont(family, "", 9)
	p.CellFormat(bodyW, 6, subtitle, "", 1, "C", false, 0, "")
	p.Ln(3)
	for _, s := range sections {
		if p.GetY()+3*lineH*1.5 > bottom {
			p.AddPage()
		}
		p.SetFont(family, "B", 10)
		p.CellFormat(bodyW, 7, s.Title, "", 1, "L", false, 0, "")
		w := bodyW / float64(max(len(s.Header), 1))
		row := func(cells []string, bold bool) {
			style := ""
			if bold {
				style = "B"
			}
			p.SetFont(family, style, bodySize)
			for i, c := range cells {
				align := "L"
				if i < len(s.Right) && s.Right[i] && !bold {
					align = "R"
				}
				p.CellFormat(w, lineH*1.4, c, "1", 0, align, false, 0, "")
			}
			p.Ln(-1)
		}
		row(s.Header, true)
		for _, cells := range s.Rows {
			if p.GetY()+lineH*1.4 > bottom {
				p.AddPage()
				row(s.Header, true)
			}
			row(cells, false)
		}
		p.Ln(4)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: %s: %w", title, err)
	}
	return buf.Bytes(), nil
}
