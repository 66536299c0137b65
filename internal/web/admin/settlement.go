package admin

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/web/view"
)

// Commission and settlement: the month's statements, their confirmation
// and payment, the payout file, the commission settings and overrides.

const navSettlements = "settlements"

// mountSettlement registers commission rates and statements.
func (s *server) mountSettlement(g fiber.Router) {
	g.Get("/settlements", s.settlementsPage)
	g.Post("/settlements/generate", s.generateStatements)
	g.Post("/settlements/settings", s.saveSettlementSettings)
	g.Get("/settlements/payouts.csv", s.payoutFile)
	g.Get("/settlements/rates", s.ratesPage)
	g.Post("/settlements/rates", s.addRate)
	g.Get("/settlements/:id<int>", s.statementPage)
	g.Post("/settlements/:id<int>/confirm", s.confirmStatement)
	g.Post("/settlements/:id<int>/pay", s.payStatement)
	g.Get("/settlements/:id<int>/statement.csv", s.statementFile("csv"))
	g.Get("/settlements/:id<int>/statement.xlsx", s.statementFile("xlsx"))
	g.Get("/settlements/:id<int>/statement.pdf", s.statementFile("pdf"))
}

type settlementsView struct {
	layout
	Month, MonthLabel string
	Statements        []view.StatementRow
	Total             settlement.Figures
	Basis             string
	Bases             []option
	Consumer, Public  string
	Errors            map[string]string
	Problem           string
}

func statementURL(id int64) string { return "/admin/settlements/" + strconv.FormatInt(id, 10) }

func (s *server) renderSettlements(c *fiber.Ctx, month string, sf settlement.SettingsInput, errs map[string]string, problem string, status int) error {
	ctx := c.UserContext()
	from, to, err := settlement.ParseMonth(month, s.Settlement.Today())
	if err != nil {
		var ae *apperr.Error
		if !errors.As(err, &ae) {
			return err
		}
		from, to, _ = settlement.ParseMonth("", s.Settlement.Today())
		if errs == nil {
			errs = map[string]string{}
		}
		errs["month"], problem, status = ae.Message, ae.Message, fiber.StatusUnprocessableEntity
	}
	list, err := s.Settlement.Statements(ctx, settlement.Filter{From: from})
	if err != nil {
		return err
	}
	v := settlementsView{Month: from.Format("2006-01"), MonthLabel: settlement.PeriodLabel(from, to), Errors: errs, Problem: problem,
		Basis: sf.Basis, Consumer: sf.Consumer, Public: sf.Public}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	for _, b := range []settlement.Basis{settlement.BasisInspected, settlement.BasisDelivered} {
		v.Bases = append(v.Bases, option{string(b), b.Label()})
	}
	for _, st := range list {
		v.Statements = append(v.Statements, view.StatementRow{Statement: st, URL: statementURL(st.ID)})
		v.Total.SalesConsumer += st.SalesConsumer
		v.Total.SalesPublic += st.SalesPublic
		v.Total.Shipping += st.Shipping
		v.Total.CoopDiscount += st.CoopDiscount
		v.Total.Refunds += st.Refunds
		v.Total.Commission += st.Commission
		v.Total.Payout += st.Payout
	}
	v.Title, v.Nav = "정산", navSettlements
	c.Status(status)
	return s.render(c, "admin/settlements", &v)
}

func settingsInputOf(st *settlement.Settings) settlement.SettingsInput {
	return settlement.SettingsInput{Basis: string(st.Basis), Consumer: strings.TrimSuffix(settlement.Percent(st.ConsumerBP), "%"),
		Public: strings.TrimSuffix(settlement.Percent(st.PublicBP), "%")}
}

// settlementsPage is GET /admin/settlements?month=2026-10: the month's
// statements (last month by default) and the commission settings.
func (s *server) settlementsPage(c *fiber.Ctx) error {
	st, err := s.Settlement.Settings(c.UserContext())
	if err != nil {
		return err
	}
	return s.renderSettlements(c, c.Query("month"), settingsInputOf(st), nil, "", fiber.StatusOK)
}

// generateStatements builds (or rebuilds) the month's drafts.
func (s *server) generateStatements(c *fiber.Ctx) error {
	month := c.FormValue("month")
	from, _, err := s.Settlement.Generate(c.UserContext(), month)
	if apperr.Code(err) == apperr.Invalid {
		st, serr := s.Settlement.Settings(c.UserContext())
		if serr != nil {
			return serr
		}
		return s.renderSettlements(c, month, settingsInputOf(st), nil, "", fiber.StatusOK)
	}
	if err != nil {
		return err
	}
	return redirectDone(c, "/admin/settlements?month="+from.Format("2006-01"), "statements_generated")
}

