package settlement

import (
	"context"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/textin"
)

// Store keeps rates, entries and statements (postgres.SettlementStore).
type Store interface {
	// FindSettings reads the co-op's commission settings.
	FindSettings(ctx context.Context) (*Settings, error)
	// UpdateSettings writes them with the audit record.
	UpdateSettings(ctx context.Context, s *Settings, audit *account.AuditRecord) error
	// FindRates lists an enterprise's overrides (0: every enterprise's),
	// newest period first.
	FindRates(ctx context.Context, enterpriseID int64) ([]*Rate, error)
	// CreateRate adds an override: ErrOverlap's error when its period
	// overlaps another of the enterprise and channel, apperr.NotFound for
	// an unknown enterprise. Nothing is written then.
	CreateRate(ctx context.Context, r *Rate, audit *account.AuditRecord) error
	// RateOn is the rate of enterprise and channel on day (override, else
	// the default).
	RateOn(ctx context.Context, enterpriseID int64, c Channel, day time.Time) (int, error)
	// Generate accrues every part and refund not yet accrued (compute
	// makes the entries), then builds or rebuilds the draft statement of
	// [from, to] for every enterprise with open entries up to to; a
	// confirmed or paid statement of the period is left as it is. It runs
	// under one lock, in one transaction, and returns the statements built.
	Generate(ctx context.Context, from, to time.Time, basis Basis, audit *account.AuditRecord) (int, error)
	// FindStatements lists statements (filter), newest period first.
	FindStatements(ctx context.Context, f Filter) ([]*Statement, error)
	// FindStatement returns statement id (apperr.NotFound).
	FindStatement(ctx context.Context, id int64) (*Statement, error)
	// FindEntries lists a statement's entries by day.
	FindEntries(ctx context.Context, statementID int64) ([]Entry, error)
	// ChangeStatement runs decide on statement id under its row lock and
	// writes what it returns with the audit record (decide's error:
	// nothing written).
	ChangeStatement(ctx context.Context, id int64, decide func(st *Statement, bank Bank) (*Statement, *account.AuditRecord, error)) error
	// FindBank and UpdateBank read and write an enterprise's account.
	FindBank(ctx context.Context, enterpriseID int64) (*Bank, error)
	UpdateBank(ctx context.Context, b *Bank, audit *account.AuditRecord) error
}

// Auditor builds audit records (*account.Service).
type Auditor interface {
	NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error)
}

// Service is settlement for the actor in ctx.
type Service struct {
	Store Store
	Audit Auditor
	Now   func() time.Time // nil: time.Now
}

func (s *Service) today() time.Time {
	if s.Now != nil {
		return coop.DateOf(s.Now())
	}
	return coop.DateOf(time.Now())
}

// Today is the civil date in Korea.
func (s *Service) Today() time.Time { return s.today() }

// Settings reads the commission settings (operators).
func (s *Service) Settings(ctx context.Context) (*Settings, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.Store.FindSettings(ctx)
}

// SaveSettings checks and writes the settings (operators; Parse's errors).
func (s *Service) SaveSettings(ctx context.Context, in SettingsInput) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	st, err := in.Parse()
	if err != nil {
		return err
	}
	before, err := s.Store.FindSettings(ctx)
	if err != nil {
		return err
	}
	rec, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{Action: "settlement.settings", Entity: "coop_settings",
		EntityID: "1", Before: before, After: st})
	if err != nil {
		return err
	}
	return s.Store.UpdateSettings(ctx, st, rec)
}

// Rates lists an enterprise's overrides (operators; 0: all).
func (s *Service) Rates(ctx context.Context, enterpriseID int64) ([]*Rate, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.Store.FindRates(ctx, enterpriseID)
}

// AddRate adds an override (operators): Parse's errors, ErrOverlap's.
func (s *Service) AddRate(ctx context.Context, in RateInput) (*Rate, error) {
	_, err := account.RequireOperator(ctx)
	if err != nil {
		return nil, err
	}
	r, err := in.Parse()
	if err != nil {
		return nil, err
	}
	rec, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: r.EnterpriseID, Action: "settlement.rate.create",
		Entity: "commission_rate", After: r})
	if err != nil {
		return nil, err
	}

	if err := s.Store.CreateRate(ctx, r, rec); err != nil {
		return nil, err
	}
	return r, nil
}

