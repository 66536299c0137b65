package report_test

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/report"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// salesWant is the sales report summed naively over the generator's lines.
type salesWant struct {
	total   report.SalesFigures
	months  map[time.Time]report.SalesFigures
	groups  map[report.Dimension]map[string]*report.GroupRow
	buyers  report.BuyerCounts
	mbuyers map[time.Time]report.BuyerCounts
	top     []report.ProductRow
}

type figureSum struct {
	f      report.SalesFigures
	orders map[int64]bool
}

func (s *figureSum) add(l webtest.SalesLine) {
	if s.orders == nil {
		s.orders = map[int64]bool{}
	}
	if !s.orders[l.OrderID] {
		s.orders[l.OrderID] = true
		s.f.Orders++
	}
	s.f.Lines++
	s.f.Quantity += int64(l.Quantity)
	s.f.Amount += l.Amount()
	s.f.Supply += l.Supply()
	s.f.VAT += l.Amount() - l.Supply()
	if l.Channel == report.Consumer {
		s.f.Consumer += l.Amount()
	} else {
		s.f.Public += l.Amount()
	}
}

// lookups are the current region of each enterprise and the top-level
// category of each product.
type lookups struct {
	region   map[int64]string
	category map[int64]string
	catName  map[string]string
}

func loadLookups(t *testing.T, e *webtest.Env) lookups {
	t.Helper()
	ctx := context.Background()
	lk := lookups{region: map[int64]string{}, category: map[int64]string{}, catName: map[string]string{}}
	rows, err := e.Pool.Query(ctx, `SELECT id, region FROM enterprises`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var r string
		_ = rows.Scan(&id, &r)
		lk.region[id] = r
	}
	rows.Close()
	parent, name := map[int64]int64{}, map[int64]string{}
	rows, err = e.Pool.Query(ctx, `SELECT id, coalesce(parent_id, 0), name FROM categories`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, p int64
		var n string
		_ = rows.Scan(&id, &p, &n)
		parent[id], name[id] = p, n
	}
	rows.Close()
	rows, err = e.Pool.Query(ctx, `SELECT id, category_id FROM products`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, c int64
		_ = rows.Scan(&id, &c)
		for parent[c] != 0 {
			c = parent[c]
		}
		lk.category[id] = strconv.FormatInt(c, 10)
		lk.catName[lk.category[id]] = name[c]
	}
	rows.Close()
	return lk
}

func (lk lookups) key(d report.Dimension, l webtest.SalesLine) string {
	switch d {
	case report.ByType:
		return string(l.Type)
	case report.ByRegion:
		return lk.region[l.EnterpriseID]
	case report.ByCategory:
		return lk.category[l.ProductID]
	case report.ByEnterprise:
		return strconv.FormatInt(l.EnterpriseID, 10)
	}
	return string(l.Channel)
}

func monthOf(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC) }

