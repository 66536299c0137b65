package order

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
)

// Returns after delivery (반품, 청약철회 — 전자상거래법 제17조). A return is
// of one delivered part (sub-order) as a whole: a part has one refund of its
// own (refunds.sub_order_id is unique), so returning some of its lines
// would spend it and leave the rest without one.

// ReturnReason is why the buyer returns a part.
type ReturnReason string

// Return reasons.
const (
	ReasonChangeOfMind ReturnReason = "change_of_mind" // 단순 변심
	ReasonDefective    ReturnReason = "defective"      // 상품 불량
	ReasonWrongItem    ReturnReason = "wrong_item"     // 오배송
	ReasonOther        ReturnReason = "other"          // 기타
)

var reasonLabels = map[ReturnReason]string{
	ReasonChangeOfMind: "단순 변심", ReasonDefective: "상품 불량", ReasonWrongItem: "오배송", ReasonOther: "기타",
}

// ReturnReasons are the reasons in the order of the request form.
func ReturnReasons() []ReturnReason {
	return []ReturnReason{ReasonChangeOfMind, ReasonDefective, ReasonWrongItem, ReasonOther}
}

// Label is the Korean name of the reason ("" for an unknown one).
func (r ReturnReason) Label() string { return reasonLabels[r] }

// SellerFault reports whether the enterprise is at fault (a defect or a
// wrong item): it pays the return shipping, and the buyer has three months
// instead of seven days (전자상거래법 제17조 ③).
func (r ReturnReason) SellerFault() bool { return r == ReasonDefective || r == ReasonWrongItem }

// ReturnStatus is a return's state.
type ReturnStatus string

// Return states: requested → approved (the enterprise collects it) →
// received (inspected; the refund is written) → refunded (the provider
// confirmed it); requested or approved → rejected, with a reason.
const (
	ReturnRequested ReturnStatus = "requested"
	ReturnApproved  ReturnStatus = "approved"
	ReturnReceived  ReturnStatus = "received"
	ReturnRefunded  ReturnStatus = "refunded"
	ReturnRejected  ReturnStatus = "rejected"
)

var returnNext = map[ReturnStatus][]ReturnStatus{
	ReturnRequested: {ReturnApproved, ReturnRejected},
	ReturnApproved:  {ReturnReceived, ReturnRejected},
	ReturnReceived:  {ReturnRefunded},
}

var returnLabels = map[ReturnStatus]string{
	ReturnRequested: "반품 신청", ReturnApproved: "반품 승인 (수거 중)", ReturnReceived: "반품 입고 (환불 처리 중)",
	ReturnRefunded: "반품 환불 완료", ReturnRejected: "반품 거절",
}

// Label is the Korean name of the return status.
func (s ReturnStatus) Label() string { return returnLabels[s] }

// Transition returns apperr.Conflict when a return may not move from s to
// next.
func (s ReturnStatus) Transition(next ReturnStatus) error {
	if s == next {
		return apperr.Errorf(apperr.Conflict, "이미 '%s' 상태인 반품입니다.", next.Label())
	}
	if !slices.Contains(returnNext[s], next) {
		return apperr.Errorf(apperr.Conflict, "반품 상태를 '%s'에서 '%s'(으)로 바꿀 수 없습니다.", s.Label(), next.Label())
	}
	return nil
}

// Open reports whether the return is still in progress.
func (s ReturnStatus) Open() bool {
	return s == ReturnRequested || s == ReturnApproved || s == ReturnReceived
}

// returnEventPrefix marks a return's steps among a sub-order's events
// (order_events.to_status "return_requested", …).
const returnEventPrefix = "return_"

// EventLabel is the Korean name of a sub-order event's state: a sub-order
// status or a return's step; the raw value when unknown.
func EventLabel(to string) string {
	if r, ok := strings.CutPrefix(to, returnEventPrefix); ok {
		if l := ReturnStatus(r).Label(); l != "" {
			return l
		}
	}
	if l := SubStatus(to).Label(); l != "" {
		return l
	}
	return to
}

