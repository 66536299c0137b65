package biz_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserInstitutionWalk: in headless Chromium an officer registers an
// institution (after one refused try), the operator approves it, a
// colleague joins, the admin approves them, and the colleague signs in to
// /biz and sees public prices; axe-core checks every /biz page on the way
// (0 serious or critical).
func TestBrowserInstitutionWalk(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)
	check := func(what string) {
		t.Helper()
		b.CheckAxeCurrent(t, what)
		b.CheckFocus(t, what)
	}

	b.Open("/biz")
	check("/biz (anonymous)")
	in := webtest.RegisterInput("대구광역시 브라우저구청")
	b.Open("/biz/register")
	check("/biz/register")
	fields := map[string]string{
		"#f-name": in.Name, "#f-kind": "local", "#f-id_number": "123-45-67890", "#f-postcode": "41911",
		"#f-road_address": in.RoadAddress, "#f-phone": in.Phone, "#f-department": "회계과", "#f-user_name": "박관리",
		"#f-email": in.Email, "#f-password": webtest.Password, "#f-password_confirm": webtest.Password,
	}
	b.Fill(fields)
	if st := b.Submit("register with a wrong number", `form.join-form button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("wrong number: %d", st)
	}
	check("/biz/register with errors")
	b.Fill(map[string]string{"#f-id_number": kr.FormatBusinessNumber(in.IDNumber), "#f-password": webtest.Password,
		"#f-password_confirm": webtest.Password})
	if st := b.Submit("register", `form.join-form button[type="submit"]`); st != http.StatusOK || !strings.HasPrefix(b.Path(), "/biz?") {
		t.Fatalf("registered to %s (%d): %s", b.Path(), st, b.Text("main"))
	}
	if !strings.Contains(b.Text("main"), "심사") {
		t.Errorf("pending dashboard: %q", b.Text("main"))
	}
	check("/biz (pending institution)")
	b.Open("/biz/institution")
	check("/biz/institution")
	b.SignOut()

	op := e.Operator(t)
	b.SignIn(op, webtest.Password)
	b.Open("/admin/institutions?status=pending")
	check("/admin/institutions")
	if st := b.Submit("open the institution", `main table a`); st != http.StatusOK {
		t.Fatalf("institution page: %d", st)
	}
	check("/admin/institutions/:id")
	if st := b.Submit("approve", `form[action$="/approve"] button`); st != http.StatusOK || !strings.Contains(b.Text("main"), "이용 중") {
		t.Fatalf("approve: %d %q", st, b.Text("main"))
	}
	b.SignOut()

	colleague := webtest.Email("colleague")
	b.Open("/biz/join")
	check("/biz/join")
	b.Fill(map[string]string{"#f-id_number": in.IDNumber, "#f-institution_name": in.Name, "#f-department": "총무과",
		"#f-user_name": "이동료", "#f-email": colleague, "#f-password": webtest.Password, "#f-password_confirm": webtest.Password})
	if st := b.Submit("join", `form.join-form button[type="submit"]`); st != http.StatusOK || !strings.HasPrefix(b.Path(), "/biz?") {
		t.Fatalf("joined to %s (%d): %s", b.Path(), st, b.Text("main"))
	}
	check("/biz (colleague awaiting approval)")
	b.SignOut()

	if landed := b.SignIn(in.Email, webtest.Password); landed != "/biz" {
		t.Errorf("the admin landed on %s, want /biz", landed)
	}
	b.Open("/biz/members")
	check("/biz/members")
	if st := b.Submit("approve the colleague", `form[action$="/approve"] button`); st != http.StatusOK || !strings.Contains(b.Text("main"), "승인했습니다") {
		t.Fatalf("approve colleague: %d %q", st, b.Text("main"))
	}
	b.SignOut()

	if landed := b.SignIn(colleague, webtest.Password); landed != "/biz" {
		t.Errorf("the colleague landed on %s, want /biz", landed)
	}
	check("/biz (active buyer)")
	b.Open("/biz/products")
	if !strings.Contains(b.Text("main"), "공급가액") {
		t.Errorf("products: %q", b.Text("main"))
	}
	check("/biz/products")
}

// TestBrowserOrderPages: axe-core finds nothing serious or critical on the
// buyer's order list and order page (desktop and 390 px), with a 검수 form
// refused and shown again, and the keyboard reaches every control.
func TestBrowserOrderPages(t *testing.T) {
	f := newPublicFlow(t)
	b := browser.New(t, f.e)
	b.SignIn(f.inst.Buyer, webtest.Password)
	b.Open("/biz/orders")
	b.CheckAxeCurrent(t, "/biz/orders")
	b.CheckFocus(t, "/biz/orders")
	u := "/biz/orders/" + f.o.Number
	b.Open(u)
	b.CheckAxeCurrent(t, u)
	b.CheckFocus(t, u)
	if st := b.Submit("a 검수 without an inspector", `form.inspect-form button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("검수 without an inspector: %d", st)
	}
	if !strings.Contains(b.Text("main"), "검수자 이름") {
		t.Errorf("no message for the missing inspector: %q", b.Text("main"))
	}
	b.CheckAxeCurrent(t, u+" (refused 검수)")
}

