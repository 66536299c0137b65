package admin_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestSettingsPage: the operator changes the co-op's settings; a wrong form
// comes back with its values and the messages (422), nothing saved; a good
// one is saved and audited.
func TestSettingsPage(t *testing.T) {
	c := newConsole(t)
	doc := c.op.Page(t, "/admin/settings", 200)
	checkAccessible(t, "/admin/settings", doc)
	if v := doc.Find("#inspection_days").AttrOr("value", ""); v != "14" {
		t.Errorf("inspection days %q, want the default 14", v)
	}
	bad := url.Values{"name": {"두레 사회적협동조합"}, "representative": {"김두레"}, "business_number": {"123-45-67890"},
		"bank_account": {"301-0123-4567-81"}, "inspection_days": {"0"}, "claim_working_days": {"5"},
		"report_basis": {"inspected"}, "direct_contract_limit": {"50,000,000"}}
	_, doc = submit(t, c.op, "/admin/settings", "/admin/settings", bad, 422)
	if v := doc.Find("#name").AttrOr("value", ""); v != "두레 사회적협동조합" {
		t.Errorf("name not kept: %q", v)
	}
	for _, id := range []string{"business_number", "bank_name", "bank_holder", "inspection_days"} {
		if doc.Find("#"+id+"-error").Length() != 1 {
			t.Errorf("no message for %s", id)
		}
	}
	if c.count(t, `SELECT count(*) FROM coop_settings WHERE name <> ''`) != 0 {
		t.Fatal("a refused form was saved")
	}
	good := url.Values{"name": {"두레 사회적협동조합"}, "representative": {"김두레"}, "business_number": {"120-81-47521"},
		"mail_order_number": {"2026-대구중구-0123"}, "address": {"대구광역시 중구 동덕로 115"}, "phone": {"053-123-4567"},
		"email": {"hello@dure.coop"}, "hosting_provider": {"두레 클라우드"}, "intermediary": {"1"}, "bank_name": {"농협은행"}, "bank_account": {"301-0123-4567-81"}, "bank_holder": {"두레사회적협동조합"},
		"inspection_days": {"10"}, "claim_working_days": {"5"}, "report_basis": {"delivered"}, "direct_contract_limit": {"20,000,000"}}
	loc, _ := submit(t, c.op, "/admin/settings", "/admin/settings", good, 303)
	if !strings.HasPrefix(loc, "/admin/settings?done=settings_saved") {
		t.Errorf("redirect %q", loc)
	}
	st, err := c.e.Coop.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.BusinessNumber != "1208147521" || st.InspectionDays != 10 || st.DirectContractLimit != 20_000_000 ||
		st.ReportBasis != "delivered" || st.HostingProvider != "두레 클라우드" || !st.Intermediary || st.BankLabel() != "농협은행 301-0123-4567-81 (예금주 두레사회적협동조합)" {
		t.Errorf("saved %+v", st)
	}
	if c.count(t, `SELECT count(*) FROM audit_log WHERE action = 'coop.settings.update' AND actor_role = 'operator'`) != 1 {
		t.Error("the change is not audited")
	}
}

// TestLegalPage: the operator publishes a new version of a document; an
// empty or unchanged body comes back with its message (422), nothing
// published; the new version is audited and the old one kept.
func TestLegalPage(t *testing.T) {
	c := newConsole(t)
	doc := c.op.Page(t, "/admin/legal", 200)
	checkAccessible(t, "/admin/legal", doc)
	for _, kind := range []string{"terms", "privacy", "order_privacy"} {
		if !strings.Contains(doc.Find("#body-"+kind).Text(), "") || doc.Find(`form[action="/admin/legal/`+kind+`"]`).Length() != 1 {
			t.Errorf("no form for %s", kind)
		}
	}
	current := doc.Find("#body-terms").Text()
	if !strings.Contains(current, "청약철회") || !strings.Contains(doc.Find("#doc-terms-h").Parent().Text(), "제1판") {
		t.Errorf("terms panel: %q", doc.Find("#doc-terms-h").Parent().Text())
	}
	for _, body := range []string{"  ", current} {
		_, d := submit(t, c.op, "/admin/legal", "/admin/legal/terms", url.Values{"body": {body}}, 422)
		if d.Find("#body-terms-error").Length() != 1 {
			t.Errorf("body %q: no message beside the field", body)
		}
	}
	submit(t, c.op, "/admin/legal", "/admin/legal/nonsense", url.Values{"body": {"x"}}, 404)
	if c.count(t, `SELECT count(*) FROM legal_documents WHERE kind = 'terms'`) != 1 {
		t.Fatal("a refused body was published")
	}
	loc, _ := submit(t, c.op, "/admin/legal", "/admin/legal/terms", url.Values{"body": {current + "\n\n부칙: 이 약관은 2027년 1월 1일부터 시행합니다."}}, 303)
	if !strings.HasPrefix(loc, "/admin/legal?done=document_published") {
		t.Errorf("redirect %q", loc)
	}
	if c.count(t, `SELECT count(*) FROM legal_documents WHERE kind = 'terms' AND version = 2 AND body LIKE '%부칙%'`) != 1 ||
		c.count(t, `SELECT count(*) FROM legal_documents WHERE kind = 'terms' AND version = 1`) != 1 {
		t.Error("version 2 not published beside version 1")
	}
	if c.count(t, `SELECT count(*) FROM audit_log WHERE action = 'coop.document.publish' AND actor_role = 'operator' AND entity_id = 'terms:2'`) != 1 {
		t.Error("publishing is not audited")
	}
}

