package order_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/stripe"
	"github.com/dure-coop/dure/internal/testutil"
)

// countingStripe is the real Stripe adapter (on stripe-mock) that counts
// PaymentIntents created, to prove a retry creates none, and records
// cancellations. stripe-mock's PaymentIntents are canned and never change
// state, so a test makes Status and Cancel report a state with answer.
type countingStripe struct {
	*stripe.Provider
	creates atomic.Int64
	mu      sync.Mutex
	keys    []string // idempotency keys sent, in order
	cancels []string // idempotency keys of Cancel calls, in order
	// answers are the states Status and Cancel report per PaymentIntent.
	answers map[string]answer
	// failRefunds is how many Refund calls fail before they work again.
	failRefunds atomic.Int64
	refunds     []refundCall // Refund calls that reached stripe-mock, in order
}

// refundCall is one refund sent to the provider.
type refundCall struct {
	key    string
	amount int64
}

// answer is what the provider says about one PaymentIntent; "" passes the
// call on to stripe-mock.
type answer struct {
	status, cancel payment.Status
	err            error // Status and Cancel fail with it, as if Stripe were down
}

// answer makes Status report status for the PaymentIntent ref, and Cancel
// report cancel (stripe-mock's real answer when cancel is "").
func (c *countingStripe) answer(ref string, status, cancel payment.Status) {
	c.setAnswer(ref, answer{status: status, cancel: cancel})
}

func (c *countingStripe) setAnswer(ref string, a answer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.answers == nil {
		c.answers = map[string]answer{}
	}
	c.answers[ref] = a
}

func (c *countingStripe) answerFor(ref string) answer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.answers[ref]
}

func (c *countingStripe) Status(ctx context.Context, ref string) (payment.Status, error) {
	a := c.answerFor(ref)
	if a.err != nil {
		return "", a.err
	}
	if a.status != "" {
		return a.status, nil
	}
	return c.Provider.Status(ctx, ref)
}

func (c *countingStripe) Cancel(ctx context.Context, ref, key string) (payment.Status, error) {
	c.mu.Lock()
	c.cancels = append(c.cancels, key)
	c.mu.Unlock()
	a := c.answerFor(ref)
	if a.err != nil {
		return "", a.err
	}
	if a.cancel != "" {
		return a.cancel, nil
	}
	return c.Provider.Cancel(ctx, ref, key)
}

func (c *countingStripe) cancelKeys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.cancels...)
}

func (c *countingStripe) CreatePayment(ctx context.Context, r payment.Request) (string, string, error) {
	c.creates.Add(1)
	c.mu.Lock()
	c.keys = append(c.keys, r.IdempotencyKey)
	c.mu.Unlock()
	return c.Provider.CreatePayment(ctx, r)
}

// Refund fails while failRefunds is above zero, as if Stripe were down.
func (c *countingStripe) Refund(ctx context.Context, ref string, amount int64, key string) (string, error) {
	if c.failRefunds.Add(-1) >= 0 {
		return "", errors.New("stripe: connection refused (test)")
	}
	c.mu.Lock()
	c.refunds = append(c.refunds, refundCall{key: key, amount: amount})
	c.mu.Unlock()
	return c.Provider.Refund(ctx, ref, amount, key)
}

func (c *countingStripe) refundCalls() []refundCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]refundCall(nil), c.refunds...)
}

func (c *countingStripe) sentKeys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.keys...)
}

type env struct {
	pool     *pgxpool.Pool
	carts    *cart.Service
	provider *countingStripe
	svc      *order.Service
	secret   string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	rdb, prefix := testutil.NewRedis(t)
	cfg := testutil.Config(t)
	carts := cart.NewService(redis.NewCartStore(rdb, prefix), postgres.NewCatalogStore(pool))
	sp, err := stripe.New(stripe.Config{Key: cfg.StripeKey, APIBase: cfg.StripeAPIBase, WebhookSecret: cfg.StripeWebhookKey})
	if err != nil {
		t.Fatal(err)
	}
	p := &countingStripe{Provider: sp}
	e := &env{pool: pool, carts: carts, provider: p, secret: cfg.StripeWebhookKey}
	e.svc = e.service(order.Config{})
	return e
}

