package account

import (
	"context"
	"strings"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/textin"
)

// newUser validates a name, address and password given by a trusted
// caller and hashes the password.
func (s *Service) newUser(name, email, password string, role Role) (*User, string, error) {
	f := apperr.Fields{}
	name = strings.TrimSpace(name)
	f.Add("name", checkName(name))
	addr, msg := checkEmail(email)
	f.Add("email", msg)
	f.Add("password", CheckPassword(password, addr))
	if err := f.Err(); err != nil {
		return nil, "", err
	}
	hash, err := s.HashPassword(password)
	if err != nil {
		return nil, "", err
	}
	now := s.Now()
	return &User{Email: addr, Name: name, Role: role, Status: UserActive, EmailConfirmedAt: &now}, hash, nil
}

// CreateOperator creates a co-op operator account with a confirmed address.
// It checks no actor: it is for the seeding command and other trusted
// callers, never for a request. Invalid with Fields (name, email, password);
// Conflict with Fields["email"] when the address has an account, so a
// seeding run can treat Conflict as "already there".
func (s *Service) CreateOperator(ctx context.Context, email, name, password string) (*User, error) {
	u, hash, err := s.newUser(name, email, password, Operator)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateUser(ctx, u, hash); err != nil {
		return nil, emailTaken(err, "email")
	}
	return u, nil
}

// CreateEnterpriseMember creates a member of an existing enterprise with a
// confirmed address, for the seeding command (no actor is checked). Errors
// as CreateOperator's, plus Invalid with Fields["role"] for an unknown role
// and NotFound for an unknown enterprise.
func (s *Service) CreateEnterpriseMember(ctx context.Context, enterpriseID int64, email, name, password string, role MemberRole) (*User, error) {
	if role != Owner && role != Staff {
		return nil, apperr.Fields{"role": "역할을 골라 주세요."}.Err()
	}
	u, hash, err := s.newUser(name, email, password, EnterpriseStaff)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateMember(ctx, u, hash, enterpriseID, role); err != nil {
		return nil, notFound(emailTaken(err, "email"), "찾는 기업이 없습니다.")
	}
	return u, nil
}

// FindUserByID returns a user: the signed-in user themselves, or anyone for
// an operator; NotFound otherwise.
func (s *Service) FindUserByID(ctx context.Context, id int64) (*User, error) {
	a, err := RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if a.UserID != id && !a.IsOperator() {
		return nil, apperr.Errorf(apperr.NotFound, "찾는 회원이 없습니다.")
	}
	return s.store.FindUserByID(ctx, id)
}

// userQueryRule is the operator console's user search (textin's rule).
var userQueryRule = textin.Rule{Label: "검색어", Max: 100}

// FindUsers returns users matching f, newest first, and their total
// (RequireOperator). Limit defaults to 50 and is at most 500.
func (s *Service) FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error) {
	if _, err := RequireOperator(ctx); err != nil {
		return nil, 0, err
	}
	switch {
	case f.Limit <= 0:
		f.Limit = 50
	case f.Limit > 500:
		f.Limit = 500
	}
	f.Offset = max(f.Offset, 0)
	f.Query = strings.TrimSpace(f.Query)
	if msg := userQueryRule.Message(f.Query); msg != "" {
		return nil, 0, &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"q": msg}}
	}
	return s.store.FindUsers(ctx, f)
}

// DisableUser stops a user from signing in and ends their sessions
// (RequireOperator), recorded in the audit log. Conflict for the operator's
// own account.
func (s *Service) DisableUser(ctx context.Context, id int64) error {
	return s.setUserStatus(ctx, id, UserDisabled)
}

// EnableUser lets a disabled user sign in again (RequireOperator), recorded
// in the audit log.
func (s *Service) EnableUser(ctx context.Context, id int64) error {
	return s.setUserStatus(ctx, id, UserActive)
}

func (s *Service) setUserStatus(ctx context.Context, id int64, status string) error {
	a, err := RequireOperator(ctx)
	if err != nil {
		return err
	}
	if a.UserID == id {
		return apperr.Errorf(apperr.Conflict, "자기 계정의 상태는 바꿀 수 없습니다.")
	}
	u, err := s.store.FindUserByID(ctx, id)
	if err != nil {
		return notFound(err, "찾는 회원이 없습니다.")
	}
	if u.Status == status {
		return nil
	}
	rec, err := s.NewAuditRecord(ctx, AuditEntry{Action: "user.status", Entity: "user", EntityID: itoa(id),
		Before: map[string]any{"status": u.Status}, After: map[string]any{"status": status}})
	if err != nil {
		return err
	}
	if err := s.store.SetUserStatus(ctx, id, status, s.Now(), rec); err != nil {
		return err
	}
	if status == UserDisabled {
		return s.sessions.DeleteUserSessions(ctx, id, "")
	}
	return nil
}
