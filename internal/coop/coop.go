// Package coop is the co-operative's own record: its business details (the
// documents and the shop footer name them), the bank account invoices point
// to, the public-contract rules it applies (inspection and payment periods,
// the direct-contract limit, what the priority-purchase report counts) and
// the holidays that working days skip. The rules are settings because the
// law and the co-op's contracts change.
package coop

import (
	"context"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/textin"
)

// Defaults of the rules (DESIGN §5): 검수 within 14 days of the delivery
// notice, payment within 5 working days of a valid claim, a direct contract
// with one enterprise up to 50,000,000원.
const (
	DefaultInspectionDays      = 14
	DefaultClaimWorkingDays    = 5
	DefaultDirectContractLimit = 50_000_000
)

// ReportBasis is which lines the priority-purchase report counts.
type ReportBasis string

// Report bases.
const (
	BasisInspected ReportBasis = "inspected" // 검수 passed (or partly: the accepted quantity)
	BasisDelivered ReportBasis = "delivered" // delivered, inspected or not
)

// Label is the Korean name of the basis.
func (b ReportBasis) Label() string {
	switch b {
	case BasisInspected:
		return "검수 완료 기준"
	case BasisDelivered:
		return "배송 완료 기준"
	}
	return ""
}

// Settings is the co-op's single row of settings.
type Settings struct {
	Name            string // 상호
	Representative  string // 대표자
	BusinessNumber  string // 사업자등록번호, ten digits ("" until set)
	MailOrderNumber string // 통신판매업 신고번호
	Address         string // 사업장 주소
	Phone           string
	Email           string
	HostingProvider string // 호스팅 제공자
	// Intermediary says the co-op is a marketplace intermediary
	// (통신판매중개자): the enterprises are the sellers, and the footer
	// carries the notice the law asks for.
	Intermediary bool

	BankName    string // 은행
	BankAccount string // 계좌번호 (digits and hyphens)
	BankHolder  string // 예금주

	InspectionDays      int // days from the delivery notice to inspect a part
	ClaimWorkingDays    int // working days from a claim to its payment
	ReportBasis         ReportBasis
	DirectContractLimit int64 // 원, per contract with one enterprise

	UpdatedAt time.Time
}

// BusinessNumberLabel is the 사업자등록번호 as 123-45-67890 ("" when unset).
func (s *Settings) BusinessNumberLabel() string { return kr.FormatBusinessNumber(s.BusinessNumber) }

// BankLabel is the account as an invoice prints it: "농협은행 301-1234-5678-91 (예금주 두레협동조합)",
// or "" when no account is set.
func (s *Settings) BankLabel() string {
	if s.BankAccount == "" {
		return ""
	}
	return strings.TrimSpace(s.BankName+" "+s.BankAccount) + " (예금주 " + s.BankHolder + ")"
}

// The text fields' rules.
var (
	nameRule     = textin.Rule{Label: "상호", Required: true, Max: 100}
	reprRule     = textin.Rule{Label: "대표자", Required: true, Max: 50}
	mailRule     = textin.Rule{Label: "통신판매업 신고번호", Max: 50}
	addressRule  = textin.Rule{Label: "사업장 주소", Max: 200}
	emailRule    = textin.Rule{Label: "이메일", Max: 100, NoSpace: true}
	bankNameRule = textin.Rule{Label: "은행", Max: 30}
	holderRule   = textin.Rule{Label: "예금주", Max: 50}
	hostingRule  = textin.Rule{Label: "호스팅 제공자", Max: 100}
)

// Normalize trims the text fields and puts the business number, phone and
// account in their stored shapes (digits; 010-1234-5678; digits and
// hyphens).
func (s *Settings) Normalize() {
	for _, p := range []*string{&s.Name, &s.Representative, &s.MailOrderNumber, &s.Address, &s.Phone, &s.Email,
		&s.HostingProvider, &s.BankName, &s.BankAccount, &s.BankHolder} {
		*p = strings.TrimSpace(*p)
	}
	if d, ok := kr.NormalizeBusinessNumber(s.BusinessNumber); ok {
		s.BusinessNumber = d
	}
	if s.Phone != "" {
		s.Phone = kr.Phone(s.Phone)
	}
	s.BankAccount = strings.Join(strings.Fields(s.BankAccount), "")
}

