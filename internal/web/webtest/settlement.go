package webtest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/testutil"
)

// SettleMonth is a generated month (last month, in Korea) of orders on both
// channels and what its statements must say, summed part by part from the
// orders as they were made: consumer card orders of two enterprises each
// (a part cancelled before shipping and refunded, a co-op-funded and an
// enterprise-funded discount written on order lines, a partial refund of a
// delivered part within the month), public orders on invoice (검수 passed,
// partly passed, rejected, not yet done; the claims paid by transfer) and
// by card (a part cancelled). Overrides: Enterprises[0] pays 12.5 % on
// consumer sales to the 15th and 8 % from the 16th, Enterprises[1] 3 % on
// public sales; otherwise the defaults (10 % consumer, 5 % public).
type SettleMonth struct {
	From, To    time.Time
	Enterprises []int64
	Operator    context.Context
	// Want is each enterprise's statement of the month.
	Want map[int64]*settlement.Figures
	// Received is the money buyers paid (card payments, transfers against
	// claims); Refunded what went back, both over every order generated.
	Received, Refunded int64
	// LateSub is a delivered consumer part of the month, not refunded:
	// LateRefund refunds it in full today (after the month closed).
	LateSub     int64
	lateOrderID int64
	lateAmount  int64
}

// StaffOf is a context acting as a staff member of the enterprise (no
// account behind it: reads only).
func StaffOf(enterprise int64) context.Context { return staffOf(enterprise) }

// LateRefund refunds s.LateSub in full with today's date, as a return
// would, and returns the amount.
func (s *SettleMonth) LateRefund(t testing.TB, e *Env) int64 {
	t.Helper()
	refund(t, e, s.lateOrderID, s.LateSub, s.lateAmount, time.Now())
	s.Refunded += s.lateAmount
	return s.lateAmount
}

// refund writes a refund of a delivered part as the provider confirmed it
// (the order service has no returns yet: this is the row a return writes).
func refund(t testing.TB, e *Env, orderID, subOrderID, amount int64, at time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.Pool.Exec(ctx, `WITH p AS (UPDATE payments SET refunded_amount = refunded_amount + $3
			WHERE order_id = $1 AND provider = 'stripe' RETURNING id)
		INSERT INTO refunds (payment_id, sub_order_id, amount, reason, idempotency_key, provider_ref, created_at)
		SELECT p.id, $2, $3, '반품', $4, $4, $5 FROM p`, orderID, subOrderID, amount, testutil.Name("return"), at); err != nil {
		t.Fatalf("refund part %d: %v", subOrderID, err)
	}
}

