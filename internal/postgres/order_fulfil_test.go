package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

const twoEnterprisesFile = orderFile + `{"type":"enterprise","id":"bakery","name":"마을빵집 사회적협동조합","enterprise_type":"social_cooperative","business_number":"1048145384","region":"seoul","representative":"이서연","phone":"0212345678","email":"bakery@example.com","address":"서울특별시 마포구 월드컵로 1","mission":"일자리","shipping":{"fee":3000,"free_threshold":30000,"remote_surcharge":3000}}
{"type":"product","id":"bread","enterprise":"bakery","category":"food","kind":"goods","name":"통밀빵","tax_type":"exempt","consumer_price":6000,"public_price":5500,"stock":100}
`

// TestSubOrderRefundsStayWithinThePayment checks the schema's and the
// store's last line of defence, whatever the service decides: a part is
// refunded once, refunds never pass the payment, a part is found only by its
// enterprise, and a shipped part has its tracking number.
func TestSubOrderRefundsStayWithinThePayment(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	if _, err := importString(t, pool, twoEnterprisesFile); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store := postgres.NewOrderStore(pool)
	var rice, riceEnt, bread, breadEnt int64
	if err := pool.QueryRow(ctx, `SELECT r.id, r.enterprise_id, b.id, b.enterprise_id FROM products r, products b
		WHERE r.name = '유기농 쌀 10kg' AND b.name = '통밀빵'`).Scan(&rice, &riceEnt, &bread, &breadEnt); err != nil {
		t.Fatal(err)
	}
	line := func(p int64, name string, price int64, ent, bn string) order.Line {
		return order.Line{ProductID: p, Name: name, Kind: "goods", TaxType: "exempt", UnitPrice: price, Quantity: 1,
			LineTotal: price, Supply: price, EnterpriseName: ent, EnterpriseType: "cooperative", BusinessNumber: bn}
	}
	o := &order.Order{Number: "D251123-RRRRRR", CheckoutKey: testutil.Name("checkout"), Status: order.PendingPayment,
		Buyer:      order.Buyer{Name: "김두레", Phone: "010-1234-5678"},
		Address:    order.Address{Recipient: "김두레", Phone: "010-1234-5678", Postcode: "41940", Road: "대구광역시 중구 동덕로 115"},
		ItemsTotal: 46000, ShippingTotal: 3000, Total: 49000, Supply: 49000,
		SubOrders: []*order.SubOrder{
			{EnterpriseID: riceEnt, Status: order.SubPendingPayment, ItemsTotal: 40000, Total: 40000,
				Lines: []order.Line{line(rice, "유기농 쌀 10kg", 40000, "햇살농원 협동조합", "2208162517")}},
			{EnterpriseID: breadEnt, Status: order.SubPendingPayment, ItemsTotal: 6000, ShippingFee: 3000, Total: 9000,
				Lines: []order.Line{line(bread, "통밀빵", 6000, "마을빵집 사회적협동조합", "1048145384")}},
		}}
	saved, _, err := store.CreateOrder(ctx, o, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	p, err := store.EnsurePayment(ctx, saved.ID, order.Payment{Provider: "stripe", IdempotencyKey: "pi-" + saved.Number,
		Amount: saved.Total, Status: order.PaymentCreated})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SetPaymentRef(ctx, p.ID, "pi_r", "pi_r_secret"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.UpdateOrder(ctx, saved.Number, nil, func(*order.Order) (order.Change, error) {
		return order.Change{To: order.Paid, SubTo: order.SubPaid, Payment: order.PaymentSucceeded}, nil
	}); err != nil {
		t.Fatal(err)
	}
	riceSub, breadSub := saved.SubOrders[0].ID, saved.SubOrders[1].ID
	refund := func(sub, amount int64, key string) order.Change {
		return order.Change{Refund: &order.Refund{PaymentID: p.ID, SubOrderID: sub, Amount: amount, IdempotencyKey: key}}
	}
	change := func(ent, sub int64, c order.Change) error {
		return store.UpdateSubOrder(ctx, ent, sub, func(*order.Order, *order.SubOrder) (order.Change, error) { return c, nil })
	}
	refunds := func() (n, sum int) {
		t.Helper()
		if err := pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(amount), 0)::int FROM refunds`).Scan(&n, &sum); err != nil {
			t.Fatal(err)
		}
		return n, sum
	}

	if err := change(breadEnt, riceSub, order.Change{}); apperr.Code(err) != apperr.NotFound {
		t.Errorf("another enterprise's part: %v, want not found", err)
	}
	if _, err := store.FindEnterpriseSubOrder(ctx, breadEnt, riceSub); apperr.Code(err) != apperr.NotFound {
		t.Errorf("find another enterprise's part: %v, want not found", err)
	}
	if err := change(riceEnt, riceSub, refund(riceSub, 40000, "re-a")); err != nil {
		t.Fatal(err)
	}
	if err := change(riceEnt, riceSub, refund(riceSub, 40000, "re-a-again")); err != nil {
		t.Fatalf("a second refund of the part is ignored, not an error: %v", err)
	}
	if n, sum := refunds(); n != 1 || sum != 40000 {
		t.Errorf("refunds = %d for %d, want 1 for 40000", n, sum)
	}
	if err := change(breadEnt, breadSub, refund(breadSub, 9001, "re-b")); err == nil {
		t.Error("a refund past the payment was written")
	}
	if n, _ := refunds(); n != 1 {
		t.Errorf("refunds = %d, want 1", n)
	}
	if err := change(breadEnt, breadSub, refund(breadSub, 9000, "re-b")); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"re-a", "re-b"} {
		if err := store.CompleteRefund(ctx, key, "re_"+key); err != nil {
			t.Fatal(err)
		}
	}
	got, err := store.FindOrderByNumber(ctx, saved.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.Payment.RefundedAmount != got.Payment.Amount || got.Payment.RefundsTotal != got.Payment.Amount ||
		got.Payment.Status != order.PaymentRefunded {
		t.Errorf("payment = %+v", got.Payment)
	}
	if r := got.SubOrders[0].Refund; r == nil || r.Amount != 40000 || r.Ref != "re_re-a" {
		t.Errorf("rice's refund = %+v", r)
	}

	// The schema refuses a shipped part without its tracking number.
	if _, err := pool.Exec(ctx, `UPDATE sub_orders SET status = 'shipped', shipped_at = now() WHERE id = $1`, riceSub); err == nil {
		t.Error("a part shipped without a tracking number")
	}
	for _, sc := range []*order.SubChange{{ID: breadSub, To: order.SubAccepted, Reason: "주문 접수"},
		{ID: breadSub, To: order.SubShipped, Reason: "발송", CourierCode: "cj", TrackingNumber: "123456789012"}} {
		if err := change(breadEnt, breadSub, order.Change{Sub: sc}); err != nil {
			t.Fatal(err)
		}
	}
	so, err := store.FindEnterpriseSubOrder(ctx, breadEnt, breadSub)
	if err != nil {
		t.Fatal(err)
	}
	if so.Status != order.SubShipped || so.Courier != "CJ대한통운" || so.TrackingURL == "" || so.ShippedAt == nil ||
		so.OrderNumber != saved.Number || so.Address.Road != "대구광역시 중구 동덕로 115" || len(so.Lines) != 1 ||
		len(so.Events) != 3 {
		t.Errorf("bread's part = %+v", so)
	}
}
