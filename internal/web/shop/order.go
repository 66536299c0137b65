package shop

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web"
)

// Guest order lookups allowed, across instances: per client IP, and per
// order number from any number of clients (phones have 10^8 values; a
// number gets lookupNumberLimit tries an hour).
const (
	lookupIPLimit      = 20
	lookupIPWindow     = 10 * time.Minute
	lookupNumberLimit  = 10
	lookupNumberWindow = time.Hour
)

// orderEvent is one line of an order's timeline.
type orderEvent struct {
	At    time.Time
	Who   string // "주문" or the enterprise's name
	Label string
}

type orderView struct {
	layout
	O        *order.Order
	Events   []orderEvent
	Complete bool   // the confirmation page right after payment
	Notice   string // after a cancellation
	Problem  string // a failed cancellation
	Refunded bool
	// Pay is the payment page's box (web.Kit.StartPayBox).
	Pay *web.PayBox
	// Impact is the estimate of what the order does (impact.go).
	Impact []impact.StatementRow
	// Returns is the 교환·반품 안내 of each enterprise of the order, and
	// Consent what the buyer agreed to (nil for none), on the order page.
	Returns []*returnView
	Consent *consentRecord
	// ReturnParts are the delivered or returned parts of the 반품 section
	// (order_return.go), ReturnReasons its radios; ReturnNeedsPhone asks a
	// guest for the buyer's phone; ReturnInvoice: an institution's order,
	// returned through the co-op.
	ReturnParts      []*returnPart
	ReturnReasons    []reasonChoice
	ReturnNeedsPhone bool
	ReturnInvoice    bool
}

type lookupView struct {
	layout
	Number, Phone string
	Problem       string
}

// statusLabel names an event's state, an order's or a sub-order's.
func statusLabel(s string, sub bool) string {
	if sub {
		return order.EventLabel(s)
	}
	if l := order.Status(s).Label(); l != "" {
		return l
	}
	return s
}

func newOrderView(o *order.Order) orderView {
	v := orderView{O: o}
	names := map[int64]string{}
	for _, so := range o.SubOrders {
		names[so.ID] = so.EnterpriseName
	}
	for _, e := range o.Events {
		ev := orderEvent{At: e.At, Who: "주문", Label: statusLabel(e.To, e.SubOrderID != 0)}
		if e.SubOrderID != 0 {
			ev.Who = names[e.SubOrderID]
		}
		if e.Reason != "" {
			ev.Label += " — " + e.Reason
		}
		v.Events = append(v.Events, ev)
	}
	v.Refunded = o.Payment != nil && o.Payment.RefundedAmount > 0
	v.NoIndex, v.Nav, v.HideSearch = true, "orders", true
	return v
}

