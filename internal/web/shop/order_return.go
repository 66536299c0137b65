package shop

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// returnPart is one delivered (or returned) part of the order page's
// 반품 section: its latest return and, while the buyer may ask, the form.
type returnPart struct {
	SubOrderID int64
	Name       string // the enterprise's
	Return     *order.Return
	CanRequest bool
	Refusal    string // why not, when not
	// Deadline is the last day of a change of mind, DefectDeadline of a
	// defect or a wrong item (YYYY.MM.DD, Korean dates).
	Deadline, DefectDeadline string
	// Fee is the return shipping deducted for a change of mind, Refund
	// what comes back then, Paid the part's total.
	Fee, Refund, Paid string
	Form              *returnForm // the form as sent when it was refused; nil otherwise
}

// returnForm is a return request as typed, with its field errors.
type returnForm struct {
	Reason, Detail, Phone string
	Err                   map[string]string
}

// reasonChoice is one radio of the reasons.
type reasonChoice struct {
	Value, Label string
}

// orderReturns fills the order page's 반품 section: the parts delivered
// or with a return, whether the buyer must give the phone (a guest, or
// someone else's order), and, when a request was refused, the form as sent
// for part failed.
func (s *server) orderReturns(c *fiber.Ctx, v *orderView, failed int64, form *returnForm) {
	o := v.O
	a := web.Actor(c)
	v.ReturnNeedsPhone = a == nil || a.SessionID == "" || o.UserID == 0 || a.UserID != o.UserID
	v.ReturnInvoice = o.Terms == order.TermsInvoice
	for _, r := range order.ReturnReasons() {
		v.ReturnReasons = append(v.ReturnReasons, reasonChoice{Value: string(r), Label: r.Label()})
	}
	now := time.Now()
	for _, so := range o.SubOrders {
		if so.Status != order.SubDelivered && len(so.Returns) == 0 {
			continue
		}
		p := &returnPart{SubOrderID: so.ID, Name: so.EnterpriseName, Return: so.LastReturn(),
			Refusal: o.ReturnRefusal(so, now), Paid: kr.Won(so.Total)}
		p.CanRequest = p.Refusal == ""
		if so.DeliveredAt != nil {
			p.Deadline = order.ReturnDeadline(*so.DeliveredAt, order.ReasonChangeOfMind).Format("2006.01.02")
			p.DefectDeadline = order.ReturnDeadline(*so.DeliveredAt, order.ReasonDefective).Format("2006.01.02")
		}
		fee := order.ReturnFeeFor(so, so.OneWayShipping, false)
		p.Fee, p.Refund = kr.Won(fee), kr.Won(so.Total-fee)
		if so.ID == failed {
			p.Form = form
		}
		v.ReturnParts = append(v.ReturnParts, p)
	}
}

// orderReturn is POST /orders/:number/returns: the buyer asks to return a
// delivered part. The order must be this browser's or the member's
// (ownOrder); the service checks again (the member, or the phone).
func (s *server) orderReturn(c *fiber.Ctx) error {
	o, ok, err := s.ownOrder(c)
	if !ok {
		return err
	}
	sub, _ := strconv.ParseInt(c.FormValue("sub_order"), 10, 64)
	in := order.ReturnInput{SubOrderID: sub, Reason: order.ReturnReason(c.FormValue("reason")),
		Detail: c.FormValue("detail"), Phone: c.FormValue("phone")}
	_, err = s.Orders.RequestReturn(c.UserContext(), o.Number, in)
	if err == nil {
		return c.Redirect("/orders/"+o.Number+"?done=return#return-"+strconv.FormatInt(sub, 10), fiber.StatusSeeOther)
	}
	code := apperr.Code(err)
	if code != apperr.NotFound && code != apperr.Conflict && code != apperr.Invalid {
		return err
	}
	form := &returnForm{Reason: string(in.Reason), Detail: textin.ForDisplay(in.Detail),
		Phone: shorten(textin.ForDisplay(in.Phone), 20), Err: map[string]string{}}
	if ae := (*apperr.Error)(nil); errors.As(err, &ae) {
		for k, m := range ae.Fields {
			form.Err[k] = m
		}
	}
	v := newOrderView(o)
	v.Title, v.Forms, v.Problem = "주문 "+o.Number, true, apperr.Message(err)
	s.orderLegal(c.UserContext(), &v)
	s.orderReturns(c, &v, sub, form)
	status := fiber.StatusUnprocessableEntity
	if code == apperr.Conflict {
		status = fiber.StatusConflict
	}
	c.Status(status)
	return s.render(c, "shop/order", &v)
}

// Steps are the return's steps with their times (Korean time), oldest
// first.
func (p *returnPart) Steps() []string {
	r := p.Return
	if r == nil {
		return nil
	}
	var out []string
	add := func(label string, at *time.Time) {
		if at != nil {
			out = append(out, label+" "+view.FormatDateTime(*at))
		}
	}
	at := r.RequestedAt
	add("신청", &at)
	add("승인", r.ApprovedAt)
	add("거절", r.RejectedAt)
	add("입고", r.ReceivedAt)
	add("환불", r.RefundedAt)
	return out
}
