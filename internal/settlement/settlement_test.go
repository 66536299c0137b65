package settlement_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/web/webtest"
)

func TestParseRate(t *testing.T) {
	for _, c := range []struct {
		in   string
		bp   int
		fail bool
	}{
		{"10", 1000, false}, {"12.5", 1250, false}, {"12.34%", 1234, false}, {" 0 ", 0, false}, {"100", 10000, false},
		{".5", 50, false}, {"100.01", 0, true}, {"150", 0, true}, {"-1", 0, true}, {"1.234", 0, true}, {"", 0, true},
		{"abc", 0, true}, {"1e2", 0, true},
	} {
		bp, msg := settlement.ParseRate(c.in)
		if c.fail != (msg != "") || (!c.fail && bp != c.bp) {
			t.Errorf("ParseRate(%q) = %d, %q", c.in, bp, msg)
		}
	}
	if _, msg := settlement.ParseRate("101"); !strings.Contains(msg, "100%를 넘을 수 없습니다") {
		t.Errorf("over 100 %%: %q", msg)
	}
	if got := settlement.Percent(1250); got != "12.5%" {
		t.Errorf("Percent(1250) = %s", got)
	}
}

func TestRefundEntriesAddUpToTheSale(t *testing.T) {
	sale := settlement.SaleEntry(settlement.SaleCandidate{Goods: 33_333, CoopDiscount: 1_001, Shipping: 3_000, RateBP: 1_234})
	var before settlement.Entry
	for _, amount := range []int64{10_000, 7_777, 15_556, 3_000} { // goods three times, then the shipping
		e := settlement.RefundEntry(settlement.RefundCandidate{Amount: amount, Sale: sale, Before: before})
		before.Goods += e.Goods
		before.Shipping += e.Shipping
		before.CoopDiscount += e.CoopDiscount
		before.Commission += e.Commission
	}
	if before.Goods != -sale.Goods || before.Shipping != -sale.Shipping || before.CoopDiscount != -sale.CoopDiscount ||
		before.Commission != -sale.Commission {
		t.Fatalf("refunds %+v do not undo the sale %+v", before, sale)
	}
}

func wantCode(t *testing.T, err error, code string, contains string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("err %v, want %s", err, code)
	}
	msg := ae.Message
	for _, f := range ae.Fields {
		msg += " " + f
	}
	if !strings.Contains(msg, contains) {
		t.Fatalf("message %q, want it to say %q", msg, contains)
	}
}

