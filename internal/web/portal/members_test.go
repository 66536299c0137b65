package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// userID reads the id of the account with email.
func (s *shop) userID(t *testing.T, email string) int64 {
	t.Helper()
	return s.count(t, `SELECT id FROM users WHERE email = $1`, email)
}

var invitationLink = regexp.MustCompile(`http://dure\.test(/account/invitation\?token=[A-Za-z0-9_-]+)`)

// TestMembers: an owner of A invites a staff member by e-mail; the mailed
// link makes the account, which signs in to A's portal; the link does not
// work twice. The staff member sees the members but cannot manage them;
// B cannot touch A's members; the owner changes a role and removes the
// staff member, who is signed out.
func TestMembers(t *testing.T) {
	s := newShop(t)
	ownerEmail := s.e.Member(t, s.a, account.Owner)
	owner := s.e.Shopper()
	owner.SignIn(t, ownerEmail, webtest.Password)
	ownerID := s.userID(t, ownerEmail)

	doc := owner.Page(t, "/portal/members", http.StatusOK)
	if got := text(doc.Find(".members-table tbody")); !strings.Contains(got, ownerEmail) || !strings.Contains(got, "대표 계정") || !strings.Contains(got, "(나)") {
		t.Errorf("members %q", got)
	}

	// A wrong address: beside the field, kept.
	_, bad := submit(t, owner, doc, `form[action="/portal/members/invite"]`, url.Values{"email": {"not-an-address"}, "role": {"staff"}}, http.StatusUnprocessableEntity)
	if msg := tiedError(t, bad, "inv-email"); msg == "" {
		t.Error("no error beside the e-mail")
	}
	if v := bad.Find("#inv-email").AttrOr("value", ""); v != "not-an-address" {
		t.Errorf("address kept as %q", v)
	}
	// An address that has an account already.
	_, taken := submit(t, owner, doc, `form[action="/portal/members/invite"]`, url.Values{"email": {ownerEmail}, "role": {"staff"}}, http.StatusConflict)
	if msg := tiedError(t, taken, "inv-email"); !strings.Contains(msg, "이미 가입된") {
		t.Errorf("taken address: %q", msg)
	}

	staffEmail := webtest.Email("invited")
	loc, _ := submit(t, owner, doc, `form[action="/portal/members/invite"]`, url.Values{"email": {staffEmail}, "role": {"staff"}}, http.StatusSeeOther)
	doc = owner.Page(t, loc, http.StatusOK)
	if !strings.Contains(doc.Find(".notice-ok").Text(), "초대 메일을 보냈습니다") {
		t.Errorf("notice %q", doc.Find(".notice-ok").Text())
	}
	if got := text(doc.Find("#inv-h").Parent()); !strings.Contains(got, staffEmail) || !strings.Contains(got, "직원") {
		t.Errorf("pending invitations %q", got)
	}
	mail, ok := s.e.Mail.Last(staffEmail)
	if !ok {
		t.Fatal("no invitation mail")
	}
	m := invitationLink.FindStringSubmatch(mail.Body)
	if m == nil {
		t.Fatalf("no invitation link in %q", mail.Body)
	}
	link := m[1]

	// The invited person accepts, then signs in and sees A's portal.
	guest := s.e.Shopper()
	form := guest.Page(t, link, http.StatusOK)
	submit(t, guest, form, `form[action="/account/invitation"]`, url.Values{"name": {"새 직원"}, "password": {webtest.Password},
		"password_confirm": {webtest.Password}}, http.StatusSeeOther)
	staff := s.e.Shopper()
	staff.SignIn(t, staffEmail, webtest.Password)
	home := staff.Page(t, "/portal", http.StatusOK)
	if !strings.Contains(home.Find(".portal-who").Text(), s.aName) {
		t.Errorf("the new staff member's portal is %q", home.Find(".portal-who").Text())
	}
	staffID := s.userID(t, staffEmail)

	t.Run("the link twice", func(t *testing.T) {
		resp, body := s.e.Shopper().Do(t, http.MethodGet, link, "", nil)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "이미 수락한 초대입니다") {
			t.Errorf("reused invitation: %d %s", resp.StatusCode, webtest.Truncate(body, 300))
		}
	})

	t.Run("staff see the members, not the buttons", func(t *testing.T) {
		d := staff.Page(t, "/portal/members", http.StatusOK)
		if got := text(d.Find(".members-table tbody")); !strings.Contains(got, ownerEmail) || !strings.Contains(got, "새 직원") {
			t.Errorf("staff see %q", got)
		}
		if d.Find(`form[action="/portal/members/invite"], form.role-form, a[href$="/remove"]`).Length() != 0 {
			t.Error("staff are offered the owner's buttons")
		}
		tok := webtest.CSRFOf(t, d)
		staff.Post(t, "/portal/members/invite", url.Values{"_csrf": {tok}, "email": {webtest.Email("x")}, "role": {"staff"}}, http.StatusForbidden)
		staff.Post(t, fmt.Sprintf("/portal/members/%d/remove", ownerID), url.Values{"_csrf": {tok}}, http.StatusForbidden)
		staff.Post(t, fmt.Sprintf("/portal/members/%d/role", staffID), url.Values{"_csrf": {tok}, "role": {"owner"}}, http.StatusForbidden)
		staff.Page(t, fmt.Sprintf("/portal/members/%d/remove", ownerID), http.StatusForbidden)
	})

	t.Run("B cannot touch A's members", func(t *testing.T) {
		b := s.signedIn(t, s.b, account.Owner)
		d := b.Page(t, "/portal/members", http.StatusOK)
		if strings.Contains(d.Text(), staffEmail) || strings.Contains(d.Text(), ownerEmail) {
			t.Error("B sees A's members")
		}
		tok := webtest.CSRFOf(t, d)
		b.Page(t, fmt.Sprintf("/portal/members/%d/remove", staffID), http.StatusNotFound)
		b.Post(t, fmt.Sprintf("/portal/members/%d/remove", staffID), url.Values{"_csrf": {tok}}, http.StatusNotFound)
		b.Post(t, fmt.Sprintf("/portal/members/%d/role", staffID), url.Values{"_csrf": {tok}, "role": {"owner"}}, http.StatusNotFound)
		if s.count(t, `SELECT count(*) FROM users WHERE id = $1 AND status = 'active'`, staffID) != 1 {
			t.Error("B's requests changed A's member")
		}
	})

	t.Run("roles", func(t *testing.T) {
		d := owner.Page(t, "/portal/members", http.StatusOK)
		loc, _ := submit(t, owner, d, fmt.Sprintf(`form[action="/portal/members/%d/role"]`, staffID), url.Values{"role": {"owner"}}, http.StatusSeeOther)
		if loc != "/portal/members?done=role" {
			t.Errorf("role change went to %q", loc)
		}
		d = owner.Page(t, loc, http.StatusOK)
		if v := d.Find(fmt.Sprintf("#role-%d option[selected]", staffID)).AttrOr("value", ""); v != "owner" {
			t.Errorf("the staff member's role shows as %q", v)
		}
		submit(t, owner, d, fmt.Sprintf(`form[action="/portal/members/%d/role"]`, staffID), url.Values{"role": {"staff"}}, http.StatusSeeOther)
		_, odd, _ := owner.Post(t, fmt.Sprintf("/portal/members/%d/role", staffID), url.Values{"_csrf": {webtest.CSRFOf(t, d)}, "role": {"boss"}}, http.StatusUnprocessableEntity)
		if !strings.Contains(odd.Find(".notice-warn").Text(), "역할을 골라 주세요") || odd.Find("#inv-role-err").Length() != 0 {
			t.Errorf("unknown role: %q", odd.Find(".notice-warn").Text())
		}
		// The last owner cannot leave: the domain's reason, shown.
		_, last, _ := owner.Post(t, fmt.Sprintf("/portal/members/%d/remove", ownerID), url.Values{"_csrf": {webtest.CSRFOf(t, d)}}, http.StatusConflict)
		if !strings.Contains(last.Find(".notice-warn").Text(), "대표 계정이 하나 이상") {
			t.Errorf("last owner: %q", last.Find(".notice-warn").Text())
		}
	})

	t.Run("an operator acting for A", func(t *testing.T) {
		ctx := context.Background()
		op, sid, err := s.e.Accounts.SignIn(ctx, s.e.Operator(t), webtest.Password, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		op.SessionID = sid
		acting, err := s.e.Accounts.StartActingFor(account.NewContext(ctx, op), s.a)
		if err != nil {
			t.Fatal(err)
		}
		b := s.e.Shopper()
		b.Cookies["dure_session"] = acting
		d := b.Page(t, "/portal/members", http.StatusOK)
		submit(t, b, d, `form[action="/portal/members/invite"]`, url.Values{"email": {webtest.Email("onbehalf")}, "role": {"staff"}}, http.StatusSeeOther)
		if n := s.count(t, `SELECT count(*) FROM audit_log WHERE action = 'member.invite' AND on_behalf_enterprise_id = $1`, s.a); n != 1 {
			t.Errorf("%d invitations recorded as made on behalf of A", n)
		}
	})

	t.Run("remove", func(t *testing.T) {
		d := owner.Page(t, "/portal/members", http.StatusOK)
		confirm := d.Find(fmt.Sprintf(`a[href="/portal/members/%d/remove"]`, staffID)).AttrOr("href", "")
		if confirm == "" {
			t.Fatal("no 내보내기 link")
		}
		q := owner.Page(t, confirm, http.StatusOK)
		if !strings.Contains(q.Find("h1").Text(), "새 직원") {
			t.Errorf("confirm page %q", q.Find("h1").Text())
		}
		loc, _ := submit(t, owner, q, `form[action="`+confirm+`"]`, nil, http.StatusSeeOther)
		d = owner.Page(t, loc, http.StatusOK)
		if strings.Contains(d.Find(".members-table").Text(), staffEmail) || !strings.Contains(d.Find(".notice-ok").Text(), "내보냈습니다") {
			t.Error("the removed member is still listed")
		}
		resp, _ := staff.Do(t, http.MethodGet, "/portal", "", nil)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/account/signin") {
			t.Errorf("the removed member's session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

// TestAPIKeys: an owner creates a key, shown once; the list never shows it
// again; the key works until it is revoked. Staff and B are refused.
func TestAPIKeys(t *testing.T) {
	s := newShop(t)
	ctx := context.Background()
	owner := s.signedIn(t, s.a, account.Owner)

	doc := owner.Page(t, "/portal/keys", http.StatusOK)
	_, bad := submit(t, owner, doc, `form[action="/portal/keys"]`, url.Values{"name": {" "}}, http.StatusUnprocessableEntity)
	if msg := tiedError(t, bad, "key-name"); !strings.Contains(msg, "키 이름을 입력해 주세요") {
		t.Errorf("name error %q", msg)
	}

	_, made := submit(t, owner, doc, `form[action="/portal/keys"]`, url.Values{"name": {"재고 연동"}}, http.StatusOK)
	secret := made.Find("#new-key").AttrOr("value", "")
	if !strings.HasPrefix(secret, account.APIKeyPrefix) || len(secret) != 57 {
		t.Fatalf("new key %q", secret)
	}
	if !strings.Contains(made.Find(".key-secret").Text(), "지금 복사해 두세요") {
		t.Error("no warning to copy the key now")
	}
	if _, err := s.e.Accounts.ActorForAPIKey(ctx, secret); err != nil {
		t.Fatalf("the new key does not work: %v", err)
	}

	resp, body := owner.Do(t, http.MethodGet, "/portal/keys", "", nil)
	if resp.StatusCode != http.StatusOK || strings.Contains(body, secret) {
		t.Fatal("the list shows the key again")
	}
	list := webtest.Parse(t, body)
	row := text(list.Find(".keys-table tbody tr"))
	if !strings.Contains(row, "재고 연동") || !strings.Contains(row, secret[:11]) || !strings.Contains(row, "사용 중") {
		t.Errorf("key row %q", row)
	}
	keyID := s.count(t, `SELECT id FROM api_keys WHERE enterprise_id = $1`, s.a)

	t.Run("staff", func(t *testing.T) {
		st := s.signedIn(t, s.a, account.Staff)
		d := st.Page(t, "/portal/keys", http.StatusForbidden)
		if d.Find(".keys-table").Length() != 0 || !strings.Contains(d.Find("main").Text(), "대표 계정만") {
			t.Errorf("staff see %q", text(d.Find("main")))
		}
		tok := webtest.CSRFOf(t, d)
		st.Post(t, "/portal/keys", url.Values{"_csrf": {tok}, "name": {"몰래"}}, http.StatusForbidden)
		st.Post(t, fmt.Sprintf("/portal/keys/%d/revoke", keyID), url.Values{"_csrf": {tok}}, http.StatusForbidden)
	})

	t.Run("B", func(t *testing.T) {
		b := s.signedIn(t, s.b, account.Owner)
		d := b.Page(t, "/portal/keys", http.StatusOK)
		if d.Find(".keys-table").Length() != 0 {
			t.Error("B sees A's key")
		}
		b.Page(t, fmt.Sprintf("/portal/keys/%d/revoke", keyID), http.StatusNotFound)
		b.Post(t, fmt.Sprintf("/portal/keys/%d/revoke", keyID), url.Values{"_csrf": {webtest.CSRFOf(t, d)}}, http.StatusNotFound)
		if _, err := s.e.Accounts.ActorForAPIKey(ctx, secret); err != nil {
			t.Errorf("B's request revoked A's key: %v", err)
		}
	})

	confirm := list.Find(fmt.Sprintf(`a[href="/portal/keys/%d/revoke"]`, keyID)).AttrOr("href", "")
	if confirm == "" {
		t.Fatal("no 폐기 link")
	}
	q := owner.Page(t, confirm, http.StatusOK)
	loc, _ := submit(t, owner, q, `form[action="`+confirm+`"]`, nil, http.StatusSeeOther)
	d := owner.Page(t, loc, http.StatusOK)
	if got := text(d.Find(".keys-table tbody tr")); !strings.Contains(got, "폐기됨") || d.Find(`a[href$="/revoke"]`).Length() != 0 {
		t.Errorf("after revoking: %q", got)
	}
	if _, err := s.e.Accounts.ActorForAPIKey(ctx, secret); apperr.Code(err) != apperr.Unauthorized {
		t.Errorf("the revoked key: %v", err)
	}
	// Revoking again changes nothing.
	submit(t, owner, q, `form[action="`+confirm+`"]`, nil, http.StatusSeeOther)
	if n := s.count(t, `SELECT count(*) FROM audit_log WHERE action = 'api_key.revoke'`); n != 1 {
		t.Errorf("%d revocations recorded", n)
	}
}
