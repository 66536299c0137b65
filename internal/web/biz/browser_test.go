package biz_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/kr"
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