// TestGeneratedMonth proves every statement figure of a generated month
// against the orders, the money identity, the late refund carried into the
// next period, the status transitions and who sees what.
func TestGeneratedMonth(t *testing.T) {
	e := webtest.NewEnv(t)
	m := e.GenerateSettleMonth(t)
	svc, op := e.Settlement, m.Operator

	from, n, err := svc.Generate(op, m.From.Format("2006-01"))
	if err != nil {
		t.Fatal(err)
	}
	if !from.Equal(m.From) || n != len(m.Enterprises) {
		t.Fatalf("generated %d statements of %s, want %d of %s", n, from, len(m.Enterprises), m.From)
	}
	list, err := svc.Statements(op, settlement.Filter{From: m.From})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]*settlement.Statement{}
	for _, st := range list {
		got[st.EnterpriseID] = st
	}
	var sumPayout, sumComm, sumDisc int64
	for _, ent := range m.Enterprises {
		st := got[ent]
		if st == nil {
			t.Fatalf("no statement for enterprise %d", ent)
		}
		if st.Figures != *m.Want[ent] {
			t.Errorf("enterprise %d:\n got %+v\nwant %+v", ent, st.Figures, *m.Want[ent])
		}
		if st.Status != settlement.Draft || !st.To.Equal(m.To) {
			t.Errorf("statement %d: %s to %s", st.ID, st.Status, st.To)
		}
		// The statement's entries sum to its figures.
		_, entries, err := svc.Statement(op, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f := settlement.Sum(entries); f != st.Figures {
			t.Errorf("statement %d entries sum to %+v, statement says %+v", st.ID, f, st.Figures)
		}
	}
	var all settlement.Figures
	for _, w := range m.Want {
		all.SalesConsumer += w.SalesConsumer
		all.SalesPublic += w.SalesPublic
		all.CoopDiscount += w.CoopDiscount
		all.Refunds += w.Refunds
	}
	if all.SalesConsumer == 0 || all.SalesPublic == 0 || all.CoopDiscount == 0 || all.Refunds == 0 {
		t.Fatalf("the generated month lacks a kind of figure: %+v", all)
	}
	if t.Failed() {
		t.FailNow()
	}

	// Generating again changes nothing.
	if _, _, err := svc.Generate(op, m.From.Format("2006-01")); err != nil {
		t.Fatal(err)
	}
	again, _ := svc.Statements(op, settlement.Filter{From: m.From})
	for _, st := range again {
		if st.Figures != got[st.EnterpriseID].Figures || st.ID != got[st.EnterpriseID].ID {
			t.Errorf("regenerated draft %d changed: %+v", st.ID, st.Figures)
		}
	}

	// Confirm every statement of the month; pay the first.
	for _, ent := range m.Enterprises {
		if err := svc.Confirm(op, got[ent].ID); err != nil {
			t.Fatalf("confirm: %v", err)
		}
	}
	wantCode(t, svc.Confirm(op, got[m.Enterprises[0]].ID), apperr.Conflict, "이미 확정된")
	paidID := got[m.Enterprises[0]].ID
	wantCode(t, svc.MarkPaid(op, paidID, settlement.PayInput{Reference: " "}), apperr.Invalid, "이체 참조번호")
	if err := svc.MarkPaid(op, paidID, settlement.PayInput{Reference: "NH-20261105-0001"}); err != nil {
		t.Fatal(err)
	}
	before, _, _ := svc.Statement(op, paidID)
	wantCode(t, svc.Confirm(op, paidID), apperr.Conflict, "이미 지급 완료된 정산서는 다시 확정할 수 없습니다")
	after, _, _ := svc.Statement(op, paidID)
	if after.Status != settlement.Paid || after.TransferReference != "NH-20261105-0001" || after.Figures != before.Figures ||
		after.BankAccount == "" || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Fatalf("paid statement after a refused confirm: %+v", after)
	}

	// The payout file lists the confirmed, unpaid statements.
	_, rows, err := svc.Payouts(op, m.From.Format("2006-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(m.Enterprises)-1 {
		t.Fatalf("payout rows %d, want %d", len(rows), len(m.Enterprises)-1)
	}
	for _, r := range rows {
		if r.Bank != "농협은행" || r.Account == "" || r.Holder == "" || r.Amount <= 0 {
			t.Errorf("payout row %+v", r)
		}
	}

	// A refund after the month closed: the confirmed statement stays as it
	// was; the next period's draft carries it.
	late := m.LateRefund(t, e)
	if _, _, err := svc.Generate(op, m.From.Format("2006-01")); err != nil {
		t.Fatal(err)
	}
	closed, _ := svc.Statements(op, settlement.Filter{From: m.From})
	for _, st := range closed {
		if st.Figures != *m.Want[st.EnterpriseID] || st.Status == settlement.Draft {
			t.Errorf("closed statement %d rewritten: %s %+v", st.ID, st.Status, st.Figures)
		}
	}
	today := coop.DateOf(e.Settlement.Today())
	next, _ := settlement.Month(today)
	if _, _, err := svc.Generate(op, next.Format("2006-01")); err != nil {
		t.Fatal(err)
	}
	drafts, _ := svc.Statements(op, settlement.Filter{From: next})
	if len(drafts) != 1 || drafts[0].Refunds != late || drafts[0].Sales() != 0 || drafts[0].Payout >= 0 {
		t.Fatalf("next period's drafts %+v, want one carrying the late refund of %d", drafts, late)
	}
	wantCode(t, svc.Confirm(op, drafts[0].ID), apperr.Conflict, "기간")

	// Σ payouts + Σ commission − Σ co-op discount = money received − refunds.
	for _, st := range append(closed, drafts...) {
		sumPayout += st.Payout
		sumComm += st.Commission
		sumDisc += st.CoopDiscount
	}
	if sumPayout+sumComm-sumDisc != m.Received-m.Refunded {
		t.Fatalf("payouts %d + commission %d − co-op discounts %d = %d, want received %d − refunded %d = %d",
			sumPayout, sumComm, sumDisc, sumPayout+sumComm-sumDisc, m.Received, m.Refunded, m.Received-m.Refunded)
	}

	// An enterprise sees its own statements and no other's.
	a, b := m.Enterprises[0], m.Enterprises[1]
	own, err := svc.Statements(webtest.StaffOf(a), settlement.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(own) != 1 || own[0].EnterpriseID != a {
		t.Fatalf("enterprise %d sees %+v", a, own)
	}
	if _, _, err := svc.Statement(webtest.StaffOf(a), got[b].ID); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("another's statement: %v", err)
	}
	wantCode(t, svc.Confirm(webtest.StaffOf(a), got[b].ID), apperr.NotFound, "")
	if _, _, err := svc.Generate(webtest.StaffOf(a), ""); err == nil {
		t.Fatal("an enterprise generated statements")
	}
}

