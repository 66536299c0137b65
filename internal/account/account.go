package account

import (
	"context"
	"encoding/json"
	"time"
)

// User statuses. A disabled user cannot sign in and loses every session.
const (
	UserActive   = "active"
	UserDisabled = "disabled"
)

// Enterprise statuses that onboarding adds to EnterpriseActive and
// EnterpriseSuspended: an application waits as pending and is either
// approved (active) or rejected.
const (
	EnterprisePending  = "pending"
	EnterpriseRejected = "rejected"
)

// User is a person who signs in. The password hash never leaves the store
// except inside an Identity.
type User struct {
	ID               int64
	Email            string // trimmed, lower-case
	Name             string
	Phone            string // 010-1234-5678, or "" when not asked
	Role             Role
	Status           string // UserActive or UserDisabled
	EmailConfirmedAt *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	LastSignInAt     *time.Time
}

// Identity is a user as sign-in and sessions need them, read in one query:
// the user, their password hash, their enterprise membership and, for an
// operator acting on behalf of an enterprise, that enterprise's status.
type Identity struct {
	User         User
	PasswordHash string

	// The user's own enterprise (enterprise members); 0 for others.
	EnterpriseID     int64
	EnterpriseStatus string
	MemberRole       MemberRole

	// ActingForID is the enterprise an operator's session acts for, when it
	// still exists (0 otherwise); ActingForStatus its status.
	ActingForID     int64
	ActingForStatus string

	// The user's institution (institution users); 0 for others.
	InstitutionID     int64
	InstitutionStatus string
	InstitutionRole   InstitutionRole
	InstitutionMember string // the membership's status
}

// UserFilter selects users for the operator console.
type UserFilter struct {
	Query  string // a part of the e-mail address or name
	Role   Role   // "" for all
	Limit  int
	Offset int
}

// Member is a user in an enterprise.
type Member struct {
	User       *User
	MemberRole MemberRole
	JoinedAt   time.Time
}

// TokenKind is what a mailed single-use token is for.
type TokenKind string

// Token kinds.
const (
	TokenEmailConfirm  TokenKind = "email_confirm"
	TokenPasswordReset TokenKind = "password_reset"
	TokenInvitation    TokenKind = "invitation"
)

// Token is a single-use token as stored: only the SHA-256 of the value that
// was mailed.
type Token struct {
	ID           int64
	Kind         TokenKind
	Hash         []byte
	UserID       int64 // whose (email_confirm, password_reset); 0 for invitations
	EnterpriseID int64 // invitations
	Email        string
	MemberRole   MemberRole // invitations
	ExpiresAt    time.Time
	UsedAt       *time.Time
	CreatedAt    time.Time
}

// Invitation is a pending invitation to join an enterprise, as the portal
// lists it and as the acceptance page shows it.
type Invitation struct {
	ID             int64
	EnterpriseID   int64
	EnterpriseName string
	Email          string
	MemberRole     MemberRole
	ExpiresAt      time.Time
	CreatedAt      time.Time
}

// EnterpriseRef is the little of an enterprise the account service needs.
type EnterpriseRef struct {
	ID     int64
	Name   string
	Status string
}

// APIKey is an enterprise's key for the API. The key itself is shown once,
// when created; afterwards only Prefix identifies it.
type APIKey struct {
	ID           int64
	EnterpriseID int64
	Name         string
	Prefix       string // the key's first characters, e.g. "dure_k3f9a2"
	CreatedBy    int64  // the user who created it (0 if unknown)
	CreatedAt    time.Time
	LastUsedAt   *time.Time
	RevokedAt    *time.Time

	// EnterpriseStatus is filled by Store.FindAPIKeyByHash.
	EnterpriseStatus string
}

// AuditEntry is an action to record in the audit log. The actor comes from
// the context; Before and After are any JSON-marshallable values (nil for
// none), e.g. the entity as it was and as it became.
type AuditEntry struct {
	EnterpriseID int64 // whose thing it is (0: the actor's own enterprise, if any)
	// InstitutionID is the institution it concerns (0: the actor's own, if any).
	InstitutionID int64
	// HelpRequestID is the help desk request it serves (0: the one the
	// operator's acting serves, if any).
	HelpRequestID int64
	Action        string // dotted verb, e.g. "product.update", "application.approve"
	Entity        string // e.g. "product", "enterprise", "member"
	EntityID      string
	Before        any
	After         any
}

