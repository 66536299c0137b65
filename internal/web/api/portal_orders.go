package api

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/web/view"
)

// portalLine is one line of a sub-order: prices as they were when ordered.
type portalLine struct {
	ProductID  int64  `json:"product_id"`
	OptionID   int64  `json:"option_id"`
	Name       string `json:"name"`
	OptionName string `json:"option_name"`
	Kind       string `json:"kind"`
	TaxType    string `json:"tax_type"`
	UnitPrice  int64  `json:"unit_price"`
	Quantity   int    `json:"quantity"`
	LineTotal  int64  `json:"line_total"`
	Supply     int64  `json:"supply"`
	VAT        int64  `json:"vat"`
}

type portalBuyer struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

type portalAddress struct {
	Recipient string `json:"recipient"`
	Phone     string `json:"phone"`
	Postcode  string `json:"postcode"`
	Road      string `json:"road"`
	Detail    string `json:"detail"`
	Memo      string `json:"memo"`
}

type portalShipment struct {
	Courier        string `json:"courier"`
	CourierName    string `json:"courier_name"`
	TrackingNumber string `json:"tracking_number"`
	TrackingURL    string `json:"tracking_url"`
}

type portalCancel struct {
	Reason  string `json:"reason"`
	By      string `json:"by"`
	ByLabel string `json:"by_label"`
}

type portalRefund struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	// Done is false until the payment provider confirmed the refund.
	Done bool `json:"done"`
}

// portalReturn is the part's latest return after delivery (반품).
type portalReturn struct {
	Status       string  `json:"status"`
	StatusLabel  string  `json:"status_label"`
	Reason       string  `json:"reason"`
	ReasonLabel  string  `json:"reason_label"`
	Detail       string  `json:"detail"`
	SellerPays   bool    `json:"seller_pays"`
	PaidAmount   int64   `json:"paid_amount"`
	ReturnFee    int64   `json:"return_fee"`
	RefundAmount int64   `json:"refund_amount"`
	Currency     string  `json:"currency"`
	RejectReason string  `json:"reject_reason"`
	Restock      *bool   `json:"restock"`
	RequestedAt  string  `json:"requested_at"`
	ApprovedAt   *string `json:"approved_at"`
	RejectedAt   *string `json:"rejected_at"`
	ReceivedAt   *string `json:"received_at"`
	RefundedAt   *string `json:"refunded_at"`
}

func returnOut(r *order.Return) *portalReturn {
	if r == nil {
		return nil
	}
	return &portalReturn{Status: string(r.Status), StatusLabel: r.StatusLabel(), Reason: string(r.Reason),
		ReasonLabel: r.ReasonLabel(), Detail: r.Detail, SellerPays: r.SellerPays, PaidAmount: r.PaidAmount,
		ReturnFee: r.ReturnFee, RefundAmount: r.RefundAmount, Currency: currency, RejectReason: r.RejectReason,
		Restock: r.Restock, RequestedAt: r.RequestedAt.UTC().Format(timeFormat), ApprovedAt: timeOut(r.ApprovedAt),
		RejectedAt: timeOut(r.RejectedAt), ReceivedAt: timeOut(r.ReceivedAt), RefundedAt: timeOut(r.RefundedAt)}
}

type portalEvent struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"`
	At     string `json:"at"`
}

// portalSubOrder is an enterprise's part of an order (a sub-order) as the
// enterprise sees it.
type portalSubOrder struct {
	ID          int64           `json:"id"`
	OrderNumber string          `json:"order_number"`
	OrderStatus string          `json:"order_status"`
	Status      string          `json:"status"`
	StatusLabel string          `json:"status_label"`
	NextAction  string          `json:"next_action"`
	OrderedAt   string          `json:"ordered_at"`
	PaidAt      *string         `json:"paid_at"`
	AcceptedAt  *string         `json:"accepted_at"`
	ShippedAt   *string         `json:"shipped_at"`
	DeliveredAt *string         `json:"delivered_at"`
	CancelledAt *string         `json:"cancelled_at"`
	Buyer       portalBuyer     `json:"buyer"`
	Address     portalAddress   `json:"address"`
	Lines       []portalLine    `json:"lines"`
	ItemsTotal  int64           `json:"items_total"`
	ShippingFee int64           `json:"shipping_fee"`
	Remote      bool            `json:"remote"`
	Total       int64           `json:"total"`
	Currency    string          `json:"currency"`
	Shipment    *portalShipment `json:"shipment"`
	Cancel      *portalCancel   `json:"cancel"`
	Refund      *portalRefund   `json:"refund"`
	Return      *portalReturn   `json:"return"`
	Events      []portalEvent   `json:"events,omitempty"`
}

