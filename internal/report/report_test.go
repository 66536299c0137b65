package report_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/report"
	"github.com/dure-coop/dure/internal/web/webtest"
)

func TestParsePeriod(t *testing.T) {
	today := coop.Date(2026, 5, 20)
	for _, c := range []struct {
		name     string
		in       report.PeriodInput
		from, to time.Time
		field    string // the wrong field, "" when valid
		label    string
	}{
		{"blank is this fiscal year", report.PeriodInput{}, coop.Date(2026, 1, 1), coop.Date(2026, 12, 31), "", "2026년"},
		{"fiscal year", report.PeriodInput{Kind: "year", Year: "2025"}, coop.Date(2025, 1, 1), coop.Date(2025, 12, 31), "", "2025년"},
		{"quarter 1", report.PeriodInput{Kind: "quarter", Year: "2026", Quarter: "1"}, coop.Date(2026, 1, 1), coop.Date(2026, 3, 31), "", "2026년 1분기"},
		{"quarter 4", report.PeriodInput{Kind: "quarter", Year: "2025", Quarter: "4"}, coop.Date(2025, 10, 1), coop.Date(2025, 12, 31), "", "2025년 4분기"},
		{"month", report.PeriodInput{Kind: "month", Year: "2024", Month: "2"}, coop.Date(2024, 2, 1), coop.Date(2024, 2, 29), "", "2024년 2월"},
		{"month 13", report.PeriodInput{Kind: "month", Year: "2026", Month: "13"}, time.Time{}, time.Time{}, "month", ""},
		{"custom range", report.PeriodInput{Kind: "range", From: "2026-02-03", To: "2026.04.30"}, coop.Date(2026, 2, 3), coop.Date(2026, 4, 30), "", "2026.02.03 ~ 2026.04.30"},
		{"one day", report.PeriodInput{Kind: "range", From: "2026-02-03", To: "2026-02-03"}, coop.Date(2026, 2, 3), coop.Date(2026, 2, 3), "", "2026.02.03 ~ 2026.02.03"},
		{"three years less a day", report.PeriodInput{Kind: "range", From: "2023-01-01", To: "2025-12-31"}, coop.Date(2023, 1, 1), coop.Date(2025, 12, 31), "", "2023.01.01 ~ 2025.12.31"},
		{"reversed", report.PeriodInput{Kind: "range", From: "2026-04-30", To: "2026-02-03"}, time.Time{}, time.Time{}, "to", ""},
		{"over three years", report.PeriodInput{Kind: "range", From: "2023-01-01", To: "2026-01-01"}, time.Time{}, time.Time{}, "to", ""},
		{"bad date", report.PeriodInput{Kind: "range", From: "2026-13-01", To: "2026-12-01"}, time.Time{}, time.Time{}, "from", ""},
		{"quarter 5", report.PeriodInput{Kind: "quarter", Year: "2026", Quarter: "5"}, time.Time{}, time.Time{}, "quarter", ""},
		{"far future year", report.PeriodInput{Kind: "year", Year: "2099"}, time.Time{}, time.Time{}, "year", ""},
		{"unknown kind", report.PeriodInput{Kind: "week"}, time.Time{}, time.Time{}, "kind", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := report.ParsePeriod(c.in, today)
			if c.field != "" {
				var ae *apperr.Error
				if !errors.As(err, &ae) || ae.Code != apperr.Invalid || ae.Fields[c.field] == "" || !strings.Contains(ae.Message, "") {
					t.Fatalf("err %v, want Invalid on %s", err, c.field)
				}
				if ae.Message != ae.Fields[c.field] || !isKorean(ae.Message) {
					t.Errorf("message %q, field message %q", ae.Message, ae.Fields[c.field])
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !p.From.Equal(c.from) || !p.To.Equal(c.to) || p.Label() != c.label {
				t.Errorf("%s ~ %s %q, want %s ~ %s %q", p.From, p.To, p.Label(), c.from, c.to, c.label)
			}
		})
	}
	p, _ := report.ParsePeriod(report.PeriodInput{Kind: "range", From: "2025-11-15", To: "2026-02-01"}, today)
	if m := p.Months(); len(m) != 4 || !m[0].Equal(coop.Date(2025, 11, 1)) || !m[3].Equal(coop.Date(2026, 2, 1)) {
		t.Errorf("months %v", m)
	}
}

func isKorean(s string) bool {
	for _, r := range s {
		if r >= '가' && r <= '힣' {
			return true
		}
	}
	return false
}

func year(y *webtest.ReportYear, inst int64) report.ProcurementRequest {
	r := report.ProcurementRequest{Period: report.PeriodInput{Kind: "year", Year: strconv.Itoa(y.Year)}}
	if inst != 0 {
		r.Institution = strconv.FormatInt(inst, 10)
	}
	return r
}

// check compares a report with what the generator summed line by line.
func check(t *testing.T, r *report.Procurement, want *webtest.ReportWant) {
	t.Helper()
	if r.Total != want.Total {
		t.Errorf("total %+v, want %+v", r.Total, want.Total)
	}
	var typeSum, monthSum, entSum int64
	for _, row := range r.ByType {
		typeSum += row.Amount
		if row.Figures != want.ByType[row.Type] {
			t.Errorf("type %s: %+v, want %+v", row.Type, row.Figures, want.ByType[row.Type])
		}
	}
	if len(r.ByType) != len(catalog.EnterpriseTypes) {
		t.Errorf("%d type rows, want every type", len(r.ByType))
	}
	if len(r.ByMonth) != 12 {
		t.Errorf("%d month rows, want 12", len(r.ByMonth))
	}
	for _, row := range r.ByMonth {
		monthSum += row.Amount
		if row.Figures != want.ByMonth[row.Month.Month()] {
			t.Errorf("month %s: %+v, want %+v", row.Month.Format("2006-01"), row.Figures, want.ByMonth[row.Month.Month()])
		}
	}
	got := map[int64]report.Figures{}
	for _, row := range r.ByEnterprise {
		entSum += row.Amount
		if _, twice := got[row.EnterpriseID]; twice {
			t.Errorf("enterprise %d listed twice though its type did not change", row.EnterpriseID)
		}
		got[row.EnterpriseID] = row.Figures
	}
	if !reflect.DeepEqual(got, want.ByEnterprise) {
		t.Errorf("by enterprise %+v, want %+v", got, want.ByEnterprise)
	}
	if typeSum != r.Total.Amount || monthSum != r.Total.Amount || entSum != r.Total.Amount {
		t.Errorf("sections add to %d / %d / %d, total %d", typeSum, monthSum, entSum, r.Total.Amount)
	}
	if r.Total.Supply+r.Total.VAT != r.Total.Amount {
		t.Errorf("supply %d + vat %d != %d", r.Total.Supply, r.Total.VAT, r.Total.Amount)
	}
}

func TestProcurementReconciles(t *testing.T) {
	e := webtest.NewEnv(t)
	y := e.GenerateReportYear(t)
	if y.Want[y.A.ID].Total.Orders < 10 || y.Want[y.B.ID].Total.Orders < 2 {
		t.Fatalf("the generated year counts too little: %+v / %+v", y.Want[y.A.ID].Total, y.Want[y.B.ID].Total)
	}

	t.Run("each institution and all of them, to the won", func(t *testing.T) {
		for _, c := range []struct {
			name string
			ctx  context.Context
			inst int64
		}{{"A's buyer", y.BuyerA, 0}, {"B's buyer", y.BuyerB, y.B.ID}, {"operator, all", y.Operator, 0},
			{"operator, A", y.Operator, y.A.ID}} {
			t.Run(c.name, func(t *testing.T) {
				r, err := e.Reports.Procurement(c.ctx, year(y, c.inst))
				if err != nil {
					t.Fatal(err)
				}
				scope := c.inst
				if c.ctx == y.BuyerA {
					scope = y.A.ID
				}
				check(t, r, y.Want[scope])
				if scope == 0 && (r.Institution != nil || len(r.ByInstitution) != 2) {
					t.Errorf("all institutions: %v, %d institution rows", r.Institution, len(r.ByInstitution))
				}
				if scope != 0 && (r.Institution == nil || r.Institution.ID != scope || r.ByInstitution != nil) {
					t.Errorf("scope %+v, want institution %d alone", r.Institution, scope)
				}
			})
		}
	})

	t.Run("an enterprise's later type change changes no past figure", func(t *testing.T) {
		before, err := e.Reports.Procurement(y.Operator, year(y, 0))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Pool.Exec(context.Background(), `UPDATE enterprises SET type = CASE WHEN type = 'cooperative'
			THEN 'social_enterprise' ELSE 'cooperative' END, name = name || ' (상호 변경)'`); err != nil {
			t.Fatal(err)
		}
		after, err := e.Reports.Procurement(y.Operator, year(y, 0))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(before.Sums, after.Sums) {
			t.Errorf("figures moved after the type change:\nbefore %+v\nafter  %+v", before.Sums, after.Sums)
		}
		check(t, after, y.Want[0])
	})

	t.Run("B's buyer never sees A", func(t *testing.T) {
		_, err := e.Reports.Procurement(y.BuyerB, year(y, y.A.ID))
		if apperr.Code(err) != apperr.NotFound || !isKorean(apperr.Message(err)) {
			t.Errorf("B asking for A: %v", err)
		}
		r, err := e.Reports.Procurement(y.BuyerB, year(y, 0))
		if err != nil || r.Institution.ID != y.B.ID || r.Total != y.Want[y.B.ID].Total {
			t.Errorf("B's own report: %+v, %v", r, err)
		}
		if _, err := e.Reports.Institutions(y.BuyerB); apperr.Code(err) == "" {
			t.Error("a buyer listed every institution")
		}
		_, err = e.Reports.Procurement(y.Operator, year(y, 987654))
		if apperr.Code(err) != apperr.NotFound {
			t.Errorf("operator, unknown institution: %v", err)
		}
		staff := account.NewContext(context.Background(), &account.Actor{UserID: 1, Role: account.EnterpriseStaff, EnterpriseID: 1})
		if _, err := e.Reports.Procurement(staff, year(y, 0)); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("enterprise staff: %v", err)
		}
		if _, err := e.Reports.Procurement(context.Background(), year(y, 0)); apperr.Code(err) != apperr.Unauthorized {
			t.Errorf("anonymous: %v", err)
		}
	})

	t.Run("quarter and range agree with the months", func(t *testing.T) {
		var q3 report.Figures
		for _, m := range []time.Month{7, 8, 9} {
			f := y.Want[y.A.ID].ByMonth[m]
			q3.Amount += f.Amount
			q3.Lines += f.Lines
			q3.Quantity += f.Quantity
		}
		r, err := e.Reports.Procurement(y.BuyerA, report.ProcurementRequest{Period: report.PeriodInput{Kind: "quarter",
			Year: strconv.Itoa(y.Year), Quarter: "3"}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total.Amount != q3.Amount || r.Total.Lines != q3.Lines || r.Total.Quantity != q3.Quantity || len(r.ByMonth) != 3 {
			t.Errorf("Q3 %+v (%d months), want %+v", r.Total, len(r.ByMonth), q3)
		}
		// The year's first day alone holds the order inspected on it.
		r, err = e.Reports.Procurement(y.BuyerA, report.ProcurementRequest{Period: report.PeriodInput{Kind: "range",
			From: strconv.Itoa(y.Year) + "-01-01", To: strconv.Itoa(y.Year) + "-01-01"}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total.Orders != 1 {
			t.Errorf("on the year's first day: %+v, want the one order inspected then", r.Total)
		}
	})

	t.Run("bad input says why in Korean and changes nothing", func(t *testing.T) {
		var before int
		_ = e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log`).Scan(&before)
		for _, in := range []report.PeriodInput{{Kind: "range", From: "2026-05-01", To: "2026-01-01"},
			{Kind: "range", From: "2020-01-01", To: "2026-01-01"}} {
			_, err := e.Reports.Procurement(y.BuyerA, report.ProcurementRequest{Period: in})
			if apperr.Code(err) != apperr.Invalid || !isKorean(apperr.Message(err)) {
				t.Errorf("%+v: %v", in, err)
			}
		}
		var after int
		_ = e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log`).Scan(&after)
		if after != before {
			t.Errorf("audit log grew from %d to %d", before, after)
		}
	})

	t.Run("the delivered basis counts delivered parts, 검수 or not", func(t *testing.T) {
		if _, err := e.Pool.Exec(context.Background(), `UPDATE coop_settings SET report_basis = 'delivered'`); err != nil {
			t.Fatal(err)
		}
		defer e.Pool.Exec(context.Background(), `UPDATE coop_settings SET report_basis = 'inspected'`)
		r, err := e.Reports.Procurement(y.Operator, year(y, 0))
		if err != nil {
			t.Fatal(err)
		}
		if r.Basis != coop.BasisDelivered {
			t.Fatalf("basis %s", r.Basis)
		}
		// Under this basis every line of a delivered, uncancelled, unrefunded
		// part counts at its accepted quantity, in the month of delivery.
		var want int64
		err = e.Pool.QueryRow(context.Background(), `
			SELECT coalesce(sum(l.unit_price * CASE WHEN i.result = 'reject' THEN 0 ELSE coalesce(il.accepted_quantity, l.quantity) END), 0)
			FROM order_lines l JOIN sub_orders so ON so.id = l.sub_order_id JOIN orders o ON o.id = l.order_id
			LEFT JOIN inspections i ON i.sub_order_id = so.id
			LEFT JOIN inspection_lines il ON il.sub_order_id = so.id AND il.order_line_id = l.id
			WHERE o.channel = 'public' AND so.status = 'delivered' AND o.status <> 'cancelled'
			  AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.sub_order_id = so.id)
			  AND extract(year FROM so.delivered_at AT TIME ZONE 'Asia/Seoul') = $1`, y.Year).Scan(&want)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total.Amount != want || want == 0 {
			t.Errorf("delivered basis: %d, want %d", r.Total.Amount, want)
		}
	})
}