// Validate reports every wrong field at once: apperr.Invalid with Fields
// keyed by the form's names (name, representative, business_number,
// mail_order_number, address, phone, email, hosting_provider, bank_name, bank_account,
// bank_holder, inspection_days, claim_working_days, report_basis,
// direct_contract_limit). Call Normalize first.
func (s *Settings) Validate() error {
	f := map[string]string{}
	for key, c := range map[string]struct {
		r textin.Rule
		v string
	}{"name": {nameRule, s.Name}, "representative": {reprRule, s.Representative},
		"mail_order_number": {mailRule, s.MailOrderNumber}, "address": {addressRule, s.Address},
		"email": {emailRule, s.Email}, "hosting_provider": {hostingRule, s.HostingProvider}, "bank_name": {bankNameRule, s.BankName}, "bank_holder": {holderRule, s.BankHolder}} {
		if msg := c.r.Message(c.v); msg != "" {
			f[key] = msg
		}
	}
	if s.BusinessNumber != "" {
		if _, ok := kr.NormalizeBusinessNumber(s.BusinessNumber); !ok {
			f["business_number"] = "사업자등록번호를 확인해 주세요. 123-45-67890 형식의 10자리이며 마지막 자리는 검증 번호입니다."
		}
	}
	if s.Phone != "" && !kr.ValidPhone(s.Phone) {
		f["phone"] = "전화번호는 02-123-4567 또는 010-1234-5678 형식으로 입력해 주세요."
	}
	if f["email"] == "" && s.Email != "" && !kr.ValidEmail(s.Email) {
		f["email"] = "이메일 주소를 확인해 주세요. 예) dure@example.kr"
	}
	if s.BankAccount != "" && !validAccount(s.BankAccount) {
		f["bank_account"] = "계좌번호는 숫자와 하이픈(-)으로 6~30자리를 입력해 주세요."
	}
	if s.BankAccount != "" && (s.BankName == "" || s.BankHolder == "") {
		if s.BankName == "" {
			f["bank_name"] = "계좌번호를 입력했다면 은행도 입력해 주세요."
		}
		if s.BankHolder == "" {
			f["bank_holder"] = "계좌번호를 입력했다면 예금주도 입력해 주세요."
		}
	}
	if s.InspectionDays < 1 || s.InspectionDays > 90 {
		f["inspection_days"] = "검수 기한은 1일에서 90일 사이로 입력해 주세요."
	}
	if s.ClaimWorkingDays < 1 || s.ClaimWorkingDays > 60 {
		f["claim_working_days"] = "대금 지급 기한은 1일에서 60일(영업일) 사이로 입력해 주세요."
	}
	if s.ReportBasis.Label() == "" {
		f["report_basis"] = "실적 집계 기준을 선택해 주세요."
	}
	if s.DirectContractLimit < 1 || s.DirectContractLimit > 100_000_000_000 {
		f["direct_contract_limit"] = "수의계약 한도는 1원에서 1,000억원 사이로 입력해 주세요."
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "설정을 확인해 주세요.", Fields: f}
	}
	return nil
}

