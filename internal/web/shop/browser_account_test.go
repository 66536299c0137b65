package shop_test

import (
	"net/http"
	"testing"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserAccountAccessible runs axe-core (WCAG 2.1 A and AA) over the
// account pages at a desktop and a phone width, as they first show and
// again with the errors of a wrong submission: no serious or critical
// violation. The Tab key reaches every control with a focus ring of at
// least 3:1.
func TestBrowserAccountAccessible(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)

	for _, path := range []string{"/account/signin", "/account/signup", "/account/password/forgot", "/join"} {
		b.CheckAxe(t, path)
		b.CheckFocus(t, path)
	}

	// Each form sent wrong, then checked as shown again with its errors.
	forms := []struct {
		path   string
		fields map[string]string
		submit string
		status int
		error  string // an element the errors show
	}{
		{"/account/signin", map[string]string{"#f-email": "nobody@dure.test", "#f-password": "wrong-password-1"},
			`form.account-form button[type="submit"]`, http.StatusUnauthorized, ".notice-warn"},
		{"/account/signup", map[string]string{"#f-name": "김", "#f-email": "not-an-address", "#f-password": "short", "#f-password_confirm": "other"},
			`form.account-form button[type="submit"]`, http.StatusUnprocessableEntity, "#f-email-error"},
		{"/account/password/forgot", map[string]string{"#f-email": "@"},
			`form.account-form button[type="submit"]`, http.StatusUnprocessableEntity, "#f-email-error"},
		{"/join", map[string]string{"#j-name": "두레 시험", "#j-business_number": "123-45-67890", "#j-owner_email": "x"},
			`form.join-form button[type="submit"]`, http.StatusUnprocessableEntity, "#j-business_number-error"},
	}
	for _, f := range forms {
		b.Open(f.path)
		b.Fill(f.fields)
		if st := b.Submit("send "+f.path+" wrong", f.submit); st != f.status {
			t.Errorf("%s sent wrong: status %d, want %d", f.path, st, f.status)
		}
		if !b.Has(f.error) {
			t.Errorf("%s sent wrong: no %s on the page shown again", f.path, f.error)
		}
		b.CheckAxeCurrent(t, f.path+" with errors")
	}

	email := e.Consumer(t)
	if landed := b.SignIn(email, webtest.Password); landed != "/account" {
		t.Errorf("a consumer's sign-in landed on %s, want /account", landed)
	}
	b.CheckAxe(t, "/account")
	b.CheckFocus(t, "/account")
	b.CheckAxe(t, "/account/password")
	b.Open("/account/password")
	b.Fill(map[string]string{"#f-current_password": "not-my-password", "#f-password": "short", "#f-password_confirm": "other"})
	b.Submit("change the password wrong", `form.account-form button[type="submit"]`)
	b.CheckAxeCurrent(t, "/account/password with errors")
}
