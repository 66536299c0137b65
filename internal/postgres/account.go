package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
)

// AccountStore implements account.Store and onboarding.Store: users,
// memberships, single-use tokens, API keys, the audit log and the
// enterprises' onboarding columns.
type AccountStore struct {
	pool db
}

var _ account.Store = (*AccountStore)(nil)

// NewAccountStore returns the account store on pool.
func NewAccountStore(pool *pgxpool.Pool) *AccountStore { return &AccountStore{pool: db{pool}} }

const userColumns = `u.id, u.email, u.name, u.phone, u.role, u.status, u.email_confirmed_at,
	u.created_at, u.updated_at, u.last_sign_in_at`

func userDest(u *account.User) []any {
	return []any{&u.ID, &u.Email, &u.Name, &u.Phone, &u.Role, &u.Status, &u.EmailConfirmedAt,
		&u.CreatedAt, &u.UpdatedAt, &u.LastSignInAt}
}

func scanUser(row pgx.CollectableRow) (*account.User, error) {
	var u account.User
	return &u, row.Scan(userDest(&u)...)
}

// accountErr translates err like translate, and a unique violation of the
// e-mail or 사업자등록번호 index into a Conflict whose Fields name it.
func accountErr(err error, what string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		switch pgErr.ConstraintName {
		case "users_email":
			return &apperr.Error{Code: apperr.Conflict, Message: "이미 가입된 이메일 주소입니다.",
				Fields: map[string]string{"email": "이미 가입된 이메일 주소입니다."}}
		case "enterprises_business_number_key":
			return &apperr.Error{Code: apperr.Conflict, Message: "이미 등록된 사업자등록번호입니다.",
				Fields: map[string]string{"business_number": "이미 등록된 사업자등록번호입니다."}}
		}
	}
	return translate(err, what)
}

// zeroNull stores 0 and "" as NULL.
func zeroNull[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

func insertUser(ctx context.Context, q querier, u *account.User, passwordHash string) error {
	err := q.QueryRow(ctx, `INSERT INTO users (email, name, phone, password_hash, role, status, email_confirmed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at, updated_at`,
		u.Email, u.Name, u.Phone, passwordHash, u.Role, u.Status, u.EmailConfirmedAt).Scan(&u.ID, &u.CreatedAt, &u.UpdatedAt)
	return accountErr(err, "회원")
}

// CreateUser inserts u.
func (s *AccountStore) CreateUser(ctx context.Context, u *account.User, passwordHash string) error {
	return insertUser(ctx, s.pool, u, passwordHash)
}

// CreateMember inserts u and its membership in one transaction.
func (s *AccountStore) CreateMember(ctx context.Context, u *account.User, passwordHash string, enterpriseID int64, role account.MemberRole) error {
	return s.inTx(ctx, "create member", func(tx pgx.Tx) error {
		if err := insertUser(ctx, tx, u, passwordHash); err != nil {
			return err
		}
		return insertMember(ctx, tx, u.ID, enterpriseID, role)
	})
}

func insertMember(ctx context.Context, q querier, userID, enterpriseID int64, role account.MemberRole) error {
	_, err := q.Exec(ctx, `INSERT INTO enterprise_members (user_id, enterprise_id, role) VALUES ($1, $2, $3)`,
		userID, enterpriseID, role)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" {
		return apperr.Errorf(apperr.NotFound, "기업을 찾을 수 없습니다.")
	}
	return accountErr(err, "구성원")
}

// inTx runs fn in a transaction, committing when it returns nil.
func (s *AccountStore) inTx(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: %s: begin: %w", what, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: %s: commit: %w", what, err)
	}
	return nil
}

// FindUserByID returns a user.
func (s *AccountStore) FindUserByID(ctx context.Context, id int64) (*account.User, error) {
	var u account.User
	err := s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id).Scan(userDest(&u)...)
	if err != nil {
		return nil, translate(err, "회원")
	}
	return &u, nil
}