// GenerateSettleMonth places the month's orders (see SettleMonth) through
// the order service and moves their delivery, shipment and refund times
// into the month, as report's generator does.
func (e *Env) GenerateSettleMonth(t testing.TB) *SettleMonth {
	t.Helper()
	ctx := context.Background()
	today := coop.DateOf(time.Now())
	from, to := settlement.Month(today.AddDate(0, 0, -today.Day()))
	m := &SettleMonth{From: from, To: to, Want: map[int64]*settlement.Figures{}}
	m.Operator = e.Actor(t, e.Operator(t))
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := e.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	rows, err := e.Pool.Query(ctx, `SELECT DISTINCT ON (e.id) p.id, e.id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY e.id, p.id LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	var products []int64
	for rows.Next() {
		var p, ent int64
		if err := rows.Scan(&p, &ent); err != nil {
			t.Fatal(err)
		}
		products, m.Enterprises = append(products, p), append(m.Enterprises, ent)
	}
	rows.Close()
	if len(products) < 3 {
		t.Fatalf("the demo catalogue has %d enterprises with a plain goods product, want 3", len(products))
	}
	exec(`UPDATE products SET stock = 100000 WHERE id = ANY($1)`, products)
	for i, ent := range m.Enterprises {
		m.Want[ent] = &settlement.Figures{}
		exec(`UPDATE enterprises SET bank_name = '농협은행', bank_account = $2, bank_holder = name WHERE id = $1`,
			ent, "301-0000-1111-"+string(rune('1'+i))+"1")
	}
	for _, in := range []settlement.RateInput{
		{EnterpriseID: m.Enterprises[0], Channel: "consumer", Rate: "12.5", From: from.Format(time.DateOnly), Until: from.AddDate(0, 0, 14).Format(time.DateOnly)},
		{EnterpriseID: m.Enterprises[0], Channel: "consumer", Rate: "8", From: from.AddDate(0, 0, 15).Format(time.DateOnly)},
		{EnterpriseID: m.Enterprises[1], Channel: "public", Rate: "3%", From: from.AddDate(0, -1, 0).Format(time.DateOnly)},
	} {
		if _, err := e.Settlement.AddRate(m.Operator, in); err != nil {
			t.Fatalf("add rate %+v: %v", in, err)
		}
	}
	rate := func(ent int64, c settlement.Channel, day time.Time) int {
		switch {
		case ent == m.Enterprises[0] && c == settlement.Consumer && day.Day() <= 15:
			return 1250
		case ent == m.Enterprises[0] && c == settlement.Consumer:
			return 800
		case ent == m.Enterprises[1] && c == settlement.Public:
			return 300
		case c == settlement.Public:
			return 500
		}
		return 1000
	}
	// sale adds an accrued part: goods and discount from the counted
	// quantities (qty by line id; nil: all).
	sale := func(so *order.SubOrder, c settlement.Channel, day time.Time, qty map[int64]int, coopDisc map[int64]int64) {
		var goods, disc int64
		for _, l := range so.Lines {
			q := l.Quantity
			if qty != nil {
				q = qty[l.ID]
			}
			goods += l.UnitPrice * int64(q)
			disc += coopDisc[l.ID] * int64(q)
		}
		w := m.Want[so.EnterpriseID]
		if c == settlement.Public {
			w.SalesPublic += goods
		} else {
			w.SalesConsumer += goods
		}
		w.Shipping += so.ShippingFee
		w.CoopDiscount += disc
		w.Commission += (goods + disc) * int64(rate(so.EnterpriseID, c, day)) / 10_000
		w.Entries++
	}
	dayOf := func(i int) time.Time { return from.AddDate(0, 0, (i*5)%to.Day()) }
	at := func(d time.Time, clock string) string { return d.Format(time.DateOnly) + " " + clock }
	staffs := map[int64]context.Context{}
	for _, ent := range m.Enterprises {
		staffs[ent] = staffOf(ent)
	}
	ship := func(so *order.SubOrder) {
		t.Helper()
		if err := e.Orders.AcceptSubOrder(staffs[so.EnterpriseID], so.ID); err != nil {
			t.Fatalf("accept: %v", err)
		}
		if err := e.Orders.ShipSubOrder(staffs[so.EnterpriseID], so.ID, "cj", "123456789012"); err != nil {
			t.Fatalf("ship: %v", err)
		}
	}
	deliver := func(so *order.SubOrder, day time.Time) {
		t.Helper()
		ship(so)
		if err := e.Orders.MarkDelivered(staffs[so.EnterpriseID], so.ID); err != nil {
			t.Fatalf("deliver: %v", err)
		}
		// 00:30 in Korea: the UTC date is the day before; the Korean one counts.
		exec(`UPDATE sub_orders SET shipped_at = ($2::timestamp - interval '1 day') AT TIME ZONE 'Asia/Seoul',
			delivered_at = $2::timestamp AT TIME ZONE 'Asia/Seoul' WHERE id = $1`, so.ID, at(day, "00:30"))
	}

	// Consumer card orders, each of two enterprises.
	for i := range 12 {
		cartID := testutil.Name("cart")
		for _, p := range []int64{products[i%3], products[(i+1)%3]} {
			if err := e.Carts.Add(ctx, cartID, cart.Key{ProductID: p}, 1+i%3); err != nil {
				t.Fatalf("add to cart: %v", err)
			}
		}
		addr := order.Address{Recipient: "김두레", Phone: "010-2222-3333", Postcode: "41940", Road: "대구광역시 중구 동덕로 115"}
		v, err := e.Carts.View(ctx, cartID, addr.Postcode)
		if err != nil {
			t.Fatal(err)
		}
		o, err := e.Orders.Checkout(ctx, order.CheckoutInput{CheckoutKey: testutil.Name("checkout"), CartID: cartID,
			Buyer: order.Buyer{Name: "김두레", Phone: "010-1234-5678", Email: "doore@example.kr"}, Address: addr, ExpectedTotal: v.Price.Total,
			Consent: testutil.Consent(t, e.Pool)})
		if err != nil {
			t.Fatalf("checkout %d: %v", i, err)
		}
		if err := e.Orders.ConfirmTestPayment(ctx, o.Number); err != nil {
			t.Fatalf("pay %d: %v", i, err)
		}
		m.Received += o.Total
		// Discounts written on the first line, as a campaign would: the
		// buyer paid unit_price; the list price was higher.
		coopDisc := map[int64]int64{}
		if l := o.SubOrders[0].Lines[0]; i%4 == 1 || i%4 == 2 {
			funder, per := "coop", int64(300)
			if i%4 == 2 {
				funder, per = "enterprise", 200
			} else {
				coopDisc[l.ID] = per
			}
			exec(`UPDATE order_lines SET list_unit_price = unit_price + $2, discount_amount = $2 * quantity,
				discount_funded_by = $3 WHERE id = $1`, l.ID, per, funder)
		}
		day := dayOf(i)
		for j := range o.SubOrders {
			so := o.SubOrders[j]
			if i%6 == 5 && j == 1 { // cancelled before shipping: refunded, never accrued
				if err := e.Orders.CancelSubOrder(staffs[so.EnterpriseID], so.ID, "재고 부족"); err != nil {
					t.Fatalf("cancel part %d: %v", i, err)
				}
				m.Refunded += so.Total
				continue
			}
			deliver(so, day)
			sale(so, settlement.Consumer, day, nil, coopDisc)
		}
		switch i {
		case 1: // a partial refund (a return of some goods) within the month
			so := o.SubOrders[0]
			amount := so.ItemsTotal / 3
			refund(t, e, o.ID, so.ID, amount, time.Date(day.Year(), day.Month(), min(day.Day()+2, to.Day()), 3, 0, 0, 0, time.UTC))
			m.Refunded += amount
			var disc int64
			for _, l := range so.Lines {
				disc += coopDisc[l.ID] * int64(l.Quantity)
			}
			dr := disc * amount / so.ItemsTotal
			w := m.Want[so.EnterpriseID]
			w.Refunds += amount
			w.CoopDiscount -= dr
			w.Commission -= (amount + dr) * int64(rate(so.EnterpriseID, settlement.Consumer, day)) / 10_000
			w.Entries++
		case 4:
			m.LateSub, m.lateOrderID, m.lateAmount = o.SubOrders[0].ID, o.ID, o.SubOrders[0].Total
		}
	}

	// Public orders of one institution: on invoice, or by card.
	inst := e.Institution(t, "대구광역시청")
	buyer := e.Actor(t, inst.Buyer)
	a := account.FromContext(buyer)
	for i := range 8 {
		p1, p2 := i%3, (i+2)%3
		terms := order.TermsInvoice
		if i%4 == 3 {
			terms = order.TermsCard
		}
		o, err := e.Orders.PlacePublic(buyer, order.PublicOrderInput{Key: testutil.Name("pub"), InstitutionID: inst.ID,
			UserID: a.UserID, Buyer: order.Buyer{Name: a.Name, Phone: "053-803-0114", Email: a.Email},
			Address:         order.Address{Recipient: inst.Name, Phone: "053-803-0114", Postcode: "41911", Road: "대구광역시 중구 공평로 88"},
			DesiredDelivery: today.AddDate(0, 0, 7), Terms: terms,
			Lines: []order.PublicLine{{ProductID: products[p1], Quantity: 4 + i, UnitPrice: int64(1_100 * (10 + i))},
				{ProductID: products[p2], Quantity: 2 + i%3, UnitPrice: int64(5_000 + 770*i)}},
			Shipping: map[int64]int64{m.Enterprises[p1]: 3_000}})
		if err != nil {
			t.Fatalf("public order %d: %v", i, err)
		}
		day := dayOf(i + 3)
		if terms == order.TermsCard {
			if err := e.Orders.ConfirmTestPayment(buyer, o.Number); err != nil {
				t.Fatalf("pay public %d: %v", i, err)
			}
			m.Received += o.Total
			for j := range o.SubOrders {
				so := o.SubOrders[j]
				if i == 7 && j == 1 {
					if err := e.Orders.CancelSubOrder(staffs[so.EnterpriseID], so.ID, "납품 불가"); err != nil {
						t.Fatalf("cancel public part: %v", err)
					}
					m.Refunded += so.Total
					continue
				}
				deliver(so, day)
				sale(so, settlement.Public, day, nil, nil)
			}
			continue
		}
		var claimed int64
		for j := range o.SubOrders {
			so := o.SubOrders[j]
			ship(so)
			exec(`UPDATE sub_orders SET shipped_at = ($2::timestamp) AT TIME ZONE 'Asia/Seoul' WHERE id = $1`, so.ID, at(day.AddDate(0, 0, -1), "10:00"))
			in := order.InspectionInput{Date: day.Format(time.DateOnly), Inspector: "김검수", Result: order.InspectPass}
			var qty map[int64]int
			switch {
			case i == 6 && j == 1: // not inspected yet: nothing accrues, nothing is claimed
				continue
			case i%4 == 1 && j == 0:
				l := so.Lines[0]
				in.Result, in.Reason = order.InspectPartial, "일부 파손"
				in.Accepted = map[int64]int{l.ID: l.Quantity / 2}
				qty = map[int64]int{l.ID: l.Quantity / 2}
			case i%4 == 2 && j == 0:
				in.Result, in.Reason = order.InspectReject, "규격 불일치"
			}
			if _, err := e.Orders.Inspect(buyer, so.ID, in); err != nil {
				t.Fatalf("inspect %d/%d: %v", i, j, err)
			}
			if in.Result == order.InspectReject {
				continue
			}
			var goods int64
			for _, l := range so.Lines {
				q := l.Quantity
				if qty != nil {
					q = qty[l.ID]
				}
				goods += l.UnitPrice * int64(q)
			}
			claimed += goods + so.ShippingFee
			sale(so, settlement.Public, day, qty, nil)
		}
		if claimed > 0 {
			if err := e.Orders.RecordTransfer(m.Operator, o.ID, order.TransferInput{Date: today.Format(time.DateOnly),
				Amount: itoa(claimed), Payer: inst.Name, Reference: "T" + o.Number}); err != nil {
				t.Fatalf("transfer %d: %v", i, err)
			}
			m.Received += claimed
		}
	}
	for _, w := range m.Want {
		w.Payout = w.Sales() + w.Shipping + w.CoopDiscount - w.Refunds - w.Commission
	}
	return m
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
