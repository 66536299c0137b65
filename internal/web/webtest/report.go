package webtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/report"
	"github.com/dure-coop/dure/internal/testutil"
)

// ReportYear is a generated year of public orders of two institutions
// (card and invoice; 검수 passed, partly passed and rejected; parts and
// orders cancelled and refunded; parts still uninspected; one 검수 on each
// side of the year's ends) and what the priority-purchase report must say
// of it under the inspected basis, summed line by line as the orders were
// made.
type ReportYear struct {
	Year     int
	A, B     *Inst
	BuyerA   context.Context
	BuyerB   context.Context
	Operator context.Context
	// Want is the expected figures by institution id (0: all) under the
	// inspected basis.
	Want map[int64]*ReportWant
	// Lines are every counted public line (inspected basis), in any year,
	// with the date that places it; GenerateSalesYear adds the consumer
	// lines.
	Lines []SalesLine
	// Products are the generated orders' products.
	Products []int64
}

// SalesLine is one counted order line as the generator made it: the
// figures the sales report must sum.
type SalesLine struct {
	OrderID      int64
	Channel      report.Channel
	Buyer        string // u<user id>, else p<phone digits>
	ProductID    int64
	ProductName  string
	EnterpriseID int64
	Type         catalog.EnterpriseType
	TaxType      catalog.TaxType
	UnitPrice    int64
	Quantity     int
	Day          time.Time // the civil date in Korea
}

// Amount is the line's counted amount; Supply its 공급가액.
func (l SalesLine) Amount() int64 { return l.UnitPrice * int64(l.Quantity) }

// Supply is the counted amount's 공급가액.
func (l SalesLine) Supply() int64 {
	s, _ := catalog.SplitVAT(l.Amount(), l.TaxType)
	return s
}

// ReportWant is the expected report of one scope.
type ReportWant struct {
	Total        report.Figures
	ByType       map[catalog.EnterpriseType]report.Figures
	ByMonth      map[time.Month]report.Figures
	ByEnterprise map[int64]report.Figures
	orders       map[string]map[int64]bool // the group key → the orders counted in it
}

func newWant() *ReportWant {
	return &ReportWant{ByType: map[catalog.EnterpriseType]report.Figures{}, ByMonth: map[time.Month]report.Figures{},
		ByEnterprise: map[int64]report.Figures{}, orders: map[string]map[int64]bool{}}
}

func (w *ReportWant) add(key string, f *report.Figures, orderID int64, qty int, amount, supply int64) {
	if w.orders[key] == nil {
		w.orders[key] = map[int64]bool{}
	}
	if !w.orders[key][orderID] {
		w.orders[key][orderID] = true
		f.Orders++
	}
	f.Lines++
	f.Quantity += int64(qty)
	f.Amount += amount
	f.Supply += supply
	f.VAT += amount - supply
}

func (w *ReportWant) count(orderID int64, l *order.Line, enterprise int64, month time.Month, qty int) {
	amount := l.UnitPrice * int64(qty)
	supply, _ := catalog.SplitVAT(amount, l.TaxType)
	w.add("total", &w.Total, orderID, qty, amount, supply)
	t := w.ByType[l.EnterpriseType]
	w.add("type:"+string(l.EnterpriseType), &t, orderID, qty, amount, supply)
	w.ByType[l.EnterpriseType] = t
	m := w.ByMonth[month]
	w.add(fmt.Sprint("month:", month), &m, orderID, qty, amount, supply)
	w.ByMonth[month] = m
	e := w.ByEnterprise[enterprise]
	w.add(fmt.Sprint("ent:", enterprise), &e, orderID, qty, amount, supply)
	w.ByEnterprise[enterprise] = e
}

// staffOf is a context acting as a staff member of the enterprise.
func staffOf(enterprise int64) context.Context {
	return account.NewContext(context.Background(), &account.Actor{UserID: 900000 + enterprise, Name: "직원",
		Role: account.EnterpriseStaff, EnterpriseID: enterprise, EnterpriseStatus: account.EnterpriseActive,
		MemberRole: account.Staff})
}

