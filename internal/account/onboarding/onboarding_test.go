package onboarding_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"
)

const pw = "입점-신청-비밀번호!"

type env struct {
	t    *testing.T
	pool *pgxpool.Pool
	acc  *account.Service
	svc  *onboarding.Service
	mail *mail.Outbox
	ips  atomic.Int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := testutil.NewDB(t)
	rdb, prefix := testutil.NewRedis(t)
	store := postgres.NewAccountStore(pool)
	e := &env{t: t, pool: pool, mail: &mail.Outbox{}}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	acc, err := account.NewService(store, redis.NewSessionStore(rdb, prefix), e.mail, redis.NewRateLimiter(rdb, prefix),
		account.Config{BaseURL: "https://dure.test", Now: func() time.Time { return now },
			Password: account.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	e.acc = acc
	e.svc = onboarding.NewService(store, acc, e.mail, nil)
	return e
}

func (e *env) signIn(email string) (*account.Actor, string) {
	e.t.Helper()
	a, sid, err := e.acc.SignIn(context.Background(), email, pw, fmt.Sprintf("192.0.2.%d", e.ips.Add(1)))
	if err != nil {
		e.t.Fatalf("SignIn(%s): %v", email, err)
	}
	return a, sid
}

func (e *env) operator() *account.Actor {
	e.t.Helper()
	email := fmt.Sprintf("op%d@dure.test", e.ips.Add(1))
	if _, err := e.acc.CreateOperator(context.Background(), email, "운영자", pw); err != nil {
		e.t.Fatal(err)
	}
	a, _ := e.signIn(email)
	return a
}

func as(a *account.Actor) context.Context { return account.NewContext(context.Background(), a) }

func fieldsOf(err error) map[string]string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func keys(m map[string]string) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return strings.Join(ks, ",")
}

var hangul = regexp.MustCompile(`\p{Hangul}`)

// input is a valid application; 220-81-62517 has a good check digit.
func input(bn, owner string) onboarding.ApplicationInput {
	return onboarding.ApplicationInput{
		Name: "햇살농원 협동조합", BusinessNumber: bn, Type: catalog.Cooperative, CertNumber: "2019-협동-0123",
		CertValidUntil: "2027-06-30", Region: "gyeongbuk", Representative: "김민준", Phone: "054-870-1234",
		Email: "Farm@Example.kr", Address: "경상북도 청송군 청송읍 중앙로 1", Mission: "지역 농산물로 일자리를 만듭니다.",
		BankName: "농협은행", BankAccount: "301-0123-4567-81", BankHolder: "햇살농원 협동조합",
		OwnerName: "김민준", OwnerEmail: owner, OwnerPassword: pw, OwnerPasswordConfirm: pw,
	}
}

func TestApplyValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		change func(*onboarding.ApplicationInput)
		fields string
	}{
		{"empty form", func(in *onboarding.ApplicationInput) { *in = onboarding.ApplicationInput{} },
			"address,bank_account,bank_holder,bank_name,business_number,cert_number,email,mission,name,owner_email,owner_name,owner_password,phone,region,representative,type"},
		{"business number checksum", func(in *onboarding.ApplicationInput) { in.BusinessNumber = "220-81-62518" }, "business_number"},
		{"business number length", func(in *onboarding.ApplicationInput) { in.BusinessNumber = "220-81-6251" }, "business_number"},
		{"type", func(in *onboarding.ApplicationInput) { in.Type = "charity" }, "type"},
		{"region", func(in *onboarding.ApplicationInput) { in.Region = "tokyo" }, "region"},
		{"cert date format", func(in *onboarding.ApplicationInput) { in.CertValidUntil = "내년" }, "cert_valid_until"},
		{"cert expired", func(in *onboarding.ApplicationInput) { in.CertValidUntil = "2026-03-01" }, "cert_valid_until"},
		{"phone", func(in *onboarding.ApplicationInput) { in.Phone = "12-34" }, "phone"},
		{"bank account letters", func(in *onboarding.ApplicationInput) { in.BankAccount = "301-ABC-4567" }, "bank_account"},
		{"owner password", func(in *onboarding.ApplicationInput) { in.OwnerPassword, in.OwnerPasswordConfirm = "1234", "1234" }, "owner_password"},
		{"owner password confirm", func(in *onboarding.ApplicationInput) { in.OwnerPasswordConfirm = "다른-비밀번호-입니다" }, "owner_password_confirm"},
		{"owner e-mail", func(in *onboarding.ApplicationInput) { in.OwnerEmail = "owner@" }, "owner_email"},
		// What PostgreSQL would refuse (SQLSTATE 22021) is a field error.
		{"NUL and broken UTF-8", func(in *onboarding.ApplicationInput) {
			in.Name, in.Representative, in.Address, in.BankHolder = "햇살\x00농원", "김\xff", "청송군\x00", "햇살"[:4]
			in.OwnerName, in.CertNumber, in.BankName = "김\x1b", "2019\x00", "농협\x00"
			in.Email, in.OwnerEmail, in.BusinessNumber = "farm\x00@example.kr", "owner\x00@farm.kr", "220-81-6251\x00"
		}, "address,bank_holder,bank_name,business_number,cert_number,email,name,owner_email,owner_name,representative"},
		{"a control character in the mission", func(in *onboarding.ApplicationInput) { in.Mission = "일자리\x00" }, "mission"},
	} {
		in := input("220-81-62517", "owner@farm.kr")
		tc.change(&in)
		_, err := e.svc.Apply(ctx, in)
		if apperr.Code(err) != apperr.Invalid || keys(fieldsOf(err)) != tc.fields {
			t.Errorf("%s: %v, fields %s; want Invalid with %s", tc.name, err, keys(fieldsOf(err)), tc.fields)
			continue
		}
		for k, msg := range fieldsOf(err) {
			if !hangul.MatchString(msg) {
				t.Errorf("%s: %s message %q is not Korean", tc.name, k, msg)
			}
		}
	}
	var n int
	if err := e.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM enterprises) + (SELECT count(*) FROM users)`).Scan(&n); err != nil || n != 0 {
		t.Errorf("refused applications wrote %d rows (%v)", n, err)
	}
}

func TestApplyCreatesPendingEnterpriseAndOwner(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a, err := e.svc.Apply(ctx, input("2208162517", "Owner@Farm.kr"))
	if err != nil {
		t.Fatal(err)
	}
	ent := a.Enterprise
	if ent.ID == 0 || ent.Status != account.EnterprisePending || !strings.HasPrefix(ent.ExternalID, "app-") ||
		ent.BusinessNumber != "2208162517" || ent.Email != "farm@example.kr" || ent.Phone != "054-870-1234" ||
		ent.CertValidUntil == nil || ent.CertValidUntil.Format("2006-01-02") != "2027-06-30" || a.AppliedAt == nil {
		t.Errorf("enterprise = %+v", ent)
	}
	if a.Owner == nil || a.Owner.ID == 0 || a.Owner.Email != "owner@farm.kr" || a.Owner.Role != account.EnterpriseStaff {
		t.Fatalf("owner = %+v", a.Owner)
	}
	if m, ok := e.mail.Last("owner@farm.kr"); !ok || !strings.Contains(m.Body, account.ConfirmEmailPath) {
		t.Errorf("no confirmation mail to the owner: %+v", m)
	}

	// Duplicates: the same 사업자등록번호 (typed differently) and the owner's
	// address each name their field, and nothing is half-written.
	_, err = e.svc.Apply(ctx, input("220-81-62517", "someone@else.kr"))
	if apperr.Code(err) != apperr.Conflict || keys(fieldsOf(err)) != "business_number" {
		t.Errorf("duplicate business number: %v %v", err, fieldsOf(err))
	}
	_, err = e.svc.Apply(ctx, input("1248100998", "OWNER@farm.kr"))
	if apperr.Code(err) != apperr.Conflict || keys(fieldsOf(err)) != "owner_email" {
		t.Errorf("duplicate owner e-mail: %v %v", err, fieldsOf(err))
	}
	var ents, users int
	if err := e.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM enterprises), (SELECT count(*) FROM users)`).Scan(&ents, &users); err != nil || ents != 1 || users != 1 {
		t.Errorf("after refused duplicates: %d enterprises, %d users (%v); want 1 and 1", ents, users, err)
	}

	// The applicant signs in, sees the application, and the portal refuses.
	owner, _ := e.signIn("owner@farm.kr")
	if owner.EnterpriseID != ent.ID || owner.EnterpriseStatus != account.EnterprisePending || owner.MemberRole != account.Owner {
		t.Errorf("applicant actor = %+v", owner)
	}
	if _, err := account.EnterpriseScope(as(owner)); apperr.Code(err) != apperr.Forbidden || !strings.Contains(apperr.Message(err), "심사") {
		t.Errorf("pending applicant in the portal: %v", err)
	}
	got, err := e.svc.ApplicationStatus(as(owner))
	if err != nil || got.Enterprise.ID != ent.ID || got.Bank.Number != "301-0123-4567-81" {
		t.Errorf("ApplicationStatus = %+v, %v", got, err)
	}
}

