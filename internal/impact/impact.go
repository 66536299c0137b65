// Package impact is impact per purchase: the figures each enterprise
// declares (with the year they describe and their basis) and the plain
// Korean estimate of what a purchase from it does. Shares are basis points
// and amounts integer won; an estimate is rounded so that it never looks
// more precise than the figure it comes from.
package impact

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/textin"
)

// Kind is one kind of figure.
type Kind string

// The figures an enterprise may declare, in the order pages show them.
const (
	// VulnerableShare is the share of employees from vulnerable groups
	// (취약계층), in basis points.
	VulnerableShare Kind = "vulnerable_share"
	// Jobs is how many people the enterprise employs.
	Jobs Kind = "jobs"
	// LocalSourcing is the share of its spending on local materials and
	// services, in basis points.
	LocalSourcing Kind = "local_sourcing"
	// WorkMinutes is the minutes of work each 10,000원 of purchases creates.
	WorkMinutes Kind = "work_minutes"
)

// Kinds are every kind, in page order.
var Kinds = []Kind{VulnerableShare, Jobs, LocalSourcing, WorkMinutes}

// Label is the kind's Korean name.
func (k Kind) Label() string {
	switch k {
	case VulnerableShare:
		return "취약계층 고용 비율"
	case Jobs:
		return "일자리 수"
	case LocalSourcing:
		return "지역 원재료·서비스 구매 비율"
	case WorkMinutes:
		return "만 원어치 구매당 만들어지는 일의 시간"
	}
	return ""
}

// Share reports whether the kind is a share (basis points, at most 100%).
func (k Kind) Share() bool { return k == VulnerableShare || k == LocalSourcing }

// Max is the largest value the kind accepts.
func (k Kind) Max() int64 {
	switch k {
	case VulnerableShare, LocalSourcing:
		return 10000
	case Jobs:
		return 100_000
	case WorkMinutes:
		return 6000 // 100 hours per 10,000원
	}
	return 0
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return k.Max() > 0 }

// Figure is one declared figure of an enterprise.
type Figure struct {
	Kind  Kind
	Value int64 // basis points for shares, people for Jobs, minutes for WorkMinutes
	Year  int   // the year the figure describes
	Basis string
	// UpdatedAt is when it was last declared (set by the store).
	UpdatedAt time.Time
}

// ValueText is the value as people read it: "37.5%", "12명", "1시간 30분".
func (f Figure) ValueText() string {
	switch {
	case f.Kind.Share():
		return percent(f.Value)
	case f.Kind == Jobs:
		return kr.Comma(f.Value) + "명"
	}
	return duration(f.Value)
}

// percent says basis points as a percentage with at most the declared
// precision: 3750 → "37.5%", 3700 → "37%".
func percent(bp int64) string {
	s := strconv.FormatInt(bp/100, 10)
	if r := bp % 100; r != 0 {
		frac := fmt.Sprintf("%02d", r)
		s += "." + strings.TrimRight(frac, "0")
	}
	return s + "%"
}

// duration says minutes: "45분", "2시간", "1시간 30분".
func duration(m int64) string {
	h, mm := m/60, m%60
	switch {
	case h == 0:
		return strconv.FormatInt(mm, 10) + "분"
	case mm == 0:
		return kr.Comma(h) + "시간"
	}
	return kr.Comma(h) + "시간 " + strconv.FormatInt(mm, 10) + "분"
}

var basisRule = textin.Rule{Label: "근거", Required: true, Max: 200}

// Validate checks figures as declared (apperr.Invalid with Fields
// "<kind>_value", "<kind>_year", "<kind>_basis"): known kinds, each once,
// a value in range, a year from 2000 to thisYear, a basis.
func Validate(figures []Figure, thisYear int) error {
	f := map[string]string{}
	seen := map[Kind]bool{}
	for i := range figures {
		x := &figures[i]
		x.Basis = strings.TrimSpace(x.Basis)
		k := string(x.Kind)
		if !x.Kind.Valid() || seen[x.Kind] {
			return apperr.Errorf(apperr.Invalid, "알 수 없는 항목입니다.")
		}
		seen[x.Kind] = true
		if x.Value < 0 || x.Value > x.Kind.Max() {
			if x.Kind.Share() {
				f[k+"_value"] = x.Kind.Label() + "은 0%부터 100%까지, 소수점 둘째 자리까지 입력해 주세요."
			} else {
				f[k+"_value"] = x.Kind.Label() + "을(를) 0부터 " + kr.Comma(x.Kind.Max()) + "까지의 정수로 입력해 주세요."
			}
		}
		if x.Year < 2000 || x.Year > thisYear {
			f[k+"_year"] = fmt.Sprintf("기준 연도는 2000년부터 %d년까지입니다.", thisYear)
		}
		if msg := basisRule.Message(x.Basis); msg != "" {
			f[k+"_basis"] = msg
		}
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "입력한 내용을 확인해 주세요.", Fields: f}
	}
	return nil
}

