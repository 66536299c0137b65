package account_test

import (
	"context"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
)

// TestBrokenTextIsAFieldError: a NUL byte, broken UTF-8 or a control
// character in a name or an address is a Korean field error (PostgreSQL
// would refuse it with SQLSTATE 22021: a 500 before), and nothing is
// written.
func TestBrokenTextIsAFieldError(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, bad := range []string{"\x00", "\xff", "\x1b", "\u0085"} {
		in := account.SignUpInput{Name: "김" + bad + "두레", Email: "doore" + bad + "@example.kr", Phone: "010-1234-5678",
			Password: pw, PasswordConfirm: pw}
		_, err := e.svc.SignUp(ctx, in)
		if code(err) != apperr.Invalid || keys(fieldsOf(err)) != "email,name" {
			t.Errorf("SignUp with %q: %v, fields %s; want Invalid on email and name", bad, err, keys(fieldsOf(err)))
		}
		for k, msg := range fieldsOf(err) {
			korean(t, "SignUp "+k, msg)
		}
		_, _, err = e.svc.SignIn(ctx, "doore"+bad+"@example.kr", pw, e.ip())
		if code(err) != apperr.Invalid || keys(fieldsOf(err)) != "email" {
			t.Errorf("SignIn with %q: %v, fields %s; want Invalid on email", bad, err, keys(fieldsOf(err)))
		}
		if err := e.svc.RequestPasswordReset(ctx, "doore"+bad+"@example.kr"); code(err) != apperr.Invalid {
			t.Errorf("RequestPasswordReset with %q: %v, want Invalid", bad, err)
		}
	}
	var n int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d users written (%v)", n, err)
	}
}
