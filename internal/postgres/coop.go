package postgres

import (
	"context"
	"fmt"
	"strconv"
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

var (
	_ coop.Store         = (*CoopStore)(nil)
	_ coop.DocumentStore = (*CoopStore)(nil)
)

// NewCoopStore returns a co-op store on pool.
func NewCoopStore(pool *pgxpool.Pool) *CoopStore { return &CoopStore{pool: db{pool}} }

const coopColumns = `name, representative, business_number, mail_order_number, address, phone, email,
	hosting_provider, intermediary, bank_name, bank_account, bank_holder, inspection_days, claim_working_days, report_basis,
	direct_contract_limit, updated_at`

func scanSettings(row pgx.Row) (*coop.Settings, error) {
	var s coop.Settings
	err := row.Scan(&s.Name, &s.Representative, &s.BusinessNumber, &s.MailOrderNumber, &s.Address, &s.Phone,
		&s.Email, &s.HostingProvider, &s.Intermediary, &s.BankName, &s.BankAccount, &s.BankHolder, &s.InspectionDays, &s.ClaimWorkingDays,
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
			report_basis = $13, direct_contract_limit = $14, updated_at = now(), updated_by = $15,
			hosting_provider = $16, intermediary = $17
		RETURNING `+coopColumns,
		in.Name, in.Representative, in.BusinessNumber, in.MailOrderNumber, in.Address, in.Phone, in.Email,
		in.BankName, in.BankAccount, in.BankHolder, in.InspectionDays, in.ClaimWorkingDays, in.ReportBasis,
		in.DirectContractLimit, auditUser(audit), in.HostingProvider, in.Intermediary))
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

const documentColumns = `id, kind, version, body, published_at`

func scanDocument(row pgx.Row) (*coop.Document, error) {
	var d coop.Document
	if err := row.Scan(&d.ID, &d.Kind, &d.Version, &d.Body, &d.PublishedAt); err != nil {
		return nil, translate(err, "문서")
	}
	return &d, nil
}

// FindDocument returns a version of kind, or its newest when version is 0.
func (s *CoopStore) FindDocument(ctx context.Context, kind coop.DocKind, version int) (*coop.Document, error) {
	return scanDocument(s.pool.QueryRow(ctx, `SELECT `+documentColumns+` FROM legal_documents
		WHERE kind = $1 AND ($2 = 0 OR version = $2) ORDER BY version DESC LIMIT 1`, kind, version))
}

// FindDocumentByID returns one version.
func (s *CoopStore) FindDocumentByID(ctx context.Context, id int64) (*coop.Document, error) {
	return scanDocument(s.pool.QueryRow(ctx, `SELECT `+documentColumns+` FROM legal_documents WHERE id = $1`, id))
}

// PublishDocument stores the next version of kind with its audit record.
// Two operators publishing at once: one of them gets the unique violation
// on (kind, version), as a conflict.
func (s *CoopStore) PublishDocument(ctx context.Context, kind coop.DocKind, body string, audit *account.AuditRecord) (*coop.Document, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: publish document: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	d, err := scanDocument(tx.QueryRow(ctx, `INSERT INTO legal_documents (kind, version, body, published_by)
		SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM legal_documents WHERE kind = $1
		RETURNING `+documentColumns, kind, body, auditUser(audit)))
	if err != nil {
		return nil, err
	}
	if audit != nil {
		audit.EntityID = string(kind) + ":" + strconv.Itoa(d.Version)
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("postgres: publish document: commit: %w", err)
	}
	return d, nil
}