// Return is a buyer's request to return a delivered part, and what came of
// it. Amounts are integer won: RefundAmount = PaidAmount − ReturnFee.
type Return struct {
	ID           int64
	SubOrderID   int64
	Reason       ReturnReason
	Detail       string
	Status       ReturnStatus
	SellerPays   bool  // the enterprise pays the return shipping
	PaidAmount   int64 // the part's total as paid
	ReturnFee    int64 // the return shipping deducted (0 when the seller pays)
	RefundAmount int64
	RejectReason string
	Restock      *bool // set when received: back in stock (재입고) or not (폐기)
	RequestedBy  int64 // the member who asked; 0 for a guest
	RequestedAt  time.Time
	ApprovedAt   *time.Time
	RejectedAt   *time.Time
	ReceivedAt   *time.Time
	RefundedAt   *time.Time
}

// StatusLabel is the Korean name of the return's status.
func (r *Return) StatusLabel() string { return r.Status.Label() }

// ReasonLabel is the Korean name of the return's reason.
func (r *Return) ReasonLabel() string { return r.Reason.Label() }

// FeePayerLabel says who pays the return shipping, in Korean.
func (r *Return) FeePayerLabel() string {
	if r.SellerPays {
		return "판매 기업 부담"
	}
	return "구매자 부담 (환불 금액에서 차감)"
}

// ReturnFeeFor is the return shipping a buyer pays for a change of mind on
// part so, whose enterprise ships for oneWay now: one way when the buyer
// paid the shipping, both ways when it was free (the outbound leg was the
// enterprise's), never more than the part's total. 0 when the seller pays.
func ReturnFeeFor(so *SubOrder, oneWay int64, sellerPays bool) int64 {
	if sellerPays || oneWay <= 0 {
		return 0
	}
	fee := oneWay
	if so.ShippingFee == 0 {
		fee = 2 * oneWay
	}
	return min(fee, so.Total)
}

// ReturnDeadline is the last day (Korean civil date, at midnight KST) on
// which a return of a part delivered at deliveredAt may be asked for: 7
// days after the day of delivery for a change of mind or another reason,
// three months for a defect or a wrong item (the day of delivery itself is
// not counted, 민법 제157조).
func ReturnDeadline(deliveredAt time.Time, r ReturnReason) time.Time {
	d := deliveredAt.In(kst)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, kst)
	if r.SellerFault() {
		return day.AddDate(0, 3, 0)
	}
	return day.AddDate(0, 0, 7)
}

// withinReturnWindow reports whether now is on or before the deadline's
// day (Korean time).
func withinReturnWindow(deliveredAt, now time.Time, r ReturnReason) bool {
	return now.Before(ReturnDeadline(deliveredAt, r).AddDate(0, 0, 1))
}

// OpenReturn is the part's return in progress, or nil.
func (s *SubOrder) OpenReturn() *Return {
	for _, r := range s.Returns {
		if r.Status.Open() {
			return r
		}
	}
	return nil
}

// LastReturn is the part's latest return (rejected ones too), or nil.
func (s *SubOrder) LastReturn() *Return {
	if len(s.Returns) == 0 {
		return nil
	}
	return s.Returns[len(s.Returns)-1]
}

// returnBlocked says why a return of part so cannot be asked for now
// (nil when it can), for a card order o.
func (o *Order) returnBlocked(so *SubOrder, reason ReturnReason, now time.Time) error {
	switch {
	case o.Terms == TermsInvoice:
		return apperr.Errorf(apperr.Conflict, "기관 주문(청구서 후불)의 반품은 협동조합에 문의해 주세요.")
	case so.Status != SubDelivered || so.DeliveredAt == nil:
		return apperr.Errorf(apperr.Conflict, "배송이 끝난 상품만 반품을 신청할 수 있습니다.")
	case so.OpenReturn() != nil:
		return apperr.Errorf(apperr.Conflict, "이미 반품 신청이 진행 중입니다.")
	case slices.ContainsFunc(so.Returns, func(r *Return) bool { return r.Status == ReturnRefunded }):
		return apperr.Errorf(apperr.Conflict, "이미 반품·환불된 상품입니다.")
	case so.Refund != nil:
		return apperr.Errorf(apperr.Conflict, "이미 환불된 상품입니다.")
	case o.Payment == nil || o.Payment.Status != PaymentSucceeded || o.Payment.Ref == "":
		return apperr.Errorf(apperr.Conflict, "결제가 확인되지 않은 주문은 반품을 신청할 수 없습니다.")
	case onlyServices(so):
		return apperr.Errorf(apperr.Conflict, "서비스는 반품할 수 없습니다. 판매 기업이나 협동조합에 문의해 주세요.")
	}
	if reason != "" && !withinReturnWindow(*so.DeliveredAt, now, reason) {
		if reason.SellerFault() {
			return apperr.Errorf(apperr.Conflict, "상품 불량·오배송 반품은 받은 날부터 3개월(%s까지) 안에 신청할 수 있습니다.",
				ReturnDeadline(*so.DeliveredAt, reason).Format("2006.01.02"))
		}
		return apperr.Errorf(apperr.Conflict, "반품 신청 기간(받은 날부터 7일, %s까지)이 지났습니다. 상품에 문제가 있다면 '상품 불량'이나 '오배송'으로 신청해 주세요.",
			ReturnDeadline(*so.DeliveredAt, reason).Format("2006.01.02"))
	}
	return nil
}

