package portal

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/web/view"
)

// mountOrders registers the order screens on the /portal group: the
// enterprise's own sub-orders (order.Service scopes every read and write to
// the actor's enterprise, so another's answer not found).
func (s *server) mountOrders(g fiber.Router) {
	g.Get("/orders", s.needOrders, s.ordersPage)
	g.Get("/orders/:id<int>", s.needOrders, s.orderPage)
	g.Post("/orders/:id<int>/accept", s.needOrders, s.acceptOrder)
	g.Post("/orders/:id<int>/ship", s.needOrders, s.shipOrder)
	g.Post("/orders/:id<int>/deliver", s.needOrders, s.deliverOrder)
	g.Get("/orders/:id<int>/cancel", s.needOrders, s.cancelOrderPage)
	g.Get("/orders/:id<int>/statement", s.needOrders, s.orderStatement(false))
	g.Get("/orders/:id<int>/statement.pdf", s.needOrders, s.orderStatement(true))
	g.Post("/orders/:id<int>/cancel", s.needOrders, s.cancelOrder)
	s.mountReturns(g)
}

// needOrders answers 503 when the app runs without the order service.
func (s *server) needOrders(c *fiber.Ctx) error {
	if s.Orders == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

// subOrderID reads the :id of an order route.
func subOrderID(c *fiber.Ctx) (int64, error) { return view.ParseID(c.Params("id"), "주문") }

// orderURL is a sub-order's page, with a done notice.
func orderURL(id int64, doneCode string) string {
	u := "/portal/orders/" + strconv.FormatInt(id, 10)
	if doneCode != "" {
		u += "?done=" + doneCode
	}
	return u
}

// orderDone are the notices of the order page's ?done= codes: fixed texts,
// as the product screens' (a cancellation's notice is made from the part as
// stored).
var orderDone = map[string]string{
	"accepted":        "주문을 접수했습니다. 상품을 보낸 뒤 아래 '발송 처리'에서 택배사와 운송장 번호를 입력해 주세요.",
	"shipped":         "발송 처리했습니다. 구매자의 주문 화면에 택배사와 배송 조회 링크가 나타납니다.",
	"delivered":       "배송 완료로 바꿨습니다.",
	"return_approved": "반품을 승인했습니다. 구매자에게 알렸습니다. 상품을 수거해 확인한 뒤 '입고 확인'을 눌러 주세요.",
	"return_rejected": "반품을 거절했습니다. 구매자에게 사유를 알렸습니다.",
	"return_received": "반품 입고를 확인했습니다. 구매자에게 환불합니다.",
}

// The list.

// orderTabs are the list's status tabs, in order ("" is every state;
// "waiting" the parts waiting for the enterprise).
var orderTabs = []struct{ value, label string }{
	{"", "전체"},
	{"waiting", "처리 대기"},
	{string(order.SubPaid), "결제 완료 (접수 전)"},
	{string(order.SubConfirmed), "후불 확정 (접수 전)"},
	{string(order.SubAccepted), "주문 접수 (발송 전)"},
	{string(order.SubShipped), "배송 중"},
	{string(order.SubDelivered), "배송 완료"},
	{"returns", "반품 처리"},
	{string(order.SubCancelled), "취소됨"},
}

// tabLink is one status tab of the order list.
type tabLink struct {
	Label, URL string
	Count      int
	HasCount   bool
	Current    bool
}

// subOrderRow is one sub-order of the list.
type subOrderRow struct {
	URL         string
	Number      string
	OrderedAt   string
	Items       string
	Recipient   string
	Total       string
	Status      string
	StatusLabel string
	Next        string
}

type ordersView struct {
	layout
	Tabs     []tabLink
	TabLabel string
	Rows     []subOrderRow
	Total    int
	Pager    view.Pager
}

const ordersPerPage = 20

// ordersPage is GET /portal/orders: the enterprise's paid sub-orders by
// status tab, newest first (the waiting tab: the longest waiting first),
// 20 a page.
func (s *server) ordersPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	q, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, _, err := view.PageParams(q, ordersPerPage, ordersPerPage)
	if err != nil {
		return err
	}
	status := q.Get("status")
	f := order.SubOrderFilter{Limit: ordersPerPage, Offset: (page - 1) * ordersPerPage}
	known := false
	for _, t := range orderTabs {
		known = known || t.value == status
	}
	switch {
	case !known:
		status = ""
	case status == "waiting":
		f.Waiting = true
	case status == "returns":
		f.Returns = true
	default:
		f.Status = order.SubStatus(status)
	}
	list, total, err := s.Orders.FindEnterpriseSubOrders(ctx, f)
	if err != nil {
		return err
	}
	waiting := total
	if !f.Waiting {
		if _, waiting, err = s.Orders.FindEnterpriseSubOrders(ctx, order.SubOrderFilter{Waiting: true, Limit: 1}); err != nil {
			return err
		}
	}
	link := func(status string, n int) string {
		u := url.Values{}
		if status != "" {
			u.Set("status", status)
		}
		if n > 1 {
			u.Set("page", strconv.Itoa(n))
		}
		if len(u) == 0 {
			return "/portal/orders"
		}
		return "/portal/orders?" + u.Encode()
	}
	v := ordersView{Total: total}
	for _, t := range orderTabs {
		tl := tabLink{Label: t.label, URL: link(t.value, 1), Current: t.value == status}
		if t.value == "waiting" {
			tl.Count, tl.HasCount = waiting, true
		}
		if tl.Current {
			v.TabLabel = t.label
		}
		v.Tabs = append(v.Tabs, tl)
	}
	for _, so := range list {
		v.Rows = append(v.Rows, subOrderRow{URL: orderURL(so.ID, ""), Number: so.OrderNumber,
			OrderedAt: view.FormatDateTime(so.PaidAt), Items: itemsSummary(so.Lines), Recipient: so.Address.Recipient,
			Total: kr.Won(so.Total), Status: string(so.Status), StatusLabel: so.StatusLabel(), Next: so.NextAction()})
	}
	v.Pager = view.BuildPager(page, view.TotalPages(total, ordersPerPage, 1000), func(n int) string { return link(status, n) })
	v.Title, v.Nav = "주문", navOrders
	return s.render(c, "portal/orders", &v)
}

