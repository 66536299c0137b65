package order_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/testutil"
)

// institution creates an active institution with one buyer and returns its
// id and a context whose actor is that buyer.
func (e *env) institution(t *testing.T, name, idNumber string) (int64, int64, context.Context) {
	t.Helper()
	ctx := context.Background()
	var inst, user int64
	if err := e.pool.QueryRow(ctx, `INSERT INTO institutions (name, kind, id_kind, id_number, postcode, road_address, status)
		VALUES ($1, 'local', 'unique', $2, '41911', '대구광역시 중구 공평로 88', 'active') RETURNING id`,
		name, idNumber).Scan(&inst); err != nil {
		t.Fatalf("create institution: %v", err)
	}
	email := testutil.Name("buyer") + "@korea.kr"
	if err := e.pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, role)
		VALUES ($1, '박주무관', '$argon2id$test', 'institution') RETURNING id`, email).Scan(&user); err != nil {
		t.Fatalf("create buyer: %v", err)
	}
	e.exec(t, `INSERT INTO institution_members (user_id, institution_id, role, status) VALUES ($1, $2, 'admin', 'active')`, user, inst)
	return inst, user, account.NewContext(ctx, &account.Actor{UserID: user, Name: "박주무관", Email: email,
		Role: account.InstitutionUser, InstitutionID: inst})
}

// operator creates an operator account and returns a context acting as it.
func (e *env) operator(t *testing.T) context.Context {
	t.Helper()
	var id int64
	if err := e.pool.QueryRow(context.Background(), `INSERT INTO users (email, name, password_hash, role)
		VALUES ($1, '운영자', '$argon2id$test', 'operator') RETURNING id`, testutil.Name("op")+"@dure.kr").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return account.NewContext(context.Background(), &account.Actor{UserID: id, Name: "운영자", Role: account.Operator})
}

// publicInput is an invoice order of the lines for the institution's buyer.
func publicInput(inst, user int64, key string, lines ...order.PublicLine) order.PublicOrderInput {
	return order.PublicOrderInput{Key: key, InstitutionID: inst, UserID: user, QuoteID: 7,
		Buyer: order.Buyer{Name: "박주무관", Phone: "053-803-0114", Email: "buyer@korea.kr"},
		Address: order.Address{Recipient: "대구광역시청 총무과", Phone: "053-803-0114", Postcode: "41911",
			Road: "대구광역시 중구 공평로 88", Detail: "2층 총무과", Memo: "평일 9–18시"},
		DesiredDelivery: coop.DateOf(time.Now()).AddDate(0, 0, 10), Terms: order.TermsInvoice, Lines: lines}
}

func TestPlacePublicInvoiceOrder(t *testing.T) {
	e := newEnv(t)
	inst, user, buyer := e.institution(t, "대구광역시", "5038000001")
	p1, ent1 := e.product(t, 20)
	p2 := e.productOf(t, ent1, 5, p1)
	p3, ent3 := e.product(t, 8, ent1)
	in := publicInput(inst, user, "quote:7:r1",
		order.PublicLine{ProductID: p1, Quantity: 10, UnitPrice: 11_000},
		order.PublicLine{ProductID: p2, Quantity: 5, UnitPrice: 3_300},
		order.PublicLine{ProductID: p3, Quantity: 8, UnitPrice: 50_000})
	in.Shipping = map[int64]int64{ent1: 3_000}

	t.Run("refusals write nothing", func(t *testing.T) {
		before := e.count(t, `SELECT count(*) FROM orders`)
		past := in
		past.Key = "quote:7:past"
		past.DesiredDelivery = coop.DateOf(time.Now()).AddDate(0, 0, -1)
		_, err := e.svc.PlacePublic(buyer, past)
		if msg := wantCode(t, err, apperr.Invalid).Fields["delivery_date"]; !strings.Contains(msg, "오늘 이후") {
			t.Errorf("past delivery date: %q", msg)
		}
		beyond := in
		beyond.Key = "quote:7:beyond"
		beyond.Lines = append([]order.PublicLine{}, in.Lines...)
		beyond.Lines[2].Quantity = 9 // 8 in stock
		_, err = e.svc.PlacePublic(buyer, beyond)
		ae := wantCode(t, err, apperr.Conflict)
		if !strings.Contains(ae.Message, "재고가 부족합니다") || !strings.Contains(ae.Message, "8개") {
			t.Errorf("beyond stock: %q", ae.Message)
		}
		_, _, other := e.institution(t, "경상북도", "5038000002")
		_, err = e.svc.PlacePublic(other, in)
		wantCode(t, err, apperr.Forbidden)
		if got := e.count(t, `SELECT count(*) FROM orders`); got != before {
			t.Errorf("orders %d after refusals, want %d", got, before)
		}
		if e.stock(t, p1) != 20 || e.stock(t, p2) != 5 || e.stock(t, p3) != 8 {
			t.Errorf("stock moved: %d %d %d", e.stock(t, p1), e.stock(t, p2), e.stock(t, p3))
		}
	})

	o, err := e.svc.PlacePublic(buyer, in)
	if err != nil {
		t.Fatalf("PlacePublic: %v", err)
	}
	t.Run("a guest-style cancel is refused", func(t *testing.T) {
		err := e.svc.Cancel(context.Background(), o.Number, "053-803-0114")
		if ae := wantCode(t, err, apperr.Conflict); !strings.Contains(ae.Message, "기관 주문") {
			t.Errorf("guest cancel of an unshipped invoice order: %q", ae.Message)
		}
		if n := e.count(t, `SELECT count(*) FROM orders WHERE id = $1 AND status = 'confirmed'`, o.ID); n != 1 {
			t.Error("the refused cancel changed the order")
		}
	})
	t.Run("placed on invoice, reserved, nothing paid", func(t *testing.T) {
		if o.Status != order.Confirmed || o.Terms != order.TermsInvoice || o.Channel != order.ChannelPublic ||
			o.InstitutionID != inst || o.QuoteID != 7 || o.PaidAt != nil || o.Payment != nil {
			t.Errorf("order %+v", o)
		}
		if want := int64(10*11_000 + 5*3_300 + 8*50_000 + 3_000); o.Total != want || o.Supply+o.VAT != want {
			t.Errorf("total %d (supply %d + vat %d), want %d", o.Total, o.Supply, o.VAT, want)
		}
		if len(o.SubOrders) != 2 {
			t.Fatalf("%d sub-orders, want 2", len(o.SubOrders))
		}
		for _, so := range o.SubOrders {
			if so.Status != order.SubConfirmed || so.PaidAt != nil {
				t.Errorf("sub-order %d: %s, paid %v", so.ID, so.Status, so.PaidAt)
			}
			for _, l := range so.Lines {
				if l.EnterpriseType == "" || l.BusinessNumber == "" || l.EnterpriseName == "" {
					t.Errorf("line %d lacks its evidence: %+v", l.ID, l)
				}
			}
		}
		if e.stock(t, p1) != 10 || e.stock(t, p2) != 0 || e.stock(t, p3) != 0 {
			t.Errorf("stock after: %d %d %d", e.stock(t, p1), e.stock(t, p2), e.stock(t, p3))
		}
		if n := e.count(t, `SELECT count(*) FROM orders WHERE id = $1 AND desired_delivery_date IS NOT NULL
				AND payment_terms = 'invoice' AND paid_at IS NULL`, o.ID); n != 1 {
			t.Error("order row lacks its terms or delivery date")
		}
	})
	t.Run("idempotent", func(t *testing.T) {
		again, err := e.svc.PlacePublic(buyer, in)
		if err != nil || again.Number != o.Number {
			t.Fatalf("again: %v, %v", again, err)
		}
		if e.count(t, `SELECT count(*) FROM orders WHERE checkout_key = 'quote:7:r1'`) != 1 || e.stock(t, p1) != 10 {
			t.Error("placing twice made a second order or reserved twice")
		}
	})
	t.Run("the enterprise sees and ships its part", func(t *testing.T) {
		list, _, err := e.svc.FindEnterpriseSubOrders(staff(ent3), order.SubOrderFilter{Waiting: true})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, so := range list {
			found = found || so.OrderNumber == o.Number
		}
		if !found {
			t.Fatal("the enterprise does not see its invoice part")
		}
		so := o.SubOrders[1]
		if err := e.svc.AcceptSubOrder(staff(ent3), so.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ShipSubOrder(staff(ent3), so.ID, "cj", "123456789012"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the workers leave it alone", func(t *testing.T) {
		e.exec(t, `UPDATE orders SET reserved_until = now() - interval '2 days', created_at = now() - interval '2 days'
			WHERE id = $1`, o.ID)
		if _, err := e.svc.ExpireReservations(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ReconcilePayments(context.Background()); err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.FindOrder(context.Background(), o.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != order.Confirmed || got.CancelledAt != nil || e.stock(t, p1) != 10 {
			t.Errorf("after the workers: %s, cancelled %v, stock %d", got.Status, got.CancelledAt, e.stock(t, p1))
		}
	})
}

func TestPlacePublicCardOrderExpires(t *testing.T) {
	e := newEnv(t)
	inst, user, buyer := e.institution(t, "대구광역시", "5038000001")
	p, _ := e.product(t, 5)
	in := publicInput(inst, user, "quote:9:r1", order.PublicLine{ProductID: p, Quantity: 2, UnitPrice: 9_900})
	in.Terms = order.TermsCard
	o, err := e.svc.PlacePublic(buyer, in)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != order.PendingPayment || e.stock(t, p) != 3 {
		t.Fatalf("card order %s, stock %d", o.Status, e.stock(t, p))
	}
	e.exec(t, `UPDATE orders SET reserved_until = now() - interval '1 minute' WHERE id = $1`, o.ID)
	if n, err := e.svc.ExpireReservations(context.Background()); err != nil || n != 1 {
		t.Fatalf("ExpireReservations = %d, %v; want the unpaid card order expired", n, err)
	}
	if e.stock(t, p) != 5 {
		t.Errorf("stock %d after expiry, want 5", e.stock(t, p))
	}
}
