package order

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
)

// Page sizes of the lists.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// SubOrderFilter selects an enterprise's sub-orders.
type SubOrderFilter struct {
	Status SubStatus // "" for every state
	// Waiting keeps only the parts waiting for the enterprise (paid and not
	// accepted, or accepted and not shipped), the longest waiting first.
	// Otherwise the newest come first.
	Waiting bool
	// Returns keeps only the parts with a return waiting for the
	// enterprise (requested or approved), the oldest request first.
	Returns bool
	Limit   int // DefaultPageSize when 0, at most MaxPageSize
	Offset  int
}

// EnterpriseSubOrder is a sub-order as its enterprise sees it: the part, the
// order it belongs to, who bought it and where it goes. The buyer's e-mail
// is not the enterprise's business and is left out.
type EnterpriseSubOrder struct {
	SubOrder
	OrderID     int64
	OrderNumber string
	OrderStatus Status
	OrderedAt   time.Time
	BuyerName   string
	BuyerPhone  string
	Address     Address // 수령인, 연락처 and the address to ship to
	Terms       Terms
	// Invoice is, for a part of an invoice order, its 검수 deadline, 검수
	// and payment claim (FindEnterpriseSubOrder only; nil otherwise).
	Invoice *InvoicePart
	// Events are this part's state changes, oldest first
	// (FindEnterpriseSubOrder only).
	Events []Event
}

// NextAction is what the enterprise must do next, in Korean: "주문 접수",
// "발송 처리", "반품 승인·거절", "반품 입고 확인" or "" when nothing.
func (s *EnterpriseSubOrder) NextAction() string {
	switch s.Status {
	case SubPaid, SubConfirmed:
		return "주문 접수"
	case SubAccepted:
		return "발송 처리"
	}
	if r := s.OpenReturn(); r != nil {
		switch r.Status {
		case ReturnRequested:
			return "반품 승인·거절"
		case ReturnApproved:
			return "반품 입고 확인"
		}
	}
	return ""
}

// SubRefundKey is the idempotency key of the refund of one cancelled
// sub-order: one per part, so it is refunded once.
func SubRefundKey(orderNumber string, subOrderID int64) string {
	return fmt.Sprintf("re-%s-%d", orderNumber, subOrderID)
}

func errSubOrderNotFound() error {
	return apperr.Errorf(apperr.NotFound, "주문을 찾을 수 없습니다.")
}

// FindEnterpriseSubOrders lists the sub-orders of the actor's enterprise
// (account.EnterpriseScope: its members, or an operator acting for it) that
// were paid, with their lines, the buyer's name and phone and the delivery
// address, and how many match f in all. apperr.Invalid for an unknown
// status; the scope's errors otherwise.
func (s *Service) FindEnterpriseSubOrders(ctx context.Context, f SubOrderFilter) ([]*EnterpriseSubOrder, int, error) {
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, 0, err
	}
	if f.Status != "" && (f.Status.Label() == "" || f.Status == SubPendingPayment) {
		return nil, 0, apperr.Errorf(apperr.Invalid, "주문 상태를 확인해 주세요.")
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	return s.store.FindEnterpriseSubOrders(ctx, ent, f)
}

// page bounds a limit and an offset.
func page(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	return min(limit, MaxPageSize), max(offset, 0)
}

// FindEnterpriseSubOrder returns one sub-order of the actor's enterprise
// with its lines, the buyer, the delivery address and the part's events.
// apperr.NotFound when there is none, it was never paid, or it is another
// enterprise's.
func (s *Service) FindEnterpriseSubOrder(ctx context.Context, id int64) (*EnterpriseSubOrder, error) {
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, err
	}
	so, err := s.store.FindEnterpriseSubOrder(ctx, ent, id)
	if apperr.Code(err) == apperr.NotFound {
		return nil, errSubOrderNotFound()
	}
	if err != nil || so.Terms != TermsInvoice {
		return so, err
	}
	d, err := s.store.FindInvoice(ctx, so.OrderID)
	if err != nil {
		return nil, err
	}
	st, _, err := s.settings(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := s.invoice(ctx, d, st)
	if err != nil {
		return nil, err
	}
	so.Invoice = inv.Part(so.ID) // its own part alone: the others are other enterprises'
	return so, nil
}

