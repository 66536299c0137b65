package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/settlement"
)

// SettlementStore implements settlement.Store.
type SettlementStore struct {
	pool db
}

var _ settlement.Store = (*SettlementStore)(nil)

// NewSettlementStore returns a settlement store on pool.
func NewSettlementStore(pool *pgxpool.Pool) *SettlementStore { return &SettlementStore{pool: db{pool}} }

// FindSettings reads the commission columns of coop_settings.
func (s *SettlementStore) FindSettings(ctx context.Context) (*settlement.Settings, error) {
	var st settlement.Settings
	err := s.pool.QueryRow(ctx, `SELECT commission_basis, commission_consumer_bp, commission_public_bp FROM coop_settings`).
		Scan(&st.Basis, &st.ConsumerBP, &st.PublicBP)
	if err != nil {
		return nil, fmt.Errorf("postgres: settlement settings: %w", err)
	}
	return &st, nil
}

// UpdateSettings writes them with the audit record.
func (s *SettlementStore) UpdateSettings(ctx context.Context, st *settlement.Settings, audit *account.AuditRecord) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: settlement settings: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if _, err := tx.Exec(ctx, `UPDATE coop_settings SET commission_basis = $1, commission_consumer_bp = $2,
			commission_public_bp = $3, updated_at = now(), updated_by = $4`,
		string(st.Basis), st.ConsumerBP, st.PublicBP, zeroNull(audit.ActorUserID)); err != nil {
		return translate(err, "수수료 설정")
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

const rateColumns = `id, enterprise_id, channel, rate_bp, valid_from, valid_until, note, created_at`

func scanRate(r pgx.Row) (*settlement.Rate, error) {
	var x settlement.Rate
	err := r.Scan(&x.ID, &x.EnterpriseID, &x.Channel, &x.RateBP, &x.From, &x.Until, &x.Note, &x.CreatedAt)
	return &x, err
}

// FindRates lists overrides (0: all), newest period first.
func (s *SettlementStore) FindRates(ctx context.Context, enterpriseID int64) ([]*settlement.Rate, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+rateColumns+` FROM commission_rates
		WHERE $1 = 0 OR enterprise_id = $1 ORDER BY enterprise_id, channel, valid_from DESC`, enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("postgres: commission rates: %w", err)
	}
	defer rows.Close()
	var out []*settlement.Rate
	for rows.Next() {
		r, err := scanRate(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: commission rates: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateRate adds an override; the exclusion constraint refuses an
// overlapping period (settlement.ErrOverlap).
func (s *SettlementStore) CreateRate(ctx context.Context, r *settlement.Rate, audit *account.AuditRecord) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: create rate: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	err = tx.QueryRow(ctx, `INSERT INTO commission_rates (enterprise_id, channel, rate_bp, valid_from, valid_until, note, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at`,
		r.EnterpriseID, string(r.Channel), r.RateBP, r.From, r.Until, r.Note, zeroNull(audit.ActorUserID)).Scan(&r.ID, &r.CreatedAt)
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == "23P01":
		return settlement.ErrOverlap()
	case errors.As(err, &pgErr) && pgErr.Code == "23503":
		return apperr.Errorf(apperr.NotFound, "입점기업을 찾을 수 없습니다.")
	case err != nil:
		return translate(err, "수수료율")
	}
	audit.EntityID = fmt.Sprint(r.ID)
	if err := insertAudit(ctx, tx, audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// rateSQL is the rate of enterprise $1, channel $2 on day $3.
var rateSQL = `SELECT ` + rateExpr("$1", "$2", "$3::date")

// rateExpr is the commission rate of enterprise on channel on day (SQL
// expressions): the enterprise's own rate of that day, else the co-op's
// default for the channel.
func rateExpr(enterprise, channel, day string) string {
	return `coalesce(
	(SELECT rate_bp FROM commission_rates WHERE enterprise_id = ` + enterprise + ` AND channel = ` + channel + `
	   AND ` + day + ` BETWEEN valid_from AND coalesce(valid_until, 'infinity')),
	(SELECT CASE WHEN ` + channel + ` = 'public' THEN commission_public_bp ELSE commission_consumer_bp END FROM coop_settings))`
}

// RateOn is the rate of enterprise and channel on day.
func (s *SettlementStore) RateOn(ctx context.Context, enterpriseID int64, c settlement.Channel, day time.Time) (int, error) {
	var bp int
	if err := s.pool.QueryRow(ctx, rateSQL, enterpriseID, string(c), day).Scan(&bp); err != nil {
		return 0, fmt.Errorf("postgres: rate on: %w", err)
	}
	return bp, nil
}

// saleCandidatesSQL finds the parts that accrued under basis $1 and have no
// sale entry yet, with their counted figures and the rate of their day
// (settlement's package doc).
const saleCandidatesSQL = `
WITH parts AS (
    SELECT so.id, so.enterprise_id, o.channel, so.shipping_fee, i.result,
           CASE WHEN $1 = 'inspected' AND o.payment_terms = 'invoice' THEN i.inspected_on
                ELSE (so.delivered_at AT TIME ZONE 'Asia/Seoul')::date END AS day
    FROM sub_orders so
    JOIN orders o ON o.id = so.order_id
    LEFT JOIN inspections i ON i.sub_order_id = so.id
    WHERE so.status = 'delivered' AND so.delivered_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM settlement_entries e WHERE e.sub_order_id = so.id AND e.kind = 'sale')
      AND CASE WHEN $1 = 'inspected' AND o.payment_terms = 'invoice' THEN i.result IN ('pass', 'partial')
               ELSE coalesce(i.result, 'pass') <> 'reject' END
)
SELECT p.id, p.enterprise_id, p.channel, p.day, p.shipping_fee,
       sum(l.unit_price * c.qty)::bigint,
       sum(CASE WHEN l.discount_funded_by = 'coop' THEN (l.list_unit_price - l.unit_price) * c.qty ELSE 0 END)::bigint,
       coalesce((SELECT r.rate_bp FROM commission_rates r WHERE r.enterprise_id = p.enterprise_id AND r.channel = p.channel
                   AND p.day BETWEEN r.valid_from AND coalesce(r.valid_until, 'infinity')),
                CASE WHEN p.channel = 'public' THEN st.commission_public_bp ELSE st.commission_consumer_bp END)
FROM parts p
JOIN order_lines l ON l.sub_order_id = p.id
LEFT JOIN inspection_lines il ON il.sub_order_id = p.id AND il.order_line_id = l.id
CROSS JOIN LATERAL (SELECT CASE WHEN p.result IS NULL THEN l.quantity ELSE coalesce(il.accepted_quantity, l.quantity) END AS qty) c
CROSS JOIN coop_settings st
GROUP BY p.id, p.enterprise_id, p.channel, p.day, p.shipping_fee, st.commission_public_bp, st.commission_consumer_bp
ORDER BY p.id`

// refundCandidatesSQL finds the refunds of accrued parts without an entry,
// with the part's sale entry and what its refund entries reversed so far.
const refundCandidatesSQL = `
SELECT r.id, r.amount, (r.created_at AT TIME ZONE 'Asia/Seoul')::date,
       e.enterprise_id, e.sub_order_id, e.channel, e.day, e.rate_bp, e.goods, e.shipping, e.coop_discount, e.commission,
       coalesce(b.goods, 0), coalesce(b.shipping, 0), coalesce(b.coop_discount, 0), coalesce(b.commission, 0)
FROM refunds r
JOIN settlement_entries e ON e.sub_order_id = r.sub_order_id AND e.kind = 'sale'
LEFT JOIN LATERAL (SELECT sum(x.goods)::bigint AS goods, sum(x.shipping)::bigint AS shipping,
                          sum(x.coop_discount)::bigint AS coop_discount, sum(x.commission)::bigint AS commission
                   FROM settlement_entries x WHERE x.sub_order_id = r.sub_order_id AND x.kind = 'refund') b ON true
WHERE NOT EXISTS (SELECT 1 FROM settlement_entries x WHERE x.refund_id = r.id)
ORDER BY r.id`

func insertEntry(ctx context.Context, tx pgx.Tx, e settlement.Entry) error {
	_, err := tx.Exec(ctx, `INSERT INTO settlement_entries (enterprise_id, sub_order_id, refund_id, kind, channel, day, rate_bp,
			goods, shipping, coop_discount, commission)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.EnterpriseID, e.SubOrderID, zeroNull(e.RefundID), string(e.Kind), string(e.Channel), e.Day, e.RateBP,
		e.Goods, e.Shipping, e.CoopDiscount, e.Commission)
	if err != nil {
		return fmt.Errorf("postgres: settlement entry: %w", err)
	}
	return nil
}

// accrue writes the missing sale entries, then the missing refund entries.
func accrue(ctx context.Context, tx pgx.Tx, basis settlement.Basis) error {
	rows, err := tx.Query(ctx, saleCandidatesSQL, string(basis))
	if err != nil {
		return fmt.Errorf("postgres: accrue sales: %w", err)
	}
	var sales []settlement.SaleCandidate
	for rows.Next() {
		var c settlement.SaleCandidate
		if err := rows.Scan(&c.SubOrderID, &c.EnterpriseID, &c.Channel, &c.Day, &c.Shipping, &c.Goods, &c.CoopDiscount, &c.RateBP); err != nil {
			rows.Close()
			return fmt.Errorf("postgres: accrue sales: %w", err)
		}
		sales = append(sales, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: accrue sales: %w", err)
	}
	for _, c := range sales {
		if err := insertEntry(ctx, tx, settlement.SaleEntry(c)); err != nil {
			return err
		}
	}
	rows, err = tx.Query(ctx, refundCandidatesSQL)
	if err != nil {
		return fmt.Errorf("postgres: accrue refunds: %w", err)
	}
	var refunds []settlement.RefundCandidate
	for rows.Next() {
		var c settlement.RefundCandidate
		s, b := &c.Sale, &c.Before
		if err := rows.Scan(&c.RefundID, &c.Amount, &c.Day, &s.EnterpriseID, &s.SubOrderID, &s.Channel, &s.Day, &s.RateBP,
			&s.Goods, &s.Shipping, &s.CoopDiscount, &s.Commission, &b.Goods, &b.Shipping, &b.CoopDiscount, &b.Commission); err != nil {
			rows.Close()
			return fmt.Errorf("postgres: accrue refunds: %w", err)
		}
		s.Kind = settlement.Sale
		refunds = append(refunds, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: accrue refunds: %w", err)
	}
	// Several refunds of one part in this run: each sees the ones before.
	done := map[int64]settlement.Entry{}
	for _, c := range refunds {
		if d, ok := done[c.Sale.SubOrderID]; ok {
			c.Before.Goods += d.Goods
			c.Before.Shipping += d.Shipping
			c.Before.CoopDiscount += d.CoopDiscount
			c.Before.Commission += d.Commission
		}
		e := settlement.RefundEntry(c)
		if err := insertEntry(ctx, tx, e); err != nil {
			return err
		}
		d := done[c.Sale.SubOrderID]
		d.Goods += e.Goods
		d.Shipping += e.Shipping
		d.CoopDiscount += e.CoopDiscount
		d.Commission += e.Commission
		done[c.Sale.SubOrderID] = d
	}
	return nil
}

const entryColumns = `e.id, e.enterprise_id, e.sub_order_id, coalesce(e.refund_id, 0), o.number, e.kind, e.channel, e.day, e.rate_bp,
	e.goods, e.shipping, e.coop_discount, e.commission`

func scanEntries(rows pgx.Rows) ([]settlement.Entry, error) {
	defer rows.Close()
	var out []settlement.Entry
	for rows.Next() {
		var e settlement.Entry
		if err := rows.Scan(&e.ID, &e.EnterpriseID, &e.SubOrderID, &e.RefundID, &e.OrderNumber, &e.Kind, &e.Channel, &e.Day, &e.RateBP,
			&e.Goods, &e.Shipping, &e.CoopDiscount, &e.Commission); err != nil {
			return nil, fmt.Errorf("postgres: settlement entries: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Generate accrues and builds the drafts of [from, to].
func (s *SettlementStore) Generate(ctx context.Context, from, to time.Time, basis settlement.Basis, audit *account.AuditRecord) (int, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("postgres: settle: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('dure.settlement'))`); err != nil {
		return 0, fmt.Errorf("postgres: settle: lock: %w", err)
	}
	if err := accrue(ctx, tx, basis); err != nil {
		return 0, err
	}
	rows, err := tx.Query(ctx, `SELECT enterprise_id FROM settlement_entries WHERE statement_id IS NULL AND day <= $1
		UNION SELECT enterprise_id FROM settlement_statements WHERE period_from = $2 AND status = 'draft' ORDER BY 1`, to, from)
	if err != nil {
		return 0, fmt.Errorf("postgres: settle: %w", err)
	}
	ents, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, fmt.Errorf("postgres: settle: %w", err)
	}
	built := 0
	for _, ent := range ents {
		var id int64
		var status string
		err := tx.QueryRow(ctx, `SELECT id, status FROM settlement_statements WHERE enterprise_id = $1 AND period_from = $2 FOR UPDATE`,
			ent, from).Scan(&id, &status)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if err := tx.QueryRow(ctx, `INSERT INTO settlement_statements (enterprise_id, period_from, period_to)
				VALUES ($1, $2, $3) RETURNING id`, ent, from, to).Scan(&id); err != nil {
				return 0, fmt.Errorf("postgres: settle: %w", err)
			}
		case err != nil:
			return 0, fmt.Errorf("postgres: settle: %w", err)
		case status != string(settlement.Draft):
			continue // locked: what came later waits for the next period
		default:
			if _, err := tx.Exec(ctx, `UPDATE settlement_entries SET statement_id = NULL WHERE statement_id = $1`, id); err != nil {
				return 0, fmt.Errorf("postgres: settle: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE settlement_entries SET statement_id = $1
			WHERE enterprise_id = $2 AND statement_id IS NULL AND day <= $3`, id, ent, to); err != nil {
			return 0, fmt.Errorf("postgres: settle: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT `+entryColumns+` FROM settlement_entries e
			JOIN sub_orders so ON so.id = e.sub_order_id JOIN orders o ON o.id = so.order_id WHERE e.statement_id = $1`, id)
		if err != nil {
			return 0, fmt.Errorf("postgres: settle: %w", err)
		}
		entries, err := scanEntries(rows)
		if err != nil {
			return 0, err
		}
		if len(entries) == 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM settlement_statements WHERE id = $1`, id); err != nil {
				return 0, fmt.Errorf("postgres: settle: %w", err)
			}
			continue
		}
		f := settlement.Sum(entries)
		if _, err := tx.Exec(ctx, `UPDATE settlement_statements SET sales_consumer = $2, sales_public = $3, shipping = $4,
				coop_discount = $5, refunds = $6, commission = $7, payout = $8, entries = $9, updated_at = now()
			WHERE id = $1`, id, f.SalesConsumer, f.SalesPublic, f.Shipping, f.CoopDiscount, f.Refunds, f.Commission, f.Payout,
			f.Entries); err != nil {
			return 0, fmt.Errorf("postgres: settle: %w", err)
		}
		built++
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return 0, err
	}
	return built, tx.Commit(ctx)
}

const statementColumns = `s.id, s.enterprise_id, en.name, s.period_from, s.period_to, s.status, s.sales_consumer, s.sales_public,
	s.shipping, s.coop_discount, s.refunds, s.commission, s.payout, s.entries, s.bank_name, s.bank_account, s.bank_holder,
	s.transfer_reference, s.created_at, s.updated_at, s.confirmed_at, s.paid_on`

func scanStatement(r pgx.Row) (*settlement.Statement, error) {
	var x settlement.Statement
	err := r.Scan(&x.ID, &x.EnterpriseID, &x.EnterpriseName, &x.From, &x.To, &x.Status, &x.SalesConsumer, &x.SalesPublic,
		&x.Shipping, &x.CoopDiscount, &x.Refunds, &x.Commission, &x.Payout, &x.Entries, &x.BankName, &x.BankAccount, &x.BankHolder,
		&x.TransferReference, &x.CreatedAt, &x.UpdatedAt, &x.ConfirmedAt, &x.PaidOn)
	return &x, err
}

// FindStatements lists statements, newest period first, by enterprise name.
func (s *SettlementStore) FindStatements(ctx context.Context, f settlement.Filter) ([]*settlement.Statement, error) {
	var from *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	rows, err := s.pool.Query(ctx, `SELECT `+statementColumns+` FROM settlement_statements s
		JOIN enterprises en ON en.id = s.enterprise_id
		WHERE ($1 = 0 OR s.enterprise_id = $1) AND ($2::date IS NULL OR s.period_from = $2) AND ($3 = '' OR s.status = $3)
		ORDER BY s.period_from DESC, en.name, s.id LIMIT 500`, f.EnterpriseID, from, string(f.Status))
	if err != nil {
		return nil, fmt.Errorf("postgres: statements: %w", err)
	}
	defer rows.Close()
	var out []*settlement.Statement
	for rows.Next() {
		st, err := scanStatement(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: statements: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// FindStatement returns statement id.
func (s *SettlementStore) FindStatement(ctx context.Context, id int64) (*settlement.Statement, error) {
	st, err := scanStatement(s.pool.QueryRow(ctx, `SELECT `+statementColumns+` FROM settlement_statements s
		JOIN enterprises en ON en.id = s.enterprise_id WHERE s.id = $1`, id))
	if err != nil {
		return nil, translate(err, "정산서")
	}
	return st, nil
}

// FindEntries lists a statement's entries by day.
func (s *SettlementStore) FindEntries(ctx context.Context, statementID int64) ([]settlement.Entry, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+entryColumns+` FROM settlement_entries e
		JOIN sub_orders so ON so.id = e.sub_order_id JOIN orders o ON o.id = so.order_id
		WHERE e.statement_id = $1 ORDER BY e.day, e.id`, statementID)
	if err != nil {
		return nil, fmt.Errorf("postgres: settlement entries: %w", err)
	}
	return scanEntries(rows)
}

// ChangeStatement runs decide under the statement's row lock.
func (s *SettlementStore) ChangeStatement(ctx context.Context, id int64,
	decide func(*settlement.Statement, settlement.Bank) (*settlement.Statement, *account.AuditRecord, error)) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: change statement: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	st, err := scanStatement(tx.QueryRow(ctx, `SELECT `+statementColumns+` FROM settlement_statements s
		JOIN enterprises en ON en.id = s.enterprise_id WHERE s.id = $1 FOR UPDATE OF s`, id))
	if err != nil {
		return translate(err, "정산서")
	}
	b := settlement.Bank{EnterpriseID: st.EnterpriseID}
	if err := tx.QueryRow(ctx, `SELECT bank_name, bank_account, bank_holder FROM enterprises WHERE id = $1`, st.EnterpriseID).
		Scan(&b.Name, &b.Account, &b.Holder); err != nil {
		return fmt.Errorf("postgres: change statement: %w", err)
	}
	next, audit, err := decide(st, b)
	if err != nil {
		return err
	}
	var by int64
	if audit != nil {
		by = audit.ActorUserID
	}
	if _, err := tx.Exec(ctx, `UPDATE settlement_statements SET status = $2, bank_name = $3, bank_account = $4, bank_holder = $5,
			transfer_reference = $6, confirmed_at = $7, paid_on = $8, updated_at = now(),
			confirmed_by = CASE WHEN $2 = 'confirmed' THEN $9 ELSE confirmed_by END,
			paid_by = CASE WHEN $2 = 'paid' THEN $9 ELSE paid_by END
		WHERE id = $1`, id, string(next.Status), next.BankName, next.BankAccount, next.BankHolder, next.TransferReference,
		next.ConfirmedAt, next.PaidOn, zeroNull(by)); err != nil {
		return translate(err, "정산서")
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// FindBank reads an enterprise's account.
func (s *SettlementStore) FindBank(ctx context.Context, enterpriseID int64) (*settlement.Bank, error) {
	b := settlement.Bank{EnterpriseID: enterpriseID}
	err := s.pool.QueryRow(ctx, `SELECT bank_name, bank_account, bank_holder FROM enterprises WHERE id = $1`, enterpriseID).
		Scan(&b.Name, &b.Account, &b.Holder)
	if err != nil {
		return nil, translate(err, "입점기업")
	}
	return &b, nil
}

// UpdateBank writes an enterprise's account with the audit record.
func (s *SettlementStore) UpdateBank(ctx context.Context, b *settlement.Bank, audit *account.AuditRecord) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: update bank: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if _, err := tx.Exec(ctx, `UPDATE enterprises SET bank_name = $2, bank_account = $3, bank_holder = $4, updated_at = now()
		WHERE id = $1`, b.EnterpriseID, b.Name, b.Account, b.Holder); err != nil {
		return translate(err, "정산 계좌")
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
