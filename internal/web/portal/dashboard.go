package portal

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/web/view"
)

// salesRow is one day or week of the sales tables.
type salesRow struct {
	Label   string // "11.23 (일)", "11.17~11.23"
	Current bool   // today, this week
	Orders  string
	Amount  string
	Bar     int // the bar's width in twentieths of the largest period (1 for any sale)
}

// topRow is one best-selling product.
type topRow struct {
	Name, URL        string
	Quantity, Amount string
}

// topTable is one list of best sellers.
type topTable struct {
	Caption string
	Rows    []topRow
}

// lowRow is one product (or option) low on stock.
type lowRow struct {
	Name, Option, URL string
	Stock             string
	Out               bool
}

type dashboardView struct {
	layout
	Name string
	// Sales is false when the app runs without orders: the sales and order
	// sections are left out.
	Sales                bool
	Days, Weeks          []salesRow
	DaysTotal, WeekTotal string
	Top                  []topTable // by amount, by quantity; none without sales
	AwaitAccept          int
	AwaitShip            int
	Returns              int // parts with a return waiting for the enterprise
	// Quotes and Questions wait for an answer (-1 without the service:
	// left out).
	Quotes, Questions int
	Waiting           []subOrderRow
	Low               []lowRow
}

// Dashboard sizes.
const (
	dashboardWaiting = 5  // orders waiting listed
	dashboardLow     = 5  // low-stock products listed
	lowScan          = 20 // products read, low stock first, to find them
	barSteps         = 20 // the bars' widths are in steps of 5%
)

// weekdays are the days of the week as Korean calendars abbreviate them.
var weekdays = [...]string{"일", "월", "화", "수", "목", "금", "토"}

// dashboardPage is GET /portal: what waits for the enterprise, its sales
// by day and week, its best sellers and what runs out.
func (s *server) dashboardPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := dashboardView{Name: enterprise(c).Name, Quotes: -1, Questions: -1}
	if s.Quotes != nil {
		_, n, err := s.Quotes.FindRequests(ctx, quote.Filter{Open: true, Limit: 1})
		if err != nil {
			return err
		}
		v.Quotes = n
	}
	if s.Reviews != nil {
		_, n, err := s.Reviews.EnterpriseQuestions(ctx, true, 1, 0)
		if err != nil {
			return err
		}
		v.Questions = n
	}
	if s.Orders != nil {
		d, err := s.Orders.EnterpriseDashboard(ctx)
		if err != nil {
			return err
		}
		waiting, _, err := s.Orders.FindEnterpriseSubOrders(ctx, order.SubOrderFilter{Waiting: true, Limit: dashboardWaiting})
		if err != nil {
			return err
		}
		_, returns, err := s.Orders.FindEnterpriseSubOrders(ctx, order.SubOrderFilter{Returns: true, Limit: 1})
		if err != nil {
			return err
		}
		v.Sales, v.AwaitAccept, v.AwaitShip, v.Returns = true, d.AwaitingAcceptance, d.AwaitingShipment, returns
		var total int64
		v.Days, total = salesRows(d.Days, func(p order.SalesPeriod) string {
			return p.Start.Format("01.02") + " (" + weekdays[p.Start.Weekday()] + ")"
		})
		v.DaysTotal = kr.Won(total)
		v.Weeks, total = salesRows(d.Weeks, func(p order.SalesPeriod) string {
			return p.Start.Format("01.02") + "~" + p.Start.AddDate(0, 0, 6).Format("01.02")
		})
		v.WeekTotal = kr.Won(total)
		if len(d.TopByAmount) > 0 {
			v.Top = []topTable{{"판매 금액 순", topRows(d.TopByAmount)}, {"판매 수량 순", topRows(d.TopByQuantity)}}
		}
		for _, so := range waiting {
			v.Waiting = append(v.Waiting, subOrderRow{URL: orderURL(so.ID, ""), Number: so.OrderNumber,
				OrderedAt: view.FormatDateTime(so.PaidAt), Items: itemsSummary(so.Lines), Recipient: so.Address.Recipient,
				Total: kr.Won(so.Total), Status: string(so.Status), StatusLabel: so.StatusLabel(), Next: so.NextAction()})
		}
	}
	products, _, err := s.Manager.FindPortalProducts(ctx, catalog.ManagedProductFilter{Sort: catalog.SortLowStock, Limit: lowScan})
	if err != nil {
		return err
	}
	v.Low = lowRows(products)
	v.Title, v.Nav = "대시보드", navDashboard
	return s.render(c, "portal/dashboard", &v)
}

// salesRows are the periods as table rows, the last one current, and their
// total.
func salesRows(ps []order.SalesPeriod, label func(order.SalesPeriod) string) ([]salesRow, int64) {
	var top, total int64
	for _, p := range ps {
		top, total = max(top, p.Amount), total+p.Amount
	}
	rows := make([]salesRow, len(ps))
	for i, p := range ps {
		r := salesRow{Label: label(p), Current: i == len(ps)-1, Orders: kr.Comma(int64(p.Orders)) + "건",
			Amount: kr.Won(p.Amount)}
		if p.Amount > 0 && top > 0 {
			r.Bar = max(int(p.Amount*barSteps/top), 1)
		}
		rows[i] = r
	}
	return rows, total
}

func topRows(ps []order.ProductSales) []topRow {
	rows := make([]topRow, len(ps))
	for i, p := range ps {
		rows[i] = topRow{Name: p.Name, URL: editURL(p.ProductID, ""), Quantity: kr.Comma(int64(p.Quantity)) + "개",
			Amount: kr.Won(p.Amount)}
	}
	return rows
}

// lowRows are the products (or, for products with options, their options)
// whose stock is at most lowStock, the lowest first as the list comes.
func lowRows(products []*catalog.Product) []lowRow {
	var rows []lowRow
	add := func(p *catalog.Product, option string, stock int) {
		if stock <= lowStock && len(rows) < dashboardLow {
			rows = append(rows, lowRow{Name: p.Name, Option: option, URL: editURL(p.ID, ""),
				Stock: strconv.Itoa(stock) + "개", Out: stock <= 0})
		}
	}
	for _, p := range products {
		if len(p.Options) == 0 {
			add(p, "", p.Stock)
			continue
		}
		for _, o := range p.Options {
			add(p, o.Name, o.Stock)
		}
	}
	return rows
}