// itemsSummary names a part's lines in one phrase: "사과 (5kg) × 2 외 1건".
func itemsSummary(lines []order.Line) string {
	if len(lines) == 0 {
		return ""
	}
	l := lines[0]
	s := l.Name
	if l.OptionName != "" {
		s += " (" + l.OptionName + ")"
	}
	s += " × " + strconv.Itoa(l.Quantity)
	if len(lines) > 1 {
		s += " 외 " + strconv.Itoa(len(lines)-1) + "건"
	}
	return s
}

// The detail.

// lineRow is one line of a sub-order.
type lineRow struct {
	Name, Option, ProductURL string
	UnitPrice, Quantity, Sum string
	// Bundle names the joint product (공동상품) the line is a part of: the
	// enterprise ships this part and is paid its share ("" for none).
	Bundle string
}

// eventRow is one line of the part's timeline.
type eventRow struct {
	At    string
	Label string
}

// shipForm is the 발송 처리 form as typed.
type shipForm struct {
	Courier, TrackingNumber string
}

type orderView struct {
	layout
	ID                   int64
	Number               string
	Status, StatusLabel  string
	Next                 string
	OrderedAt, PaidAt    string
	Lines                []lineRow
	ItemsTotal, Shipping string
	Remote               bool
	Total                string

	BuyerName, BuyerPhone                     string
	Recipient, RecipientPhone                 string
	Postcode, Road, Detail, Memo              string
	Courier, TrackingNumber, TrackingURL      string
	AcceptedAt, ShippedAt, DeliveredAt        string
	Cancelled                                 bool
	CancelReason, CancelledBy, CancelledAt    string
	Refund, RefundLabel                       string
	Events                                    []eventRow
	CanAccept, CanShip, CanDeliver, CanCancel bool
	Shipped                                   bool // the tracking number may be corrected
	Couriers                                  []choice
	Ship                                      shipForm
	Err                                       map[string]string
	Problem                                   string
	ProblemAt                                 string // the id of the section the problem belongs to
	// Invoice: a public order paid by transfer after the buyer's 검수.
	Invoice                      bool
	InspectionDeadline, DaysLeft string
	InspectionPastDue            bool
	Inspection, Claim, ClaimDue  string
	// Return is the part's latest return after delivery (nil for none);
	// RejectReason the rejection's reason as typed.
	Return       *returnView
	RejectReason string
}

