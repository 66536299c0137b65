package app_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// A member's session ends while they fill in a new product: the refused
// form keeps everything typed, they sign in again on that page, confirm,
// and the product is saved — nothing retyped.
func TestExpiredSessionMidFormLosesNothing(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	ent := e.Enterprises(t, 1)[0]
	email := e.Member(t, ent, account.Owner)
	b := e.Shopper()
	b.SignIn(t, email, webtest.Password)

	doc := b.Page(t, "/portal/products/new", http.StatusOK)
	if tok := webtest.FormValues(doc.Find(`header form[action="/account/signout"]`)).Get("_csrf"); tok == "" {
		t.Fatal("the portal's header has no sign-out form with its token")
	}
	form := webtest.FormValues(doc.Find(`form[action="/portal/products"]`).First())
	var cat int64
	if err := e.Pool.QueryRow(ctx, `SELECT id FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1`).Scan(&cat); err != nil {
		t.Fatal(err)
	}
	name := "세션이 끝나도 남는 수제 잼 300g"
	form.Set("name", name)
	form.Set("category_id", strconv.FormatInt(cat, 10))
	form.Set("consumer_price", "12000")
	form.Set("public_price", "11000")
	form.Set("stock", "7")

	// The session ends elsewhere (sign-out everywhere).
	a, _, err := e.Accounts.SignIn(ctx, email, webtest.Password, "192.0.2.20")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Accounts.SignOutEverywhere(account.NewContext(ctx, a), a.UserID); err != nil {
		t.Fatal(err)
	}

	_, page, _ := b.Post(t, "/portal/products", form, http.StatusUnauthorized)
	signin := page.Find(`form[action="/account/signin"]`)
	kept := webtest.FormValues(signin)
	if kept.Get("resume_action") != "/portal/products" || kept.Get("resume_data") == "" {
		t.Fatalf("the sign-in page does not carry the refused form: %v", kept)
	}
	kept.Set("email", email)
	kept.Set("password", webtest.Password)
	_, page, _ = b.Post(t, "/account/signin", kept, http.StatusOK)
	again := page.Find(`form[action="/portal/products"]`)
	values := webtest.FormValues(again)
	if values.Get("name") != name || values.Get("stock") != "7" || values.Get("_csrf") == "" {
		t.Fatalf("the continue page lost what was typed: %v", values)
	}
	loc, _, _ := b.Post(t, "/portal/products", values, http.StatusSeeOther)
	var n int
	if err := e.Pool.QueryRow(ctx, `SELECT count(*) FROM products WHERE name = $1 AND enterprise_id = $2`, name, ent).Scan(&n); err != nil || n != 1 {
		t.Fatalf("product saved %d times (%v), redirected to %q", n, err, loc)
	}

	// An expired page token while still signed in: confirm and save.
	doc = b.Page(t, "/portal/products/new", http.StatusOK)
	form = webtest.FormValues(doc.Find(`form[action="/portal/products"]`).First())
	form.Set("name", name+" 2")
	form.Set("category_id", strconv.FormatInt(cat, 10))
	form.Set("consumer_price", "12000")
	form.Set("public_price", "11000")
	form.Set("stock", "3")
	form.Set("_csrf", expiredToken(t, "s:"+b.Cookies["dure_session"]))
	_, page, _ = b.Post(t, "/portal/products", form, http.StatusForbidden)
	values = webtest.FormValues(page.Find(`form[action="/portal/products"]`))
	if values.Get("name") != name+" 2" {
		t.Fatalf("the token page lost what was typed: %v", values)
	}
	b.Post(t, "/portal/products", values, http.StatusSeeOther)

	// A form posted from another site (no token of ours, or a forged one)
	// is refused plainly: no page ever carries an attacker's values.
	form.Set("name", "남이 보낸 상품")
	for _, tok := range []string{"", "1.forged", values.Get("_csrf") + "x"} {
		form.Set("_csrf", tok)
		_, _, body := b.Post(t, "/portal/products", form, http.StatusForbidden)
		if strings.Contains(body, "남이 보낸 상품") || strings.Contains(body, "이어서 저장하기") {
			t.Errorf("token %q: the refusal carries the posted values", tok)
		}
	}
}

// expiredToken is a CSRF token this site signed for session an hour after
// its 12-hour life ended (the scheme of web.Kit.CSRFToken).
func expiredToken(t *testing.T, session string) string {
	exp := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	m := hmac.New(sha256.New, []byte(testutil.Config(t).CookieSecret))
	m.Write([]byte("csrf\x00" + session + "|" + exp))
	return exp + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