// Store keeps the figures.
type Store interface {
	// FindFigures returns the figures of each of the enterprises ids, in
	// Kinds order (an enterprise without any is absent).
	FindFigures(ctx context.Context, ids []int64) (map[int64][]Figure, error)
	// ReplaceFigures makes figures the enterprise's only figures and writes
	// the audit record audit (nil: none) builds from the figures before and
	// figures, in one transaction, and returns the ones before. NotFound for
	// an unknown enterprise.
	ReplaceFigures(ctx context.Context, enterpriseID int64, figures []Figure, audit account.AuditFunc[[]Figure]) (before []Figure, err error)
	// FindPurchases sums, per enterprise, what a buyer paid for order lines
	// in orders paid in year (Korean time) and not cancelled: a member's
	// (userID) or an institution's (institutionID; one of the two is 0).
	FindPurchases(ctx context.Context, userID, institutionID int64, year int) ([]Purchase, error)
}

// Purchase is what a buyer paid one enterprise in a year.
type Purchase struct {
	EnterpriseID   int64
	EnterpriseName string
	Amount         int64
}

// Auditor builds the audit record of a declaration, which the store writes
// with it (*account.Service is one).
type Auditor interface {
	NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error)
}

// Service declares and estimates impact.
type Service struct {
	Store Store
	// Auditor builds the record of every declaration (nil: none; tests only).
	Auditor Auditor
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Figures returns enterprise id's figures, for anyone (they are public).
func (s *Service) Figures(ctx context.Context, id int64) ([]Figure, error) {
	m, err := s.Store.FindFigures(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	return m[id], nil
}

// Declare replaces the figures of enterprise id with figures; only its
// members (and operators acting for it) may (account.CanManageEnterprise:
// NotFound for others). apperr.Invalid with Fields for wrong figures;
// nothing is written then. The change is audited.
func (s *Service) Declare(ctx context.Context, id int64, figures []Figure) error {
	if err := account.CanManageEnterprise(ctx, id); err != nil {
		return err
	}
	if err := Validate(figures, s.now().In(kr.Seoul()).Year()); err != nil {
		return err
	}
	_, err := s.Store.ReplaceFigures(ctx, id, figures, func(before, after []Figure) (*account.AuditRecord, error) {
		if s.Auditor == nil {
			return nil, nil
		}
		return s.Auditor.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: id, Action: "impact.declare", Entity: "enterprise",
			EntityID: strconv.FormatInt(id, 10), Before: before, After: after})
	})
	return err
}

// Line is one sentence of an estimate, with where its number comes from.
type Line struct {
	Text  string
	Basis string // "2025년 기준 · 근거: …"
}

// Estimate says in plain Korean what spending amount won with an
// enterprise that declared figures does, rounded to no more precision than
// the figures have. Figures without a per-purchase meaning (jobs, the
// share of vulnerable employees) are said of the enterprise.
func Estimate(figures []Figure, amount int64) []Line {
	var out []Line
	for _, f := range figures {
		b := fmt.Sprintf("%d년 기준 · 근거: %s", f.Year, f.Basis)
		switch f.Kind {
		case WorkMinutes:
			if t := roundMinutes(amount * f.Value / 10000); t != "" {
				out = append(out, Line{Text: "이 구매로 " + t + "의 일이 만들어집니다.", Basis: b})
			}
		case LocalSourcing:
			if w := roundWon(amount * f.Value / 10000); w > 0 {
				out = append(out, Line{Text: "구매 금액 중 약 " + kr.Won(w) + "이 지역 원재료·서비스 구매로 이어집니다.", Basis: b})
			}
		case VulnerableShare:
			out = append(out, Line{Text: "이 기업 직원의 약 " + percent(roundBP(f.Value)) + "가 취약계층입니다.", Basis: b})
		case Jobs:
			out = append(out, Line{Text: "이 기업은 " + kr.Comma(f.Value) + "명을 고용하고 있습니다.", Basis: b})
		}
	}
	return out
}