// newOrderView is the page of sub-order so, with the ship form as typed.
func newOrderView(so *order.EnterpriseSubOrder, ship shipForm) orderView {
	v := orderView{ID: so.ID, Number: so.OrderNumber, Status: string(so.Status), StatusLabel: so.StatusLabel(),
		Next: so.NextAction(), OrderedAt: view.FormatDateTime(so.OrderedAt), PaidAt: view.FormatDateTime(so.PaidAt),
		ItemsTotal: kr.Won(so.ItemsTotal), Shipping: kr.Won(so.ShippingFee), Remote: so.Remote, Total: kr.Won(so.Total),
		BuyerName: so.BuyerName, BuyerPhone: kr.Phone(so.BuyerPhone),
		Recipient: so.Address.Recipient, RecipientPhone: kr.Phone(so.Address.Phone), Postcode: so.Address.Postcode,
		Road: so.Address.Road, Detail: so.Address.Detail, Memo: so.Address.Memo,
		Courier: so.Courier, TrackingNumber: so.TrackingNumber, TrackingURL: so.TrackingURL,
		AcceptedAt: view.FormatDateTime(so.AcceptedAt), ShippedAt: view.FormatDateTime(so.ShippedAt), DeliveredAt: view.FormatDateTime(so.DeliveredAt),
		Cancelled: so.Status == order.SubCancelled, CancelReason: so.CancelReason, CancelledBy: so.CancelledByLabel(),
		CancelledAt: view.FormatDateTime(so.CancelledAt), RefundLabel: so.RefundLabel(),
		CanAccept: so.Status.AwaitsAcceptance(), CanShip: so.Status == order.SubAccepted,
		Shipped: so.Status == order.SubShipped, CanDeliver: so.Status == order.SubShipped,
		CanCancel: so.Status.AwaitsAcceptance() || so.Status == order.SubAccepted,
		Ship:      ship, Err: map[string]string{}, Return: newReturnView(so)}
	if p := so.Invoice; p != nil {
		v.Invoice, v.InspectionPastDue = true, p.PastDue
		if p.Notice != nil {
			v.InspectionDeadline = p.Deadline.Format("2006.01.02")
			if p.Inspection == nil {
				if p.DaysLeft >= 0 {
					v.DaysLeft = "D-" + strconv.Itoa(p.DaysLeft)
				} else {
					v.DaysLeft = strconv.Itoa(-p.DaysLeft) + "일 지남"
				}
			}
		}
		if in := p.Inspection; in != nil {
			v.Inspection = in.Result.Label() + " (" + in.Date.Format("2006.01.02") + ", " + in.Inspector + ")"
			if in.Reason != "" {
				v.Inspection += " · " + in.Reason
			}
		}
		if c := p.Claim; c != nil {
			v.Claim, v.ClaimDue = kr.Won(c.Amount), c.Due.Format("2006.01.02")
		}
	}
	if so.Refund != nil {
		v.Refund = kr.Won(so.Refund.Amount)
	}
	for _, l := range so.Lines {
		v.Lines = append(v.Lines, lineRow{Name: l.Name, Option: l.OptionName, ProductURL: editURL(l.ProductID, ""),
			UnitPrice: kr.Won(l.UnitPrice), Quantity: kr.Comma(int64(l.Quantity)), Sum: kr.Won(l.LineTotal), Bundle: l.BundleName})
	}
	for _, e := range so.Events {
		label := order.EventLabel(e.To)
		if e.Reason != "" && e.Reason != label {
			label += " — " + e.Reason
		}
		v.Events = append(v.Events, eventRow{At: view.FormatDateTime(e.At), Label: label})
	}
	if v.Ship == (shipForm{}) && so.Status == order.SubShipped {
		v.Ship = shipForm{Courier: so.CourierCode, TrackingNumber: so.TrackingNumber}
	}
	v.Couriers = []choice{{Value: "", Label: "택배사를 골라 주세요", Selected: v.Ship.Courier == ""}}
	for _, co := range order.Couriers() {
		v.Couriers = append(v.Couriers, choice{Value: co.Code, Label: co.Name, Selected: co.Code == v.Ship.Courier})
	}
	v.Title, v.Nav = "주문 "+so.OrderNumber, navOrders
	return v
}

// cancelNotice says what a cancellation of the part did, from the part as
// stored.
func cancelNotice(so *order.EnterpriseSubOrder) string {
	if so.Status != order.SubCancelled {
		return ""
	}
	if so.Refund == nil {
		return "이 주문에서 우리 기업 상품을 취소했습니다. 재고를 되돌렸습니다."
	}
	return "이 주문에서 우리 기업 상품을 취소하고 재고를 되돌렸습니다. 환불 금액 " + kr.Won(so.Refund.Amount) +
		" · " + so.RefundLabel() + ". 다른 기업의 상품은 그대로입니다."
}

// findSubOrder reads the :id sub-order of the actor's enterprise.
func (s *server) findSubOrder(c *fiber.Ctx) (*order.EnterpriseSubOrder, error) {
	id, err := subOrderID(c)
	if err != nil {
		return nil, err
	}
	return s.Orders.FindEnterpriseSubOrder(c.UserContext(), id)
}

// orderPage is GET /portal/orders/:id.
func (s *server) orderPage(c *fiber.Ctx) error {
	so, err := s.findSubOrder(c)
	if err != nil {
		return err
	}
	v := newOrderView(so, shipForm{})
	v.Done = orderDone[c.Query("done")]
	if c.Query("done") == "cancelled" {
		v.Done = cancelNotice(so)
	}
	return s.render(c, "portal/order", &v)
}

