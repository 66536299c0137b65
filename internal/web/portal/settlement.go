package portal

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/web/view"
)

// The enterprise's settlement statements and its settlement account.

const navSettlements = "settlements"

// mountSettlement registers the enterprise's statements and its
// settlement account.
func (s *server) mountSettlement(g fiber.Router) {
	g.Get("/settlements", s.settlementsPage)
	g.Get("/settlements/bank", s.bankPage)
	g.Post("/settlements/bank", s.saveBank)
	g.Get("/settlements/:id<int>", s.statementPage)
	g.Get("/settlements/:id<int>/statement.csv", s.statementFile("csv"))
	g.Get("/settlements/:id<int>/statement.xlsx", s.statementFile("xlsx"))
	g.Get("/settlements/:id<int>/statement.pdf", s.statementFile("pdf"))
}

type settlementsView struct {
	layout
	Statements []view.StatementRow
	Bank       string
}

// settlementsPage is GET /portal/settlements: the enterprise's statements,
// newest first (only its own: the service scopes them).
func (s *server) settlementsPage(c *fiber.Ctx) error {
	if s.Settlement == nil {
		return fiber.ErrServiceUnavailable
	}
	list, err := s.Settlement.Statements(c.UserContext(), settlement.Filter{})
	if err != nil {
		return err
	}
	b, err := s.Settlement.Bank(c.UserContext())
	if err != nil {
		return err
	}
	v := settlementsView{Bank: b.Label()}
	for _, st := range list {
		v.Statements = append(v.Statements, view.StatementRow{Statement: st, URL: "/portal/settlements/" + strconv.FormatInt(st.ID, 10)})
	}
	if c.Query("done") == "bank" {
		v.Done = "정산 계좌를 저장했습니다. 다음에 확정되는 정산서부터 이 계좌로 지급합니다."
	}
	v.Title, v.Nav = "정산", navSettlements
	return s.render(c, "portal/settlements", &v)
}

type statementView struct {
	layout
	S       *settlement.Statement
	Entries []settlement.Entry
	URL     string
}

// statementPage is GET /portal/settlements/:id (another enterprise's: 404).
func (s *server) statementPage(c *fiber.Ctx) error {
	if s.Settlement == nil {
		return fiber.ErrServiceUnavailable
	}
	id, _ := c.ParamsInt("id")
	st, entries, err := s.Settlement.Statement(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	v := statementView{S: st, Entries: entries, URL: "/portal/settlements/" + strconv.Itoa(id)}
	v.Title, v.Nav = st.Title(), navSettlements
	return s.render(c, "portal/settlement", &v)
}

// statementFile is GET /portal/settlements/:id/statement.csv, .xlsx, .pdf.
func (s *server) statementFile(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s.Settlement == nil {
			return fiber.ErrServiceUnavailable
		}
		id, _ := c.ParamsInt("id")
		st, entries, err := s.Settlement.Statement(c.UserContext(), int64(id))
		if err != nil {
			return err
		}
		return view.SendStatement(c, s.PDF, st, entries, format)
	}
}

type bankView struct {
	layout
	B       settlement.Bank
	Errors  map[string]string
	Problem string
}

func (s *server) renderBank(c *fiber.Ctx, b settlement.Bank, errs map[string]string, problem string, status int) error {
	v := bankView{B: b, Errors: errs, Problem: problem}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Title, v.Nav = "정산 계좌", navSettlements
	c.Status(status)
	return s.render(c, "portal/bank", &v)
}

// bankPage is GET /portal/settlements/bank: the account the co-op pays.
func (s *server) bankPage(c *fiber.Ctx) error {
	if s.Settlement == nil {
		return fiber.ErrServiceUnavailable
	}
	b, err := s.Settlement.Bank(c.UserContext())
	if err != nil {
		return err
	}
	return s.renderBank(c, *b, nil, "", fiber.StatusOK)
}

// saveBank changes the account (owners; audited); a refused form comes
// back with its values (422).
func (s *server) saveBank(c *fiber.Ctx) error {
	if s.Settlement == nil {
		return fiber.ErrServiceUnavailable
	}
	b := settlement.Bank{Name: c.FormValue("bank_name"), Account: c.FormValue("bank_account"), Holder: c.FormValue("bank_holder")}
	err := s.Settlement.UpdateBank(c.UserContext(), b)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid {
		return s.renderBank(c, b, ae.Fields, "정산 계좌를 확인해 주세요.", fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/portal/settlements?done=bank", fiber.StatusSeeOther)
}
