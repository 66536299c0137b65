// Package account is Dure's identity seam: users, their roles and memberships,
// the actor of a request carried in its context, and the rules (Can…) that say
// what an actor may see and change. It knows nothing of HTTP, PostgreSQL or
// Redis; services call the rules where they read and write, as
// benbjohnson/wtf's CanEditDial does.
package account

import (
	"context"

	"github.com/dure-coop/dure/internal/apperr"
)

// Role is what a user is to the co-op. A user has exactly one.
type Role string

// Roles.
const (
	Consumer        Role = "consumer"    // 개인 구매자
	EnterpriseStaff Role = "enterprise"  // 입점기업 구성원 (owner or staff of one enterprise)
	InstitutionUser Role = "institution" // 공공기관 구매담당자
	Operator        Role = "operator"    // 협동조합 운영자
)

var roleLabels = map[Role]string{
	Consumer: "개인 회원", EnterpriseStaff: "입점기업 회원", InstitutionUser: "기관 구매담당자", Operator: "운영자",
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// Label is the Korean name of the role.
func (r Role) Label() string { return roleLabels[r] }

// MemberRole is a user's place in their enterprise.
type MemberRole string

// Member roles: an owner also manages the enterprise's members and API keys.
const (
	Owner MemberRole = "owner" // 대표 계정
	Staff MemberRole = "staff" // 직원
)

// Label is the Korean name of the member role.
func (m MemberRole) Label() string {
	if m == Owner {
		return "대표 계정"
	}
	return "직원"
}

// Enterprise statuses the rules look at (the catalogue owns the full set).
const (
	EnterpriseActive    = "active"
	EnterpriseSuspended = "suspended"
)

// InstitutionRole is a buyer's place in their institution.
type InstitutionRole string

// Institution roles: exactly one admin per institution approves colleagues.
const (
	InstitutionAdmin InstitutionRole = "admin" // 기관 관리자
	InstitutionBuyer InstitutionRole = "buyer" // 구매담당자
)

// Label is the Korean name of the institution role.
func (r InstitutionRole) Label() string {
	if r == InstitutionAdmin {
		return "기관 관리자"
	}
	return "구매담당자"
}

// Institution statuses: a registration waits as pending and is approved
// (active) or rejected; an active institution may be suspended.
const (
	InstitutionPending   = "pending"
	InstitutionActive    = "active"
	InstitutionRejected  = "rejected"
	InstitutionSuspended = "suspended"
)

// Institution member statuses: a colleague waits as pending until the
// institution's admin approves them.
const (
	InstitutionMemberPending = "pending"
	InstitutionMemberActive  = "active"
)

// Actor is who is acting in a request: a signed-in user (through a session)
// or an enterprise's API key. A nil *Actor is anonymous.
type Actor struct {
	UserID int64
	Name   string
	Email  string
	Role   Role

	// EnterpriseID is the enterprise the actor acts for: its own (enterprise
	// members, and API keys) or, for an operator, the one it acts on behalf
	// of (대리 등록; OnBehalf is then true). 0 for nobody.
	EnterpriseID     int64
	EnterpriseStatus string     // EnterpriseActive, EnterpriseSuspended, …
	MemberRole       MemberRole // for enterprise members
	OnBehalf         bool       // an operator acting as EnterpriseID
	// HelpRequestID is the help desk request (애로 상담) an operator's acting
	// serves, 0 for none: audit records made while acting carry it.
	HelpRequestID int64

	// InstitutionID is the buyer's institution (institution users; 0 for
	// others), InstitutionStatus its status, InstitutionRole the buyer's
	// place in it and InstitutionMember whether the institution's admin has
	// approved them (InstitutionMemberActive) or not yet.
	InstitutionID     int64
	InstitutionStatus string
	InstitutionRole   InstitutionRole
	InstitutionMember string

	// SessionID is the session the actor came with ("" for an API key);
	// APIKeyID the key (0 for a session).
	SessionID string
	APIKeyID  int64
}

type actorKey struct{}

// NewContext returns ctx carrying a.
func NewContext(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// FromContext returns the actor in ctx, or nil when anonymous.
func FromContext(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// IsOperator reports whether a is a co-op operator (also while acting on
// behalf of an enterprise).
func (a *Actor) IsOperator() bool { return a != nil && a.Role == Operator }

// errSignIn is the rules' refusal of anonymous actors.
func errSignIn() error { return apperr.Errorf(apperr.Unauthorized, "로그인이 필요합니다.") }

// errNotActive is the refusal for members of an enterprise that is not
// active: pending and rejected applicants are told where their application
// stands, anyone else that the enterprise is suspended.
func errNotActive(status string) error {
	switch status {
	case EnterprisePending:
		return apperr.Errorf(apperr.Forbidden, "입점 신청을 심사하고 있습니다. 승인되면 입점기업 화면을 쓸 수 있습니다.")
	case EnterpriseRejected:
		return apperr.Errorf(apperr.Forbidden, "입점 신청이 반려되었습니다. 신청 현황에서 사유를 확인해 주세요.")
	}
	return apperr.Errorf(apperr.Forbidden, "입점이 정지된 기업입니다. 협동조합 운영자에게 문의해 주세요.")
}

// RequireUser returns Unauthorized for an anonymous actor.
func RequireUser(ctx context.Context) (*Actor, error) {
	a := FromContext(ctx)
	if a == nil {
		return nil, errSignIn()
	}
	return a, nil
}

// RequireOperator returns Unauthorized for anonymous actors and NotFound for
// everyone else who is not an operator (the console does not exist for them).
func RequireOperator(ctx context.Context) (*Actor, error) {
	a, err := RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role != Operator {
		return nil, apperr.Errorf(apperr.NotFound, "찾는 페이지가 없습니다.")
	}
	return a, nil
}

// EnterpriseScope returns the enterprise whose things the actor may manage
// in the portal: its own enterprise, or the one an operator acts for.
// Unauthorized when anonymous, Forbidden for other roles and for a
// suspended enterprise's members. Finders scope their queries by it, so that
// another enterprise's things answer not found.
func EnterpriseScope(ctx context.Context) (int64, error) {
	a, err := RequireUser(ctx)
	if err != nil {
		return 0, err
	}
	switch {
	case a.EnterpriseID == 0 || (a.Role != EnterpriseStaff && !(a.Role == Operator && a.OnBehalf)):
		return 0, apperr.Errorf(apperr.Forbidden, "입점기업 회원만 쓸 수 있는 화면입니다.")
	case a.Role == EnterpriseStaff && a.EnterpriseStatus != EnterpriseActive:
		return 0, errNotActive(a.EnterpriseStatus)
	}
	return a.EnterpriseID, nil
}

// CanManageEnterprise returns nil when the actor may manage enterprise id's
// products, stock, orders and members; NotFound when it is another
// enterprise's (its existence is not confirmed), and EnterpriseScope's errors.
func CanManageEnterprise(ctx context.Context, id int64) error {
	own, err := EnterpriseScope(ctx)
	if err != nil {
		return err
	}
	if own != id {
		return apperr.Errorf(apperr.NotFound, "찾는 항목이 없습니다.")
	}
	return nil
}

// CanManageMembers is CanManageEnterprise for owners (and operators acting
// on behalf): staff may not invite or remove members.
func CanManageMembers(ctx context.Context, id int64) error {
	if err := CanManageEnterprise(ctx, id); err != nil {
		return err
	}
	if a := FromContext(ctx); a.Role == EnterpriseStaff && a.MemberRole != Owner {
		return apperr.Errorf(apperr.Forbidden, "구성원 관리는 대표 계정만 할 수 있습니다.")
	}
	return nil
}

// errInstitutionNotActive is the refusal for institution users who may not
// buy yet (or any more), saying where things stand.
func errInstitutionNotActive(a *Actor) error {
	switch a.InstitutionStatus {
	case InstitutionPending:
		return apperr.Errorf(apperr.Forbidden, "기관 등록을 심사하고 있습니다. 협동조합이 승인하면 기관 구매 화면을 쓸 수 있습니다.")
	case InstitutionRejected:
		return apperr.Errorf(apperr.Forbidden, "기관 등록이 반려되었습니다. 기관 정보에서 사유를 확인해 주세요.")
	case InstitutionSuspended:
		return apperr.Errorf(apperr.Forbidden, "이용이 정지된 기관입니다. 협동조합 운영자에게 문의해 주세요.")
	}
	return apperr.Errorf(apperr.Forbidden, "기관 관리자가 가입을 승인하면 기관 구매 화면을 쓸 수 있습니다. 기관 관리자에게 승인을 요청해 주세요.")
}

// RequireInstitutionUser returns the actor when it is a signed-in
// institution user with an institution, whatever the institution's or the
// membership's status (for the pages that say where a registration
// stands). Unauthorized when anonymous, Forbidden for everyone else.
func RequireInstitutionUser(ctx context.Context) (*Actor, error) {
	a, err := RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role != InstitutionUser || a.InstitutionID == 0 || a.APIKeyID != 0 {
		return nil, apperr.Errorf(apperr.Forbidden, "기관 구매담당자만 쓸 수 있는 화면입니다.")
	}
	return a, nil
}

// RequireInstitutionBuyer returns the actor when it is an approved buyer
// (or the admin) of an active institution. Unauthorized when anonymous;
// Forbidden for other roles, and for buyers of a pending, rejected or
// suspended institution or not yet approved by their admin, with a message
// that says which.
func RequireInstitutionBuyer(ctx context.Context) (*Actor, error) {
	a, err := RequireInstitutionUser(ctx)
	if err != nil {
		return nil, err
	}
	if a.InstitutionStatus != InstitutionActive || a.InstitutionMember != InstitutionMemberActive {
		return nil, errInstitutionNotActive(a)
	}
	return a, nil
}

// InstitutionScope returns the institution whose things (quote requests,
// quotes, orders, documents, reports) the actor may see and change: an
// active buyer's own institution. Errors as RequireInstitutionBuyer's.
// Finders scope their queries by it, so that another institution's things
// answer not found.
func InstitutionScope(ctx context.Context) (int64, error) {
	a, err := RequireInstitutionBuyer(ctx)
	if err != nil {
		return 0, err
	}
	return a.InstitutionID, nil
}

// CanManageInstitution returns nil when the actor is the admin of
// institution id, which approves, declines and removes its colleagues and
// hands the admin role over. The admin of a pending institution may already
// approve colleagues; a rejected or suspended institution's may not.
// NotFound for another institution's id; Forbidden for buyers who are not
// its admin and for other roles.
func CanManageInstitution(ctx context.Context, id int64) error {
	a, err := RequireInstitutionUser(ctx)
	if err != nil {
		return err
	}
	switch {
	case a.InstitutionID != id:
		return apperr.Errorf(apperr.NotFound, "찾는 항목이 없습니다.")
	case a.InstitutionStatus != InstitutionActive && a.InstitutionStatus != InstitutionPending:
		return errInstitutionNotActive(a)
	case a.InstitutionRole != InstitutionAdmin:
		return apperr.Errorf(apperr.Forbidden, "구성원 관리는 기관 관리자만 할 수 있습니다.")
	}
	return nil
}