// orderProblem shows the order page again for a refusal the person can act
// on: a state conflict (the button pressed twice, or the part changed
// meanwhile: 409 with the domain's message) or the ship form's fields (422,
// input kept). Any other error is returned.
func (s *server) orderProblem(c *fiber.Ctx, id int64, err error, ship shipForm, section string, keep ...func(*orderView)) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Conflict && ae.Code != apperr.Invalid) {
		return err
	}
	so, ferr := s.Orders.FindEnterpriseSubOrder(c.UserContext(), id)
	if ferr != nil {
		return ferr
	}
	v := newOrderView(so, ship)
	v.Problem, v.ProblemAt = ae.Message, section
	for k, msg := range ae.Fields {
		v.Err[k] = msg
	}
	for _, f := range keep {
		f(&v)
	}
	status := fiber.StatusConflict
	if ae.Code == apperr.Invalid {
		status = fiber.StatusUnprocessableEntity
	}
	c.Status(status)
	return s.render(c, "portal/order", &v)
}

// changeOrder runs one of the order's buttons and goes back to its page.
func (s *server) changeOrder(c *fiber.Ctx, act func(context.Context, int64) error, doneCode, section string) error {
	id, err := subOrderID(c)
	if err != nil {
		return err
	}
	if err := act(c.UserContext(), id); err != nil {
		return s.orderProblem(c, id, err, shipForm{}, section)
	}
	return c.Redirect(orderURL(id, doneCode), fiber.StatusSeeOther)
}

// acceptOrder is POST /portal/orders/:id/accept (주문 접수).
func (s *server) acceptOrder(c *fiber.Ctx) error {
	return s.changeOrder(c, s.Orders.AcceptSubOrder, "accepted", "actions")
}

// deliverOrder is POST /portal/orders/:id/deliver (배송 완료).
func (s *server) deliverOrder(c *fiber.Ctx) error {
	return s.changeOrder(c, s.Orders.MarkDelivered, "delivered", "actions")
}

// shipOrder is POST /portal/orders/:id/ship (발송 처리, or the tracking
// number corrected once shipped).
func (s *server) shipOrder(c *fiber.Ctx) error {
	id, err := subOrderID(c)
	if err != nil {
		return err
	}
	f := shipForm{Courier: c.FormValue("courier"), TrackingNumber: strings.TrimSpace(c.FormValue("tracking_number"))}
	if err := s.Orders.ShipSubOrder(c.UserContext(), id, f.Courier, f.TrackingNumber); err != nil {
		return s.orderProblem(c, id, err, f, "ship")
	}
	return c.Redirect(orderURL(id, "shipped"), fiber.StatusSeeOther)
}

// orderCancelView is the question before a part is cancelled.
type orderCancelView struct {
	layout
	ID       int64
	Number   string
	Items    string
	Total    string
	Shipping string
	Paid     bool
	Reason   string
	Err      string
}

// cancelOrderPage is GET /portal/orders/:id/cancel: what cancelling the
// part does, and the reason to give.
func (s *server) cancelOrderPage(c *fiber.Ctx) error {
	so, err := s.findSubOrder(c)
	if err != nil {
		return err
	}
	if !so.Status.AwaitsAcceptance() && so.Status != order.SubAccepted {
		return c.Redirect(orderURL(so.ID, ""), fiber.StatusSeeOther)
	}
	return s.renderCancel(c, so, "", "", fiber.StatusOK)
}

func (s *server) renderCancel(c *fiber.Ctx, so *order.EnterpriseSubOrder, reason, problem string, status int) error {
	v := orderCancelView{ID: so.ID, Number: so.OrderNumber, Items: itemsSummary(so.Lines), Total: kr.Won(so.Total),
		Shipping: kr.Won(so.ShippingFee), Reason: reason, Err: problem}
	v.Title, v.Nav = "주문 취소: "+so.OrderNumber, navOrders
	c.Status(status)
	return s.render(c, "portal/order_cancel", &v)
}

// cancelOrder is POST /portal/orders/:id/cancel: this enterprise's part
// alone is cancelled and refunded, its stock returned. A second press finds
// it cancelled (the domain's Conflict) and changes nothing.
func (s *server) cancelOrder(c *fiber.Ctx) error {
	id, err := subOrderID(c)
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	err = s.Orders.CancelSubOrder(c.UserContext(), id, reason)
	if err == nil {
		return c.Redirect(orderURL(id, "cancelled"), fiber.StatusSeeOther)
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid && ae.Fields["reason"] != "" {
		so, ferr := s.Orders.FindEnterpriseSubOrder(c.UserContext(), id)
		if ferr != nil {
			return ferr
		}
		return s.renderCancel(c, so, reason, ae.Fields["reason"], fiber.StatusUnprocessableEntity)
	}
	return s.orderProblem(c, id, err, shipForm{}, "actions")
}