// TestHolidaysPage: the seeded calendar, adding (a day twice: 409, form
// kept) and removing a holiday, audited.
func TestHolidaysPage(t *testing.T) {
	c := newConsole(t)
	doc := c.op.Page(t, "/admin/holidays?year=2026", 200)
	checkAccessible(t, "/admin/holidays", doc)
	body := text(doc.Find("table"))
	for _, want := range []string{"2026.09.25 (금) 추석", "2026.10.05 (월) 대체공휴일(개천절)", "2026.03.02 (월) 대체공휴일(삼일절)"} {
		if !strings.Contains(body, want) {
			t.Errorf("2026 calendar lacks %q", want)
		}
	}
	if strings.Contains(text(c.op.Page(t, "/admin/holidays?year=2027", 200).Find("table")), "2027.02.09 (화) 대체공휴일(설날)") == false {
		t.Error("2027 lacks the 설날 substitute holiday")
	}
	loc, _ := submit(t, c.op, "/admin/holidays", "/admin/holidays", url.Values{"day": {"2026-05-01"}, "name": {"근로자의 날"}}, 303)
	if loc != "/admin/holidays?done=holiday_added&year=2026" && !strings.Contains(loc, "holiday_added") {
		t.Errorf("redirect %q", loc)
	}
	_, doc = submit(t, c.op, "/admin/holidays", "/admin/holidays", url.Values{"day": {"2026-05-01"}, "name": {"두 번"}}, 409)
	if doc.Find("#day-error").Length() != 1 || doc.Find("#name").AttrOr("value", "") != "두 번" {
		t.Error("a second 2026-05-01 is not refused beside the field with the form kept")
	}
	_, doc = submit(t, c.op, "/admin/holidays", "/admin/holidays", url.Values{"day": {"2026-13-01"}, "name": {""}}, 422)
	if doc.Find("#day-error").Length() != 1 || doc.Find("#name-error").Length() != 1 {
		t.Error("a wrong day and an empty name are not both named")
	}
	submit(t, c.op, "/admin/holidays?year=2026", "/admin/holidays/2026-05-01/delete", nil, 303)
	if c.count(t, `SELECT count(*) FROM holidays WHERE day = '2026-05-01'`) != 0 {
		t.Error("holiday not removed")
	}
	if c.count(t, `SELECT count(*) FROM audit_log WHERE action IN ('coop.holiday.add', 'coop.holiday.delete')`) != 2 {
		t.Error("holiday changes are not audited")
	}
}

// TestInvoicePages: the list filters by status; the detail records a
// transfer, refuses an over-payment with the form kept (422).
func TestInvoicePages(t *testing.T) {
	c := newConsole(t)
	ctx := context.Background()
	p, _ := c.e.Goods(t)
	o, buyer := c.e.InvoiceOrder(t, p, 2, 10_000)
	so := o.SubOrders[0]
	if _, err := c.e.Pool.Exec(ctx, `UPDATE sub_orders SET status = 'shipped', courier = 'cj', tracking_number = '123456789012',
			shipped_at = '2026-09-21 01:00Z' WHERE id = $1`, so.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.e.Orders.Inspect(buyer, so.ID, order.InspectionInput{Date: "2026-09-23", Inspector: "김검수",
		Result: order.InspectPass}); err != nil {
		t.Fatal(err)
	}
	url1 := "/admin/invoices/" + strconv.FormatInt(o.ID, 10)
	doc := c.op.Page(t, "/admin/invoices?status=overdue", 200)
	checkAccessible(t, "/admin/invoices", doc)
	if doc.Find(`a[href="`+url1+`"]`).Length() != 1 {
		t.Error("the overdue invoice is not listed under 연체")
	}
	if c.op.Page(t, "/admin/invoices?status=paid", 200).Find(`a[href="`+url1+`"]`).Length() != 0 {
		t.Error("the overdue invoice is listed as paid")
	}
	doc = c.op.Page(t, url1, 200)
	checkAccessible(t, url1, doc)
	if s := text(doc.Find("main")); !strings.Contains(s, "연체") || !strings.Contains(s, "2026.10.02") || !strings.Contains(s, "INV-"+o.Number) {
		t.Errorf("detail lacks the status, due date or reference: %s", s)
	}
	_, doc = submit(t, c.op, url1, url1+"/transfers", url.Values{"date": {"2026-10-01"}, "amount": {"30,000"}, "payer": {"대구광역시청"}}, 422)
	if doc.Find("#amount-error").Length() != 1 || doc.Find("#payer").AttrOr("value", "") != "대구광역시청" {
		t.Error("over-payment not refused beside the amount with the form kept")
	}
	submit(t, c.op, url1, url1+"/transfers", url.Values{"date": {"2026-10-01"}, "amount": {"5,000"}, "payer": {"대구광역시청"}, "reference": {"1차"}}, 303)
	if s := text(c.op.Page(t, url1, 200).Find("main")); !strings.Contains(s, "5,000원") || !strings.Contains(s, "1차") {
		t.Errorf("the transfer is not shown: %s", s)
	}
	if c.count(t, `SELECT count(*) FROM audit_log WHERE action = 'invoice.transfer'`) != 1 {
		t.Error("the transfer is not audited")
	}
	// The enterprise sees its part's 검수 and claim in the portal.
	m := c.e.Shopper()
	m.SignIn(t, c.e.Member(t, so.EnterpriseID, account.Owner), webtest.Password)
	page := m.Page(t, "/portal/orders/"+strconv.FormatInt(so.ID, 10), 200)
	if s := text(page.Find("#inspection")); !strings.Contains(s, "합격") || !strings.Contains(s, "20,000원") || !strings.Contains(s, "2026.10.02") {
		t.Errorf("portal's 검수 panel: %s", s)
	}
}
