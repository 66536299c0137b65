// Package onboarding is how an enterprise joins the co-op: it applies
// (입점 신청) with its first owner account, an operator approves or rejects
// the application, and may later suspend and reinstate the enterprise.
//
// It is apart from package account because it speaks the catalogue's
// vocabulary (enterprise types, regions): catalog's services depend on
// account for the actor and the audit log, so account cannot import catalog.
package onboarding

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/textin"
)

// BankAccount is where the co-op pays the enterprise (정산 계좌).
type BankAccount struct {
	BankName string
	Number   string // digits and hyphens
	Holder   string
}

// Application is an enterprise as onboarding sees it: the enterprise, its
// settlement account and where its application stands. Enterprise.Status is
// the application's state: pending, active (approved), rejected; suspended
// later.
type Application struct {
	Enterprise      catalog.Enterprise
	Bank            BankAccount
	RejectionReason string
	AppliedAt       *time.Time // nil for enterprises that joined without applying (imports)
	ReviewedAt      *time.Time
	ReviewedBy      int64
	// Owner is the enterprise's first owner account (nil if it has none).
	Owner *account.User
}

// ApplicationInput is the application form. Service.Apply's field errors use
// these form names: name, business_number, type, cert_number,
// cert_valid_until, region, representative, phone, email, address, mission,
// bank_name, bank_account, bank_holder, owner_name, owner_email,
// owner_password, owner_password_confirm.
type ApplicationInput struct {
	Name           string // 상호
	BusinessNumber string // 사업자등록번호, with or without hyphens
	Type           catalog.EnterpriseType
	CertNumber     string // 인증·지정 번호
	CertValidUntil string // YYYY-MM-DD or YYYY.MM.DD; "" when open-ended
	Region         catalog.Region
	Representative string // 대표자
	Phone          string
	Email          string // the enterprise's contact address
	Address        string
	Mission        string // 사회적 가치·미션

	BankName    string
	BankAccount string
	BankHolder  string

	// The first owner account, which signs in to follow the application.
	OwnerName            string
	OwnerEmail           string
	OwnerPassword        string
	OwnerPasswordConfirm string
}

// ApplicationFilter selects applications (enterprises that applied).
type ApplicationFilter struct {
	Status string // "" for all; pending, active, rejected, suspended
	Limit  int    // default 50, at most 500
	Offset int
}

// StatusChange moves an enterprise from one of From to To.
type StatusChange struct {
	EnterpriseID int64
	From         []string
	To           string
	At           time.Time
	// Review marks an application's review: ReviewedAt/By and the rejection
	// reason (empty unless rejected) are written.
	Review     bool
	ReviewedBy int64
	Reason     string
}

// Actions onboarding records in the audit log (entity "enterprise").
const (
	ActionApprove   = "application.approve"
	ActionReject    = "application.reject"
	ActionSuspend   = "enterprise.suspend"
	ActionReinstate = "enterprise.reinstate"
)

// Store is what onboarding needs from the system of record.
type Store interface {
	// CreateApplication inserts a.Enterprise as a pending enterprise (its ID,
	// ExternalID "app-…", timestamps and a.AppliedAt are set) with a.Bank,
	// the owner user (ID set) and the owner's membership, in one
	// transaction. Conflict with Fields naming the duplicate:
	// "business_number" or "email" (the owner's address).
	CreateApplication(ctx context.Context, a *Application, owner *account.User, passwordHash string) error
	// FindApplicationByID returns enterprise id, of any status, with its
	// onboarding fields and first owner. NotFound if missing.
	FindApplicationByID(ctx context.Context, id int64) (*Application, error)
	// FindApplications returns the enterprises that applied, matching f,
	// newest application first, and their total.
	FindApplications(ctx context.Context, f ApplicationFilter) ([]*Application, int, error)
	// ChangeStatus applies c with audit (if not nil) and a search outbox row
	// for the enterprise (its products' visibility follows its status), in
	// one transaction. NotFound if missing; Conflict when its status is not
	// one of c.From.
	ChangeStatus(ctx context.Context, c StatusChange, audit *account.AuditRecord) error
}

// Service is the onboarding domain.
type Service struct {
	store    Store
	accounts *account.Service
	mailer   mail.Mailer
	log      *slog.Logger
}

// NewService returns the onboarding service; accounts hashes passwords,
// mails address confirmations and builds audit records. A nil log is
// slog.Default().
func NewService(store Store, accounts *account.Service, mailer mail.Mailer, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: store, accounts: accounts, mailer: mailer, log: log}
}

