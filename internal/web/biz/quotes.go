package biz

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/web/view"
)

// mountQuotes registers the buyer's quote requests: the list, the request
// form (line by line, or from the shop cart), each request with its
// revisions and the decision, and each revision's 견적서.
func (s *server) mountQuotes(g fiber.Router) {
	buyer := s.signedIn(account.RequireInstitutionBuyer)
	g.Get("/quotes", buyer, s.needQuotes, s.quotesPage)
	g.Get("/quotes/new", buyer, s.needQuotes, s.newQuotePage)
	g.Post("/quotes/new", buyer, s.needQuotes, s.newQuotePost)
	g.Post("/quotes/cart", buyer, s.needQuotes, s.quoteFromCart)
	g.Get("/quotes/:id<int>", buyer, s.needQuotes, s.quotePage)
	g.Post("/quotes/:id<int>/accept", buyer, s.needQuotes, s.acceptQuote)
	g.Post("/quotes/:id<int>/decline", buyer, s.needQuotes, s.declineQuote)
	g.Get("/quotes/:id<int>/r/:rev", buyer, s.needQuotes, s.quoteDocument)
}

func (s *server) needQuotes(c *fiber.Ctx) error {
	if s.Quotes == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

func bizQuoteURL(id int64) string { return "/biz/quotes/" + strconv.FormatInt(id, 10) }

type quoteRow struct {
	URL, Number, Created, Desired, Status, StatusKey, Latest string
	Lines                                                    int
}

type quotesView struct {
	layout
	Status   string
	Statuses []option
	Rows     []quoteRow
	Total    int
	Pager    view.Pager
}

// quotesPage is GET /biz/quotes: the institution's requests, newest first.
func (s *server) quotesPage(c *fiber.Ctx) error {
	qv, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(qv, perPage, perPage)
	if err != nil {
		return err
	}
	v := &quotesView{Status: qv.Get("status")}
	v.Title, v.Nav = "견적 요청", navQuotes
	v.Statuses = append(v.Statuses, option{"", "전체", v.Status == ""})
	for _, st := range quote.Statuses {
		v.Statuses = append(v.Statuses, option{string(st), st.Label(), string(st) == v.Status})
	}
	list, total, err := s.Quotes.FindRequests(c.UserContext(), quote.Filter{Status: quote.Status(v.Status), Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	for _, r := range list {
		row := quoteRow{URL: bizQuoteURL(r.ID), Number: r.Number, Created: kr.DateTime(r.CreatedAt), Desired: kr.Date(r.DesiredDate),
			Status: r.Status.Label(), StatusKey: string(r.Status), Lines: r.Lines}
		if r.LatestRevision > 0 {
			row.Latest = "r" + strconv.Itoa(r.LatestRevision) + " · " + kr.Won(r.LatestTotal)
		}
		v.Rows = append(v.Rows, row)
	}
	v.Total = total
	v.Pager = view.BuildPager(page, view.TotalPages(total, perPage, 0), func(n int) string {
		return view.PageURL("/biz/quotes", url.Values{"status": {v.Status}}, n)
	})
	return s.render(c, "biz/quotes", v)
}

// revisionLink is a revision's 견적서 links.
type revisionLink struct {
	Label, HTML, PDF string
}

type requestLine struct {
	Name, Quantity, Notes, State string
	FreeText                     bool
}

type quoteView struct {
	layout
	ID          int64
	Number      string
	Status      string
	StatusKey   string
	Created     string
	Requester   string
	Desired     string
	Place       string
	Notes       string
	Lines       []requestLine
	Latest      *view.QuoteRevision
	LatestLinks revisionLink
	Older       []view.QuoteRevision // newest first
	Links       []revisionLink       // every revision, oldest first
	CanDecide   bool                 // the latest revision may be accepted or declined
	CanDecline  bool                 // expired: declining only
	Terms       []option
	Reason      string
	Errors      map[string]string
	Problem     string
	Decision    string
}

func quoteParam(c *fiber.Ctx) (int64, error) { return view.ParseID(c.Params("id"), "견적 요청") }

// quotePage is GET /biz/quotes/:id.
func (s *server) quotePage(c *fiber.Ctx) error {
	id, err := quoteParam(c)
	if err != nil {
		return err
	}
	return s.renderQuote(c, id, &quoteView{}, fiber.StatusOK)
}

// renderQuote shows request id (as the domain lets the actor see it) with
// v's form state and problem.
func (s *server) renderQuote(c *fiber.Ctx, id int64, v *quoteView, status int) error {
	r, err := s.Quotes.FindRequest(c.UserContext(), id)
	if err != nil {
		return err
	}
	now := time.Now()
	st := r.StatusAt(now)
	v.ID, v.Number, v.Status, v.StatusKey = r.ID, r.Number, st.Label(), string(st)
	v.Created, v.Requester, v.Desired = kr.DateTime(r.CreatedAt), r.UserName, kr.Date(r.DesiredDate)
	v.Place = strings.TrimSpace("(" + r.Place.Postcode + ") " + r.Place.Road + " " + r.Place.Detail)
	v.Notes = r.Notes
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	for _, l := range r.Lines {
		rl := requestLine{Name: view.QuoteItemName(l.Name, l.OptionName), Quantity: view.QuoteQuantity(l.Quantity, l.Unit),
			Notes: l.Notes, FreeText: l.FreeText()}
		switch answered, offered := answers(l); {
		case len(l.Offers) == 0:
			rl.State = "공급 기업 찾는 중"
		case answered < len(l.Offers):
			rl.State = "답변 대기 " + strconv.Itoa(len(l.Offers)-answered) + "곳"
		case offered == 0:
			rl.State = "공급 불가"
		default:
			rl.State = "답변 완료"
		}
		v.Lines = append(v.Lines, rl)
	}
	for i, rev := range r.Revisions {
		n := strconv.Itoa(rev.Number)
		v.Links = append(v.Links, revisionLink{Label: rev.Label(), HTML: bizQuoteURL(r.ID) + "/r/" + n, PDF: bizQuoteURL(r.ID) + "/r/" + n + ".pdf"})
		qr := view.NewQuoteRevision(rev, i == len(r.Revisions)-1, false, now)
		if i == len(r.Revisions)-1 {
			v.Latest, v.LatestLinks = &qr, v.Links[i]
		} else {
			v.Older = append([]view.QuoteRevision{qr}, v.Older...)
		}
	}
	v.CanDecide = r.Status == quote.Quoted && st == quote.Quoted
	v.CanDecline = r.Status == quote.Quoted && r.Decision == nil
	chosen := c.FormValue("terms")
	if chosen == "" {
		chosen = string(quote.TermsInvoice)
	}
	for _, t := range []quote.Terms{quote.TermsInvoice, quote.TermsCard} {
		v.Terms = append(v.Terms, option{string(t), t.Label(), string(t) == chosen})
	}
	if d := r.Decision; d != nil {
		label := "r" + strconv.Itoa(d.RevisionNumber)
		if d.Kind == quote.DecisionAccepted {
			v.Decision = d.UserName + "님이 " + kr.DateTime(d.At) + "에 견적서 " + label + "을(를) 수락했습니다. 주문 번호 " + strconv.FormatInt(d.OrderID, 10) + "."
		} else {
			v.Decision = d.UserName + "님이 " + kr.DateTime(d.At) + "에 견적서 " + label + "을(를) 거절했습니다. 사유: " + d.Reason
		}
	}
	v.Title, v.Nav = "견적 요청 "+r.Number, navQuotes
	c.Status(status)
	return s.render(c, "biz/quote", v)
}

// answers counts a line's answered offers and those that can supply.
func answers(l *quote.Line) (answered, offered int) {
	for _, o := range l.Offers {
		if o.Status != quote.Asked {
			answered++
		}
		if o.Status == quote.Offered {
			offered++
		}
	}
	return answered, offered
}

// revisionParam reads the revision number posted with a decision.
func revisionParam(c *fiber.Ctx) int {
	n, _ := strconv.Atoi(c.FormValue("revision"))
	return n
}

// decisionProblem shows the request again with the refusal of a decision,
// or returns err when it is not the form's business.
func (s *server) decisionProblem(c *fiber.Ctx, id int64, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Invalid && ae.Code != apperr.Conflict) {
		return err
	}
	status := fiber.StatusUnprocessableEntity
	if ae.Code == apperr.Conflict {
		status = fiber.StatusConflict
	}
	return s.renderQuote(c, id, &quoteView{Problem: ae.Message, Errors: ae.Fields, Reason: c.FormValue("reason")}, status)
}

// acceptQuote is POST /biz/quotes/:id/accept (revision, terms): the order
// is placed and the buyer sees the request accepted.
func (s *server) acceptQuote(c *fiber.Ctx) error {
	id, err := quoteParam(c)
	if err != nil {
		return err
	}
	if _, err := s.Quotes.Accept(c.UserContext(), id, revisionParam(c), quote.Terms(c.FormValue("terms"))); err != nil {
		return s.decisionProblem(c, id, err)
	}
	return c.Redirect(bizQuoteURL(id)+"?done=quote_accepted", fiber.StatusSeeOther)
}

// declineQuote is POST /biz/quotes/:id/decline (revision, reason).
func (s *server) declineQuote(c *fiber.Ctx) error {
	id, err := quoteParam(c)
	if err != nil {
		return err
	}
	if err := s.Quotes.Decline(c.UserContext(), id, revisionParam(c), c.FormValue("reason")); err != nil {
		return s.decisionProblem(c, id, err)
	}
	return c.Redirect(bizQuoteURL(id)+"?done=quote_declined", fiber.StatusSeeOther)
}