func onlyServices(so *SubOrder) bool {
	for _, l := range so.Lines {
		if l.Kind != catalog.Service {
			return false
		}
	}
	return len(so.Lines) > 0
}

// ReturnRefusal says, in Korean, why the order's buyer may not ask now to
// return part so for any reason; "" when they may (for showing the form;
// RequestReturn decides).
func (o *Order) ReturnRefusal(so *SubOrder, now time.Time) string {
	if err := o.returnBlocked(so, ReasonDefective, now); err != nil {
		return apperr.Message(err)
	}
	return ""
}

// ReturnChange is a return's step, for the store to write with the order's
// row lock: Return is the row as it is to be (ID 0: a new request), From
// its status before ("" for a new one), Event the timeline's text.
type ReturnChange struct {
	Return *Return
	From   ReturnStatus
	Event  string
	// Restock gives the part's stock back (received, 재입고).
	Restock bool
	// Settled: a received return with nothing to refund (the fee took it
	// all) is refunded at once.
	Settled bool
}

// check enforces the return's state machine.
func (rc *ReturnChange) check(o *Order) error {
	r := rc.Return
	so := o.SubOrder(r.SubOrderID)
	if so == nil {
		return fmt.Errorf("order: sub-order %d is not part of %s", r.SubOrderID, o.Number)
	}
	if rc.From == "" {
		if r.ID != 0 || r.Status != ReturnRequested {
			return fmt.Errorf("order: a new return must be requested")
		}
		if so.OpenReturn() != nil {
			return apperr.Errorf(apperr.Conflict, "이미 반품 신청이 진행 중입니다.")
		}
	} else if err := rc.From.Transition(r.Status); err != nil {
		return err
	}
	if r.RefundAmount != r.PaidAmount-r.ReturnFee || r.RefundAmount < 0 || (r.SellerPays && r.ReturnFee != 0) {
		return fmt.Errorf("order: return of sub-order %d: refund %d ≠ paid %d − fee %d", r.SubOrderID,
			r.RefundAmount, r.PaidAmount, r.ReturnFee)
	}
	return nil
}

// ReturnInput is a buyer's return request as typed.
type ReturnInput struct {
	SubOrderID int64
	Reason     ReturnReason
	Detail     string
	// Phone is the buyer's phone, which a guest gives again (a signed-in
	// buyer's own order needs none), as for Cancel.
	Phone string
}

// maxReturnDetail is how long a return's explanation may be, in characters.
const maxReturnDetail = 1000

