// Package report builds the co-op's reports from the orders. The first is
// the priority-purchase report (우선구매 실적) of public institutions: per
// institution and period, the amounts bought from social-economy
// enterprises by enterprise type, by enterprise and by month.
//
// What counts (the co-op's report_basis setting, coop.ReportBasis):
//   - inspected (검수 완료 기준): a part of an invoice order counts once its
//     검수 passed, or for the quantities accepted when it partly passed, and
//     falls in the month of the 검수 date. A public order paid by card has
//     no 검수 step: its part counts once delivered, in the month of the
//     delivery (in Korea).
//   - delivered (배송 완료 기준): every delivered part counts, in the month of
//     its delivery; a 검수 on record still limits it to the accepted
//     quantities (a rejected part counts nothing).
//
// Cancelled parts and orders, and any part refunded (wholly or through an
// order-level refund), never count. Figures are the order lines' own
// amounts (unit price × counted quantity, VAT included; shipping is not a
// purchase of the enterprise's products and is left out), and each line is
// grouped by the enterprise type it snapshotted at order time, never the
// enterprise's current type.
package report

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
)

// MaxYears is the longest period a report covers.
const MaxYears = 3

// PeriodKind is how a period was asked for.
type PeriodKind string

// Period kinds.
const (
	FiscalYear PeriodKind = "year"    // 회계연도: the calendar year in Korea
	Quarter    PeriodKind = "quarter" // 분기
	Monthly    PeriodKind = "month"   // 월
	Custom     PeriodKind = "range"   // 기간 지정
)

// PeriodInput is the period form as typed.
type PeriodInput struct {
	Kind    string // year, quarter, range ("" is year)
	Year    string // for year and quarter ("" is this year)
	Quarter string // 1–4
	Month   string // 1–12, for month
	From    string // YYYY-MM-DD (or YYYY.MM.DD), for range
	To      string
}

// Period is a run of civil dates, both ends included (coop dates: midnight
// UTC of the Korean day).
type Period struct {
	Kind     PeriodKind
	Year     int
	Quarter  int
	Month    int
	From, To time.Time
}

// Label is the period in Korean: "2026년", "2026년 3분기", "2026년 3월",
// "2026.03.01 ~ 2026.05.31".
func (p Period) Label() string {
	switch p.Kind {
	case FiscalYear:
		return strconv.Itoa(p.Year) + "년"
	case Quarter:
		return strconv.Itoa(p.Year) + "년 " + strconv.Itoa(p.Quarter) + "분기"
	case Monthly:
		return strconv.Itoa(p.Year) + "년 " + strconv.Itoa(p.Month) + "월"
	}
	return p.From.Format("2006.01.02") + " ~ " + p.To.Format("2006.01.02")
}

// Slug is the period in file names: 2026, 2026-Q3, 2026-03,
// 20260301-20260531.
func (p Period) Slug() string {
	switch p.Kind {
	case FiscalYear:
		return strconv.Itoa(p.Year)
	case Quarter:
		return strconv.Itoa(p.Year) + "-Q" + strconv.Itoa(p.Quarter)
	case Monthly:
		return p.From.Format("2006-01")
	}
	return p.From.Format("20060102") + "-" + p.To.Format("20060102")
}