// likeEscape escapes LIKE's wildcards in s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// FindUsers returns users matching f, newest first, and their total.
func (s *AccountStore) FindUsers(ctx context.Context, f account.UserFilter) ([]*account.User, int, error) {
	var where []string
	var args []any
	if f.Role != "" {
		args = append(args, f.Role)
		where = append(where, replaceN("u.role = $N", len(args)))
	}
	if f.Query != "" {
		args = append(args, "%"+likeEscape(strings.ToLower(f.Query))+"%")
		where = append(where, replaceN("(lower(u.email) LIKE $N OR lower(u.name) LIKE $N)", len(args)))
	}
	cond := "true"
	if len(where) > 0 {
		cond = joinAnd(where)
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM users u WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, translate(err, "회원 목록")
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+` FROM users u WHERE `+cond+`
		ORDER BY u.id DESC LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, translate(err, "회원 목록")
	}
	users, err := pgx.CollectRows(rows, scanUser)
	if err != nil {
		return nil, 0, translate(err, "회원 목록")
	}
	return users, total, nil
}

// identitySelect reads a user with their enterprise or institution
// membership and, for an operator, the enterprise in $2 they act for, in one
// query.
const identitySelect = `SELECT ` + userColumns + `, u.password_hash,
		coalesce(m.enterprise_id, 0), coalesce(e.status, ''), coalesce(m.role, ''),
		coalesce(b.id, 0), coalesce(b.status, ''),
		coalesce(im.institution_id, 0), coalesce(i.status, ''), coalesce(im.role, ''), coalesce(im.status, '')
	FROM users u
	LEFT JOIN enterprise_members m ON m.user_id = u.id
	LEFT JOIN enterprises e ON e.id = m.enterprise_id
	LEFT JOIN enterprises b ON b.id = $2 AND u.role = 'operator'
	LEFT JOIN institution_members im ON im.user_id = u.id
	LEFT JOIN institutions i ON i.id = im.institution_id`

func scanIdentity(row pgx.Row) (*account.Identity, error) {
	var idn account.Identity
	dest := append(userDest(&idn.User), &idn.PasswordHash, &idn.EnterpriseID, &idn.EnterpriseStatus, &idn.MemberRole,
		&idn.ActingForID, &idn.ActingForStatus,
		&idn.InstitutionID, &idn.InstitutionStatus, &idn.InstitutionRole, &idn.InstitutionMember)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err, "회원")
	}
	return &idn, nil
}

// FindIdentityByEmail returns the identity of the address's user.
func (s *AccountStore) FindIdentityByEmail(ctx context.Context, email string) (*account.Identity, error) {
	return scanIdentity(s.pool.QueryRow(ctx, identitySelect+` WHERE lower(u.email) = lower($1)`, email, 0))
}

// FindIdentity returns the identity of user id, acting for actingFor.
func (s *AccountStore) FindIdentity(ctx context.Context, id, actingFor int64) (*account.Identity, error) {
	return scanIdentity(s.pool.QueryRow(ctx, identitySelect+` WHERE u.id = $1`, id, actingFor))
}

// RecordSignIn sets the user's last sign-in time.
func (s *AccountStore) RecordSignIn(ctx context.Context, userID int64, at time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE users SET last_sign_in_at = $2 WHERE id = $1`, userID, at)
	return translate(err, "회원")
}

// SetPassword replaces the user's password hash.
func (s *AccountStore) SetPassword(ctx context.Context, userID int64, passwordHash string, at time.Time) error {
	return setPassword(ctx, s.pool, userID, passwordHash, at)
}

func setPassword(ctx context.Context, q querier, userID int64, passwordHash string, at time.Time) error {
	tag, err := q.Exec(ctx, `UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1`, userID, passwordHash, at)
	if err == nil && tag.RowsAffected() == 0 {
		return apperr.Errorf(apperr.NotFound, "회원을 찾을 수 없습니다.")
	}
	return translate(err, "회원")
}

