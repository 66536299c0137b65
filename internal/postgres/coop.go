package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/coop"
)

// CoopStore implements coop.Store.
type CoopStore struct {
	pool db
}

var _ coop.Store = (*CoopStore)(nil)

// NewCoopStore returns a co-op store on pool.
func NewCoopStore(pool *pgxpool.Pool) *CoopStore { return &CoopStore{pool: db{pool}} }

const coopColumns = `name, representative, business_number, mail_order_number, address, phone, email,
	bank_name, bank_account, bank_holder, inspection_days, claim_working_days, report_basis,
	direct_contract_limit, updated_at`

func scanSettings(row pgx.Row) (*coop.Settings, error) {
	var s coop.Settings
	err := row.Scan(&s.Name, &s.Representative, &s.BusinessNumber, &s.MailOrderNumber, &s.Address, &s.Phone,
		&s.Email, &s.BankName, &s.BankAccount, &s.BankHolder, &s.InspectionDays, &s.ClaimWorkingDays,
		&s.ReportBasis, &s.DirectContractLimit, &s.UpdatedAt)
	if err != nil {
		return nil, translate(err, "협동조합 설정")
	}
	return &s, nil
}

// FindSettings returns the settings row.
func (s *CoopStore) FindSettings(ctx context.Context) (*coop.Settings, error) {
	return scanSettings(s.pool.QueryRow(ctx, `SELECT `+coopColumns+` FROM coop_settings`))
}

// UpdateSettings writes the row and its audit record in one transaction.
func (s *CoopStore) UpdateSettings(ctx context.Context, in *coop.Settings, audit *account.AuditRecord) (*coop.Settings, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: update settings: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	out, err := scanSettings(tx.QueryRow(ctx, `UPDATE coop_settings SET name = $1, representative = $2,
			business_number = $3, mail_order_number = $4, address = $5, phone = $6, email = $7, bank_name = $8,
			bank_account = $9, bank_holder = $10, inspection_days = $11, claim_working_days = $12,
			report_basis = $13, direct_contract_limit = $14, updated_at = now(), updated_by = $15
		RETURNING `+coopColumns,
		in.Name, in.Representative, in.BusinessNumber, in.MailOrderNumber, in.Address, in.Phone, in.Email,
		in.BankName, in.BankAccount, in.BankHolder, in.InspectionDays, in.ClaimWorkingDays, in.ReportBasis,
		in.DirectContractLimit, auditUser(audit)))
	if err != nil {
		return nil, err
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("postgres: update settings: commit: %w", err)
	}
	return out, nil
}

// FindHolidays lists the holidays between from and to, inclusive.
func (s *CoopStore) FindHolidays(ctx context.Context, from, to time.Time) ([]coop.Holiday, error) {
	rows, err := s.pool.Query(ctx, `SELECT day, name FROM holidays WHERE day BETWEEN $1 AND $2 ORDER BY day`,
		from.Format(time.DateOnly), to.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("postgres: holidays: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coop.Holiday, error) {
		var h coop.Holiday
		err := r.Scan(&h.Day, &h.Name)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: holidays: %w", err)
	}
	return list, nil
}

// AddHoliday inserts the holiday and its audit record.
func (s *CoopStore) AddHoliday(ctx context.Context, h coop.Holiday, audit *account.AuditRecord) error {
	return s.inTx(ctx, audit, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO holidays (day, name) VALUES ($1, $2)`, h.Day.Format(time.DateOnly), h.Name)
		return translate(err, "휴일")
	})
}

// DeleteHoliday removes the holiday and writes its audit record.
func (s *CoopStore) DeleteHoliday(ctx context.Context, day time.Time, audit *account.AuditRecord) error {
	return s.inTx(ctx, audit, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM holidays WHERE day = $1`, day.Format(time.DateOnly))
		if err != nil {
			return fmt.Errorf("postgres: delete holiday: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return translate(pgx.ErrNoRows, "휴일")
		}
		return nil
	})
}

func (s *CoopStore) inTx(ctx context.Context, audit *account.AuditRecord, fn func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// auditUser is the user an audit record names, or NULL (no record, or the
// system).
func auditUser(r *account.AuditRecord) any {
	if r == nil {
		return nil
	}
	return zeroNull(r.ActorUserID)
}