// text trims s (and makes a multiline field's line breaks LF), adds its
// problem under textin's rule to f, and returns it.
func text(f apperr.Fields, key, s string, r textin.Rule) string {
	s = strings.TrimSpace(s)
	if r.Multiline {
		s = textin.NormalizeNewlines(s)
	}
	f.Add(key, r.Message(s))
	return s
}

// parseDate reads 2027-06-30 or 2027.06.30 as a date in UTC.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006.01.02", "2006. 1. 2."} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// validate checks in and returns the application and owner it describes.
func (s *Service) validate(in ApplicationInput) (*Application, *account.User, error) {
	f := apperr.Fields{}
	a := &Application{}
	e := &a.Enterprise
	e.Name = text(f, "name", in.Name, textin.Rule{Label: "상호", Required: true, Max: 100})
	if bn := strings.TrimSpace(in.BusinessNumber); bn == "" {
		f.Add("business_number", "사업자등록번호를 입력해 주세요.")
	} else if d, ok := kr.NormalizeBusinessNumber(bn); !ok {
		f.Add("business_number", "사업자등록번호가 올바르지 않습니다. 10자리 숫자를 확인해 주세요.")
	} else {
		e.BusinessNumber = d
	}
	if e.Type = in.Type; !e.Type.Valid() {
		f.Add("type", "기업 유형을 골라 주세요.")
	}
	e.CertNumber = text(f, "cert_number", in.CertNumber, textin.Rule{Label: "인증·지정 번호", Required: true, Max: 50})
	if v := strings.TrimSpace(in.CertValidUntil); v != "" {
		d, ok := parseDate(v)
		today := s.accounts.Now().In(kr.Seoul()) // the certificates' calendar
		switch {
		case !ok:
			f.Add("cert_valid_until", "유효 기간은 2027-06-30처럼 입력해 주세요.")
		case d.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)):
			f.Add("cert_valid_until", "유효 기간이 이미 지났습니다. 갱신한 인증서의 날짜를 입력해 주세요.")
		default:
			e.CertValidUntil = &d
		}
	}
	if e.Region = in.Region; !e.Region.Valid() {
		f.Add("region", "지역(시·도)을 골라 주세요.")
	}
	e.Representative = text(f, "representative", in.Representative, textin.Rule{Label: "대표자 이름", Required: true, Max: 50})
	if p := strings.TrimSpace(in.Phone); p == "" {
		f.Add("phone", "대표 전화번호를 입력해 주세요.")
	} else if !kr.ValidPhone(p) {
		f.Add("phone", "전화번호 형식이 올바르지 않습니다. 예: 053-123-4567")
	} else {
		e.Phone = kr.Phone(p)
	}
	if strings.TrimSpace(in.Email) == "" {
		f.Add("email", "기업 이메일 주소를 입력해 주세요.")
	} else if addr, ok := account.NormalizeEmail(in.Email); !ok {
		f.Add("email", "이메일 주소 형식이 올바르지 않습니다.")
	} else {
		e.Email = addr
	}
	e.Address = text(f, "address", in.Address, textin.Rule{Label: "주소", Required: true, Max: 200})
	e.Mission = text(f, "mission", in.Mission, textin.Rule{Label: "사회적 가치(미션)", Required: true, Max: 1000, Multiline: true})
	a.Bank.BankName = text(f, "bank_name", in.BankName, textin.Rule{Label: "은행 이름", Required: true, Max: 30})
	if n := strings.TrimSpace(in.BankAccount); n == "" {
		f.Add("bank_account", "정산 계좌번호를 입력해 주세요.")
	} else if digits := strings.ReplaceAll(n, "-", ""); strings.Trim(n, "0123456789-") != "" || len(digits) < 6 || len(digits) > 20 {
		f.Add("bank_account", "계좌번호는 숫자와 하이픈(-)으로 입력해 주세요.")
	} else {
		a.Bank.Number = n
	}
	a.Bank.Holder = text(f, "bank_holder", in.BankHolder, textin.Rule{Label: "예금주", Required: true, Max: 50})

	owner := &account.User{Role: account.EnterpriseStaff, Status: account.UserActive}
	owner.Name = text(f, "owner_name", in.OwnerName, textin.Rule{Label: "담당자 이름", Required: true, Max: 50})
	if strings.TrimSpace(in.OwnerEmail) == "" {
		f.Add("owner_email", "로그인할 이메일 주소를 입력해 주세요.")
	} else if addr, ok := account.NormalizeEmail(in.OwnerEmail); !ok {
		f.Add("owner_email", "이메일 주소 형식이 올바르지 않습니다.")
	} else {
		owner.Email = addr
	}
	f.Add("owner_password", account.CheckPassword(in.OwnerPassword, owner.Email))
	if f["owner_password"] == "" && in.OwnerPassword != in.OwnerPasswordConfirm {
		f.Add("owner_password_confirm", "비밀번호가 서로 다릅니다. 다시 입력해 주세요.")
	}
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	return a, owner, nil
}