// AcceptSubOrder accepts a paid sub-order of the actor's enterprise (주문
// 접수): the enterprise has seen it and will ship it. apperr.Conflict when
// the part is not paid and waiting; NotFound as FindEnterpriseSubOrder.
func (s *Service) AcceptSubOrder(ctx context.Context, id int64) error {
	_, err := s.changeSubOrder(ctx, id, func(o *Order, so *SubOrder, _ Party) (Change, error) {
		if err := subConflict(so, SubAccepted); err != nil {
			return Change{}, err
		}
		return Change{Sub: &SubChange{ID: so.ID, To: SubAccepted, Reason: "주문 접수"}}, nil
	})
	if err == nil {
		s.log.Info("order: sub-order accepted", "sub_order", id)
	}
	return err
}

// ShipSubOrder records that an accepted sub-order of the actor's enterprise
// left with courierCode (Couriers) under trackingNumber (8–20 digits,
// hyphens allowed). On a part already shipped it corrects the courier and
// number; the same ones again change nothing. apperr.Invalid with Fields
// courier and tracking_number; apperr.Conflict when the part is not
// accepted (or shipped); NotFound as FindEnterpriseSubOrder.
func (s *Service) ShipSubOrder(ctx context.Context, id int64, courierCode, trackingNumber string) error {
	courierCode = strings.TrimSpace(courierCode)
	f := map[string]string{}
	c, ok := CourierByCode(courierCode)
	if !ok {
		f["courier"] = "택배사를 선택해 주세요."
	}
	number, err := NormalizeTrackingNumber(strings.TrimSpace(trackingNumber))
	if err != nil {
		f["tracking_number"] = apperr.Message(err)
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "발송 정보를 확인해 주세요.", Fields: f}
	}
	what := c.Name + " " + number
	_, err = s.changeSubOrder(ctx, id, func(o *Order, so *SubOrder, _ Party) (Change, error) {
		if so.Status == SubShipped {
			if so.CourierCode == c.Code && so.TrackingNumber == number {
				return Change{}, nil // a double submission
			}
			return Change{Sub: &SubChange{ID: so.ID, To: SubShipped, Reason: "운송장 변경: " + what,
				CourierCode: c.Code, TrackingNumber: number}}, nil
		}
		if so.Status.AwaitsAcceptance() {
			return Change{}, apperr.Errorf(apperr.Conflict, "주문을 접수한 뒤에 발송할 수 있습니다.")
		}
		if err := subConflict(so, SubShipped); err != nil {
			return Change{}, err
		}
		return Change{Sub: &SubChange{ID: so.ID, To: SubShipped, Reason: "발송: " + what,
			CourierCode: c.Code, TrackingNumber: number}}, nil
	})
	if err == nil {
		s.log.Info("order: sub-order shipped", "sub_order", id, "courier", c.Code)
	}
	return err
}

// MarkDelivered records that a shipped sub-order of the actor's enterprise
// arrived. When every part of the order not cancelled has arrived, the
// order is completed. apperr.Conflict when the part is not shipped;
// NotFound as FindEnterpriseSubOrder.
func (s *Service) MarkDelivered(ctx context.Context, id int64) error {
	_, err := s.changeSubOrder(ctx, id, func(o *Order, so *SubOrder, _ Party) (Change, error) {
		if err := subConflict(so, SubDelivered); err != nil {
			return Change{}, err
		}
		c := Change{Sub: &SubChange{ID: so.ID, To: SubDelivered, Reason: "배송 완료"}}
		c.To, c.Reason = o.after(so.ID, SubDelivered)
		return c, nil
	})
	if err == nil {
		s.log.Info("order: sub-order delivered", "sub_order", id)
	}
	return err
}

