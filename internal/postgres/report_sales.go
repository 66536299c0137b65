package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/report"
)

// salesLinesSQL is every counted line of both channels (the report
// package's sales doc) with its amount, 공급가액 and month: $1 the basis,
// $2 must be 0, $3 and $4 the civil dates.
const salesLinesSQL = `
SELECT c.*, c.unit_price * c.qty AS amount,
       CASE WHEN c.tax_type = 'exempt' THEN c.unit_price * c.qty ELSE c.unit_price * c.qty * 10 / 11 END AS supply,
       date_trunc('month', c.day)::date AS month
FROM (` + consumerLinesSQL + `
UNION ALL` + publicLinesSQL + `) c
WHERE c.qty > 0`

// figuresSQL are the aggregates of a group of lines, scanned by
// scanFigures.
// figuresSQL sums to 0 over no lines: the grand total's grouping set gives
// a row even for a period without sales.
const figuresSQL = `count(DISTINCT order_id), count(*), coalesce(sum(qty), 0)::bigint, coalesce(sum(amount), 0)::bigint,
       coalesce(sum(supply), 0)::bigint, coalesce(sum(amount) FILTER (WHERE channel = 'consumer'), 0)::bigint`

func figureDest(f *report.SalesFigures) []any {
	return []any{&f.Orders, &f.Lines, &f.Quantity, &f.Amount, &f.Supply, &f.Consumer}
}

func finish(f *report.SalesFigures) {
	f.VAT = f.Amount - f.Supply
	f.Public = f.Amount - f.Consumer
}

// salesArgs are the query's parameters in salesLinesSQL's order.
func salesArgs(q report.SalesQuery) []any {
	return []any{string(q.Basis), 0, q.Period.From, q.Period.To}
}

// dimensionSQL is, per dimension, the joins it needs on the lines (l) and
// its group key and label; a closed set, never built from input.
var dimensionSQL = map[report.Dimension]struct{ join, key, label string }{
	report.ByType:       {"", "l.enterprise_type", "''"},
	report.ByRegion:     {"JOIN enterprises e ON e.id = l.enterprise_id", "e.region", "''"},
	report.ByChannel:    {"", "l.channel", "''"},
	report.ByEnterprise: {"", "l.enterprise_id::text", "l.enterprise_name"},
	report.ByCategory: {"JOIN products p ON p.id = l.product_id JOIN roots ON roots.id = p.category_id",
		"roots.root::text", "roots.name"},
}

// categoryRootsSQL maps every category to its top-level one.
const categoryRootsSQL = `roots AS (
    SELECT id, id AS root, name FROM categories WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, r.root, r.name FROM categories c JOIN roots r ON c.parent_id = r.id)`

