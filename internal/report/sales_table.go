package report

import (
	"time"
)

var salesHeader = []string{"주문 수", "품목 수", "수량", "공급가액(원)", "부가세(원)", "소비자(원)", "공공(원)", "합계(원)"}

func (f SalesFigures) cells() []Cell {
	return []Cell{num(f.Orders), num(f.Lines), num(f.Quantity), num(f.Supply), num(f.VAT), num(f.Consumer), num(f.Public),
		num(f.Amount)}
}

func monthHeader(months []time.Time) []string {
	out := make([]string, len(months))
	for i, m := range months {
		out[i] = m.Format("2006.01") + "(원)"
	}
	return out
}

// Tables are the sales report's sections, in order: the summary, by month
// (with buyers), one per breakdown (each with a column per month), the top
// products and the public purchases by institution. Every section that
// sums ends with a 합계 row.
func (r *Sales) Tables() []Table {
	summary := Table{Key: "summary", Title: "요약", Header: []string{"항목", "값"}, Rows: [][]Cell{
		{text("기간"), text(r.Period.Label())},
		{text("시작일"), text(r.Period.From.Format("2006.01.02"))},
		{text("종료일"), text(r.Period.To.Format("2006.01.02"))},
		{text("공공 집계 기준"), text(r.Basis.Label())},
		{text("주문 수"), num(r.Total.Orders)},
		{text("품목 수"), num(r.Total.Lines)},
		{text("수량"), num(r.Total.Quantity)},
		{text("공급가액(원)"), num(r.Total.Supply)},
		{text("부가세(원)"), num(r.Total.VAT)},
		{text("소비자 판매액(원)"), num(r.Total.Consumer)},
		{text("공공 판매액(원)"), num(r.Total.Public)},
		{text("합계(원)"), num(r.Total.Amount)},
		{text("구매자 수"), num(r.Buyers.Buyers)},
		{text("신규 구매자"), num(r.Buyers.New)},
		{text("재구매자"), num(r.Buyers.Returning)},
	}}
	buyerHeader := []string{"구매자", "신규", "재구매"}
	byMonth := Table{Key: "month", Title: "월별", Header: append(append([]string{"월"}, salesHeader...), buyerHeader...)}
	for _, m := range r.ByMonth {
		byMonth.Rows = append(byMonth.Rows, append(append([]Cell{text(m.Month.Format("2006.01"))}, m.cells()...),
			num(m.Buyers), num(m.New), num(m.Returning)))
	}
	byMonth.Rows = append(byMonth.Rows, append(append([]Cell{text("합계")}, r.Total.cells()...),
		num(r.Buyers.Buyers), num(r.Buyers.New), num(r.Buyers.Returning)))
	out := []Table{summary, byMonth}

	months := r.Period.Months()
	totalMonths := make([]Cell, len(r.ByMonth))
	for i, m := range r.ByMonth {
		totalMonths[i] = num(m.Amount)
	}
	for _, b := range r.Breakdowns {
		name := map[Dimension]string{ByType: "기업 유형(주문 당시)", ByRegion: "지역(기업 소재지)", ByCategory: "분류(대분류)",
			ByEnterprise: "기업", ByChannel: "채널"}[b.Dimension]
		t := Table{Key: string(b.Dimension), Title: b.Dimension.Title(),
			Header: append(append(append([]string{name}, salesHeader...), "비중"), monthHeader(months)...)}
		for _, row := range b.Rows {
			if row.Amount == 0 && (b.Dimension == ByRegion) {
				continue // 17 regions, most empty: the table lists those that sold
			}
			cells := append(append([]Cell{text(row.Label)}, row.cells()...), text(Percent(shareOf(row.Amount, r.Total.Amount))))
			for _, a := range row.Months {
				cells = append(cells, num(a))
			}
			t.Rows = append(t.Rows, cells)
		}
		t.Rows = append(t.Rows, append(append(append([]Cell{text("합계")}, r.Total.cells()...),
			text(Percent(total(r.Total.Figures)))), totalMonths...))
		out = append(out, t)
	}

	top := Table{Key: "product", Title: "상위 상품", Header: append([]string{"상품", "기업"}, salesHeader...)}
	for _, p := range r.TopProducts {
		top.Rows = append(top.Rows, append([]Cell{text(p.Name), text(p.Enterprise)}, p.cells()...))
	}
	inst := Table{Key: "institution", Title: "기관별 공공구매", Header: append([]string{"기관"}, figureHeader...)}
	for _, in := range r.Institutions {
		inst.Rows = append(inst.Rows, append([]Cell{text(in.Name)}, in.cells()...))
	}
	inst.Rows = append(inst.Rows, append([]Cell{text("합계")}, r.PublicTotal.cells()...))
	return append(out, top, inst)
}

// shareOf is part of whole in basis points.
func shareOf(part, whole int64) int {
	if whole <= 0 {
		return 0
	}
	return int(part * 10000 / whole)
}

// MonthChart is the sales by month as vertical bars.
func (r *Sales) MonthChart() Chart {
	months, amounts := make([]time.Time, len(r.ByMonth)), make([]int64, len(r.ByMonth))
	for i, m := range r.ByMonth {
		months[i], amounts[i] = m.Month, m.Amount
	}
	return monthChart("월별 판매액", r.Period, months, amounts, "판매 실적")
}

// ShareChart is the breakdown by d as shares of the total, groups that
// sold only (at most limit, the largest; 0 for all).
func (r *Sales) ShareChart(d Dimension, limit int) Chart {
	var rows []share
	for _, g := range r.Breakdown(d).Rows {
		if g.Amount > 0 && (limit == 0 || len(rows) < limit) {
			rows = append(rows, share{g.Label, shareOf(g.Amount, r.Total.Amount), g.Amount})
		}
	}
	return shareChart(d.Title()+" 비중", r.Period.Label()+" "+d.Title()+" 판매액 비중:", rows)
}