// roundMinutes says an estimated time coarsely: under 5 minutes says
// nothing; under an hour to 5 minutes ("약 25분"); under 10 hours to half
// hours ("약 1시간 30분"); beyond, whole hours.
func roundMinutes(m int64) string {
	switch {
	case m < 5:
		return ""
	case m < 60:
		return "약 " + duration((m+2)/5*5)
	case m < 600:
		return "약 " + duration((m+15)/30*30)
	}
	return "약 " + duration((m+30)/60*60)
}

// roundWon rounds an estimated amount to two significant digits (at least
// 100원): 4,380 → 4,400; 123,456 → 120,000; under 50원 → 0.
func roundWon(w int64) int64 {
	step := int64(100)
	for w >= step*100 {
		step *= 10
	}
	return (w + step/2) / step * step
}

// roundBP rounds basis points to a whole percent.
func roundBP(bp int64) int64 { return (bp + 50) / 100 * 100 }

// Statement is a buyer's impact over a year: what it paid each enterprise
// and the estimate of each purchase, with the totals that add up.
type Statement struct {
	Year  int
	Total int64 // 원 paid in all
	// WorkMinutes and LocalWon are the sums of the per-enterprise
	// estimates before rounding, said rounded in TotalLines.
	WorkMinutes, LocalWon int64
	TotalLines            []string
	Rows                  []StatementRow
}

// StatementRow is one enterprise of a statement.
type StatementRow struct {
	EnterpriseName string
	Amount         int64
	Lines          []Line
}

// YearStatement builds the statement of a member (userID) or an
// institution (institutionID) for year; the caller has checked who may see
// it (the web layer passes the actor's own ids).
func (s *Service) YearStatement(ctx context.Context, userID, institutionID int64, year int) (*Statement, error) {
	if year < 2000 || year > s.now().In(kr.Seoul()).Year() {
		return nil, apperr.Errorf(apperr.Invalid, "연도를 확인해 주세요.")
	}
	ps, err := s.Store.FindPurchases(ctx, userID, institutionID, year)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.EnterpriseID
	}
	figs, err := s.Store.FindFigures(ctx, ids)
	if err != nil {
		return nil, err
	}
	st := &Statement{Year: year}
	for _, p := range ps {
		st.Total += p.Amount
		for _, f := range figs[p.EnterpriseID] {
			switch f.Kind {
			case WorkMinutes:
				st.WorkMinutes += p.Amount * f.Value / 10000
			case LocalSourcing:
				st.LocalWon += p.Amount * f.Value / 10000
			}
		}
		st.Rows = append(st.Rows, StatementRow{EnterpriseName: p.EnterpriseName, Amount: p.Amount,
			Lines: Estimate(figs[p.EnterpriseID], p.Amount)})
	}
	if t := roundMinutes(st.WorkMinutes); t != "" {
		st.TotalLines = append(st.TotalLines, "구매로 만들어진 일: "+t)
	}
	if w := roundWon(st.LocalWon); w > 0 {
		st.TotalLines = append(st.TotalLines, "지역 원재료·서비스 구매로 이어진 금액: 약 "+kr.Won(w))
	}
	return st, nil
}

// EstimatePurchases estimates each purchase (one per enterprise) from its
// enterprise's figures: one row per enterprise that declared any, in the
// order given.
func (s *Service) EstimatePurchases(ctx context.Context, ps []Purchase) ([]StatementRow, error) {
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.EnterpriseID
	}
	figs, err := s.Store.FindFigures(ctx, ids)
	if err != nil {
		return nil, err
	}
	return EstimateRows(ps, figs), nil
}

// EstimateRows estimates each purchase from its enterprise's figures
// (figs by enterprise id), leaving out those without an estimate.
func EstimateRows(ps []Purchase, figs map[int64][]Figure) []StatementRow {
	var out []StatementRow
	for _, p := range ps {
		if lines := Estimate(figs[p.EnterpriseID], p.Amount); len(lines) > 0 {
			out = append(out, StatementRow{EnterpriseName: p.EnterpriseName, Amount: p.Amount, Lines: lines})
		}
	}
	return out
}
