package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/search"
)

var _ onboarding.Store = (*AccountStore)(nil)

// applicationColumns follow enterpriseColumns (scanEnterprise's extra).
const applicationColumns = `, e.bank_name, e.bank_account, e.bank_holder, e.rejection_reason,
	e.applied_at, e.reviewed_at, coalesce(e.reviewed_by, 0)`

func scanApplication(row pgx.Row) (*onboarding.Application, error) {
	var a onboarding.Application
	e, err := scanEnterprise(row, &a.Bank.BankName, &a.Bank.Number, &a.Bank.Holder, &a.RejectionReason,
		&a.AppliedAt, &a.ReviewedAt, &a.ReviewedBy)
	if err != nil {
		return nil, err
	}
	a.Enterprise = *e
	return &a, nil
}

// CreateApplication inserts the pending enterprise, its owner and the
// membership in one transaction.
func (s *AccountStore) CreateApplication(ctx context.Context, a *onboarding.Application, owner *account.User, passwordHash string) error {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("postgres: application id: %w", err)
	}
	e := &a.Enterprise
	e.ExternalID, e.Status = "app-"+hex.EncodeToString(b[:]), account.EnterprisePending
	return s.inTx(ctx, "create application", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO enterprises (external_id, name, type, cert_number, cert_valid_until,
				business_number, region, representative, phone, email, address, mission, status,
				bank_name, bank_account, bank_holder, applied_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, now())
			RETURNING id, created_at, updated_at, applied_at`,
			e.ExternalID, e.Name, e.Type, e.CertNumber, e.CertValidUntil, e.BusinessNumber, e.Region,
			e.Representative, e.Phone, e.Email, e.Address, e.Mission, e.Status,
			a.Bank.BankName, a.Bank.Number, a.Bank.Holder).Scan(&e.ID, &e.CreatedAt, &e.UpdatedAt, &a.AppliedAt)
		if err != nil {
			return accountErr(err, "입점 신청")
		}
		if err := insertUser(ctx, tx, owner, passwordHash); err != nil {
			return err
		}
		return insertMember(ctx, tx, owner.ID, e.ID, account.Owner)
	})
}

// FindApplicationByID returns enterprise id with its onboarding fields and
// first owner.
func (s *AccountStore) FindApplicationByID(ctx context.Context, id int64) (*onboarding.Application, error) {
	a, err := scanApplication(s.pool.QueryRow(ctx, `SELECT `+enterpriseColumns+applicationColumns+`
		FROM enterprises e WHERE e.id = $1`, id))
	if err != nil {
		return nil, translate(err, "입점 신청")
	}
	if err := s.fillOwners(ctx, []*onboarding.Application{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// FindApplications returns the enterprises that applied, newest first.
func (s *AccountStore) FindApplications(ctx context.Context, f onboarding.ApplicationFilter) ([]*onboarding.Application, int, error) {
	cond, args := "e.applied_at IS NOT NULL", []any{}
	if f.Status != "" {
		args = append(args, f.Status)
		cond += " AND e.status = $1"
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM enterprises e WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, translate(err, "입점 신청 목록")
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.pool.Query(ctx, `SELECT `+enterpriseColumns+applicationColumns+`
		FROM enterprises e WHERE `+cond+`
		ORDER BY e.applied_at DESC, e.id DESC LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, translate(err, "입점 신청 목록")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*onboarding.Application, error) { return scanApplication(r) })
	if err != nil {
		return nil, 0, translate(err, "입점 신청 목록")
	}
	if err := s.fillOwners(ctx, list); err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// fillOwners sets each application's first owner, in one query.
func (s *AccountStore) fillOwners(ctx context.Context, list []*onboarding.Application) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*onboarding.Application, len(list))
	ids := make([]int64, 0, len(list))
	for _, a := range list {
		byID[a.Enterprise.ID] = a
		ids = append(ids, a.Enterprise.ID)
	}
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT ON (m.enterprise_id) m.enterprise_id, `+userColumns+`
		FROM enterprise_members m JOIN users u ON u.id = m.user_id
		WHERE m.enterprise_id = ANY($1) AND m.role = 'owner'
		ORDER BY m.enterprise_id, m.created_at, u.id`, ids)
	if err != nil {
		return translate(err, "대표 계정")
	}
	defer rows.Close()
	for rows.Next() {
		var eid int64
		u := &account.User{}
		if err := rows.Scan(append([]any{&eid}, userDest(u)...)...); err != nil {
			return translate(err, "대표 계정")
		}
		byID[eid].Owner = u
	}
	return translate(rows.Err(), "대표 계정")
}

// ChangeStatus moves an enterprise between statuses, with audit and a
// search outbox row, in one transaction.
func (s *AccountStore) ChangeStatus(ctx context.Context, c onboarding.StatusChange, audit *account.AuditRecord) error {
	return s.inTx(ctx, "change enterprise status", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE enterprises SET status = $2, updated_at = $3,
				reviewed_at = CASE WHEN $4 THEN $3 ELSE reviewed_at END,
				reviewed_by = CASE WHEN $4 THEN $5 ELSE reviewed_by END,
				rejection_reason = CASE WHEN $4 THEN $6 ELSE rejection_reason END
			WHERE id = $1 AND status = ANY($7)`,
			c.EnterpriseID, c.To, c.At, c.Review, zeroNull(c.ReviewedBy), c.Reason, c.From)
		if err != nil {
			return translate(err, "기업")
		}
		if tag.RowsAffected() == 0 {
			var one int
			if err := tx.QueryRow(ctx, `SELECT 1 FROM enterprises WHERE id = $1`, c.EnterpriseID).Scan(&one); err != nil {
				return translate(err, "기업")
			}
			return apperr.Errorf(apperr.Conflict, "기업의 상태가 바뀌었습니다.")
		}
		if err := queueOutbox(ctx, tx, search.EntityEnterprise, c.EnterpriseID); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit)
	})
}
