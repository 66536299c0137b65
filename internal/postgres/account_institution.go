package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/apperr"
)

var _ institution.Store = (*AccountStore)(nil)

const institutionColumns = `i.id, i.name, i.kind, i.id_kind, i.id_number, i.postcode, i.road_address, i.detail_address,
	i.phone, i.status, i.rejection_reason, coalesce(i.direct_contract_limit, 0), i.applied_at, i.reviewed_at,
	coalesce(i.reviewed_by, 0), i.created_at, i.updated_at,
	(SELECT count(*) FROM institution_members c WHERE c.institution_id = i.id AND c.status = 'active'),
	(SELECT count(*) FROM institution_members c WHERE c.institution_id = i.id AND c.status = 'pending')`

func scanInstitution(row pgx.Row) (*institution.Institution, error) {
	var i institution.Institution
	err := row.Scan(&i.ID, &i.Name, &i.Kind, &i.IDKind, &i.IDNumber, &i.Postcode, &i.RoadAddress, &i.DetailAddress,
		&i.Phone, &i.Status, &i.RejectionReason, &i.DirectContractLimit, &i.AppliedAt, &i.ReviewedAt,
		&i.ReviewedBy, &i.CreatedAt, &i.UpdatedAt, &i.ActiveMembers, &i.PendingMembers)
	return &i, err
}

// institutionErr translates a duplicate institution number into a Conflict
// naming id_number, and the rest like accountErr.
func institutionErr(err error, what string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "institutions_id_number_key" {
		return &apperr.Error{Code: apperr.Conflict, Message: "이미 등록된 기관 번호입니다.",
			Fields: map[string]string{"id_number": "이미 등록된 기관 번호입니다."}}
	}
	return accountErr(err, what)
}

// CreateInstitution inserts the pending institution, its admin user and
// membership, and the audit record, in one transaction.
func (s *AccountStore) CreateInstitution(ctx context.Context, inst *institution.Institution, admin *account.User, passwordHash, department string, audit *account.AuditRecord) error {
	return s.inTx(ctx, "create institution", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO institutions (name, kind, id_kind, id_number, postcode, road_address,
				detail_address, phone, status)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, applied_at, created_at, updated_at`,
			inst.Name, inst.Kind, inst.IDKind, inst.IDNumber, inst.Postcode, inst.RoadAddress, inst.DetailAddress,
			inst.Phone, inst.Status).Scan(&inst.ID, &inst.AppliedAt, &inst.CreatedAt, &inst.UpdatedAt)
		if err != nil {
			return institutionErr(err, "기관")
		}
		if err := insertUser(ctx, tx, admin, passwordHash); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO institution_members (user_id, institution_id, role, status, department)
			VALUES ($1, $2, 'admin', 'active', $3)`, admin.ID, inst.ID, department); err != nil {
			return translate(err, "기관 구성원")
		}
		inst.ActiveMembers = 1
		if audit != nil {
			audit.InstitutionID, audit.EntityID = inst.ID, strconv.FormatInt(inst.ID, 10)
			if audit.ActorUserID == 0 { // registering is the new admin's own act
				audit.ActorUserID, audit.ActorRole = admin.ID, string(account.InstitutionUser)
			}
		}
		return insertAudit(ctx, tx, audit)
	})
}

// FindInstitutionByID returns an institution with its admin.
func (s *AccountStore) FindInstitutionByID(ctx context.Context, id int64) (*institution.Institution, error) {
	return s.findInstitution(ctx, `i.id = $1`, id)
}

// FindInstitutionByNumber returns the institution with that number.
func (s *AccountStore) FindInstitutionByNumber(ctx context.Context, number string) (*institution.Institution, error) {
	return s.findInstitution(ctx, `i.id_number = $1`, number)
}

func (s *AccountStore) findInstitution(ctx context.Context, cond string, arg any) (*institution.Institution, error) {
	inst, err := scanInstitution(s.pool.QueryRow(ctx, `SELECT `+institutionColumns+` FROM institutions i WHERE `+cond, arg))
	if err != nil {
		return nil, translate(err, "기관")
	}
	if err := s.fillAdmins(ctx, []*institution.Institution{inst}); err != nil {
		return nil, err
	}
	return inst, nil
}