// AuditRecord is a row of the audit log.
type AuditRecord struct {
	ID                   int64
	At                   time.Time
	ActorUserID          int64  // 0 for the system (seeding, workers) and API keys
	ActorRole            string // a Role, or "system"
	ActorAPIKeyID        int64
	OnBehalfEnterpriseID int64 // the enterprise an operator acted as (대리 등록)
	HelpRequestID        int64 // the help desk request the change was made for (0: none)
	EnterpriseID         int64
	InstitutionID        int64
	Action               string
	Entity               string
	EntityID             string
	Before               json.RawMessage // nil for none
	After                json.RawMessage
}

// AuditFilter selects audit records, newest first. Zero fields do not filter.
type AuditFilter struct {
	From, To     time.Time // From inclusive, To exclusive
	ActorUserID  int64
	EnterpriseID int64
	// InstitutionID selects an institution's records.
	InstitutionID int64
	Entity        string
	EntityID      string
	Action        string
	// HelpRequestID selects the records made for a help desk request.
	HelpRequestID int64
	Limit         int // default 50, at most 500
	Offset        int
}

// RateLimiter counts requests per key in fixed windows (internal/redis's
// RateLimiter has this shape).
type RateLimiter interface {
	// Allow counts one request for key and reports whether it is within
	// limit per window.
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error)
}

// Store is what the account service needs from the system of record. Every
// method returns apperr codes as documented; other errors are internal.
type Store interface {
	// CreateUser inserts u (ID, CreatedAt, UpdatedAt are set). Conflict with
	// Fields["email"] when the e-mail address is taken.
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	// CreateMember inserts u as a member of enterprise with role, in one
	// transaction. Conflict with Fields["email"] when the address is taken;
	// NotFound when the enterprise does not exist.
	CreateMember(ctx context.Context, u *User, passwordHash string, enterpriseID int64, role MemberRole) error
	// FindUserByID returns a user. NotFound if missing.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// FindUsers returns users matching f, newest first, and their total.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	// FindIdentityByEmail returns the identity of the user with that
	// (lower-case) e-mail address. NotFound if none.
	FindIdentityByEmail(ctx context.Context, email string) (*Identity, error)
	// FindIdentity returns the identity of user id; actingFor is the
	// enterprise an operator's session acts for (0 for none). NotFound if the
	// user is missing.
	FindIdentity(ctx context.Context, id, actingFor int64) (*Identity, error)
	// RecordSignIn sets the user's last sign-in time.
	RecordSignIn(ctx context.Context, userID int64, at time.Time) error
	// SetPassword replaces the user's password hash. NotFound if missing.
	SetPassword(ctx context.Context, userID int64, passwordHash string, at time.Time) error
	// SetUserStatus sets the user's status and writes audit (if not nil) in
	// the same transaction. NotFound if missing.
	SetUserStatus(ctx context.Context, userID int64, status string, at time.Time, audit *AuditRecord) error

	// CreateToken stores t (ID and CreatedAt are set) and audit (if not
	// nil; its EntityID becomes t's id) in one transaction.
	CreateToken(ctx context.Context, t *Token, audit *AuditRecord) error
	// FindToken returns the token of kind with hash, for showing a page
	// before it is used: NotFound when there is none, Conflict when it was
	// used, Invalid when it expired before at.
	FindToken(ctx context.Context, kind TokenKind, hash []byte, at time.Time) (*Token, error)
	// ConfirmEmail uses an email_confirm token and marks its user's address
	// confirmed, atomically; it returns the user id. Errors as FindToken's.
	ConfirmEmail(ctx context.Context, hash []byte, at time.Time) (int64, error)
	// ResetPassword uses a password_reset token, sets its user's password and
	// voids the user's other reset tokens, atomically; it returns the user id.
	// Errors as FindToken's.
	ResetPassword(ctx context.Context, hash []byte, passwordHash string, at time.Time) (int64, error)
	// AcceptInvitation uses an invitation token and creates u (its Email and
	// Role are taken from the token) as a member of the token's enterprise,
	// with the record audit (if not nil) builds from (nil, u), atomically;
	// it returns the token. Errors as FindToken's, plus Conflict
	// with Fields["email"] when the address was taken meanwhile (the token
	// then stays unused).
	AcceptInvitation(ctx context.Context, hash []byte, u *User, passwordHash string, at time.Time, audit AuditFunc[*User]) (*Token, error)
	// FindInvitations returns the enterprise's unused, unexpired invitations,
	// newest first.
	FindInvitations(ctx context.Context, enterpriseID int64, at time.Time) ([]*Invitation, error)

	// FindEnterpriseRef returns an enterprise of any status. NotFound if missing.
	FindEnterpriseRef(ctx context.Context, id int64) (*EnterpriseRef, error)
	// FindMembers returns the enterprise's members, owners first, then by name.
	FindMembers(ctx context.Context, enterpriseID int64) ([]*Member, error)
	// RemoveMember ends user's membership of enterprise and disables the
	// user, with audit (if not nil), in one transaction that serialises with
	// other member changes of the enterprise. NotFound when the user is not a
	// member of that enterprise; Conflict when they are its last owner.
	RemoveMember(ctx context.Context, enterpriseID, userID int64, at time.Time, audit *AuditRecord) error
	// SetMemberRole sets user's role in the enterprise, with audit (if not
	// nil), serialised as RemoveMember. NotFound when the user is not a member
	// of that enterprise; Conflict when the enterprise would have no owner.
	SetMemberRole(ctx context.Context, enterpriseID, userID int64, role MemberRole, audit *AuditRecord) error

	// CreateAPIKey stores k with the key's hash, and audit (if not nil), in
	// one transaction (ID and CreatedAt are set).
	CreateAPIKey(ctx context.Context, k *APIKey, hash []byte, audit *AuditRecord) error
	// FindAPIKeys returns the enterprise's keys, revoked ones too, newest first.
	FindAPIKeys(ctx context.Context, enterpriseID int64) ([]*APIKey, error)
	// FindAPIKeyByHash returns the key with that hash and its enterprise's
	// status. NotFound if none.
	FindAPIKeyByHash(ctx context.Context, hash []byte) (*APIKey, error)
	// TouchAPIKey sets the key's last use to at unless it was set less than a
	// minute before.
	TouchAPIKey(ctx context.Context, id int64, at time.Time) error
	// RevokeAPIKey revokes key id of the enterprise (a revoked key stays
	// revoked at its first time), with audit (if not nil), in one
	// transaction. NotFound when the enterprise has no such key.
	RevokeAPIKey(ctx context.Context, enterpriseID, id int64, at time.Time, audit *AuditRecord) error

	// CreateAuditRecord appends r to the audit log (ID is set): Record's,
	// for actions that change nothing else in the database.
	CreateAuditRecord(ctx context.Context, r *AuditRecord) error
	// FindAuditRecords returns the records matching f, newest first, and
	// their total.
	FindAuditRecords(ctx context.Context, f AuditFilter) ([]*AuditRecord, int, error)
}