// Months are the first days of the months the period touches, in order.
func (p Period) Months() []time.Time {
	var out []time.Time
	for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(p.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

// ParsePeriod reads the period form; today (a civil date) fills a blank
// year. apperr.Invalid with Fields keyed kind, year, quarter, month, from
// and to for a wrong one, a reversed range or one longer than MaxYears.
func ParsePeriod(in PeriodInput, today time.Time) (Period, error) {
	kind := PeriodKind(strings.TrimSpace(in.Kind))
	if kind == "" {
		kind = FiscalYear
	}
	f := map[string]string{}
	p := Period{Kind: kind}
	year := func() int {
		s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(in.Year), "년"))
		if s == "" {
			return today.Year()
		}
		y, err := strconv.Atoi(s)
		if err != nil || y < 2000 || y > today.Year()+1 {
			f["year"] = "연도는 2000년부터 " + strconv.Itoa(today.Year()+1) + "년 사이의 숫자로 입력해 주세요."
			return 0
		}
		return y
	}
	switch kind {
	case FiscalYear:
		p.Year = year()
		p.From, p.To = coop.Date(p.Year, 1, 1), coop.Date(p.Year, 12, 31)
	case Quarter:
		p.Year = year()
		q, err := strconv.Atoi(strings.TrimSpace(in.Quarter))
		if err != nil || q < 1 || q > 4 {
			f["quarter"] = "분기를 1분기부터 4분기 중에서 골라 주세요."
		}
		p.Quarter = q
		p.From = coop.Date(p.Year, time.Month(3*q-2), 1)
		p.To = p.From.AddDate(0, 3, -1)
	case Monthly:
		p.Year = year()
		m, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(in.Month), "월"))
		if err != nil || m < 1 || m > 12 {
			f["month"] = "월을 1월부터 12월 중에서 골라 주세요."
		}
		p.Month = m
		p.From = coop.Date(p.Year, time.Month(m), 1)
		p.To = p.From.AddDate(0, 1, -1)
	case Custom:
		from, ok1 := coop.ParseDate(in.From)
		to, ok2 := coop.ParseDate(in.To)
		if !ok1 {
			f["from"] = "시작일을 2026-01-01 형식으로 입력해 주세요."
		}
		if !ok2 {
			f["to"] = "종료일을 2026-12-31 형식으로 입력해 주세요."
		}
		if ok1 && ok2 {
			switch {
			case to.Before(from):
				f["to"] = "종료일이 시작일보다 앞섭니다. 시작일 이후의 날짜를 입력해 주세요."
			case !to.Before(from.AddDate(MaxYears, 0, 0)):
				f["to"] = "기간은 최대 " + strconv.Itoa(MaxYears) + "년까지 조회할 수 있습니다. 기간을 줄여 주세요."
			}
		}
		p.From, p.To = from, to
	default:
		f["kind"] = "기간 종류를 회계연도, 분기, 월, 기간 지정 중에서 골라 주세요."
	}
	if len(f) > 0 {
		msg := "조회 기간을 확인해 주세요."
		for _, k := range []string{"kind", "year", "quarter", "month", "from", "to"} {
			if f[k] != "" {
				msg = f[k]
				break
			}
		}
		return Period{}, &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: f}
	}
	return p, nil
}

// Query is what the store sums: the counted lines of the public orders in
// the period, of one institution or (0) of all.
type Query struct {
	Period        Period
	InstitutionID int64
	Basis         coop.ReportBasis
}

// Figures are a group's counts and amounts: distinct orders, order lines,
// units and won (VAT included, split into 공급가액 and 부가세 per line).
type Figures struct {
	Orders   int64
	Lines    int64
	Quantity int64
	Amount   int64
	Supply   int64
	VAT      int64
}

// TypeRow is the figures of one enterprise type (as snapshotted).
type TypeRow struct {
	Type catalog.EnterpriseType
	Figures
	Share int // of the total amount, in basis points
}

// EnterpriseRow is the figures of one enterprise under one type: an
// enterprise whose type changed within the period has one row per type.
type EnterpriseRow struct {
	EnterpriseID int64
	Name         string // as its latest counted line named it
	Type         catalog.EnterpriseType
	Figures
}

// MonthRow is the figures of one month (its first day).
type MonthRow struct {
	Month time.Time
	Figures
}

// InstitutionRow is the figures of one institution (operators' report of
// all institutions).
type InstitutionRow struct {
	InstitutionID int64
	Name          string
	Figures
}

// Sums is what the store returns.
type Sums struct {
	Total         Figures
	ByType        []TypeRow
	ByEnterprise  []EnterpriseRow
	ByMonth       []MonthRow
	ByInstitution []InstitutionRow
}

// Institution is an institution the report may be about.
type Institution struct {
	ID   int64
	Name string
}

// Procurement is the priority-purchase report.
type Procurement struct {
	Period      Period
	Basis       coop.ReportBasis
	Institution *Institution // nil: every institution (operators)
	Sums
	GeneratedAt time.Time
}

