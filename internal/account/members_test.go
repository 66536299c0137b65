package account_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
)

func TestInvitations(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ent := e.enterprise("푸른살림", account.EnterpriseActive)
	owner, _ := e.member(ent, "owner@dure.test", account.Owner)
	staff, _ := e.member(ent, "staff@dure.test", account.Staff)

	if _, err := e.svc.Invite(as(staff), ent, "new@dure.test", account.Staff); code(err) != apperr.Forbidden {
		t.Errorf("staff inviting: %v; want Forbidden", err)
	}
	if _, err := e.svc.Invite(as(owner), ent, "bad", "boss"); code(err) != apperr.Invalid || keys(fieldsOf(err)) != "email,role" {
		t.Errorf("bad invitation: %v %v", err, fieldsOf(err))
	}
	if _, err := e.svc.Invite(as(owner), ent, "STAFF@dure.test", account.Staff); code(err) != apperr.Conflict || fieldsOf(err)["email"] == "" {
		t.Errorf("inviting a member: %v", err)
	}
	inv, err := e.svc.Invite(as(owner), ent, "New@Dure.test", account.Staff)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Email != "new@dure.test" || inv.EnterpriseName != "푸른살림" || !inv.ExpiresAt.Equal(e.clock.Now().Add(account.InvitationTTL)) {
		t.Errorf("invitation = %+v", inv)
	}
	if list, err := e.svc.FindInvitations(as(staff), ent); err != nil || len(list) != 1 || list[0].ID != inv.ID {
		t.Errorf("FindInvitations = %v, %v", list, err)
	}
	path, tok := e.token("new@dure.test")
	if path != account.InvitationPath {
		t.Errorf("path = %q", path)
	}
	shown, err := e.svc.FindInvitation(ctx, tok)
	if err != nil || shown.EnterpriseName != "푸른살림" || shown.MemberRole != account.Staff {
		t.Fatalf("FindInvitation = %+v, %v", shown, err)
	}
	if _, err := e.svc.AcceptInvitation(ctx, tok, "", "짧음", "짧음"); code(err) != apperr.Invalid || keys(fieldsOf(err)) != "name,password" {
		t.Errorf("bad acceptance: %v %v", err, fieldsOf(err))
	}
	u, err := e.svc.AcceptInvitation(ctx, tok, "새직원", pw, pw)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "new@dure.test" || u.Role != account.EnterpriseStaff || u.EmailConfirmedAt == nil {
		t.Errorf("new member = %+v", u)
	}
	a, _ := e.signIn("new@dure.test", pw)
	if a.EnterpriseID != ent || a.MemberRole != account.Staff || a.EnterpriseStatus != account.EnterpriseActive {
		t.Errorf("new member's actor = %+v", a)
	}
	_, err = e.svc.AcceptInvitation(ctx, tok, "다시", pw, pw)
	if code(err) != apperr.Conflict {
		t.Fatalf("reused invitation: %v; want Conflict", err)
	}
	korean(t, "reused invitation", apperr.Message(err))
	if list, _ := e.svc.FindInvitations(as(owner), ent); len(list) != 0 {
		t.Errorf("used invitation still listed: %v", list)
	}
	if members, err := e.svc.FindMembers(as(staff), ent); err != nil || len(members) != 3 || members[0].MemberRole != account.Owner {
		t.Errorf("FindMembers = %v, %v", members, err)
	}

	if _, err := e.svc.Invite(as(owner), ent, "late@dure.test", account.Owner); err != nil {
		t.Fatal(err)
	}
	_, late := e.token("late@dure.test")
	e.clock.Add(account.InvitationTTL)
	_, err = e.svc.AcceptInvitation(ctx, late, "늦은사람", pw, pw)
	if code(err) != apperr.Invalid {
		t.Fatalf("expired invitation: %v; want Invalid", err)
	}
	korean(t, "expired invitation", apperr.Message(err))

	recs := e.audit(account.AuditFilter{EnterpriseID: ent})
	var actions []string
	for _, r := range recs {
		actions = append(actions, r.Action)
	}
	if strings.Join(actions, " ") != "member.invite member.join member.invite" {
		t.Errorf("audit = %v", actions)
	}
}