// FindInstitutions returns institutions matching f, newest first.
func (s *AccountStore) FindInstitutions(ctx context.Context, f institution.Filter) ([]*institution.Institution, int, error) {
	var where []string
	var args []any
	if f.Status != "" {
		args = append(args, f.Status)
		where = append(where, replaceN("i.status = $N", len(args)))
	}
	if f.Query != "" {
		args = append(args, "%"+likeEscape(strings.ToLower(f.Query))+"%")
		cond := "lower(i.name) LIKE $N"
		if d := strings.ReplaceAll(f.Query, "-", ""); d != "" && strings.Trim(d, "0123456789") == "" {
			args = append(args, "%"+d+"%")
			cond = "(lower(i.name) LIKE $" + itoa(len(args)-1) + " OR i.id_number LIKE $N)"
		}
		where = append(where, replaceN(cond, len(args)))
	}
	cond := "true"
	if len(where) > 0 {
		cond = joinAnd(where)
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM institutions i WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, translate(err, "기관 목록")
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.pool.Query(ctx, `SELECT `+institutionColumns+` FROM institutions i WHERE `+cond+`
		ORDER BY i.applied_at DESC, i.id DESC LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, translate(err, "기관 목록")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*institution.Institution, error) { return scanInstitution(r) })
	if err != nil {
		return nil, 0, translate(err, "기관 목록")
	}
	if err := s.fillAdmins(ctx, list); err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// fillAdmins sets each institution's admin, in one query.
func (s *AccountStore) fillAdmins(ctx context.Context, list []*institution.Institution) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*institution.Institution, len(list))
	ids := make([]int64, 0, len(list))
	for _, i := range list {
		byID[i.ID] = i
		ids = append(ids, i.ID)
	}
	rows, err := s.pool.Query(ctx, `SELECT m.institution_id, `+userColumns+`
		FROM institution_members m JOIN users u ON u.id = m.user_id
		WHERE m.institution_id = ANY($1) AND m.role = 'admin'`, ids)
	if err != nil {
		return translate(err, "기관 관리자")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		u := &account.User{}
		if err := rows.Scan(append([]any{&id}, userDest(u)...)...); err != nil {
			return translate(err, "기관 관리자")
		}
		byID[id].Admin = u
	}
	return translate(rows.Err(), "기관 관리자")
}

// CreateInstitutionMember inserts a pending buyer and their user.
func (s *AccountStore) CreateInstitutionMember(ctx context.Context, u *account.User, passwordHash string, institutionID int64, department string, audit *account.AuditRecord) error {
	return s.inTx(ctx, "create institution member", func(tx pgx.Tx) error {
		if err := insertUser(ctx, tx, u, passwordHash); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO institution_members (user_id, institution_id, role, status, department)
			VALUES ($1, $2, 'buyer', 'pending', $3)`, u.ID, institutionID, department)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23503" {
			return apperr.Errorf(apperr.NotFound, "기관을 찾을 수 없습니다.")
		}
		if err != nil {
			return translate(err, "기관 구성원")
		}
		if audit != nil {
			audit.EntityID = strconv.FormatInt(u.ID, 10)
			if audit.ActorUserID == 0 {
				audit.ActorUserID, audit.ActorRole = u.ID, string(account.InstitutionUser)
			}
		}
		return insertAudit(ctx, tx, audit)
	})
}

// FindInstitutionMembers returns the institution's members.
func (s *AccountStore) FindInstitutionMembers(ctx context.Context, institutionID int64) ([]*institution.Member, error) {
	rows, err := s.pool.Query(ctx, `SELECT m.institution_id, m.role, m.status, m.department, m.approved_at, m.created_at, `+userColumns+`
		FROM institution_members m JOIN users u ON u.id = m.user_id
		WHERE m.institution_id = $1
		ORDER BY m.role = 'admin' DESC, m.status = 'pending' DESC, u.name, u.id`, institutionID)
	if err != nil {
		return nil, translate(err, "기관 구성원")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*institution.Member, error) {
		m := &institution.Member{User: &account.User{}}
		err := r.Scan(append([]any{&m.InstitutionID, &m.Role, &m.Status, &m.Department, &m.ApprovedAt, &m.CreatedAt},
			userDest(m.User)...)...)
		return m, err
	})
	if err != nil {
		return nil, translate(err, "기관 구성원")
	}
	return list, nil
}

// lockInstitution serialises member changes of one institution.
func lockInstitution(ctx context.Context, tx pgx.Tx, id int64) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM institutions WHERE id = $1 FOR NO KEY UPDATE`, id).Scan(&one)
	return translate(err, "기관")
}

// ApproveInstitutionMember makes a pending member active.
func (s *AccountStore) ApproveInstitutionMember(ctx context.Context, institutionID, userID, by int64, at time.Time, audit *account.AuditRecord) error {
	return s.inTx(ctx, "approve institution member", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE institution_members SET status = 'active', approved_at = $3, approved_by = $4
			WHERE institution_id = $1 AND user_id = $2 AND status = 'pending'`, institutionID, userID, at, zeroNull(by))
		if err != nil {
			return translate(err, "기관 구성원")
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.NotFound, "기관 구성원을 찾을 수 없습니다.")
		}
		return insertAudit(ctx, tx, audit)
	})
}

