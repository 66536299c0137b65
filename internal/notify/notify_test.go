package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/notify"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/web/webtest"
)

func kinds(t *testing.T, e *webtest.Env, ctx context.Context) map[notify.Kind]int {
	t.Helper()
	list, _, err := e.Notify.List(ctx, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	m := map[notify.Kind]int{}
	for _, n := range list {
		m[n.Kind]++
	}
	return m
}

func drain(t *testing.T, e *webtest.Env) {
	t.Helper()
	if err := e.Notify.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, e *webtest.Env, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOrderNotifications: an order's payment, shipping (with courier and
// tracking number) and delivery reach the member buyer once each, in the
// list and by mail, and the enterprise hears of the new order; replaying
// every event adds nothing; the unread count is cached.
func TestOrderNotifications(t *testing.T) {
	e := webtest.NewEnv(t)
	product, _ := e.Goods(t)
	buyer := e.Consumer(t)
	o, owner := e.DeliveredOrder(t, product, buyer)
	drain(t, e)
	asBuyer := e.As(t, buyer)
	got := kinds(t, e, asBuyer)
	for _, k := range []notify.Kind{notify.OrderPaid, notify.OrderShipped, notify.OrderDelivered} {
		if got[k] != 1 {
			t.Errorf("%s: %d notifications, want 1 (%v)", k, got[k], got)
		}
	}
	if got := kinds(t, e, e.As(t, owner)); got[notify.OrderReceived] != 1 {
		t.Errorf("the enterprise was not told of the order: %v", got)
	}
	shipped, ok := lastMail(e, buyer, "출발")
	if !ok || !strings.Contains(shipped, "123456789012") || !strings.Contains(shipped, "한진택배") || !strings.Contains(shipped, o.Number) {
		t.Errorf("the shipping mail lacks courier or tracking number: %q", shipped)
	}

	// Replays: every order event queued again adds no notification.
	before := count(t, e, `SELECT count(*) FROM notifications`)
	mails := len(e.Mail.Sent())
	if _, err := e.Pool.Exec(context.Background(), `INSERT INTO notify_outbox (kind, ref_id) SELECT 'order_event', id FROM order_events`); err != nil {
		t.Fatal(err)
	}
	drain(t, e)
	if after := count(t, e, `SELECT count(*) FROM notifications`); after != before {
		t.Errorf("a replay made %d more notifications", after-before)
	}
	if len(e.Mail.Sent()) != mails {
		t.Errorf("a replay sent %d more mails", len(e.Mail.Sent())-mails)
	}
	if n := count(t, e, `SELECT count(*) FROM notify_outbox`); n != 0 {
		t.Errorf("%d events left in the outbox", n)
	}

	// The unread count: 3, from the cache once read (a row added behind the
	// service's back does not show until something forgets it).
	if n := e.Notify.Unread(asBuyer); n != 3 {
		t.Fatalf("unread: %d, want 3", n)
	}
	if _, err := e.Pool.Exec(context.Background(), `INSERT INTO notifications (event_key, recipient, user_id, kind, title)
		SELECT 'test:1', 'user:' || id, id, 'order_paid', '테스트' FROM users WHERE email = $1`, buyer); err != nil {
		t.Fatal(err)
	}
	if n := e.Notify.Unread(asBuyer); n != 3 {
		t.Errorf("unread after a silent insert: %d, want the cached 3", n)
	}
	list, _, _ := e.Notify.List(asBuyer, 10, 0)
	link, err := e.Notify.Open(asBuyer, list[len(list)-1].ID)
	if err != nil || link == "" {
		t.Fatalf("open: %q %v", link, err)
	}
	if n := e.Notify.Unread(asBuyer); n != 3 {
		t.Errorf("unread after opening one of 4: %d, want 3", n)
	}
	if _, err := e.Notify.Open(e.As(t, owner), list[0].ID); err == nil {
		t.Error("another member opened the buyer's notification")
	}
	if err := e.Notify.ReadAll(asBuyer); err != nil {
		t.Fatal(err)
	}
	if n := e.Notify.Unread(asBuyer); n != 0 {
		t.Errorf("unread after reading all: %d", n)
	}
}

func lastMail(e *webtest.Env, to, subject string) (string, bool) {
	for _, m := range e.Mail.Sent() {
		if m.To == to && strings.Contains(m.Subject, subject) {
			return m.Body, true
		}
	}
	return "", false
}

// TestFeedbackNotificationsAndPrefs: the enterprise hears of new reviews and
// questions; the writer of a review hears of the reply, the asker of the
// answer; mail is not sent for kinds turned off, but the order
// confirmation stays on.
func TestFeedbackNotificationsAndPrefs(t *testing.T) {
	e := webtest.NewEnv(t)
	product, _ := e.Goods(t)
	buyer := e.Consumer(t)
	asBuyer := e.As(t, buyer)
	if err := e.Notify.SetPrefs(asBuyer, map[notify.Kind]bool{notify.QuestionAnswered: true}); err != nil {
		t.Fatal(err)
	}
	_, on, err := e.Notify.Prefs(asBuyer)
	if err != nil || !on[notify.OrderPaid] || on[notify.ReviewReplied] || on[notify.OrderShipped] || !on[notify.QuestionAnswered] {
		t.Fatalf("preferences: %v %v", on, err)
	}
	o, owner := e.DeliveredOrder(t, product, buyer)
	asOwner := e.As(t, owner)
	r, err := e.Reviews.Write(asBuyer, o.SubOrders[0].Lines[0].ID, review.ReviewInput{Rating: 5, Body: "정말 맛있어요. 다음에 또 주문할게요."})
	if err != nil {
		t.Fatal(err)
	}
	q, err := e.Reviews.Ask(asBuyer, product, "선물 포장이 되나요?", true)
	if err != nil {
		t.Fatal(err)
	}
	drain(t, e)
	if got := kinds(t, e, asOwner); got[notify.ReviewNew] != 1 || got[notify.QuestionNew] != 1 {
		t.Errorf("the enterprise was not told of the review and the question: %v", got)
	}
	if err := e.Reviews.Reply(asOwner, r.ID, "감사합니다!"); err != nil {
		t.Fatal(err)
	}
	if err := e.Reviews.Answer(asOwner, q.ID, "네, 선물 포장해 드립니다."); err != nil {
		t.Fatal(err)
	}
	drain(t, e)
	got := kinds(t, e, asBuyer)
	if got[notify.ReviewReplied] != 1 || got[notify.QuestionAnswered] != 1 {
		t.Errorf("the buyer was not told of the reply and the answer: %v", got)
	}
	if _, ok := lastMail(e, buyer, "답글"); ok {
		t.Error("a reply mail was sent although the buyer turned it off")
	}
	if _, ok := lastMail(e, buyer, "출발"); ok {
		t.Error("a shipping mail was sent although the buyer turned it off")
	}
	if _, ok := lastMail(e, buyer, "문의에 답변"); !ok {
		t.Error("no answer mail, although it is on")
	}
	if _, ok := lastMail(e, buyer, "주문이 접수"); !ok {
		t.Error("no order confirmation mail: it cannot be turned off")
	}
}

type failing struct{}

func (failing) Notify(context.Context, notify.PendingMail) error {
	return errors.New("smtp: connection refused")
}

// TestFailingMailer: a mailer that fails leaves the notification made and
// its mail queued for a retry, and the order goes on.
func TestFailingMailer(t *testing.T) {
	e := webtest.NewEnv(t)
	product, _ := e.Goods(t)
	buyer := e.Consumer(t)
	svc := &notify.Service{Store: postgres.NewNotifyStore(e.Pool), Notifier: failing{}, Log: e.Notify.Log}
	o, _ := e.DeliveredOrder(t, product, buyer)
	if err := svc.Drain(context.Background()); err != nil {
		t.Fatalf("drain with a failing mailer: %v", err)
	}
	if n := count(t, e, `SELECT count(*) FROM notifications WHERE mail_status = 'pending' AND mail_attempts = 1
		AND mail_error LIKE 'smtp:%' AND mail_next_at > now()`); n < 3 {
		t.Errorf("%d mails queued for a retry, want the 3 order mails at least", n)
	}
	if got := kinds(t, e, e.As(t, buyer)); got[notify.OrderDelivered] != 1 {
		t.Errorf("no in-app notification while mail fails: %v", got)
	}
	if found, err := e.Orders.FindOrder(context.Background(), o.Number); err != nil || found.SubOrders[0].Status != "delivered" {
		t.Errorf("the order: %v", err)
	}

}

func TestCompose(t *testing.T) {
	base := notify.Event{Kind: "order_event", OrderNumber: "D1", Buyer: notify.Recipient{UserID: 1, Email: "a@b.kr"}}
	cases := []struct {
		name string
		edit func(*notify.Event)
		want []notify.Kind
	}{
		{"paid", func(e *notify.Event) { e.To = "paid"; e.Members = []notify.Recipient{{UserID: 2}} }, []notify.Kind{notify.OrderPaid, notify.OrderReceived}},
		{"unpaid expiry", func(e *notify.Event) { e.From, e.To = "pending_payment", "cancelled" }, nil},
		{"cancel after payment", func(e *notify.Event) { e.From, e.To = "paid", "cancelled" }, []notify.Kind{notify.OrderCancelled}},
		{"one part cancelled", func(e *notify.Event) { e.SubOrder, e.From, e.To = true, "accepted", "cancelled" }, []notify.Kind{notify.OrderCancelled}},
		{"part cancelled with the order", func(e *notify.Event) {
			e.SubOrder, e.From, e.To, e.OrderAlsoCxl = true, "paid", "cancelled", true
		}, nil},
		{"accepted", func(e *notify.Event) { e.SubOrder, e.From, e.To = true, "paid", "accepted" }, nil},
		{"no buyer address", func(e *notify.Event) { e.Buyer = notify.Recipient{}; e.To = "paid" }, nil},
		{"return requested", func(e *notify.Event) {
			e.SubOrder, e.SubOrderID, e.From, e.To, e.Members = true, 7, "delivered", "return_requested", []notify.Recipient{{UserID: 2}}
		}, []notify.Kind{notify.ReturnRequested}},
		{"return requested of a guest order", func(e *notify.Event) {
			e.SubOrder, e.To, e.Buyer, e.Members = true, "return_requested", notify.Recipient{}, []notify.Recipient{{UserID: 2}}
		}, []notify.Kind{notify.ReturnRequested}},
		{"return approved", func(e *notify.Event) { e.SubOrder, e.To = true, "return_approved" }, []notify.Kind{notify.ReturnUpdate}},
		{"return rejected", func(e *notify.Event) { e.SubOrder, e.To = true, "return_rejected" }, []notify.Kind{notify.ReturnUpdate}},
		{"return received", func(e *notify.Event) { e.SubOrder, e.To = true, "return_received" }, nil},
		{"return refunded", func(e *notify.Event) { e.SubOrder, e.To = true, "return_refunded" }, []notify.Kind{notify.ReturnUpdate}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ev := base
			c.edit(&ev)
			var got []notify.Kind
			for _, m := range notify.Compose(ev) {
				got = append(got, m.Kind)
			}
			if strings.Join(kindStrings(got), ",") != strings.Join(kindStrings(c.want), ",") {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func kindStrings(ks []notify.Kind) []string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return s
}