// Store reads the report's figures (postgres.ReportStore).
type Store interface {
	// ProcurementSums sums the counted lines of q. Every type appears in
	// ByType (zero when nothing was bought), every month of the period in
	// ByMonth; ByInstitution is filled only when q.InstitutionID is 0.
	ProcurementSums(ctx context.Context, q Query) (*Sums, error)
	// FindInstitution returns institution id (apperr.NotFound when none).
	FindInstitution(ctx context.Context, id int64) (*Institution, error)
	// FindInstitutions lists the institutions that are not pending, by name.
	FindInstitutions(ctx context.Context) ([]Institution, error)
	SalesStore
}

// Settings gives the report basis (*coop.Service).
type Settings interface {
	Settings(ctx context.Context) (*coop.Settings, error)
}

// Service builds reports for the actor in ctx.
type Service struct {
	store    Store
	settings Settings
	now      func() time.Time
}

// NewService returns a Service; settings may be nil (the inspected basis).
func NewService(store Store, settings Settings) *Service {
	return &Service{store: store, settings: settings, now: time.Now}
}

// Today is the civil date in Korea, for the period form's defaults.
func (s *Service) Today() time.Time { return coop.DateOf(s.now()) }

// ProcurementRequest asks for a priority-purchase report.
type ProcurementRequest struct {
	Period PeriodInput
	// Institution is the institution id as given ("" or "0": the
	// buyer's own, or every institution for an operator).
	Institution string
}

func errNoInstitution() error {
	return apperr.Errorf(apperr.NotFound, "해당 기관을 찾을 수 없습니다. 소속 기관의 실적만 볼 수 있습니다.")
}

// Procurement builds the priority-purchase report. An institution buyer
// (account.InstitutionScope) gets their own institution's and no other:
// naming another institution answers apperr.NotFound. An operator gets
// every institution's, or one's. Anyone else: the scope's error.
// apperr.Invalid as ParsePeriod for a wrong period, and for an institution
// that is not a number.
func (s *Service) Procurement(ctx context.Context, r ProcurementRequest) (*Procurement, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	var asked int64
	if v := strings.TrimSpace(r.Institution); v != "" {
		asked, err = strconv.ParseInt(v, 10, 64)
		if err != nil || asked < 0 {
			return nil, &apperr.Error{Code: apperr.Invalid, Message: "기관을 목록에서 골라 주세요.",
				Fields: map[string]string{"institution": "기관을 목록에서 골라 주세요."}}
		}
	}
	var inst int64
	if a.IsOperator() {
		inst = asked
	} else {
		own, err := account.InstitutionScope(ctx)
		if err != nil {
			return nil, err
		}
		if asked != 0 && asked != own {
			return nil, errNoInstitution()
		}
		inst = own
	}
	p, err := ParsePeriod(r.Period, s.Today())
	if err != nil {
		return nil, err
	}
	basis, err := s.basis(ctx)
	if err != nil {
		return nil, err
	}
	out := &Procurement{Period: p, Basis: basis, GeneratedAt: s.now()}
	if inst != 0 {
		in, err := s.store.FindInstitution(ctx, inst)
		if apperr.Code(err) == apperr.NotFound {
			return nil, errNoInstitution()
		}
		if err != nil {
			return nil, err
		}
		out.Institution = in
	}
	sums, err := s.store.ProcurementSums(ctx, Query{Period: p, InstitutionID: inst, Basis: basis})
	if err != nil {
		return nil, err
	}
	out.Sums = *sums
	for i := range out.ByType {
		if out.Total.Amount > 0 {
			out.ByType[i].Share = int(out.ByType[i].Amount * 10000 / out.Total.Amount)
		}
	}
	return out, nil
}

// Institutions lists the institutions an operator may pick (else the
// operator rule's error).
func (s *Service) Institutions(ctx context.Context) ([]Institution, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.store.FindInstitutions(ctx)
}

// Scope names whose report it is: the institution's name, or "전체 기관".
func (r *Procurement) Scope() string {
	if r.Institution != nil {
		return r.Institution.Name
	}
	return "전체 기관"
}
