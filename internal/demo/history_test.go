package demo_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/demo"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// The demo history seeds quotes in every state and invoice orders shipped,
// inspected and paid over the last months, through the services; seeding
// again adds nothing; /biz then shows figures, and the orders' invoice
// states and dates are those the history meant.
func TestHistorySeedsOnceWithFigures(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	e.SetCoopDetails(t)
	// The enterprises `make run` gives members to (cmd/dure), as they are
	// in the demo catalogue.
	var members []string
	for _, ext := range []string{"ent-001", "ent-002", "ent-003"} {
		var id int64
		if err := e.Pool.QueryRow(ctx, `SELECT id FROM enterprises WHERE external_id = $1`, ext).Scan(&id); err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		members = append(members, e.Member(t, id, account.Owner))
	}
	inst := e.Institution(t, "대구광역시 ○○구청")
	h := &demo.History{Accounts: e.Accounts, Quotes: e.Quotes, Orders: e.Orders, Backdate: postgres.NewDemoStore(e.Pool).Backdate}
	acc := demo.HistoryAccounts{Operator: e.Operator(t), Buyer: inst.Buyer, Members: members}

	counts := func() map[string]int {
		t.Helper()
		out := map[string]int{}
		for name, q := range map[string]string{
			"requests":    `SELECT count(*) FROM quote_requests WHERE institution_id = $1`,
			"submitted":   `SELECT count(*) FROM quote_requests WHERE institution_id = $1 AND status = 'submitted'`,
			"quoted":      `SELECT count(*) FROM quote_requests WHERE institution_id = $1 AND status = 'quoted'`,
			"declined":    `SELECT count(*) FROM quote_requests WHERE institution_id = $1 AND status = 'declined'`,
			"accepted":    `SELECT count(*) FROM quote_requests WHERE institution_id = $1 AND status = 'accepted'`,
			"orders":      `SELECT count(*) FROM orders WHERE institution_id = $1 AND payment_terms = 'invoice'`,
			"inspections": `SELECT count(*) FROM inspections i JOIN sub_orders s ON s.id = i.sub_order_id JOIN orders o ON o.id = s.order_id WHERE o.institution_id = $1`,
			"transfers":   `SELECT count(*) FROM invoice_transfers t JOIN orders o ON o.id = t.order_id WHERE o.institution_id = $1`,
			"old orders":  `SELECT count(*) FROM orders WHERE institution_id = $1 AND created_at < now() - interval '90 days'`,
			"months":      `SELECT count(DISTINCT date_trunc('month', i.inspected_on)) FROM inspections i JOIN sub_orders s ON s.id = i.sub_order_id JOIN orders o ON o.id = s.order_id WHERE o.institution_id = $1`,
			"future":      `SELECT count(*) FROM orders WHERE institution_id = $1 AND created_at > now()`,
		} {
			var n int
			if err := e.Pool.QueryRow(ctx, q, inst.ID).Scan(&n); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			out[name] = n
		}
		return out
	}
	if err := h.Seed(ctx, acc); err != nil {
		t.Fatalf("seed: %v", err)
	}
	first := counts()
	want := map[string]int{"requests": 8, "submitted": 1, "quoted": 1, "declined": 1, "accepted": 5, "orders": 5,
		"transfers": 3, "old orders": 2, "future": 0}
	for k, n := range want {
		if first[k] != n {
			t.Errorf("after seeding, %s = %d, want %d (all: %v)", k, first[k], n, first)
		}
	}
	if first["inspections"] < 4 || first["months"] < 3 {
		t.Errorf("after seeding, %d inspections over %d months, want 4+ over 3+", first["inspections"], first["months"])
	}
	if err := h.Seed(ctx, acc); err != nil {
		t.Fatalf("seed again: %v", err)
	}
	if again := counts(); len(again) != len(first) || func() bool {
		for k, n := range first {
			if again[k] != n {
				return true
			}
		}
		return false
	}() {
		t.Errorf("seeding twice changed the counts: %v, then %v", first, again)
	}

	b := e.Shopper()
	b.SignIn(t, inst.Buyer, webtest.Password)
	doc := b.Page(t, "/biz/orders", http.StatusOK)
	list := doc.Find("main").Text()
	for _, st := range []string{"입금 완료", "미입금"} {
		if !strings.Contains(list, st) {
			t.Errorf("/biz/orders lacks %q: %s", st, list)
		}
	}
	// The 우선구매 report of the year counts what was inspected in it.
	var year, inspected int64
	if err := e.Pool.QueryRow(ctx, `SELECT extract(year FROM now() AT TIME ZONE 'Asia/Seoul')::bigint, coalesce(sum(c.amount), 0)::bigint
		FROM payment_claims c JOIN orders o ON o.id = c.order_id
		WHERE o.institution_id = $1 AND extract(year FROM c.claimed_on) = extract(year FROM now() AT TIME ZONE 'Asia/Seoul')`,
		inst.ID).Scan(&year, &inspected); err != nil {
		t.Fatal(err)
	}
	if inspected == 0 {
		t.Fatal("nothing was inspected this year")
	}
	doc = b.Page(t, "/biz/reports", http.StatusOK)
	if main := doc.Find("main").Text(); !strings.Contains(main, kr.Won(inspected)) {
		t.Errorf("/biz/reports (%d) lacks the year's %s: %s", year, kr.Won(inspected), main)
	}
}