func TestRemoveMember(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	entA := e.enterprise("A협동조합", account.EnterpriseActive)
	entB := e.enterprise("B협동조합", account.EnterpriseActive)
	ownerA, _ := e.member(entA, "owner-a@dure.test", account.Owner)
	staffA, staffSession := e.member(entA, "staff-a@dure.test", account.Staff)
	ownerB, _ := e.member(entB, "owner-b@dure.test", account.Owner)

	if err := e.svc.RemoveMember(as(ownerA), entA, ownerA.UserID); code(err) != apperr.Conflict {
		t.Fatalf("removing the last owner: %v; want Conflict", err)
	} else {
		korean(t, "last owner", apperr.Message(err))
	}
	if err := e.svc.SetMemberRole(as(ownerA), entA, ownerA.UserID, account.Staff); code(err) != apperr.Conflict {
		t.Errorf("demoting the last owner: %v; want Conflict", err)
	}
	// B may not touch A's members, whether it names A or itself.
	if err := e.svc.RemoveMember(as(ownerB), entA, staffA.UserID); code(err) != apperr.NotFound {
		t.Errorf("B removing through A's id: %v; want NotFound", err)
	}
	if err := e.svc.RemoveMember(as(ownerB), entB, staffA.UserID); code(err) != apperr.NotFound {
		t.Errorf("B removing A's member through its own id: %v; want NotFound", err)
	}
	if _, err := e.svc.FindMembers(as(ownerB), entA); code(err) != apperr.NotFound {
		t.Errorf("B listing A's members: %v; want NotFound", err)
	}
	if err := e.svc.RemoveMember(as(staffA), entA, ownerA.UserID); code(err) != apperr.Forbidden {
		t.Errorf("staff removing the owner: %v; want Forbidden", err)
	}

	if err := e.svc.RemoveMember(as(ownerA), entA, staffA.UserID); err != nil {
		t.Fatal(err)
	}
	e.ended(staffSession, "removed member")
	if _, _, err := e.svc.SignIn(ctx, "staff-a@dure.test", pw, e.ip()); code(err) != apperr.Forbidden {
		t.Errorf("removed member signing in: %v; want Forbidden", err)
	}
	if members, _ := e.svc.FindMembers(as(ownerA), entA); len(members) != 1 {
		t.Errorf("members after removal: %d", len(members))
	}
	if err := e.svc.RemoveMember(as(ownerA), entA, staffA.UserID); code(err) != apperr.NotFound {
		t.Errorf("removing twice: %v; want NotFound", err)
	}

	// With a second owner, the first may go.
	second, _ := e.member(entA, "second@dure.test", account.Staff)
	if err := e.svc.SetMemberRole(as(ownerA), entA, second.UserID, account.Owner); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RemoveMember(as(ownerA), entA, ownerA.UserID); err != nil {
		t.Fatalf("removing one of two owners: %v", err)
	}
	recs := e.audit(account.AuditFilter{EnterpriseID: entA, Action: "member.remove"})
	if len(recs) != 2 || jsonField(recs[1].Before, "email") != "staff-a@dure.test" || recs[1].After != nil {
		t.Errorf("member.remove records: %+v", recs)
	}
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	entA := e.enterprise("A기업", account.EnterpriseActive)
	entB := e.enterprise("B기업", account.EnterpriseActive)
	ownerA, _ := e.member(entA, "owner-a@dure.test", account.Owner)
	staffA, _ := e.member(entA, "staff-a@dure.test", account.Staff)
	ownerB, _ := e.member(entB, "owner-b@dure.test", account.Owner)

	if _, _, err := e.svc.CreateAPIKey(as(staffA), entA, "재고 연동"); code(err) != apperr.Forbidden {
		t.Errorf("staff creating a key: %v", err)
	}
	if _, _, err := e.svc.CreateAPIKey(as(ownerA), entA, " "); code(err) != apperr.Invalid || fieldsOf(err)["name"] == "" {
		t.Errorf("nameless key: %v", err)
	}
	k, secret, err := e.svc.CreateAPIKey(as(ownerA), entA, "재고 연동")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "dure_") || len(secret) != 57 || !strings.HasPrefix(secret, k.Prefix) || len(k.Prefix) < 8 {
		t.Errorf("key %q, prefix %q", secret, k.Prefix)
	}
	var plain int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM api_keys WHERE key_hash = $1 OR name = $2 OR prefix = $2`, []byte(secret), secret).Scan(&plain); err != nil || plain != 0 {
		t.Errorf("the key is stored in plain text (%d, %v)", plain, err)
	}

	a, err := e.svc.ActorForAPIKey(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if a.Role != account.EnterpriseStaff || a.EnterpriseID != entA || a.APIKeyID != k.ID || a.UserID != 0 || a.SessionID != "" {
		t.Errorf("API actor = %+v", a)
	}
	if err := account.CanManageEnterprise(as(a), entA); err != nil {
		t.Errorf("API key managing its enterprise: %v", err)
	}
	if err := account.CanManageMembers(as(a), entA); code(err) != apperr.Forbidden {
		t.Errorf("API key managing members: %v; want Forbidden", err)
	}
	keys, err := e.svc.FindAPIKeys(as(ownerA), entA)
	if err != nil || len(keys) != 1 || keys[0].LastUsedAt == nil || !keys[0].LastUsedAt.Equal(e.clock.Now()) {
		t.Fatalf("FindAPIKeys = %+v, %v", keys, err)
	}
	// last_used_at moves at most once a minute.
	e.clock.Add(30 * time.Second)
	e.svc.ActorForAPIKey(ctx, secret) //nolint:errcheck
	keys, _ = e.svc.FindAPIKeys(as(ownerA), entA)
	if keys[0].LastUsedAt.Equal(e.clock.Now()) {
		t.Error("last_used_at written twice within a minute")
	}
	e.clock.Add(31 * time.Second)
	e.svc.ActorForAPIKey(ctx, secret) //nolint:errcheck
	keys, _ = e.svc.FindAPIKeys(as(ownerA), entA)
	if !keys[0].LastUsedAt.Equal(e.clock.Now()) {
		t.Error("last_used_at not written after a minute")
	}

	for _, bad := range []string{"", "dure_", flipLast(secret), strings.Replace(secret, "dure_", "durf_", 1)} {
		if _, err := e.svc.ActorForAPIKey(ctx, bad); code(err) != apperr.Unauthorized {
			t.Errorf("ActorForAPIKey(%q) = %v; want Unauthorized", bad, err)
		}
	}
	if _, err := e.svc.FindAPIKeys(as(ownerB), entA); code(err) != apperr.NotFound {
		t.Errorf("B listing A's keys: %v", err)
	}
	if err := e.svc.RevokeAPIKey(as(ownerB), entB, k.ID); code(err) != apperr.NotFound {
		t.Errorf("B revoking A's key through its own id: %v; want NotFound", err)
	}
	if err := e.svc.RevokeAPIKey(as(ownerB), entA, k.ID); code(err) != apperr.NotFound {
		t.Errorf("B revoking A's key: %v; want NotFound", err)
	}
	if _, err := e.svc.ActorForAPIKey(ctx, secret); err != nil {
		t.Fatalf("key after B's attempts: %v", err)
	}

	// Suspension refuses the key at once; reinstatement brings it back.
	if _, err := e.pool.Exec(ctx, `UPDATE enterprises SET status = 'suspended' WHERE id = $1`, entA); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ActorForAPIKey(ctx, secret); code(err) != apperr.Forbidden {
		t.Errorf("suspended enterprise's key: %v; want Forbidden", err)
	}
	if _, err := e.pool.Exec(ctx, `UPDATE enterprises SET status = 'active' WHERE id = $1`, entA); err != nil {
		t.Fatal(err)
	}

	if err := e.svc.RevokeAPIKey(as(ownerA), entA, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ActorForAPIKey(ctx, secret); code(err) != apperr.Unauthorized {
		t.Errorf("revoked key: %v; want Unauthorized", err)
	}
	if err := e.svc.RevokeAPIKey(as(ownerA), entA, k.ID); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	recs := e.audit(account.AuditFilter{Entity: "api_key"})
	if len(recs) != 3 || recs[2].Action != "api_key.create" || recs[2].EntityID != itoa(k.ID) || jsonField(recs[2].After, "prefix") != k.Prefix ||
		strings.Contains(string(recs[2].After), secret) {
		t.Errorf("api key audit: %+v", recs)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// flipLast changes the last character of a key.
func flipLast(s string) string {
	if s[len(s)-1] == 'a' {
		return s[:len(s)-1] + "b"
	}
	return s[:len(s)-1] + "a"
}

func TestSuspensionTakesEffectAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ent := e.enterprise("정지될기업", account.EnterpriseActive)
	_, sid := e.member(ent, "member@dure.test", account.Owner)
	if err := account.CanManageEnterprise(as(e.session(sid)), ent); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `UPDATE enterprises SET status = 'suspended' WHERE id = $1`, ent); err != nil {
		t.Fatal(err)
	}
	a := e.session(sid)
	if a.EnterpriseStatus != account.EnterpriseSuspended {
		t.Fatalf("status after suspension = %q", a.EnterpriseStatus)
	}
	if err := account.CanManageEnterprise(as(a), ent); code(err) != apperr.Forbidden {
		t.Errorf("suspended member managing: %v; want Forbidden", err)
	}
}