// ownOrder returns the order when this browser placed it or looked it up
// with the phone (the signed dure_orders cookie); otherwise GETs go to the
// lookup form and other requests get NotFound, never revealing whether the
// number exists.
func (s *server) ownOrder(c *fiber.Ctx) (*order.Order, bool, error) {
	number := c.Params("number")
	if order.ValidNumber(number) && !s.mayView(c, number) {
		// A signed-in member sees their own orders in any browser.
		if a := web.Actor(c); a != nil && a.SessionID != "" {
			if o, err := s.Orders.FindOrder(c.UserContext(), number); err == nil && o.UserID == a.UserID {
				c.Set(fiber.HeaderCacheControl, "no-store")
				return o, true, nil
			}
		}
	}
	if !order.ValidNumber(number) || !s.mayView(c, number) {
		if c.Method() == fiber.MethodGet && order.ValidNumber(number) {
			return nil, false, c.Redirect("/orders/lookup?number="+number, fiber.StatusSeeOther)
		}
		return nil, false, apperr.Errorf(apperr.NotFound, "주문을 찾을 수 없습니다. 주문번호와 연락처를 확인해 주세요.")
	}
	o, err := s.Orders.FindOrder(c.UserContext(), number)
	if err != nil {
		return nil, false, err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return o, true, nil
}

// payPage shows the amount and the card form (or, on stripe-mock, the
// clearly marked test-card button).
func (s *server) payPage(c *fiber.Ctx) error {
	o, ok, err := s.ownOrder(c)
	if !ok {
		return err
	}
	if o.Status != order.PendingPayment {
		return c.Redirect("/orders/"+o.Number+"/complete", fiber.StatusSeeOther)
	}
	p, err := s.kit.StartPayBox(c, s.Orders, o, s.TestPayments, s.StripePublishableKey,
		"/orders/"+o.Number+"/pay/test", "/orders/"+o.Number+"/complete")
	if err != nil {
		return err
	}
	v := newOrderView(o)
	v.Title, v.Forms, v.Pay, v.Scripts = "결제하기", true, p.Box, p.Scripts
	return s.render(c, "shop/pay", &v)
}

// payTest pays with the test card (stripe-mock only; the service refuses
// otherwise) and goes to the confirmation.
func (s *server) payTest(c *fiber.Ctx) error {
	o, ok, err := s.ownOrder(c)
	if !ok {
		return err
	}
	if err := s.Orders.ConfirmTestPayment(c.UserContext(), o.Number); err != nil {
		return err
	}
	return c.Redirect("/orders/"+o.Number+"/complete", fiber.StatusSeeOther)
}

// completePage is the confirmation: the order number, each enterprise's
// part and status, the total.
func (s *server) completePage(c *fiber.Ctx) error {
	o, ok, err := s.ownOrder(c)
	if !ok {
		return err
	}
	v := newOrderView(o)
	v.Title, v.Complete = "주문 완료", true
	v.Impact = s.orderImpact(c, o)
	return s.render(c, "shop/order", &v)
}

// orderPage is the order detail with its timeline and the cancel form.
func (s *server) orderPage(c *fiber.Ctx) error {
	o, ok, err := s.ownOrder(c)
	if !ok {
		return err
	}
	v := newOrderView(o)
	v.Title, v.Forms = "주문 "+o.Number, true
	v.Impact = s.orderImpact(c, o)
	s.orderLegal(c.UserContext(), &v)
	s.orderReturns(c, &v, 0, nil)
	switch c.Query("done") {
	case "cancelled":
		if o.Status == order.Cancelled {
			v.Notice = "주문을 취소했습니다."
		}
	case "return":
		v.Notice = "반품을 신청했습니다. 판매 기업이 확인하면 알려 드립니다."
	}
	return s.render(c, "shop/order", &v)
}

// orderCancel cancels for the buyer, who gives the phone number again.
func (s *server) orderCancel(c *fiber.Ctx) error {
	o, ok, err := s.ownOrder(c)
	if !ok {
		return err
	}
	err = s.Orders.Cancel(c.UserContext(), o.Number, c.FormValue("phone"))
	if err == nil {
		return c.Redirect("/orders/"+o.Number+"?done=cancelled", fiber.StatusSeeOther)
	}
	code := apperr.Code(err)
	if code != apperr.NotFound && code != apperr.Conflict && code != apperr.Invalid {
		return err
	}
	v := newOrderView(o)
	v.Title, v.Forms, v.Problem = "주문 "+o.Number, true, apperr.Message(err)
	s.orderLegal(c.UserContext(), &v)
	s.orderReturns(c, &v, 0, nil)
	if code == apperr.NotFound {
		v.Problem = "연락처가 주문하신 분의 연락처와 다릅니다. 다시 입력해 주세요."
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "shop/order", &v)
}

// lookupPage is the guest order lookup form.
func (s *server) lookupPage(c *fiber.Ctx) error {
	v := lookupView{}
	if n := c.Query("number"); order.ValidNumber(n) {
		v.Number = n
	}
	return s.renderLookup(c, &v, fiber.StatusOK)
}

func (s *server) renderLookup(c *fiber.Ctx, v *lookupView, status int) error {
	v.Title, v.NoIndex, v.Nav, v.Forms, v.HideSearch = "주문 조회", true, "orders", true, true
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return s.render(c, "shop/lookup", v)
}

// lookupSubmit checks the number and phone; on success this browser may see
// the order for a day (signed cookie) and goes to its page. A client (IP)
// and an order number each have a few tries (429 beyond, the form kept); an
// unknown number and a wrong phone answer alike (order.Service.Lookup).
func (s *server) lookupSubmit(c *fiber.Ctx) error {
	number, phone := order.NormalizeNumber(c.FormValue("number")), c.FormValue("phone")
	v := lookupView{Number: shorten(textin.ForDisplay(number), 20), Phone: shorten(textin.ForDisplay(phone), 20)}
	if retry, err := s.limitLookup(c, number); err != nil || retry > 0 {
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(retry/time.Second)))
		v.Problem = fmt.Sprintf("주문 조회를 너무 여러 번 시도했습니다. %d분 뒤에 다시 시도해 주세요.", int(retry/time.Minute))
		return s.renderLookup(c, &v, fiber.StatusTooManyRequests)
	}
	o, err := s.Orders.Lookup(c.UserContext(), number, phone)
	if err != nil {
		code := apperr.Code(err)
		if code != apperr.NotFound && code != apperr.Invalid {
			return err
		}
		v.Problem = apperr.Message(err)
		status := fiber.StatusNotFound
		if code == apperr.Invalid {
			status = fiber.StatusUnprocessableEntity
		}
		return s.renderLookup(c, &v, status)
	}
	s.grantOrder(c, o.Number)
	return c.Redirect("/orders/"+o.Number, fiber.StatusSeeOther)
}

