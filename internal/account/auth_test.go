package account_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
)

func TestSignUpValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	good := account.SignUpInput{Name: "김두레", Email: "kim@dure.test", Phone: "01012345678", Password: pw, PasswordConfirm: pw}
	for _, tc := range []struct {
		name   string
		change func(*account.SignUpInput)
		fields string
	}{
		{"everything empty", func(in *account.SignUpInput) { *in = account.SignUpInput{} }, "email,name,password,phone"},
		{"bad e-mail", func(in *account.SignUpInput) { in.Email = "kim@" }, "email"},
		{"bad phone", func(in *account.SignUpInput) { in.Phone = "123" }, "phone"},
		{"short password", func(in *account.SignUpInput) { in.Password, in.PasswordConfirm = "짧은비번", "짧은비번" }, "password"},
		{"password is the e-mail", func(in *account.SignUpInput) { in.Password, in.PasswordConfirm = "KIM@dure.test", "KIM@dure.test" }, "password"},
		{"one repeated character", func(in *account.SignUpInput) { in.Password, in.PasswordConfirm = "0000000000", "0000000000" }, "password"},
		{"confirmation differs", func(in *account.SignUpInput) { in.PasswordConfirm = pw + "x" }, "password_confirm"},
		{"long name", func(in *account.SignUpInput) { in.Name = strings.Repeat("가", 51) }, "name"},
	} {
		in := good
		tc.change(&in)
		_, err := e.svc.SignUp(ctx, in)
		if code(err) != apperr.Invalid || keys(fieldsOf(err)) != tc.fields {
			t.Errorf("%s: %v, fields %v; want Invalid with %s", tc.name, err, fieldsOf(err), tc.fields)
			continue
		}
		for k, msg := range fieldsOf(err) {
			korean(t, tc.name+" "+k, msg)
		}
	}
	if len(e.mail.Sent()) != 0 {
		t.Fatalf("refused sign-ups sent mail: %v", e.mail.Sent())
	}

	u, err := e.svc.SignUp(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.Role != account.Consumer || u.Phone != "010-1234-5678" || u.EmailConfirmedAt != nil {
		t.Errorf("user = %+v", u)
	}
	dup := good
	dup.Email = "  KIM@Dure.Test "
	_, err = e.svc.SignUp(ctx, dup)
	if code(err) != apperr.Conflict || fieldsOf(err)["email"] == "" {
		t.Fatalf("duplicate e-mail (other case): %v, %v; want Conflict with Fields[email]", err, fieldsOf(err))
	}
	korean(t, "duplicate", fieldsOf(err)["email"])
}

