package portal

import (
	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web/view"
)

// mountReturns registers the return actions of a sub-order's page: the
// order service acts on the actor's enterprise's parts alone (another's
// answer not found).
func (s *server) mountReturns(g fiber.Router) {
	g.Post("/orders/:id<int>/return/approve", s.needOrders, s.approveReturn)
	g.Post("/orders/:id<int>/return/reject", s.needOrders, s.rejectReturn)
	g.Post("/orders/:id<int>/return/receive", s.needOrders, s.receiveReturn)
}

// returnView is the part's latest return on its page.
type returnView struct {
	Status, StatusLabel, Reason, Detail string
	FeePayer, Fee, Refund, Paid         string
	RejectReason, Restock               string
	RequestedAt, ApprovedAt             string
	RejectedAt, ReceivedAt, RefundedAt  string
	CanApprove, CanReject, CanReceive   bool
	FeeWaivable                         bool // the buyer pays the return shipping: the enterprise may take it on
}

func newReturnView(so *order.EnterpriseSubOrder) *returnView {
	r := so.LastReturn()
	if r == nil {
		return nil
	}
	v := &returnView{Status: string(r.Status), StatusLabel: r.StatusLabel(), Reason: r.ReasonLabel(), Detail: r.Detail,
		FeePayer: r.FeePayerLabel(), Fee: kr.Won(r.ReturnFee), Refund: kr.Won(r.RefundAmount), Paid: kr.Won(r.PaidAmount),
		RejectReason: r.RejectReason, RequestedAt: view.FormatDateTime(r.RequestedAt),
		ApprovedAt: view.FormatDateTime(r.ApprovedAt), RejectedAt: view.FormatDateTime(r.RejectedAt),
		ReceivedAt: view.FormatDateTime(r.ReceivedAt), RefundedAt: view.FormatDateTime(r.RefundedAt),
		CanApprove: r.Status == order.ReturnRequested,
		CanReject:  r.Status == order.ReturnRequested || r.Status == order.ReturnApproved,
		CanReceive: r.Status == order.ReturnApproved, FeeWaivable: !r.SellerPays}
	if r.Restock != nil {
		v.Restock = "폐기"
		if *r.Restock {
			v.Restock = "재입고"
		}
	}
	return v
}

// approveReturn is POST /portal/orders/:id/return/approve (반품 승인);
// seller_pays=1 takes the return shipping on the enterprise.
func (s *server) approveReturn(c *fiber.Ctx) error {
	id, err := subOrderID(c)
	if err != nil {
		return err
	}
	if err := s.Orders.ApproveReturn(c.UserContext(), id, c.FormValue("seller_pays") == "1"); err != nil {
		return s.orderProblem(c, id, err, shipForm{}, "return")
	}
	return c.Redirect(orderURL(id, "return_approved"), fiber.StatusSeeOther)
}

// rejectReturn is POST /portal/orders/:id/return/reject (반품 거절, with
// the reason the buyer is told).
func (s *server) rejectReturn(c *fiber.Ctx) error {
	id, err := subOrderID(c)
	if err != nil {
		return err
	}
	reason := c.FormValue("reject_reason")
	if err := s.Orders.RejectReturn(c.UserContext(), id, reason); err != nil {
		return s.orderProblem(c, id, err, shipForm{}, "return", func(v *orderView) {
			v.RejectReason = textin.ForDisplay(reason)
		})
	}
	return c.Redirect(orderURL(id, "return_rejected"), fiber.StatusSeeOther)
}

// receiveReturn is POST /portal/orders/:id/return/receive (입고 확인):
// restock=1 puts the goods back in stock (재입고), restock=0 not (폐기);
// the part is refunded.
func (s *server) receiveReturn(c *fiber.Ctx) error {
	id, err := subOrderID(c)
	if err != nil {
		return err
	}
	var restock bool
	switch c.FormValue("restock") {
	case "1":
		restock = true
	case "0":
	default:
		err := &apperr.Error{Code: apperr.Invalid, Message: "반품 상품을 재입고할지 폐기할지 골라 주세요.",
			Fields: map[string]string{"restock": "재입고 또는 폐기를 골라 주세요."}}
		return s.orderProblem(c, id, err, shipForm{}, "return")
	}
	if err := s.Orders.ReceiveReturn(c.UserContext(), id, restock); err != nil {
		return s.orderProblem(c, id, err, shipForm{}, "return")
	}
	return c.Redirect(orderURL(id, "return_received"), fiber.StatusSeeOther)
}
