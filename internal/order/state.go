// Package order is checkout and what follows it: one order per checkout, one
// sub-order per enterprise (each enterprise fulfils and is settled for its own
// part), explicit state machines, prices and VAT snapshotted per line.
package order

import (
	"slices"

	"github.com/dure-coop/dure/internal/apperr"
)

// Status is an order's state.
type Status string

// Order states. pending_payment → paid → completed; pending_payment or paid →
// cancelled. An invoice order starts confirmed (it goes to fulfilment
// unpaid) → completed or cancelled; its money is the invoice's business.
const (
	PendingPayment Status = "pending_payment"
	Confirmed      Status = "confirmed"
	Paid           Status = "paid"
	Completed      Status = "completed"
	Cancelled      Status = "cancelled"
)

var orderNext = map[Status][]Status{
	PendingPayment: {Paid, Cancelled},
	Confirmed:      {Completed, Cancelled},
	Paid:           {Completed, Cancelled},
}

var statusLabels = map[Status]string{
	PendingPayment: "결제 대기", Confirmed: "주문 확정 (후불)", Paid: "결제 완료", Completed: "구매 확정", Cancelled: "취소됨",
}

// Label is the Korean name of the status.
func (s Status) Label() string { return statusLabels[s] }

// CanTransition reports whether an order may move from s to next.
func (s Status) CanTransition(next Status) bool { return slices.Contains(orderNext[s], next) }

// Transition returns apperr.Conflict when an order may not move from s to next.
func (s Status) Transition(next Status) error {
	if !s.CanTransition(next) {
		return apperr.Errorf(apperr.Conflict, "주문 상태를 '%s'에서 '%s'(으)로 바꿀 수 없습니다.", s.Label(), next.Label())
	}
	return nil
}

// SubStatus is a sub-order's (one enterprise's part) state.
type SubStatus string

// Sub-order states. pending_payment → paid → accepted → shipped → delivered;
// pending_payment, paid or accepted → cancelled. An invoice order's parts
// start confirmed, which the enterprise treats as paid (accept, ship) while
// nothing says money came.
const (
	SubPendingPayment SubStatus = "pending_payment"
	SubConfirmed      SubStatus = "confirmed"
	SubPaid           SubStatus = "paid"
	SubAccepted       SubStatus = "accepted"
	SubShipped        SubStatus = "shipped"
	SubDelivered      SubStatus = "delivered"
	SubCancelled      SubStatus = "cancelled"
)

var subNext = map[SubStatus][]SubStatus{
	SubPendingPayment: {SubPaid, SubCancelled},
	SubConfirmed:      {SubAccepted, SubCancelled},
	SubPaid:           {SubAccepted, SubCancelled},
	SubAccepted:       {SubShipped, SubCancelled},
	SubShipped:        {SubDelivered},
}

var subLabels = map[SubStatus]string{
	SubPendingPayment: "결제 대기", SubConfirmed: "주문 확정 (후불)", SubPaid: "결제 완료", SubAccepted: "주문 접수",
	SubShipped: "배송 중", SubDelivered: "배송 완료", SubCancelled: "취소됨",
}

// Label is the Korean name of the sub-order status.
func (s SubStatus) Label() string { return subLabels[s] }

// CanTransition reports whether a sub-order may move from s to next.
func (s SubStatus) CanTransition(next SubStatus) bool { return slices.Contains(subNext[s], next) }

// Transition returns apperr.Conflict when a sub-order may not move from s to next.
func (s SubStatus) Transition(next SubStatus) error {
	if !s.CanTransition(next) {
		return apperr.Errorf(apperr.Conflict, "배송 상태를 '%s'에서 '%s'(으)로 바꿀 수 없습니다.", s.Label(), next.Label())
	}
	return nil
}

// AwaitsAcceptance reports whether the part waits for its enterprise to
// accept it: paid, or confirmed on invoice.
func (s SubStatus) AwaitsAcceptance() bool { return s == SubPaid || s == SubConfirmed }

// Cancellable reports whether a consumer may still cancel a sub-order in s
// (nothing has shipped).
func (s SubStatus) Cancellable() bool { return s.CanTransition(SubCancelled) }

// Party is who cancelled a sub-order.
type Party string

// Parties.
const (
	PartyBuyer      Party = "buyer"
	PartyEnterprise Party = "enterprise"
	PartyOperator   Party = "operator" // the co-op, acting on behalf of the enterprise
	PartySystem     Party = "system"   // unpaid in time, or the payment failed
)

var partyLabels = map[Party]string{
	PartyBuyer: "구매자", PartyEnterprise: "판매 기업", PartyOperator: "운영자", PartySystem: "자동 취소",
}

// Label is the Korean name of the party ("" for none).
func (p Party) Label() string { return partyLabels[p] }