func TestEmailConfirmation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signUp("confirm@dure.test")
	path, tok := e.token(u.Email)
	if path != account.ConfirmEmailPath {
		t.Errorf("link path = %q", path)
	}
	var stored int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM account_tokens WHERE token_hash = $1 OR encode(token_hash, 'escape') LIKE '%' || $2 || '%'`,
		[]byte(tok), tok).Scan(&stored); err != nil || stored != 0 {
		t.Errorf("the token is stored in plain text (%d rows, %v)", stored, err)
	}
	if err := e.svc.ConfirmEmail(ctx, tok); err != nil {
		t.Fatalf("ConfirmEmail: %v", err)
	}
	err := e.svc.ConfirmEmail(ctx, tok)
	if code(err) != apperr.Conflict {
		t.Errorf("second use: %v; want Conflict", err)
	}
	korean(t, "reuse", apperr.Message(err))
	a, _ := e.signIn(u.Email, pw)
	got, err := e.svc.FindUserByID(as(a), u.ID)
	if err != nil || got.EmailConfirmedAt == nil {
		t.Errorf("after confirming: %+v, %v", got, err)
	}

	late := e.signUp("late@dure.test")
	_, tok = e.token(late.Email)
	e.clock.Add(account.EmailConfirmTTL + time.Second)
	if err := e.svc.ConfirmEmail(ctx, tok); code(err) != apperr.Invalid {
		t.Errorf("expired token: %v; want Invalid", err)
	}
	if err := e.svc.ConfirmEmail(ctx, "not-a-token"); code(err) != apperr.NotFound {
		t.Errorf("malformed token: %v; want NotFound", err)
	}
	if err := e.svc.ConfirmEmail(ctx, strings.Repeat("A", 43)); code(err) != apperr.NotFound {
		t.Errorf("unknown token: %v; want NotFound", err)
	}
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signUp("signin@dure.test")

	a, sid := e.signIn("  SignIn@Dure.test", pw)
	if a.UserID != u.ID || a.Role != account.Consumer || a.SessionID != sid || a.Email != u.Email || a.Name != "김두레" {
		t.Errorf("actor = %+v", a)
	}
	if len(sid) != 43 || strings.Trim(sid, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		t.Errorf("session id %q is not 32 bytes of base64url", sid)
	}
	_, sid2 := e.signIn(u.Email, pw)
	if sid2 == sid {
		t.Error("a second sign-in reused the session id")
	}
	if got := e.session(sid); got.UserID != u.ID || got.SessionID != sid {
		t.Errorf("ActorForSession = %+v", got)
	}
	var last *time.Time
	if err := e.pool.QueryRow(ctx, `SELECT last_sign_in_at FROM users WHERE id = $1`, u.ID).Scan(&last); err != nil || last == nil {
		t.Errorf("last_sign_in_at not set: %v", err)
	}

	_, _, wrong := e.svc.SignIn(ctx, u.Email, pw+"x", e.ip())
	_, _, unknown := e.svc.SignIn(ctx, "nobody@dure.test", pw, e.ip())
	if code(wrong) != apperr.Unauthorized || code(unknown) != apperr.Unauthorized {
		t.Fatalf("wrong password: %v; unknown address: %v; want Unauthorized", wrong, unknown)
	}
	if apperr.Message(wrong) != apperr.Message(unknown) {
		t.Errorf("the messages tell accounts apart: %q vs %q", apperr.Message(wrong), apperr.Message(unknown))
	}
	korean(t, "wrong password", apperr.Message(wrong))
	if _, _, err := e.svc.SignIn(ctx, "", "", e.ip()); code(err) != apperr.Invalid || keys(fieldsOf(err)) != "email,password" {
		t.Errorf("empty form: %v %v", err, fieldsOf(err))
	}

	// A disabled user is refused at sign-in and loses the sessions they had.
	op, _ := e.operator("op@dure.test")
	if err := e.svc.DisableUser(as(op), u.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.SignIn(ctx, u.Email, pw, e.ip()); code(err) != apperr.Forbidden {
		t.Errorf("disabled: %v; want Forbidden", err)
	}
	e.ended(sid2, "disabled user's session")
	if err := e.svc.EnableUser(as(op), u.ID); err != nil {
		t.Fatal(err)
	}
	e.signIn(u.Email, pw)
	if err := e.svc.DisableUser(as(op), op.UserID); code(err) != apperr.Conflict {
		t.Errorf("operator disabling themselves: %v; want Conflict", err)
	}
	if err := e.svc.DisableUser(as(a), op.UserID); code(err) != apperr.NotFound {
		t.Errorf("consumer disabling: %v; want NotFound", err)
	}
}

func TestSignInRehashesOldPasswords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signUp("old@dure.test")
	old, err := account.HashPassword(pw, account.PasswordParams{Memory: 32, Time: 1, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, u.ID, old); err != nil {
		t.Fatal(err)
	}
	e.signIn(u.Email, pw)
	var now string
	if err := e.pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&now); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(now, "m=64,t=1,p=1") {
		t.Errorf("hash after sign-in = %q; want the service's parameters", now)
	}
	e.signIn(u.Email, pw)
}

// edgeWait sleeps past the end of the current fixed window of the real
// rate limiter when fewer than margin remain, so a test's attempts all
// fall in one window.
func edgeWait(window, margin time.Duration) {
	now := time.Now()
	if left := window - time.Duration(now.UnixNano()%int64(window)); left < margin {
		time.Sleep(left + 10*time.Millisecond)
	}
}

func TestSignInRateLimitPerAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signUp("brute@dure.test")
	other := e.signUp("other@dure.test")
	edgeWait(account.SignInAccountWindow, 30*time.Second)
	for i := 0; i < account.SignInAccountLimit; i++ {
		if _, _, err := e.svc.SignIn(ctx, u.Email, fmt.Sprintf("guess-%04d!", i), e.ip()); code(err) != apperr.Unauthorized {
			t.Fatalf("attempt %d: %v; want Unauthorized", i+1, err)
		}
	}
	_, _, err := e.svc.SignIn(ctx, strings.ToUpper(u.Email), pw, e.ip())
	if code(err) != apperr.TooMany {
		t.Fatalf("attempt %d with the right password: %v; want TooMany", account.SignInAccountLimit+1, err)
	}
	korean(t, "account limit", apperr.Message(err))
	// The lock is the account's, not the addresses' it came from.
	e.signIn(other.Email, pw)
}

func TestSignInRateLimitPerIP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signUp("victim@dure.test")
	edgeWait(account.SignInIPWindow, 10*time.Second)
	const ip = "203.0.113.9"
	for i := 0; i < account.SignInIPLimit; i++ {
		_, _, err := e.svc.SignIn(ctx, fmt.Sprintf("spray%d@dure.test", i), pw, ip)
		if code(err) != apperr.Unauthorized {
			t.Fatalf("attempt %d: %v; want Unauthorized", i+1, err)
		}
	}
	_, _, err := e.svc.SignIn(ctx, u.Email, pw, ip)
	if code(err) != apperr.TooMany {
		t.Fatalf("attempt %d from one address: %v; want TooMany", account.SignInIPLimit+1, err)
	}
	korean(t, "ip limit", apperr.Message(err))
	e.signIn(u.Email, pw) // another address still gets in
}

func TestSessionIdleAndAbsoluteTimeout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signUp("session@dure.test")

	_, sid := e.signIn(u.Email, pw)
	ttl := e.rdb.PTTL(ctx, e.sessionKey(sid)).Val()
	if ttl <= 0 || ttl > account.DefaultIdleTimeout {
		t.Errorf("Redis TTL of a new session = %v; want (0, %v]", ttl, account.DefaultIdleTimeout)
	}
	// Sliding: each use within the idle timeout keeps the session alive.
	for i := 0; i < 3; i++ {
		e.clock.Add(account.DefaultIdleTimeout - time.Minute)
		e.session(sid)
	}
	e.clock.Add(account.DefaultIdleTimeout)
	e.ended(sid, "idle for the idle timeout")

	// Absolute: used every hour, the session still ends 7 days after sign-in.
	_, sid = e.signIn(u.Email, pw)
	start := e.clock.Now()
	for e.clock.Now().Sub(start) < account.DefaultAbsoluteTimeout-time.Hour {
		e.clock.Add(time.Hour)
		e.session(sid)
	}
	e.clock.Add(time.Hour)
	e.ended(sid, "at the absolute timeout")
	if n := e.rdb.Exists(ctx, e.sessionKey(sid)).Val(); n != 0 {
		t.Error("an expired session was left in Redis")
	}

	if a, err := e.svc.ActorForSession(ctx, "forged"); a != nil || code(err) != apperr.Unauthorized {
		t.Errorf("malformed id: %v, %v", a, err)
	}
}

// sessionKey is the Redis key of a session (see redis.SessionStore).
func (e *env) sessionKey(sid string) string {
	keys := e.rdb.Keys(context.Background(), e.prefix+"sess:*").Val()
	for _, k := range keys {
		if strings.Contains(k, sid) {
			e.t.Fatalf("the session id is in a Redis key: %s", k)
		}
	}
	return e.prefix + "sess:" + sha256hex(sid)
}

func TestSignOutAndSignOutEverywhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signUp("everywhere@dure.test")
	other := e.signUp("bystander@dure.test")
	a1, s1 := e.signIn(u.Email, pw)
	_, s2 := e.signIn(u.Email, pw)
	_, s3 := e.signIn(u.Email, pw)
	ob, so := e.signIn(other.Email, pw)

	if err := e.svc.SignOut(ctx, s3); err != nil {
		t.Fatal(err)
	}
	e.ended(s3, "signed out")
	if err := e.svc.SignOut(ctx, s3); err != nil {
		t.Errorf("signing out twice: %v", err)
	}
	e.session(s1)

	if err := e.svc.SignOutEverywhere(as(ob), u.ID); code(err) != apperr.NotFound {
		t.Errorf("another user signing u out: %v; want NotFound", err)
	}
	if err := e.svc.SignOutEverywhere(as(a1), u.ID); err != nil {
		t.Fatal(err)
	}
	e.ended(s1, "signed out everywhere (this one)")
	e.ended(s2, "signed out everywhere (another)")
	e.session(so)
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signUp("change@dure.test")
	a, here := e.signIn(u.Email, pw)
	_, there := e.signIn(u.Email, pw)
	const next = "새-비밀번호-2026?"

	for _, tc := range []struct {
		current, next, confirm, field string
	}{
		{"", next, next, "current_password"},
		{pw + "x", next, next, "current_password"},
		{pw, "short", "short", "password"},
		{pw, next, next + "x", "password_confirm"},
		{pw, pw, pw, "password"},
	} {
		err := e.svc.ChangePassword(as(a), tc.current, tc.next, tc.confirm)
		if code(err) != apperr.Invalid || fieldsOf(err)[tc.field] == "" {
			t.Errorf("ChangePassword(%q, %q, %q) = %v %v; want Fields[%s]", tc.current, tc.next, tc.confirm, err, fieldsOf(err), tc.field)
		}
	}
	if err := e.svc.ChangePassword(ctx, pw, next, next); code(err) != apperr.Unauthorized {
		t.Errorf("anonymous: %v", err)
	}
	if err := e.svc.ChangePassword(as(a), pw, next, next); err != nil {
		t.Fatal(err)
	}
	e.session(here)
	e.ended(there, "the other session after a password change")
	if _, _, err := e.svc.SignIn(ctx, u.Email, pw, e.ip()); code(err) != apperr.Unauthorized {
		t.Errorf("old password: %v", err)
	}
	e.signIn(u.Email, next)
	if m, _ := e.mail.Last(u.Email); !strings.Contains(m.Subject, "비밀번호") {
		t.Errorf("no notice of the change: %+v", m)
	}
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signUp("reset@dure.test")
	_, before := e.signIn(u.Email, pw)
	sent := len(e.mail.Sent())

	// Unknown and known addresses get the same answer; only one gets mail.
	if err := e.svc.RequestPasswordReset(ctx, "nobody@dure.test"); err != nil {
		t.Fatalf("unknown address: %v", err)
	}
	if len(e.mail.Sent()) != sent {
		t.Fatal("mail sent to an address without an account")
	}
	if err := e.svc.RequestPasswordReset(ctx, "RESET@dure.test"); err != nil {
		t.Fatal(err)
	}
	path, first := e.token(u.Email)
	if path != account.ResetPasswordPath {
		t.Errorf("path = %q", path)
	}
	if err := e.svc.RequestPasswordReset(ctx, u.Email); err != nil {
		t.Fatal(err)
	}
	_, second := e.token(u.Email)
	if err := e.svc.CheckPasswordResetToken(ctx, first); err != nil {
		t.Errorf("CheckPasswordResetToken: %v", err)
	}
	const next = "다시-정한-비밀번호!"
	if err := e.svc.ResetPassword(ctx, first, "reset@dure.test", "reset@dure.test"); code(err) != apperr.Invalid || fieldsOf(err)["password"] == "" {
		t.Errorf("password = e-mail: %v", err)
	}
	if err := e.svc.ResetPassword(ctx, first, next, next); err != nil {
		t.Fatal(err)
	}
	e.ended(before, "session from before the reset")
	e.signIn(u.Email, next)

	err := e.svc.ResetPassword(ctx, first, "또-다른-비밀번호!", "또-다른-비밀번호!")
	if code(err) != apperr.Conflict {
		t.Fatalf("reused token: %v; want Conflict", err)
	}
	korean(t, "reused token", apperr.Message(err))
	if err := e.svc.ResetPassword(ctx, second, "또-다른-비밀번호!", "또-다른-비밀번호!"); code(err) != apperr.Conflict {
		t.Errorf("the other unused token after a reset: %v; want Conflict (voided)", err)
	}

	// Expiry.
	if err := e.svc.RequestPasswordReset(ctx, u.Email); err != nil {
		t.Fatal(err)
	}
	_, late := e.token(u.Email)
	e.clock.Add(account.PasswordResetTTL + time.Second)
	err = e.svc.ResetPassword(ctx, late, "늦은-비밀번호-입니다", "늦은-비밀번호-입니다")
	if code(err) != apperr.Invalid {
		t.Fatalf("expired token: %v; want Invalid", err)
	}
	korean(t, "expired token", apperr.Message(err))
	if err := e.svc.CheckPasswordResetToken(ctx, late); code(err) != apperr.Invalid {
		t.Errorf("CheckPasswordResetToken(expired) = %v", err)
	}

	// Beyond MailLimit requests an hour nothing more is sent, same answer.
	sent = len(e.mail.Sent())
	for i := 0; i < account.MailLimit+2; i++ {
		if err := e.svc.RequestPasswordReset(ctx, u.Email); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(e.mail.Sent()) - sent; got > account.MailLimit {
		t.Errorf("%d reset mails in a row", got)
	}
}

func TestActingOnBehalf(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ent := e.enterprise("햇살농원", account.EnterpriseActive)
	op, sid := e.operator("op@dure.test")
	if err := account.CanManageEnterprise(as(op), ent); code(err) != apperr.Forbidden {
		t.Fatalf("operator not acting: %v", err)
	}
	owner, _ := e.member(ent, "owner@dure.test", account.Owner)
	if _, err := e.svc.StartActingFor(as(owner), ent); code(err) != apperr.NotFound {
		t.Errorf("owner starting to act: %v; want NotFound", err)
	}
	if _, err := e.svc.StartActingFor(as(op), ent+1000); code(err) != apperr.NotFound {
		t.Errorf("unknown enterprise: %v; want NotFound", err)
	}

	acting, err := e.svc.StartActingFor(as(op), ent)
	if err != nil {
		t.Fatal(err)
	}
	if acting == sid {
		t.Fatal("the session was not rotated")
	}
	e.ended(sid, "the session before rotation")
	a := e.session(acting)
	if !a.OnBehalf || a.EnterpriseID != ent || a.Role != account.Operator || a.EnterpriseStatus != account.EnterpriseActive {
		t.Fatalf("acting actor = %+v", a)
	}
	if err := account.CanManageMembers(as(a), ent); err != nil {
		t.Errorf("acting operator managing members: %v", err)
	}
	// What the operator does now is filed under the enterprise, on behalf.
	if err := e.svc.Record(as(a), account.AuditEntry{Action: "product.update", Entity: "product", EntityID: "7",
		Before: map[string]int{"stock": 1}, After: map[string]int{"stock": 5}}); err != nil {
		t.Fatal(err)
	}
	back, err := e.svc.StopActing(as(a))
	if err != nil {
		t.Fatal(err)
	}
	e.ended(acting, "the acting session after StopActing")
	if a := e.session(back); a.OnBehalf || a.EnterpriseID != 0 {
		t.Errorf("after StopActing: %+v", a)
	}

	recs := e.audit(account.AuditFilter{EnterpriseID: ent})
	var got []string
	for _, r := range recs {
		got = append(got, r.Action)
		if r.ActorUserID != op.UserID || r.ActorRole != string(account.Operator) {
			t.Errorf("%s: actor %d/%s", r.Action, r.ActorUserID, r.ActorRole)
		}
		if r.Action == "product.update" {
			if r.OnBehalfEnterpriseID != ent || !jsonIs(r.Before, `{"stock":1}`) || !jsonIs(r.After, `{"stock":5}`) {
				t.Errorf("on-behalf record = %+v (before %s, after %s)", r, r.Before, r.After)
			}
		}
	}
	if strings.Join(got, " ") != "acting.stop product.update acting.start" {
		t.Errorf("audit = %v", got)
	}
	_ = ctx
}

func TestRecordAndFindAuditLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ent := e.enterprise("기록협동조합", account.EnterpriseActive)
	staff, _ := e.member(ent, "staff@dure.test", account.Staff)

	if err := e.svc.Record(ctx, account.AuditEntry{Action: "seed.run", Entity: "catalogue"}); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Hour)
	if err := e.svc.Record(as(staff), account.AuditEntry{Action: "product.create", Entity: "product", EntityID: "1",
		After: struct {
			Name  string `json:"name"`
			Price int64  `json:"price"`
		}{"사과", 12000}}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Record(as(staff), account.AuditEntry{Entity: "product"}); code(err) != apperr.Internal {
		t.Errorf("entry without action: %v", err)
	}
	if _, _, err := e.svc.FindAuditLog(as(staff), account.AuditFilter{}); code(err) != apperr.NotFound {
		t.Errorf("staff reading the audit log: %v; want NotFound", err)
	}

	recs := e.audit(account.AuditFilter{Entity: "product"})
	if len(recs) != 1 {
		t.Fatalf("product records = %d", len(recs))
	}
	r := recs[0]
	if r.ActorUserID != staff.UserID || r.ActorRole != "enterprise" || r.EnterpriseID != ent || r.OnBehalfEnterpriseID != 0 ||
		!jsonIs(r.After, `{"name":"사과","price":12000}`) || r.Before != nil {
		t.Errorf("record = %+v after=%s", r, r.After)
	}
	if sys := e.audit(account.AuditFilter{Action: "seed.run"}); len(sys) != 1 || sys[0].ActorRole != account.SystemActor || sys[0].ActorUserID != 0 {
		t.Errorf("system record = %+v", sys)
	}
	start := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	if got := e.audit(account.AuditFilter{From: start}); len(got) != 1 || got[0].Action != "product.create" {
		t.Errorf("From filter: %d records", len(got))
	}
	if got := e.audit(account.AuditFilter{To: start}); len(got) != 1 || got[0].Action != "seed.run" {
		t.Errorf("To filter: %d records", len(got))
	}
	if got := e.audit(account.AuditFilter{ActorUserID: staff.UserID, Limit: 1}); len(got) != 1 {
		t.Errorf("actor filter: %d", len(got))
	}
}

func TestSetupActor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	u := e.signUp("setup@dure.test")
	// Set-up code may act as the account any number of times: no sign-in
	// limit is spent, and the account can still sign in afterwards.
	for i := 0; i < account.SignInAccountLimit+2; i++ {
		a, err := e.svc.SetupActor(ctx, strings.ToUpper(u.Email))
		if err != nil {
			t.Fatalf("SetupActor %d: %v", i+1, err)
		}
		if a.UserID != u.ID || a.SessionID != "" {
			t.Fatalf("SetupActor = user %d session %q; want user %d and no session", a.UserID, a.SessionID, u.ID)
		}
	}
	e.signIn(u.Email, pw)
	if _, err := e.svc.SetupActor(ctx, "nobody@dure.test"); code(err) != apperr.Unauthorized {
		t.Fatalf("SetupActor of a missing account: %v; want Unauthorized", err)
	}
}