// GenerateReportYear places last year's orders (see ReportYear) through the
// order service: PlacePublic, the enterprises' accept and ship, the buyer's
// 검수, card payments, cancellations with their refunds. The service dates
// what it does today, so the test moves the shipment and delivery times
// back to the generated day; the 검수 dates are the buyer's own entry.
func (e *Env) GenerateReportYear(t testing.TB) *ReportYear {
	t.Helper()
	ctx := context.Background()
	today := coop.DateOf(time.Now())
	y := &ReportYear{Year: today.Year() - 1, Want: map[int64]*ReportWant{}}
	y.A, y.B = e.Institution(t, "대구광역시청"), e.Institution(t, "경상북도교육청")
	signIn := func(email string) context.Context {
		a, _, err := e.Accounts.SignIn(ctx, email, Password, "192.0.2.240")
		if err != nil {
			t.Fatal(err)
		}
		return account.NewContext(ctx, a)
	}
	y.BuyerA, y.BuyerB, y.Operator = signIn(y.A.Buyer), signIn(y.B.Buyer), signIn(e.Operator(t))
	y.Want[0], y.Want[y.A.ID], y.Want[y.B.ID] = newWant(), newWant(), newWant()

	// One goods product without options from each of five enterprises, of
	// different types, taxable and exempt.
	rows, err := e.Pool.Query(ctx, `SELECT DISTINCT ON (e.id) p.id, e.id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY e.id, p.tax_type DESC, p.id LIMIT 5`)
	if err != nil {
		t.Fatal(err)
	}
	var products, enterprises []int64
	for rows.Next() {
		var p, ent int64
		if err := rows.Scan(&p, &ent); err != nil {
			t.Fatal(err)
		}
		products, enterprises = append(products, p), append(enterprises, ent)
	}
	rows.Close()
	y.Products = products
	if len(products) < 3 {
		t.Fatalf("the demo catalogue has %d enterprises with a plain goods product, want 3 or more", len(products))
	}
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = 100000 WHERE id = ANY($1)`, products); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := e.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	at := func(d time.Time) string { return d.Format(time.DateOnly) }

	for i := range 40 {
		inst, buyer := y.A, y.BuyerA
		if i%5 == 4 {
			inst, buyer = y.B, y.BuyerB
		}
		a := account.FromContext(buyer)
		day := coop.Date(y.Year, time.Month(i%12+1), 2+i%24)
		p1, p2 := i%len(products), (i+1)%len(products)
		lines := []order.PublicLine{{ProductID: products[p1], Quantity: 3 + i%7, UnitPrice: int64(1_100 * (10 + i))},
			{ProductID: products[p2], Quantity: 1 + i%4, UnitPrice: int64(5_000 + 770*i)}}
		terms := order.TermsInvoice
		kind := i % 8
		if kind == 5 || kind == 6 || kind == 7 {
			terms = order.TermsCard
		}
		o, err := e.Orders.PlacePublic(buyer, order.PublicOrderInput{Key: testutil.Name("ry"), InstitutionID: inst.ID,
			UserID: a.UserID, Buyer: order.Buyer{Name: a.Name, Phone: "053-803-0114", Email: a.Email},
			Address:         order.Address{Recipient: inst.Name, Phone: "053-803-0114", Postcode: "41911", Road: "대구광역시 중구 공평로 88"},
			DesiredDelivery: today.AddDate(0, 0, 7), Terms: terms, Lines: lines,
			Shipping: map[int64]int64{enterprises[p1]: 3_000}})
		if err != nil {
			t.Fatalf("order %d: %v", i, err)
		}
		if terms == order.TermsCard {
			if err := e.Orders.ConfirmTestPayment(buyer, o.Number); err != nil {
				t.Fatalf("pay order %d: %v", i, err)
			}
		}
		if kind == 7 { // the buyer cancels the whole card order before shipping: refunded, never counted
			if err := e.Orders.Cancel(ctx, o.Number, "053-803-0114"); err != nil {
				t.Fatalf("cancel order %d: %v", i, err)
			}
			continue
		}
		count := func(so *order.SubOrder, l *order.Line, qty int, on time.Time) {
			if qty > 0 {
				y.Lines = append(y.Lines, SalesLine{OrderID: o.ID, Channel: report.Public, Buyer: fmt.Sprint("u", a.UserID),
					ProductID: l.ProductID, ProductName: l.Name, EnterpriseID: so.EnterpriseID, Type: l.EnterpriseType,
					TaxType: l.TaxType, UnitPrice: l.UnitPrice, Quantity: qty, Day: on})
			}
			if on.Year() != y.Year || qty == 0 {
				return
			}
			for _, id := range []int64{0, inst.ID} {
				y.Want[id].count(o.ID, l, so.EnterpriseID, on.Month(), qty)
			}
		}
		for j, so := range o.SubOrders {
			staff := staffOf(so.EnterpriseID)
			if kind == 4 && j == 1 || kind == 6 && j == 0 { // the enterprise cancels its part (a card part is refunded)
				if err := e.Orders.CancelSubOrder(staff, so.ID, "재고 부족"); err != nil {
					t.Fatalf("cancel part of order %d: %v", i, err)
				}
				continue
			}
			if err := e.Orders.AcceptSubOrder(staff, so.ID); err != nil {
				t.Fatalf("accept order %d: %v", i, err)
			}
			if err := e.Orders.ShipSubOrder(staff, so.ID, "cj", "123456789012"); err != nil {
				t.Fatalf("ship order %d: %v", i, err)
			}
			exec(`UPDATE sub_orders SET shipped_at = ($2::date + time '10:00') AT TIME ZONE 'Asia/Seoul' WHERE id = $1`, so.ID, at(day))
			if terms == order.TermsCard {
				if err := e.Orders.MarkDelivered(staff, so.ID); err != nil {
					t.Fatalf("deliver order %d: %v", i, err)
				}
				// Delivered at 00:30 in Korea on the next month's first day
				// (the UTC date is still the month before): the Korean date
				// places it. A part delivered in January of this year is not
				// in last year's report.
				deliveredOn := time.Date(day.Year(), day.Month()+1, 1, 0, 0, 0, 0, time.UTC)
				exec(`UPDATE sub_orders SET delivered_at = ($2::date + time '00:30') AT TIME ZONE 'Asia/Seoul' WHERE id = $1`, so.ID, at(deliveredOn))
				for li := range so.Lines {
					count(so, &so.Lines[li], so.Lines[li].Quantity, deliveredOn)
				}
				continue
			}
			inspected := day.AddDate(0, 0, 2)
			if i == 0 {
				inspected = coop.Date(y.Year, 1, 1) // the year's first day
				exec(`UPDATE sub_orders SET shipped_at = ($2::date + time '08:00') AT TIME ZONE 'Asia/Seoul' WHERE id = $1`, so.ID, at(inspected))
			}
			if i == 32 {
				inspected = coop.Date(y.Year+1, 1, 1) // the next year's: not in this year's report
				exec(`UPDATE sub_orders SET shipped_at = ($2::date + time '10:00') AT TIME ZONE 'Asia/Seoul' WHERE id = $1`, so.ID, at(coop.Date(y.Year, 12, 30)))
			}
			in := order.InspectionInput{Date: at(inspected), Inspector: "김검수", Result: order.InspectPass}
			switch kind {
			case 1: // partial: the first line half accepted, the second in full
				in.Result, in.Reason = order.InspectPartial, "일부 파손"
				in.Accepted = map[int64]int{so.Lines[0].ID: so.Lines[0].Quantity / 2}
			case 2: // rejected
				in.Result, in.Reason = order.InspectReject, "규격 불일치"
			case 3: // not inspected yet
				continue
			}
			if _, err := e.Orders.Inspect(buyer, so.ID, in); err != nil {
				t.Fatalf("inspect order %d: %v", i, err)
			}
			for li := range so.Lines {
				l := &so.Lines[li]
				q := l.Quantity
				switch {
				case in.Result == order.InspectReject:
					q = 0
				case in.Accepted != nil:
					if v, ok := in.Accepted[l.ID]; ok {
						q = v
					}
				}
				count(so, l, q, inspected)
			}
		}
	}
	return y
}

// GenerateSalesYear is GenerateReportYear's public orders plus consumer
// orders paid around last year (Y), through the cart, checkout and
// stripe-mock, with their payment times moved to the generated moments:
//   - guests and one member, the member sharing a guest's phone (two
//     buyers) and a guest's phone written three ways (one buyer);
//   - a buyer who first bought on Y-1's last evening and again in January
//     (returning in Y), one first buying in March and again in May (new in
//     March, returning in May), one whose only Y order was cancelled
//     before buying in April (new in April), one paid at 00:10 on Y+1's
//     first day (in Korea; still Y's last day in UTC), and an order never
//     paid;
//   - whole orders cancelled and refunded, parts cancelled and refunded by
//     the enterprise, parts delivered.
//
// Every counted consumer line joins y.Lines.
func (e *Env) GenerateSalesYear(t testing.TB) *ReportYear {
	t.Helper()
	y := e.GenerateReportYear(t)
	ctx := context.Background()
	Y := y.Year
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := e.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	var member int64
	memberEmail := e.Consumer(t)
	if err := e.Pool.QueryRow(ctx, `SELECT id FROM users WHERE lower(email) = lower($1)`, memberEmail).Scan(&member); err != nil {
		t.Fatal(err)
	}
	n := 0
	// place orders two products, paid (unless unpaid) at the Korean time
	// clock on day; it returns the order as placed.
	place := func(day time.Time, clock, phone string, user int64, unpaid bool) *order.Order {
		t.Helper()
		n++
		p1, p2 := y.Products[n%len(y.Products)], y.Products[(n+2)%len(y.Products)]
		cartID := testutil.Name("salescart")
		for i, p := range []int64{p1, p2} {
			if err := e.Carts.Add(ctx, cartID, cart.Key{ProductID: p}, 1+(n+i)%4); err != nil {
				t.Fatalf("add to cart: %v", err)
			}
		}
		addr := order.Address{Recipient: "김두레", Phone: phone, Postcode: "41940", Road: "대구광역시 중구 동덕로 115"}
		v, err := e.Carts.View(ctx, cartID, addr.Postcode)
		if err != nil {
			t.Fatal(err)
		}
		o, err := e.Orders.Checkout(ctx, order.CheckoutInput{CheckoutKey: testutil.Name("salescheckout"), CartID: cartID,
			Buyer: order.Buyer{Name: "김두레", Phone: phone, Email: "doore@example.kr"}, Address: addr, ExpectedTotal: v.Price.Total,
			Consent: testutil.Consent(t, e.Pool)})
		if err != nil {
			t.Fatalf("checkout %d: %v", n, err)
		}
		if user != 0 {
			exec(`UPDATE orders SET user_id = $2 WHERE id = $1`, o.ID, user)
		}
		if unpaid {
			return o
		}
		if err := e.Orders.ConfirmTestPayment(ctx, o.Number); err != nil {
			t.Fatalf("pay %d: %v", n, err)
		}
		exec(`UPDATE orders SET paid_at = ($2::date + $3::time) AT TIME ZONE 'Asia/Seoul' WHERE id = $1`,
			o.ID, day.Format(time.DateOnly), clock)
		return o
	}
	buyer := func(o *order.Order, user int64, phone string) string {
		if user != 0 {
			return fmt.Sprint("u", user)
		}
		d := make([]byte, 0, len(phone))
		for i := range len(phone) {
			if c := phone[i]; c >= '0' && c <= '9' {
				d = append(d, c)
			}
		}
		return "p" + string(d)
	}
	// counted records the order's lines, except those of skipped parts.
	counted := func(o *order.Order, day time.Time, user int64, phone string, skip map[int64]bool) {
		for _, so := range o.SubOrders {
			if skip[so.ID] {
				continue
			}
			for _, l := range so.Lines {
				y.Lines = append(y.Lines, SalesLine{OrderID: o.ID, Channel: report.Consumer, Buyer: buyer(o, user, phone),
					ProductID: l.ProductID, ProductName: l.Name, EnterpriseID: so.EnterpriseID, Type: l.EnterpriseType,
					TaxType: l.TaxType, UnitPrice: l.UnitPrice, Quantity: l.Quantity, Day: day})
			}
		}
	}
	paid := func(day time.Time, clock, phone string, user int64) {
		t.Helper()
		counted(place(day, clock, phone, user, false), day, user, phone, nil)
	}

	// The boundary buyers.
	paid(coop.Date(Y-1, 12, 31), "23:50", "010-5555-0002", 0)
	paid(coop.Date(Y, 1, 1), "00:10", "010-5555-0002", 0) // 15:10 UTC on Y-1's last day: Korea's date places it in Y
	paid(coop.Date(Y, 3, 14), "12:00", "010-5555-0003", 0)
	paid(coop.Date(Y, 5, 20), "12:00", "010-5555-0003", 0)
	o := place(coop.Date(Y, 2, 10), "12:00", "010-5555-0005", 0, false)
	if err := e.Orders.Cancel(ctx, o.Number, "010-5555-0005"); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	paid(coop.Date(Y, 4, 2), "09:00", "010-5555-0005", 0)
	paid(coop.Date(Y+1, 1, 1), "00:10", "010-5555-0004", 0)
	place(coop.Date(Y, 6, 1), "12:00", "010-5555-0006", 0, true) // never paid

	// The year's run: guests (one phone written three ways) and a member
	// with that same phone.
	phones := []string{"010-5555-0001", "010-6000-0001", "010-6000-0002", "010-6000-0003"}
	for i := range 30 {
		day := coop.Date(Y, time.Month(i%12+1), 1+(i*7)%28)
		phone, user := phones[i%len(phones)], int64(0)
		if i%5 == 2 {
			user = member
			phone = "010-5555-0001"
		}
		o := place(day, "15:00", phone, user, false)
		switch i % 6 {
		case 1: // the enterprise cancels the second part: refunded
			so := o.SubOrders[len(o.SubOrders)-1]
			if len(o.SubOrders) < 2 {
				t.Fatalf("order %d has one part", i)
			}
			if err := e.Orders.CancelSubOrder(staffOf(so.EnterpriseID), so.ID, "재고 부족"); err != nil {
				t.Fatalf("cancel part %d: %v", i, err)
			}
			counted(o, day, user, phone, map[int64]bool{so.ID: true})
		case 3: // the buyer cancels before shipping: refunded
			if err := e.Orders.Cancel(ctx, o.Number, phone); err != nil {
				t.Fatalf("cancel %d: %v", i, err)
			}
		case 4: // delivered
			for _, so := range o.SubOrders {
				staff := staffOf(so.EnterpriseID)
				if err := e.Orders.AcceptSubOrder(staff, so.ID); err != nil {
					t.Fatal(err)
				}
				if err := e.Orders.ShipSubOrder(staff, so.ID, "cj", "123456789012"); err != nil {
					t.Fatal(err)
				}
				if err := e.Orders.MarkDelivered(staff, so.ID); err != nil {
					t.Fatal(err)
				}
			}
			counted(o, day, user, phone, nil)
		default:
			counted(o, day, user, phone, nil)
		}
		if i%4 == 0 && user == 0 && phone == "010-5555-0001" { // the same phone, written otherwise
			exec(`UPDATE orders SET buyer_phone = $2 WHERE id = $1`, o.ID, []string{"01055550001", "010 5555 0001", "010-5555-0001"}[i%12/4])
		}
	}
	return y
}