// RequestReturn asks, for the order's buyer, to return one delivered part
// (in.SubOrderID) of a card order: within 7 days of its delivery (Korean
// dates; three months for a defect or a wrong item), once at a time. The
// buyer is the signed-in member whose order it is, or whoever gives the
// order's phone (apperr.NotFound otherwise, as Cancel). For a change of
// mind (or another reason) the return shipping (ReturnFeeFor) is deducted
// from the refund; the enterprise pays it for a defect or a wrong item.
// apperr.Invalid (Fields: reason, detail) for bad input; apperr.Conflict
// when the part may not be returned (not delivered, too late, a return in
// progress or done, an invoice order).
func (s *Service) RequestReturn(ctx context.Context, number string, in ReturnInput) (*Return, error) {
	in.Detail = strings.TrimSpace(in.Detail)
	f := map[string]string{}
	if in.Reason.Label() == "" {
		f["reason"] = "반품 사유를 골라 주세요."
	}
	switch n := utf8.RuneCountInString(in.Detail); {
	case n > maxReturnDetail:
		f["detail"] = fmt.Sprintf("자세한 내용은 %d자 이하로 적어 주세요.", maxReturnDetail)
	case n == 0 && in.Reason != "" && in.Reason != ReasonChangeOfMind:
		f["detail"] = "어떤 문제가 있는지 적어 주세요."
	}
	if len(f) > 0 {
		return nil, &apperr.Error{Code: apperr.Invalid, Message: "반품 신청 내용을 확인해 주세요.", Fields: f}
	}
	o, err := s.FindOrder(ctx, number)
	if err != nil {
		return nil, err
	}
	var by int64
	if a := account.FromContext(ctx); a != nil && a.APIKeyID == 0 && o.UserID != 0 && a.UserID == o.UserID {
		by = a.UserID
	} else {
		ok, _, err := s.buyerMatches(ctx, o.Number, in.Phone)
		if apperr.Code(err) == apperr.Invalid {
			return nil, &apperr.Error{Code: apperr.Invalid, Message: "주문하신 분의 연락처를 입력해 주세요.",
				Fields: map[string]string{"phone": "주문하신 분의 연락처를 010-1234-5678 형식으로 입력해 주세요."}}
		}
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, &apperr.Error{Code: apperr.NotFound, Message: "연락처가 주문하신 분의 연락처와 다릅니다.",
				Fields: map[string]string{"phone": "연락처가 주문하신 분의 연락처와 다릅니다."}}
		}
	}
	var made *Return
	_, err = s.update(ctx, o.Number, nil, func(o *Order) (Change, error) {
		so := o.SubOrder(in.SubOrderID)
		if so == nil {
			return Change{}, errSubOrderNotFound()
		}
		if err := o.returnBlocked(so, in.Reason, s.now()); err != nil {
			return Change{}, err
		}
		seller := in.Reason.SellerFault()
		fee := ReturnFeeFor(so, so.OneWayShipping, seller)
		made = &Return{SubOrderID: so.ID, Reason: in.Reason, Detail: in.Detail, Status: ReturnRequested,
			SellerPays: seller, PaidAmount: so.Total, ReturnFee: fee, RefundAmount: so.Total - fee, RequestedBy: by}
		return Change{Return: &ReturnChange{Return: made, Event: "반품 신청: " + in.Reason.Label()}}, nil
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("order: return requested", "order", o.Number, "sub_order", in.SubOrderID, "reason", in.Reason)
	return made, nil
}

// changeReturn runs step on the open return of the actor's enterprise's
// sub-order id under the order's row lock (changeSubOrder).
func (s *Service) changeReturn(ctx context.Context, id int64, step func(*Order, *SubOrder, *Return, Party) (Change, error)) (Change, error) {
	return s.changeSubOrder(ctx, id, func(o *Order, so *SubOrder, by Party) (Change, error) {
		r := so.OpenReturn()
		if r == nil {
			return Change{}, apperr.Errorf(apperr.Conflict, "진행 중인 반품 신청이 없습니다.")
		}
		next := *r
		return step(o, so, &next, by)
	})
}

// ApproveReturn approves the return requested for the actor's enterprise's
// sub-order id (the enterprise collects the goods: 수거). sellerPays waives
// the buyer's return shipping (the enterprise pays it); it can only lower
// what the buyer pays. apperr.Conflict when no return awaits approval;
// NotFound as FindEnterpriseSubOrder.
func (s *Service) ApproveReturn(ctx context.Context, id int64, sellerPays bool) error {
	_, err := s.changeReturn(ctx, id, func(o *Order, so *SubOrder, r *Return, by Party) (Change, error) {
		from := r.Status
		r.Status = ReturnApproved
		if sellerPays && !r.SellerPays {
			r.SellerPays, r.ReturnFee, r.RefundAmount = true, 0, r.PaidAmount
		}
		event := by.Label() + " 반품 승인"
		if r.SellerPays {
			event += " (반품 배송비 판매 기업 부담)"
		}
		return Change{Return: &ReturnChange{Return: r, From: from, Event: event}}, nil
	})
	if err == nil {
		s.log.Info("order: return approved", "sub_order", id, "seller_pays", sellerPays)
	}
	return err
}

// RejectReturn rejects the return of the actor's enterprise's sub-order id
// (requested, or approved and found not returnable) for reason (required,
// at most 200 characters), which the buyer is told. apperr.Invalid (Fields:
// reject_reason); apperr.Conflict when no return is open or it was
// received; NotFound as FindEnterpriseSubOrder.
func (s *Service) RejectReturn(ctx context.Context, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return &apperr.Error{Code: apperr.Invalid, Message: "거절 사유를 입력해 주세요.",
			Fields: map[string]string{"reject_reason": "거절 사유를 입력해 주세요. 구매자에게 그대로 전해집니다."}}
	case n > 200:
		return &apperr.Error{Code: apperr.Invalid, Message: "거절 사유는 200자 이하로 입력해 주세요.",
			Fields: map[string]string{"reject_reason": "거절 사유는 200자 이하로 입력해 주세요."}}
	}
	_, err := s.changeReturn(ctx, id, func(o *Order, so *SubOrder, r *Return, by Party) (Change, error) {
		from := r.Status
		r.Status, r.RejectReason = ReturnRejected, reason
		return Change{Return: &ReturnChange{Return: r, From: from, Event: by.Label() + " 반품 거절: " + reason}}, nil
	})
	if err == nil {
		s.log.Info("order: return rejected", "sub_order", id)
	}
	return err
}