// service is another order service on the same database, carts and
// provider, with cfg.
func (e *env) service(cfg order.Config) *order.Service {
	if cfg.Catalog == nil {
		cfg.Catalog = postgres.NewCatalogStore(e.pool)
	}
	if cfg.Coop == nil {
		cfg.Coop = coop.NewService(postgres.NewCoopStore(e.pool), nil)
	}
	if cfg.Documents == nil {
		cfg.Documents = postgres.NewOrderStore(e.pool)
	}
	return order.NewService(postgres.NewOrderStore(e.pool), e.carts, payment.NewRegistry(e.provider, &payment.Invoice{}), cfg)
}

// product finds an in-stock goods product without options from an
// enterprise not in skip, and sets its stock.
func (e *env) product(t *testing.T, stock int, skip ...int64) (id, enterprise int64) {
	t.Helper()
	ctx := context.Background()
	err := e.pool.QueryRow(ctx, `SELECT p.id, p.enterprise_id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods' AND p.stock > 0
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		  AND NOT (p.enterprise_id = ANY($1))
		ORDER BY p.id LIMIT 1`, append([]int64{0}, skip...)).Scan(&id, &enterprise)
	if err != nil {
		t.Fatalf("no goods product in the demo catalogue: %v", err)
	}
	e.exec(t, `UPDATE products SET stock = $2 WHERE id = $1`, id, stock)
	return id, enterprise
}

// productOf finds another in-stock goods product without options of the
// enterprise, not in skip, and sets its stock.
func (e *env) productOf(t *testing.T, enterprise int64, stock int, skip ...int64) int64 {
	t.Helper()
	var id int64
	err := e.pool.QueryRow(context.Background(), `SELECT p.id FROM products p
		WHERE p.enterprise_id = $1 AND p.status = 'active' AND p.kind = 'goods' AND p.stock > 0
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		  AND NOT (p.id = ANY($2))
		ORDER BY p.id LIMIT 1`, enterprise, append([]int64{0}, skip...)).Scan(&id)
	if err != nil {
		t.Fatalf("no second goods product of enterprise %d in the demo catalogue: %v", enterprise, err)
	}
	e.exec(t, `UPDATE products SET stock = $2 WHERE id = $1`, id, stock)
	return id
}

// staff is a context whose actor is a member of the enterprise.
func staff(enterprise int64) context.Context {
	return account.NewContext(context.Background(), &account.Actor{UserID: 900000 + enterprise, Name: "직원",
		Role: account.EnterpriseStaff, EnterpriseID: enterprise, EnterpriseStatus: account.EnterpriseActive,
		MemberRole: account.Staff})
}

// member creates a consumer account and returns its id and a context whose
// actor is that member.
func (e *env) member(t *testing.T) (int64, context.Context) {
	t.Helper()
	var id int64
	email := testutil.Name("member") + "@example.kr"
	err := e.pool.QueryRow(context.Background(), `INSERT INTO users (email, name, password_hash, role)
		VALUES ($1, '회원', '$argon2id$test', 'consumer') RETURNING id`, email).Scan(&id)
	if err != nil {
		t.Fatalf("create member: %v", err)
	}
	return id, account.NewContext(context.Background(), &account.Actor{UserID: id, Name: "회원", Email: email,
		Role: account.Consumer})
}

func (e *env) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := e.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func (e *env) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func (e *env) stock(t *testing.T, product int64) int {
	t.Helper()
	return e.count(t, `SELECT stock FROM products WHERE id = $1`, product)
}

// fill puts quantity of each product in a new cart and returns its id.
func (e *env) fill(t *testing.T, quantity int, products ...int64) string {
	t.Helper()
	id := testutil.Name("cart")
	for _, p := range products {
		if err := e.carts.Add(context.Background(), id, cart.Key{ProductID: p}, quantity); err != nil {
			t.Fatalf("add %d to cart: %v", p, err)
		}
	}
	return id
}