func timeOut(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(timeFormat)
	return &s
}

func subOrderOut(so *order.EnterpriseSubOrder) portalSubOrder {
	a := so.Address
	out := portalSubOrder{
		ID: so.ID, OrderNumber: so.OrderNumber, OrderStatus: string(so.OrderStatus),
		Status: string(so.Status), StatusLabel: so.Status.Label(), NextAction: so.NextAction(),
		OrderedAt: so.OrderedAt.UTC().Format(timeFormat), PaidAt: timeOut(so.PaidAt), AcceptedAt: timeOut(so.AcceptedAt),
		ShippedAt: timeOut(so.ShippedAt), DeliveredAt: timeOut(so.DeliveredAt), CancelledAt: timeOut(so.CancelledAt),
		Buyer:   portalBuyer{Name: so.BuyerName, Phone: so.BuyerPhone},
		Address: portalAddress{Recipient: a.Recipient, Phone: a.Phone, Postcode: a.Postcode, Road: a.Road, Detail: a.Detail, Memo: a.Memo},
		Lines:   make([]portalLine, 0, len(so.Lines)), ItemsTotal: so.ItemsTotal, ShippingFee: so.ShippingFee,
		Remote: so.Remote, Total: so.Total, Currency: currency, Return: returnOut(so.LastReturn()),
	}
	for _, l := range so.Lines {
		out.Lines = append(out.Lines, portalLine{ProductID: l.ProductID, OptionID: l.OptionID, Name: l.Name,
			OptionName: l.OptionName, Kind: string(l.Kind), TaxType: string(l.TaxType), UnitPrice: l.UnitPrice,
			Quantity: l.Quantity, LineTotal: l.LineTotal, Supply: l.Supply, VAT: l.VAT})
	}
	if so.CourierCode != "" {
		out.Shipment = &portalShipment{Courier: so.CourierCode, CourierName: so.Courier,
			TrackingNumber: so.TrackingNumber, TrackingURL: so.TrackingURL}
	}
	if so.Status == order.SubCancelled {
		out.Cancel = &portalCancel{Reason: so.CancelReason, By: string(so.CancelledBy), ByLabel: so.CancelledBy.Label()}
	}
	if r := so.Refund; r != nil {
		out.Refund = &portalRefund{Amount: r.Amount, Currency: currency, Done: r.Ref != ""}
	}
	if so.Events != nil {
		out.Events = make([]portalEvent, 0, len(so.Events))
		for _, e := range so.Events {
			out.Events = append(out.Events, portalEvent{From: e.From, To: e.To, Reason: e.Reason, At: e.At.UTC().Format(timeFormat)})
		}
	}
	return out
}

// portalOrders lists the enterprise's paid sub-orders, newest first:
// ?status= (one state), ?waiting=true (those waiting for the enterprise,
// the longest waiting first), ?returns=true (those with a return waiting
// for the enterprise), paged.
func (s *server) portalOrders(c *fiber.Ctx) error {
	v, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	page, per, err := view.PageParams(v, order.DefaultPageSize, order.MaxPageSize)
	if err != nil {
		return err
	}
	f := order.SubOrderFilter{Status: order.SubStatus(strings.TrimSpace(v.Get("status"))), Limit: per, Offset: (page - 1) * per}
	if f.Waiting, err = boolParam(v.Get("waiting"), "waiting은"); err != nil {
		return err
	}
	if f.Returns, err = boolParam(v.Get("returns"), "returns는"); err != nil {
		return err
	}
	list, total, err := s.Orders.FindEnterpriseSubOrders(c.UserContext(), f)
	if err != nil {
		return err
	}
	data := make([]portalSubOrder, 0, len(list))
	for _, so := range list {
		data = append(data, subOrderOut(so))
	}
	return c.JSON(listResponse{Data: data, Pagination: pagination{Page: page, PerPage: per, Total: total,
		TotalPages: view.TotalPages(total, per, 0)}})
}