// Session is a signed-in browser. Its ID is the cookie value.
type Session struct {
	ID        string
	UserID    int64
	CreatedAt time.Time
	LastSeen  time.Time
	// OnBehalfEnterpriseID is the enterprise an operator acts for (0 for none).
	OnBehalfEnterpriseID int64
	// HelpRequestID is the help desk request the acting serves (0 for none).
	HelpRequestID int64
}

// SessionTimeouts bound a session: Idle since its last use (sliding) and
// Absolute since it was created.
type SessionTimeouts struct {
	Idle     time.Duration
	Absolute time.Duration
}

// SessionStore keeps sessions (Redis). Times are passed in so the service's
// clock decides expiry.
type SessionStore interface {
	// CreateSession starts a session for user at now with a new random id.
	CreateSession(ctx context.Context, userID int64, now time.Time, t SessionTimeouts) (*Session, error)
	// TouchSession returns session id and slides its idle expiry to now.
	// NotFound when it is unknown, malformed, idle longer than t.Idle or
	// older than t.Absolute (an expired session is deleted).
	TouchSession(ctx context.Context, id string, now time.Time, t SessionTimeouts) (*Session, error)
	// RotateSession replaces session id by a new one of the same user and
	// creation time, acting for onBehalf (0 for none) to serve help desk
	// request helpRequest (0 for none), and deletes the old one. NotFound as
	// TouchSession.
	RotateSession(ctx context.Context, id string, onBehalf, helpRequest int64, now time.Time, t SessionTimeouts) (*Session, error)
	// DeleteSession ends one session; an unknown id is not an error.
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions ends every session of user except keep ("" for none).
	DeleteUserSessions(ctx context.Context, userID int64, keep string) error
}
