package view

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/report"
)

// ReportForm is the period form of the priority-purchase report as typed
// (kind, year, quarter, from, to, institution).
type ReportForm struct {
	Kind, Year, Quarter, From, To, Institution string
}

// ReportFormOf reads the form from the query string.
func ReportFormOf(qv url.Values) ReportForm {
	return ReportForm{Kind: qv.Get("kind"), Year: qv.Get("year"), Quarter: qv.Get("quarter"), From: qv.Get("from"),
		To: qv.Get("to"), Institution: qv.Get("institution")}
}

// Request is the form as the report service takes it.
func (f ReportForm) Request() report.ProcurementRequest {
	return report.ProcurementRequest{Period: report.PeriodInput{Kind: f.Kind, Year: f.Year, Quarter: f.Quarter,
		From: f.From, To: f.To}, Institution: f.Institution}
}

// Query is the form as a query string, for the export links.
func (f ReportForm) Query() string {
	v := url.Values{}
	for k, s := range map[string]string{"kind": f.Kind, "year": f.Year, "quarter": f.Quarter, "from": f.From,
		"to": f.To, "institution": f.Institution} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v.Encode()
}

// ReportPage is the dot of the "report-page" partial: the form, and the
// report once it was built.
type ReportPage struct {
	Action       string // the page's own address (/biz/reports)
	F            ReportForm
	Errors       map[string]string
	Problem      string
	Years        []int
	Quarters     []int
	Institutions []report.Institution // the operator's institution filter; nil hides it
	R            *report.Procurement
	Tables       []report.Table
	MonthChart   report.Chart
	TypeChart    report.Chart
	CSVURL       string
	XLSXURL      string
}

// BuildReportPage asks svc for the report the query string describes.
// A wrong period or institution comes back as the page with the form kept
// and the message (and status 422); any other error is returned.
func BuildReportPage(c *fiber.Ctx, svc *report.Service, action string, institutions []report.Institution) (*ReportPage, int, error) {
	qv, err := QueryValues(c)
	if err != nil {
		return nil, 0, err
	}
	p := &ReportPage{Action: action, F: ReportFormOf(qv), Errors: map[string]string{}, Institutions: institutions,
		Quarters: []int{1, 2, 3, 4}}
	today := svc.Today()
	for y := today.Year(); y >= today.Year()-5; y-- {
		p.Years = append(p.Years, y)
	}
	if p.F.Kind == "" {
		p.F.Kind = string(report.FiscalYear)
	}
	if p.F.Year == "" {
		p.F.Year = strconv.Itoa(today.Year())
	}
	r, err := svc.Procurement(c.UserContext(), p.F.Request())
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid {
		p.Problem = ae.Message
		for k, v := range ae.Fields {
			p.Errors[k] = v
		}
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