// saveSettlementSettings stores the basis and default rates; a refused
// form comes back with its values (422).
func (s *server) saveSettlementSettings(c *fiber.Ctx) error {
	in := settlement.SettingsInput{Basis: c.FormValue("basis"), Consumer: c.FormValue("consumer"), Public: c.FormValue("public")}
	err := s.Settlement.SaveSettings(c.UserContext(), in)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid {
		return s.renderSettlements(c, c.FormValue("month"), in, ae.Fields, "수수료 설정을 확인해 주세요.", fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return redirectDone(c, "/admin/settlements", "settlement_settings_saved")
}

// payoutFile is GET /admin/settlements/payouts.csv?month=: the bank's
// bulk-transfer file of the month's confirmed, unpaid statements.
func (s *server) payoutFile(c *fiber.Ctx) error {
	from, rows, err := s.Settlement.Payouts(c.UserContext(), c.Query("month"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="dure-payouts-`+from.Format("2006-01")+`.csv"`)
	return c.Send(settlement.PayoutCSV(rows))
}

type statementView struct {
	layout
	S                 *settlement.Statement
	Entries           []settlement.Entry
	URL               string
	Reference, PaidOn string
	Errors            map[string]string
	Problem           string
	Today             string
}

func (s *server) renderStatement(c *fiber.Ctx, id int64, ref, paidOn string, errs map[string]string, problem string, status int) error {
	st, entries, err := s.Settlement.Statement(c.UserContext(), id)
	if err != nil {
		return err
	}
	v := statementView{S: st, Entries: entries, URL: statementURL(id), Reference: ref, PaidOn: paidOn, Errors: errs, Problem: problem,
		Today: s.Settlement.Today().Format(time.DateOnly)}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Title, v.Nav = st.Title(), navSettlements
	c.Status(status)
	return s.render(c, "admin/settlement", &v)
}

// statementPage is GET /admin/settlements/:id.
func (s *server) statementPage(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	return s.renderStatement(c, int64(id), "", "", nil, "", fiber.StatusOK)
}

// confirmStatement locks a draft; a refusal (already paid, period not
// over, no account) shows the statement with the reason (409).
func (s *server) confirmStatement(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	err := s.Settlement.Confirm(c.UserContext(), int64(id))
	if apperr.Code(err) == apperr.Conflict {
		return s.renderStatement(c, int64(id), "", "", nil, apperr.Message(err), fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	return redirectDone(c, statementURL(int64(id)), "statement_confirmed")
}

// payStatement records the transfer of a confirmed statement.
func (s *server) payStatement(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	in := settlement.PayInput{Reference: c.FormValue("reference"), Date: c.FormValue("paid_on")}
	err := s.Settlement.MarkPaid(c.UserContext(), int64(id), in)
	var ae *apperr.Error
	switch {
	case errors.As(err, &ae) && ae.Code == apperr.Invalid:
		return s.renderStatement(c, int64(id), in.Reference, in.Date, ae.Fields, "지급 내용을 확인해 주세요.", fiber.StatusUnprocessableEntity)
	case apperr.Code(err) == apperr.Conflict:
		return s.renderStatement(c, int64(id), in.Reference, in.Date, nil, apperr.Message(err), fiber.StatusConflict)
	case err != nil:
		return err
	}
	return redirectDone(c, statementURL(int64(id)), "statement_paid")
}

// statementFile is GET /admin/settlements/:id/statement.csv, .xlsx, .pdf.
func (s *server) statementFile(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, _ := c.ParamsInt("id")
		st, entries, err := s.Settlement.Statement(c.UserContext(), int64(id))
		if err != nil {
			return err
		}
		return view.SendStatement(c, s.PDF, st, entries, format)
	}
}

type rateRow struct {
	*settlement.Rate
	Enterprise string
}

type ratesView struct {
	layout
	Rates       []rateRow
	Enterprises []option
	Channels    []option
	F           settlement.RateInput
	Enterprise  string
	Errors      map[string]string
	Problem     string
}

func (s *server) renderRates(c *fiber.Ctx, f settlement.RateInput, enterprise string, errs map[string]string, problem string, status int) error {
	ctx := c.UserContext()
	rates, err := s.Settlement.Rates(ctx, 0)
	if err != nil {
		return err
	}
	ents, _, err := s.Catalog.FindAllEnterprises(ctx, catalog.ManagedEnterpriseFilter{Status: "active", Limit: 200})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	v := ratesView{F: f, Enterprise: enterprise, Errors: errs, Problem: problem}
	for _, e := range ents {
		names[e.ID] = e.Name
		v.Enterprises = append(v.Enterprises, option{strconv.FormatInt(e.ID, 10), e.Name})
	}
	for _, ch := range settlement.Channels {
		v.Channels = append(v.Channels, option{string(ch), ch.Label()})
	}
	for _, r := range rates {
		v.Rates = append(v.Rates, rateRow{Rate: r, Enterprise: names[r.EnterpriseID]})
	}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Title, v.Nav = "기업별 수수료율", navSettlements
	c.Status(status)
	return s.render(c, "admin/settlement_rates", &v)
}

// ratesPage is GET /admin/settlements/rates: every override and the form.
func (s *server) ratesPage(c *fiber.Ctx) error {
	return s.renderRates(c, settlement.RateInput{Channel: string(settlement.Consumer)}, "", nil, "", fiber.StatusOK)
}

// addRate adds an override; an overlapping period or a rate above 100 %
// comes back with the form and the reason (409 / 422), nothing written.
func (s *server) addRate(c *fiber.Ctx) error {
	ent := c.FormValue("enterprise")
	id, _ := strconv.ParseInt(strings.TrimSpace(ent), 10, 64)
	in := settlement.RateInput{EnterpriseID: id, Channel: c.FormValue("channel"), Rate: c.FormValue("rate"),
		From: c.FormValue("from"), Until: c.FormValue("until"), Note: c.FormValue("note")}
	_, err := s.Settlement.AddRate(c.UserContext(), in)
	var ae *apperr.Error
	if errors.As(err, &ae) && (ae.Code == apperr.Invalid || ae.Code == apperr.Conflict || ae.Code == apperr.NotFound) {
		status := fiber.StatusUnprocessableEntity
		if ae.Code == apperr.Conflict {
			status = fiber.StatusConflict
		}
		errs := ae.Fields
		if ae.Code == apperr.NotFound {
			errs = map[string]string{"enterprise": "입점기업을 목록에서 골라 주세요."}
		}
		return s.renderRates(c, in, ent, errs, ae.Message, status)
	}
	if err != nil {
		return err
	}
	return redirectDone(c, "/admin/settlements/rates", "rate_added")
}
