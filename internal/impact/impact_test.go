package impact_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/impact"
)

func TestEstimateRoundsToItsBasis(t *testing.T) {
	figs := []impact.Figure{
		{Kind: impact.VulnerableShare, Value: 3750, Year: 2025, Basis: "2025년 고용보험 가입자 명부"},
		{Kind: impact.Jobs, Value: 1200, Year: 2025, Basis: "상시 고용 인원"},
		{Kind: impact.LocalSourcing, Value: 6000, Year: 2024, Basis: "2024년 매입 장부"},
		{Kind: impact.WorkMinutes, Value: 18, Year: 2025, Basis: "연 노동시간 ÷ 연 매출"},
	}
	got := impact.Estimate(figs, 12_900)
	want := []string{
		"이 기업 직원의 약 38%가 취약계층입니다.",
		"이 기업은 1,200명을 고용하고 있습니다.",
		"구매 금액 중 약 7,700원이 지역 원재료·서비스 구매로 이어집니다.", // 7,740 → two digits
		"이 구매로 약 25분의 일이 만들어집니다.",                 // 23.2 → 25
	}
	if len(got) != len(want) {
		t.Fatalf("Estimate = %+v", got)
	}
	for i, w := range want {
		if got[i].Text != w {
			t.Errorf("line %d = %q, want %q", i, got[i].Text, w)
		}
	}
	if got[2].Basis != "2024년 기준 · 근거: 2024년 매입 장부" {
		t.Errorf("basis %q", got[2].Basis)
	}
	for _, c := range []struct {
		minutes int64
		amount  int64
		want    string
	}{
		{18, 2_000, ""}, // 3.6 minutes: says nothing
		{18, 400_000, "이 구매로 약 12시간의 일이 만들어집니다."},       // 720 → whole hours
		{18, 50_000, "이 구매로 약 1시간 30분의 일이 만들어집니다."},     // 90
		{18, 55_000, "이 구매로 약 1시간 30분의 일이 만들어집니다."},     // 99 → half hours
		{600, 1_000_000, "이 구매로 약 1,000시간의 일이 만들어집니다."}, // 60,000 minutes
	} {
		lines := impact.Estimate([]impact.Figure{{Kind: impact.WorkMinutes, Value: c.minutes, Year: 2025, Basis: "b"}}, c.amount)
		text := ""
		if len(lines) > 0 {
			text = lines[0].Text
		}
		if text != c.want {
			t.Errorf("%d min/만원 × %d원: %q, want %q", c.minutes, c.amount, text, c.want)
		}
	}
	if v := (impact.Figure{Kind: impact.LocalSourcing, Value: 3705}).ValueText(); v != "37.05%" {
		t.Errorf("ValueText = %q", v)
	}
}

func TestValidate(t *testing.T) {
	ok := []impact.Figure{{Kind: impact.Jobs, Value: 12, Year: 2025, Basis: " 고용보험 "}}
	if err := impact.Validate(ok, 2026); err != nil || ok[0].Basis != "고용보험" {
		t.Fatalf("Validate(good) = %v, basis %q", err, ok[0].Basis)
	}
	bad := []impact.Figure{
		{Kind: impact.VulnerableShare, Value: 10001, Year: 2025, Basis: "x"},
		{Kind: impact.WorkMinutes, Value: 10, Year: 2027, Basis: ""},
	}
	var e *apperr.Error
	if err := impact.Validate(bad, 2026); !errors.As(err, &e) || e.Code != apperr.Invalid ||
		!strings.Contains(e.Fields["vulnerable_share_value"], "100%") || !strings.Contains(e.Fields["work_minutes_year"], "2026년") ||
		e.Fields["work_minutes_basis"] == "" {
		t.Fatalf("Validate(bad) = %v %v", err, e)
	}
}

type store struct {
	impact.Store
	written bool
}

func (s *store) ReplaceFigures(context.Context, int64, []impact.Figure, account.AuditFunc[[]impact.Figure]) ([]impact.Figure, error) {
	s.written = true
	return nil, nil
}

// Only the enterprise's own members declare its figures.
func TestDeclareOnlyOwnEnterprise(t *testing.T) {
	st := &store{}
	svc := &impact.Service{Store: st}
	other := account.NewContext(context.Background(), &account.Actor{UserID: 5, Role: account.EnterpriseStaff,
		EnterpriseID: 2, EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Owner})
	figs := []impact.Figure{{Kind: impact.Jobs, Value: 3, Year: 2025, Basis: "명부"}}
	if err := svc.Declare(other, 1, figs); apperr.Code(err) != apperr.NotFound || st.written {
		t.Fatalf("another enterprise's member: %v (written %v), want NotFound and nothing written", err, st.written)
	}
	if err := svc.Declare(context.Background(), 1, figs); apperr.Code(err) != apperr.Unauthorized {
		t.Fatalf("anonymous: %v", err)
	}
	own := account.NewContext(context.Background(), &account.Actor{UserID: 6, Role: account.EnterpriseStaff,
		EnterpriseID: 1, EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Staff})
	if err := svc.Declare(own, 1, figs); err != nil || !st.written {
		t.Fatalf("own member: %v", err)
	}
}