// OpenFees splits price for the product page (anyone): the rate of the
// enterprise for consumers today.
func (s *Service) OpenFees(ctx context.Context, enterpriseID, price int64) (Split, error) {
	bp, err := s.Store.RateOn(ctx, enterpriseID, Consumer, s.today())
	if err != nil {
		return Split{}, err
	}
	return SplitPrice(price, bp), nil
}

// Generate builds the drafts of month (ParseMonth's form; operators) and
// returns the period and how many statements it built.
func (s *Service) Generate(ctx context.Context, month string) (time.Time, int, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return time.Time{}, 0, err
	}
	from, to, err := ParseMonth(month, s.today())
	if err != nil {
		return time.Time{}, 0, err
	}
	st, err := s.Store.FindSettings(ctx)
	if err != nil {
		return time.Time{}, 0, err
	}
	rec, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{Action: "settlement.generate", Entity: "settlement_period",
		EntityID: from.Format("2006-01")})
	if err != nil {
		return time.Time{}, 0, err
	}
	n, err := s.Store.Generate(ctx, from, to, st.Basis, rec)
	return from, n, err
}

// Filter selects statements.
type Filter struct {
	EnterpriseID int64     // 0: all (operators only)
	From         time.Time // a period's first day; zero: all
	Status       Status    // "": all
}

// Statements lists statements: an operator's filter as given; an
// enterprise's scoped to its own (account.EnterpriseScope).
func (s *Service) Statements(ctx context.Context, f Filter) ([]*Statement, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsOperator() || a.OnBehalf {
		own, err := account.EnterpriseScope(ctx)
		if err != nil {
			return nil, err
		}
		f.EnterpriseID = own
	}
	return s.Store.FindStatements(ctx, f)
}

func errStatementNotFound() error {
	return apperr.Errorf(apperr.NotFound, "정산서를 찾을 수 없습니다.")
}

// Statement returns statement id with its entries: an operator any, an
// enterprise its own (another's: apperr.NotFound).
func (s *Service) Statement(ctx context.Context, id int64) (*Statement, []Entry, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.Store.FindStatement(ctx, id)
	if apperr.Code(err) == apperr.NotFound {
		return nil, nil, errStatementNotFound()
	}
	if err != nil {
		return nil, nil, err
	}
	if !a.IsOperator() || a.OnBehalf {
		if err := account.CanManageEnterprise(ctx, st.EnterpriseID); err != nil {
			if apperr.Code(err) == apperr.NotFound {
				return nil, nil, errStatementNotFound()
			}
			return nil, nil, err
		}
	}
	entries, err := s.Store.FindEntries(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return st, entries, nil
}

// Confirm locks a draft statement (operators) once its period has ended
// and the enterprise has a settlement account, which it snapshots.
// apperr.Conflict for a confirmed or paid statement, a period not over, a
// missing account; NotFound.
func (s *Service) Confirm(ctx context.Context, id int64) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	today := s.today()
	return s.Store.ChangeStatement(ctx, id, func(st *Statement, bank Bank) (*Statement, *account.AuditRecord, error) {
		switch st.Status {
		case Paid:
			return nil, nil, apperr.Errorf(apperr.Conflict, "이미 지급 완료된 정산서는 다시 확정할 수 없습니다. 차이가 있으면 다음 달 정산서에서 조정해 주세요.")
		case Confirmed:
			return nil, nil, apperr.Errorf(apperr.Conflict, "이미 확정된 정산서입니다.")
		}
		if !today.After(st.To) {
			return nil, nil, apperr.Errorf(apperr.Conflict, "정산 기간(%s)이 끝난 뒤에 확정할 수 있습니다.", st.PeriodLabel())
		}
		if bank.Account == "" {
			return nil, nil, apperr.Errorf(apperr.Conflict, "'%s'의 정산 계좌가 없습니다. 기업이 포털에서 정산 계좌를 등록한 뒤에 확정해 주세요.", st.EnterpriseName)
		}
		next := *st
		next.Status = Confirmed
		now := time.Now()
		if s.Now != nil {
			now = s.Now()
		}
		next.ConfirmedAt = &now
		next.BankName, next.BankAccount, next.BankHolder = bank.Name, bank.Account, bank.Holder
		rec, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: st.EnterpriseID, Action: "settlement.confirm",
			Entity: "settlement_statement", EntityID: itoa(st.ID), Before: st.Figures, After: next.Figures})
		return &next, rec, err
	})
}

var referenceRule = textin.Rule{Label: "이체 참조번호", Required: true, Max: 100}