// SetUserStatus sets the user's status, with audit, in one transaction.
func (s *AccountStore) SetUserStatus(ctx context.Context, userID int64, status string, at time.Time, audit *account.AuditRecord) error {
	return s.inTx(ctx, "set user status", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET status = $2, updated_at = $3 WHERE id = $1`, userID, status, at)
		if err != nil {
			return translate(err, "회원")
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.NotFound, "회원을 찾을 수 없습니다.")
		}
		return insertAudit(ctx, tx, audit)
	})
}

const tokenColumns = `id, kind, token_hash, coalesce(user_id, 0), coalesce(enterprise_id, 0), email,
	coalesce(member_role, ''), expires_at, used_at, created_at`

func scanToken(row pgx.Row) (*account.Token, error) {
	var t account.Token
	err := row.Scan(&t.ID, &t.Kind, &t.Hash, &t.UserID, &t.EnterpriseID, &t.Email, &t.MemberRole, &t.ExpiresAt, &t.UsedAt, &t.CreatedAt)
	return &t, err
}

// CreateToken stores t.
func (s *AccountStore) CreateToken(ctx context.Context, t *account.Token, audit *account.AuditRecord) error {
	return s.inTx(ctx, "create token", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO account_tokens (kind, token_hash, user_id, enterprise_id, email, member_role, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at`,
			t.Kind, t.Hash, zeroNull(t.UserID), zeroNull(t.EnterpriseID), t.Email, zeroNull(string(t.MemberRole)), t.ExpiresAt).
			Scan(&t.ID, &t.CreatedAt)
		if err != nil {
			return translate(err, "토큰")
		}
		if audit != nil {
			audit.EntityID = strconv.FormatInt(t.ID, 10)
		}
		return insertAudit(ctx, tx, audit)
	})
}

// FindToken returns a usable token, or why it is not.
func (s *AccountStore) FindToken(ctx context.Context, kind account.TokenKind, hash []byte, at time.Time) (*account.Token, error) {
	return findToken(ctx, s.pool, kind, hash, at)
}

func findToken(ctx context.Context, q querier, kind account.TokenKind, hash []byte, at time.Time) (*account.Token, error) {
	t, err := scanToken(q.QueryRow(ctx, `SELECT `+tokenColumns+` FROM account_tokens WHERE kind = $1 AND token_hash = $2`, kind, hash))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, apperr.Errorf(apperr.NotFound, "링크가 올바르지 않습니다.")
	case err != nil:
		return nil, fmt.Errorf("postgres: find token: %w", err)
	case t.UsedAt != nil:
		return nil, apperr.Errorf(apperr.Conflict, "이미 사용한 링크입니다.")
	case !t.ExpiresAt.After(at):
		return nil, apperr.Errorf(apperr.Invalid, "유효 기간이 지난 링크입니다.")
	}
	return t, nil
}

// useToken marks a token used, atomically: only an unused, unexpired token
// is taken; otherwise the error says why.
func useToken(ctx context.Context, tx pgx.Tx, kind account.TokenKind, hash []byte, at time.Time) (*account.Token, error) {
	t, err := scanToken(tx.QueryRow(ctx, `UPDATE account_tokens SET used_at = $3
		WHERE kind = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > $3
		RETURNING `+tokenColumns, kind, hash, at))
	if errors.Is(err, pgx.ErrNoRows) {
		if _, err := findToken(ctx, tx, kind, hash, at); err != nil {
			return nil, err
		}
		return nil, apperr.Errorf(apperr.Conflict, "이미 사용한 링크입니다.") // used between the two statements
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: use token: %w", err)
	}
	return t, nil
}

// ConfirmEmail uses an email_confirm token and confirms its user's address.
func (s *AccountStore) ConfirmEmail(ctx context.Context, hash []byte, at time.Time) (int64, error) {
	var userID int64
	err := s.inTx(ctx, "confirm email", func(tx pgx.Tx) error {
		t, err := useToken(ctx, tx, account.TokenEmailConfirm, hash, at)
		if err != nil {
			return err
		}
		userID = t.UserID
		_, err = tx.Exec(ctx, `UPDATE users SET email_confirmed_at = coalesce(email_confirmed_at, $2), updated_at = $2
			WHERE id = $1 AND lower(email) = lower($3)`, t.UserID, at, t.Email)
		return translate(err, "회원")
	})
	return userID, err
}

