package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

func impactForm(year string) url.Values {
	return url.Values{
		"vulnerable_share_value": {"37.5"}, "vulnerable_share_year": {year}, "vulnerable_share_basis": {"고용보험 가입자 명부"},
		"local_sourcing_value": {"60"}, "local_sourcing_year": {year}, "local_sourcing_basis": {"매입 장부"},
		"work_minutes_value": {"18"}, "work_minutes_year": {year}, "work_minutes_basis": {"연 노동시간 ÷ 연 매출(만 원)"},
	}
}

// TestImpactDeclaredAndShown: an enterprise declares its figures (a wrong
// form comes back, 422, nothing saved); the product page and the order
// confirmation show the estimate with its basis, and the buyer's yearly
// statement sums the year (page and PDF).
func TestImpactDeclaredAndShown(t *testing.T) {
	w := newWorld(t)
	b := w.e.Shopper()
	b.SignIn(t, w.e.Member(t, w.a, account.Owner), webtest.Password)
	doc := b.Page(t, "/portal/impact", 200)
	if doc.Find("#jobs_value").Length() != 1 {
		t.Fatal("no form")
	}
	year := strconv.Itoa(time.Now().In(kr.Seoul()).Year())
	bad := impactForm(year)
	bad.Set("vulnerable_share_value", "137")
	bad.Set("local_sourcing_basis", "")
	bad.Set("_csrf", b.CSRF(t, "/portal/impact"))
	_, doc, _ = b.Post(t, "/portal/impact", bad, 422)
	if msg := fieldError(t, doc, "vulnerable_share_value"); !strings.Contains(msg, "100%") {
		t.Errorf("share error %q", msg)
	}
	if msg := fieldError(t, doc, "local_sourcing_basis"); msg == "" {
		t.Error("no message for the missing basis")
	}
	if doc.Find("#work_minutes_basis").AttrOr("value", "") != "연 노동시간 ÷ 연 매출(만 원)" {
		t.Error("form not kept")
	}
	if w.count(t, `SELECT count(*) FROM enterprise_impacts`) != 0 {
		t.Fatal("a refused form was saved")
	}
	good := impactForm(year)
	good.Set("_csrf", b.CSRF(t, "/portal/impact"))
	if loc, _, _ := b.Post(t, "/portal/impact", good, 303); loc != "/portal/impact?done=saved" {
		t.Errorf("redirect %q", loc)
	}
	if n := w.count(t, `SELECT count(*) FROM enterprise_impacts WHERE enterprise_id = $1`, w.a); n != 3 {
		t.Fatalf("%d figures saved, want 3 (jobs left blank)", n)
	}
	if n := w.count(t, `SELECT value FROM enterprise_impacts WHERE enterprise_id = $1 AND kind = 'vulnerable_share'`, w.a); n != 3750 {
		t.Errorf("37.5%% stored as %d basis points, want 3750", n)
	}
	if w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'impact.declare'`) != 1 {
		t.Error("the declaration is not audited")
	}
	if v := b.Page(t, "/portal/impact", 200).Find("#vulnerable_share_value").AttrOr("value", ""); v != "37.5" {
		t.Errorf("the form shows %q, want 37.5", v)
	}

	// A product of A at 10,000원 or more: the estimate with its basis.
	var pid int64
	var price int64
	if err := w.e.Pool.QueryRow(context.Background(), `UPDATE products SET stock = 50 WHERE id = (SELECT id FROM products
		WHERE enterprise_id = $1 AND status = 'active' AND kind = 'goods'
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = products.id) ORDER BY id LIMIT 1)
		RETURNING id, consumer_price`, w.a).Scan(&pid, &price); err != nil {
		t.Fatal(err)
	}
	page := w.e.Page(t, "/p/"+strconv.FormatInt(pid, 10), 200)
	imp := text(page.Find(".impact"))
	for _, want := range []string{"이 기업 직원의 약 38%가 취약계층입니다.", "지역 원재료·서비스 구매로 이어집니다", year + "년 기준 · 근거: 매입 장부"} {
		if !strings.Contains(imp, want) {
			t.Errorf("product page impact lacks %q: %s", want, imp)
		}
	}

	// The buyer's order and yearly statement.
	email := w.e.Consumer(t)
	buyer := w.e.Shopper()
	buyer.SignIn(t, email, webtest.Password)
	o := w.e.PaidOrder(t, pid, 3)
	if _, err := w.e.Pool.Exec(context.Background(), `UPDATE orders SET user_id = (SELECT id FROM users WHERE email = $1) WHERE id = $2`, email, o.ID); err != nil {
		t.Fatal(err)
	}
	if s := text(buyer.Page(t, "/orders/"+o.Number, 200).Find(".impact")); !strings.Contains(s, "취약계층") {
		t.Errorf("order page impact: %q", s)
	}
	st := buyer.Page(t, "/account/impact?year="+year, 200)
	body := text(st.Find("main"))
	if !strings.Contains(body, kr.Won(price*3)) || !strings.Contains(body, w.aName) || !strings.Contains(body, "지역 원재료·서비스 구매로 이어진 금액") {
		t.Errorf("statement: %s", body)
	}
	resp, raw := buyer.Do(t, http.MethodGet, "/account/impact.pdf?year="+year, "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(raw, "%PDF") || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("PDF: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), raw[:min(len(raw), 8)])
	}
	buyer.Page(t, "/account/impact?year=1999", 400)
	// Someone else's statement is their own: empty.
	other := w.e.Shopper()
	other.SignIn(t, w.e.Consumer(t), webtest.Password)
	if s := text(other.Page(t, "/account/impact?year="+year, 200).Find("main")); strings.Contains(s, w.aName) {
		t.Error("another member's statement shows this buyer's purchases")
	}
}

// TestBrowserImpactAccessible: axe-core over the portal's impact page (also
// with errors) and a buyer's statement.
func TestBrowserImpactAccessible(t *testing.T) {
	w := newWorld(t)
	br := browser.New(t, w.e)
	br.SignIn(w.e.Member(t, w.a, account.Owner), webtest.Password)
	br.CheckAxe(t, "/portal/impact")
	br.Open("/portal/impact")
	br.Fill(map[string]string{"#jobs_value": "열두 명", "#jobs_year": "1999"})
	if st := br.Submit("declare wrong figures", `form[action="/portal/impact"] button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422", st)
	}
	br.CheckAxeCurrent(t, "the impact form with its errors")
	br.SignOut()
	br.SignIn(w.e.Consumer(t), webtest.Password)
	br.CheckAxe(t, "/account/impact")
}