func TestRatesRefused(t *testing.T) {
	e := webtest.NewEnv(t)
	op := e.Actor(t, e.Operator(t))
	ent := e.Enterprises(t, 1)[0]
	count := func() int {
		var n int
		if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM commission_rates`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := e.Settlement.AddRate(op, settlement.RateInput{EnterpriseID: ent, Channel: "consumer", Rate: "7", From: "2026-01-01", Until: "2026-06-30"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in       settlement.RateInput
		code     string
		contains string
	}{
		{settlement.RateInput{EnterpriseID: ent, Channel: "consumer", Rate: "9", From: "2026-06-30"}, apperr.Conflict, "겹치는"},
		{settlement.RateInput{EnterpriseID: ent, Channel: "consumer", Rate: "9", From: "2025-01-01", Until: "2026-01-01"}, apperr.Conflict, "겹치는"},
		{settlement.RateInput{EnterpriseID: ent, Channel: "consumer", Rate: "100.5", From: "2027-01-01"}, apperr.Invalid, "100%를 넘을 수 없습니다"},
		{settlement.RateInput{EnterpriseID: ent, Channel: "consumer", Rate: "5", From: "2027-02-01", Until: "2027-01-01"}, apperr.Invalid, "시작일보다 앞섭니다"},
		{settlement.RateInput{EnterpriseID: ent, Channel: "mall", Rate: "5", From: "2027-02-01"}, apperr.Invalid, "채널"},
	} {
		_, err := e.Settlement.AddRate(op, c.in)
		wantCode(t, err, c.code, c.contains)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d rates after refused ones, want 1", n)
	}
	// The other channel's period is its own.
	if _, err := e.Settlement.AddRate(op, settlement.RateInput{EnterpriseID: ent, Channel: "public", Rate: "2.5", From: "2026-03-01"}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.Settlement.SaveSettings(op, settlement.SettingsInput{Basis: "inspected", Consumer: "101", Public: "5"}), apperr.Invalid, "100%")
	st, _ := e.Settlement.Settings(op)
	if st.ConsumerBP != 1000 || st.PublicBP != 500 || st.Basis != settlement.BasisInspected {
		t.Fatalf("settings after a refused save: %+v", st)
	}
	if _, err := e.Settlement.AddRate(webtest.StaffOf(ent), settlement.RateInput{EnterpriseID: ent, Channel: "consumer", Rate: "1", From: "2030-01-01"}); err == nil {
		t.Fatal("an enterprise set its own rate")
	}
}