// boolParam reads a true/false query parameter (absent is false); name is
// the parameter with its Korean particle, for the message.
func boolParam(raw, name string) (bool, error) {
	switch strings.TrimSpace(raw) {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, apperr.Errorf(apperr.Invalid, "%s true 또는 false로 지정해 주세요.", name)
}

// portalOrder answers one of the enterprise's sub-orders with its history.
func (s *server) portalOrder(c *fiber.Ctx) error {
	id, err := view.ParseID(c.Params("id"), "주문")
	if err != nil {
		return err
	}
	return s.writeSubOrder(c, id)
}

// writeSubOrder answers sub-order id as it stands now.
func (s *server) writeSubOrder(c *fiber.Ctx, id int64) error {
	so, err := s.Orders.FindEnterpriseSubOrder(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(itemResponse{Data: subOrderOut(so)})
}

// portalSubOrderAction runs act on sub-order :id and answers the sub-order.
// Another enterprise's sub-order is not found before its body is read, so
// that it answers 404 whatever the body.
func (s *server) portalSubOrderAction(c *fiber.Ctx, act func(id int64) error) error {
	id, err := view.ParseID(c.Params("id"), "주문")
	if err != nil {
		return err
	}
	if _, err := s.Orders.FindEnterpriseSubOrder(c.UserContext(), id); err != nil {
		return err
	}
	if err := act(id); err != nil {
		return err
	}
	return s.writeSubOrder(c, id)
}

// portalAccept accepts a paid sub-order (주문 접수).
func (s *server) portalAccept(c *fiber.Ctx) error {
	return s.portalSubOrderAction(c, func(id int64) error { return s.Orders.AcceptSubOrder(c.UserContext(), id) })
}

// shipInput is the body of POST /orders/:id/ship.
type shipInput struct {
	Courier        string `json:"courier"`
	TrackingNumber string `json:"tracking_number"`
}

// portalShip records an accepted sub-order's shipment {courier,
// tracking_number}; on a shipped one it corrects them.
func (s *server) portalShip(c *fiber.Ctx) error {
	return s.portalSubOrderAction(c, func(id int64) error {
		var in shipInput
		if err := decodeBody(c, &in); err != nil {
			return err
		}
		return s.Orders.ShipSubOrder(c.UserContext(), id, in.Courier, in.TrackingNumber)
	})
}

// portalDeliver records that a shipped sub-order arrived.
func (s *server) portalDeliver(c *fiber.Ctx) error {
	return s.portalSubOrderAction(c, func(id int64) error { return s.Orders.MarkDelivered(c.UserContext(), id) })
}

// cancelInput is the body of POST /orders/:id/cancel.
type cancelInput struct {
	Reason string `json:"reason"`
}

// portalCancel cancels the enterprise's part of an order {reason}: its
// stock is returned and its amount refunded.
func (s *server) portalCancel(c *fiber.Ctx) error {
	return s.portalSubOrderAction(c, func(id int64) error {
		var in cancelInput
		if err := decodeBody(c, &in); err != nil {
			return err
		}
		return s.Orders.CancelSubOrder(c.UserContext(), id, in.Reason)
	})
}

// approveInput is the body of POST /orders/:id/return/approve.
type approveInput struct {
	// SellerPays takes the return shipping on the enterprise (the buyer
	// pays it for a change of mind unless the enterprise takes it on).
	SellerPays bool `json:"seller_pays"`
}

// portalApproveReturn approves the part's requested return (반품 승인).
func (s *server) portalApproveReturn(c *fiber.Ctx) error {
	return s.portalSubOrderAction(c, func(id int64) error {
		var in approveInput
		if err := decodeBody(c, &in); err != nil {
			return err
		}
		return s.Orders.ApproveReturn(c.UserContext(), id, in.SellerPays)
	})
}

// rejectInput is the body of POST /orders/:id/return/reject.
type rejectInput struct {
	Reason string `json:"reason"`
}

// portalRejectReturn rejects the part's return with the reason the buyer
// is told (반품 거절).
func (s *server) portalRejectReturn(c *fiber.Ctx) error {
	return s.portalSubOrderAction(c, func(id int64) error {
		var in rejectInput
		if err := decodeBody(c, &in); err != nil {
			return err
		}
		err := s.Orders.RejectReturn(c.UserContext(), id, in.Reason)
		// The domain names the portal form's field; here the body's.
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Fields["reject_reason"] != "" {
			ae.Fields = map[string]string{"reason": ae.Fields["reject_reason"]}
		}
		return err
	})
}

// receiveInput is the body of POST /orders/:id/return/receive.
type receiveInput struct {
	// Restock puts the returned goods back in stock (재입고) or not (폐기);
	// required, there is no default.
	Restock *bool `json:"restock"`
}

// portalReceiveReturn confirms that the returned goods arrived (입고
// 확인): the part is refunded less the return shipping.
func (s *server) portalReceiveReturn(c *fiber.Ctx) error {
	return s.portalSubOrderAction(c, func(id int64) error {
		var in receiveInput
		if err := decodeBody(c, &in); err != nil {
			return err
		}
		if in.Restock == nil {
			return &apperr.Error{Code: apperr.Invalid, Message: "반품 상품을 재입고할지(true) 폐기할지(false) restock으로 알려 주세요.",
				Fields: map[string]string{"restock": "true(재입고) 또는 false(폐기)로 지정해 주세요."}}
		}
		return s.Orders.ReceiveReturn(c.UserContext(), id, *in.Restock)
	})
}
