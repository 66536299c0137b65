package account

import (
	"context"
	"errors"
	"strings"

	"github.com/dure-coop/dure/internal/apperr"
)

// memberView is how a member appears in the audit log.
func memberView(m *Member) map[string]any {
	return map[string]any{"user_id": m.User.ID, "email": m.User.Email, "name": m.User.Name, "role": m.MemberRole}
}

// FindMembers returns the enterprise's members, owners first
// (CanManageEnterprise: another enterprise's answer NotFound).
func (s *Service) FindMembers(ctx context.Context, enterpriseID int64) ([]*Member, error) {
	if err := CanManageEnterprise(ctx, enterpriseID); err != nil {
		return nil, err
	}
	return s.store.FindMembers(ctx, enterpriseID)
}

// FindInvitations returns the enterprise's pending invitations, newest first
// (CanManageEnterprise).
func (s *Service) FindInvitations(ctx context.Context, enterpriseID int64) ([]*Invitation, error) {
	if err := CanManageEnterprise(ctx, enterpriseID); err != nil {
		return nil, err
	}
	return s.store.FindInvitations(ctx, enterpriseID, s.Now())
}

// Invite mails an invitation to join the enterprise with role (link valid
// InvitationTTL) and records it in the audit log (CanManageMembers). Field
// errors: email (also Conflict when the address already has an account),
// role.
func (s *Service) Invite(ctx context.Context, enterpriseID int64, email string, role MemberRole) (*Invitation, error) {
	if err := CanManageMembers(ctx, enterpriseID); err != nil {
		return nil, err
	}
	f := apperr.Fields{}
	addr, msg := checkEmail(email)
	f.Add("email", msg)
	if role != Owner && role != Staff {
		f.Add("role", "역할을 골라 주세요.")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if _, err := s.store.FindIdentityByEmail(ctx, addr); err == nil {
		return nil, &apperr.Error{Code: apperr.Conflict, Message: "입력한 내용을 확인해 주세요.",
			Fields: map[string]string{"email": "이미 가입된 이메일 주소입니다. 다른 주소로 초대해 주세요."}}
	} else if apperr.Code(err) != apperr.NotFound {
		return nil, err
	}
	ent, err := s.store.FindEnterpriseRef(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	token, hash, err := newSecret()
	if err != nil {
		return nil, err
	}
	t := &Token{Kind: TokenInvitation, Hash: hash, EnterpriseID: enterpriseID, Email: addr, MemberRole: role,
		ExpiresAt: s.Now().Add(InvitationTTL)}
	rec, err := s.NewAuditRecord(ctx, AuditEntry{EnterpriseID: enterpriseID, Action: "member.invite", Entity: "invitation",
		After: map[string]any{"email": addr, "role": role}})
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateToken(ctx, t, rec); err != nil {
		return nil, err
	}
	inv := &Invitation{ID: t.ID, EnterpriseID: enterpriseID, EnterpriseName: ent.Name, Email: addr, MemberRole: role,
		ExpiresAt: t.ExpiresAt, CreatedAt: t.CreatedAt}
	if err := s.send(ctx, addr, "[두레] "+ent.Name+"에서 초대했습니다",
		ent.Name+"에서 두레 입점기업 관리 화면에 "+role.Label()+"(으)로 초대했습니다.\n\n"+
			"아래 링크에서 이름과 비밀번호를 정하면 가입이 끝납니다(7일 동안 유효).\n\n"+
			s.link(InvitationPath, token)+"\n\n모르는 기업의 초대라면 이 메일을 무시해 주세요."); err != nil {
		return nil, err
	}
	return inv, nil
}

// FindInvitation returns the invitation of a mailed token, for the page that
// accepts it: NotFound, Conflict (accepted already) or Invalid (expired),
// each with its Korean message.
func (s *Service) FindInvitation(ctx context.Context, token string) (*Invitation, error) {
	hash, err := tokenHash(TokenInvitation, token)
	if err != nil {
		return nil, err
	}
	t, err := s.store.FindToken(ctx, TokenInvitation, hash, s.Now())
	if err != nil {
		return nil, tokenErr(TokenInvitation, err)
	}
	ent, err := s.store.FindEnterpriseRef(ctx, t.EnterpriseID)
	if err != nil {
		return nil, tokenErr(TokenInvitation, err)
	}
	return &Invitation{ID: t.ID, EnterpriseID: t.EnterpriseID, EnterpriseName: ent.Name, Email: t.Email,
		MemberRole: t.MemberRole, ExpiresAt: t.ExpiresAt, CreatedAt: t.CreatedAt}, nil
}

// AcceptInvitation creates the invited person's account, a member of the
// inviting enterprise with the invited role, and uses the token (once). The
// address counts as confirmed: the link came to it. Field errors: name,
// password, password_confirm; token errors as FindInvitation's; Conflict
// when the address got an account meanwhile. The user is not signed in:
// call SignIn.
func (s *Service) AcceptInvitation(ctx context.Context, token, name, password, confirm string) (*User, error) {
	hash, err := tokenHash(TokenInvitation, token)
	if err != nil {
		return nil, err
	}
	t, err := s.store.FindToken(ctx, TokenInvitation, hash, s.Now())
	if err != nil {
		return nil, tokenErr(TokenInvitation, err)
	}
	f := apperr.Fields{}
	name = strings.TrimSpace(name)
	f.Add("name", checkName(name))
	checkNewPassword(f, password, confirm, t.Email)
	if err := f.Err(); err != nil {
		return nil, err
	}
	pw, err := s.HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &User{Name: name, Status: UserActive}
	// The joining person is the actor (there is none in ctx yet); the
	// token is the one the store uses, whose enterprise and role never
	// change.
	join := func(_, u *User) (*AuditRecord, error) {
		rec := &AuditRecord{At: s.Now(), ActorUserID: u.ID, ActorRole: string(u.Role), EnterpriseID: t.EnterpriseID,
			Action: "member.join", Entity: "member", EntityID: itoa(u.ID)}
		var err error
		rec.After, err = marshal(map[string]any{"user_id": u.ID, "email": u.Email, "name": u.Name, "role": t.MemberRole})
		return rec, err
	}
	_, err = s.store.AcceptInvitation(ctx, hash, u, pw, s.Now(), join)
	if apperr.Code(err) == apperr.Conflict && len(fieldsOf(err)) > 0 {
		return nil, apperr.Errorf(apperr.Conflict, "이미 가입된 이메일 주소입니다. 그 계정으로 로그인해 주세요.")
	}
	if err != nil {
		return nil, tokenErr(TokenInvitation, err)
	}
	return u, nil
}

func fieldsOf(err error) map[string]string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// findMember returns member userID of the enterprise, or NotFound.
func (s *Service) findMember(ctx context.Context, enterpriseID, userID int64) (*Member, error) {
	members, err := s.store.FindMembers(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		if m.User.ID == userID {
			return m, nil
		}
	}
	return nil, apperr.Errorf(apperr.NotFound, "찾는 구성원이 없습니다.")
}

// RemoveMember removes user userID from the enterprise (CanManageMembers):
// the account is disabled and signed out everywhere, and the audit log
// records it. NotFound when the user is not a member of that enterprise
// (another enterprise's member included); Conflict for its last owner.
func (s *Service) RemoveMember(ctx context.Context, enterpriseID, userID int64) error {
	if err := CanManageMembers(ctx, enterpriseID); err != nil {
		return err
	}
	m, err := s.findMember(ctx, enterpriseID, userID)
	if err != nil {
		return err
	}
	rec, err := s.NewAuditRecord(ctx, AuditEntry{EnterpriseID: enterpriseID, Action: "member.remove", Entity: "member",
		EntityID: itoa(userID), Before: memberView(m)})
	if err != nil {
		return err
	}
	err = s.store.RemoveMember(ctx, enterpriseID, userID, s.Now(), rec)
	if apperr.Code(err) == apperr.Conflict {
		return errLastOwner()
	}
	if err != nil {
		return notFound(err, "찾는 구성원이 없습니다.")
	}
	return s.sessions.DeleteUserSessions(ctx, userID, "")
}

func errLastOwner() error {
	return apperr.Errorf(apperr.Conflict, "기업에는 대표 계정이 하나 이상 있어야 합니다. 다른 구성원을 먼저 대표 계정으로 지정해 주세요.")
}

// SetMemberRole makes member userID an owner or staff (CanManageMembers),
// recorded in the audit log. NotFound as RemoveMember; Conflict when it
// would leave the enterprise without an owner; Invalid with Fields["role"]
// for an unknown role.
func (s *Service) SetMemberRole(ctx context.Context, enterpriseID, userID int64, role MemberRole) error {
	if err := CanManageMembers(ctx, enterpriseID); err != nil {
		return err
	}
	if role != Owner && role != Staff {
		return apperr.Fields{"role": "역할을 골라 주세요."}.Err()
	}
	m, err := s.findMember(ctx, enterpriseID, userID)
	if err != nil {
		return err
	}
	if m.MemberRole == role {
		return nil
	}
	after := memberView(m)
	after["role"] = role
	rec, err := s.NewAuditRecord(ctx, AuditEntry{EnterpriseID: enterpriseID, Action: "member.role", Entity: "member",
		EntityID: itoa(userID), Before: memberView(m), After: after})
	if err != nil {
		return err
	}
	err = s.store.SetMemberRole(ctx, enterpriseID, userID, role, rec)
	if apperr.Code(err) == apperr.Conflict {
		return errLastOwner()
	}
	return notFound(err, "찾는 구성원이 없습니다.")
}
