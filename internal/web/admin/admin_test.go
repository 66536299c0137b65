package admin_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// console is one test's app on the real services with an operator signed
// in (op).
type console struct {
	e       *webtest.Env
	op      *webtest.Shopper
	opEmail string
}

func newConsole(t *testing.T) *console {
	t.Helper()
	e := webtest.NewEnv(t)
	c := &console{e: e, op: e.Shopper(), opEmail: e.Operator(t)}
	c.op.SignIn(t, c.opEmail, webtest.Password)
	return c
}

// as returns a context with an operator actor, for checking through the
// services what the console did.
func operatorCtx() context.Context {
	return account.NewContext(context.Background(), &account.Actor{UserID: 1, Role: account.Operator})
}

// submit posts the form fields to action with the CSRF token of page (as a
// browser that has page open would) and checks the status; it returns the
// redirect's Location and the parsed answer.
func submit(t *testing.T, b *webtest.Shopper, page, action string, fields url.Values, status int) (string, *goquery.Document) {
	t.Helper()
	f := url.Values{"_csrf": {b.CSRF(t, page)}}
	for k, v := range fields {
		f[k] = v
	}
	loc, doc, _ := b.Post(t, action, f, status)
	return loc, doc
}

var brnSeq atomic.Int64

// brn returns a fresh 사업자등록번호 with a correct check digit.
func brn() string {
	d9 := fmt.Sprintf("3%08d", brnSeq.Add(1)+time.Now().UnixNano()%1000000*100)
	return d9 + strconv.Itoa(kr.BusinessNumberCheckDigit(d9))
}

// apply files an application for enterprise name and returns its id and
// 사업자등록번호.
func apply(t *testing.T, e *webtest.Env, name string) (int64, string) {
	t.Helper()
	bn := brn()
	a, err := e.Onboarding.Apply(context.Background(), onboarding.ApplicationInput{
		Name: name, BusinessNumber: bn, Type: catalog.SelfSufficiency, CertNumber: "2024-자활-0456",
		CertValidUntil: time.Now().AddDate(2, 0, 0).Format("2006-01-02"), Region: "daegu", Representative: "이수진",
		Phone: "053-123-4567", Email: "hello@" + bn + ".kr", Address: "대구광역시 중구 동덕로 115",
		Mission: "지역 어르신의 일자리를 만듭니다.", BankName: "대구은행", BankAccount: "508-10-123456-7", BankHolder: name,
		OwnerName: "이수진", OwnerEmail: webtest.Email("owner"), OwnerPassword: webtest.Password, OwnerPasswordConfirm: webtest.Password,
	})
	if err != nil {
		t.Fatalf("apply %s: %v", name, err)
	}
	return a.Enterprise.ID, bn
}

