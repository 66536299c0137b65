package order_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/testutil"
)

func TestEnterpriseDashboard(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p1, ea := e.product(t, 50)
	p2 := e.productOf(t, ea, 50, p1)
	pb, _ := e.product(t, 50, ea)
	staffA := staff(ea)

	// paid orders quantities (product → quantity) in one order and pays it.
	paid := func(q map[int64]int) *order.SubOrder {
		t.Helper()
		cartID := testutil.Name("cart")
		for _, p := range []int64{p1, p2, pb} {
			if n := q[p]; n > 0 {
				if err := e.carts.Add(ctx, cartID, cart.Key{ProductID: p}, n); err != nil {
					t.Fatal(err)
				}
			}
		}
		o, err := e.svc.Checkout(ctx, e.input(t, cartID))
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ConfirmTestPayment(ctx, o.Number); err != nil {
			t.Fatal(err)
		}
		return part(t, o, ea)
	}
	// paidDaysAgo moves a part's payment to noon (KST) days ago.
	paidDaysAgo := func(so *order.SubOrder, days int) {
		t.Helper()
		e.exec(t, `UPDATE sub_orders SET paid_at = (date_trunc('day', now() AT TIME ZONE 'Asia/Seoul')
			- make_interval(days => $2) + interval '12 hours') AT TIME ZONE 'Asia/Seoul' WHERE id = $1`, so.ID, days)
	}
	o1 := paid(map[int64]int{p1: 2})
	o2 := paid(map[int64]int{p1: 1, p2: 4, pb: 1}) // B's part counts for B only
	o3 := paid(map[int64]int{p2: 1})
	paidDaysAgo(o3, 3)
	o4 := paid(map[int64]int{p1: 1})
	paidDaysAgo(o4, 20)
	o5 := paid(map[int64]int{p2: 1})
	paidDaysAgo(o5, 40)
	o6 := paid(map[int64]int{p1: 5})
	if err := e.svc.CancelSubOrder(staffA, o6.ID, "취소 테스트"); err != nil {
		t.Fatal(err)
	}
	e.checkout(t, 1, p1) // never paid
	if err := e.svc.AcceptSubOrder(staffA, o1.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.AcceptSubOrder(staffA, o3.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ShipSubOrder(staffA, o3.ID, "logen", "12345678901"); err != nil {
		t.Fatal(err)
	}

	d, err := e.svc.EnterpriseDashboard(staffA)
	if err != nil {
		t.Fatalf("EnterpriseDashboard: %v", err)
	}
	if len(d.Days) != 14 || len(d.Weeks) != 8 {
		t.Fatalf("%d days and %d weeks, want 14 and 8", len(d.Days), len(d.Weeks))
	}
	kst := time.FixedZone("KST", 9*60*60)
	now := time.Now().In(kst)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, kst)
	wantDays := make([]int64, 14)
	wantDays[13] = o1.Total + o2.Total
	wantDays[10] = o3.Total
	monday := func(t time.Time) time.Time { return t.AddDate(0, 0, -(int(t.Weekday())+6)%7) }
	wantWeeks := make([]int64, 8)
	for _, x := range []struct {
		so   *order.SubOrder
		days int
	}{{o1, 0}, {o2, 0}, {o3, 3}, {o4, 20}, {o5, 40}} {
		back := int(monday(today).Sub(monday(today.AddDate(0, 0, -x.days))).Hours()) / 24 / 7
		wantWeeks[7-back] += x.so.Total
	}
	for i, p := range d.Days {
		if p.Amount != wantDays[i] {
			t.Errorf("day %d (%s) = %d, want %d", i, p.Label, p.Amount, wantDays[i])
		}
	}
	if !d.Days[13].Start.Equal(today) || d.Days[13].Orders != 2 || d.Days[13].Label != today.Format("01.02") {
		t.Errorf("today = %+v", d.Days[13])
	}
	for i, p := range d.Weeks {
		if p.Amount != wantWeeks[i] {
			t.Errorf("week %d (%s) = %d, want %d", i, p.Label, p.Amount, wantWeeks[i])
		}
	}
	if !d.Weeks[7].Start.Equal(monday(today)) || d.Weeks[7].Start.Weekday() != time.Monday {
		t.Errorf("this week starts %v", d.Weeks[7].Start)
	}

	// The last 30 days: p1 2+1+1 (o6 cancelled), p2 4+1 (o5 is older).
	price := func(so *order.SubOrder, p int64) int64 {
		for _, l := range so.Lines {
			if l.ProductID == p {
				return l.UnitPrice
			}
		}
		t.Fatalf("no line of %d", p)
		return 0
	}
	top := map[int64]order.ProductSales{
		p1: {ProductID: p1, Quantity: 4, Amount: 4 * price(o1, p1)},
		p2: {ProductID: p2, Quantity: 5, Amount: 5 * price(o3, p2)},
	}
	if got := d.TopByQuantity; len(got) != 2 || got[0].ProductID != p2 || got[0].Quantity != 5 || got[1].Quantity != 4 ||
		got[0].Amount != top[p2].Amount || got[0].Name == "" {
		t.Errorf("top by quantity = %+v, want %+v", got, top)
	}
	byAmount := []order.ProductSales{top[p1], top[p2]}
	slices.SortFunc(byAmount, func(a, b order.ProductSales) int { return int(b.Amount - a.Amount) })
	if got := d.TopByAmount; len(got) != 2 || got[0].ProductID != byAmount[0].ProductID || got[0].Amount != byAmount[0].Amount {
		t.Errorf("top by amount = %+v, want %+v", got, byAmount)
	}
	if d.AwaitingAcceptance != 3 || d.AwaitingShipment != 1 || d.AwaitingAction() != 4 {
		t.Errorf("waiting: %d to accept, %d to ship; want 3 and 1", d.AwaitingAcceptance, d.AwaitingShipment)
	}
	_, err = e.svc.EnterpriseDashboard(context.Background())
	wantCode(t, err, apperr.Unauthorized)
}

func TestUserHistoryShowsOwnOrdersOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p, _ := e.product(t, 20)
	u1, ctx1 := e.member(t)
	u2, ctx2 := e.member(t)
	order1 := func(ctx context.Context, uid int64) *order.Order {
		t.Helper()
		in := e.input(t, e.fill(t, 1, p))
		in.UserID = uid
		o, err := e.svc.Checkout(ctx, in)
		if err != nil {
			t.Fatalf("Checkout: %v", err)
		}
		return o
	}
	a := order1(ctx1, u1)
	b := order1(ctx1, u1)
	order1(ctx2, u2)
	guest := e.checkout(t, 1, p)
	if guest.UserID != 0 || a.UserID != u1 {
		t.Errorf("user ids %d and %d, want 0 and %d", guest.UserID, a.UserID, u1)
	}

	list, total, err := e.svc.FindUserOrders(ctx1, order.UserOrderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(list) != 2 || list[0].Number != b.Number || list[1].Number != a.Number {
		t.Errorf("member 1's orders = %d of %d, want %s and %s, newest first", len(list), total, b.Number, a.Number)
	}
	if len(list) > 0 && (len(list[0].SubOrders) != 1 || len(list[0].SubOrders[0].Lines) != 1 || len(list[0].Events) == 0) {
		t.Errorf("listed order = %+v", list[0])
	}
	if list, _, _ := e.svc.FindUserOrders(ctx1, order.UserOrderFilter{Limit: 1, Offset: 1}); len(list) != 1 || list[0].Number != a.Number {
		t.Errorf("second page = %v", list)
	}
	if _, total, _ := e.svc.FindUserOrders(ctx2, order.UserOrderFilter{}); total != 1 {
		t.Errorf("member 2 has %d orders, want 1", total)
	}

	// Nobody places an order for someone else.
	in := e.input(t, e.fill(t, 1, p))
	in.UserID = u1
	_, err = e.svc.Checkout(ctx2, in)
	wantCode(t, err, apperr.Forbidden)
	_, err = e.svc.Checkout(context.Background(), in)
	wantCode(t, err, apperr.Forbidden)
	_, _, err = e.svc.FindUserOrders(context.Background(), order.UserOrderFilter{})
	wantCode(t, err, apperr.Unauthorized)
}

var codeRE = regexp.MustCompile(`인증번호: ([0-9]{6})`)

func TestClaimGuestOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	outbox := &mail.Outbox{}
	svc := e.service(order.Config{Mailer: outbox})
	p, _ := e.product(t, 20)
	o := e.checkout(t, 1, p)
	const email = "doore@example.kr"
	u1, ctx1 := e.member(t)
	_, ctx2 := e.member(t)

	// code returns the newest code mailed to the order's address for the
	// order number, and fails when nothing new was sent.
	seen := 0
	code := func(number string) string {
		t.Helper()
		sent := outbox.Sent()
		if len(sent) != seen+1 {
			t.Fatalf("%d mails sent, want %d", len(sent), seen+1)
		}
		seen++
		m := sent[len(sent)-1]
		c := codeRE.FindStringSubmatch(m.Body)
		if m.To != email || c == nil || !strings.Contains(m.Body, number) {
			t.Fatalf("mail = %+v", m)
		}
		return c[1]
	}
	noMail := func() {
		t.Helper()
		if n := len(outbox.Sent()); n != seen {
			t.Fatalf("%d mails sent, want %d", n, seen)
		}
	}
	wrong := func(c string) string {
		if c == "000000" {
			return "000001"
		}
		return "000000"
	}

	// The same answer whether or not the order exists or the phone matches.
	for _, tc := range [][2]string{{o.Number, "010-9999-9999"}, {"D000000-AAAAAA", buyerPhone}} {
		if err := svc.StartClaim(ctx1, tc[0], tc[1]); err != nil {
			t.Errorf("StartClaim(%s, %s) = %v, want nil", tc[0], tc[1], err)
		}
	}
	noMail()
	wantCode(t, svc.ConfirmClaim(ctx1, o.Number, "123456"), apperr.Conflict) // nothing requested

	// Five wrong codes end the claim; the right one is refused after.
	if err := svc.StartClaim(ctx1, strings.ToLower(o.Number), "01012345678"); err != nil {
		t.Fatal(err)
	}
	first := code(o.Number)
	for i := 1; i <= order.ClaimMaxAttempts; i++ {
		err := svc.ConfirmClaim(ctx1, o.Number, wrong(first))
		if i < order.ClaimMaxAttempts {
			wantCode(t, err, apperr.Invalid)
		} else {
			wantCode(t, err, apperr.Conflict)
		}
	}
	if msg := wantCode(t, svc.ConfirmClaim(ctx1, o.Number, first), apperr.Conflict).Message; !strings.Contains(msg, "5번") {
		t.Errorf("after five wrong codes: %q", msg)
	}
	if n := e.count(t, `SELECT count(*) FROM order_claims WHERE code_hash LIKE '%' || $1 || '%'`, first); n != 0 {
		t.Error("the code is stored in clear")
	}

	// Two members ask; the first to confirm gets it, the other is refused.
	if err := svc.StartClaim(ctx2, o.Number, buyerPhone); err != nil {
		t.Fatal(err)
	}
	second := code(o.Number)
	if err := svc.StartClaim(ctx1, o.Number, buyerPhone); err != nil {
		t.Fatal(err)
	}
	third := code(o.Number)
	wantCode(t, svc.ConfirmClaim(ctx1, o.Number, "12345"), apperr.Invalid)
	if err := svc.ConfirmClaim(ctx1, o.Number, third); err != nil {
		t.Fatalf("ConfirmClaim: %v", err)
	}
	if got := e.reload(t, o.Number); got.UserID != u1 {
		t.Errorf("order's member = %d, want %d", got.UserID, u1)
	}
	if msg := wantCode(t, svc.ConfirmClaim(ctx2, o.Number, second), apperr.Conflict).Message; !strings.Contains(msg, "이미") {
		t.Errorf("claim of a claimed order: %q", msg)
	}
	if list, _, _ := svc.FindUserOrders(ctx1, order.UserOrderFilter{}); len(list) != 1 || list[0].Number != o.Number {
		t.Errorf("member 1's orders = %v", list)
	}
	// A claimed order is sent no more codes.
	if err := svc.StartClaim(ctx2, o.Number, buyerPhone); err != nil {
		t.Fatal(err)
	}
	noMail()

	// An expired code is refused.
	other := e.checkout(t, 1, p)
	if err := svc.StartClaim(ctx1, other.Number, buyerPhone); err != nil {
		t.Fatal(err)
	}
	late := code(other.Number)
	e.exec(t, `UPDATE order_claims SET expires_at = now() - interval '1 second' WHERE order_id = $1`, other.ID)
	wantCode(t, svc.ConfirmClaim(ctx1, other.Number, late), apperr.Conflict)

	// At most three codes an hour per order.
	for range 2 {
		if err := svc.StartClaim(ctx1, other.Number, buyerPhone); err != nil {
			t.Fatal(err)
		}
		code(other.Number)
	}
	if err := svc.StartClaim(ctx1, other.Number, buyerPhone); err != nil {
		t.Fatal(err)
	}
	noMail()

	// Without a mailer there are no claims; anonymous actors cannot claim.
	wantCode(t, e.svc.StartClaim(ctx1, o.Number, buyerPhone), apperr.Unavailable)
	wantCode(t, svc.StartClaim(ctx, o.Number, buyerPhone), apperr.Unauthorized)
	wantCode(t, svc.ConfirmClaim(account.NewContext(ctx, nil), o.Number, "123456"), apperr.Unauthorized)
}
