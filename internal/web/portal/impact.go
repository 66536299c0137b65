package portal

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/web/view"
)

// The enterprise's impact figures (사회적 가치 지표): what the product pages,
// order confirmations and buyers' yearly statements estimate from. Only the
// enterprise's own members (and operators acting for it) reach this page,
// and impact.Service.Declare checks that again.

type impactRow struct {
	Kind, Label, Hint, Unit string
	Value, Year, Basis      string
	Updated                 string
}

type impactView struct {
	layout
	Rows    []impactRow
	Err     map[string]string
	Problem string
	Example []impact.Line // the estimate of a 10,000원 purchase, as pages say it
}

var impactHints = map[impact.Kind]struct{ hint, unit string }{
	impact.VulnerableShare: {"전체 직원 중 취약계층(장애인, 고령자, 저소득층 등) 비율. 예: 37.5", "%"},
	impact.Jobs:            {"상시 고용 인원", "명"},
	impact.LocalSourcing:   {"원재료·서비스 구입액 중 지역 업체에서 산 비율. 예: 60", "%"},
	impact.WorkMinutes:     {"만 원어치 팔릴 때마다 만들어지는 일의 시간(분). 예: 연 인건비 시간 ÷ 연 매출(만 원)", "분"},
}

func (s *server) mountImpact(g fiber.Router) {
	g.Get("/impact", s.impactPage)
	g.Post("/impact", s.saveImpact)
}

func (s *server) impactPage(c *fiber.Ctx) error {
	if s.Impact == nil {
		return fiber.ErrServiceUnavailable
	}
	figs, err := s.Impact.Figures(c.UserContext(), enterprise(c).ID)
	if err != nil {
		return err
	}
	have := map[impact.Kind]impact.Figure{}
	for _, f := range figs {
		have[f.Kind] = f
	}
	var rows []impactRow
	for _, k := range impact.Kinds {
		r := newImpactRow(k)
		if f, ok := have[k]; ok {
			r.Value, r.Year, r.Basis = formValue(f), strconv.Itoa(f.Year), f.Basis
			r.Updated = view.FormatDate(f.UpdatedAt)
		}
		rows = append(rows, r)
	}
	v := impactView{Rows: rows, Example: impact.Estimate(figs, 10000)}
	if c.Query("done") == "saved" {
		v.Done = "사회적 가치 지표를 저장했습니다. 상품 페이지와 주문 확인에 바로 쓰입니다."
	}
	return s.renderImpact(c, &v, fiber.StatusOK)
}

func newImpactRow(k impact.Kind) impactRow {
	h := impactHints[k]
	return impactRow{Kind: string(k), Label: k.Label(), Hint: h.hint, Unit: h.unit}
}

func (s *server) renderImpact(c *fiber.Ctx, v *impactView, status int) error {
	if v.Err == nil {
		v.Err = map[string]string{}
	}
	v.Title, v.Nav = "사회적 가치 지표", navImpact
	c.Status(status)
	return s.render(c, "portal/impact", v)
}

// formValue is a figure's value as the form shows it: shares as percent.
func formValue(f impact.Figure) string {
	if !f.Kind.Share() {
		return strconv.FormatInt(f.Value, 10)
	}
	s := strings.TrimSuffix(f.ValueText(), "%")
	return s
}

// parseValue reads a typed value: a share as a percent with at most two
// decimals (basis points, by integer arithmetic), the rest as whole
// numbers; -1 when it is not one.
func parseValue(k impact.Kind, s string) int64 {
	s = strings.ReplaceAll(strings.TrimSuffix(strings.TrimSpace(s), "%"), ",", "")
	if !k.Share() {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return -1
		}
		return n
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" {
		return -1
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 100 {
		return -1
	}
	f := int64(0)
	if frac != "" {
		frac += strings.Repeat("0", 2-len(frac))
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil || f < 0 {
			return -1
		}
	}
	return w*100 + f
}

// saveImpact replaces the figures; a row left wholly blank is not
// declared. A refused form comes back with its values (422).
func (s *server) saveImpact(c *fiber.Ctx) error {
	if s.Impact == nil {
		return fiber.ErrServiceUnavailable
	}
	var figs []impact.Figure
	var rows []impactRow
	for _, k := range impact.Kinds {
		key := string(k)
		r := newImpactRow(k)
		r.Value, r.Year, r.Basis = c.FormValue(key+"_value"), c.FormValue(key+"_year"), c.FormValue(key+"_basis")
		rows = append(rows, r)
		if strings.TrimSpace(r.Value+r.Year+r.Basis) == "" {
			continue
		}
		year, err := strconv.Atoi(strings.TrimSpace(r.Year))
		if err != nil {
			year = -1
		}
		figs = append(figs, impact.Figure{Kind: k, Value: parseValue(k, r.Value), Year: year, Basis: r.Basis})
	}
	err := s.Impact.Declare(c.UserContext(), enterprise(c).ID, figs)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid {
		return s.renderImpact(c, &impactView{Rows: rows, Err: ae.Fields, Problem: ae.Message}, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/portal/impact?done=saved", fiber.StatusSeeOther)
}