func validAccount(s string) bool {
	if len(s) < 6 || len(s) > 30 || s[0] < '0' || s[0] > '9' {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// Holiday is a day that is not a working day besides weekends.
type Holiday struct {
	Day  time.Time // midnight UTC of the civil date
	Name string
}

// DayLabel is the date as 2026.09.25 (요일).
func (h Holiday) DayLabel() string { return h.Day.Format("2006.01.02") + " (" + Weekday(h.Day) + ")" }

// Weekday is the Korean name of t's weekday ("월" … "일").
func Weekday(t time.Time) string {
	return [...]string{"일", "월", "화", "수", "목", "금", "토"}[t.Weekday()]
}

var holidayNameRule = textin.Rule{Label: "휴일 이름", Required: true, Max: 50}

// Store keeps the settings and the holidays.
type Store interface {
	// FindSettings returns the settings row (the migration creates it).
	FindSettings(ctx context.Context) (*Settings, error)
	// UpdateSettings writes s and the audit record in one transaction and
	// returns the row as stored.
	UpdateSettings(ctx context.Context, s *Settings, audit *account.AuditRecord) (*Settings, error)
	// FindHolidays lists the holidays from from to to (inclusive), by day.
	FindHolidays(ctx context.Context, from, to time.Time) ([]Holiday, error)
	// AddHoliday inserts h with its audit record; apperr.Conflict when the
	// day is already a holiday.
	AddHoliday(ctx context.Context, h Holiday, audit *account.AuditRecord) error
	// DeleteHoliday removes the day with its audit record; apperr.NotFound
	// when it is not a holiday.
	DeleteHoliday(ctx context.Context, day time.Time, audit *account.AuditRecord) error
}

// Auditor builds audit records for a store to write with the change
// (*account.Service is one).
type Auditor interface {
	NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error)
}

// Audit actions.
const (
	ActionSettingsUpdate = "coop.settings.update"
	ActionHolidayAdd     = "coop.holiday.add"
	ActionHolidayDelete  = "coop.holiday.delete"
)

// Service reads the settings and holidays for everyone and lets operators
// change them, audited.
type Service struct {
	store   Store
	auditor Auditor
}

// NewService returns a co-op service.
func NewService(store Store, auditor Auditor) *Service {
	return &Service{store: store, auditor: auditor}
}

// Settings returns the co-op's settings (anyone: the footer shows them).
func (s *Service) Settings(ctx context.Context) (*Settings, error) { return s.store.FindSettings(ctx) }

// UpdateSettings stores in after Normalize and Validate (apperr.Invalid with
// Fields), for operators only (account.RequireOperator), audited with the
// settings before and after.
func (s *Service) UpdateSettings(ctx context.Context, in Settings) (*Settings, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	before, err := s.store.FindSettings(ctx)
	if err != nil {
		return nil, err
	}
	rec, err := s.auditor.NewAuditRecord(ctx, account.AuditEntry{Action: ActionSettingsUpdate, Entity: "coop_settings",
		EntityID: "1", Before: before, After: in})
	if err != nil {
		return nil, err
	}
	return s.store.UpdateSettings(ctx, &in, rec)
}

// Holidays lists the holidays of year (Korean calendar), by day.
func (s *Service) Holidays(ctx context.Context, year int) ([]Holiday, error) {
	return s.store.FindHolidays(ctx, Date(year, 1, 1), Date(year, 12, 31))
}

// Calendar returns the holidays from from on, for about two years: enough
// for any due date counted from from.
func (s *Service) Calendar(ctx context.Context, from time.Time) (Calendar, error) {
	list, err := s.store.FindHolidays(ctx, from, from.AddDate(2, 0, 0))
	if err != nil {
		return nil, err
	}
	return NewCalendar(list), nil
}

// AddHoliday adds day (YYYY-MM-DD, or YYYY.MM.DD) named name, for operators,
// audited. apperr.Invalid with Fields day and name; apperr.Conflict when
// the day is already a holiday.
func (s *Service) AddHoliday(ctx context.Context, day, name string) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	f := map[string]string{}
	d, ok := ParseDate(day)
	if !ok {
		f["day"] = "날짜를 2026-09-25 형식으로 입력해 주세요."
	}
	if msg := holidayNameRule.Message(name); msg != "" {
		f["name"] = msg
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "휴일을 확인해 주세요.", Fields: f}
	}
	h := Holiday{Day: d, Name: name}
	rec, err := s.auditor.NewAuditRecord(ctx, account.AuditEntry{Action: ActionHolidayAdd, Entity: "holiday", EntityID: d.Format(time.DateOnly),
		After: map[string]string{"day": d.Format(time.DateOnly), "name": name}})
	if err != nil {
		return err
	}
	return s.store.AddHoliday(ctx, h, rec)
}

// DeleteHoliday removes day (YYYY-MM-DD) from the holidays, for operators,
// audited. apperr.NotFound when it is not one.
func (s *Service) DeleteHoliday(ctx context.Context, day string) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	d, ok := ParseDate(day)
	if !ok {
		return apperr.Errorf(apperr.NotFound, "휴일을 찾을 수 없습니다.")
	}
	rec, err := s.auditor.NewAuditRecord(ctx, account.AuditEntry{Action: ActionHolidayDelete, Entity: "holiday", EntityID: d.Format(time.DateOnly),
		Before: map[string]string{"day": d.Format(time.DateOnly)}})
	if err != nil {
		return err
	}
	return s.store.DeleteHoliday(ctx, d, rec)
}