func TestReviewIsOperatorOnlyAndAudited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	first, err := e.svc.Apply(ctx, input("220-81-62517", "first@farm.kr"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.svc.Apply(ctx, input("124-81-00998", "second@farm.kr"))
	if err != nil {
		t.Fatal(err)
	}
	applicant, applicantSession := e.signIn("first@farm.kr")
	if _, err := e.acc.SignUp(ctx, account.SignUpInput{Name: "소비자", Email: "c@dure.test", Phone: "010-1111-2222", Password: pw, PasswordConfirm: pw}); err != nil {
		t.Fatal(err)
	}
	consumer, _ := e.signIn("c@dure.test")
	for name, ctx := range map[string]context.Context{"anonymous": ctx, "consumer": as(consumer), "applicant": as(applicant)} {
		want := apperr.NotFound
		if name == "anonymous" {
			want = apperr.Unauthorized
		}
		if err := e.svc.Approve(ctx, first.Enterprise.ID); apperr.Code(err) != want {
			t.Errorf("%s approving: %v; want %s", name, err, want)
		}
		if err := e.svc.Reject(ctx, first.Enterprise.ID, "서류 미비"); apperr.Code(err) != want {
			t.Errorf("%s rejecting: %v; want %s", name, err, want)
		}
		if err := e.svc.Suspend(ctx, first.Enterprise.ID, "점검"); apperr.Code(err) != want {
			t.Errorf("%s suspending: %v; want %s", name, err, want)
		}
		if err := e.svc.Reinstate(ctx, first.Enterprise.ID); apperr.Code(err) != want {
			t.Errorf("%s reinstating: %v; want %s", name, err, want)
		}
		if _, _, err := e.svc.FindApplications(ctx, onboarding.ApplicationFilter{}); apperr.Code(err) != want {
			t.Errorf("%s listing: %v; want %s", name, err, want)
		}
	}

	op := e.operator()
	list, total, err := e.svc.FindApplications(as(op), onboarding.ApplicationFilter{Status: account.EnterprisePending})
	if err != nil || total != 2 || len(list) != 2 || list[0].Enterprise.ID != second.Enterprise.ID || list[1].Owner == nil ||
		list[1].Owner.Email != "first@farm.kr" {
		t.Fatalf("pending applications = %d/%d, %v", len(list), total, err)
	}
	if err := e.svc.Reject(as(op), first.Enterprise.ID, "  "); apperr.Code(err) != apperr.Invalid || fieldsOf(err)["reason"] == "" {
		t.Errorf("rejecting without a reason: %v", err)
	}
	if err := e.svc.Reject(as(op), first.Enterprise.ID, "인증서 사본이 흐려 읽을 수 없습니다."); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Approve(as(op), first.Enterprise.ID); apperr.Code(err) != apperr.Conflict {
		t.Errorf("approving a rejected application: %v; want Conflict", err)
	}
	if err := e.svc.Approve(as(op), second.Enterprise.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Approve(as(op), second.Enterprise.ID); apperr.Code(err) != apperr.Conflict {
		t.Errorf("approving twice: %v; want Conflict", err)
	}
	if err := e.svc.Approve(as(op), second.Enterprise.ID+100); apperr.Code(err) != apperr.NotFound {
		t.Errorf("unknown application: %v; want NotFound", err)
	}

	// The applicant's session sees the outcome at its next request.
	a, err := e.acc.ActorForSession(ctx, applicantSession)
	if err != nil || a.EnterpriseStatus != account.EnterpriseRejected {
		t.Fatalf("rejected applicant = %+v, %v", a, err)
	}
	got, err := e.svc.ApplicationStatus(as(a))
	if err != nil || got.RejectionReason != "인증서 사본이 흐려 읽을 수 없습니다." || got.ReviewedBy != op.UserID || got.ReviewedAt == nil {
		t.Errorf("rejected application = %+v, %v", got, err)
	}
	if m, _ := e.mail.Last("first@farm.kr"); !strings.Contains(m.Body, "인증서 사본이 흐려") {
		t.Errorf("rejection mail = %+v", m)
	}
	approved, _ := e.signIn("second@farm.kr")
	if approved.EnterpriseStatus != account.EnterpriseActive {
		t.Errorf("approved owner = %+v", approved)
	}
	if err := account.CanManageMembers(as(approved), second.Enterprise.ID); err != nil {
		t.Errorf("approved owner in the portal: %v", err)
	}

	recs, _, err := e.acc.FindAuditLog(as(op), account.AuditFilter{Entity: "enterprise"})
	if err != nil || len(recs) != 2 {
		t.Fatalf("audit = %d records, %v", len(recs), err)
	}
	byAction := map[string]*account.AuditRecord{}
	for _, r := range recs {
		byAction[r.Action] = r
		if r.ActorUserID != op.UserID || r.ActorRole != "operator" {
			t.Errorf("%s actor = %d %s", r.Action, r.ActorUserID, r.ActorRole)
		}
	}
	rej, app := byAction["application.reject"], byAction["application.approve"]
	if rej == nil || app == nil {
		t.Fatalf("actions = %v", byAction)
	}
	if field(rej.Before, "status") != "pending" || field(rej.After, "status") != "rejected" ||
		field(rej.After, "rejection_reason") != "인증서 사본이 흐려 읽을 수 없습니다." || rej.EnterpriseID != first.Enterprise.ID {
		t.Errorf("reject record: before %s after %s", rej.Before, rej.After)
	}
	if field(app.Before, "status") != "pending" || field(app.After, "status") != "active" || app.EntityID != fmt.Sprint(second.Enterprise.ID) {
		t.Errorf("approve record: before %s after %s", app.Before, app.After)
	}
	var outbox int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM search_outbox WHERE entity = 'enterprise'`).Scan(&outbox); err != nil || outbox != 2 {
		t.Errorf("outbox rows = %d (%v); want one per review", outbox, err)
	}
}

func field(doc json.RawMessage, key string) any {
	var m map[string]any
	if json.Unmarshal(doc, &m) != nil {
		return nil
	}
	return m[key]
}

func TestSuspendAndReinstate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a, err := e.svc.Apply(ctx, input("220-81-62517", "owner@farm.kr"))
	if err != nil {
		t.Fatal(err)
	}
	id := a.Enterprise.ID
	op := e.operator()
	if err := e.svc.Suspend(as(op), id, "점검"); apperr.Code(err) != apperr.Conflict {
		t.Errorf("suspending a pending application: %v; want Conflict", err)
	}
	if err := e.svc.Approve(as(op), id); err != nil {
		t.Fatal(err)
	}
	_, sid := e.signIn("owner@farm.kr")
	if err := e.svc.Suspend(as(op), id, ""); apperr.Code(err) != apperr.Invalid {
		t.Errorf("suspending without a reason: %v", err)
	}
	if err := e.svc.Suspend(as(op), id, "원산지 표시 위반 신고 확인 중"); err != nil {
		t.Fatal(err)
	}
	member, err := e.acc.ActorForSession(ctx, sid)
	if err != nil {
		t.Fatal(err)
	}
	if err := account.CanManageEnterprise(as(member), id); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("suspended member: %v; want Forbidden", err)
	}
	if err := e.svc.Reinstate(as(op), id); err != nil {
		t.Fatal(err)
	}
	member, _ = e.acc.ActorForSession(ctx, sid)
	if err := account.CanManageEnterprise(as(member), id); err != nil {
		t.Errorf("reinstated member: %v", err)
	}
	got, err := e.svc.FindApplication(as(op), id)
	if err != nil || got.Enterprise.Status != account.EnterpriseActive || got.RejectionReason != "" {
		t.Errorf("after reinstating: %+v, %v", got, err)
	}
}