// limitLookup counts a lookup for the client and, when it has the shape of
// one, for the order number; it returns how long to wait when either is
// over its limit (0 otherwise). Without a limiter nothing is limited; a
// limiter that does not answer refuses (an error), never lets every try
// through.
func (s *server) limitLookup(c *fiber.Ctx, number string) (time.Duration, error) {
	if s.Limiter == nil {
		return 0, nil
	}
	ok, err := s.Limiter.Allow(c.UserContext(), "lookup:ip:"+c.IP(), lookupIPLimit, lookupIPWindow)
	if err != nil || !ok {
		return lookupIPWindow, err
	}
	if !order.ValidNumber(number) {
		return 0, nil // refused by Lookup before any query
	}
	if ok, err = s.Limiter.Allow(c.UserContext(), "lookup:number:"+number, lookupNumberLimit, lookupNumberWindow); err != nil || !ok {
		return lookupNumberWindow, err
	}
	return 0, nil
}

// shorten cuts s to at most n bytes without splitting a character.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ordersCookie holds the order numbers this browser placed or looked up,
// signed (web.Cookies) with its expiry: "<n1>_<n2>~<unix>.<signature>".
const ordersCookie = "dure_orders"

// ordersTTL is how long the browser keeps access to the orders it placed or
// looked up without giving the phone number again.
const ordersTTL = 24 * time.Hour

// orderAccess returns the order numbers this browser may see without the
// phone number: those it placed, and those it looked up with the phone.
func (s *server) orderAccess(c *fiber.Ctx) []string {
	raw := c.Cookies(ordersCookie)
	payload, sig, ok := strings.Cut(raw, ".")
	if !ok || !s.kit.Cookies.Verify("orders", payload, sig) {
		return nil
	}
	list, exp, ok := strings.Cut(payload, "~")
	unix, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || time.Now().Unix() > unix || list == "" {
		return nil
	}
	return strings.Split(list, "_")
}

func (s *server) mayView(c *fiber.Ctx, number string) bool {
	return slices.Contains(s.orderAccess(c), number)
}

// grantOrder adds number to the browser's order access (the last five).
func (s *server) grantOrder(c *fiber.Ctx, number string) {
	list := slices.DeleteFunc(s.orderAccess(c), func(n string) bool { return n == number })
	list = append(list, number)
	if len(list) > 5 {
		list = list[len(list)-5:]
	}
	payload := strings.Join(list, "_") + "~" + strconv.FormatInt(time.Now().Add(ordersTTL).Unix(), 10)
	s.kit.Cookies.Set(c, ordersCookie, payload+"."+s.kit.Cookies.Sign("orders", payload), ordersTTL)
}
