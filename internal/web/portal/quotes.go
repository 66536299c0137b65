package portal

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/web/view"
)

// mountQuotes registers the quote screens on the /portal group: the lines
// of institutions' quote requests that were asked of this enterprise, and
// its answers. quote.Service shows an enterprise only its own lines and
// share; another's request answers not found.
func (s *server) mountQuotes(g fiber.Router) {
	g.Get("/quotes", s.needQuotes, s.quotesPage)
	g.Get("/quotes/:qid<int>", s.needQuotes, s.quotePage)
	g.Post("/quotes/:qid<int>/answer", s.needQuotes, s.answerQuote)
	g.Post("/quotes/:qid<int>/send", s.needQuotes, s.sendQuote)
}

// needQuotes answers 503 when the app runs without the quote service.
func (s *server) needQuotes(c *fiber.Ctx) error {
	if s.Quotes == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

// quoteRow is one request of the list.
type quoteRow struct {
	URL, Number, Institution, Desired, Created, Status, StatusKey string
	Lines, Asked, Answered, Mine                                  int
	Latest                                                        string // "r2 · 165,000원", "" before any
}

type quotesView struct {
	layout
	Open  bool // the "to answer" tab
	Rows  []quoteRow
	Total int
	Pager view.Pager
}

const quotesPerPage = 20

// quotesPage is GET /portal/quotes (?all=1 for every request, answered or
// not; by default those with lines still to answer).
func (s *server) quotesPage(c *fiber.Ctx) error {
	qv, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(qv, quotesPerPage, quotesPerPage)
	if err != nil {
		return err
	}
	v := quotesView{Open: qv.Get("all") == ""}
	list, total, err := s.Quotes.FindRequests(c.UserContext(), quote.Filter{Open: v.Open, Limit: quotesPerPage, Offset: (page - 1) * quotesPerPage})
	if err != nil {
		return err
	}
	for _, r := range list {
		row := quoteRow{URL: "/portal/quotes/" + strconv.FormatInt(r.ID, 10), Number: r.Number, Institution: r.InstitutionName,
			Desired: kr.Date(r.DesiredDate), Created: kr.Date(r.CreatedAt), Status: r.Status.Label(), StatusKey: string(r.Status),
			Lines: r.Lines, Asked: r.Asked, Answered: r.Answered, Mine: r.Asked + r.Answered}
		if r.LatestRevision > 0 {
			row.Latest = "r" + strconv.Itoa(r.LatestRevision) + " · " + kr.Won(r.LatestTotal)
		}
		v.Rows = append(v.Rows, row)
	}
	v.Total = total
	base := "/portal/quotes"
	if !v.Open {
		base += "?all=1"
	}
	v.Pager = view.BuildPager(page, view.TotalPages(total, quotesPerPage, 0), func(n int) string {
		if n == 1 {
			return base
		}
		if v.Open {
			return base + "?page=" + strconv.Itoa(n)
		}
		return base + "&page=" + strconv.Itoa(n)
	})
	v.Title, v.Nav = "견적 요청", navQuotes
	return s.render(c, "portal/quotes", &v)
}

// answerRow is one of the enterprise's lines with its answer form.
type answerRow struct {
	ID       int64
	Name     string
	Quantity string
	Notes    string
	FreeText bool
	Status   string // the offer's status label
	// The form, as stored or as typed.
	Supply         string // "yes", "no" or "" (not answered)
	Price, Date    string
	Reason         string
	PriceErr       string
	DateErr        string
	ReasonErr      string
	SuggestedPrice string
	// Product is the chosen product a free-text line is supplied as (its
	// id), ProductErr what is wrong with it.
	Product    string
	ProductErr string
}

// productChoice is one of the enterprise's products a free-text line can
// be supplied as.
type productChoice struct {
	ID   string
	Name string
}

type quoteView struct {
	layout
	ID          int64
	Number      string
	Institution string
	Status      string
	StatusKey   string
	Desired     string
	Place       string
	Notes       string
	Open        bool // answers may still change
	Lines       []answerRow
	// Products are what free-text lines can be supplied as (only filled
	// when the request has one).
	Products  []productChoice
	Problem   string
	Revisions []view.QuoteRevision // newest first, the enterprise's share only
	// The quote form of a single-enterprise request, which the enterprise
	// sends itself (Service.CanPrepare).
	CanSend      bool
	DeliveryDate string
	ValidUntil   string
	Shipping     string
	Remarks      string
	SendErrors   map[string]string
}

// quoteDone are the notices of the quote page's ?done= codes.
var quoteDone = map[string]string{
	"answered": "답변을 저장했습니다. 협동조합이 다른 기업의 답변과 합쳐 기관에 견적서를 보냅니다.",
	"sent":     "견적서를 기관에 보냈습니다. 보낸 견적서는 바꿀 수 없고, 고치려면 새 견적서(다음 번호)를 보냅니다.",
}

func quoteID(c *fiber.Ctx) (int64, error) { return view.ParseID(c.Params("qid"), "견적 요청") }

// quotePage is GET /portal/quotes/:qid.
func (s *server) quotePage(c *fiber.Ctx) error {
	id, err := quoteID(c)
	if err != nil {
		return err
	}
	r, err := s.Quotes.FindRequest(c.UserContext(), id)
	if err != nil {
		return err
	}
	v := s.newQuoteView(c, r)
	v.Done = quoteDone[c.Query("done")]
	return s.render(c, "portal/quote", v)
}

func (s *server) newQuoteView(c *fiber.Ctx, r *quote.Request) *quoteView {
	now := time.Now()
	st := r.StatusAt(now)
	v := &quoteView{ID: r.ID, Number: r.Number, Institution: r.InstitutionName, Status: st.Label(), StatusKey: string(st),
		Desired: kr.Date(r.DesiredDate), Place: "(" + r.Place.Postcode + ") " + r.Place.Road + " " + r.Place.Detail,
		Notes: r.Notes, Open: st == quote.Submitted || st == quote.Quoting || st == quote.Quoted}
	for _, l := range r.Lines {
		o := l.Offers[0] // ForEnterprise left the enterprise's own offer alone
		row := answerRow{ID: l.ID, Name: view.QuoteItemName(l.Name, l.OptionName), Quantity: view.QuoteQuantity(l.Quantity, l.Unit),
			Notes: l.Notes, FreeText: l.FreeText(), Status: o.Status.Label(), Reason: o.Reason}
		switch o.Status {
		case quote.Offered:
			row.Supply, row.Price = "yes", kr.Comma(o.UnitPrice)
			if o.ProductID != 0 {
				row.Product = strconv.FormatInt(o.ProductID, 10)
			}
			if o.AvailableDate != nil {
				row.Date = view.FormDate(*o.AvailableDate)
			}
		case quote.Refused:
			row.Supply = "no"
		}
		if p := s.Quotes.SuggestedPrice(c.UserContext(), l); p > 0 {
			row.SuggestedPrice = kr.Won(p)
		}
		v.Lines = append(v.Lines, row)
	}
	for i := len(r.Revisions) - 1; i >= 0; i-- {
		v.Revisions = append(v.Revisions, view.NewQuoteRevision(r.Revisions[i], i == len(r.Revisions)-1, true, now))
	}
	for _, row := range v.Lines {
		if row.FreeText && v.Open {
			items, err := s.Quotes.LinkableProducts(c.UserContext())
			if err == nil {
				for _, it := range items {
					v.Products = append(v.Products, productChoice{ID: strconv.FormatInt(it.ProductID, 10), Name: it.Name})
				}
			}
			break
		}
	}
	v.CanSend = v.Open && s.Quotes.CanPrepare(c.UserContext(), r.ID)
	v.DeliveryDate, v.ValidUntil, v.Shipping = view.FormDate(r.DesiredDate), view.FormDate(quote.Today(now).AddDate(0, 0, 14)), "0"
	v.SendErrors = map[string]string{}
	v.Title, v.Nav = "견적 요청 "+r.Number, navQuotes
	return v
}

// sendQuote is POST /portal/quotes/:qid/send: the enterprise of a
// single-enterprise request sends the quote of its answers itself.
func (s *server) sendQuote(c *fiber.Ctx) error {
	id, err := quoteID(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	r, err := s.Quotes.FindRequest(ctx, id)
	if err != nil {
		return err
	}
	ent := enterprise(c).ID
	f := apperr.Fields{}
	in := quote.RevisionInput{Remarks: c.FormValue("remarks"), Shipping: map[int64]int64{}}
	var ok bool
	if in.DeliveryDate, ok = view.ParseFormDate(c.FormValue("delivery_date")); !ok {
		f.Add("delivery_date", "납품 예정일을 2026-12-01 형식으로 입력해 주세요.")
	}
	if in.ValidUntil, ok = view.ParseFormDate(c.FormValue("valid_until")); !ok {
		f.Add("valid_until", "견적 유효기간을 2026-12-01 형식으로 입력해 주세요.")
	}
	if in.Shipping[ent], ok = view.ParseWon(c.FormValue("shipping")); !ok && c.FormValue("shipping") != "" {
		f.Add("shipping", "배송비를 원 단위 숫자로 입력해 주세요.")
	}
	if len(f) == 0 {
		_, err = s.Quotes.SendRevision(ctx, id, in)
		if err == nil {
			return c.Redirect("/portal/quotes/"+strconv.FormatInt(id, 10)+"?done=sent", fiber.StatusSeeOther)
		}
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
			return err
		}
		for k, m := range ae.Fields {
			f.Add(k, m)
		}
		f.Add("form", ae.Message)
	}
	v := s.newQuoteView(c, r)
	v.DeliveryDate, v.ValidUntil, v.Shipping, v.Remarks = c.FormValue("delivery_date"), c.FormValue("valid_until"), c.FormValue("shipping"), in.Remarks
	v.SendErrors = f
	if f["shipping_"+strconv.FormatInt(ent, 10)] != "" {
		f.Add("shipping", f["shipping_"+strconv.FormatInt(ent, 10)])
	}
	v.Problem = "견적서 내용을 확인해 주세요."
	if m := f["form"]; m != "" && m != v.Problem {
		v.Problem = m
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "portal/quote", v)
}

// answerQuote is POST /portal/quotes/:qid/answer: every line of the form
// at once; on a mistake the page comes back with what was typed.
func (s *server) answerQuote(c *fiber.Ctx) error {
	id, err := quoteID(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	var answers []quote.Answer
	typed := map[int64]answerRow{}
	f := apperr.Fields{}
	args := c.Request().PostArgs()
	for _, raw := range args.PeekMulti("line") {
		lid, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil || lid <= 0 {
			return apperr.Errorf(apperr.Invalid, "답변 양식이 올바르지 않습니다. 화면을 새로 고친 뒤 다시 입력해 주세요.")
		}
		k := strconv.FormatInt(lid, 10)
		row := answerRow{Supply: c.FormValue("supply_" + k), Price: c.FormValue("price_" + k), Date: c.FormValue("date_" + k),
			Reason: c.FormValue("reason_" + k), Product: c.FormValue("product_" + k)}
		typed[lid] = row
		switch row.Supply {
		case "yes":
			an := quote.Answer{LineID: lid, Supply: true}
			if row.Product != "" {
				// An unreadable id reaches the domain as 0, which it refuses.
				an.ProductID, _ = strconv.ParseInt(row.Product, 10, 64)
			}
			var ok bool
			if an.UnitPrice, ok = view.ParseWon(row.Price); !ok {
				f.Add("price_"+k, "단가를 원 단위 숫자로 입력해 주세요.")
			}
			if an.AvailableDate, ok = view.ParseFormDate(row.Date); !ok {
				f.Add("date_"+k, "납품 가능일을 2026-12-01 형식으로 입력해 주세요.")
			}
			answers = append(answers, an)
		case "no":
			answers = append(answers, quote.Answer{LineID: lid, Reason: row.Reason})
		}
	}
	// The domain checks everything again (an unreadable price or date
	// reaches it as 0, which it refuses), so that every message shows at
	// once; the messages above come first for their fields.
	err = s.Quotes.AnswerLines(ctx, id, answers)
	if err == nil && len(f) == 0 {
		return c.Redirect("/portal/quotes/"+strconv.FormatInt(id, 10)+"?done=answered", fiber.StatusSeeOther)
	}
	var ae *apperr.Error
	switch {
	case err == nil:
	case errors.As(err, &ae) && ae.Code == apperr.Invalid && len(ae.Fields) > 0:
		for k, m := range ae.Fields {
			f.Add(k, m)
		}
	case len(answers) == 0 && apperr.Code(err) == apperr.Invalid:
		f.Add("form", "품목마다 '공급 가능' 또는 '공급 불가'를 골라 주세요.")
	default:
		return err
	}
	// The form again, as typed, with the messages.
	r, err := s.Quotes.FindRequest(ctx, id)
	if err != nil {
		return err
	}
	v := s.newQuoteView(c, r)
	for i := range v.Lines {
		row := &v.Lines[i]
		k := strconv.FormatInt(row.ID, 10)
		if t, ok := typed[row.ID]; ok {
			row.Supply, row.Price, row.Date, row.Reason, row.Product = t.Supply, t.Price, t.Date, t.Reason, t.Product
		}
		row.PriceErr, row.DateErr, row.ReasonErr, row.ProductErr = f["price_"+k], f["date_"+k], f["reason_"+k], f["product_"+k]
	}
	v.Problem = "답변 내용을 확인해 주세요."
	if m := f["form"]; m != "" {
		v.Problem = m
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "portal/quote", v)
}
