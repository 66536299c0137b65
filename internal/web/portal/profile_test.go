package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestReturnAddressEdit: a member sets its enterprise's return address at
// /portal/profile; a wrong form comes back (422) with Korean messages
// beside the fields, what was typed kept and nothing saved; the change is
// audited; a member of another enterprise changes only its own; all empty
// clears it.
func TestReturnAddressEdit(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	read := func(id int64) (pc, road, detail, phone string) {
		t.Helper()
		if err := w.e.Pool.QueryRow(ctx, `SELECT return_postcode, return_road, return_detail, return_phone FROM enterprises
			WHERE id = $1`, id).Scan(&pc, &road, &detail, &phone); err != nil {
			t.Fatal(err)
		}
		return
	}
	b := w.e.Shopper()
	b.SignIn(t, w.e.Member(t, w.a, account.Staff), webtest.Password)
	resp, body := b.Do(t, http.MethodGet, "/portal/profile", "", nil)
	doc := webtest.Parse(t, body)
	if resp.StatusCode != 200 || doc.Find("#return_postcode").Length() != 1 || !strings.Contains(doc.Find("main").Text(), w.aName) {
		t.Fatalf("no return address form for A (%d)", resp.StatusCode)
	}
	// 우편번호 찾기 as on the shop's address forms: the box postcode.js
	// fills, the script, and the policy that lets it load the service.
	if doc.Find(`[data-postcode-search][data-postcode="return_postcode"][data-road="return_road"]`).Length() != 1 ||
		doc.Find(`script[src*="postcode"]`).Length() != 1 || resp.Header.Get("Content-Security-Policy") != web.PostcodeCSP {
		t.Errorf("the return address form lacks the postcode search: box %d, script %d, CSP %q",
			doc.Find("[data-postcode-search]").Length(), doc.Find(`script[src*="postcode"]`).Length(), resp.Header.Get("Content-Security-Policy"))
	}

	bad := url.Values{"_csrf": {b.CSRF(t, "/portal/profile")}, "return_postcode": {"4194"}, "return_road": {""},
		"return_detail": {"물류창고 2동"}, "return_phone": {"12345"}}
	_, doc, _ = b.Post(t, "/portal/profile", bad, 422)
	for id, want := range map[string]string{"return_postcode": "5자리", "return_road": "도로명주소", "return_phone": "형식"} {
		if msg := fieldError(t, doc, id); !strings.Contains(msg, want) {
			t.Errorf("%s: message %q lacks %q", id, msg, want)
		}
	}
	if v := doc.Find("#return_detail").AttrOr("value", ""); v != "물류창고 2동" {
		t.Errorf("the refused form lost the detail: %q", v)
	}
	if pc, road, _, _ := read(w.a); pc != "" || road != "" {
		t.Fatalf("a refused form was saved: %q %q", pc, road)
	}

	good := url.Values{"_csrf": {b.CSRF(t, "/portal/profile")}, "return_postcode": {" 41940 "}, "return_road": {"대구광역시 중구 동덕로 200"},
		"return_detail": {"물류창고 2동"}, "return_phone": {"053 555 1234"}}
	if loc, _, _ := b.Post(t, "/portal/profile", good, 303); loc != "/portal/profile?done=return" {
		t.Errorf("redirect %q", loc)
	}
	if pc, road, detail, phone := read(w.a); pc != "41940" || road != "대구광역시 중구 동덕로 200" || detail != "물류창고 2동" || phone != "053-555-1234" {
		t.Errorf("saved %q %q %q %q", pc, road, detail, phone)
	}
	if w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'enterprise.return_address' AND enterprise_id = $1`, w.a) != 1 {
		t.Error("the change is not audited")
	}
	if s := b.Page(t, "/portal/profile?done=return", 200).Text(); !strings.Contains(s, "(41940) 대구광역시 중구 동덕로 200 물류창고 2동") {
		t.Errorf("the page does not show the saved address: %q", webtest.Truncate(strings.Join(strings.Fields(s), " "), 600))
	}

	// B's member posts the same form: only B changes; A's stays.
	other := w.e.Shopper()
	other.SignIn(t, w.e.Member(t, w.b, account.Owner), webtest.Password)
	if s := other.Page(t, "/portal/profile", 200).Find("main").Text(); strings.Contains(s, w.aName) || strings.Contains(s, "동덕로 200") {
		t.Errorf("B's profile shows A's: %q", webtest.Truncate(strings.Join(strings.Fields(s), " "), 400))
	}
	bForm := url.Values{"_csrf": {other.CSRF(t, "/portal/profile")}, "return_postcode": {"06236"}, "return_road": {"서울특별시 강남구 테헤란로 1"}}
	other.Post(t, "/portal/profile", bForm, 303)
	if pc, road, _, _ := read(w.a); pc != "41940" || road != "대구광역시 중구 동덕로 200" {
		t.Errorf("B's post changed A's return address to %q %q", pc, road)
	}
	if pc, _, _, _ := read(w.b); pc != "06236" {
		t.Errorf("B's return postcode %q", pc)
	}

	// All empty clears A's: returns go to the place of business again.
	none := url.Values{"_csrf": {b.CSRF(t, "/portal/profile")}, "return_postcode": {""}, "return_road": {""}, "return_detail": {""}, "return_phone": {""}}
	b.Post(t, "/portal/profile", none, 303)
	if pc, road, detail, phone := read(w.a); pc+road+detail+phone != "" {
		t.Errorf("not cleared: %q %q %q %q", pc, road, detail, phone)
	}
}
