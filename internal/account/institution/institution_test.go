package institution_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"
)

const pw = "기관-등록-비밀번호!"

type env struct {
	t    *testing.T
	pool *pgxpool.Pool
	acc  *account.Service
	svc  *institution.Service
	mail *mail.Outbox
	seq  atomic.Int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := testutil.NewDB(t)
	rdb, prefix := testutil.NewRedis(t)
	store := postgres.NewAccountStore(pool)
	e := &env{t: t, pool: pool, mail: &mail.Outbox{}}
	acc, err := account.NewService(store, redis.NewSessionStore(rdb, prefix), e.mail, redis.NewRateLimiter(rdb, prefix),
		account.Config{BaseURL: "https://dure.test", Password: account.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	e.acc, e.svc = acc, institution.NewService(store, acc, e.mail, nil)
	return e
}

// brn returns a valid 사업자등록번호 (its checksum right) from a seed.
func brn(seed int64) string {
	d9 := fmt.Sprintf("%09d", 120000000+seed*7919%800000000)
	return d9 + fmt.Sprint(kr.BusinessNumberCheckDigit(d9))
}

func (e *env) input() institution.RegisterInput {
	n := e.seq.Add(1)
	return institution.RegisterInput{Name: fmt.Sprintf("대구광역시 %d구청", n), Kind: institution.Local,
		IDKind: institution.BusinessNumber, IDNumber: kr.FormatBusinessNumber(brn(n)), Postcode: "41911",
		RoadAddress: "대구광역시 중구 공평로 88", DetailAddress: "2층", Phone: "053-803-0114", Department: "회계과",
		UserName: "박구매", Email: fmt.Sprintf("buyer%d@gov.test", n), UserPhone: "010-2222-3333",
		Password: pw, PasswordConfirm: pw}
}

func (e *env) register() (*institution.Institution, string) {
	e.t.Helper()
	in := e.input()
	inst, err := e.svc.Register(context.Background(), in)
	if err != nil {
		e.t.Fatalf("Register: %v", err)
	}
	return inst, in.Email
}

func (e *env) signIn(email string) *account.Actor {
	e.t.Helper()
	a, _, err := e.acc.SignIn(context.Background(), email, pw, fmt.Sprintf("192.0.2.%d", e.seq.Add(1)%250))
	if err != nil {
		e.t.Fatalf("SignIn(%s): %v", email, err)
	}
	return a
}

func (e *env) operator() context.Context {
	e.t.Helper()
	email := fmt.Sprintf("op%d@dure.test", e.seq.Add(1))
	if _, err := e.acc.CreateOperator(context.Background(), email, "운영자", pw); err != nil {
		e.t.Fatal(err)
	}
	return as(e.signIn(email))
}

func (e *env) join(inst *institution.Institution) string {
	e.t.Helper()
	email := fmt.Sprintf("colleague%d@gov.test", e.seq.Add(1))
	_, _, err := e.svc.Join(context.Background(), institution.JoinInput{IDNumber: inst.FormattedID(),
		InstitutionName: inst.Name, Department: "총무과", UserName: "이동료", Email: email, Password: pw, PasswordConfirm: pw})
	if err != nil {
		e.t.Fatalf("Join: %v", err)
	}
	return email
}

// mailTo returns the last mail to addr whose subject contains word, or nil.
func (e *env) mailTo(addr, word string) *mail.Mail {
	for _, m := range e.mail.Sent() {
		if m.To == addr && strings.Contains(m.Subject, word) {
			return &m
		}
	}
	return nil
}

func as(a *account.Actor) context.Context { return account.NewContext(context.Background(), a) }

func userID(t *testing.T, pool *pgxpool.Pool, email string) int64 {
	t.Helper()
	var id int64
	if err := pool.QueryRow(context.Background(), `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func fieldsOf(err error) map[string]string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func count(t *testing.T, pool *pgxpool.Pool, q string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegisterMakesAPendingInstitutionWithItsAdmin(t *testing.T) {
	e := newEnv(t)
	inst, email := e.register()
	if inst.ID == 0 || inst.Status != account.InstitutionPending || len(inst.IDNumber) != 10 || strings.Contains(inst.IDNumber, "-") {
		t.Fatalf("registered %+v", inst)
	}
	a := e.signIn(email)
	if a.Role != account.InstitutionUser || a.InstitutionID != inst.ID || a.InstitutionRole != account.InstitutionAdmin ||
		a.InstitutionMember != account.InstitutionMemberActive || a.InstitutionStatus != account.InstitutionPending {
		t.Fatalf("actor %+v", a)
	}
	// Pending: not a buyer yet, and told so; but the admin may already manage colleagues.
	_, err := account.InstitutionScope(as(a))
	if apperr.Code(err) != apperr.Forbidden || !strings.Contains(apperr.Message(err), "심사") {
		t.Errorf("scope of a pending institution: %v", err)
	}
	if err := account.CanManageInstitution(as(a), inst.ID); err != nil {
		t.Errorf("admin of a pending institution: %v", err)
	}
	if err := account.CanManageInstitution(as(a), inst.ID+1); apperr.Code(err) != apperr.NotFound {
		t.Errorf("another institution: %v", err)
	}
	mine, err := e.svc.Mine(as(a))
	if err != nil || mine.ID != inst.ID || mine.Admin == nil || mine.Admin.Email != email {
		t.Errorf("Mine: %+v %v", mine, err)
	}
	var dept string
	if err := e.pool.QueryRow(context.Background(), `SELECT department FROM institution_members WHERE user_id = $1`, a.UserID).Scan(&dept); err != nil || dept != "회계과" {
		t.Errorf("department %q %v", dept, err)
	}
	if n := count(t, e.pool, `SELECT count(*) FROM audit_log WHERE institution_id = $1 AND action = 'institution.register' AND actor_user_id = $2`, inst.ID, a.UserID); n != 1 {
		t.Errorf("register audit rows: %d", n)
	}
}

func TestRegisterRefusals(t *testing.T) {
	e := newEnv(t)
	inst, email := e.register()
	cases := []struct {
		name  string
		edit  func(*institution.RegisterInput)
		field string
		code  string
	}{
		{"checksum", func(in *institution.RegisterInput) {
			d := brn(999)
			in.IDNumber = d[:9] + fmt.Sprint((int(d[9]-'0')+1)%10)
		}, "id_number", apperr.Invalid},
		{"short number", func(in *institution.RegisterInput) { in.IDNumber = "12345" }, "id_number", apperr.Invalid},
		{"kind", func(in *institution.RegisterInput) { in.Kind = "ministry" }, "kind", apperr.Invalid},
		{"postcode", func(in *institution.RegisterInput) { in.Postcode = "1234" }, "postcode", apperr.Invalid},
		{"road address", func(in *institution.RegisterInput) { in.RoadAddress = " " }, "road_address", apperr.Invalid},
		{"department", func(in *institution.RegisterInput) { in.Department = "" }, "department", apperr.Invalid},
		{"phone", func(in *institution.RegisterInput) { in.Phone = "12" }, "phone", apperr.Invalid},
		{"password confirm", func(in *institution.RegisterInput) { in.PasswordConfirm = "다른-비밀번호-1234" }, "password_confirm", apperr.Invalid},
		{"duplicate number", func(in *institution.RegisterInput) { in.IDNumber = inst.IDNumber }, "id_number", apperr.Conflict},
		{"duplicate email", func(in *institution.RegisterInput) { in.Email = strings.ToUpper(email) }, "email", apperr.Conflict},
	}
	before := count(t, e.pool, `SELECT count(*) FROM users`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := e.input()
			c.edit(&in)
			_, err := e.svc.Register(context.Background(), in)
			if apperr.Code(err) != c.code || fieldsOf(err)[c.field] == "" {
				t.Fatalf("err %v fields %v, want %s on %s", err, fieldsOf(err), c.code, c.field)
			}
		})
	}
	if after := count(t, e.pool, `SELECT count(*) FROM users`); after != before {
		t.Errorf("refused registrations left users: %d → %d", before, after)
	}
	// A 고유번호 has no checksum: the same digits are accepted as one.
	in := e.input()
	d := brn(999)
	in.IDKind, in.IDNumber = institution.UniqueNumber, d[:9]+fmt.Sprint((int(d[9]-'0')+1)%10)
	if _, err := e.svc.Register(context.Background(), in); err != nil {
		t.Errorf("고유번호: %v", err)
	}
}

func TestJoinApproveAndScope(t *testing.T) {
	e := newEnv(t)
	inst, adminEmail := e.register()
	op := e.operator()
	if err := e.svc.Approve(op, inst.ID); err != nil {
		t.Fatal(err)
	}
	// Wrong name or unknown number: the same field error, nothing written.
	before := count(t, e.pool, `SELECT count(*) FROM users`)
	for _, in := range []institution.JoinInput{
		{IDNumber: inst.IDNumber, InstitutionName: "다른 기관"},
		{IDNumber: "1111111111", InstitutionName: inst.Name},
	} {
		in.Department, in.UserName, in.Email, in.Password, in.PasswordConfirm = "총무과", "이동료", "x@gov.test", pw, pw
		_, _, err := e.svc.Join(context.Background(), in)
		if apperr.Code(err) != apperr.Invalid || !strings.Contains(fieldsOf(err)["id_number"], "등록된 기관이 없습니다") {
			t.Errorf("join %+v: %v %v", in, err, fieldsOf(err))
		}
	}
	if count(t, e.pool, `SELECT count(*) FROM users`) != before {
		t.Error("a refused join wrote a user")
	}

	// The name confirms the number ignoring spaces.
	email := fmt.Sprintf("colleague%d@gov.test", e.seq.Add(1))
	m, _, err := e.svc.Join(context.Background(), institution.JoinInput{IDNumber: inst.FormattedID(),
		InstitutionName: strings.ReplaceAll(inst.Name, " ", ""), Department: "총무과", UserName: "이동료", Email: email,
		Password: pw, PasswordConfirm: pw})
	if err != nil || m.Status != account.InstitutionMemberPending {
		t.Fatalf("Join: %+v %v", m, err)
	}
	if got := e.mailTo(adminEmail, "합류"); got == nil {
		t.Error("the admin was not told of the colleague")
	}
	colleague := e.signIn(email)
	if _, err := account.InstitutionScope(as(colleague)); apperr.Code(err) != apperr.Forbidden || !strings.Contains(apperr.Message(err), "기관 관리자") {
		t.Errorf("pending colleague's scope: %v", err)
	}
	if err := account.CanManageInstitution(as(colleague), inst.ID); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("a buyer manages: %v", err)
	}
	if err := e.svc.ApproveMember(as(colleague), inst.ID, colleague.UserID); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("self-approval: %v", err)
	}

	admin := e.signIn(adminEmail)
	if err := e.svc.ApproveMember(as(admin), inst.ID, colleague.UserID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ApproveMember(as(admin), inst.ID, colleague.UserID); apperr.Code(err) != apperr.Conflict {
		t.Errorf("approve twice: %v", err)
	}
	colleague = e.signIn(email)
	id, err := account.InstitutionScope(as(colleague))
	if err != nil || id != inst.ID {
		t.Fatalf("approved colleague's scope: %d %v", id, err)
	}
	if n := count(t, e.pool, `SELECT count(*) FROM audit_log WHERE institution_id = $1 AND action = 'institution_member.approve' AND actor_user_id = $2`, inst.ID, admin.UserID); n != 1 {
		t.Errorf("approve audit rows: %d", n)
	}

	// Another institution's admin cannot touch this one's members.
	other, otherEmail := e.register()
	otherAdmin := e.signIn(otherEmail)
	if err := e.svc.RemoveMember(as(otherAdmin), inst.ID, colleague.UserID); apperr.Code(err) != apperr.NotFound {
		t.Errorf("B removes A's member: %v", err)
	}
	if err := e.svc.RemoveMember(as(otherAdmin), other.ID, colleague.UserID); apperr.Code(err) != apperr.NotFound {
		t.Errorf("B removes A's member through its own id: %v", err)
	}
	if _, err := e.svc.FindMembers(as(otherAdmin), inst.ID); apperr.Code(err) != apperr.NotFound {
		t.Errorf("B lists A's members: %v", err)
	}
}

func TestDeclineRemoveAndTheOneAdmin(t *testing.T) {
	e := newEnv(t)
	inst, adminEmail := e.register()
	admin := e.signIn(adminEmail)
	c1 := userID(t, e.pool, e.join(inst))
	c2Email := e.join(inst)
	c2 := userID(t, e.pool, c2Email)

	// Hand-over needs an approved colleague.
	if err := e.svc.HandOverAdmin(as(admin), inst.ID, c1); apperr.Code(err) != apperr.Conflict {
		t.Errorf("hand over to a pending colleague: %v", err)
	}
	if err := e.svc.DeclineMember(as(admin), inst.ID, c2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.acc.SignIn(context.Background(), c2Email, pw, "192.0.2.200"); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("declined colleague signs in: %v", err)
	}
	if err := e.svc.RemoveMember(as(admin), inst.ID, admin.UserID); apperr.Code(err) != apperr.Conflict {
		t.Errorf("admin removes themselves: %v", err)
	}
	if err := e.svc.ApproveMember(as(admin), inst.ID, c1); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeclineMember(as(admin), inst.ID, c1); apperr.Code(err) != apperr.Conflict {
		t.Errorf("decline an active colleague: %v", err)
	}

	// The schema holds exactly one admin, whatever the code does.
	_, err := e.pool.Exec(context.Background(), `UPDATE institution_members SET role = 'admin' WHERE user_id = $1`, c1)
	if err == nil || !strings.Contains(err.Error(), "institution_members_one_admin") {
		t.Errorf("a second admin: %v", err)
	}

	// Two hand-overs at once: exactly one admin afterwards.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = e.svc.HandOverAdmin(as(admin), inst.ID, c1) }()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Errorf("concurrent hand-overs: %v, %v (want one to succeed)", errs[0], errs[1])
	}
	if n := count(t, e.pool, `SELECT count(*) FROM institution_members WHERE institution_id = $1 AND role = 'admin'`, inst.ID); n != 1 {
		t.Fatalf("%d admins", n)
	}
	var role string
	if err := e.pool.QueryRow(context.Background(), `SELECT role FROM institution_members WHERE user_id = $1`, c1).Scan(&role); err != nil || role != "admin" {
		t.Errorf("new admin's role %q %v", role, err)
	}
	// The old admin's session now holds a buyer, who manages nothing.
	old := e.signIn(adminEmail)
	if old.InstitutionRole != account.InstitutionBuyer || account.CanManageInstitution(as(old), inst.ID) == nil {
		t.Errorf("old admin: %+v", old)
	}
	if n := count(t, e.pool, `SELECT count(*) FROM audit_log WHERE institution_id = $1 AND action = 'institution_member.admin'`, inst.ID); n != 1 {
		t.Errorf("hand-over audit rows: %d", n)
	}
}

func TestOperatorReview(t *testing.T) {
	e := newEnv(t)
	inst, adminEmail := e.register()
	admin := e.signIn(adminEmail)
	if err := e.svc.Approve(as(admin), inst.ID); apperr.Code(err) != apperr.NotFound {
		t.Errorf("a buyer approves: %v", err)
	}
	op := e.operator()
	if err := e.svc.Reject(op, inst.ID, "  "); apperr.Code(err) != apperr.Invalid || fieldsOf(err)["reason"] == "" {
		t.Errorf("reject without a reason: %v", err)
	}
	if err := e.svc.Suspend(op, inst.ID, "점검"); apperr.Code(err) != apperr.Conflict {
		t.Errorf("suspend a pending institution: %v", err)
	}
	if err := e.svc.Reject(op, inst.ID, "고유번호증 사본과\r\n기관명이 다릅니다."); err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.FindInstitution(op, inst.ID)
	if err != nil || got.Status != account.InstitutionRejected || got.RejectionReason != "고유번호증 사본과\n기관명이 다릅니다." || got.ReviewedAt == nil {
		t.Fatalf("rejected: %+v %v", got, err)
	}
	if m := e.mailTo(adminEmail, "결과"); m == nil || !strings.Contains(m.Body, "기관명이 다릅니다") {
		t.Errorf("rejection mail: %+v", m)
	}
	admin = e.signIn(adminEmail)
	if _, err := account.InstitutionScope(as(admin)); !strings.Contains(apperr.Message(err), "반려") {
		t.Errorf("rejected scope: %v", err)
	}
	if err := e.svc.Approve(op, inst.ID); apperr.Code(err) != apperr.Conflict {
		t.Errorf("approve a rejected institution: %v", err)
	}

	// Approve, suspend, reinstate; the buyers follow at their next request.
	inst2, admin2Email := e.register()
	if err := e.svc.Approve(op, inst2.ID); err != nil {
		t.Fatal(err)
	}
	buyer := e.signIn(admin2Email)
	if _, err := account.InstitutionScope(as(buyer)); err != nil {
		t.Fatalf("active: %v", err)
	}
	if err := e.svc.Suspend(op, inst2.ID, ""); fieldsOf(err)["reason"] == "" {
		t.Errorf("suspend without a reason: %v", err)
	}
	if err := e.svc.Suspend(op, inst2.ID, "계약 위반 신고 점검"); err != nil {
		t.Fatal(err)
	}
	buyer = e.signIn(admin2Email)
	if _, err := account.RequireInstitutionBuyer(as(buyer)); apperr.Code(err) != apperr.Forbidden || !strings.Contains(apperr.Message(err), "정지") {
		t.Errorf("suspended buyer: %v", err)
	}
	if err := account.CanManageInstitution(as(buyer), inst2.ID); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("suspended admin manages: %v", err)
	}
	if _, _, err := e.svc.Join(context.Background(), institution.JoinInput{IDNumber: inst2.IDNumber, InstitutionName: inst2.Name,
		Department: "총무과", UserName: "이동료", Email: "late@gov.test", Password: pw, PasswordConfirm: pw}); apperr.Code(err) != apperr.Conflict {
		t.Errorf("join a suspended institution: %v", err)
	}
	if err := e.svc.Reinstate(op, inst2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := account.InstitutionScope(as(e.signIn(admin2Email))); err != nil {
		t.Errorf("reinstated: %v", err)
	}
	for _, action := range []string{"institution.reject", "institution.approve", "institution.suspend", "institution.reinstate"} {
		if n := count(t, e.pool, `SELECT count(*) FROM audit_log WHERE action = $1 AND institution_id IS NOT NULL AND actor_role = 'operator'`, action); n != 1 {
			t.Errorf("%s audit rows: %d", action, n)
		}
	}
	recs, _, err := e.acc.FindAuditLog(op, account.AuditFilter{InstitutionID: inst2.ID})
	if err != nil || len(recs) < 3 || recs[0].InstitutionID != inst2.ID {
		t.Errorf("audit by institution: %d %v", len(recs), err)
	}

	// The direct-contract limit.
	if err := e.svc.SetDirectContractLimit(op, inst2.ID, -1); fieldsOf(err)["limit"] == "" {
		t.Errorf("negative limit: %v", err)
	}
	if err := e.svc.SetDirectContractLimit(as(buyer), inst2.ID, 5); apperr.Code(err) != apperr.NotFound {
		t.Errorf("a buyer sets the limit: %v", err)
	}
	if err := e.svc.SetDirectContractLimit(op, inst2.ID, 22_000_000); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.FindInstitution(op, inst2.ID); got.DirectContractLimit != 22_000_000 {
		t.Errorf("limit %d", got.DirectContractLimit)
	}
	if err := e.svc.SetDirectContractLimit(op, inst2.ID, 0); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.pool, `SELECT count(*) FROM institutions WHERE id = $1 AND direct_contract_limit IS NULL`, inst2.ID); n != 1 {
		t.Error("limit 0 is not the default (NULL)")
	}
	list, total, err := e.svc.FindInstitutions(op, institution.Filter{Status: account.InstitutionActive})
	if err != nil || total != 1 || list[0].ID != inst2.ID || list[0].Admin == nil {
		t.Errorf("active list: %d %v", total, err)
	}
	if _, total, _ := e.svc.FindInstitutions(op, institution.Filter{Query: inst2.FormattedID()}); total != 1 {
		t.Errorf("by number: %d", total)
	}
}
