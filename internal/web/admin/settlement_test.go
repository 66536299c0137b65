package admin_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestSettlementPages: the operator builds a generated month's statements
// at /admin/settlements, downloads one as CSV, XLSX and PDF, confirms and
// pays it, and is refused (409, Korean, nothing changed) confirming it
// again; overlapping rates and rates above 100 % come back with the form
// (nothing written); the payout file names the confirmed statements'
// accounts. In the portal an owner sees the enterprise's own statement,
// not another's (404), and edits the settlement account.
func TestSettlementPages(t *testing.T) {
	c := newConsole(t)
	e := c.e
	m := e.GenerateSettleMonth(t)
	month := m.From.Format("2006-01")
	loc, _ := submit(t, c.op, "/admin/settlements?month="+month, "/admin/settlements/generate", url.Values{"month": {month}}, 303)
	if !strings.Contains(loc, "statements_generated") {
		t.Fatalf("redirect %q", loc)
	}
	doc := c.op.Page(t, "/admin/settlements?month="+month, 200)
	checkAccessible(t, "/admin/settlements", doc)
	a := m.Enterprises[0]
	list, err := e.Settlement.Statements(m.Operator, settlement.Filter{From: m.From, EnterpriseID: a})
	if err != nil || len(list) != 1 {
		t.Fatalf("statement of A: %v %v", list, err)
	}
	st := list[0]
	if body := text(doc.Find("table")); !strings.Contains(body, st.EnterpriseName) || !strings.Contains(body, kr.Won(st.Payout)) {
		t.Errorf("the list lacks A's payout %s", kr.Won(st.Payout))
	}
	page := "/admin/settlements/" + strconv.FormatInt(st.ID, 10)
	doc = c.op.Page(t, page, 200)
	checkAccessible(t, page, doc)
	if !strings.Contains(text(doc.Find("dl")), kr.Won(m.Want[a].Commission)) {
		t.Errorf("the statement page lacks the commission %s", kr.Won(m.Want[a].Commission))
	}

	// The files.
	resp, body := c.op.Do(t, http.MethodGet, page+"/statement.csv", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, strconv.FormatInt(st.Payout, 10)) || !strings.Contains(body, "지급액") {
		t.Errorf("CSV %d:\n%s", resp.StatusCode, webtest.Truncate(body, 500))
	}
	resp, body = c.op.Do(t, http.MethodGet, page+"/statement.xlsx", "", nil)
	x, err := excelize.OpenReader(strings.NewReader(body))
	if resp.StatusCode != 200 || err != nil {
		t.Fatalf("XLSX %d: %v", resp.StatusCode, err)
	}
	rows, _ := x.GetRows(x.GetSheetList()[0])
	if found := strings.Contains(strings.Join(flatten(rows), "|"), kr.Comma(m.Want[a].Payout)); !found {
		t.Errorf("XLSX lacks the payout: %v", rows)
	}
	resp, body = c.op.Do(t, http.MethodGet, page+"/statement.pdf", "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Errorf("PDF %d", resp.StatusCode)
	}

	// Confirm, pay, then confirming again is refused.
	submit(t, c.op, page, page+"/confirm", nil, 303)
	_, doc = submit(t, c.op, page, page+"/pay", url.Values{"reference": {""}}, 422)
	if doc.Find("#reference-error").Length() != 1 {
		t.Error("no message beside the missing reference")
	}
	submit(t, c.op, page, page+"/pay", url.Values{"reference": {"NH-0001"}, "paid_on": {e.Settlement.Today().Format("2006-01-02")}}, 303)
	_, doc = submit(t, c.op, page, page+"/confirm", nil, 409)
	if msg := doc.Find(`[role="alert"]`).Text(); !strings.Contains(msg, "이미 지급 완료된 정산서는 다시 확정할 수 없습니다") {
		t.Errorf("refusal %q", msg)
	}
	if n := c.count(t, `SELECT count(*) FROM settlement_statements WHERE id = $1 AND status = 'paid' AND transfer_reference = 'NH-0001'`, st.ID); n != 1 {
		t.Fatal("the paid statement changed")
	}
	if n := c.count(t, `SELECT count(*) FROM audit_log WHERE action IN ('settlement.confirm', 'settlement.pay') AND entity_id = $1`, strconv.FormatInt(st.ID, 10)); n != 2 {
		t.Errorf("%d audit records of confirm and pay, want 2", n)
	}

	// The payout file: B's statement confirmed, A's paid (not in it).
	b := m.Enterprises[1]
	listB, _ := e.Settlement.Statements(m.Operator, settlement.Filter{From: m.From, EnterpriseID: b})
	pageB := "/admin/settlements/" + strconv.FormatInt(listB[0].ID, 10)
	submit(t, c.op, pageB, pageB+"/confirm", nil, 303)
	resp, body = c.op.Do(t, http.MethodGet, "/admin/settlements/payouts.csv?month="+month, "", nil)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if resp.StatusCode != 200 || err != nil || len(recs) != 2 || recs[0][0] != "은행" ||
		recs[1][3] != strconv.FormatInt(listB[0].Payout, 10) || recs[1][1] == "" || recs[1][2] == "" {
		t.Fatalf("payout file %d %v: %v", resp.StatusCode, err, recs)
	}

	// Rates: overlapping and above 100 % refused, the form kept.
	rates := "/admin/settlements/rates"
	checkAccessible(t, rates, c.op.Page(t, rates, 200))
	before := c.count(t, `SELECT count(*) FROM commission_rates`)
	ent := strconv.FormatInt(a, 10)
	_, doc = submit(t, c.op, rates, rates, url.Values{"enterprise": {ent}, "channel": {"consumer"}, "rate": {"9"},
		"from": {m.From.AddDate(0, 0, 20).Format("2006-01-02")}}, 409)
	if !strings.Contains(doc.Find(`[role="alert"]`).Text(), "겹치는") || doc.Find("#rate").AttrOr("value", "") != "9" {
		t.Error("the overlap's refusal does not say so or lost the form")
	}
	_, doc = submit(t, c.op, rates, rates, url.Values{"enterprise": {ent}, "channel": {"public"}, "rate": {"120"},
		"from": {"2030-01-01"}}, 422)
	if !strings.Contains(doc.Find("#rate-error").Text(), "100%를 넘을 수 없습니다") {
		t.Errorf("rate error %q", doc.Find("#rate-error").Text())
	}
	if n := c.count(t, `SELECT count(*) FROM commission_rates`); n != before {
		t.Fatalf("%d rates after refusals, want %d", n, before)
	}
	submit(t, c.op, rates, rates, url.Values{"enterprise": {ent}, "channel": {"public"}, "rate": {"4.5"}, "from": {"2030-01-01"}}, 303)
	_, doc = submit(t, c.op, "/admin/settlements", "/admin/settlements/settings", url.Values{"basis": {"inspected"}, "consumer": {"101"}, "public": {"5"}}, 422)
	if doc.Find("#consumer-error").Length() != 1 || doc.Find("#consumer").AttrOr("value", "") != "101" {
		t.Error("the settings' refusal lost the form or the message")
	}

	// Open fees: A's product page splits the price at A's rate today (8 %).
	var pid, price int64
	if err := e.Pool.QueryRow(context.Background(), `SELECT id, consumer_price FROM products WHERE enterprise_id = $1 AND status = 'active'
		ORDER BY id LIMIT 1`, a).Scan(&pid, &price); err != nil {
		t.Fatal(err)
	}
	fee := strings.Join(strings.Fields(c.op.Page(t, "/p/"+strconv.FormatInt(pid, 10), 200).Find(".open-fees").Text()), " ")
	if want := "판매 기업 " + kr.Won(price-price*800/10000) + " · 협동조합 수수료 " + kr.Won(price*800/10000) + " (8%)"; !strings.Contains(fee, want) {
		t.Errorf("open fees %q, want %q", fee, want)
	}

	// The portal: the owner of A sees A's statement, not B's.
	owner := e.Shopper()
	owner.SignIn(t, e.Member(t, a, account.Owner), webtest.Password)
	doc = owner.Page(t, "/portal/settlements", 200)
	if n := doc.Find("tbody tr").Length(); n != 1 {
		t.Errorf("the portal lists %d statements, want A's one", n)
	}
	owner.Page(t, "/portal/settlements/"+strconv.FormatInt(st.ID, 10), 200)
	owner.Page(t, "/portal/settlements/"+strconv.FormatInt(listB[0].ID, 10), 404)
	if resp, _ := owner.Do(t, http.MethodGet, "/portal/settlements/"+strconv.FormatInt(listB[0].ID, 10)+"/statement.csv", "", nil); resp.StatusCode != 404 {
		t.Errorf("B's CSV for A: %d", resp.StatusCode)
	}
	_, doc = submit(t, owner, "/portal/settlements/bank", "/portal/settlements/bank", url.Values{"bank_name": {"신협"}, "bank_account": {"12ab"}, "bank_holder": {"두레"}}, 422)
	if doc.Find("#bank_account-error").Length() != 1 || doc.Find("#bank_name").AttrOr("value", "") != "신협" {
		t.Error("the account's refusal lost the form or the message")
	}
	submit(t, owner, "/portal/settlements/bank", "/portal/settlements/bank", url.Values{"bank_name": {"신협"}, "bank_account": {"131-012-345678"}, "bank_holder": {"두레"}}, 303)
	bank, _ := e.Settlement.EnterpriseBank(m.Operator, a)
	if bank.Label() != "신협 131-012-345678 (예금주 두레)" {
		t.Errorf("saved account %q", bank.Label())
	}
	var paidBank string
	_ = e.Pool.QueryRow(context.Background(), `SELECT bank_name FROM settlement_statements WHERE id = $1`, st.ID).Scan(&paidBank)
	if paidBank != "농협은행" {
		t.Errorf("the paid statement's account changed to %q", paidBank)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// TestBrowserSettlementAccessible runs axe-core over the console's and the
// portal's settlement pages, also shown again with errors.
func TestBrowserSettlementAccessible(t *testing.T) {
	e := webtest.NewEnv(t)
	m := e.GenerateSettleMonth(t)
	if _, _, err := e.Settlement.Generate(m.Operator, m.From.Format("2006-01")); err != nil {
		t.Fatal(err)
	}
	list, _ := e.Settlement.Statements(m.Operator, settlement.Filter{From: m.From, EnterpriseID: m.Enterprises[0]})
	page := "/admin/settlements/" + strconv.FormatInt(list[0].ID, 10)
	b := browser.New(t, e)
	b.SignIn(e.Operator(t), webtest.Password)
	for _, p := range []string{"/admin/settlements?month=" + m.From.Format("2006-01"), page, "/admin/settlements/rates"} {
		b.CheckAxe(t, p)
	}
	b.Open("/admin/settlements/rates")
	b.Fill(map[string]string{"#rate": "150", "#from": "2030-01-01"})
	b.Submit("a rate above 100 %", `form[action="/admin/settlements/rates"] button[type="submit"]`)
	b.CheckAxeCurrent(t, "the rates with the rate's error")
	b.SignOut()
	b.SignIn(e.Member(t, m.Enterprises[0], account.Owner), webtest.Password)
	portal := "/portal/settlements/" + strconv.FormatInt(list[0].ID, 10)
	for _, p := range []string{"/portal/settlements", portal, "/portal/settlements/bank"} {
		b.CheckAxe(t, p)
	}
	b.Open("/portal/settlements/bank")
	b.Fill(map[string]string{"#bank_account": "x"})
	b.Submit("a wrong account", `form[action="/portal/settlements/bank"] button[type="submit"]`)
	b.CheckAxeCurrent(t, "the account with its error")
}
