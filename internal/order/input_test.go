package order_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/postgres"
)

func TestValidNumber(t *testing.T) {
	for n, want := range map[string]bool{
		"D251123-7KQ2MXH4PA":  true,  // NewNumber's
		"D251123-7KQ2MX":      true,  // older orders'
		"D251123-7KQ2MXH4":    false, // neither length
		"D251123-7KQ2MXH4PAB": false,
		"D251123-7KQ2MO":      false, // O is not in the alphabet
		"d251123-7KQ2MX":      false, // callers upper-case first (NormalizeNumber)
		"D2511-7KQ2MX":        false,
		"D251123-7KQ\x00MX":   false,
		"D251123-7KQ2M\xff":   false,
		"":                    false,
	} {
		if got := order.ValidNumber(n); got != want {
			t.Errorf("ValidNumber(%q) = %v, want %v", n, got, want)
		}
	}
	if got := order.NormalizeNumber(" d251123-7kq2mxh4pa\n"); got != "D251123-7KQ2MXH4PA" {
		t.Errorf("NormalizeNumber = %q", got)
	}
}

// TestCheckoutRefusesBrokenText: a NUL byte, broken UTF-8 or a control
// character in any text of the checkout is a field error in Korean
// (PostgreSQL would refuse it with SQLSTATE 22021: a 500 before), and
// nothing is written.
func TestCheckoutRefusesBrokenText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	cartID := e.fill(t, 1, p)
	orders := e.count(t, `SELECT count(*) FROM orders`)
	for _, bad := range []string{"김\x00두레", "김\xff두레", "김두레"[:4], "김\x1b두레"} {
		for field, set := range map[string]func(*order.CheckoutInput){
			"buyer_name":   func(in *order.CheckoutInput) { in.Buyer.Name = bad },
			"buyer_email":  func(in *order.CheckoutInput) { in.Buyer.Email = "doore" + bad + "@example.kr" },
			"buyer_phone":  func(in *order.CheckoutInput) { in.Buyer.Phone = "010" + bad },
			"recipient":    func(in *order.CheckoutInput) { in.Address.Recipient = bad },
			"phone":        func(in *order.CheckoutInput) { in.Address.Phone = bad },
			"postcode":     func(in *order.CheckoutInput) { in.Address.Postcode = "419" + bad },
			"road":         func(in *order.CheckoutInput) { in.Address.Road = "동덕로 " + bad },
			"detail":       func(in *order.CheckoutInput) { in.Address.Detail = bad },
			"memo":         func(in *order.CheckoutInput) { in.Address.Memo = bad },
			"checkout_key": func(in *order.CheckoutInput) { in.CheckoutKey = "0123456789abcdef" + bad },
		} {
			in := e.input(t, cartID)
			set(&in)
			_, err := e.svc.Checkout(ctx, in)
			ae := wantCode(t, err, apperr.Invalid)
			if msg := ae.Fields[field]; msg == "" || !strings.ContainsFunc(msg, func(r rune) bool { return r >= '가' && r <= '힣' }) {
				t.Errorf("%s = %q: fields %v, want a Korean message on %s", field, bad, ae.Fields, field)
			}
		}
	}
	in := e.input(t, cartID)
	in.Address.Memo = "문 앞에\r\n놓아 주세요" // a line break is meaningful in a memo
	o, err := e.svc.Checkout(ctx, in)
	if err != nil {
		t.Fatalf("memo with a line break: %v", err)
	}
	if o.Address.Memo != "문 앞에\n놓아 주세요" {
		t.Errorf("memo = %q, want its line break as LF", o.Address.Memo)
	}
	if n := e.count(t, `SELECT count(*) FROM orders`); n != orders+1 {
		t.Errorf("%d orders written, want only the good one", n-orders)
	}
}

// queryLog records the SQL a pool sends.
type queryLog struct {
	mu  sync.Mutex
	sql []string
}

func (l *queryLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sql = append(l.sql, d.SQL)
	return ctx
}

func (l *queryLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// take returns the SQL sent since the last take.
func (l *queryLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.sql
	l.sql = nil
	return out
}

// TestLookupDoesTheSameWorkFoundOrNot: an unknown number and a known number
// with a wrong phone send the same queries (one, for the buyer's phone) and
// answer the same error; the order is read only for the right phone. A
// malformed number or phone is refused before any query. Orders numbered
// before numbers grew to ten characters still look up.
func TestLookupDoesTheSameWorkFoundOrNot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, _ := e.product(t, 10)
	o := e.checkout(t, 1, p)

	cfg, err := pgxpool.ParseConfig(e.pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	log := &queryLog{}
	cfg.ConnConfig.Tracer = log
	traced, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(traced.Close)
	svc := order.NewService(postgres.NewOrderStore(traced), e.carts, payment.NewRegistry(e.provider), order.Config{})

	unknown := "D000000-AAAAAAAAAA"
	_, errUnknown := svc.Lookup(ctx, unknown, buyerPhone)
	unknownSQL := log.take()
	_, errWrong := svc.Lookup(ctx, o.Number, "010-9999-9999")
	wrongSQL := log.take()
	a, b := wantCode(t, errUnknown, apperr.NotFound), wantCode(t, errWrong, apperr.NotFound)
	if a.Message != b.Message {
		t.Errorf("messages differ: %q and %q", a.Message, b.Message)
	}
	if len(unknownSQL) != 1 || !slices.Equal(unknownSQL, wrongSQL) {
		t.Errorf("an unknown number sent %q,\na wrong phone %q: want the same one query", unknownSQL, wrongSQL)
	}
	if _, err := svc.Lookup(ctx, o.Number, "01012345678"); err != nil {
		t.Fatalf("right phone: %v", err)
	}
	if n := len(log.take()); n <= 1 {
		t.Errorf("the right phone sent %d queries; the order itself should be read", n)
	}

	for _, tc := range [][2]string{{"D000000-AAAAAA\x00", buyerPhone}, {"D000000-AAAA\xff", buyerPhone},
		{"../../etc", buyerPhone}, {unknown, "010\x00"}, {unknown, "no phone"}, {"", buyerPhone}} {
		_, err := svc.Lookup(ctx, tc[0], tc[1])
		if ae := wantCode(t, err, apperr.Invalid); ae.Message == "" {
			t.Errorf("Lookup(%q, %q): no message", tc[0], tc[1])
		}
		if q := log.take(); len(q) != 0 {
			t.Errorf("Lookup(%q, %q) sent %q, want nothing", tc[0], tc[1], q)
		}
	}

	old := "D251123-" + o.Number[len(o.Number)-6:]
	e.exec(t, `UPDATE orders SET number = $1 WHERE id = $2`, old, o.ID)
	if got, err := svc.Lookup(ctx, strings.ToLower(old), buyerPhone); err != nil || got.ID != o.ID {
		t.Errorf("Lookup of an older, six-character number: %v, %v", got, err)
	}
}