// PayInput is the payment form.
type PayInput struct {
	Reference string // the bank transfer's reference
	Date      string // YYYY-MM-DD; blank: today
}

// MarkPaid records the transfer of a confirmed statement (operators).
// apperr.Invalid (Fields reference, date); apperr.Conflict for a draft or
// a paid one; NotFound.
func (s *Service) MarkPaid(ctx context.Context, id int64, in PayInput) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	f := apperr.Fields{}
	ref := strings.TrimSpace(in.Reference)
	f.Add("reference", referenceRule.Message(ref))
	day := s.today()
	if strings.TrimSpace(in.Date) != "" {
		d, ok := coop.ParseDate(in.Date)
		switch {
		case !ok:
			f.Add("date", "지급일을 2026-11-05 형식으로 입력해 주세요.")
		case d.After(day):
			f.Add("date", "지급일은 오늘이나 그 이전이어야 합니다.")
		}
		day = d
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.Store.ChangeStatement(ctx, id, func(st *Statement, _ Bank) (*Statement, *account.AuditRecord, error) {
		switch st.Status {
		case Draft:
			return nil, nil, apperr.Errorf(apperr.Conflict, "확정하지 않은 정산서는 지급 처리할 수 없습니다. 먼저 확정해 주세요.")
		case Paid:
			return nil, nil, apperr.Errorf(apperr.Conflict, "이미 지급 완료된 정산서입니다.")
		}
		if day.Before(coop.DateOf(*st.ConfirmedAt)) {
			return nil, nil, &apperr.Error{Code: apperr.Invalid, Message: "지급일은 확정일 이후여야 합니다.",
				Fields: map[string]string{"date": "지급일은 확정일 이후여야 합니다."}}
		}
		next := *st
		next.Status, next.TransferReference, next.PaidOn = Paid, ref, &day
		rec, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: st.EnterpriseID, Action: "settlement.pay",
			Entity: "settlement_statement", EntityID: itoa(st.ID), After: map[string]any{"reference": ref, "paid_on": day.Format(time.DateOnly), "payout": st.Payout}})
		return &next, rec, err
	})
}

// Bank reads the actor's enterprise's account (account.EnterpriseScope).
func (s *Service) Bank(ctx context.Context) (*Bank, error) {
	own, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, err
	}
	return s.Store.FindBank(ctx, own)
}

// EnterpriseBank reads an enterprise's account (operators).
func (s *Service) EnterpriseBank(ctx context.Context, enterpriseID int64) (*Bank, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.Store.FindBank(ctx, enterpriseID)
}

// UpdateBank writes the actor's enterprise's account (owners, and
// operators acting for it: account.CanManageMembers). Validate's errors.
func (s *Service) UpdateBank(ctx context.Context, b Bank) error {
	own, err := account.EnterpriseScope(ctx)
	if err != nil {
		return err
	}
	if err := account.CanManageMembers(ctx, own); err != nil {
		return err
	}
	b.EnterpriseID = own
	b.Normalize()
	if err := b.Validate(); err != nil {
		return err
	}
	before, err := s.Store.FindBank(ctx, own)
	if err != nil {
		return err
	}
	rec, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: own, Action: "enterprise.bank.update",
		Entity: "enterprise", EntityID: itoa(own), Before: before, After: b})
	if err != nil {
		return err
	}
	return s.Store.UpdateBank(ctx, &b, rec)
}

// PayoutRow is one line of the bank's bulk-transfer file.
type PayoutRow struct {
	StatementID int64
	Bank        string
	Account     string
	Holder      string
	Amount      int64
	Memo        string
}

// Payouts are the transfers of month's confirmed, unpaid statements with a
// positive payout (operators), by enterprise.
func (s *Service) Payouts(ctx context.Context, month string) (time.Time, []PayoutRow, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return time.Time{}, nil, err
	}
	from, _, err := ParseMonth(month, s.today())
	if err != nil {
		return time.Time{}, nil, err
	}
	list, err := s.Store.FindStatements(ctx, Filter{From: from, Status: Confirmed})
	if err != nil {
		return time.Time{}, nil, err
	}
	var out []PayoutRow
	for _, st := range list {
		if st.Payout <= 0 {
			continue
		}
		out = append(out, PayoutRow{StatementID: st.ID, Bank: st.BankName, Account: st.BankAccount, Holder: st.BankHolder,
			Amount: st.Payout, Memo: "두레 " + st.From.Format("06.01") + " 정산"})
	}
	return from, out, nil
}