// Apply records an enterprise's application: the pending enterprise, its
// first owner account and the membership, in one transaction, then mails the
// owner a link to confirm their address. Anyone may apply (no actor). Invalid
// with Fields for every wrong field (ApplicationInput's form names);
// Conflict with Fields["business_number"] when the 사업자등록번호 is already
// registered or Fields["owner_email"] when the address has an account. The
// owner is not signed in: call account's SignIn.
func (s *Service) Apply(ctx context.Context, in ApplicationInput) (*Application, error) {
	a, owner, err := s.validate(in)
	if err != nil {
		return nil, err
	}
	hash, err := s.accounts.HashPassword(in.OwnerPassword)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateApplication(ctx, a, owner, hash); err != nil {
		return nil, conflictFields(err)
	}
	a.Owner = owner
	if err := s.accounts.SendEmailConfirmation(ctx, owner); err != nil {
		s.log.ErrorContext(ctx, "onboarding: confirmation mail", "user_id", owner.ID, "err", err)
	}
	return a, nil
}

// conflictFields gives the store's duplicate-field Conflict the form's names
// and Korean messages.
func conflictFields(err error) error {
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Conflict {
		return err
	}
	f := apperr.Fields{}
	if _, ok := e.Fields["business_number"]; ok {
		f.Add("business_number", "이미 입점했거나 신청한 사업자등록번호입니다.")
	}
	if _, ok := e.Fields["email"]; ok {
		f.Add("owner_email", "이미 가입된 이메일 주소입니다. 다른 주소를 입력해 주세요.")
	}
	if len(f) == 0 {
		return err
	}
	return &apperr.Error{Code: apperr.Conflict, Message: "입력한 내용을 확인해 주세요.", Fields: f}
}

// FindApplications returns applications matching f, newest first, and their
// total (account.RequireOperator).
func (s *Service) FindApplications(ctx context.Context, f ApplicationFilter) ([]*Application, int, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, 0, err
	}
	switch {
	case f.Limit <= 0:
		f.Limit = 50
	case f.Limit > 500:
		f.Limit = 500
	}
	f.Offset = max(f.Offset, 0)
	return s.store.FindApplications(ctx, f)
}

// FindApplication returns enterprise id's application (RequireOperator).
// NotFound if missing.
func (s *Service) FindApplication(ctx context.Context, id int64) (*Application, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.find(ctx, id)
}

func (s *Service) find(ctx context.Context, id int64) (*Application, error) {
	a, err := s.store.FindApplicationByID(ctx, id)
	if apperr.Code(err) == apperr.NotFound {
		return nil, apperr.Errorf(apperr.NotFound, "찾는 입점 신청이 없습니다.")
	}
	return a, err
}

// ApplicationStatus returns the signed-in enterprise member's own
// application, whatever its status: what a pending or rejected applicant
// sees after signing in. NotFound for actors who are not enterprise members.
func (s *Service) ApplicationStatus(ctx context.Context) (*Application, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role != account.EnterpriseStaff || a.EnterpriseID == 0 || a.APIKeyID != 0 {
		return nil, apperr.Errorf(apperr.NotFound, "찾는 입점 신청이 없습니다.")
	}
	return s.find(ctx, a.EnterpriseID)
}

// Approve makes a pending application's enterprise active
// (RequireOperator), recorded in the audit log, and tells the owner by mail.
// NotFound if missing; Conflict when it is not pending.
func (s *Service) Approve(ctx context.Context, id int64) error {
	return s.change(ctx, id, []string{account.EnterprisePending}, account.EnterpriseActive, "", true, ActionApprove)
}

// Reject rejects a pending application with a reason shown to the applicant
// (RequireOperator), recorded in the audit log and mailed to the owner.
// Invalid with Fields["reason"] without a reason; otherwise as Approve.
func (s *Service) Reject(ctx context.Context, id int64, reason string) error {
	return s.change(ctx, id, []string{account.EnterprisePending}, account.EnterpriseRejected, reason, true, ActionReject)
}

// Suspend suspends an active enterprise (RequireOperator): its products
// leave the shop and search (the outbox queues the enterprise in the same
// transaction) and its members lose the portal at their next request; its
// open orders are not touched. Invalid with Fields["reason"] without a
// reason (kept in the audit log); Conflict when it is not active.
func (s *Service) Suspend(ctx context.Context, id int64, reason string) error {
	return s.change(ctx, id, []string{account.EnterpriseActive}, account.EnterpriseSuspended, reason, false, ActionSuspend)
}

