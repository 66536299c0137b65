package order_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/order"
)

// shipped places an invoice order of two enterprises (ent1: p1 ×10 at
// 11,000원 and p2 ×4 at 5,000원 with 3,000원 shipping; ent3: p3 ×2 at
// 20,000원), ships both parts and dates their shipment on shippedOn (a civil
// date), and returns the order.
func (e *env) shippedInvoiceOrder(t *testing.T, buyer context.Context, inst, user int64, key string, shippedOn time.Time) (*order.Order, int64, int64) {
	t.Helper()
	p1, ent1 := e.product(t, 50)
	p2 := e.productOf(t, ent1, 50, p1)
	p3, ent3 := e.product(t, 50, ent1)
	in := publicInput(inst, user, key,
		order.PublicLine{ProductID: p1, Quantity: 10, UnitPrice: 11_000},
		order.PublicLine{ProductID: p2, Quantity: 4, UnitPrice: 5_000},
		order.PublicLine{ProductID: p3, Quantity: 2, UnitPrice: 20_000})
	in.Shipping = map[int64]int64{ent1: 3_000}
	o, err := e.svc.PlacePublic(buyer, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, so := range o.SubOrders {
		ctx := staff(so.EnterpriseID)
		if err := e.svc.AcceptSubOrder(ctx, so.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ShipSubOrder(ctx, so.ID, "cj", "123456789012"); err != nil {
			t.Fatal(err)
		}
	}
	e.exec(t, `UPDATE sub_orders SET shipped_at = ($2::date + time '10:00') AT TIME ZONE 'Asia/Seoul' WHERE order_id = $1`,
		o.ID, shippedOn.Format(time.DateOnly))
	return o, ent1, ent3
}

func TestInspectionClaimsAndInvoice(t *testing.T) {
	e := newEnv(t)
	inst, user, buyer := e.institution(t, "대구광역시", "5038000001")
	// Shipped on 2026.09.21 (월); inspected 2026.09.23 (수), the day before 추석.
	o, _, _ := e.shippedInvoiceOrder(t, buyer, inst, user, "quote:1:r1", coop.Date(2026, 9, 21))
	part1, part3 := o.SubOrders[0], o.SubOrders[1]
	line1 := part1.Lines[0] // 10 × 11,000원

	t.Run("another institution's buyer is refused", func(t *testing.T) {
		_, _, other := e.institution(t, "경상북도", "5038000002")
		_, err := e.svc.Inspect(other, part1.ID, order.InspectionInput{Date: "2026-09-23", Inspector: "남", Result: order.InspectPass})
		wantCode(t, err, apperr.NotFound)
		_, err = e.svc.InvoiceFor(other, o.ID)
		wantCode(t, err, apperr.NotFound)
		_, err = e.svc.InvoiceFor(staff(part1.EnterpriseID), o.ID)
		wantCode(t, err, apperr.NotFound)
		if e.count(t, `SELECT count(*) FROM inspections`) != 0 {
			t.Error("a refused 검수 was written")
		}
	})
	t.Run("bad forms", func(t *testing.T) {
		_, err := e.svc.Inspect(buyer, part1.ID, order.InspectionInput{Date: "2026-09-23", Inspector: "김검수", Result: order.InspectPartial})
		if wantCode(t, err, apperr.Invalid).Fields["reason"] == "" {
			t.Error("partial without a reason accepted")
		}
		_, err = e.svc.Inspect(buyer, part1.ID, order.InspectionInput{Date: "2026-09-20", Inspector: "김검수", Result: order.InspectPass})
		if wantCode(t, err, apperr.Invalid).Fields["date"] == "" {
			t.Error("a 검수 before the shipment accepted")
		}
	})

	inv, err := e.svc.Inspect(buyer, part1.ID, order.InspectionInput{Date: "2026-09-23", Inspector: "김검수",
		Result: order.InspectPartial, Reason: "3개 파손", Accepted: map[int64]int{line1.ID: 7}})
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	t.Run("partial claims the accepted lines, due past 추석", func(t *testing.T) {
		c := inv.Part(part1.ID).Claim
		if c == nil {
			t.Fatal("no claim")
		}
		if want := int64(7*11_000 + 4*5_000 + 3_000); c.Amount != want {
			t.Errorf("claim %d, want %d (accepted lines and the shipping)", c.Amount, want)
		}
		if !c.Due.Equal(coop.Date(2026, 10, 2)) {
			t.Errorf("due %s, want 2026-10-02 (5 working days past 추석 09.24–26)", c.Due.Format(time.DateOnly))
		}
		if inv.Part(part1.ID).Status != order.SubDelivered {
			t.Errorf("part %s after 검수, want delivered", inv.Part(part1.ID).Status)
		}
		if inv.Claimed != c.Amount {
			t.Errorf("amount due %d, want the sum of claims %d", inv.Claimed, c.Amount)
		}
		_, err := e.svc.Inspect(buyer, part1.ID, order.InspectionInput{Date: "2026-09-24", Inspector: "김검수", Result: order.InspectPass})
		wantCode(t, err, apperr.Conflict)
	})
	t.Run("each enterprise sees its own deadline and claim", func(t *testing.T) {
		so, err := e.svc.FindEnterpriseSubOrder(staff(part1.EnterpriseID), part1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if so.Invoice == nil || so.Invoice.Claim == nil || so.Invoice.Claim.Amount != inv.Part(part1.ID).Claim.Amount {
			t.Errorf("enterprise 1's view of its claim: %+v", so.Invoice)
		}
		so, err = e.svc.FindEnterpriseSubOrder(staff(part3.EnterpriseID), part3.ID)
		if err != nil {
			t.Fatal(err)
		}
		if so.Invoice == nil || !so.Invoice.PastDue || so.Invoice.Claim != nil {
			t.Errorf("enterprise 3's part: %+v, want past its 검수 deadline and unclaimed", so.Invoice)
		}
		_, err = e.svc.FindEnterpriseSubOrder(staff(part3.EnterpriseID), part1.ID)
		wantCode(t, err, apperr.NotFound)
	})
	t.Run("the buyer's institution reads its orders, no other", func(t *testing.T) {
		list, n, err := e.svc.FindInstitutionOrders(buyer, order.UserOrderFilter{})
		if err != nil || n != 1 || list[0].ID != o.ID {
			t.Fatalf("institution orders: %d, %v", n, err)
		}
		_, _, other := e.institution(t, "경상북도", "5038000003")
		_, err = e.svc.FindInstitutionOrder(other, o.ID)
		wantCode(t, err, apperr.NotFound)
		if got, err := e.svc.FindInstitutionOrder(buyer, o.ID); err != nil || got.Number != o.Number {
			t.Errorf("own order: %v", err)
		}
	})
	t.Run("the other part is past its 검수 deadline, flagged", func(t *testing.T) {
		p := inv.Part(part3.ID)
		if !p.PastDue || !p.Deadline.Equal(coop.Date(2026, 10, 5)) {
			t.Errorf("part 3: past due %v, deadline %s; want flagged, 2026-10-05", p.PastDue, p.Deadline)
		}
	})
	t.Run("overdue is flagged, never cancelled; payments partial then full", func(t *testing.T) {
		if inv.Status != order.InvoiceOverdue {
			t.Errorf("status %s, want overdue (claim due 2026-10-02, nothing paid)", inv.Status)
		}
		op := e.operator(t)
		list, _, err := e.svc.FindInvoices(op, order.InvoiceFilter{Status: order.InvoiceOverdue})
		if err != nil || len(list) != 1 || list[0].OrderID != o.ID {
			t.Fatalf("overdue list: %v, %v", list, err)
		}
		if _, err := e.svc.ExpireReservations(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.svc.FindOrder(context.Background(), o.Number); got.Status == order.Cancelled {
			t.Fatal("an overdue invoice order was cancelled")
		}
		claim := inv.Claimed
		if err := e.svc.RecordTransfer(op, o.ID, order.TransferInput{Date: "2026-10-01", Amount: "50,000",
			Payer: "대구광역시청", Reference: "INV 1차"}); err != nil {
			t.Fatal(err)
		}
		err = e.svc.RecordTransfer(op, o.ID, order.TransferInput{Date: "2026-10-01", Amount: "1000000", Payer: "대구광역시청"})
		if wantCode(t, err, apperr.Invalid).Fields["amount"] == "" {
			t.Error("over-payment not refused on the amount")
		}
		wantCode(t, e.svc.RecordTransfer(buyer, o.ID, order.TransferInput{Date: "2026-10-01", Amount: "1", Payer: "x"}), apperr.NotFound)
		inv, err := e.svc.InvoiceFor(buyer, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if inv.Paid != 50_000 || inv.Status != order.InvoiceOverdue || len(inv.Transfers) != 1 {
			t.Errorf("after 50,000원: paid %d, %s, %d transfers", inv.Paid, inv.Status, len(inv.Transfers))
		}
		if err := e.svc.RecordTransfer(op, o.ID, order.TransferInput{Date: "2026-10-02", Amount: strconv.FormatInt(claim-50_000, 10),
			Payer: "대구광역시청"}); err != nil {
			t.Fatal(err)
		}
		inv, _ = e.svc.InvoiceFor(buyer, o.ID)
		if inv.Paid != claim || inv.Balance != 0 || inv.Status != order.InvoicePartial {
			t.Errorf("claim covered: paid %d, balance %d, %s; want partial while a part awaits 검수", inv.Paid, inv.Balance, inv.Status)
		}
		if e.count(t, `SELECT count(*) FROM orders WHERE id = $1 AND paid_at IS NULL AND status <> 'paid'`, o.ID) != 1 {
			t.Error("an invoice order claims to be paid by card")
		}
	})
	t.Run("pass on the last part: paid once covered", func(t *testing.T) {
		inv, err := e.svc.Inspect(buyer, part3.ID, order.InspectionInput{Date: "2026-10-02", Inspector: "김검수", Result: order.InspectPass})
		if err != nil {
			t.Fatal(err)
		}
		c := inv.Part(part3.ID).Claim
		// 2026.10.02 (금) + 5: 10.03 개천절 (토), 10.05 대체공휴일, 10.09 한글날 skipped.
		if c.Amount != 40_000 || !c.Due.Equal(coop.Date(2026, 10, 13)) {
			t.Errorf("claim %d due %s; want 40,000원 due 2026-10-13", c.Amount, c.Due.Format(time.DateOnly))
		}
		if inv.Order.Status != order.Completed {
			t.Errorf("order %s after every part's 검수, want completed", inv.Order.Status)
		}
		if err := e.svc.RecordTransfer(e.operator(t), o.ID, order.TransferInput{Date: "2026-10-12", Amount: "40000", Payer: "대구광역시청"}); err != nil {
			t.Fatal(err)
		}
		inv, _ = e.svc.InvoiceFor(buyer, o.ID)
		if inv.Status != order.InvoicePaid {
			t.Errorf("status %s, want paid", inv.Status)
		}
	})
}