// wantSales sums the lines of p by hand.
func wantSales(lines []webtest.SalesLine, p report.Period, lk lookups) *salesWant {
	w := &salesWant{months: map[time.Time]report.SalesFigures{}, groups: map[report.Dimension]map[string]*report.GroupRow{},
		mbuyers: map[time.Time]report.BuyerCounts{}}
	months := p.Months()
	idx := map[time.Time]int{}
	for i, m := range months {
		idx[m] = i
	}
	var total figureSum
	mon, prod := map[time.Time]*figureSum{}, map[int64]*figureSum{}
	grp := map[report.Dimension]map[string]*figureSum{}
	first := map[string]time.Time{}
	for _, l := range lines {
		if f, ok := first[l.Buyer]; !ok || l.Day.Before(f) {
			first[l.Buyer] = l.Day
		}
	}
	inPeriod := map[string]bool{}
	inMonth := map[time.Time]map[string]bool{}
	for _, l := range lines {
		if l.Day.Before(p.From) || l.Day.After(p.To) {
			continue
		}
		total.add(l)
		m := monthOf(l.Day)
		if mon[m] == nil {
			mon[m] = &figureSum{}
		}
		mon[m].add(l)
		if prod[l.ProductID] == nil {
			prod[l.ProductID] = &figureSum{}
		}
		prod[l.ProductID].add(l)
		for _, d := range report.Dimensions {
			if grp[d] == nil {
				grp[d], w.groups[d] = map[string]*figureSum{}, map[string]*report.GroupRow{}
			}
			k := lk.key(d, l)
			if grp[d][k] == nil {
				grp[d][k] = &figureSum{}
				w.groups[d][k] = &report.GroupRow{Key: k, Months: make([]int64, len(months))}
			}
			grp[d][k].add(l)
			w.groups[d][k].Months[idx[m]] += l.Amount()
		}
		inPeriod[l.Buyer] = true
		if inMonth[m] == nil {
			inMonth[m] = map[string]bool{}
		}
		inMonth[m][l.Buyer] = true
	}
	w.total = total.f
	for m, s := range mon {
		w.months[m] = s.f
	}
	for d, g := range grp {
		for k, s := range g {
			w.groups[d][k].SalesFigures = s.f
		}
	}
	for b := range inPeriod {
		w.buyers.Buyers++
		if first[b].Before(p.From) {
			w.buyers.Returning++
		} else {
			w.buyers.New++
		}
	}
	for m, bs := range inMonth {
		c := report.BuyerCounts{}
		start := m
		if start.Before(p.From) {
			start = p.From
		}
		for b := range bs {
			c.Buyers++
			if first[b].Before(start) {
				c.Returning++
			} else {
				c.New++
			}
		}
		w.mbuyers[m] = c
	}
	for id, s := range prod {
		w.top = append(w.top, report.ProductRow{ProductID: id, SalesFigures: s.f})
	}
	slices.SortFunc(w.top, func(a, b report.ProductRow) int {
		return cmp.Or(cmp.Compare(b.Amount, a.Amount), cmp.Compare(a.ProductID, b.ProductID))
	})
	if len(w.top) > report.TopProducts {
		w.top = w.top[:report.TopProducts]
	}
	return w
}

// checkSales compares every figure of r with the hand sums.
func checkSales(t *testing.T, r *report.Sales, w *salesWant) {
	t.Helper()
	if r.Total != w.total {
		t.Errorf("total %+v, want %+v", r.Total, w.total)
	}
	if r.Total.Consumer+r.Total.Public != r.Total.Amount || r.Total.Supply+r.Total.VAT != r.Total.Amount {
		t.Errorf("total does not add up: %+v", r.Total)
	}
	if len(r.ByMonth) != len(r.Period.Months()) {
		t.Errorf("%d months, want %d", len(r.ByMonth), len(r.Period.Months()))
	}
	for _, m := range r.ByMonth {
		if m.SalesFigures != w.months[m.Month] {
			t.Errorf("month %s: %+v, want %+v", m.Month.Format("2006-01"), m.SalesFigures, w.months[m.Month])
		}
		if m.BuyerCounts != w.mbuyers[m.Month] {
			t.Errorf("month %s buyers: %+v, want %+v", m.Month.Format("2006-01"), m.BuyerCounts, w.mbuyers[m.Month])
		}
	}
	if r.Buyers != w.buyers {
		t.Errorf("buyers %+v, want %+v", r.Buyers, w.buyers)
	}
	for _, d := range report.Dimensions {
		b := r.Breakdown(d)
		var sum int64
		seen := 0
		for _, row := range b.Rows {
			sum += row.Amount
			var monthSum int64
			for _, a := range row.Months {
				monthSum += a
			}
			if monthSum != row.Amount {
				t.Errorf("%s %s: months add to %d, amount %d", d, row.Key, monthSum, row.Amount)
			}
			want := w.groups[d][row.Key]
			if want == nil {
				if row.Amount != 0 || row.Orders != 0 {
					t.Errorf("%s %s: %+v, want nothing", d, row.Key, row.SalesFigures)
				}
				continue
			}
			seen++
			if row.SalesFigures != want.SalesFigures || !reflect.DeepEqual(row.Months, want.Months) {
				t.Errorf("%s %s: %+v %v, want %+v %v", d, row.Key, row.SalesFigures, row.Months, want.SalesFigures, want.Months)
			}
			if row.Label == "" || row.Label == row.Key && d != report.ByEnterprise {
				t.Errorf("%s %s: label %q", d, row.Key, row.Label)
			}
		}
		if seen != len(w.groups[d]) {
			t.Errorf("%s: %d groups with sales, want %d", d, seen, len(w.groups[d]))
		}
		if sum != r.Total.Amount {
			t.Errorf("%s: rows add to %d, total %d", d, sum, r.Total.Amount)
		}
	}
	if len(r.TopProducts) != len(w.top) {
		t.Fatalf("%d top products, want %d", len(r.TopProducts), len(w.top))
	}
	for i, p := range r.TopProducts {
		if p.ProductID != w.top[i].ProductID || p.SalesFigures != w.top[i].SalesFigures || p.Name == "" || p.Enterprise == "" {
			t.Errorf("top %d: %+v, want %+v", i+1, p, w.top[i])
		}
	}
}

