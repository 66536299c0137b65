package admin

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/web/view"
)

// mountQuotes registers the quote requests' inbox and each request's page:
// routing free-text lines to enterprises, merging their answers into a
// revision, sending it, and the revisions sent.
func (s *server) mountQuotes(g fiber.Router) {
	g.Get("/quotes", s.needQuotes, s.quotesPage)
	g.Get("/quotes/:id<int>", s.needQuotes, s.quotePage)
	g.Post("/quotes/:id<int>/route", s.needQuotes, s.routeQuoteLine)
	g.Post("/quotes/:id<int>/revisions", s.needQuotes, s.sendQuote)
}

func (s *server) needQuotes(c *fiber.Ctx) error {
	if s.Quotes == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

// quoteStatuses are the inbox's status filter.
func quoteStatuses() []option {
	out := []option{}
	for _, st := range quote.Statuses {
		out = append(out, option{string(st), st.Label()})
	}
	return out
}

type quoteRow struct {
	URL, Number, Institution, Created, Desired, Status, StatusKey, Latest string
	Lines, Unrouted, Asked                                                int
}

type quotesView struct {
	layout
	Status   string
	Statuses []option
	Rows     []quoteRow
	Total    int
	Pager    view.Pager
}

// quotesPage is GET /admin/quotes: every institution's requests, newest
// first, by status.
func (s *server) quotesPage(c *fiber.Ctx) error {
	qv, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(qv, perPage, perPage)
	if err != nil {
		return err
	}
	v := quotesView{Status: qv.Get("status"), Statuses: quoteStatuses()}
	v.Title, v.Nav = "견적 요청", navQuotes
	if v.Status != "" && !valid(v.Statuses, v.Status) {
		return apperr.Errorf(apperr.Invalid, "상태를 목록에서 골라 주세요.")
	}
	list, total, err := s.Quotes.FindRequests(c.UserContext(), quote.Filter{Status: quote.Status(v.Status), Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	for _, r := range list {
		row := quoteRow{URL: quoteURL(r.ID), Number: r.Number, Institution: r.InstitutionName, Created: kr.DateTime(r.CreatedAt),
			Desired: kr.Date(r.DesiredDate), Status: r.Status.Label(), StatusKey: string(r.Status), Lines: r.Lines,
			Unrouted: r.Unrouted, Asked: r.Asked}
		if r.LatestRevision > 0 {
			row.Latest = "r" + strconv.Itoa(r.LatestRevision) + " · " + kr.Won(r.LatestTotal)
		}
		v.Rows = append(v.Rows, row)
	}
	v.Total = total
	v.Pager = view.BuildPager(page, view.TotalPages(total, perPage, 0), func(n int) string { return view.PageURL("/admin/quotes", qv, n) })
	return s.render(c, "admin/quotes", &v)
}

func quoteURL(id int64) string { return "/admin/quotes/" + strconv.FormatInt(id, 10) }

// offerRow is one enterprise's answer for a line.
type offerRow struct {
	Enterprise, Status, StatusKey, Price, Date, Reason string
}

// lineRow is one line of the request with its offers, and its place in the
// merge form.
type lineRow struct {
	ID        int64
	Name      string
	Quantity  string
	Notes     string
	FreeText  bool
	Offers    []offerRow
	Choices   []option // the offers to choose from, when more than one
	Choice    string   // as typed
	ChoiceErr string
}

// shipRow is a shipping fee field of the merge form.
type shipRow struct {
	ID         int64
	Enterprise string
	Value      string
	Err        string
}

type quoteView struct {
	layout
	ID          int64
	Number      string
	Institution string
	Requester   string
	Created     string
	Status      string
	StatusKey   string
	Desired     string
	Place       string
	Notes       string
	Open        bool
	Lines       []lineRow
	Enterprises []option // for routing
	RouteLine   string
	RouteErr    string
	Problem     string
	// The merge form.
	CanMerge     bool
	DeliveryDate string
	ValidUntil   string
	Remarks      string
	Errors       map[string]string
	Shipping     []shipRow
	Preview      *view.QuoteRevision
	Revisions    []view.QuoteRevision // newest first
	Decision     string
}

func quoteParam(c *fiber.Ctx) (int64, error) { return view.ParseID(c.Params("id"), "견적 요청") }

// quotePage is GET /admin/quotes/:id.
func (s *server) quotePage(c *fiber.Ctx) error {
	id, err := quoteParam(c)
	if err != nil {
		return err
	}
	r, err := s.Quotes.FindRequest(c.UserContext(), id)
	if err != nil {
		return err
	}
	v, err := s.newQuoteView(c, r)
	if err != nil {
		return err
	}
	return s.render(c, "admin/quote", v)
}

func (s *server) newQuoteView(c *fiber.Ctx, r *quote.Request) (*quoteView, error) {
	now := time.Now()
	st := r.StatusAt(now)
	v := &quoteView{ID: r.ID, Number: r.Number, Institution: r.InstitutionName, Requester: r.UserName,
		Created: kr.DateTime(r.CreatedAt), Status: st.Label(), StatusKey: string(st), Desired: kr.Date(r.DesiredDate),
		Place: "(" + r.Place.Postcode + ") " + r.Place.Road + " " + r.Place.Detail, Notes: r.Notes,
		Open:         r.Status == quote.Submitted || r.Status == quote.Quoting || r.Status == quote.Quoted,
		DeliveryDate: view.FormDate(r.DesiredDate), ValidUntil: view.FormDate(quote.Today(now).AddDate(0, 0, 14)),
		Errors: map[string]string{}}
	if l := r.Latest(); l != nil {
		v.DeliveryDate, v.Remarks = view.FormDate(l.DeliveryDate), l.Remarks
	}
	ships := map[int64]bool{}
	for _, l := range r.Lines {
		row := lineRow{ID: l.ID, Name: view.QuoteItemName(l.Name, l.OptionName), Quantity: view.QuoteQuantity(l.Quantity, l.Unit),
			Notes: l.Notes, FreeText: l.FreeText()}
		for _, o := range l.Offers {
			or := offerRow{Enterprise: o.EnterpriseName, Status: o.Status.Label(), StatusKey: string(o.Status), Reason: o.Reason}
			if o.Status == quote.Offered {
				or.Price, or.Date = kr.Won(o.UnitPrice), view.FormatDate(o.AvailableDate)
				row.Choices = append(row.Choices, option{strconv.FormatInt(o.EnterpriseID, 10), o.EnterpriseName + " · " + kr.Won(o.UnitPrice)})
				if !ships[o.EnterpriseID] {
					ships[o.EnterpriseID] = true
					v.Shipping = append(v.Shipping, shipRow{ID: o.EnterpriseID, Enterprise: o.EnterpriseName, Value: "0"})
				}
			}
			row.Offers = append(row.Offers, or)
		}
		if len(row.Choices) < 2 {
			row.Choices = nil
		}
		v.Lines = append(v.Lines, row)
	}
	v.CanMerge = v.Open && len(v.Shipping) > 0
	if l := r.Latest(); l != nil {
		for i := range v.Shipping {
			if sh := l.Share(v.Shipping[i].ID); sh != nil {
				v.Shipping[i].Value = strconv.FormatInt(sh.Shipping, 10)
			}
		}
	}
	if v.Open {
		ents, _, err := s.Catalog.FindAllEnterprises(c.UserContext(), catalog.ManagedEnterpriseFilter{Status: catalog.EnterpriseActive, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			v.Enterprises = append(v.Enterprises, option{strconv.FormatInt(e.ID, 10), e.Name})
		}
	}
	for i := len(r.Revisions) - 1; i >= 0; i-- {
		v.Revisions = append(v.Revisions, view.NewQuoteRevision(r.Revisions[i], i == len(r.Revisions)-1, false, now))
	}
	if d := r.Decision; d != nil {
		if d.Kind == quote.DecisionAccepted {
			v.Decision = d.UserName + "님이 " + kr.DateTime(d.At) + "에 r" + strconv.Itoa(d.RevisionNumber) + "을(를) 수락했습니다 (주문 #" + strconv.FormatInt(d.OrderID, 10) + ")."
		} else {
			v.Decision = d.UserName + "님이 " + kr.DateTime(d.At) + "에 r" + strconv.Itoa(d.RevisionNumber) + "을(를) 거절했습니다. 사유: " + d.Reason
		}
	}
	v.Title, v.Nav = "견적 요청 "+r.Number, navQuotes
	return v, nil
}

// routeQuoteLine is POST /admin/quotes/:id/route (line, enterprise).
func (s *server) routeQuoteLine(c *fiber.Ctx) error {
	id, err := quoteParam(c)
	if err != nil {
		return err
	}
	line, _ := strconv.ParseInt(c.FormValue("line"), 10, 64)
	ent, _ := strconv.ParseInt(c.FormValue("enterprise"), 10, 64)
	err = s.Quotes.RouteLine(c.UserContext(), id, line, ent)
	if err == nil {
		return redirectDone(c, quoteURL(id), "quote_routed")
	}
	if apperr.Code(err) != apperr.Invalid {
		return err
	}
	r, ferr := s.Quotes.FindRequest(c.UserContext(), id)
	if ferr != nil {
		return ferr
	}
	v, ferr := s.newQuoteView(c, r)
	if ferr != nil {
		return ferr
	}
	v.RouteLine, v.RouteErr, v.Problem = c.FormValue("line"), apperr.Message(err), apperr.Message(err)
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "admin/quote", v)
}

// sendQuote is POST /admin/quotes/:id/revisions: action=preview shows the
// revision the answers make; action=send sends it. On a mistake the form
// comes back as typed.
func (s *server) sendQuote(c *fiber.Ctx) error {
	id, err := quoteParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	r, err := s.Quotes.FindRequest(ctx, id)
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	in := quote.RevisionInput{Remarks: c.FormValue("remarks"), Choice: map[int64]int64{}, Shipping: map[int64]int64{}}
	var ok bool
	if in.DeliveryDate, ok = view.ParseFormDate(c.FormValue("delivery_date")); !ok {
		f.Add("delivery_date", "납품 예정일을 2026-12-01 형식으로 입력해 주세요.")
	}
	if in.ValidUntil, ok = view.ParseFormDate(c.FormValue("valid_until")); !ok {
		f.Add("valid_until", "견적 유효기간을 2026-12-01 형식으로 입력해 주세요.")
	}
	for _, l := range r.Lines {
		k := strconv.FormatInt(l.ID, 10)
		if raw := c.FormValue("choice_" + k); raw != "" {
			ent, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				f.Add("choice_"+k, "공급할 기업을 목록에서 골라 주세요.")
			}
			in.Choice[l.ID] = ent
		}
		for _, o := range l.Offers {
			ek := strconv.FormatInt(o.EnterpriseID, 10)
			if raw := strings.TrimSpace(c.FormValue("shipping_" + ek)); raw != "" {
				fee, ok := view.ParseWon(raw)
				if !ok {
					f.Add("shipping_"+ek, "배송비를 원 단위 숫자로 입력해 주세요.")
				}
				in.Shipping[o.EnterpriseID] = fee
			}
		}
	}
	var preview *quote.Revision
	if len(f) == 0 {
		if c.FormValue("action") == "send" {
			if _, err = s.Quotes.SendRevision(ctx, id, in); err == nil {
				return redirectDone(c, quoteURL(id), "quote_sent")
			}
		} else {
			preview, err = s.Quotes.Preview(ctx, id, in)
		}
		var ae *apperr.Error
		switch {
		case err == nil:
		case errors.As(err, &ae) && ae.Code == apperr.Invalid:
			for k, m := range ae.Fields {
				f.Add(k, m)
			}
			if len(ae.Fields) == 0 {
				f.Add("form", ae.Message)
			}
		default:
			return err
		}
	}
	v, err := s.newQuoteView(c, r)
	if err != nil {
		return err
	}
	v.DeliveryDate, v.ValidUntil, v.Remarks, v.Errors = c.FormValue("delivery_date"), c.FormValue("valid_until"), in.Remarks, f
	for i := range v.Lines {
		k := strconv.FormatInt(v.Lines[i].ID, 10)
		v.Lines[i].Choice, v.Lines[i].ChoiceErr = c.FormValue("choice_"+k), f["choice_"+k]
	}
	for i := range v.Shipping {
		k := strconv.FormatInt(v.Shipping[i].ID, 10)
		v.Shipping[i].Value, v.Shipping[i].Err = c.FormValue("shipping_"+k), f["shipping_"+k]
	}
	if len(f) > 0 {
		v.Problem = "견적서 내용을 확인해 주세요."
		if m := f["form"]; m != "" {
			v.Problem = m
		}
		c.Status(fiber.StatusUnprocessableEntity)
	} else if preview != nil {
		pv := view.NewQuoteRevision(preview, false, false, time.Now())
		pv.ID, pv.Label = "rev-preview", "미리 보기 (아직 보내지 않음)"
		v.Preview = &pv
	}
	return s.render(c, "admin/quote", v)
}
