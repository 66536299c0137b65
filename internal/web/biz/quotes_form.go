package biz

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/pricing"
	"github.com/dure-coop/dure/internal/quote"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web/view"
)

// The request form works without JavaScript: every button posts the whole
// form back (op=search, add:<product>, add_free, remove:<n>, submit) and
// the page comes back with what was typed, so lines are added one by one.

// formLine is one line of the request form: a catalogue item (ProductID)
// or free text.
type formLine struct {
	N          int // 1-based, as the domain's field keys (line_N_…)
	ProductID  int64
	OptionID   int64
	Name       string
	Enterprise string
	Price      string // the public unit price at this quantity ("" for free text)
	Options    []option
	Quantity   string
	Unit       string
	Notes      string
	Err        map[string]string // name, quantity, unit, notes
}

// hitRow is a search result the buyer may add.
type hitRow struct {
	ProductID  int64
	Name       string
	Enterprise string
	Price      string
	InStock    bool
}

type quoteFormView struct {
	layout
	Lines    []formLine
	Q        string
	Hits     []hitRow
	Searched bool
	Today    string
	Desired  string
	Postcode string
	Road     string
	Detail   string
	Notes    string
	Errors   map[string]string
	Problem  string
}

const maxHits = 10

// newQuotePage is GET /biz/quotes/new: an empty request with one
// free-text line to fill, or none; ?product=ID (an expo booth's 견적 문의)
// starts it with that product.
func (s *server) newQuotePage(c *fiber.Ctx) error {
	v := &quoteFormView{}
	if id, err := strconv.ParseInt(c.Query("product"), 10, 64); err == nil && id > 0 {
		v.Lines = []formLine{{ProductID: id, Quantity: "1"}}
	}
	return s.renderQuoteForm(c, v, fiber.StatusOK)
}

// quoteFromCart is POST /biz/quotes/cart: the signed-in buyer's shop cart
// as the lines of a new request (the web layer reads the cart; quote does
// not import it). The cart is left as it is.
func (s *server) quoteFromCart(c *fiber.Ctx) error {
	if s.Carts == nil {
		return fiber.ErrServiceUnavailable
	}
	a := account.FromContext(c.UserContext())
	cv, err := s.Carts.View(c.UserContext(), cart.UserCartID(a.UserID), "")
	if err != nil {
		return err
	}
	v := &quoteFormView{}
	for _, l := range cv.Lines {
		if l.Product == nil {
			continue
		}
		v.Lines = append(v.Lines, formLine{ProductID: l.ProductID, OptionID: l.OptionID, Quantity: strconv.Itoa(l.Quantity)})
	}
	if len(v.Lines) == 0 {
		v.Problem = "장바구니가 비어 있습니다. 상품을 찾아 품목을 넣어 주세요."
	} else {
		v.Done = "장바구니의 상품 " + strconv.Itoa(len(v.Lines)) + "개를 품목에 넣었습니다. 납품 희망일과 장소를 넣고 견적을 요청해 주세요."
	}
	return s.renderQuoteForm(c, v, fiber.StatusOK)
}

// readQuoteForm reads the posted form.
func readQuoteForm(c *fiber.Ctx) *quoteFormView {
	v := &quoteFormView{Q: strings.TrimSpace(c.FormValue("find")), Desired: c.FormValue("desired_date"),
		Postcode: c.FormValue("postcode"), Road: c.FormValue("road"), Detail: c.FormValue("detail"), Notes: c.FormValue("notes")}
	n, _ := strconv.Atoi(c.FormValue("lines"))
	n = min(max(n, 0), quote.MaxLines+1)
	for i := 1; i <= n; i++ {
		k := "line_" + strconv.Itoa(i) + "_"
		l := formLine{Name: c.FormValue(k + "name"), Quantity: c.FormValue(k + "quantity"), Unit: c.FormValue(k + "unit"),
			Notes: c.FormValue(k + "notes")}
		l.ProductID, _ = strconv.ParseInt(c.FormValue(k+"product"), 10, 64)
		l.OptionID, _ = strconv.ParseInt(c.FormValue(k+"option"), 10, 64)
		v.Lines = append(v.Lines, l)
	}
	return v
}