// CancelSubOrder cancels a paid or accepted sub-order of the actor's
// enterprise, for reason (required, at most 200 characters). Only this part
// is affected: its stock (products and options) is returned and its amount
// (its lines and its shipping fee) is refunded. The refund row, with the key
// SubRefundKey, is written with the cancellation; the provider is called
// after commit and, if it does not answer, RetryRefunds tries again with the
// same key. When every part is cancelled the order is cancelled; when every
// other part has arrived, it is completed.
//
// The cancellation holds the order's row lock, so a second call, even a
// concurrent one, finds the part cancelled and gets apperr.Conflict: stock
// and money go back once. apperr.Invalid (Fields: reason) for a missing
// reason; apperr.Conflict when the part has shipped; NotFound as
// FindEnterpriseSubOrder.
func (s *Service) CancelSubOrder(ctx context.Context, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return &apperr.Error{Code: apperr.Invalid, Message: "취소 사유를 입력해 주세요.",
			Fields: map[string]string{"reason": "취소 사유를 입력해 주세요."}}
	case n > 200:
		return &apperr.Error{Code: apperr.Invalid, Message: "취소 사유는 200자 이하로 입력해 주세요.",
			Fields: map[string]string{"reason": "취소 사유는 200자 이하로 입력해 주세요."}}
	}
	c, err := s.changeSubOrder(ctx, id, func(o *Order, so *SubOrder, by Party) (Change, error) {
		switch {
		case so.Status == SubCancelled:
			return Change{}, apperr.Errorf(apperr.Conflict, "이미 취소된 주문입니다.")
		case so.Status == SubShipped || so.Status == SubDelivered:
			return Change{}, apperr.Errorf(apperr.Conflict, "이미 발송된 주문은 취소할 수 없습니다. 구매자와 반품을 협의해 주세요.")
		case so.Status == SubPendingPayment:
			return Change{}, apperr.Errorf(apperr.Conflict, "결제가 끝나지 않은 주문은 취소할 수 없습니다.")
		}
		c := Change{Sub: &SubChange{ID: so.ID, To: SubCancelled, Reason: by.Label() + " 취소: " + reason,
			CancelReason: reason, CancelledBy: by, Release: true}}
		if p := o.Payment; p != nil && p.Status == PaymentSucceeded {
			if amount := min(so.Total, p.Refundable()); amount > 0 {
				if amount < so.Total {
					s.log.Error("order: part refund exceeds what is left of the payment", "order", o.Number,
						"sub_order", so.ID, "total", so.Total, "refundable", p.Refundable())
				}
				c.Refund = &Refund{PaymentID: p.ID, PaymentRef: p.Ref, SubOrderID: so.ID, Amount: amount,
					Reason: by.Label() + " 부분 취소", IdempotencyKey: SubRefundKey(o.Number, so.ID)}
			}
		}
		c.To, c.Reason = o.after(so.ID, SubCancelled)
		return c, nil
	})
	if err != nil {
		return err
	}
	s.log.Info("order: sub-order cancelled", "sub_order", id, "refund", c.Refund != nil, "order_to", c.To)
	if c.Refund != nil {
		s.refund(ctx, c.Refund)
	}
	return nil
}

// changeSubOrder runs decide on the actor's enterprise's sub-order id under
// its order's row lock, checks the transitions it asks for and returns the
// change written.
func (s *Service) changeSubOrder(ctx context.Context, id int64, decide func(*Order, *SubOrder, Party) (Change, error)) (Change, error) {
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return Change{}, err
	}
	by := PartyEnterprise
	if account.FromContext(ctx).IsOperator() {
		by = PartyOperator
	}
	var done Change
	err = s.store.UpdateSubOrder(ctx, ent, id, func(o *Order, so *SubOrder) (Change, error) {
		done = Change{}
		c, err := decide(o, so, by)
		if err != nil {
			return Change{}, err
		}
		if err := c.check(o); err != nil {
			return Change{}, err
		}
		done = c
		return c, nil
	})
	if apperr.Code(err) == apperr.NotFound {
		return Change{}, errSubOrderNotFound()
	}
	return done, err
}

// subConflict returns apperr.Conflict, in words for the enterprise, when so
// may not move to next.
func subConflict(so *SubOrder, next SubStatus) error {
	switch {
	case so.Status == next:
		return apperr.Errorf(apperr.Conflict, "이미 '%s' 상태인 주문입니다.", next.Label())
	case so.Status == SubCancelled:
		return apperr.Errorf(apperr.Conflict, "취소된 주문입니다.")
	}
	return so.Status.Transition(next)
}

// after returns the order's status once sub-order id is in state to, with
// the event's reason: cancelled when every part is, completed when every
// part not cancelled has arrived; "" when it stays as it is (or its state
// machine does not allow the move).
func (o *Order) after(id int64, to SubStatus) (Status, string) {
	cancelled, delivered := 0, 0
	for _, so := range o.SubOrders {
		st := so.Status
		if so.ID == id {
			st = to
		}
		switch st {
		case SubCancelled:
			cancelled++
		case SubDelivered:
			delivered++
		}
	}
	var next Status
	var reason string
	switch n := len(o.SubOrders); {
	case cancelled == n:
		next, reason = Cancelled, "모든 판매 기업이 주문을 취소함"
	case delivered > 0 && cancelled+delivered == n:
		next, reason = Completed, "모든 상품 배송 완료"
	default:
		return "", ""
	}
	if !o.Status.CanTransition(next) {
		return "", ""
	}
	return next, reason
}
