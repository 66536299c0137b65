package biz

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// The institution's orders: the list, one order with its parts' 검수 and
// claims and its invoice, the 검수 form per part, and the order's
// 거래명세서 and 청구서. order.Service scopes every read and write to the
// buyer's own institution (another's answers not found).

const ordersPerPage = 20

func orderURL(number string) string { return "/biz/orders/" + number }

// needOrders answers 503 without the order service.
func (s *server) needOrders(c *fiber.Ctx) error {
	if s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

type orderRow struct {
	URL, Number, Date, Status, StatusKey, Terms, Total string
	Invoice, InvoiceKey                                string // "" when not on invoice
}

type ordersView struct {
	layout
	Total  int
	Orders []orderRow
	Pager  view.Pager
}

// ordersPage is GET /biz/orders: the institution's orders, newest first.
func (s *server) ordersPage(c *fiber.Ctx) error {
	qv, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(qv, ordersPerPage, ordersPerPage)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	list, total, err := s.Orders.FindInstitutionOrders(ctx, order.UserOrderFilter{Limit: ordersPerPage, Offset: (page - 1) * ordersPerPage})
	if err != nil {
		return err
	}
	invoices, err := s.Orders.InvoiceStatuses(ctx, list)
	if err != nil {
		return err
	}
	v := &ordersView{Total: total}
	v.Title, v.Nav = "주문", navOrders
	for _, o := range list {
		r := orderRow{URL: orderURL(o.Number), Number: o.Number, Date: kr.Date(o.CreatedAt), Status: o.Status.Label(),
			StatusKey: string(o.Status), Terms: o.Terms.Label(), Total: kr.Won(o.Total)}
		if st, ok := invoices[o.ID]; ok {
			r.Invoice, r.InvoiceKey = st.Label(), string(st)
		}
		v.Orders = append(v.Orders, r)
	}
	v.Pager = view.BuildPager(page, view.TotalPages(total, ordersPerPage, 0), func(n int) string {
		return "/biz/orders?page=" + strconv.Itoa(n)
	})
	return s.render(c, "biz/orders", v)
}

type orderLineRow struct {
	ID                                int64
	Name, Quantity, UnitPrice, Amount string
	Ordered                           int
	Accepted                          string // the partial form's value
	AcceptedErr                       bool
}

// inspectForm is a part's 검수 form with what was typed and what is wrong.
type inspectForm struct {
	Action, Date, Inspector, Result, Reason, Problem string
	Errors                                           map[string]string
}

type partView struct {
	ID                                  int64
	Enterprise, Status, Total, Shipping string
	Courier, Tracking, TrackingURL      string
	Notice, Deadline, DaysLeft          string
	PastDue                             bool
	Inspection, Claim, ClaimDue         string
	Lines                               []orderLineRow
	Form                                *inspectForm // nil when the part cannot be inspected now
}

type transferRow struct{ Date, Amount, Payer string }

type invoiceBox struct {
	Status, StatusKey, Claimed, Paid, Balance, NextDue, Reference, Account string
	Overdue                                                                bool
	Transfers                                                              []transferRow
}

type orderView struct {
	layout
	Number, Date, Status, Terms, Desired, Address string
	Total, Supply, VAT                            string
	Parts                                         []*partView
	Invoice                                       *invoiceBox
	StatementURL, InvoiceURL                      string
	Results                                       []option
	Today                                         string
	PayURL                                        string // a card order awaiting payment: its payment page
}

var inspectResults = []option{
	{Value: string(order.InspectPass), Label: order.InspectPass.Label()},
	{Value: string(order.InspectPartial), Label: order.InspectPartial.Label()},
	{Value: string(order.InspectReject), Label: order.InspectReject.Label()},
}

// orderView builds one order's page for the buyer.
func (s *server) orderView(c *fiber.Ctx, o *order.Order) (*orderView, error) {
	today := time.Now().In(kr.Seoul()).Format(time.DateOnly)
	v := &orderView{Number: o.Number, Date: kr.DateTime(o.CreatedAt), Status: o.Status.Label(), Terms: o.Terms.Label(),
		Address: strings.TrimSpace(o.Address.Recipient + " · " + o.Address.Road + " " + o.Address.Detail),
		Total:   kr.Won(o.Total), Supply: kr.Won(o.Supply), VAT: kr.Won(o.VAT), Results: inspectResults, Today: today,
		StatementURL: orderURL(o.Number) + "/statement"}
	v.Title, v.Nav = "주문 "+o.Number, navOrders
	if o.DesiredDelivery != nil {
		v.Desired = o.DesiredDelivery.Format("2006.01.02")
	}
	if o.Terms == order.TermsCard && o.Status == order.PendingPayment {
		v.PayURL = orderURL(o.Number) + "/pay"
	}
	var inv *order.Invoice
	if o.Terms == order.TermsInvoice {
		var err error
		if inv, err = s.Orders.InvoiceFor(c.UserContext(), o.ID); err != nil {
			return nil, err
		}
		b := &invoiceBox{Status: inv.Status.Label(), StatusKey: string(inv.Status), Claimed: kr.Won(inv.Claimed),
			Paid: kr.Won(inv.Paid), Balance: kr.Won(inv.Balance), Reference: inv.Reference,
			Overdue: inv.Status == order.InvoiceOverdue}
		if !inv.NextDue.IsZero() {
			b.NextDue = inv.NextDue.Format("2006.01.02")
		}
		if a := inv.Account; a.Number != "" {
			b.Account = a.Bank + " " + a.Number + " (예금주 " + a.Holder + ")"
		}
		for _, t := range inv.Transfers {
			b.Transfers = append(b.Transfers, transferRow{Date: t.Date.Format("2006.01.02"), Amount: kr.Won(t.Amount), Payer: t.Payer})
		}
		v.Invoice = b
		if inv.Claimed > 0 {
			v.InvoiceURL = orderURL(o.Number) + "/invoice"
		}
	}
	for _, so := range o.SubOrders {
		p := &partView{ID: so.ID, Enterprise: so.EnterpriseName, Status: so.Status.Label(), Total: kr.Won(so.Total),
			Shipping: kr.Won(so.ShippingFee), Courier: so.Courier, Tracking: so.TrackingNumber, TrackingURL: so.TrackingURL}
		for _, l := range so.Lines {
			name := l.Name
			if l.OptionName != "" {
				name += " (" + l.OptionName + ")"
			}
			p.Lines = append(p.Lines, orderLineRow{ID: l.ID, Name: name, Quantity: kr.Comma(int64(l.Quantity)) + "개",
				UnitPrice: kr.Won(l.UnitPrice), Amount: kr.Won(l.LineTotal), Ordered: l.Quantity,
				Accepted: strconv.Itoa(l.Quantity)})
		}
		if inv != nil {
			ip := inv.Part(so.ID)
			if ip.Notice != nil {
				p.Notice = kr.Date(*ip.Notice)
				p.Deadline = ip.Deadline.Format("2006.01.02")
				p.PastDue = ip.PastDue
				if ip.Inspection == nil {
					if ip.DaysLeft >= 0 {
						p.DaysLeft = "D-" + strconv.Itoa(ip.DaysLeft)
					} else {
						p.DaysLeft = strconv.Itoa(-ip.DaysLeft) + "일 지남"
					}
				}
			}
			if in := ip.Inspection; in != nil {
				p.Inspection = in.Result.Label() + " · " + in.Date.Format("2006.01.02") + " · " + in.Inspector
				if in.Reason != "" {
					p.Inspection += " (" + in.Reason + ")"
				}
			}
			if cl := ip.Claim; cl != nil {
				p.Claim, p.ClaimDue = kr.Won(cl.Amount), cl.Due.Format("2006.01.02")
			}
			canInspect := (so.Status == order.SubShipped || so.Status == order.SubDelivered) &&
				(ip.Inspection == nil || ip.Inspection.Result == order.InspectReject)
			if canInspect {
				p.Form = &inspectForm{Action: orderURL(o.Number) + "/parts/" + strconv.FormatInt(so.ID, 10) + "/inspect",
					Date: today, Result: string(order.InspectPass), Errors: map[string]string{}}
			}
		}
		v.Parts = append(v.Parts, p)
	}
	return v, nil
}

// findOrder is the buyer's order named in the address.
func (s *server) findOrder(c *fiber.Ctx) (*order.Order, error) {
	return s.Orders.FindInstitutionOrderByNumber(c.UserContext(), c.Params("number"))
}

// orderPage is GET /biz/orders/:number.
func (s *server) orderPage(c *fiber.Ctx) error {
	o, err := s.findOrder(c)
	if err != nil {
		return err
	}
	v, err := s.orderView(c, o)
	if err != nil {
		return err
	}
	return s.render(c, "biz/order", v)
}

// inspect is POST /biz/orders/:number/parts/:id/inspect: the buyer's 검수 of
// one part. A refused form comes back filled in with a message beside each
// wrong field (422).
func (s *server) inspect(c *fiber.Ctx) error {
	o, err := s.findOrder(c)
	if err != nil {
		return err
	}
	id, err := view.ParseID(c.Params("id"), "주문")
	if err != nil {
		return err
	}
	so := o.SubOrder(id)
	if so == nil {
		return apperr.Errorf(apperr.NotFound, "주문을 찾을 수 없습니다.")
	}
	in := order.InspectionInput{Date: c.FormValue("date"), Inspector: c.FormValue("inspector"),
		Result: order.InspectionResult(c.FormValue("result")), Reason: c.FormValue("reason")}
	accepted := map[int64]string{}
	if in.Result == order.InspectPartial {
		in.Accepted = map[int64]int{}
		for _, l := range so.Lines {
			raw := strings.TrimSpace(c.FormValue("accepted_" + strconv.FormatInt(l.ID, 10)))
			accepted[l.ID] = raw
			if raw == "" {
				continue
			}
			n, err := strconv.Atoi(strings.ReplaceAll(raw, ",", ""))
			if err != nil {
				n = -1 // refused by Inspect with the line's range
			}
			in.Accepted[l.ID] = n
		}
	}
	_, err = s.Orders.Inspect(c.UserContext(), id, in)
	if err == nil {
		return c.Redirect(orderURL(o.Number)+"?done=inspected#part-"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Invalid && ae.Code != apperr.Conflict) {
		return err
	}
	v, verr := s.orderView(c, o)
	if verr != nil {
		return verr
	}
	for _, p := range v.Parts {
		if p.ID != id {
			continue
		}
		if p.Form == nil {
			p.Form = &inspectForm{Action: orderURL(o.Number) + "/parts/" + strconv.FormatInt(id, 10) + "/inspect"}
		}
		p.Form.Date, p.Form.Inspector = textin.ForDisplay(in.Date), textin.ForDisplay(in.Inspector)
		p.Form.Result, p.Form.Reason = textin.ForDisplay(string(in.Result)), textin.ForDisplay(in.Reason)
		p.Form.Problem, p.Form.Errors = ae.Message, ae.Fields
		if p.Form.Errors == nil {
			p.Form.Errors = map[string]string{}
		}
		for i := range p.Lines {
			if raw, ok := accepted[p.Lines[i].ID]; ok {
				p.Lines[i].Accepted = textin.ForDisplay(raw)
			}
			p.Lines[i].AcceptedErr = p.Form.Errors["accepted"] != ""
		}
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "biz/order", v)
}

// payView is the card payment page of a public order on card terms.
type payView struct {
	layout
	Number string
	Pay    *web.PayBox
	Back   string
}

// payPage is GET /biz/orders/:number/pay: the card payment of the
// institution's order on card terms, through the shop's payment path
// (web.Kit.StartPayBox, order.StartPayment). An order not awaiting payment
// goes back to its page.
func (s *server) payPage(c *fiber.Ctx) error {
	o, err := s.findOrder(c)
	if err != nil {
		return err
	}
	if o.Status != order.PendingPayment {
		return c.Redirect(orderURL(o.Number), fiber.StatusSeeOther)
	}
	p, err := s.kit.StartPayBox(c, s.Orders, o, s.TestPayments, s.StripePublishableKey,
		orderURL(o.Number)+"/pay/test", orderURL(o.Number)+"?done=paid")
	if err != nil {
		return err
	}
	v := &payView{Number: o.Number, Pay: p.Box, Back: orderURL(o.Number)}
	v.Title, v.Nav, v.Scripts = "카드 결제 "+o.Number, navOrders, p.Scripts
	return s.render(c, "biz/pay", v)
}

// payTest is POST /biz/orders/:number/pay/test: the test card (stripe-mock
// only; the order service refuses otherwise).
func (s *server) payTest(c *fiber.Ctx) error {
	o, err := s.findOrder(c)
	if err != nil {
		return err
	}
	if err := s.Orders.ConfirmTestPayment(c.UserContext(), o.Number); err != nil {
		return err
	}
	return c.Redirect(orderURL(o.Number)+"?done=paid", fiber.StatusSeeOther)
}

// orderDocument serves the order's 거래명세서 or 청구서 as a page or a PDF.
func (s *server) orderDocument(kind document.Kind, pdf bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if pdf && s.PDF == nil {
			return fiber.ErrServiceUnavailable
		}
		o, err := s.findOrder(c)
		if err != nil {
			return err
		}
		var d *document.Document
		if kind == document.Invoice {
			d, err = s.Orders.InvoiceDocument(c.UserContext(), o.ID)
		} else {
			d, err = s.Orders.Statement(c.UserContext(), o.ID)
		}
		if err != nil {
			return err
		}
		if pdf {
			return web.SendDocumentPDF(c, s.PDF, d)
		}
		base := orderURL(o.Number) + "/" + string(kind)
		return s.kit.RenderDocument(c, web.DocumentPage{Doc: d, PDFURL: base + ".pdf", BackURL: orderURL(o.Number),
			BackLabel: "주문으로 돌아가기"})
	}
}