// RemoveInstitutionMember ends a membership and disables the user.
func (s *AccountStore) RemoveInstitutionMember(ctx context.Context, institutionID, userID int64, at time.Time, audit *account.AuditRecord) error {
	return s.inTx(ctx, "remove institution member", func(tx pgx.Tx) error {
		if err := lockInstitution(ctx, tx, institutionID); err != nil {
			return err
		}
		var role string
		err := tx.QueryRow(ctx, `DELETE FROM institution_members WHERE institution_id = $1 AND user_id = $2 AND role <> 'admin'
			RETURNING role`, institutionID, userID).Scan(&role)
		if errors.Is(err, pgx.ErrNoRows) {
			var r string
			if err := tx.QueryRow(ctx, `SELECT role FROM institution_members WHERE institution_id = $1 AND user_id = $2`,
				institutionID, userID).Scan(&r); err != nil {
				return translate(err, "기관 구성원")
			}
			return apperr.Errorf(apperr.Conflict, "기관 관리자입니다.")
		}
		if err != nil {
			return translate(err, "기관 구성원")
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET status = 'disabled', updated_at = $2 WHERE id = $1`, userID, at); err != nil {
			return translate(err, "회원")
		}
		return insertAudit(ctx, tx, audit)
	})
}

// HandOverInstitutionAdmin moves the admin role from from to to.
func (s *AccountStore) HandOverInstitutionAdmin(ctx context.Context, institutionID, from, to int64, audit *account.AuditRecord) error {
	return s.inTx(ctx, "hand over institution admin", func(tx pgx.Tx) error {
		if err := lockInstitution(ctx, tx, institutionID); err != nil {
			return err
		}
		// Demote first: the unique index allows one admin at any moment.
		tag, err := tx.Exec(ctx, `UPDATE institution_members SET role = 'buyer', approved_at = coalesce(approved_at, created_at)
			WHERE institution_id = $1 AND user_id = $2 AND role = 'admin'`, institutionID, from)
		if err != nil {
			return translate(err, "기관 구성원")
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.Conflict, "기관 관리자가 바뀌었습니다.")
		}
		tag, err = tx.Exec(ctx, `UPDATE institution_members SET role = 'admin'
			WHERE institution_id = $1 AND user_id = $2 AND role = 'buyer' AND status = 'active'`, institutionID, to)
		if err != nil {
			return translate(err, "기관 구성원")
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.NotFound, "기관 구성원을 찾을 수 없습니다.")
		}
		return insertAudit(ctx, tx, audit)
	})
}

// ChangeInstitutionStatus moves an institution between statuses.
func (s *AccountStore) ChangeInstitutionStatus(ctx context.Context, c institution.StatusChange, audit *account.AuditRecord) error {
	return s.inTx(ctx, "change institution status", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE institutions SET status = $2, updated_at = $3,
				reviewed_at = CASE WHEN $4 THEN $3 ELSE reviewed_at END,
				reviewed_by = CASE WHEN $4 THEN $5 ELSE reviewed_by END,
				rejection_reason = CASE WHEN $4 THEN $6 ELSE rejection_reason END
			WHERE id = $1 AND status = ANY($7)`,
			c.InstitutionID, c.To, c.At, c.Review, zeroNull(c.ReviewedBy), c.Reason, c.From)
		if err != nil {
			return translate(err, "기관")
		}
		if tag.RowsAffected() == 0 {
			var one int
			if err := tx.QueryRow(ctx, `SELECT 1 FROM institutions WHERE id = $1`, c.InstitutionID).Scan(&one); err != nil {
				return translate(err, "기관")
			}
			return apperr.Errorf(apperr.Conflict, "기관의 상태가 바뀌었습니다.")
		}
		return insertAudit(ctx, tx, audit)
	})
}

// SetDirectContractLimit sets the institution's limit (0: NULL, the default).
func (s *AccountStore) SetDirectContractLimit(ctx context.Context, institutionID, limit int64, at time.Time, audit *account.AuditRecord) error {
	return s.inTx(ctx, "set direct contract limit", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE institutions SET direct_contract_limit = $2, updated_at = $3 WHERE id = $1`,
			institutionID, zeroNull(limit), at)
		if err != nil {
			return translate(err, "기관")
		}
		if tag.RowsAffected() == 0 {
			return apperr.Errorf(apperr.NotFound, "기관을 찾을 수 없습니다.")
		}
		return insertAudit(ctx, tx, audit)
	})
}
