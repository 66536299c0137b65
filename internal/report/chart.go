package report

import (
	"strconv"
	"time"

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
	months, amounts := make([]time.Time, len(r.ByMonth)), make([]int64, len(r.ByMonth))
	for i, m := range r.ByMonth {
		months[i], amounts[i] = m.Month, m.Amount
	}
	return monthChart("월별 구매액", r.Period, months, amounts, "구매 실적")
}

// monthChart draws amounts by month as vertical bars; none names the
// figure in "에는 … 없습니다".
func monthChart(title string, p Period, months []time.Time, amounts []int64, none string) Chart {
	const h, top, bottom, barW, gap = 220, 24, 28, 36, 12
	c := Chart{Title: title, Height: h, Baseline: h - bottom}
	var maxV int64
	for _, a := range amounts {
		maxV = max(maxV, a)
	}
	c.Width = max(len(months)*(barW+gap)+gap, 200)
	desc := p.Label() + " " + title + ":"
	for i, m := range months {
		bh := 0
		if maxV > 0 {
			bh = int(amounts[i] * int64(h-top-bottom) / maxV)
		}
		x := gap + i*(barW+gap)
		label := strconv.Itoa(int(m.Month())) + "월"
		c.Bars = append(c.Bars, Bar{X: x, Y: h - bottom - bh, W: barW, H: bh, Label: label, Value: short(amounts[i]),
			LabelX: x + barW/2, LabelY: h - 8, ValueX: x + barW/2, ValueY: h - bottom - bh - 6})
		desc += " " + m.Format("2006.01") + " " + kr.Won(amounts[i]) + ","
	}
	c.Desc = desc[:len(desc)-1] + "."
	if len(months) == 0 {
		c.Desc = p.Label() + "에는 " + none + "이 없습니다."
	}
	return c
}

// share is one horizontal bar: a label, its share in basis points and its
// amount.
type share struct {
	label  string
	bp     int
	amount int64
}

// TypeChart is each enterprise type's share of the amount as horizontal
// bars.
func (r *Procurement) TypeChart() Chart {
	var rows []share
	for _, t := range r.ByType {
		rows = append(rows, share{t.Type.Label(), t.Share, t.Amount})
	}
	return shareChart("기업 유형별 비중", r.Period.Label()+" 기업 유형별 구매액 비중:", rows)
}

// shareChart draws shares as horizontal bars.
func shareChart(title, descPrefix string, rows []share) Chart {
	const w, labelW, rowH, barH = 360, 110, 30, 18
	c := Chart{Title: title, Width: w, Horizontal: true, Height: len(rows)*rowH + 8}
	desc := descPrefix
	for i, s := range rows {
		bw := s.bp * (w - labelW - 60) / 10000
		y := 4 + i*rowH
		c.Bars = append(c.Bars, Bar{X: labelW, Y: y + (rowH-barH)/2, W: bw, H: barH, Label: s.label,
			Value: Percent(s.bp), LabelX: labelW - 6, LabelY: y + rowH/2 + 5, ValueX: labelW + bw + 6, ValueY: y + rowH/2 + 5})
		desc += " " + s.label + " " + Percent(s.bp) + " (" + kr.Won(s.amount) + "),"
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
