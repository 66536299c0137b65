package shop

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/kr"
)

// The yearly impact statement (사회적 가치 보고서) of a signed-in buyer: a
// member's own orders, or an institution user's institution's. Nobody sees
// another buyer's: the ids come from the actor alone.

type impactStatementView struct {
	layout
	St           *impact.Statement
	Total        string
	Buyer        string
	Years        []impactYear
	PDFURL       string
	Institution  bool
	HasPurchases bool
}

type impactYear struct {
	Year     int
	URL      string
	Selected bool
}

// statementFor reads ?year= (this year by default) and builds the actor's
// statement; Invalid (400) for a year outside 2000..this year.
func (s *server) statementFor(c *fiber.Ctx) (*impact.Statement, *account.Actor, error) {
	if s.Impact == nil {
		return nil, nil, fiber.ErrServiceUnavailable
	}
	a, err := account.RequireUser(c.UserContext())
	if err != nil {
		return nil, nil, err
	}
	year := time.Now().In(kr.Seoul()).Year()
	if q := c.Query("year"); q != "" {
		if year, err = strconv.Atoi(q); err != nil {
			return nil, nil, apperr.Errorf(apperr.Invalid, "연도를 확인해 주세요.")
		}
	}
	// An institution's statement is for its approved buyers; anyone else
	// gets their own orders'.
	var userID, instID int64
	if a.Role == account.InstitutionUser {
		if _, err := account.RequireInstitutionBuyer(c.UserContext()); err != nil {
			return nil, nil, err
		}
		instID = a.InstitutionID
	} else {
		userID = a.UserID
	}
	st, err := s.Impact.YearStatement(c.UserContext(), userID, instID, year)
	return st, a, err
}

func buyerName(a *account.Actor) string {
	if a.Role == account.InstitutionUser {
		return a.Name + " (기관 구매 합계)"
	}
	return a.Name
}

// impactStatementPage is GET /account/impact.
func (s *server) impactStatementPage(c *fiber.Ctx) error {
	st, a, err := s.statementFor(c)
	if err != nil {
		return err
	}
	v := &impactStatementView{St: st, Total: kr.Won(st.Total), Buyer: buyerName(a), HasPurchases: len(st.Rows) > 0,
		PDFURL: "/account/impact.pdf?year=" + strconv.Itoa(st.Year), Institution: a.Role == account.InstitutionUser}
	now := time.Now().In(kr.Seoul()).Year()
	for y := now; y > now-5; y-- {
		v.Years = append(v.Years, impactYear{Year: y, URL: "/account/impact?year=" + strconv.Itoa(y), Selected: y == st.Year})
	}
	v.Title, v.NoIndex, v.HideSearch = strconv.Itoa(st.Year)+"년 사회적 가치 보고서", true, true
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "shop/impact", v)
}

// impactStatementPDF is GET /account/impact.pdf.
func (s *server) impactStatementPDF(c *fiber.Ctx) error {
	if s.PDF == nil {
		return fiber.ErrServiceUnavailable
	}
	st, a, err := s.statementFor(c)
	if err != nil {
		return err
	}
	b, err := s.PDF.ImpactStatement(st, buyerName(a))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="impact-`+strconv.Itoa(st.Year)+`.pdf"`)
	return c.Send(b)
}