// TestBrowserBuyerQuotes: in headless Chromium a buyer makes a request on
// the form (a free-text line, once refused for a past date), and after r1
// is sent reads it and its 견적서; axe-core checks every page at desktop
// and 390 px (0 serious or critical), keyboard focus visible.
func TestBrowserBuyerQuotes(t *testing.T) {
	e := webtest.NewEnv(t)
	inst := e.Institution(t, "대구광역시 브라우저구청")
	ents := e.Enterprises(t, 1)
	e.SetCoopDetails(t)
	b := browser.New(t, e)
	check := func(what string) {
		t.Helper()
		b.CheckAxeCurrent(t, what)
		b.CheckFocus(t, what)
	}
	b.SignIn(inst.Buyer, webtest.Password)
	b.Open("/biz/quotes")
	check("/biz/quotes (empty)")
	b.Open("/biz/quotes/new")
	check("/biz/quotes/new")
	b.Open("/biz/quotes/new") // a fresh page after the checks' viewport changes
	if st := b.Submit("add a free-text line", `button[value="add_free"]`); st != http.StatusOK {
		t.Fatalf("add line: %d", st)
	}
	past := quote.Today(time.Now()).AddDate(0, 0, -1)
	b.Fill(map[string]string{"#line-1-name": "청소 용역", "#line-1-quantity": "20", "#line-1-unit": "실",
		"#desired_date": past.Format("2006-01-02"), "#postcode": "41911", "#road": "대구광역시 중구 공평로 88"})
	if st := b.Submit("request with a past date", `button[value="submit"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("past date: %d", st)
	}
	check("/biz/quotes/new with errors")
	b.Fill(map[string]string{"#desired_date": quote.Today(time.Now()).AddDate(0, 0, 10).Format("2006-01-02")})
	if st := b.Submit("request", `button[value="submit"]`); st != http.StatusOK || !strings.Contains(b.Text("main"), "견적을 요청했습니다") {
		t.Fatalf("request: %d %q", st, b.Text("main"))
	}
	check("/biz/quotes/:id (no quote yet)")
	path, _, _ := strings.Cut(b.Path(), "?")
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/biz/quotes/"), 10, 64)
	if err != nil {
		t.Fatalf("request id from %s: %v", b.Path(), err)
	}
	op := e.Actor(t, e.Operator(t))
	r, err := e.Quotes.FindRequest(op, id)
	if err != nil {
		t.Fatal(err)
	}
	day := quote.Today(time.Now()).AddDate(0, 0, 5)
	if err := e.Quotes.RouteLine(op, id, r.Lines[0].ID, ents[0]); err != nil {
		t.Fatal(err)
	}
	if err := e.Quotes.AnswerLines(e.Actor(t, e.Member(t, ents[0], account.Owner)), id,
		[]quote.Answer{{LineID: r.Lines[0].ID, Supply: true, UnitPrice: 33000, AvailableDate: day, ProductID: e.Linkable(t, ents[0])}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Quotes.SendRevision(op, id, quote.RevisionInput{DeliveryDate: day, ValidUntil: day}); err != nil {
		t.Fatal(err)
	}
	page := "/biz/quotes/" + strconv.FormatInt(id, 10)
	b.Open(page)
	if !strings.Contains(b.Text("main"), "660,000원") {
		t.Errorf("quote page: %q", b.Text("main"))
	}
	check("/biz/quotes/:id (r1)")
	b.Open("/biz/quotes")
	check("/biz/quotes")
	if st := b.Open(page + "/r/1"); st != http.StatusOK {
		t.Fatalf("견적서: %d", st)
	}
	check("/biz/quotes/:id/r/1")
}
