package view

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/report"
)

// ReportForm is the period form of the reports as typed (kind, year,
// quarter, month, from, to, institution).
type ReportForm struct {
	Kind, Year, Quarter, Month, From, To, Institution string
}

// ReportFormOf reads the form from the query string.
func ReportFormOf(qv url.Values) ReportForm {
	return ReportForm{Kind: qv.Get("kind"), Year: qv.Get("year"), Quarter: qv.Get("quarter"), Month: qv.Get("month"),
		From: qv.Get("from"), To: qv.Get("to"), Institution: qv.Get("institution")}
}

// Period is the form's period as the report service takes it.
func (f ReportForm) Period() report.PeriodInput {
	return report.PeriodInput{Kind: f.Kind, Year: f.Year, Quarter: f.Quarter, Month: f.Month, From: f.From, To: f.To}
}

// Request is the form as the report service takes it.
func (f ReportForm) Request() report.ProcurementRequest {
	return report.ProcurementRequest{Period: f.Period(), Institution: f.Institution}
}

// Query is the form as a query string, for the export links.
func (f ReportForm) Query() string {
	v := url.Values{}
	for k, s := range map[string]string{"kind": f.Kind, "year": f.Year, "quarter": f.Quarter, "month": f.Month,
		"from": f.From, "to": f.To, "institution": f.Institution} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v.Encode()
}

// PeriodForm is the dot of the "report-period" partial: the period form
// as typed, its errors and its choices.
type PeriodForm struct {
	Action       string // the page's own address (/biz/reports)
	F            ReportForm
	Errors       map[string]string
	Problem      string
	Years        []int
	Quarters     []int
	Months       []int
	Institutions []report.Institution // the operator's institution filter; nil hides it
}

// newPeriodForm reads the form from the query string, this year by
// default.
func newPeriodForm(c *fiber.Ctx, today int, action string, institutions []report.Institution) (PeriodForm, error) {
	qv, err := QueryValues(c)
	if err != nil {
		return PeriodForm{}, err
	}
	p := PeriodForm{Action: action, F: ReportFormOf(qv), Errors: map[string]string{}, Institutions: institutions,
		Quarters: []int{1, 2, 3, 4}, Months: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}
	for y := today; y >= today-5; y-- {
		p.Years = append(p.Years, y)
	}
	if p.F.Kind == "" {
		p.F.Kind = string(report.FiscalYear)
	}
	if p.F.Year == "" {
		p.F.Year = strconv.Itoa(today)
	}
	return p, nil
}

// invalid keeps a wrong period's message on the form; false for any other
// error.
func (p *PeriodForm) invalid(err error) bool {
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
		return false
	}
	p.Problem = ae.Message
	for k, v := range ae.Fields {
		p.Errors[k] = v
	}
	return true
}

// ReportPage is the dot of the "report-page" partial: the form, and the
// report once it was built.
type ReportPage struct {
	PeriodForm
	R          *report.Procurement
	Tables     []report.Table
	MonthChart report.Chart
	TypeChart  report.Chart
	CSVURL     string
	XLSXURL    string
}

// BuildReportPage asks svc for the report the query string describes.
// A wrong period or institution comes back as the page with the form kept
// and the message (and status 422); any other error is returned.
func BuildReportPage(c *fiber.Ctx, svc *report.Service, action string, institutions []report.Institution) (*ReportPage, int, error) {
	f, err := newPeriodForm(c, svc.Today().Year(), action, institutions)
	if err != nil {
		return nil, 0, err
	}
	p := &ReportPage{PeriodForm: f}
	r, err := svc.Procurement(c.UserContext(), p.F.Request())
	if p.invalid(err) {
		return p, fiber.StatusUnprocessableEntity, nil
	}
	if err != nil {
		return nil, 0, err
	}
	p.R, p.Tables, p.MonthChart, p.TypeChart = r, r.Tables(), r.MonthChart(), r.TypeChart()
	q := p.F.Query()
	p.CSVURL, p.XLSXURL = action+".csv?"+q, action+".xlsx?"+q
	return p, fiber.StatusOK, nil
}

// SendReport answers the report as a file: format csv or xlsx.
func SendReport(c *fiber.Ctx, svc *report.Service, format string) error {
	qv, err := QueryValues(c)
	if err != nil {
		return err
	}
	r, err := svc.Procurement(c.UserContext(), ReportFormOf(qv).Request())
	if err != nil {
		return err
	}
	name := "dure-priority-purchase-" + r.Period.Slug()
	if r.Institution != nil {
		name += "-" + strconv.FormatInt(r.Institution.ID, 10)
	}
	if format == "csv" {
		return SendCSV(c, name+".csv", report.CSV("우선구매 실적 "+r.Scope()+" "+r.Period.Label(), r.Tables()))
	}
	b, err := report.XLSX(r.Tables())
	if err != nil {
		return err
	}
	return SendXLSX(c, name+".xlsx", b)
}

// SalesPage is the dot of the operators' sales report page: the form, and
// the report once it was built.
type SalesPage struct {
	PeriodForm
	R           *report.Sales
	Tables      []report.Table
	MonthChart  report.Chart
	ShareCharts []report.Chart // by channel, type and region
	CSVURL      string
	XLSXURL     string
}

// BuildSalesPage asks svc for the sales report the query string
// describes. A wrong period (a reversed range, …) comes back as the page
// with the form kept and the message, and status 400; any other error is
// returned.
func BuildSalesPage(c *fiber.Ctx, svc *report.Service, action string) (*SalesPage, int, error) {
	f, err := newPeriodForm(c, svc.Today().Year(), action, nil)
	if err != nil {
		return nil, 0, err
	}
	p := &SalesPage{PeriodForm: f}
	r, err := svc.Sales(c.UserContext(), report.SalesRequest{Period: p.F.Period()})
	if p.invalid(err) {
		return p, fiber.StatusBadRequest, nil
	}
	if err != nil {
		return nil, 0, err
	}
	p.R, p.Tables, p.MonthChart = r, r.Tables(), r.MonthChart()
	p.ShareCharts = []report.Chart{r.ShareChart(report.ByChannel, 0), r.ShareChart(report.ByType, 0),
		r.ShareChart(report.ByRegion, 8)}
	q := p.F.Query()
	p.CSVURL, p.XLSXURL = action+".csv?"+q, action+".xlsx?"+q
	return p, fiber.StatusOK, nil
}

// SendSales answers the sales report as a file: format csv or xlsx.
func SendSales(c *fiber.Ctx, svc *report.Service, format string) error {
	qv, err := QueryValues(c)
	if err != nil {
		return err
	}
	r, err := svc.Sales(c.UserContext(), report.SalesRequest{Period: ReportFormOf(qv).Period()})
	if err != nil {
		return err
	}
	name := "dure-sales-" + r.Period.Slug()
	if format == "csv" {
		return SendCSV(c, name+".csv", report.CSV("판매 실적 "+r.Period.Label(), r.Tables()))
	}
	b, err := report.XLSX(r.Tables())
	if err != nil {
		return err
	}
	return SendXLSX(c, name+".xlsx", b)
}