// ResetPassword uses a password_reset token, sets the password and voids
// the user's other reset tokens.
func (s *AccountStore) ResetPassword(ctx context.Context, hash []byte, passwordHash string, at time.Time) (int64, error) {
	var userID int64
	err := s.inTx(ctx, "reset password", func(tx pgx.Tx) error {
		t, err := useToken(ctx, tx, account.TokenPasswordReset, hash, at)
		if err != nil {
			return err
		}
		userID = t.UserID
		if err := setPassword(ctx, tx, t.UserID, passwordHash, at); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE account_tokens SET used_at = $2
			WHERE user_id = $1 AND kind = 'password_reset' AND used_at IS NULL`, t.UserID, at)
		return translate(err, "토큰")
	})
	return userID, err
}

// AcceptInvitation uses an invitation token and creates its member.
func (s *AccountStore) AcceptInvitation(ctx context.Context, hash []byte, u *account.User, passwordHash string, at time.Time,
	audit account.AuditFunc[*account.User]) (*account.Token, error) {
	var used *account.Token
	err := s.inTx(ctx, "accept invitation", func(tx pgx.Tx) error {
		t, err := useToken(ctx, tx, account.TokenInvitation, hash, at)
		if err != nil {
			return err
		}
		used = t
		u.Email, u.Role, u.EmailConfirmedAt = t.Email, account.EnterpriseStaff, &at
		if u.Status == "" {
			u.Status = account.UserActive
		}
		if err := insertUser(ctx, tx, u, passwordHash); err != nil {
			return err
		}
		if err := insertMember(ctx, tx, u.ID, t.EnterpriseID, t.MemberRole); err != nil {
			return err
		}
		return insertAuditFunc(ctx, tx, audit, nil, u)
	})
	if err != nil {
		return nil, err
	}
	return used, nil
}

// FindInvitations returns the enterprise's pending invitations.
func (s *AccountStore) FindInvitations(ctx context.Context, enterpriseID int64, at time.Time) ([]*account.Invitation, error) {
	rows, err := s.pool.Query(ctx, `SELECT t.id, t.enterprise_id, e.name, t.email, t.member_role, t.expires_at, t.created_at
		FROM account_tokens t JOIN enterprises e ON e.id = t.enterprise_id
		WHERE t.kind = 'invitation' AND t.enterprise_id = $1 AND t.used_at IS NULL AND t.expires_at > $2
		ORDER BY t.created_at DESC, t.id DESC`, enterpriseID, at)
	if err != nil {
		return nil, translate(err, "초대 목록")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*account.Invitation, error) {
		var i account.Invitation
		return &i, r.Scan(&i.ID, &i.EnterpriseID, &i.EnterpriseName, &i.Email, &i.MemberRole, &i.ExpiresAt, &i.CreatedAt)
	})
	if err != nil {
		return nil, translate(err, "초대 목록")
	}
	return list, nil
}

// FindEnterpriseRef returns an enterprise's id, name and status.
func (s *AccountStore) FindEnterpriseRef(ctx context.Context, id int64) (*account.EnterpriseRef, error) {
	var e account.EnterpriseRef
	err := s.pool.QueryRow(ctx, `SELECT id, name, status FROM enterprises WHERE id = $1`, id).Scan(&e.ID, &e.Name, &e.Status)
	if err != nil {
		return nil, translate(err, "기업")
	}
	return &e, nil
}

// FindMembers returns the enterprise's members, owners first.
func (s *AccountStore) FindMembers(ctx context.Context, enterpriseID int64) ([]*account.Member, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+`, m.role, m.created_at
		FROM enterprise_members m JOIN users u ON u.id = m.user_id
		WHERE m.enterprise_id = $1
		ORDER BY m.role = 'owner' DESC, u.name, u.id`, enterpriseID)
	if err != nil {
		return nil, translate(err, "구성원 목록")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*account.Member, error) {
		m := &account.Member{User: &account.User{}}
		return m, r.Scan(append(userDest(m.User), &m.MemberRole, &m.JoinedAt)...)
	})
	if err != nil {
		return nil, translate(err, "구성원 목록")
	}
	return list, nil
}

// lockMembers serialises member changes of one enterprise (FOR NO KEY
// UPDATE does not block the key-share locks of foreign-key checks) and
// returns the role of user in it. NotFound when user is not its member.
func lockMembers(ctx context.Context, tx pgx.Tx, enterpriseID, userID int64) (account.MemberRole, int, error) {
	var one int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM enterprises WHERE id = $1 FOR NO KEY UPDATE`, enterpriseID).Scan(&one); err != nil {
		return "", 0, translate(err, "구성원")
	}
	var role account.MemberRole
	var owners int
	err := tx.QueryRow(ctx, `SELECT m.role, (SELECT count(*) FROM enterprise_members o WHERE o.enterprise_id = $1 AND o.role = 'owner')
		FROM enterprise_members m WHERE m.enterprise_id = $1 AND m.user_id = $2`, enterpriseID, userID).Scan(&role, &owners)
	if err != nil {
		return "", 0, translate(err, "구성원")
	}
	return role, owners, nil
}

func errLastOwner() error {
	return apperr.Errorf(apperr.Conflict, "기업의 마지막 대표 계정입니다.")
}

// RemoveMember ends the membership and disables the user.
func (s *AccountStore) RemoveMember(ctx context.Context, enterpriseID, userID int64, at time.Time, audit *account.AuditRecord) error {
	return s.inTx(ctx, "remove member", func(tx pgx.Tx) error {
		role, owners, err := lockMembers(ctx, tx, enterpriseID, userID)
		if err != nil {
			return err
		}
		if role == account.Owner && owners <= 1 {
			return errLastOwner()
		}
		if _, err := tx.Exec(ctx, `DELETE FROM enterprise_members WHERE user_id = $1`, userID); err != nil {
			return translate(err, "구성원")
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET status = 'disabled', updated_at = $2 WHERE id = $1`, userID, at); err != nil {
			return translate(err, "회원")
		}
		return insertAudit(ctx, tx, audit)
	})
}

// SetMemberRole sets a member's role.
func (s *AccountStore) SetMemberRole(ctx context.Context, enterpriseID, userID int64, role account.MemberRole, audit *account.AuditRecord) error {
	return s.inTx(ctx, "set member role", func(tx pgx.Tx) error {
		was, owners, err := lockMembers(ctx, tx, enterpriseID, userID)
		if err != nil {
			return err
		}
		if was == account.Owner && role != account.Owner && owners <= 1 {
			return errLastOwner()
		}
		if _, err := tx.Exec(ctx, `UPDATE enterprise_members SET role = $2 WHERE user_id = $1`, userID, role); err != nil {
			return translate(err, "구성원")
		}
		return insertAudit(ctx, tx, audit)
	})
}

const apiKeyColumns = `k.id, k.enterprise_id, k.name, k.prefix, coalesce(k.created_by, 0), k.created_at, k.last_used_at, k.revoked_at`

func apiKeyDest(k *account.APIKey) []any {
	return []any{&k.ID, &k.EnterpriseID, &k.Name, &k.Prefix, &k.CreatedBy, &k.CreatedAt, &k.LastUsedAt, &k.RevokedAt}
}

// CreateAPIKey stores k with its hash; an audit record without EntityID
// gets the new key's id.
func (s *AccountStore) CreateAPIKey(ctx context.Context, k *account.APIKey, hash []byte, audit *account.AuditRecord) error {
	return s.inTx(ctx, "create api key", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO api_keys (enterprise_id, name, prefix, key_hash, created_by)
			VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
			k.EnterpriseID, k.Name, k.Prefix, hash, zeroNull(k.CreatedBy)).Scan(&k.ID, &k.CreatedAt)
		if err != nil {
			return translate(err, "API 키")
		}
		if audit != nil && audit.EntityID == "" {
			audit.EntityID = itoa(int(k.ID))
		}
		return insertAudit(ctx, tx, audit)
	})
}

// FindAPIKeys returns the enterprise's keys, newest first.
func (s *AccountStore) FindAPIKeys(ctx context.Context, enterpriseID int64) ([]*account.APIKey, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+apiKeyColumns+` FROM api_keys k WHERE k.enterprise_id = $1 ORDER BY k.id DESC`, enterpriseID)
	if err != nil {
		return nil, translate(err, "API 키 목록")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*account.APIKey, error) {
		var k account.APIKey
		return &k, r.Scan(apiKeyDest(&k)...)
	})
	if err != nil {
		return nil, translate(err, "API 키 목록")
	}
	return list, nil
}

// FindAPIKeyByHash returns the key with that hash and its enterprise's status.
func (s *AccountStore) FindAPIKeyByHash(ctx context.Context, hash []byte) (*account.APIKey, error) {
	var k account.APIKey
	err := s.pool.QueryRow(ctx, `SELECT `+apiKeyColumns+`, e.status FROM api_keys k
		JOIN enterprises e ON e.id = k.enterprise_id WHERE k.key_hash = $1`, hash).
		Scan(append(apiKeyDest(&k), &k.EnterpriseStatus)...)
	if err != nil {
		return nil, translate(err, "API 키")
	}
	return &k, nil
}

// TouchAPIKey records a use of the key at most once a minute.
func (s *AccountStore) TouchAPIKey(ctx context.Context, id int64, at time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE api_keys SET last_used_at = $2
		WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - interval '1 minute')`, id, at)
	return translate(err, "API 키")
}

// RevokeAPIKey revokes one of the enterprise's keys.
func (s *AccountStore) RevokeAPIKey(ctx context.Context, enterpriseID, id int64, at time.Time, audit *account.AuditRecord) error {
	return s.inTx(ctx, "revoke api key", func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $3)
			WHERE id = $2 AND enterprise_id = $1 RETURNING 1`, enterpriseID, id, at).Scan(&one)
		if err != nil {
			return translate(err, "API 키")
		}
		return insertAudit(ctx, tx, audit)
	})
}

// jsonArg passes a JSON document, or NULL for none.
func jsonArg(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

func insertAudit(ctx context.Context, q querier, r *account.AuditRecord) error {
	if r == nil {
		return nil
	}
	err := q.QueryRow(ctx, `INSERT INTO audit_log (at, actor_user_id, actor_role, actor_api_key_id, on_behalf_enterprise_id,
			enterprise_id, institution_id, action, entity, entity_id, before, after, help_request_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		r.At, zeroNull(r.ActorUserID), r.ActorRole, zeroNull(r.ActorAPIKeyID), zeroNull(r.OnBehalfEnterpriseID),
		zeroNull(r.EnterpriseID), zeroNull(r.InstitutionID), r.Action, r.Entity, r.EntityID, jsonArg(r.Before), jsonArg(r.After),
		zeroNull(r.HelpRequestID)).Scan(&r.ID)
	return translate(err, "감사 기록")
}

// insertAuditFunc writes the record audit builds from before and after, on
// q (the change's transaction): none when audit is nil or builds none.
func insertAuditFunc[T any](ctx context.Context, q querier, audit account.AuditFunc[T], before, after T) error {
	if audit == nil {
		return nil
	}
	r, err := audit(before, after)
	if err != nil {
		return err
	}
	return insertAudit(ctx, q, r)
}

// CreateAuditRecord appends r to the audit log.
func (s *AccountStore) CreateAuditRecord(ctx context.Context, r *account.AuditRecord) error {
	return insertAudit(ctx, s.pool, r)
}

// FindAuditRecords returns audit records matching f, newest first, and their total.
func (s *AccountStore) FindAuditRecords(ctx context.Context, f account.AuditFilter) ([]*account.AuditRecord, int, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, replaceN(cond, len(args)))
	}
	if !f.From.IsZero() {
		add("a.at >= $N", f.From)
	}
	if !f.To.IsZero() {
		add("a.at < $N", f.To)
	}
	if f.ActorUserID != 0 {
		add("a.actor_user_id = $N", f.ActorUserID)
	}
	if f.EnterpriseID != 0 {
		add("a.enterprise_id = $N", f.EnterpriseID)
	}
	if f.InstitutionID != 0 {
		add("a.institution_id = $N", f.InstitutionID)
	}
	if f.Entity != "" {
		add("a.entity = $N", f.Entity)
	}
	if f.EntityID != "" {
		add("a.entity_id = $N", f.EntityID)
	}
	if f.Action != "" {
		add("a.action = $N", f.Action)
	}
	if f.HelpRequestID != 0 {
		add("a.help_request_id = $N", f.HelpRequestID)
	}
	cond := "true"
	if len(where) > 0 {
		cond = joinAnd(where)
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log a WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, translate(err, "감사 기록")
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.pool.Query(ctx, `SELECT a.id, a.at, coalesce(a.actor_user_id, 0), a.actor_role, coalesce(a.actor_api_key_id, 0),
			coalesce(a.on_behalf_enterprise_id, 0), coalesce(a.enterprise_id, 0), coalesce(a.institution_id, 0), a.action, a.entity, a.entity_id, a.before, a.after,
			coalesce(a.help_request_id, 0)
		FROM audit_log a WHERE `+cond+`
		ORDER BY a.at DESC, a.id DESC LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, translate(err, "감사 기록")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*account.AuditRecord, error) {
		var a account.AuditRecord
		var before, after []byte
		err := r.Scan(&a.ID, &a.At, &a.ActorUserID, &a.ActorRole, &a.ActorAPIKeyID, &a.OnBehalfEnterpriseID,
			&a.EnterpriseID, &a.InstitutionID, &a.Action, &a.Entity, &a.EntityID, &before, &after, &a.HelpRequestID)
		a.Before, a.After = before, after
		return &a, err
	})
	if err != nil {
		return nil, 0, translate(err, "감사 기록")
	}
	return list, total, nil
}