// SalesBreakdown sums the counted lines by d in one grouped query: the
// period's figures and each month's amount.
func (s *ReportStore) SalesBreakdown(ctx context.Context, q report.SalesQuery, d report.Dimension) ([]report.GroupRow, error) {
	ds, ok := dimensionSQL[d]
	if !ok {
		return nil, fmt.Errorf("postgres: sales breakdown: unknown dimension %q", d)
	}
	rows, err := s.pool.Query(ctx, `
WITH RECURSIVE `+categoryRootsSQL+`,
lines AS (SELECT l.*, `+ds.key+` AS key, `+ds.label+` AS label FROM (`+salesLinesSQL+`) l `+ds.join+`)
SELECT GROUPING(month), key, (array_agg(label ORDER BY order_id DESC, line_id DESC))[1], month, `+figuresSQL+`
FROM lines
GROUP BY GROUPING SETS ((key), (key, month))`, salesArgs(q)...)
	if err != nil {
		return nil, fmt.Errorf("postgres: sales by %s: %w", d, err)
	}
	defer rows.Close()
	months := q.Period.Months()
	at := map[time.Time]int{}
	for i, m := range months {
		at[m] = i
	}
	groups := map[string]*report.GroupRow{}
	group := func(key string) *report.GroupRow {
		if groups[key] == nil {
			groups[key] = &report.GroupRow{Key: key, Label: report.DimensionLabel(d, key), Months: make([]int64, len(months))}
		}
		return groups[key]
	}
	for rows.Next() {
		var (
			g          int
			key, label string
			month      *time.Time
			f          report.SalesFigures
		)
		if err := rows.Scan(append([]any{&g, &key, &label, &month}, figureDest(&f)...)...); err != nil {
			return nil, fmt.Errorf("postgres: sales by %s: %w", d, err)
		}
		finish(&f)
		row := group(key)
		if g == 1 { // the period
			row.SalesFigures = f
			if label != "" {
				row.Label = label
			}
		} else if month != nil {
			if i, ok := at[*month]; ok {
				row.Months[i] = f.Amount
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: sales by %s: %w", d, err)
	}
	var fixed []string
	switch d {
	case report.ByType:
		for _, t := range catalog.EnterpriseTypes {
			fixed = append(fixed, string(t))
		}
	case report.ByRegion:
		for _, r := range catalog.Regions {
			fixed = append(fixed, string(r))
		}
	case report.ByChannel:
		fixed = []string{string(report.Consumer), string(report.Public)}
	}
	var out []report.GroupRow
	if fixed != nil {
		for _, k := range fixed {
			out = append(out, *group(k))
		}
		return out, nil
	}
	for _, g := range groups {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b report.GroupRow) int {
		return cmp.Or(cmp.Compare(b.Amount, a.Amount), cmp.Compare(a.Label, b.Label), cmp.Compare(len(a.Key), len(b.Key)),
			cmp.Compare(a.Key, b.Key))
	})
	return out, nil
}

// SalesByMonth sums the counted lines in one grouped query: the total and
// each month.
func (s *ReportStore) SalesByMonth(ctx context.Context, q report.SalesQuery) (report.SalesFigures, []report.SalesMonth, error) {
	var total report.SalesFigures
	rows, err := s.pool.Query(ctx, `
WITH lines AS (`+salesLinesSQL+`)
SELECT GROUPING(month), month, `+figuresSQL+`
FROM lines
GROUP BY GROUPING SETS ((), (month))`, salesArgs(q)...)
	if err != nil {
		return total, nil, fmt.Errorf("postgres: sales by month: %w", err)
	}
	defer rows.Close()
	byMonth := map[time.Time]report.SalesFigures{}
	for rows.Next() {
		var (
			g     int
			month *time.Time
			f     report.SalesFigures
		)
		if err := rows.Scan(append([]any{&g, &month}, figureDest(&f)...)...); err != nil {
			return total, nil, fmt.Errorf("postgres: sales by month: %w", err)
		}
		finish(&f)
		if g == 1 {
			total = f
		} else if month != nil {
			byMonth[*month] = f
		}
	}
	if err := rows.Err(); err != nil {
		return total, nil, fmt.Errorf("postgres: sales by month: %w", err)
	}
	var out []report.SalesMonth
	for _, m := range q.Period.Months() {
		out = append(out, report.SalesMonth{Month: m, SalesFigures: byMonth[m]})
	}
	return total, out, nil
}

// buyerSQL is the buyer's identity (report package doc) on a line l: the
// account, else the phone number's digits.
const buyerSQL = `CASE WHEN l.user_id IS NOT NULL THEN 'u' || l.user_id
     ELSE 'p' || regexp_replace(l.buyer_phone, '[^0-9]', '', 'g') END`

// historyStart is the first civil date a buyer's history is read from.
var historyStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// SalesBuyers counts buyers in one grouped query over every counted line
// up to the period's end: a buyer's first counted day decides new or
// returning, for the period and for each month.
func (s *ReportStore) SalesBuyers(ctx context.Context, q report.SalesQuery) (report.BuyerCounts, []report.BuyerCounts, error) {
	var total report.BuyerCounts
	args := salesArgs(q)
	args[2] = historyStart
	rows, err := s.pool.Query(ctx, `
WITH lines AS (SELECT `+buyerSQL+` AS buyer, day FROM (`+salesLinesSQL+`) l),
first AS (SELECT buyer, min(day) AS first_day FROM lines GROUP BY buyer),
seen AS (SELECT DISTINCT buyer, date_trunc('month', day)::date AS month FROM lines WHERE day >= $5)
SELECT GROUPING(s.month), s.month, count(DISTINCT s.buyer),
       count(DISTINCT s.buyer) FILTER (WHERE f.first_day >= $5),
       count(DISTINCT s.buyer) FILTER (WHERE f.first_day >= greatest(s.month, $5))
FROM seen s JOIN first f USING (buyer)
GROUP BY GROUPING SETS ((), (s.month))`, append(args, q.Period.From)...)
	if err != nil {
		return total, nil, fmt.Errorf("postgres: sales buyers: %w", err)
	}
	defer rows.Close()
	byMonth := map[time.Time]report.BuyerCounts{}
	for rows.Next() {
		var (
			g                         int
			month                     *time.Time
			buyers, newPeriod, newMon int64
		)
		if err := rows.Scan(&g, &month, &buyers, &newPeriod, &newMon); err != nil {
			return total, nil, fmt.Errorf("postgres: sales buyers: %w", err)
		}
		if g == 1 {
			total = report.BuyerCounts{Buyers: buyers, New: newPeriod, Returning: buyers - newPeriod}
		} else if month != nil {
			byMonth[*month] = report.BuyerCounts{Buyers: buyers, New: newMon, Returning: buyers - newMon}
		}
	}
	if err := rows.Err(); err != nil {
		return total, nil, fmt.Errorf("postgres: sales buyers: %w", err)
	}
	var out []report.BuyerCounts
	for _, m := range q.Period.Months() {
		out = append(out, byMonth[m])
	}
	return total, out, nil
}

// SalesTopProducts lists the products with the largest amounts (ties by
// product id), in one grouped query.
func (s *ReportStore) SalesTopProducts(ctx context.Context, q report.SalesQuery, limit int) ([]report.ProductRow, error) {
	rows, err := s.pool.Query(ctx, `
WITH lines AS (`+salesLinesSQL+`)
SELECT product_id, (array_agg(product_name ORDER BY order_id DESC, line_id DESC))[1],
       (array_agg(enterprise_name ORDER BY order_id DESC, line_id DESC))[1], `+figuresSQL+`
FROM lines
GROUP BY product_id
ORDER BY sum(amount) DESC, product_id
LIMIT $5`, append(salesArgs(q), limit)...)
	if err != nil {
		return nil, fmt.Errorf("postgres: top products: %w", err)
	}
	defer rows.Close()
	var out []report.ProductRow
	for rows.Next() {
		var p report.ProductRow
		if err := rows.Scan(append([]any{&p.ProductID, &p.Name, &p.Enterprise}, figureDest(&p.SalesFigures)...)...); err != nil {
			return nil, fmt.Errorf("postgres: top products: %w", err)
		}
		finish(&p.SalesFigures)
		out = append(out, p)
	}
	return out, rows.Err()
}