// ReceiveReturn records that the returned goods of the actor's
// enterprise's sub-order id arrived and passed inspection (입고 확인):
// restock puts them back in stock (재입고), otherwise they are discarded
// (폐기). The part's refund (RefundAmount, at most what is left of the
// payment) is written with the part's own refund key
// (SubRefundKey: a part is refunded once, cancelled or returned) in the
// same transaction; the provider is called after commit
// and RetryRefunds tries again if it does not answer. Under the order's
// row lock a second call, even a concurrent one, finds the return received
// and gets apperr.Conflict: money and stock go back once. The return
// becomes refunded when the provider confirms the refund. apperr.Conflict
// when no approved return is open; NotFound as FindEnterpriseSubOrder.
func (s *Service) ReceiveReturn(ctx context.Context, id int64, restock bool) error {
	c, err := s.changeReturn(ctx, id, func(o *Order, so *SubOrder, r *Return, by Party) (Change, error) {
		from := r.Status
		if from == ReturnRequested {
			return Change{}, apperr.Errorf(apperr.Conflict, "반품을 승인한 뒤에 입고를 확인할 수 있습니다.")
		}
		r.Status, r.Restock = ReturnReceived, &restock
		event := by.Label() + " 반품 입고 확인 (폐기)"
		if restock {
			event = by.Label() + " 반품 입고 확인 (재입고)"
		}
		c := Change{Return: &ReturnChange{Return: r, From: from, Event: event, Restock: restock}}
		p := o.Payment
		if p == nil || p.Ref == "" {
			return Change{}, fmt.Errorf("order: return of sub-order %d: order %s has no card payment", so.ID, o.Number)
		}
		if amount := min(r.RefundAmount, p.Refundable()); amount > 0 {
			if amount < r.RefundAmount {
				s.log.Error("order: return refund exceeds what is left of the payment", "order", o.Number,
					"sub_order", so.ID, "refund", r.RefundAmount, "refundable", p.Refundable())
			}
			c.Refund = &Refund{PaymentID: p.ID, PaymentRef: p.Ref, SubOrderID: so.ID, Amount: amount,
				Reason: "반품 환불 (" + r.Reason.Label() + ")", IdempotencyKey: SubRefundKey(o.Number, so.ID)}
		} else {
			c.Return.Settled = true
		}
		return c, nil
	})
	if err != nil {
		return err
	}
	s.log.Info("order: return received", "sub_order", id, "restock", restock, "refund", c.Refund != nil)
	if c.Refund != nil {
		s.refund(ctx, c.Refund)
	}
	return nil
}

// ReturnFilter selects returns for the co-op's operators.
type ReturnFilter struct {
	Open   bool // only those in progress, the oldest first (else every one, the newest first)
	Limit  int  // DefaultPageSize when 0, at most MaxPageSize
	Offset int
}

// ReturnSummary is a return with its order and enterprise, for the
// operators' list.
type ReturnSummary struct {
	Return
	OrderNumber    string
	EnterpriseName string
}

// FindReturns lists returns for an operator (account.RequireOperator:
// NotFound for anyone else) and how many match f in all. Read only: the
// enterprise decides, the co-op watches (and acts through the portal on
// the enterprise's behalf when it must).
func (s *Service) FindReturns(ctx context.Context, f ReturnFilter) ([]*ReturnSummary, int, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, 0, err
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	return s.store.FindReturns(ctx, f)
}
