package pdf

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/kr"
)

// ImpactStatement renders a buyer's yearly impact statement (사회적 가치
// 보고서) for buyer (a name): the year's purchases from each enterprise
// with the estimate of each, and the totals, every figure with its basis.
func (r *Renderer) ImpactStatement(st *impact.Statement, buyer string) ([]byte, error) {
	p, release, err := r.newPDF()
	if err != nil {
		return nil, err
	}
	defer release()
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(true, 16)
	p.AddPage()
	p.SetFont(family, "B", 16)
	p.CellFormat(0, 10, strconv.Itoa(st.Year)+"년 사회적 가치 보고서", "", 1, "C", false, 0, "")
	p.SetFont(family, "", 10)
	p.CellFormat(0, 6, buyer, "", 1, "C", false, 0, "")
	p.Ln(4)
	p.SetFont(family, "B", 11)
	p.CellFormat(0, 7, "사회적경제기업 구매 합계 "+kr.Won(st.Total), "", 1, "L", false, 0, "")
	p.SetFont(family, "", 10)
	for _, t := range st.TotalLines {
		p.MultiCell(0, 5.5, "· "+t, "", "L", false)
	}
	p.SetFont(family, "", 8.5)
	p.MultiCell(0, 4.5, "각 숫자는 기업이 밝힌 지표(기준 연도와 근거를 함께 적음)로 어림한 값이며, 지표보다 정밀하게 보이지 않도록 반올림했습니다.", "", "L", false)
	p.Ln(3)
	for _, row := range st.Rows {
		p.SetFont(family, "B", 10.5)
		p.CellFormat(0, 7, row.EnterpriseName+" · "+kr.Won(row.Amount), "B", 1, "L", false, 0, "")
		p.SetFont(family, "", 9.5)
		if len(row.Lines) == 0 {
			p.MultiCell(0, 5, "이 기업은 아직 사회적 가치 지표를 밝히지 않았습니다.", "", "L", false)
		}
		for _, l := range row.Lines {
			p.MultiCell(0, 5, "· "+l.Text, "", "L", false)
			p.SetFont(family, "", 8)
			p.MultiCell(0, 4.2, "  "+l.Basis, "", "L", false)
			p.SetFont(family, "", 9.5)
		}
		p.Ln(2)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: impact statement %d: %w", st.Year, err)
	}
	return buf.Bytes(), nil
}
