package order_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/order"
)

func TestCheckoutSplitsPerEnterpriseWithSnapshots(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p1, e1 := e.product(t, 50)
	p2, e2 := e.product(t, 50, e1)
	p3, _ := e.product(t, 50, e1, e2)
	cartID := e.fill(t, 2, p1, p2, p3)
	in := e.input(t, cartID)
	view, err := e.carts.View(ctx, cartID, address.Postcode)
	if err != nil {
		t.Fatal(err)
	}
	outbox := e.count(t, `SELECT count(*) FROM search_outbox`)

	o, err := e.svc.Checkout(ctx, in)
	if err != nil {
		t.Fatalf("Checkout: %v", err)
	}
	if !strings.HasPrefix(o.Number, "D") || len(o.Number) != len("D251123-ABCDEFGHJK") {
		t.Errorf("number = %q", o.Number)
	}
	if o.Status != order.PendingPayment || o.Total != view.Price.Total || o.ItemsTotal != view.Price.ItemsTotal ||
		o.ShippingTotal != view.Price.ShippingTotal || o.Supply+o.VAT != o.Total {
		t.Errorf("order = %+v, want the cart's price %+v", o, view.Price)
	}
	if d := time.Until(o.ReservedUntil); d < 14*time.Minute || d > 16*time.Minute {
		t.Errorf("reserved for %v, want about 15 minutes", d)
	}
	if len(o.SubOrders) != 3 {
		t.Fatalf("sub-orders = %d, want one per enterprise (3)", len(o.SubOrders))
	}
	fees := map[int64]int64{}
	for _, p := range view.Price.Parts {
		fees[p.Enterprise.ID] = p.ShippingFee
	}
	for _, so := range o.SubOrders {
		if so.Status != order.SubPendingPayment || so.ShippingFee != fees[so.EnterpriseID] || so.EnterpriseName == "" ||
			len(so.Lines) != 1 || so.Total != so.ItemsTotal+so.ShippingFee {
			t.Errorf("sub-order = %+v", so)
		}
		var ent catalog.Enterprise
		if err := e.pool.QueryRow(ctx, `SELECT type, business_number, cert_number FROM enterprises WHERE id = $1`,
			so.EnterpriseID).Scan(&ent.Type, &ent.BusinessNumber, &ent.CertNumber); err != nil {
			t.Fatal(err)
		}
		l := so.Lines[0]
		s, v := catalog.SplitVAT(l.LineTotal, l.TaxType)
		if l.Quantity != 2 || l.LineTotal != l.UnitPrice*2 || l.Supply != s || l.VAT != v ||
			l.EnterpriseType != ent.Type || l.BusinessNumber != ent.BusinessNumber || l.CertNumber != ent.CertNumber {
			t.Errorf("line snapshot = %+v, enterprise %+v", l, ent)
		}
	}
	for _, p := range []int64{p1, p2, p3} {
		if got := e.stock(t, p); got != 48 {
			t.Errorf("stock of %d = %d, want 48", p, got)
		}
	}
	if got := e.count(t, `SELECT count(*) FROM search_outbox`) - outbox; got != 3 {
		t.Errorf("outbox rows = %d, want 3 (one per product whose stock changed)", got)
	}
	if len(o.Events) != 1 || o.Events[0].To != string(order.PendingPayment) {
		t.Errorf("events = %+v", o.Events)
	}
	if n, _ := e.carts.Count(ctx, cartID); n != 0 {
		t.Errorf("cart still has %d lines after checkout", n)
	}
	if o.Buyer.Phone != buyerPhone {
		t.Errorf("buyer phone = %q, want it normalised", o.Buyer.Phone)
	}
}

func TestCheckoutRejectsChangesAndBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p1, e1 := e.product(t, 20)
	p2, _ := e.product(t, 20, e1)
	nothingWritten := func(t *testing.T) {
		t.Helper()
		if n := e.count(t, `SELECT count(*) FROM orders`); n != 0 {
			t.Errorf("orders = %d, want 0", n)
		}
		if e.stock(t, p1) != 20 || e.stock(t, p2) != 20 {
			t.Errorf("stock = %d, %d; want 20, 20", e.stock(t, p1), e.stock(t, p2))
		}
	}

	t.Run("price changed after the page was shown", func(t *testing.T) {
		in := e.input(t, e.fill(t, 1, p1, p2))
		e.exec(t, `UPDATE products SET consumer_price = consumer_price + 1000 WHERE id = $1`, p2)
		defer e.exec(t, `UPDATE products SET consumer_price = consumer_price - 1000 WHERE id = $1`, p2)
		_, err := e.svc.Checkout(ctx, in)
		if got := wantCode(t, err, apperr.Conflict); got.Message != "가격이나 배송비가 바뀌었습니다. 다시 확인해 주세요." {
			t.Errorf("message = %q", got.Message)
		}
		nothingWritten(t)
	})
	t.Run("stock ran short after the cart", func(t *testing.T) {
		in := e.input(t, e.fill(t, 5, p1, p2))
		e.exec(t, `UPDATE products SET stock = 3 WHERE id = $1`, p2)
		defer e.exec(t, `UPDATE products SET stock = 20 WHERE id = $1`, p2)
		_, err := e.svc.Checkout(ctx, in)
		msg := wantCode(t, err, apperr.Conflict).Message
		var name string
		if err := e.pool.QueryRow(ctx, `SELECT name FROM products WHERE id = $1`, p2).Scan(&name); err != nil {
			t.Fatal(err)
		}
		if want := "'" + name + "'의 재고가 부족합니다. 남은 수량: 3개"; msg != want {
			t.Errorf("message = %q, want %q", msg, want)
		}
		if e.stock(t, p1) != 20 {
			t.Errorf("p1 stock = %d: a failed checkout must reserve nothing", e.stock(t, p1))
		}
	})
	t.Run("bad address and buyer", func(t *testing.T) {
		in := e.input(t, e.fill(t, 1, p1))
		in.Address.Postcode = "123"
		in.Address.Road = ""
		in.Buyer.Phone = "12"
		err := wantCode(t, mustFail(e.svc.Checkout(ctx, in)), apperr.Invalid)
		for _, k := range []string{"postcode", "road", "buyer_phone"} {
			if err.Fields[k] == "" {
				t.Errorf("no message for %s: %v", k, err.Fields)
			}
		}
		nothingWritten(t)
	})
	t.Run("empty cart", func(t *testing.T) {
		in := e.input(t, e.fill(t, 1))
		wantCode(t, mustFail(e.svc.Checkout(ctx, in)), apperr.Invalid)
	})
	t.Run("no checkout key", func(t *testing.T) {
		in := e.input(t, e.fill(t, 1, p1))
		in.CheckoutKey = ""
		wantCode(t, mustFail(e.svc.Checkout(ctx, in)), apperr.Invalid)
	})
	nothingWritten(t)
}

func mustFail(_ *order.Order, err error) error { return err }

// TestConcurrentCheckoutsNeverOversell is the Saleor lesson: 500 buyers at
// once, each with their own cart and checkout, on an item with 10 in stock.
func TestConcurrentCheckoutsNeverOversell(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	const buyers = 500
	ins := make([]order.CheckoutInput, buyers)
	var wg sync.WaitGroup
	for i := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ins[i] = e.input(t, e.fill(t, 1, p))
		}()
	}
	wg.Wait()

	start := make(chan struct{})
	errs := make([]error, buyers)
	for i := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = e.svc.Checkout(ctx, ins[i])
		}()
	}
	close(start)
	wg.Wait()

	ok, conflict := 0, 0
	for _, err := range errs {
		switch apperr.Code(err) {
		case "":
			ok++
		case apperr.Conflict:
			conflict++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 10 || conflict != buyers-10 {
		t.Errorf("orders = %d, conflicts = %d; want 10 and %d", ok, conflict, buyers-10)
	}
	if s := e.stock(t, p); s != 0 {
		t.Errorf("stock = %d, want 0", s)
	}
	if n := e.count(t, `SELECT count(*) FROM orders`); n != 10 {
		t.Errorf("orders in the database = %d, want 10", n)
	}
	if n := e.count(t, `SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE product_id = $1`, p); n != 10 {
		t.Errorf("units ordered = %d, want 10", n)
	}
}

func TestSameCheckoutTwiceGivesOneOrderAndOnePayment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 30)
	in := e.input(t, e.fill(t, 2, p))

	const tries = 8
	numbers := make([]string, tries)
	var wg sync.WaitGroup
	for i := range numbers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := e.svc.Checkout(ctx, in)
			if err != nil {
				t.Errorf("Checkout #%d: %v", i, err)
				return
			}
			numbers[i] = o.Number
		}()
	}
	wg.Wait()
	again, err := e.svc.Checkout(ctx, in) // after the cart was cleared
	if err != nil {
		t.Fatalf("Checkout again: %v", err)
	}
	for i, n := range numbers {
		if n != again.Number {
			t.Errorf("try %d got order %q, want %q", i, n, again.Number)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM orders`); n != 1 {
		t.Errorf("orders = %d, want 1", n)
	}
	if s := e.stock(t, p); s != 28 {
		t.Errorf("stock = %d, want 28 (reserved once)", s)
	}

	p1, err := e.svc.StartPayment(ctx, again.Number)
	if err != nil {
		t.Fatalf("StartPayment: %v", err)
	}
	p2, err := e.svc.StartPayment(ctx, again.Number)
	if err != nil {
		t.Fatalf("StartPayment again: %v", err)
	}
	if p1.Ref == "" || p1.ClientSecret == "" || p1.Ref != p2.Ref || p1.ID != p2.ID {
		t.Errorf("payments = %+v and %+v, want the same PaymentIntent", p1, p2)
	}
	if p1.Amount != again.Total || p1.IdempotencyKey != order.PaymentKey(again.Number) {
		t.Errorf("payment = %+v, want amount %d and key %s", p1, again.Total, order.PaymentKey(again.Number))
	}
	if n := e.provider.creates.Load(); n != 1 {
		t.Errorf("PaymentIntents created = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM payments`); n != 1 {
		t.Errorf("payments rows = %d, want 1", n)
	}

	// A crash between the provider's answer and storing it leaves a row
	// without a ref: the retry calls the provider again with the same key,
	// which Stripe answers with the same PaymentIntent (stripe-mock is
	// stateless and does not, so only the key is checked here).
	e.exec(t, `UPDATE payments SET provider_ref = NULL, client_secret = ''`)
	p3, err := e.svc.StartPayment(ctx, again.Number)
	if err != nil || p3.Ref == "" || p3.ID != p1.ID {
		t.Errorf("after a crash: %+v, %v; want the same payment row with a ref", p3, err)
	}
	keys := e.provider.sentKeys()
	if len(keys) != 2 || keys[0] != keys[1] || keys[0] != order.PaymentKey(again.Number) {
		t.Errorf("idempotency keys sent = %v, want the order's key twice", keys)
	}
	if n := e.count(t, `SELECT count(*) FROM payments`); n != 1 {
		t.Errorf("payments rows = %d, want 1", n)
	}
}

