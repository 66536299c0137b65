package shop_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// linkIn returns the path and query of the first link to path in the newest
// mail to addr.
func linkIn(t *testing.T, e *webtest.Env, addr, path string) string {
	t.Helper()
	m, ok := e.Mail.Last(addr)
	if !ok {
		t.Fatalf("no mail to %s", addr)
	}
	i := strings.Index(m.Body, path+"?token=")
	if i < 0 {
		t.Fatalf("mail to %s has no %s link:\n%s", addr, path, m.Body)
	}
	link := m.Body[i:]
	if j := strings.IndexAny(link, " \n"); j >= 0 {
		link = link[:j]
	}
	return link
}

func TestAccountSignUpSignInOut(t *testing.T) {
	e := webtest.NewEnv(t)
	b := e.Shopper()

	// Field errors keep what was typed (never the password) and say what is wrong.
	tok := b.CSRF(t, "/account/signup")
	_, doc, _ := b.Post(t, "/account/signup", url.Values{"_csrf": {tok}, "name": {"김두레"}, "email": {"not-an-email"},
		"password": {"short"}, "password_confirm": {"short"}}, http.StatusUnprocessableEntity)
	if v, _ := doc.Find("#f-name").Attr("value"); v != "김두레" {
		t.Errorf("name not kept: %q", v)
	}
	if doc.Find("#f-email-error").Text() == "" || doc.Find("#f-password-error").Text() == "" {
		t.Errorf("no field errors for e-mail and password")
	}
	if v, _ := doc.Find("#f-email").Attr("aria-describedby"); !strings.Contains(v, "f-email-error") {
		t.Errorf("e-mail error not tied to its field: %q", v)
	}
	if v, ok := doc.Find("#f-password").Attr("value"); ok && v != "" {
		t.Error("the password was echoed back")
	}

	// A guest cart becomes the account's cart at sign-up.
	pid, _ := e.Goods(t)
	addToCart(t, b, pid, "2")
	email := webtest.Email("shopper")
	tok = b.CSRF(t, "/account/signup")
	loc, _, _ := b.Post(t, "/account/signup", url.Values{"_csrf": {tok}, "name": {"김두레"}, "email": {email},
		"phone": {"010-2345-6789"}, "password": {webtest.Password}, "password_confirm": {webtest.Password}}, http.StatusSeeOther)
	if loc != "/account?welcome=1" || b.Cookies["dure_session"] == "" {
		t.Fatalf("sign-up went to %q, session %q", loc, b.Cookies["dure_session"])
	}
	doc = b.Page(t, "/account", http.StatusOK)
	if !strings.Contains(doc.Find("main").Text(), email) {
		t.Error("the account page does not show the e-mail")
	}
	var cj webtest.CartJSON
	b.API(t, http.MethodGet, "/api/v1/cart", nil, http.StatusOK, &cj)
	if len(cj.Data.Lines) != 1 || cj.Data.Lines[0].Quantity != 2 {
		t.Errorf("signed-in cart %+v, want the guest's 2 units", cj.Data.Lines)
	}

	// E-mail confirmation link from the mail.
	link := linkIn(t, e, email, "/account/confirm")
	resp, _ := b.Do(t, http.MethodGet, link, "", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("confirm link: %d", resp.StatusCode)
	}

	// The cart follows the account to another browser.
	other := e.Shopper()
	other.SignIn(t, email, webtest.Password)
	other.API(t, http.MethodGet, "/api/v1/cart", nil, http.StatusOK, &cj)
	if len(cj.Data.Lines) != 1 {
		t.Errorf("the account's cart in another browser: %+v", cj.Data.Lines)
	}

	// Sign out ends the session on the server: the old cookie is dead.
	old := b.Cookies["dure_session"]
	doc = b.Page(t, "/account", http.StatusOK)
	b.Post(t, "/account/signout", url.Values{"_csrf": {webtest.CSRFOf(t, doc)}}, http.StatusSeeOther)
	replay := e.Shopper()
	replay.Cookies["dure_session"] = old
	if loc := redirectOf(t, replay, "/account"); !strings.HasPrefix(loc, "/account/signin") {
		t.Errorf("a signed-out session still opens /account (went to %q)", loc)
	}
}

