package report

import (
	"strconv"

	"github.com/dure-coop/dure/internal/kr"
)

// Bar is one bar of a chart, in the chart's own coordinates (its viewBox).
type Bar struct {
	X, Y, W, H int
	Label      string // the category: "3월", "사회적기업"
	Value      string // the figure as text: "1,200,000원", "42.0%"
	LabelX     int
	LabelY     int
	ValueX     int
	ValueY     int
}

// Chart is a server-rendered SVG bar chart: the template draws the bars;
// Title and Desc become the SVG's <title> and <desc> and the same figures
// are in the page's tables.
type Chart struct {
	Title, Desc   string
	Width, Height int
	Horizontal    bool
	Baseline      int // the y of a vertical chart's axis
	Bars          []Bar
}

// MonthChart is the amount by month as vertical bars.
func (r *Procurement) MonthChart() Chart {
	const h, top, bottom, barW, gap = 220, 24, 28, 36, 12
	c := Chart{Title: "월별 구매액", Height: h, Baseline: h - bottom}
	var maxV int64
	for _, m := range r.ByMonth {
		maxV = max(maxV, m.Amount)
	}
	c.Width = max(len(r.ByMonth)*(barW+gap)+gap, 200)
	desc := r.Period.Label() + " 월별 구매액:"
	for i, m := range r.ByMonth {
		bh := 0
		if maxV > 0 {
			bh = int(m.Amount * int64(h-top-bottom) / maxV)
		}
		x := gap + i*(barW+gap)
		label := strconv.Itoa(int(m.Month.Month())) + "월"
		c.Bars = append(c.Bars, Bar{X: x, Y: h - bottom - bh, W: barW, H: bh, Label: label, Value: short(m.Amount),
			LabelX: x + barW/2, LabelY: h - 8, ValueX: x + barW/2, ValueY: h - bottom - bh - 6})
		desc += " " + m.Month.Format("2006.01") + " " + kr.Won(m.Amount) + ","
	}
	c.Desc = desc[:len(desc)-1] + "."
	if len(r.ByMonth) == 0 {
		c.Desc = r.Period.Label() + "에는 구매 실적이 없습니다."
	}
	return c
}

// TypeChart is each enterprise type's share of the amount as horizontal
// bars.
func (r *Procurement) TypeChart() Chart {
	const w, labelW, rowH, barH = 360, 110, 30, 18
	c := Chart{Title: "기업 유형별 비중", Width: w, Horizontal: true, Height: len(r.ByType)*rowH + 8}
	desc := r.Period.Label() + " 기업 유형별 구매액 비중:"
	for i, t := range r.ByType {
		bw := t.Share * (w - labelW - 60) / 10000
		y := 4 + i*rowH
		c.Bars = append(c.Bars, Bar{X: labelW, Y: y + (rowH-barH)/2, W: bw, H: barH, Label: t.Type.Label(),
			Value: Percent(t.Share), LabelX: labelW - 6, LabelY: y + rowH/2 + 5, ValueX: labelW + bw + 6, ValueY: y + rowH/2 + 5})
		desc += " " + t.Type.Label() + " " + Percent(t.Share) + " (" + kr.Won(t.Amount) + "),"
	}
	c.Desc = desc[:len(desc)-1] + "."
	return c
}

// short is an amount for a bar's label: 1,234만, 12억 3,400만, 5,000원.
func short(n int64) string {
	switch {
	case n >= 100_000_000:
		s := kr.Comma(n/100_000_000) + "억"
		if m := n % 100_000_000 / 10_000; m > 0 {
			s += " " + kr.Comma(m) + "만"
		}
		return s
	case n >= 10_000:
		return kr.Comma(n/10_000) + "만"
	}
	return kr.Won(n)
}