var address = order.Address{Recipient: "김두레", Phone: "010-2222-3333", Postcode: "41940",
	Road: "대구광역시 중구 동덕로 115", Detail: "3층", Memo: "문 앞에 놓아 주세요"}

const buyerPhone = "010-1234-5678"

// input is a valid checkout of the cart with the total its page shows.
func (e *env) input(t *testing.T, cartID string) order.CheckoutInput {
	t.Helper()
	v, err := e.carts.View(context.Background(), cartID, address.Postcode)
	if err != nil {
		t.Fatal(err)
	}
	return order.CheckoutInput{CheckoutKey: testutil.Name("checkout"), CartID: cartID,
		Buyer: order.Buyer{Name: "김두레", Phone: "01012345678", Email: "doore@example.kr"}, Address: address,
		ExpectedTotal: v.Price.Total, Consent: testutil.Consent(t, e.pool)}
}

// checkout orders quantity of each product and returns the order.
func (e *env) checkout(t *testing.T, quantity int, products ...int64) *order.Order {
	t.Helper()
	o, err := e.svc.Checkout(context.Background(), e.input(t, e.fill(t, quantity, products...)))
	if err != nil {
		t.Fatalf("Checkout: %v", err)
	}
	return o
}

// paidOrder orders quantity of each product and pays it with the test card
// (the payment page's test button: a PaymentIntent on stripe-mock, then the
// webhook's success path), and returns the paid order.
func (e *env) paidOrder(t *testing.T, quantity int, products ...int64) *order.Order {
	t.Helper()
	o := e.checkout(t, quantity, products...)
	if err := e.svc.ConfirmTestPayment(context.Background(), o.Number); err != nil {
		t.Fatalf("ConfirmTestPayment: %v", err)
	}
	paid := e.reload(t, o.Number)
	if paid.Status != order.Paid || paid.Payment == nil || paid.Payment.Status != order.PaymentSucceeded {
		t.Fatalf("order %s after the test card, payment %+v; want paid", paid.Status, paid.Payment)
	}
	return paid
}

// awaiting orders quantity of each product and starts its payment (a
// PaymentIntent on stripe-mock), as the payment page does, and returns the
// order awaiting payment and its payment.
func (e *env) awaiting(t *testing.T, quantity int, products ...int64) (*order.Order, *order.Payment) {
	t.Helper()
	o := e.checkout(t, quantity, products...)
	p, err := e.svc.StartPayment(context.Background(), o.Number)
	if err != nil {
		t.Fatalf("StartPayment: %v", err)
	}
	return o, p
}

// signed builds a Stripe event about the PaymentIntent ref of order number,
// signed with the configured secret as Stripe would, and returns the payload
// and the Stripe-Signature header.
func (e *env) signed(t *testing.T, id, typ, ref, number string, amount int64) ([]byte, string) {
	t.Helper()
	pi := map[string]any{"id": ref, "object": "payment_intent", "amount": amount, "currency": "krw",
		"metadata": map[string]string{"order_number": number}, "status": "succeeded"}
	switch typ {
	case "payment_intent.payment_failed":
		pi["status"] = "requires_payment_method"
		pi["last_payment_error"] = map[string]any{"message": "카드 한도 초과", "type": "card_error"}
	case "payment_intent.canceled":
		pi["status"] = "canceled"
	}
	payload, err := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": stripego.APIVersion,
		"type": typ, "created": 1700000000, "data": map[string]any{"object": pi}})
	if err != nil {
		t.Fatal(err)
	}
	s := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: e.secret})
	return payload, s.Header
}

func (e *env) reload(t *testing.T, number string) *order.Order {
	t.Helper()
	o, err := e.svc.Lookup(context.Background(), number, buyerPhone)
	if err != nil {
		t.Fatalf("Lookup(%s): %v", number, err)
	}
	return o
}

func wantCode(t *testing.T, err error, code string) *apperr.Error {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	return e
}
