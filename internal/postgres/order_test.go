package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

const orderFile = `{"type":"category","id":"food","slug":"food","name":"식품","position":1}
{"type":"enterprise","id":"farm","name":"햇살농원 협동조합","enterprise_type":"cooperative","business_number":"220-81-62517","region":"gyeongbuk","representative":"김민준","phone":"0548701234","email":"farm@example.com","address":"경상북도 청송군 청송읍 중앙로 1","mission":"지역 농산물","shipping":{"fee":3000,"free_threshold":30000,"remote_surcharge":3000}}
{"type":"product","id":"rice","enterprise":"farm","category":"food","kind":"goods","name":"유기농 쌀 10kg","tax_type":"exempt","consumer_price":40000,"public_price":38000,"stock":100}
`

func TestFindPaymentChecks(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	if _, err := importString(t, pool, orderFile); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store := postgres.NewOrderStore(pool)
	var product, enterprise int64
	if err := pool.QueryRow(ctx, `SELECT id, enterprise_id FROM products`).Scan(&product, &enterprise); err != nil {
		t.Fatal(err)
	}
	// create writes an order of one unit; ref "" starts no payment, "-" a
	// payment the provider has not answered for.
	create := func(name, ref string) *order.Order {
		t.Helper()
		o := &order.Order{Number: "D251123-" + name, CheckoutKey: testutil.Name("checkout"), Status: order.PendingPayment,
			Buyer:      order.Buyer{Name: "김두레", Phone: "010-1234-5678"},
			Address:    order.Address{Recipient: "김두레", Phone: "010-1234-5678", Postcode: "41940", Road: "대구광역시 중구 동덕로 115"},
			ItemsTotal: 40000, Total: 40000, Supply: 40000,
			SubOrders: []*order.SubOrder{{EnterpriseID: enterprise, Status: order.SubPendingPayment, ItemsTotal: 40000, Total: 40000,
				Lines: []order.Line{{ProductID: product, Name: "유기농 쌀 10kg", Kind: "goods", TaxType: "exempt", UnitPrice: 40000,
					Quantity: 1, LineTotal: 40000, Supply: 40000, EnterpriseName: "햇살농원 협동조합",
					EnterpriseType: "cooperative", BusinessNumber: "2208162517"}}}}}
		saved, _, err := store.CreateOrder(ctx, o, 15*time.Minute)
		if err != nil {
			t.Fatalf("CreateOrder %s: %v", name, err)
		}
		if ref != "" {
			p, err := store.EnsurePayment(ctx, saved.ID, order.Payment{Provider: "stripe", IdempotencyKey: "pi-" + saved.Number,
				Amount: saved.Total, Status: order.PaymentCreated})
			if err != nil {
				t.Fatal(err)
			}
			if ref != "-" {
				if _, err := store.SetPaymentRef(ctx, p.ID, ref, ref+"_secret"); err != nil {
					t.Fatal(err)
				}
			}
		}
		return saved
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	expiredBare := create("AAAAAA", "")
	expiredPaying := create("BBBBBB", "pi_b")
	awaiting := create("CCCCCC", "pi_c")
	awaitingNoRef := create("DDDDDD", "-")
	create("EEEEEE", "pi_e") // just created: too young to ask about
	cancelledOpen := create("FFFFFF", "pi_f")
	cancelledLongAgo := create("GGGGGG", "pi_g")
	cancelledClosed := create("HHHHHH", "pi_h")
	create("JJJJJJ", "pi_j") // paid
	exec(`UPDATE orders SET reserved_until = now() - interval '1 minute' WHERE id = ANY($1)`,
		[]int64{expiredBare.ID, expiredPaying.ID})
	exec(`UPDATE orders SET created_at = now() - interval '10 minutes' WHERE id = ANY($1)`,
		[]int64{awaiting.ID, awaitingNoRef.ID})
	exec(`UPDATE orders SET status = 'cancelled', cancelled_at = now() - interval '1 hour' WHERE id = ANY($1)`,
		[]int64{cancelledOpen.ID, cancelledClosed.ID})
	exec(`UPDATE orders SET status = 'cancelled', cancelled_at = now() - interval '8 days' WHERE id = $1`, cancelledLongAgo.ID)
	exec(`UPDATE payments SET status = 'failed' WHERE provider_ref = 'pi_f'`)
	exec(`UPDATE payments SET status = 'cancelled' WHERE provider_ref = 'pi_h'`)
	exec(`UPDATE orders SET status = 'paid' WHERE number = 'D251123-JJJJJJ'`)
	exec(`UPDATE payments SET status = 'succeeded' WHERE provider_ref = 'pi_j'`)

	// all lists every check of f one order at a time, to exercise the keyset.
	all := func(f order.PaymentCheckFilter) []string {
		t.Helper()
		f.Limit = 1
		var out []string
		for range 20 {
			list, err := store.FindPaymentChecks(ctx, f)
			if err != nil {
				t.Fatalf("FindPaymentChecks(%+v): %v", f, err)
			}
			if len(list) == 0 {
				return out
			}
			c := list[0]
			out = append(out, fmt.Sprintf("%s %s %s", c.Number[len("D251123-"):], c.Provider, c.PaymentRef))
			f.AfterID = c.OrderID
		}
		t.Fatal("the keyset does not advance")
		return nil
	}
	tests := []struct {
		name string
		f    order.PaymentCheckFilter
		want []string
	}{
		{"expired", order.PaymentCheckFilter{Kind: order.CheckExpired}, []string{"AAAAAA  ", "BBBBBB stripe pi_b"}},
		{"awaiting", order.PaymentCheckFilter{Kind: order.CheckAwaiting, OlderThan: 5 * time.Minute}, []string{"CCCCCC stripe pi_c"}},
		{"awaiting, older", order.PaymentCheckFilter{Kind: order.CheckAwaiting, OlderThan: 20 * time.Minute}, nil},
		{"cancelled", order.PaymentCheckFilter{Kind: order.CheckCancelled, Within: 7 * 24 * time.Hour}, []string{"FFFFFF stripe pi_f"}},
	}
	for _, tt := range tests {
		if got := all(tt.f); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	list, err := store.FindPaymentChecks(ctx, order.PaymentCheckFilter{Kind: order.CheckExpired, Limit: 10})
	if err != nil || len(list) != 2 || !list[0].ReservedUntil.Before(time.Now()) {
		t.Errorf("FindPaymentChecks = %+v, %v", list, err)
	}
}