// newQuotePost is POST /biz/quotes/new: a step of the form, or the request.
func (s *server) newQuotePost(c *fiber.Ctx) error {
	v := readQuoteForm(c)
	op := c.FormValue("op")
	switch {
	case op == "search":
		v.Searched = true
	case op == "add_free":
		v.Lines = append(v.Lines, formLine{Quantity: "1"})
	case strings.HasPrefix(op, "add:"):
		id, err := strconv.ParseInt(strings.TrimPrefix(op, "add:"), 10, 64)
		if err != nil || id <= 0 {
			return apperr.Errorf(apperr.Invalid, "넣을 상품을 다시 골라 주세요.")
		}
		v.Lines = append(v.Lines, formLine{ProductID: id, Quantity: "1"})
		v.Searched = v.Q != ""
	case strings.HasPrefix(op, "remove:"):
		n, _ := strconv.Atoi(strings.TrimPrefix(op, "remove:"))
		if n >= 1 && n <= len(v.Lines) {
			v.Lines = append(v.Lines[:n-1], v.Lines[n:]...)
		}
	case op == "submit":
		return s.submitQuote(c, v)
	default:
		return apperr.Errorf(apperr.Invalid, "알 수 없는 요청입니다. 화면을 새로 고쳐 주세요.")
	}
	return s.renderQuoteForm(c, v, fiber.StatusOK)
}

// submitQuote sends the request; bad input shows the form again with the
// domain's messages.
func (s *server) submitQuote(c *fiber.Ctx, v *quoteFormView) error {
	in := quote.RequestInput{Place: quote.Place{Postcode: v.Postcode, Road: v.Road, Detail: v.Detail}, Notes: v.Notes}
	in.DesiredDate, _ = view.ParseFormDate(v.Desired)
	for _, l := range v.Lines {
		qty, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(l.Quantity, ",", "")))
		if err != nil {
			qty = 0
		}
		li := quote.LineInput{ProductID: l.ProductID, OptionID: l.OptionID, Quantity: qty, Unit: l.Unit, Notes: l.Notes}
		if l.ProductID == 0 {
			li.Name = l.Name
		}
		in.Lines = append(in.Lines, li)
	}
	r, err := s.Quotes.CreateRequest(c.UserContext(), in)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid {
		v.Problem, v.Errors = ae.Message, ae.Fields
		return s.renderQuoteForm(c, v, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return c.Redirect(bizQuoteURL(r.ID)+"?done=quote_requested", fiber.StatusSeeOther)
}

// renderQuoteForm fills the catalogue lines' names, options and public
// prices, runs the search when asked, and shows the form.
func (s *server) renderQuoteForm(c *fiber.Ctx, v *quoteFormView, status int) error {
	ctx := c.UserContext()
	// What was typed is shown again with broken bytes made visible; the
	// domain judged it as posted.
	for _, p := range []*string{&v.Q, &v.Desired, &v.Postcode, &v.Road, &v.Detail, &v.Notes} {
		*p = textin.ForDisplay(*p)
	}
	for i := range v.Lines {
		l := &v.Lines[i]
		for _, p := range []*string{&l.Name, &l.Quantity, &l.Unit, &l.Notes} {
			*p = textin.ForDisplay(*p)
		}
	}
	v.Today = view.FormDate(quote.Today(time.Now()))
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	for i := range v.Lines {
		l := &v.Lines[i]
		l.N = i + 1
		k := "line_" + strconv.Itoa(l.N) + "_"
		l.Err = map[string]string{}
		for _, f := range []string{"name", "quantity", "unit", "notes"} {
			if msg := v.Errors[k+f]; msg != "" {
				l.Err[f] = msg
			}
		}
		if l.ProductID == 0 {
			continue
		}
		p, err := s.Catalog.FindProductByID(ctx, l.ProductID)
		if apperr.Code(err) == apperr.NotFound {
			l.Name = "판매하지 않는 상품"
			continue
		} else if err != nil {
			return err
		}
		l.Name = p.Name
		if p.Enterprise != nil {
			l.Enterprise = p.Enterprise.Name
		}
		var opt *catalog.Option
		if len(p.Options) > 0 && l.OptionID == 0 {
			l.OptionID = p.Options[0].ID
		}
		for j := range p.Options {
			o := &p.Options[j]
			if o.ID == l.OptionID {
				opt = o
			}
			l.Options = append(l.Options, option{strconv.FormatInt(o.ID, 10), o.Name, o.ID == l.OptionID})
		}
		if l.Unit == "" {
			l.Unit = p.Unit
		}
		qty, _ := strconv.Atoi(l.Quantity)
		lp := pricing.Line(pricing.Public, p, opt, max(qty, 1))
		l.Price = kr.Won(lp.UnitPrice)
		if lp.Tier != nil {
			l.Price += " (수량 할인)"
		}
	}
	if v.Searched && s.Search != nil {
		res, err := s.Search.Search(ctx, search.Query{Text: v.Q, Page: 1, PerPage: maxHits})
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			v.Hits = append(v.Hits, hitRow{ProductID: h.ProductID, Name: h.Name, Enterprise: h.EnterpriseName,
				Price: kr.Won(h.PublicPrice), InStock: h.InStock})
		}
	}
	v.Title, v.Nav = "견적 요청하기", navQuotes
	c.Status(status)
	return s.render(c, "biz/quote_new", v)
}
