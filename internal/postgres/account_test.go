package postgres_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/migrations"
)

const testHash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"

func newAccountStore(t *testing.T) (*postgres.AccountStore, *pgxpool.Pool) {
	t.Helper()
	pool := testutil.NewDB(t)
	return postgres.NewAccountStore(pool), pool
}

func insertEnterprise(t *testing.T, pool *pgxpool.Pool, bn string) int64 {
	t.Helper()
	var id int64
	if err := pool.QueryRow(context.Background(), `INSERT INTO enterprises (external_id, name, type, business_number, region, representative)
		VALUES ($1, '기업', 'cooperative', $2, 'seoul', '대표') RETURNING id`, "ent-"+bn, bn).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAccountStoreEmailIsUniqueIgnoringCase(t *testing.T) {
	t.Parallel()
	s, _ := newAccountStore(t)
	ctx := context.Background()
	u := &account.User{Email: "kim@dure.test", Name: "김", Role: account.Consumer, Status: account.UserActive}
	if err := s.CreateUser(ctx, u, testHash); err != nil || u.ID == 0 || u.CreatedAt.IsZero() {
		t.Fatalf("CreateUser: %+v, %v", u, err)
	}
	dup := &account.User{Email: "KIM@Dure.Test", Name: "김", Role: account.Operator, Status: account.UserActive}
	err := s.CreateUser(ctx, dup, testHash)
	var e *apperr.Error
	if apperr.Code(err) != apperr.Conflict || !asErr(err, &e) || e.Fields["email"] == "" {
		t.Fatalf("duplicate in another case: %v; want Conflict with Fields[email]", err)
	}
	idn, err := s.FindIdentityByEmail(ctx, "KIM@dure.test")
	if err != nil || idn.User.ID != u.ID || idn.PasswordHash != testHash || idn.EnterpriseID != 0 {
		t.Errorf("FindIdentityByEmail = %+v, %v", idn, err)
	}
	if _, err := s.FindIdentityByEmail(ctx, "nobody@dure.test"); apperr.Code(err) != apperr.NotFound {
		t.Errorf("unknown address: %v", err)
	}
	if err := s.CreateUser(ctx, &account.User{Email: "x@dure.test", Name: "x", Role: account.Consumer, Status: account.UserActive}, "plaintext"); err == nil {
		t.Error("a password that is not an argon2id hash was stored")
	}
	if err := s.CreateMember(ctx, &account.User{Email: "m@dure.test", Name: "m", Role: account.EnterpriseStaff, Status: account.UserActive},
		testHash, 999, account.Owner); apperr.Code(err) != apperr.NotFound {
		t.Errorf("member of an unknown enterprise: %v; want NotFound", err)
	}
	if _, err := s.FindIdentityByEmail(ctx, "m@dure.test"); apperr.Code(err) != apperr.NotFound {
		t.Error("the user of a failed CreateMember was kept")
	}
}

func asErr(err error, target **apperr.Error) bool { return errors.As(err, target) }

func TestAccountStoreIdentityIsOneQueryOfMembershipAndActing(t *testing.T) {
	t.Parallel()
	s, pool := newAccountStore(t)
	ctx := context.Background()
	ent := insertEnterprise(t, pool, "1000000001")
	other := insertEnterprise(t, pool, "1000000002")
	if _, err := pool.Exec(ctx, `UPDATE enterprises SET status = 'suspended' WHERE id = $1`, other); err != nil {
		t.Fatal(err)
	}
	m := &account.User{Email: "m@dure.test", Name: "m", Role: account.EnterpriseStaff, Status: account.UserActive}
	if err := s.CreateMember(ctx, m, testHash, ent, account.Staff); err != nil {
		t.Fatal(err)
	}
	op := &account.User{Email: "op@dure.test", Name: "op", Role: account.Operator, Status: account.UserActive}
	if err := s.CreateUser(ctx, op, testHash); err != nil {
		t.Fatal(err)
	}
	idn, err := s.FindIdentity(ctx, m.ID, other) // acting-for is ignored for non-operators
	if err != nil || idn.EnterpriseID != ent || idn.EnterpriseStatus != "active" || idn.MemberRole != account.Staff || idn.ActingForID != 0 {
		t.Errorf("member identity = %+v, %v", idn, err)
	}
	idn, err = s.FindIdentity(ctx, op.ID, other)
	if err != nil || idn.EnterpriseID != 0 || idn.ActingForID != other || idn.ActingForStatus != "suspended" {
		t.Errorf("operator identity = %+v, %v", idn, err)
	}
	idn, err = s.FindIdentity(ctx, op.ID, 12345)
	if err != nil || idn.ActingForID != 0 {
		t.Errorf("operator acting for a missing enterprise = %+v, %v", idn, err)
	}
}

func TestAccountTokenIsUsedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	s, _ := newAccountStore(t)
	ctx := context.Background()
	u := &account.User{Email: "r@dure.test", Name: "r", Role: account.Consumer, Status: account.UserActive}
	if err := s.CreateUser(ctx, u, testHash); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	hash := sha256.Sum256([]byte("the token"))
	if err := s.CreateToken(ctx, &account.Token{Kind: account.TokenPasswordReset, Hash: hash[:], UserID: u.ID, Email: u.Email,
		ExpiresAt: now.Add(time.Hour)}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindToken(ctx, account.TokenEmailConfirm, hash[:], now); apperr.Code(err) != apperr.NotFound {
		t.Errorf("token of another kind: %v; want NotFound", err)
	}
	const n = 12
	var wg sync.WaitGroup
	codes := make(chan string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := s.ResetPassword(ctx, hash[:], strings.Replace(testHash, "m=64", fmt.Sprintf("m=%d", 64+i), 1), now)
			codes <- apperr.Code(err)
		}(i)
	}
	wg.Wait()
	close(codes)
	count := map[string]int{}
	for c := range codes {
		count[c]++
	}
	if count[""] != 1 || count[apperr.Conflict] != n-1 {
		t.Errorf("concurrent uses: %v; want exactly one success and the rest Conflict", count)
	}
	if _, err := s.FindToken(ctx, account.TokenPasswordReset, hash[:], now); apperr.Code(err) != apperr.Conflict {
		t.Errorf("FindToken after use: %v; want Conflict", err)
	}

	late := sha256.Sum256([]byte("late token"))
	if err := s.CreateToken(ctx, &account.Token{Kind: account.TokenPasswordReset, Hash: late[:], UserID: u.ID, Email: u.Email,
		ExpiresAt: now.Add(time.Hour)}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResetPassword(ctx, late[:], testHash, now.Add(time.Hour)); apperr.Code(err) != apperr.Invalid {
		t.Errorf("token at its expiry: %v; want Invalid", err)
	}
}

func TestAccountMemberRemovalAlwaysLeavesAnOwner(t *testing.T) {
	t.Parallel()
	s, pool := newAccountStore(t)
	ctx := context.Background()
	ent := insertEnterprise(t, pool, "1000000003")
	var owners []int64
	for i := 0; i < 2; i++ {
		u := &account.User{Email: fmt.Sprintf("owner%d@dure.test", i), Name: "대표", Role: account.EnterpriseStaff, Status: account.UserActive}
		if err := s.CreateMember(ctx, u, testHash, ent, account.Owner); err != nil {
			t.Fatal(err)
		}
		owners = append(owners, u.ID)
	}
	// Each owner removes the other at the same moment: one must lose.
	for round := 0; round < 5; round++ {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range owners {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs[i] = s.RemoveMember(ctx, ent, owners[1-i], time.Now(), nil)
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if code := apperr.Code(err); code != apperr.Conflict && code != apperr.NotFound {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		var left int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM enterprise_members WHERE enterprise_id = $1 AND role = 'owner'`, ent).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if ok != 1 || left != 1 {
			t.Fatalf("round %d: %d removals succeeded, %d owners left; want 1 and 1", round, ok, left)
		}
		// Put the removed owner back for the next round.
		var removed int64
		for i, err := range errs {
			if err == nil {
				removed = owners[1-i]
			}
		}
		if _, err := pool.Exec(ctx, `INSERT INTO enterprise_members (user_id, enterprise_id, role) VALUES ($1, $2, 'owner')`, removed, ent); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAccountAuditRecordsRoundTrip(t *testing.T) {
	t.Parallel()
	s, _ := newAccountStore(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, r := range []*account.AuditRecord{
		{At: at, ActorRole: "system", Action: "seed.run", Entity: "catalogue"},
		{At: at.Add(time.Minute), ActorUserID: 5, ActorRole: "operator", OnBehalfEnterpriseID: 3, EnterpriseID: 3,
			Action: "product.update", Entity: "product", EntityID: "77", Before: []byte(`{"stock":1}`), After: []byte(`{"stock":2}`)},
		{At: at.Add(2 * time.Minute), ActorAPIKeyID: 9, ActorRole: "enterprise", EnterpriseID: 4,
			Action: "product.update", Entity: "product", EntityID: "78", After: []byte(`{"stock":3}`)},
	} {
		if err := s.CreateAuditRecord(ctx, r); err != nil || r.ID == 0 {
			t.Fatalf("record %d: %v", i, err)
		}
	}
	recs, total, err := s.FindAuditRecords(ctx, account.AuditFilter{Entity: "product", Limit: 1})
	if err != nil || total != 2 || len(recs) != 1 || recs[0].EntityID != "78" || recs[0].ActorAPIKeyID != 9 || recs[0].Before != nil {
		t.Fatalf("newest product record = %+v, total %d, %v", recs, total, err)
	}
	recs, _, err = s.FindAuditRecords(ctx, account.AuditFilter{EnterpriseID: 3, ActorUserID: 5, Action: "product.update", EntityID: "77", Limit: 10})
	if err != nil || len(recs) != 1 || recs[0].OnBehalfEnterpriseID != 3 || !recs[0].At.Equal(at.Add(time.Minute)) {
		t.Fatalf("filtered = %+v, %v", recs, err)
	}
	recs, total, _ = s.FindAuditRecords(ctx, account.AuditFilter{From: at.Add(time.Minute), To: at.Add(2 * time.Minute), Limit: 10})
	if total != 1 || len(recs) != 1 || recs[0].EntityID != "77" {
		t.Errorf("From/To: %d records", total)
	}
}

// TestAccountMigrationDownAndUp applies 00001–00004 only (later migrations
// belong to others), takes 00004 down and up again on a fresh database.
func TestAccountMigrationDownAndUp(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	ctx := context.Background()
	// NewDB migrated everything; start over in a schema of our own.
	if _, err := pool.Exec(ctx, `CREATE SCHEMA mig`); err != nil {
		t.Fatal(err)
	}
	cfg := pool.Config().Copy()
	cfg.ConnConfig.RuntimeParams["search_path"] = "mig,public"
	cfg.MaxConns = 1
	own, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	sub := fstest.MapFS{}
	for _, name := range []string{"00001_catalogue.sql", "00002_orders.sql", "00003_search_synonyms.sql", "00004_accounts.sql"} {
		b, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		sub[name] = &fstest.MapFile{Data: b}
	}
	db := stdlib.OpenDBFromPool(own)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := own.Exec(ctx, `INSERT INTO mig.enterprises (external_id, name, type, business_number, region, representative, status, rejection_reason)
		VALUES ('a', 'a', 'cooperative', '1000000001', 'seoul', 'a', 'rejected', '사유')`); err != nil {
		t.Fatal(err)
	}
	if _, err := own.Exec(ctx, `INSERT INTO mig.enterprises (external_id, name, type, business_number, region, representative, status)
		VALUES ('b', 'b', 'cooperative', '1000000002', 'seoul', 'b', 'rejected')`); err == nil {
		t.Error("a rejection without a reason was stored")
	}
	if _, err := p.Down(ctx); err != nil {
		t.Fatalf("down: %v", err)
	}
	var status string
	if err := own.QueryRow(ctx, `SELECT status FROM mig.enterprises WHERE external_id = 'a'`).Scan(&status); err != nil || status != "suspended" {
		t.Errorf("after down: %q, %v", status, err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if v, err := p.GetDBVersion(ctx); err != nil || v != 4 {
		t.Errorf("version = %d, %v", v, err)
	}
}

// An invitation and a join are written with their audit records, in one
// transaction: a record the database refuses leaves no token, and a join
// whose record cannot be built creates no user and leaves the token usable.
func TestAccountInvitationAndJoinAreAuditedWithThem(t *testing.T) {
	t.Parallel()
	s, pool := newAccountStore(t)
	ctx := context.Background()
	ent := insertEnterprise(t, pool, "1000000005")
	now := time.Now()
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := pool.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	hash := sha256.Sum256([]byte("invitation"))
	tok := func() *account.Token {
		return &account.Token{Kind: account.TokenInvitation, Hash: hash[:], EnterpriseID: ent, Email: "new@dure.test",
			MemberRole: account.Staff, ExpiresAt: now.Add(time.Hour)}
	}
	refused := &account.AuditRecord{At: now, ActorRole: "operator", Entity: "invitation"} // no action: audit_log's CHECK
	if err := s.CreateToken(ctx, tok(), refused); err == nil {
		t.Fatal("CreateToken with a refused record succeeded")
	}
	if n := count(`SELECT count(*) FROM account_tokens WHERE email = 'new@dure.test'`); n != 0 {
		t.Fatalf("%d tokens without their record", n)
	}
	t1 := tok()
	rec := &account.AuditRecord{At: now, ActorRole: "enterprise_staff", EnterpriseID: ent, Action: "member.invite", Entity: "invitation"}
	if err := s.CreateToken(ctx, t1, rec); err != nil {
		t.Fatal(err)
	}
	if rec.ID == 0 || rec.EntityID != strconv.FormatInt(t1.ID, 10) {
		t.Errorf("invite record %+v: want it written with the token's id", rec)
	}

	failing := func(_, _ *account.User) (*account.AuditRecord, error) { return nil, errors.New("no record") }
	if _, err := s.AcceptInvitation(ctx, hash[:], &account.User{Name: "새 구성원"}, testHash, now, failing); err == nil {
		t.Fatal("AcceptInvitation without its record succeeded")
	}
	if n := count(`SELECT count(*) FROM users WHERE email = 'new@dure.test'`); n != 0 {
		t.Fatalf("%d users created without their record", n)
	}
	join := func(_, u *account.User) (*account.AuditRecord, error) {
		return &account.AuditRecord{At: now, ActorUserID: u.ID, ActorRole: string(u.Role), EnterpriseID: ent,
			Action: "member.join", Entity: "member", EntityID: strconv.FormatInt(u.ID, 10)}, nil
	}
	u := &account.User{Name: "새 구성원"}
	if _, err := s.AcceptInvitation(ctx, hash[:], u, testHash, now, join); err != nil {
		t.Fatalf("the token was used by the failed join: %v", err)
	}
	if n := count(`SELECT count(*) FROM audit_log WHERE action = 'member.join' AND actor_user_id = ` + strconv.FormatInt(u.ID, 10)); n != 1 {
		t.Errorf("%d join records, want 1", n)
	}
	if n := count(`SELECT count(*) FROM audit_log WHERE enterprise_id = ` + strconv.FormatInt(ent, 10)); n != 2 {
		t.Errorf("%d records, want the invitation's and the join's", n)
	}
}