// redirectOf GETs target and returns where an anonymous visitor is sent.
func redirectOf(t *testing.T, b *webtest.Shopper, target string) string {
	t.Helper()
	resp, body := b.Do(t, http.MethodGet, target, "", nil)
	if resp.StatusCode == http.StatusUnauthorized {
		return "/account/signin (401)"
	}
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		t.Fatalf("GET %s: %d\n%s", target, resp.StatusCode, webtest.Truncate(body, 500))
	}
	return resp.Header.Get("Location")
}

func TestSessionFixationAndCSRF(t *testing.T) {
	e := webtest.NewEnv(t)
	email := e.Consumer(t)
	b := e.Shopper()
	// An attacker plants a session id before sign-in: sign-in issues a new one.
	b.Cookies["dure_session"] = "planted-session-id-0123456789abcdefghijklmno"
	b.SignIn(t, email, webtest.Password)
	if sid := b.Cookies["dure_session"]; sid == "" || strings.HasPrefix(sid, "planted") {
		t.Fatalf("session id not rotated at sign-in: %q", sid)
	}

	// CSRF: missing, another browser's and an expired token are refused.
	pw := url.Values{"current_password": {webtest.Password}, "password": {"another-password-1"}, "password_confirm": {"another-password-1"}}
	b.Post(t, "/account/password", pw, http.StatusForbidden)
	stranger := e.Shopper()
	foreign := stranger.CSRF(t, "/account/signin")
	pw.Set("_csrf", foreign)
	b.Post(t, "/account/password", pw, http.StatusForbidden)
	good := b.CSRF(t, "/account/password")
	exp, sig, _ := strings.Cut(good, ".")
	n, _ := strconv.ParseInt(exp, 10, 64)
	pw.Set("_csrf", strconv.FormatInt(n-13*3600, 10)+"."+sig) // an old expiry with this signature
	b.Post(t, "/account/password", pw, http.StatusForbidden)
	pw.Set("_csrf", good)
	if loc, _, _ := b.Post(t, "/account/password", pw, http.StatusSeeOther); loc != "/account?done=password" {
		t.Errorf("password change went to %q", loc)
	}
}

func TestSignInBruteForceAndReset(t *testing.T) {
	e := webtest.NewEnv(t)
	email := e.Consumer(t)
	b := e.Shopper()
	var last int
	for i := 0; i < 6; i++ {
		tok := b.CSRF(t, "/account/signin")
		resp, body := b.Do(t, http.MethodPost, "/account/signin", "application/x-www-form-urlencoded",
			strings.NewReader(url.Values{"_csrf": {tok}, "email": {email}, "password": {"wrong-password-" + strconv.Itoa(i)}}.Encode()))
		last = resp.StatusCode
		if i < 5 && (last != http.StatusUnauthorized || !strings.Contains(body, "비밀번호가 올바르지 않습니다")) {
			t.Fatalf("wrong password %d: status %d", i, last)
		}
		if i == 5 && !strings.Contains(body, "너무 많") {
			t.Errorf("6th try: no Korean rate-limit message")
		}
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("6th wrong password: %d, want 429", last)
	}

	// Reset through the mailed link: it works once.
	tok := b.CSRF(t, "/account/password/forgot")
	b.Post(t, "/account/password/forgot", url.Values{"_csrf": {tok}, "email": {email}}, http.StatusOK)
	link := linkIn(t, e, email, "/account/password/reset")
	token := regexp.MustCompile(`token=([^&]+)`).FindStringSubmatch(link)[1]
	doc := b.Page(t, link, http.StatusOK)
	form := url.Values{"_csrf": {webtest.CSRFOf(t, doc)}, "token": {token}, "password": {"brand-new-password-1"}, "password_confirm": {"brand-new-password-1"}}
	if loc, _, _ := b.Post(t, "/account/password/reset", form, http.StatusSeeOther); loc != "/account/signin?reset=1" {
		t.Errorf("reset went to %q", loc)
	}
	_, _, body := b.Post(t, "/account/password/reset", form, http.StatusConflict)
	if !strings.Contains(body, "이미") {
		t.Errorf("a reused reset link: no Korean message\n%s", webtest.Truncate(body, 800))
	}
}