func (c *console) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := c.e.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func (c *console) status(t *testing.T, table string, id int64) string {
	t.Helper()
	var s string
	if err := c.e.Pool.QueryRow(context.Background(), `SELECT status FROM `+table+` WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatalf("status of %s %d: %v", table, id, err)
	}
	return s
}

func entURL(id int64) string { return "/admin/enterprises/" + strconv.FormatInt(id, 10) }

var tag = regexp.MustCompile(`<[^>]*>`)

// text is the text of the selection, its elements' texts apart and spaces
// squeezed ("<dt>상태</dt><dd>입점</dd>" reads "상태 입점").
func text(s *goquery.Selection) string {
	var parts []string
	s.Each(func(_ int, s *goquery.Selection) {
		h, _ := goquery.OuterHtml(s)
		parts = append(parts, html.UnescapeString(tag.ReplaceAllString(h, " ")))
	})
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// checkAccessible checks what a page of the console owes a keyboard and
// screen-reader user: one h1, a labelled field for every input, select and
// textarea, aria-describedby pointing at elements that exist, named buttons
// and links, and the skip link to main.
func checkAccessible(t *testing.T, page string, doc *goquery.Document) {
	t.Helper()
	if n := doc.Find("h1").Length(); n != 1 {
		t.Errorf("%s: %d h1, want 1", page, n)
	}
	if doc.Find(`a.skip-link[href="#main"]`).Length() != 1 || doc.Find("main#main").Length() != 1 {
		t.Errorf("%s: no skip link to main", page)
	}
	doc.Find("input, select, textarea").Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("type", "") == "hidden" {
			return
		}
		id := s.AttrOr("id", "")
		if _, ok := s.Attr("aria-label"); !ok && (id == "" || doc.Find(`label[for="`+id+`"]`).Length() != 1) {
			t.Errorf("%s: field %s (id %q) has no label", page, s.AttrOr("name", "?"), id)
		}
		for _, ref := range strings.Fields(s.AttrOr("aria-describedby", "")) {
			if doc.Find("#"+ref).Length() != 1 {
				t.Errorf("%s: field %s is described by #%s, which is missing", page, id, ref)
			}
		}
	})
	doc.Find("button, a").Each(func(_ int, s *goquery.Selection) {
		if text(s) == "" && s.AttrOr("aria-label", "") == "" {
			h, _ := goquery.OuterHtml(s)
			t.Errorf("%s: unnamed control %s", page, h)
		}
	})
}

// Anonymous visitors are sent to sign in from every console page and get
// 401 for its forms; consumers and enterprise members get 404 everywhere,
// on a page that shows nothing of the console; operators get every page.
func TestGuard(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	e := c.e
	ent := e.Enterprises(t, 1)[0]
	pid, _ := e.Goods(t)
	es, ps := strconv.FormatInt(ent, 10), strconv.FormatInt(pid, 10)
	pages := []string{"/admin", "/admin/", "/admin/enterprises", "/admin/enterprises?q=%EC%82%AC%EA%B3%BC&status=active",
		"/admin/enterprises/" + es, "/admin/products", "/admin/products?enterprise=" + es, "/admin/audit",
		"/admin/audit?action=product.hide&enterprise=" + es}
	forms := []string{"/admin/enterprises/" + es + "/approve", "/admin/enterprises/" + es + "/reject",
		"/admin/enterprises/" + es + "/suspend", "/admin/enterprises/" + es + "/reinstate", "/admin/enterprises/" + es + "/review",
		"/admin/enterprises/" + es + "/act", "/admin/acting/stop", "/admin/products/" + ps + "/approve",
		"/admin/products/" + ps + "/hide", "/admin/products/" + ps + "/unhide"}

	t.Run("anonymous", func(t *testing.T) {
		b := e.Shopper()
		for _, p := range append(pages, "/admin/no-such-page") {
			resp, _ := b.Do(t, http.MethodGet, p, "", nil)
			if want := "/account/signin?next=" + url.QueryEscape(p); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
				t.Errorf("GET %s: %d to %q, want 303 to %q", p, resp.StatusCode, resp.Header.Get("Location"), want)
			}
		}
		for _, p := range forms {
			resp, body := b.Do(t, http.MethodPost, p, "application/x-www-form-urlencoded", strings.NewReader("reason=x"))
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "로그인") {
				t.Errorf("POST %s: %d, want 401 asking to sign in", p, resp.StatusCode)
			}
		}
		// Only /admin and what is below it is the console.
		if resp, _ := b.Do(t, http.MethodGet, "/administrator", "", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET /administrator: %d, want the shop's 404", resp.StatusCode)
		}
	})

	others := map[string]string{"consumer": e.Consumer(t), "enterprise member": e.Member(t, ent, account.Owner)}
	for who, email := range others {
		t.Run(who, func(t *testing.T) {
			b := e.Shopper()
			b.SignIn(t, email, webtest.Password)
			for _, p := range pages {
				resp, body := b.Do(t, http.MethodGet, p, "", nil)
				if resp.StatusCode != http.StatusNotFound {
					t.Errorf("GET %s: %d, want 404", p, resp.StatusCode)
					continue
				}
				doc := webtest.Parse(t, body)
				if doc.Find(".admin-nav, .admin-acting, form").Length() > 0 || strings.Contains(body, "운영자") {
					t.Errorf("GET %s: the 404 page shows the console", p)
				}
			}
			tok := b.CSRF(t, "/account/password")
			for _, p := range forms {
				resp, _ := b.Do(t, http.MethodPost, p, "application/x-www-form-urlencoded",
					strings.NewReader(url.Values{"_csrf": {tok}, "reason": {"x"}}.Encode()))
				if resp.StatusCode != http.StatusNotFound {
					t.Errorf("POST %s: %d, want 404", p, resp.StatusCode)
				}
			}
			if got := c.status(t, "enterprises", ent); got != "active" {
				t.Errorf("enterprise is %s after their requests", got)
			}
			if got := c.status(t, "products", pid); got != "active" {
				t.Errorf("product is %s after their requests", got)
			}
		})
	}

	t.Run("operator", func(t *testing.T) {
		for _, p := range pages {
			doc := c.op.Page(t, p, http.StatusOK)
			checkAccessible(t, p, doc)
			if doc.Find(`.admin-nav a[aria-current="page"]`).Length() != 1 {
				t.Errorf("GET %s: no current menu entry", p)
			}
		}
		doc := c.op.Page(t, "/admin/no-such-page", http.StatusNotFound)
		if doc.Find(".admin-nav").Length() != 1 {
			t.Error("an operator's 404 lacks the console's menu")
		}
		resp, _ := c.op.Do(t, http.MethodPost, forms[2], "application/x-www-form-urlencoded", strings.NewReader("_csrf=forged"))
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST without a valid CSRF token: %d, want 403", resp.StatusCode)
		}
		if got := c.status(t, "enterprises", ent); got != "active" {
			t.Errorf("a forged form suspended the enterprise (%s)", got)
		}
	})
}

// An operator finds a pending application in the queue, reads every field
// of it and approves it: the enterprise becomes active and its owner gets
// the portal.
func TestApproveApplication(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	id, bn := apply(t, c.e, "새벽빛 자활사업단")
	page := entURL(id)

	queue := c.op.Page(t, "/admin", http.StatusOK)
	if queue.Find(`a[href="`+page+`"]`).Length() != 1 {
		t.Fatalf("the queue does not link the application:\n%s", text(queue.Find("main")))
	}

	doc := c.op.Page(t, page, http.StatusOK)
	info := text(doc.Find("main"))
	for _, want := range []string{"새벽빛 자활사업단", kr.FormatBusinessNumber(bn), "자활기업", "2024-자활-0456",
		time.Now().AddDate(2, 0, 0).Format("2006.01.02"), "대구", "이수진", "053-123-4567", "hello@" + bn + ".kr",
		"대구광역시 중구 동덕로 115", "지역 어르신의 일자리를 만듭니다.", "대구은행 508-10-123456-7", "심사 대기"} {
		if !strings.Contains(info, want) {
			t.Errorf("the application's page lacks %q", want)
		}
	}
	if !regexp.MustCompile(`^\d{3}-\d{2}-\d{5}$`).MatchString(kr.FormatBusinessNumber(bn)) || !strings.Contains(info, "사업자등록번호 "+kr.FormatBusinessNumber(bn)) {
		t.Errorf("사업자등록번호 not shown as 123-45-67890: %s", info)
	}
	checkAccessible(t, page, doc)

	loc, _ := submit(t, c.op, page, page+"/approve", nil, http.StatusSeeOther)
	if loc != page+"?done=approved" {
		t.Errorf("approve redirects to %q", loc)
	}
	if got := c.status(t, "enterprises", id); got != "active" {
		t.Fatalf("enterprise is %s after approval, want active", got)
	}
	doc = c.op.Page(t, loc, http.StatusOK)
	if !strings.Contains(text(doc.Find(`.notice[role="status"]`)), "승인했습니다") {
		t.Error("no notice after approving")
	}
	if doc.Find(`form[action$="/approve"]`).Length() != 0 || doc.Find(`form[action$="/suspend"]`).Length() != 1 {
		t.Error("an active enterprise's page still offers review, or no suspension")
	}
	if c.op.Page(t, "/admin", http.StatusOK).Find(`a[href="`+page+`"]`).Length() != 0 {
		t.Error("the approved application is still in the queue")
	}

	// The applicant's owner now has the portal.
	var owner string
	if err := c.e.Pool.QueryRow(context.Background(), `SELECT u.email FROM users u JOIN enterprise_members m ON m.user_id = u.id
		WHERE m.enterprise_id = $1`, id).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	b := c.e.Shopper()
	b.SignIn(t, owner, webtest.Password)
	if doc := b.Page(t, "/portal", http.StatusOK); !strings.Contains(text(doc.Find("header")), "새벽빛 자활사업단") {
		t.Error("the approved enterprise's owner does not get its portal")
	}

	// Approving twice is refused on the page, not with an error page.
	_, doc = submit(t, c.op, page, page+"/approve", nil, http.StatusConflict)
	if !strings.Contains(text(doc.Find(`.notice[role="alert"]`)), "이미 입점한 기업") {
		t.Errorf("second approval: %s", text(doc.Find("main")))
	}
}

// Rejecting needs a reason: without one the page says so in Korean next to
// the field (tied by aria-describedby), keeps what was typed elsewhere, and
// nothing changes; with one the application is rejected.
func TestRejectNeedsReason(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	id, _ := apply(t, c.e, "다온 마을기업")
	page := entURL(id)

	for _, reason := range []string{"", "   "} {
		_, doc := submit(t, c.op, page, page+"/reject", url.Values{"reason": {reason}}, http.StatusUnprocessableEntity)
		field := doc.Find("textarea#reason")
		if field.AttrOr("aria-invalid", "") != "true" || !slices.Contains(strings.Fields(field.AttrOr("aria-describedby", "")), "reason-error") {
			t.Errorf("reason %q: the field is not marked invalid and tied to its error", reason)
		}
		if msg := text(doc.Find("#reason-error")); !strings.Contains(msg, "사유를 입력해 주세요") {
			t.Errorf("reason %q: error %q, want the Korean request for a reason", reason, msg)
		}
		checkAccessible(t, page+" (rejected without reason)", doc)
		if got := c.status(t, "enterprises", id); got != "pending" {
			t.Fatalf("rejecting without a reason left the application %s", got)
		}
	}

	reason := "사업자등록증 사본의 글자가 흐립니다. 다시 올려 주세요."
	loc, _ := submit(t, c.op, page, page+"/reject", url.Values{"reason": {reason}}, http.StatusSeeOther)
	if loc != page+"?done=rejected" {
		t.Errorf("reject redirects to %q", loc)
	}
	var status, saved string
	if err := c.e.Pool.QueryRow(context.Background(), `SELECT status, rejection_reason FROM enterprises WHERE id = $1`, id).Scan(&status, &saved); err != nil {
		t.Fatal(err)
	}
	if status != "rejected" || saved != reason {
		t.Errorf("after rejecting: %s with reason %q", status, saved)
	}
	if doc := c.op.Page(t, page, http.StatusOK); !strings.Contains(text(doc.Find("main")), reason) {
		t.Error("the enterprise's page does not show the rejection reason")
	}
}

// addToCartAndOrder places a guest order of one unit of product pid and
// returns its number.
func addToCartAndOrder(t *testing.T, b *webtest.Shopper, pid int64) string {
	t.Helper()
	b.API(t, http.MethodPost, "/api/v1/cart/items", map[string]any{"product_id": pid, "quantity": 1}, http.StatusCreated, nil)
	doc := b.Page(t, "/checkout", http.StatusOK)
	f := url.Values{}
	doc.Find(`form.checkout-form input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		f.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	for k, v := range map[string]string{"buyer_name": "김두레", "buyer_phone": "010-1234-5678", "buyer_email": "doore@example.kr",
		"recipient": "박수령", "phone": "010-2222-3333", "postcode": "41911", "road": "대구광역시 중구 동덕로 115", "detail": "3층",
		"agree_terms": "1", "agree_privacy": "1"} {
		f.Set(k, v)
	}
	loc, _, _ := b.Post(t, "/checkout", f, http.StatusSeeOther)
	number, ok := strings.CutSuffix(strings.TrimPrefix(loc, "/orders/"), "/pay")
	if !ok || number == "" {
		t.Fatalf("checkout redirected to %q", loc)
	}
	return number
}

func searchIDs(t *testing.T, e *webtest.Env, q string) []int64 {
	t.Helper()
	var r webtest.SearchResp
	e.JSON(t, "/api/v1/search?per_page=50&q="+url.QueryEscape(q), http.StatusOK, &r)
	var ids []int64
	for _, h := range r.Data {
		ids = append(ids, h.ID)
	}
	return ids
}

// Suspending an enterprise needs a reason (said next to the field, kept in
// the audit entry) and queues it in the search outbox, so its products
// leave search and the shop, while its orders stay; reinstating brings the
// products back.
func TestSuspendEnterprise(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	e := c.e
	pid, name := e.Goods(t)
	var ent int64
	if err := e.Pool.QueryRow(context.Background(), `SELECT enterprise_id FROM products WHERE id = $1`, pid).Scan(&ent); err != nil {
		t.Fatal(err)
	}
	member := e.Shopper()
	member.SignIn(t, e.Member(t, ent, account.Staff), webtest.Password)
	shopper := e.Shopper()
	number := addToCartAndOrder(t, shopper, pid)
	e.DrainSearch(t)
	if !slices.Contains(searchIDs(t, e, name), pid) {
		t.Fatalf("%q is not found before the suspension", name)
	}
	page := entURL(ent)
	outbox := `SELECT count(*) FROM search_outbox WHERE entity = 'enterprise' AND entity_id = $1`

	// Without a reason the page says so next to the field and nothing changes.
	_, doc := submit(t, c.op, page, page+"/suspend", url.Values{"reason": {"  "}}, http.StatusUnprocessableEntity)
	field := doc.Find("textarea#suspend-reason")
	if field.AttrOr("aria-invalid", "") != "true" || !slices.Contains(strings.Fields(field.AttrOr("aria-describedby", "")), "suspend-reason-error") {
		t.Error("suspending without a reason: the field is not marked invalid and tied to its error")
	}
	if msg := text(doc.Find("#suspend-reason-error")); !strings.Contains(msg, "정지 사유를 입력해 주세요") {
		t.Errorf("suspending without a reason: error %q", msg)
	}
	checkAccessible(t, page+" (suspended without reason)", doc)
	if got := c.status(t, "enterprises", ent); got != "active" {
		t.Fatalf("suspending without a reason left the enterprise %s", got)
	}
	if n := c.count(t, outbox, ent); n != 0 {
		t.Errorf("a refused suspension queued %d outbox rows", n)
	}

	const reason = "원산지 표시 위반 신고 확인 중"
	loc, _ := submit(t, c.op, page, page+"/suspend", url.Values{"reason": {reason}}, http.StatusSeeOther)
	if loc != page+"?done=suspended" {
		t.Errorf("suspend redirects to %q", loc)
	}
	if got := c.status(t, "enterprises", ent); got != "suspended" {
		t.Fatalf("enterprise is %s, want suspended", got)
	}
	if n := c.count(t, outbox, ent); n != 1 {
		t.Errorf("%d outbox rows for the enterprise, want 1", n)
	}
	e.DrainSearch(t)
	if slices.Contains(searchIDs(t, e, name), pid) {
		t.Error("the suspended enterprise's product is still found")
	}
	if resp, _ := e.Get(t, "/p/"+strconv.FormatInt(pid, 10)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the shop shows the suspended enterprise's product: %d", resp.StatusCode)
	}
	if doc := shopper.Page(t, "/orders/"+number, http.StatusOK); !strings.Contains(text(doc.Find("main")), name) {
		t.Error("the order of the suspended enterprise's product is gone from its page")
	}
	if n := c.count(t, `SELECT count(*) FROM orders WHERE number = $1`, number); n != 1 {
		t.Errorf("%d orders numbered %s, want 1", n, number)
	}
	if resp, _ := member.Do(t, http.MethodGet, "/portal", "", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a suspended enterprise's member gets the portal: %d", resp.StatusCode)
	}
	list := c.op.Page(t, "/admin/products?enterprise="+strconv.FormatInt(ent, 10), http.StatusOK)
	if !strings.Contains(text(list.Find(".admin-table")), "기업 정지") {
		t.Error("the console's product list does not say the enterprise is suspended")
	}
	if doc := c.op.Page(t, "/admin/enterprises?status=suspended", http.StatusOK); doc.Find(`a[href="`+page+`"]`).Length() != 1 {
		t.Error("the suspended enterprise is not listed under 정지")
	}

	loc, _ = submit(t, c.op, page, page+"/reinstate", nil, http.StatusSeeOther)
	if loc != page+"?done=reinstated" || c.status(t, "enterprises", ent) != "active" {
		t.Fatalf("reinstate: %q, %s", loc, c.status(t, "enterprises", ent))
	}
	e.DrainSearch(t)
	if !slices.Contains(searchIDs(t, e, name), pid) {
		t.Error("the reinstated enterprise's product is not found again")
	}

	recs, _, err := e.Accounts.FindAuditLog(operatorCtx(), account.AuditFilter{EnterpriseID: ent, Entity: "enterprise"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range recs {
		actions = append(actions, r.Action)
	}
	if !slices.Equal(actions, []string{onboarding.ActionReinstate, onboarding.ActionSuspend}) {
		t.Fatalf("audit actions %v, want reinstate then suspend (newest first)", actions)
	}
	if !strings.Contains(string(recs[1].After), reason) {
		t.Errorf("the suspension's audit entry %s does not keep the reason", recs[1].After)
	}
}

// An operator acts on behalf of an enterprise: the session is rotated into
// one that carries the enterprise, the portal is that enterprise's, a change
// made there is recorded as made on its behalf, and stopping returns to the
// enterprise in the console.
func TestActOnBehalf(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	e := c.e
	pid, _ := e.Goods(t)
	var ent int64
	var entName string
	if err := e.Pool.QueryRow(context.Background(), `SELECT e.id, e.name FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.id = $1`, pid).Scan(&ent, &entName); err != nil {
		t.Fatal(err)
	}
	page := entURL(ent)
	before := c.op.Cookies["dure_session"]

	loc, _ := submit(t, c.op, page, page+"/act", nil, http.StatusSeeOther)
	if loc != "/portal" {
		t.Fatalf("act redirects to %q, want /portal", loc)
	}
	if after := c.op.Cookies["dure_session"]; after == "" || after == before {
		t.Error("acting on behalf did not rotate the session")
	}
	a, err := e.Accounts.ActorForSession(context.Background(), c.op.Cookies["dure_session"])
	if err != nil || !a.OnBehalf || a.EnterpriseID != ent || a.Role != account.Operator {
		t.Fatalf("the new session's actor = %+v, %v; want the operator on behalf of %d", a, err, ent)
	}

	doc := c.op.Page(t, "/portal", http.StatusOK)
	if !strings.Contains(text(doc.Find("header")), entName) || doc.Find(".acting-banner").Length() != 1 {
		t.Errorf("the portal is not %s's with the acting banner", entName)
	}
	ps := strconv.FormatInt(pid, 10)
	submit(t, c.op, "/portal/products", "/portal/products/"+ps+"/unpublish", nil, http.StatusSeeOther)
	if got := c.status(t, "products", pid); got != catalog.StatusDraft {
		t.Fatalf("the product is %s after unpublishing on behalf", got)
	}

	// The console shows who the operator acts for, and the audit log the
	// change as made on the enterprise's behalf.
	if doc := c.op.Page(t, "/admin", http.StatusOK); !strings.Contains(text(doc.Find(".admin-acting")), entName) {
		t.Error("the console does not say whom the operator acts for")
	}
	doc = c.op.Page(t, "/admin/audit?entity=product&entity_id="+ps, http.StatusOK)
	entries := doc.Find(".audit-entry")
	if entries.Length() != 1 {
		t.Fatalf("%d audit entries for the product, want 1:\n%s", entries.Length(), text(doc.Find("main")))
	}
	entry := text(entries)
	for _, want := range []string{"판매 상태 변경", "대리 작업", "테스트 운영자 (" + c.opEmail + ")", "운영자", "누구로 " + entName + " 대신",
		"상태 판매중 판매중지"} {
		if !strings.Contains(entry, want) {
			t.Errorf("the audit entry lacks %q: %s", want, entry)
		}
	}
	if when := text(entries.Find("time")); !regexp.MustCompile(`^\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}$`).MatchString(when) {
		t.Errorf("entry time %q, want YYYY.MM.DD HH:MM", when)
	}
	recs, _, err := e.Accounts.FindAuditLog(operatorCtx(), account.AuditFilter{Entity: "product", EntityID: ps})
	if err != nil || len(recs) != 1 || recs[0].OnBehalfEnterpriseID != ent || recs[0].ActorRole != string(account.Operator) {
		t.Fatalf("audit record of the change = %+v, %v; want the operator on behalf of %d", recs, err, ent)
	}

	// The portal's banner posts the stop here.
	loc, _ = submit(t, c.op, "/portal", "/admin/acting/stop", nil, http.StatusSeeOther)
	if loc != page+"?done=acting_stopped" {
		t.Errorf("stop redirects to %q, want the enterprise in the console", loc)
	}
	if resp, _ := c.op.Do(t, http.MethodGet, "/portal", "", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("after stopping, the operator still gets a portal: %d", resp.StatusCode)
	}
	if doc := c.op.Page(t, "/admin", http.StatusOK); doc.Find(".admin-acting").Length() != 0 {
		t.Error("the console still shows the acting banner")
	}
	recs, _, err = e.Accounts.FindAuditLog(operatorCtx(), account.AuditFilter{EnterpriseID: ent})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range recs {
		actions = append(actions, fmt.Sprintf("%s:%d", r.Action, r.OnBehalfEnterpriseID))
	}
	want := []string{"acting.stop:" + strconv.FormatInt(ent, 10), catalog.ActionProductStatus + ":" + strconv.FormatInt(ent, 10), "acting.start:0"}
	if !slices.Equal(actions, want) {
		t.Errorf("audit of the enterprise = %v, want %v", actions, want)
	}
}

// The audit log filters by action, enterprise (name or 사업자등록번호),
// entity, actor (e-mail) and Seoul days; a filter naming nobody is answered
// next to its field.
func TestAuditFilter(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	e := c.e
	a, _ := apply(t, e, "가온 협동조합")
	b, bBRN := apply(t, e, "누리 사회적협동조합")
	submit(t, c.op, entURL(a), entURL(a)+"/approve", nil, http.StatusSeeOther)
	submit(t, c.op, entURL(b), entURL(b)+"/reject", url.Values{"reason": {"인증서 유효 기간을 확인해 주세요."}}, http.StatusSeeOther)
	pid, pname := e.Goods(t)
	ps := strconv.FormatInt(pid, 10)
	loc, _ := submit(t, c.op, "/admin/products?q="+url.QueryEscape(pname), "/admin/products/"+ps+"/hide",
		url.Values{"back": {"/admin/products?q=" + url.QueryEscape(pname)}}, http.StatusSeeOther)
	if !strings.HasPrefix(loc, "/admin/products?") || !strings.Contains(loc, "done=product_hidden") {
		t.Errorf("hide from the list returns to %q", loc)
	}
	other := e.Operator(t)

	count := func(doc *goquery.Document) int { return doc.Find(".audit-entry").Length() }
	today := time.Now().In(time.FixedZone("KST", 9*3600))
	day := func(d time.Time) string { return d.Format("2006-01-02") }
	for _, tc := range []struct {
		name  string
		query url.Values
		n     int
		has   []string
		lacks []string
	}{
		{"all", nil, 3, []string{"입점 승인", "입점 반려", "상품 숨김"}, nil},
		{"action", url.Values{"action": {"application.approve"}}, 1, []string{"입점 승인", "가온 협동조합"}, []string{"누리"}},
		{"enterprise by name", url.Values{"enterprise": {"누리 사회적협동조합"}}, 1, []string{"입점 반려", "반려 사유 (빈 값) 인증서 유효 기간을 확인해 주세요."}, []string{"가온"}},
		{"enterprise by 사업자등록번호", url.Values{"enterprise": {kr.FormatBusinessNumber(bBRN)}}, 1, []string{"입점 반려"}, nil},
		{"entity", url.Values{"entity": {"product"}, "entity_id": {ps}}, 1, []string{"상품 숨김", "상태 판매중 운영자 숨김"}, []string{"입점"}},
		{"actor", url.Values{"actor": {c.opEmail}}, 3, nil, nil},
		{"another actor", url.Values{"actor": {other}}, 0, []string{"조건에 맞는 기록이 없습니다"}, nil},
		{"today", url.Values{"from": {day(today)}, "to": {day(today)}}, 3, nil, nil},
		{"from tomorrow", url.Values{"from": {day(today.AddDate(0, 0, 1))}}, 0, nil, nil},
		{"until yesterday", url.Values{"to": {day(today.AddDate(0, 0, -1))}}, 0, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := c.op.Page(t, "/admin/audit?"+tc.query.Encode(), http.StatusOK)
			main := text(doc.Find("main"))
			if n := count(doc); n != tc.n {
				t.Errorf("%d entries, want %d:\n%s", n, tc.n, main)
			}
			for _, s := range tc.has {
				if !strings.Contains(main, s) {
					t.Errorf("lacks %q:\n%s", s, main)
				}
			}
			for _, s := range tc.lacks {
				if strings.Contains(text(doc.Find(".audit-list")), s) {
					t.Errorf("has %q", s)
				}
			}
			for k, v := range tc.query { // the form keeps the filter
				if got := doc.Find(`[name="`+k+`"]`).AttrOr("value", ""); got != v[0] && doc.Find(`[name="`+k+`"] option[selected]`).AttrOr("value", "") != v[0] {
					t.Errorf("field %s shows %q, want %q", k, got, v[0])
				}
			}
		})
	}

	for _, tc := range []struct {
		name, field string
		query       url.Values
		msg         string
	}{
		{"unknown actor", "actor", url.Values{"actor": {"nobody@dure.test"}}, "찾는 회원이 없습니다"},
		{"unknown enterprise", "enterprise", url.Values{"enterprise": {"없는 기업 이름"}}, "찾는 기업이 없습니다"},
		{"end before start", "to", url.Values{"from": {day(today)}, "to": {day(today.AddDate(0, 0, -2))}}, "끝 날짜는 시작 날짜와 같거나"},
		{"bad date", "from", url.Values{"from": {"어제"}}, "2026-03-02처럼"},
		{"unknown action", "action", url.Values{"action": {"drop.table"}}, "목록에서 골라"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.op.Do(t, http.MethodGet, "/admin/audit?"+tc.query.Encode(), "", nil)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", resp.StatusCode)
			}
			doc := webtest.Parse(t, body)
			field := doc.Find("#" + tc.field)
			if field.AttrOr("aria-invalid", "") != "true" || !slices.Contains(strings.Fields(field.AttrOr("aria-describedby", "")), tc.field+"-error") {
				t.Errorf("field %s not marked invalid and tied to its error", tc.field)
			}
			if msg := text(doc.Find("#" + tc.field + "-error")); !strings.Contains(msg, tc.msg) {
				t.Errorf("error %q, want %q", msg, tc.msg)
			}
			if v := field.AttrOr("value", ""); field.Is("input") && v != tc.query.Get(tc.field) {
				t.Errorf("the field lost what was typed: %q", v)
			}
			checkAccessible(t, "/admin/audit ("+tc.name+")", doc)
		})
	}
}