func TestSalesReconciles(t *testing.T) {
	e := webtest.NewEnv(t)
	y := e.GenerateSalesYear(t)
	lk := loadLookups(t, e)
	Y := strconv.Itoa(y.Year)
	sales := func(in report.PeriodInput) *report.Sales {
		t.Helper()
		r, err := e.Reports.Sales(y.Operator, report.SalesRequest{Period: in})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	var consumer, public int
	for _, l := range y.Lines {
		if l.Channel == report.Consumer {
			consumer++
		} else {
			public++
		}
	}
	if consumer < 40 || public < 40 {
		t.Fatalf("the generated set is too small: %d consumer lines, %d public", consumer, public)
	}

	for _, c := range []struct {
		name string
		in   report.PeriodInput
	}{
		{"the year", report.PeriodInput{Kind: "year", Year: Y}},
		{"a quarter", report.PeriodInput{Kind: "quarter", Year: Y, Quarter: "1"}},
		{"a month", report.PeriodInput{Kind: "month", Year: Y, Month: "5"}},
		{"a range across the year's start", report.PeriodInput{Kind: "range", From: strconv.Itoa(y.Year-1) + "-12-01", To: Y + "-01-31"}},
		{"a range from mid-March", report.PeriodInput{Kind: "range", From: Y + "-03-14", To: Y + "-05-19"}},
	} {
		t.Run(c.name+", to the won", func(t *testing.T) {
			r := sales(c.in)
			checkSales(t, r, wantSales(y.Lines, r.Period, lk))
			if r.Total.Amount == 0 {
				t.Error("nothing counted")
			}
		})
	}

	t.Run("the public channel is the priority-purchase report's", func(t *testing.T) {
		r := sales(report.PeriodInput{Kind: "year", Year: Y})
		ch := r.Breakdown(report.ByChannel)
		if ch.Rows[1].Key != string(report.Public) || ch.Rows[1].Figures != y.Want[0].Total || r.PublicTotal != y.Want[0].Total {
			t.Errorf("public %+v, priority-purchase total %+v, want %+v", ch.Rows[1].Figures, r.PublicTotal, y.Want[0].Total)
		}
		if len(r.Institutions) != 2 || r.Institutions[0].Amount+r.Institutions[1].Amount != r.Total.Public {
			t.Errorf("institutions %+v, public amount %d", r.Institutions, r.Total.Public)
		}
	})

	t.Run("new and returning across the period's boundary", func(t *testing.T) {
		// 010-5555-0002 bought on Y-1's last evening and at 00:10 on Y's
		// first day (Korea): returning in Y, new over December–January.
		// On Y's first day: that buyer (returning), institution A's buyer
		// (검수 on that day, first ever), a guest's and the member's first
		// orders (new).
		r := sales(report.PeriodInput{Kind: "range", From: Y + "-01-01", To: Y + "-01-01"})
		if want := (report.BuyerCounts{Buyers: 4, New: 3, Returning: 1}); r.Buyers != want {
			t.Errorf("on Y's first day: %+v, want %+v", r.Buyers, want)
		}
		r = sales(report.PeriodInput{Kind: "range", From: strconv.Itoa(y.Year-1) + "-12-31", To: strconv.Itoa(y.Year-1) + "-12-31"})
		if want := (report.BuyerCounts{Buyers: 1, New: 1}); r.Buyers != want || r.Total.Orders != 1 {
			t.Errorf("on Y-1's last day: %+v (%d orders), want %+v", r.Buyers, r.Total.Orders, want)
		}
		r = sales(report.PeriodInput{Kind: "range", From: strconv.Itoa(y.Year-1) + "-12-01", To: Y + "-01-31"})
		dec, jan := r.ByMonth[0].BuyerCounts, r.ByMonth[1].BuyerCounts
		if dec != (report.BuyerCounts{Buyers: 1, New: 1}) || jan.Returning != 1 || r.Buyers.Returning != 0 {
			t.Errorf("December %+v, January %+v, period %+v: want the December buyer returning in January alone", dec, jan, r.Buyers)
		}
		// 010-5555-0005's only earlier order was cancelled: new in April.
		r = sales(report.PeriodInput{Kind: "month", Year: Y, Month: "4"})
		w := wantSales(y.Lines, r.Period, lk)
		if r.Buyers != w.buyers || r.Buyers.New == 0 {
			t.Errorf("April: %+v, want %+v", r.Buyers, w.buyers)
		}
	})

	t.Run("a phone written three ways is one buyer, a member with it another", func(t *testing.T) {
		var ways, members int
		err := e.Pool.QueryRow(context.Background(), `SELECT count(DISTINCT buyer_phone) FILTER (WHERE user_id IS NULL),
			count(*) FILTER (WHERE user_id IS NOT NULL) FROM orders
			WHERE channel = 'consumer' AND regexp_replace(buyer_phone, '[^0-9]', '', 'g') = '01055550001'`).Scan(&ways, &members)
		if err != nil || ways != 3 || members == 0 {
			t.Fatalf("the generator wrote the phone %d ways, %d member orders (%v)", ways, members, err)
		}
		buyers := map[string]bool{}
		for _, l := range y.Lines {
			if l.Channel == report.Consumer && l.Day.Year() == y.Year {
				buyers[l.Buyer] = true
			}
		}
		r := sales(report.PeriodInput{Kind: "year", Year: Y})
		var publicBuyers int64 = 2
		if r.Buyers.Buyers != int64(len(buyers))+publicBuyers {
			t.Errorf("%d buyers, want %d consumer + %d institution buyers", r.Buyers.Buyers, len(buyers), publicBuyers)
		}
	})

	t.Run("a later cancellation leaves the past month", func(t *testing.T) {
		before := sales(report.PeriodInput{Kind: "year", Year: Y})
		var number, phone string
		var amount int64
		err := e.Pool.QueryRow(context.Background(), `SELECT o.number, o.buyer_phone, o.items_total FROM orders o
			WHERE o.channel = 'consumer' AND o.status = 'paid' AND o.user_id IS NULL AND o.buyer_phone = '010-6000-0001'
			  AND NOT EXISTS (SELECT 1 FROM sub_orders so WHERE so.order_id = o.id AND so.status <> 'paid')
			  AND extract(year FROM o.paid_at AT TIME ZONE 'Asia/Seoul') = $1 ORDER BY o.id LIMIT 1`, y.Year).Scan(&number, &phone, &amount)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Orders.Cancel(context.Background(), number, phone); err != nil {
			t.Fatal(err)
		}
		after := sales(report.PeriodInput{Kind: "year", Year: Y})
		if after.Total.Consumer != before.Total.Consumer-amount || after.Total.Public != before.Total.Public {
			t.Errorf("after cancelling %s (%d원): consumer %d → %d", number, amount, before.Total.Consumer, after.Total.Consumer)
		}
	})

	t.Run("the delivered basis moves only the public channel", func(t *testing.T) {
		before := sales(report.PeriodInput{Kind: "year", Year: Y})
		if _, err := e.Pool.Exec(context.Background(), `UPDATE coop_settings SET report_basis = 'delivered'`); err != nil {
			t.Fatal(err)
		}
		defer e.Pool.Exec(context.Background(), `UPDATE coop_settings SET report_basis = 'inspected'`)
		r := sales(report.PeriodInput{Kind: "year", Year: Y})
		p, err := e.Reports.Procurement(y.Operator, report.ProcurementRequest{Period: report.PeriodInput{Kind: "year", Year: Y}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Basis != coop.BasisDelivered || r.Total.Public != p.Total.Amount || r.Total.Consumer != before.Total.Consumer ||
			r.Total.Public == before.Total.Public {
			t.Errorf("delivered basis: public %d (priority-purchase %d, inspected %d), consumer %d (was %d)",
				r.Total.Public, p.Total.Amount, before.Total.Public, r.Total.Consumer, before.Total.Consumer)
		}
	})

	t.Run("operators only; a reversed range says why in Korean", func(t *testing.T) {
		in := report.SalesRequest{Period: report.PeriodInput{Kind: "year", Year: Y}}
		for name, ctx := range map[string]context.Context{"institution buyer": y.BuyerA, "anonymous": context.Background(),
			"enterprise staff": e.As(t, e.Member(t, y.Lines[0].EnterpriseID, "owner"))} {
			if r, err := e.Reports.Sales(ctx, in); err == nil || r != nil || apperr.Code(err) == apperr.Internal {
				t.Errorf("%s: %v, %v", name, r, err)
			}
		}
		_, err := e.Reports.Sales(y.Operator, report.SalesRequest{Period: report.PeriodInput{Kind: "range", From: Y + "-05-01", To: Y + "-01-01"}})
		if apperr.Code(err) != apperr.Invalid || !isKorean(apperr.Message(err)) {
			t.Errorf("reversed range: %v", err)
		}
	})
}

// TestSalesTables checks the exported tables carry the report's figures.
func TestSalesTables(t *testing.T) {
	p, _ := report.ParsePeriod(report.PeriodInput{Kind: "quarter", Year: "2026", Quarter: "2"}, coop.Date(2026, 7, 1))
	f := report.SalesFigures{Figures: report.Figures{Orders: 3, Lines: 4, Quantity: 9, Amount: 110_000, Supply: 100_000, VAT: 10_000},
		Consumer: 60_000, Public: 50_000}
	r := &report.Sales{Period: p, Basis: coop.BasisInspected, Total: f,
		Breakdowns: []report.Breakdown{{Dimension: report.ByType, Rows: []report.GroupRow{{Key: "social_enterprise",
			Label: catalog.SocialEnterprise.Label(), SalesFigures: f, Months: []int64{0, 110_000, 0}}}}},
		ByMonth: []report.SalesMonth{{Month: coop.Date(2026, 4, 1)}, {Month: coop.Date(2026, 5, 1), SalesFigures: f,
			BuyerCounts: report.BuyerCounts{Buyers: 2, New: 1, Returning: 1}}, {Month: coop.Date(2026, 6, 1)}},
		Buyers: report.BuyerCounts{Buyers: 2, New: 1, Returning: 1}}
	tables := r.Tables()
	byKey := map[string]report.Table{}
	for _, tb := range tables {
		byKey[tb.Key] = tb
		for _, row := range tb.Rows {
			if len(row) != len(tb.Header) {
				t.Errorf("%s: row of %d cells under %d headers", tb.Key, len(row), len(tb.Header))
			}
		}
	}
	typ := byKey["type"]
	if len(typ.Rows) != 2 || typ.Rows[0][0].Text != "사회적기업" || typ.Rows[1][0].Text != "합계" {
		t.Fatalf("type table %+v", typ)
	}
	cells := fmt.Sprint(typ.Header, typ.Rows[0])
	for _, want := range []string{"2026.05", "110,000", "60,000", "50,000"} {
		if !strings.Contains(cells, want) {
			t.Errorf("type table %s lacks %s", cells, want)
		}
	}
	if m := byKey["month"]; len(m.Rows) != 4 || m.Rows[1][0].Text != "2026.05" {
		t.Errorf("month table %+v", m)
	}
	if len(report.CSV("판매 실적", tables)) == 0 {
		t.Error("empty CSV")
	}
	if _, err := report.XLSX(tables); err != nil {
		t.Errorf("xlsx: %v", err)
	}
}