func TestConcurrentStartPaymentStoresOnePayment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o := e.checkout(t, 1, p)
	refs := make([]string, 6)
	var wg sync.WaitGroup
	for i := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pay, err := e.svc.StartPayment(ctx, o.Number)
			if err != nil {
				t.Errorf("StartPayment: %v", err)
				return
			}
			refs[i] = pay.Ref
		}()
	}
	wg.Wait()
	for _, r := range refs {
		if r == "" || r != refs[0] {
			t.Fatalf("refs = %v, want one PaymentIntent for all", refs)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM payments`); n != 1 {
		t.Errorf("payments rows = %d, want 1", n)
	}
	for _, k := range e.provider.sentKeys() {
		if k != order.PaymentKey(o.Number) {
			t.Errorf("idempotency key %q, want %q", k, order.PaymentKey(o.Number))
		}
	}
}

func TestWebhookAppliedOnceAndOutOfOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o := e.checkout(t, 3, p)
	pay, err := e.svc.StartPayment(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("bad signature", func(t *testing.T) {
		payload, _ := e.signed(t, "evt_bad", "payment_intent.succeeded", pay.Ref, o.Number, o.Total)
		wantCode(t, e.svc.HandleWebhook(ctx, "stripe", payload, "t=1700000000,v1=0123456789abcdef"), apperr.Invalid)
		_, sig := e.signed(t, "evt_other", "payment_intent.succeeded", pay.Ref, o.Number, o.Total+1)
		wantCode(t, e.svc.HandleWebhook(ctx, "stripe", payload, sig), apperr.Invalid) // a signature of another payload
		if got := e.reload(t, o.Number).Status; got != order.PendingPayment {
			t.Errorf("status = %s after a bad signature", got)
		}
		if n := e.count(t, `SELECT count(*) FROM processed_events`); n != 0 {
			t.Errorf("processed events = %d, want 0", n)
		}
	})

	payload, sig := e.signed(t, "evt_paid_1", "payment_intent.succeeded", pay.Ref, o.Number, o.Total)
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.svc.HandleWebhook(ctx, "stripe", payload, sig); err != nil {
				t.Errorf("HandleWebhook: %v", err)
			}
		}()
	}
	wg.Wait()
	got := e.reload(t, o.Number)
	if got.Status != order.Paid || got.PaidAt == nil || got.Payment.Status != order.PaymentSucceeded {
		t.Fatalf("order = %s (paid_at %v), payment %s; want paid", got.Status, got.PaidAt, got.Payment.Status)
	}
	for _, so := range got.SubOrders {
		if so.Status != order.SubPaid {
			t.Errorf("sub-order %d = %s, want paid", so.ID, so.Status)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM order_events WHERE to_status = 'paid' AND sub_order_id IS NULL`); n != 1 {
		t.Errorf("paid transitions = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM processed_events`); n != 1 {
		t.Errorf("processed events = %d, want 1", n)
	}

	// A failure arriving after the success changes nothing.
	failed, fsig := e.signed(t, "evt_failed_late", "payment_intent.payment_failed", pay.Ref, o.Number, o.Total)
	if err := e.svc.HandleWebhook(ctx, "stripe", failed, fsig); err != nil {
		t.Fatal(err)
	}
	if got := e.reload(t, o.Number); got.Status != order.Paid || got.Payment.Status != order.PaymentSucceeded {
		t.Errorf("after a late failure: order %s, payment %s; want paid, succeeded", got.Status, got.Payment.Status)
	}
	if s := e.stock(t, p); s != 7 {
		t.Errorf("stock = %d, want 7", s)
	}
}

func TestPaymentFailedReleasesStock(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o := e.checkout(t, 4, p)
	pay, err := e.svc.StartPayment(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	payload, sig := e.signed(t, "evt_fail", "payment_intent.payment_failed", pay.Ref, o.Number, o.Total)
	if err := e.svc.HandleWebhook(ctx, "stripe", payload, sig); err != nil {
		t.Fatal(err)
	}
	got := e.reload(t, o.Number)
	if got.Status != order.Cancelled || got.CancelledAt == nil || got.Payment.Status != order.PaymentFailed ||
		got.Payment.FailureReason != "카드 한도 초과" {
		t.Errorf("order %s, payment %+v; want cancelled and failed", got.Status, got.Payment)
	}
	if s := e.stock(t, p); s != 10 {
		t.Errorf("stock = %d, want 10 (returned)", s)
	}
	_, err = e.svc.StartPayment(ctx, o.Number)
	wantCode(t, err, apperr.Conflict)
}

func TestUnpaidReservationExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	expired := e.checkout(t, 2, p)
	fresh := e.checkout(t, 1, p)
	pay, err := e.svc.StartPayment(ctx, expired.Number)
	if err != nil {
		t.Fatal(err)
	}
	e.exec(t, `UPDATE orders SET reserved_until = now() - interval '1 minute' WHERE number = $1`, expired.Number)

	n, err := e.svc.ExpireReservations(ctx)
	if err != nil || n != 1 {
		t.Fatalf("ExpireReservations = %d, %v; want 1", n, err)
	}
	if n, err := e.svc.ExpireReservations(ctx); err != nil || n != 0 {
		t.Errorf("second run = %d, %v; want 0", n, err)
	}
	got := e.reload(t, expired.Number)
	if got.Status != order.Cancelled || got.SubOrders[0].Status != order.SubCancelled {
		t.Errorf("expired order %s / %s, want cancelled", got.Status, got.SubOrders[0].Status)
	}
	if e.reload(t, fresh.Number).Status != order.PendingPayment {
		t.Error("an order still within its reservation was expired")
	}
	if s := e.stock(t, p); s != 9 {
		t.Errorf("stock = %d, want 9 (2 returned, 1 still reserved)", s)
	}

	// The buyer paid just as it expired: the money goes back.
	payload, sig := e.signed(t, "evt_late_paid", "payment_intent.succeeded", pay.Ref, expired.Number, expired.Total)
	if err := e.svc.HandleWebhook(ctx, "stripe", payload, sig); err != nil {
		t.Fatal(err)
	}
	got = e.reload(t, expired.Number)
	if got.Status != order.Cancelled || got.Payment.Status != order.PaymentRefunded || got.Payment.RefundedAmount != expired.Total {
		t.Errorf("late success on an expired order: %s, payment %+v; want cancelled and refunded", got.Status, got.Payment)
	}
	if n := e.count(t, `SELECT count(*) FROM refunds WHERE provider_ref LIKE 're_%'`); n != 1 {
		t.Errorf("refunds = %d, want 1", n)
	}
	if s := e.stock(t, p); s != 9 {
		t.Errorf("stock = %d after a late success, want 9", s)
	}
}

func TestCancelPaidOrderRefundsAndReturnsStock(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p1, e1 := e.product(t, 10)
	p2, _ := e.product(t, 10, e1)
	o := e.paidOrder(t, 2, p1, p2)
	// a double click on the test-card button pays once
	if err := e.svc.ConfirmTestPayment(ctx, o.Number); err != nil {
		t.Fatalf("ConfirmTestPayment again: %v", err)
	}
	if n := e.count(t, `SELECT count(*) FROM order_events WHERE to_status = 'paid' AND sub_order_id IS NULL`); n != 1 {
		t.Errorf("paid transitions = %d, want 1", n)
	}

	wantCode(t, e.svc.Cancel(ctx, o.Number, "010-9999-9999"), apperr.NotFound)
	if err := e.svc.Cancel(ctx, o.Number, buyerPhone); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	got := e.reload(t, o.Number)
	if got.Status != order.Cancelled || got.CancelledAt == nil {
		t.Errorf("status = %s, want cancelled", got.Status)
	}
	for _, so := range got.SubOrders {
		if so.Status != order.SubCancelled {
			t.Errorf("sub-order %d = %s, want cancelled", so.ID, so.Status)
		}
	}
	if got.Payment.Status != order.PaymentRefunded || got.Payment.RefundedAmount != o.Total {
		t.Errorf("payment = %+v, want refunded in full", got.Payment)
	}
	var ref, key string
	var amount int64
	if err := e.pool.QueryRow(ctx, `SELECT provider_ref, idempotency_key, amount FROM refunds`).Scan(&ref, &key, &amount); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ref, "re_") || key != order.RefundKey(o.Number) || amount != o.Total {
		t.Errorf("refund = %s %s %d", ref, key, amount)
	}
	if e.stock(t, p1) != 10 || e.stock(t, p2) != 10 {
		t.Errorf("stock = %d, %d; want 10, 10", e.stock(t, p1), e.stock(t, p2))
	}
	wantCode(t, e.svc.Cancel(ctx, o.Number, buyerPhone), apperr.Conflict)
}

func TestCancelAfterShippingIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p1, e1 := e.product(t, 10)
	p2, _ := e.product(t, 10, e1)
	o := e.paidOrder(t, 1, p1, p2)
	shipper := staff(o.SubOrders[0].EnterpriseID)
	if err := e.svc.AcceptSubOrder(shipper, o.SubOrders[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ShipSubOrder(shipper, o.SubOrders[0].ID, "cj", "123456789012"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.svc.Cancel(ctx, o.Number, buyerPhone), apperr.Conflict)
	got := e.reload(t, o.Number)
	if got.Status != order.Paid || got.SubOrders[1].Status != order.SubPaid {
		t.Errorf("order %s, sub-order %s; want unchanged", got.Status, got.SubOrders[1].Status)
	}
	if n := e.count(t, `SELECT count(*) FROM refunds`); n != 0 {
		t.Errorf("refunds = %d, want 0", n)
	}
	if e.stock(t, p1) != 9 || e.stock(t, p2) != 9 {
		t.Errorf("stock = %d, %d; want 9, 9", e.stock(t, p1), e.stock(t, p2))
	}
}

func TestCancelUnpaidOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o := e.checkout(t, 3, p)
	if err := e.svc.Cancel(ctx, o.Number, "01012345678"); err != nil {
		t.Fatal(err)
	}
	if got := e.reload(t, o.Number); got.Status != order.Cancelled || got.Payment != nil {
		t.Errorf("order = %s, payment %+v", got.Status, got.Payment)
	}
	if s := e.stock(t, p); s != 10 {
		t.Errorf("stock = %d, want 10", s)
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p1, e1 := e.product(t, 10)
	p2, _ := e.product(t, 10, e1)
	o := e.checkout(t, 1, p1, p2)

	_, err := e.svc.Lookup(ctx, o.Number, "010-0000-0000")
	wrong := wantCode(t, err, apperr.NotFound)
	_, err = e.svc.Lookup(ctx, "D000000-AAAAAA", buyerPhone)
	if unknown := wantCode(t, err, apperr.NotFound); unknown.Message != wrong.Message {
		t.Errorf("a wrong phone and an unknown order must read the same: %q vs %q", wrong.Message, unknown.Message)
	}
	got, err := e.svc.Lookup(ctx, " "+strings.ToLower(o.Number)+" ", "01012345678")
	if err != nil {
		t.Fatalf("Lookup: %v", err)
	}
	if len(got.SubOrders) != 2 || len(got.Events) == 0 {
		t.Fatalf("order = %+v", got)
	}
	for _, so := range got.SubOrders {
		if so.EnterpriseName == "" || so.StatusLabel() != "결제 대기" || len(so.Lines) != 1 {
			t.Errorf("sub-order = %+v", so)
		}
	}
}