// The enterprise and product lists search and filter; products pending
// review wait in the queue and are approved there; hidden products are
// shown again from the list.
func TestListsAndProductReview(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	e := c.e
	id, bn := apply(t, e, "한빛 예비사회적기업")
	for _, tc := range []struct {
		query string
		in    bool
	}{
		{"q=" + url.QueryEscape("한빛"), true},
		{"q=" + kr.FormatBusinessNumber(bn), true},
		{"q=" + bn[:6], true},
		{"status=pending", true},
		{"status=active", false},
		{"type=self_sufficiency&q=" + url.QueryEscape("한빛"), true},
		{"type=cooperative&q=" + url.QueryEscape("한빛"), false},
	} {
		doc := c.op.Page(t, "/admin/enterprises?"+tc.query, http.StatusOK)
		if in := doc.Find(`a[href="`+entURL(id)+`"]`).Length() == 1; in != tc.in {
			t.Errorf("enterprises?%s lists the application: %v, want %v", tc.query, in, tc.in)
		}
	}
	if resp, _ := c.op.Do(t, http.MethodGet, "/admin/enterprises?status=closed", "", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown status: %d, want 400", resp.StatusCode)
	}

	// An enterprise whose products need review: a product published again
	// waits in the queue until an operator approves it.
	pid, pname := e.Goods(t)
	var ent int64
	if err := e.Pool.QueryRow(context.Background(), `SELECT enterprise_id FROM products WHERE id = $1`, pid).Scan(&ent); err != nil {
		t.Fatal(err)
	}
	loc, _ := submit(t, c.op, entURL(ent), entURL(ent)+"/review", url.Values{"review": {"on"}}, http.StatusSeeOther)
	if loc != entURL(ent)+"?done=review_on" {
		t.Errorf("review redirects to %q", loc)
	}
	member := account.NewContext(context.Background(), &account.Actor{UserID: 99, Role: account.EnterpriseStaff,
		EnterpriseID: ent, EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Owner})
	if _, err := e.Manager.SetStatus(member, pid, catalog.StatusDraft); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Manager.SetStatus(member, pid, catalog.StatusActive); err != nil {
		t.Fatal(err)
	}
	if got := c.status(t, "products", pid); got != catalog.StatusPendingReview {
		t.Fatalf("the republished product is %s, want pending review", got)
	}
	ps := strconv.FormatInt(pid, 10)
	queue := c.op.Page(t, "/admin", http.StatusOK)
	if queue.Find(`form[action="/admin/products/`+ps+`/approve"]`).Length() != 1 {
		t.Fatalf("the queue does not offer to approve %s", pname)
	}
	loc, _ = submit(t, c.op, "/admin", "/admin/products/"+ps+"/approve", url.Values{"back": {"/admin"}}, http.StatusSeeOther)
	if loc != "/admin?done=product_approved" || c.status(t, "products", pid) != catalog.StatusActive {
		t.Errorf("approve: %q, %s", loc, c.status(t, "products", pid))
	}

	// Hide and unhide from the list, which comes back with its filters; a
	// return address outside the console is not followed.
	list := "/admin/products?q=" + url.QueryEscape(pname)
	doc := c.op.Page(t, list, http.StatusOK)
	if doc.Find(`form[action="/admin/products/`+ps+`/hide"]`).Length() != 1 {
		t.Fatalf("%s has no hide button in the list:\n%s", pname, text(doc.Find("main")))
	}
	loc, _ = submit(t, c.op, list, "/admin/products/"+ps+"/hide", url.Values{"back": {"https://evil.example/admin"}}, http.StatusSeeOther)
	if loc != "/admin/products?done=product_hidden" {
		t.Errorf("a foreign return address was followed: %q", loc)
	}
	doc = c.op.Page(t, "/admin/products?status=hidden&q="+url.QueryEscape(pname), http.StatusOK)
	if !strings.Contains(text(doc.Find(".admin-table")), "운영자 숨김") || doc.Find(`form[action="/admin/products/`+ps+`/unhide"]`).Length() != 1 {
		t.Fatal("the hidden product is not listed as hidden with an unhide button")
	}
	submit(t, c.op, list, "/admin/products/"+ps+"/unhide", url.Values{"back": {list}}, http.StatusSeeOther)
	if got := c.status(t, "products", pid); got != catalog.StatusActive {
		t.Errorf("after unhiding: %s", got)
	}
	resp, _ := c.op.Do(t, http.MethodGet, "/admin/products?status=gone", "", nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown product status: %d, want 400", resp.StatusCode)
	}
	// Unhiding a product that is not hidden is a conflict, said in Korean.
	_, body := c.op.Do(t, http.MethodPost, "/admin/products/"+ps+"/unhide", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"_csrf": {c.op.CSRF(t, list)}}.Encode()))
	if !strings.Contains(body, "숨긴 상품이 아닙니다") {
		t.Errorf("unhiding a visible product: %s", webtest.Truncate(body, 500))
	}
}