// Reinstate makes a suspended enterprise active again (RequireOperator),
// recorded in the audit log; its active products return to search.
// Conflict when it is not suspended.
func (s *Service) Reinstate(ctx context.Context, id int64) error {
	return s.change(ctx, id, []string{account.EnterpriseSuspended}, account.EnterpriseActive, "", false, ActionReinstate)
}

// reasonRule is a rejection's or suspension's reason (textin's rule).
var reasonRule = textin.Rule{Label: "사유", Required: true, Max: 1000, Multiline: true}

func (s *Service) change(ctx context.Context, id int64, from []string, to, reason string, review bool, action string) error {
	op, err := account.RequireOperator(ctx)
	if err != nil {
		return err
	}
	reason = textin.NormalizeNewlines(strings.TrimSpace(reason))
	if to == account.EnterpriseRejected || to == account.EnterpriseSuspended {
		if reason == "" && to == account.EnterpriseRejected {
			return apperr.Fields{"reason": "사유를 입력해 주세요. 신청한 기업에 그대로 전해집니다."}.Err()
		}
		if reason == "" {
			return apperr.Fields{"reason": "정지 사유를 입력해 주세요. 감사 기록에 남습니다."}.Err()
		}
		if msg := reasonRule.Message(reason); msg != "" {
			return apperr.Fields{"reason": msg}.Err()
		}
	}
	a, err := s.find(ctx, id)
	if err != nil {
		return err
	}
	if !contains(from, a.Enterprise.Status) {
		return errState(a.Enterprise.Status)
	}
	before := map[string]any{"status": a.Enterprise.Status}
	after := map[string]any{"status": to}
	if review {
		before["rejection_reason"] = a.RejectionReason
		after["rejection_reason"] = ""
	}
	if reason != "" {
		after["reason"] = reason
		if to == account.EnterpriseRejected {
			after["rejection_reason"] = reason
		}
	}
	rec, err := s.accounts.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: id, Action: action, Entity: "enterprise",
		EntityID: fmt.Sprint(id), Before: before, After: after})
	if err != nil {
		return err
	}
	c := StatusChange{EnterpriseID: id, From: from, To: to, At: s.accounts.Now(), Review: review, ReviewedBy: op.UserID}
	if to == account.EnterpriseRejected {
		c.Reason = reason
	}
	if err := s.store.ChangeStatus(ctx, c, rec); err != nil {
		if apperr.Code(err) == apperr.Conflict { // reviewed by someone else meanwhile
			return errState("")
		}
		return err
	}
	if review && a.Owner != nil {
		s.mailReview(ctx, a, to, reason)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func errState(status string) error {
	switch status {
	case account.EnterpriseActive:
		return apperr.Errorf(apperr.Conflict, "이미 입점한 기업입니다.")
	case account.EnterpriseRejected:
		return apperr.Errorf(apperr.Conflict, "이미 반려한 신청입니다.")
	case account.EnterpriseSuspended:
		return apperr.Errorf(apperr.Conflict, "입점이 정지된 기업입니다.")
	case account.EnterprisePending:
		return apperr.Errorf(apperr.Conflict, "아직 심사하지 않은 신청입니다.")
	}
	return apperr.Errorf(apperr.Conflict, "기업의 상태가 그새 바뀌었습니다. 새로 고쳐 다시 확인해 주세요.")
}

// mailReview tells the owner the outcome; a failed mail does not undo the
// review (the applicant also sees it after signing in).
func (s *Service) mailReview(ctx context.Context, a *Application, to, reason string) {
	m := mail.Mail{To: a.Owner.Email}
	if to == account.EnterpriseActive {
		m.Subject = "[두레] 입점 신청이 승인되었습니다"
		m.Body = a.Enterprise.Name + "의 입점 신청이 승인되었습니다. 로그인하면 입점기업 화면에서 상품을 등록할 수 있습니다."
	} else {
		m.Subject = "[두레] 입점 신청 결과를 알려 드립니다"
		m.Body = a.Enterprise.Name + "의 입점 신청이 반려되었습니다.\n\n사유: " + reason + "\n\n궁금한 점은 협동조합에 문의해 주세요."
	}
	if err := s.mailer.Send(ctx, m); err != nil {
		s.log.ErrorContext(ctx, "onboarding: review mail", "enterprise_id", a.Enterprise.ID, "err", err)
	}
}
