package order

import (
	"context"
	"time"

	"github.com/dure-coop/dure/internal/account"
)

// Dashboard periods.
const (
	dashboardDays  = 14
	dashboardWeeks = 8
	topDays        = 30
	topProducts    = 5
)

// Dashboard is an enterprise's sales at a glance. Sales are the gross
// amounts (lines and shipping) of its sub-orders not cancelled, by the day
// in Korean time they became firm: paid for card orders, placed (and so
// confirmed) for institutions' orders on invoice, which are never paid
// online.
type Dashboard struct {
	Days  []SalesPeriod // the last 14 days, today last
	Weeks []SalesPeriod // the last 8 weeks (Monday to Sunday), this week last
	// TopByQuantity and TopByAmount are its best-selling products of the
	// last 30 days (at most 5 each).
	TopByQuantity []ProductSales
	TopByAmount   []ProductSales
	// AwaitingAcceptance counts paid parts not accepted yet, AwaitingShipment
	// accepted parts not shipped yet.
	AwaitingAcceptance int
	AwaitingShipment   int
}

// AwaitingAction is how many parts wait for the enterprise.
func (d *Dashboard) AwaitingAction() int { return d.AwaitingAcceptance + d.AwaitingShipment }

// SalesPeriod is the sales of one day or week.
type SalesPeriod struct {
	Start  time.Time // midnight (KST) of its first day
	Label  string    // "11.23" for a day, "11.17~" for a week
	Amount int64     // 원
	Orders int       // sub-orders paid
}

// ProductSales is what one product sold.
type ProductSales struct {
	ProductID int64
	Name      string // as on its latest order line
	Quantity  int
	Amount    int64 // 원, the lines' totals
}

// EnterpriseStats is what Store.FindEnterpriseStats reads.
type EnterpriseStats struct {
	Days               []DaySales // only days with sales, oldest first
	TopByQuantity      []ProductSales
	TopByAmount        []ProductSales
	AwaitingAcceptance int
	AwaitingShipment   int
}

// DaySales is the sales of one day in Korean time.
type DaySales struct {
	Day    time.Time // the date (its year, month and day count)
	Amount int64
	Orders int
}

// EnterpriseDashboard returns the dashboard of the actor's enterprise
// (account.EnterpriseScope and its errors).
func (s *Service) EnterpriseDashboard(ctx context.Context) (*Dashboard, error) {
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, err
	}
	today := midnight(s.now())
	week := today.AddDate(0, 0, -(int(today.Weekday())+6)%7) // this week's Monday
	firstWeek := week.AddDate(0, 0, -7*(dashboardWeeks-1))
	firstDay := today.AddDate(0, 0, -(dashboardDays - 1))
	since := firstWeek
	if firstDay.Before(since) {
		since = firstDay
	}
	st, err := s.store.FindEnterpriseStats(ctx, ent, since, today.AddDate(0, 0, -(topDays-1)), topProducts)
	if err != nil {
		return nil, err
	}
	d := &Dashboard{TopByQuantity: st.TopByQuantity, TopByAmount: st.TopByAmount,
		AwaitingAcceptance: st.AwaitingAcceptance, AwaitingShipment: st.AwaitingShipment}
	for i := range dashboardDays {
		day := firstDay.AddDate(0, 0, i)
		d.Days = append(d.Days, SalesPeriod{Start: day, Label: day.Format("01.02")})
	}
	for i := range dashboardWeeks {
		w := firstWeek.AddDate(0, 0, 7*i)
		d.Weeks = append(d.Weeks, SalesPeriod{Start: w, Label: w.Format("01.02") + "~"})
	}
	for _, x := range st.Days {
		day := time.Date(x.Day.Year(), x.Day.Month(), x.Day.Day(), 0, 0, 0, 0, kst)
		if i := int(day.Sub(firstDay).Hours()) / 24; i >= 0 && i < dashboardDays && !day.Before(firstDay) {
			d.Days[i].Amount += x.Amount
			d.Days[i].Orders += x.Orders
		}
		if i := int(day.Sub(firstWeek).Hours()) / 24 / 7; i >= 0 && i < dashboardWeeks && !day.Before(firstWeek) {
			d.Weeks[i].Amount += x.Amount
			d.Weeks[i].Orders += x.Orders
		}
	}
	return d, nil
}

// midnight is the start of t's day in Korea.
func midnight(t time.Time) time.Time {
	t = t.In(kst)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, kst)
}
