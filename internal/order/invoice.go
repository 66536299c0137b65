package order

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/textin"
)

// Auditor builds the audit record a store writes with the change
// (*account.Service is one).
type Auditor interface {
	NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error)
}

// InspectionResult is the outcome of a buyer's 검수 of one part.
type InspectionResult string

// Inspection results.
const (
	InspectPass    InspectionResult = "pass"
	InspectPartial InspectionResult = "partial" // some lines or quantities accepted
	InspectReject  InspectionResult = "reject"
)

// Label is the Korean name of the result.
func (r InspectionResult) Label() string {
	return map[InspectionResult]string{InspectPass: "합격", InspectPartial: "부분 합격", InspectReject: "불합격"}[r]
}

// Inspection is a buyer's 검수 of one sub-order.
type Inspection struct {
	SubOrderID int64
	Date       time.Time // civil date of the 검수
	Inspector  string
	Result     InspectionResult
	Reason     string        // required for partial and reject
	Accepted   map[int64]int // order line id → accepted quantity (every line of the part)
	UserID     int64         // who recorded it
	RecordedAt time.Time
}

// PaymentClaim is the payment claim (대금 청구) a passed or partial 검수 starts.
type PaymentClaim struct {
	SubOrderID int64
	Amount     int64
	Date       time.Time // civil date: the 검수's
	Due        time.Time // Date plus the claim's working days
}

// Transfer is a bank transfer the operator recorded against an invoice.
type Transfer struct {
	ID         int64
	Date       time.Time // civil date it arrived
	Amount     int64
	Payer      string
	Reference  string
	RecordedBy int64 // the operator's user id
	RecordedAt time.Time
}

// InspectionInput is the buyer's 검수 form.
type InspectionInput struct {
	Date      string // YYYY-MM-DD (or YYYY.MM.DD)
	Inspector string
	Result    InspectionResult
	Reason    string
	// Accepted is, for a partial result, the accepted quantity per order
	// line id; a line left out is accepted in full.
	Accepted map[int64]int
}

// InspectionWrite is what Inspect decided, for the store to write under
// the order's row lock.
type InspectionWrite struct {
	Inspection Inspection
	Claim      *PaymentClaim // nil for a rejection
	Change     Change        // the part's move to delivered, and the order's
}

// InvoiceData is what the store holds of an invoice order.
type InvoiceData struct {
	Order       *Order
	Inspections map[int64]*Inspection   // by sub-order id
	Claims      map[int64]*PaymentClaim // by sub-order id
	Transfers   []Transfer
}

// InvoiceStatus is where an invoice's money stands.
type InvoiceStatus string

// Invoice statuses. An overdue invoice is flagged, never cancelled.
const (
	InvoiceUnpaid  InvoiceStatus = "unpaid"
	InvoicePartial InvoiceStatus = "partial"
	InvoicePaid    InvoiceStatus = "paid"
	InvoiceOverdue InvoiceStatus = "overdue"
)

// Label is the Korean name of the status.
func (s InvoiceStatus) Label() string {
	return map[InvoiceStatus]string{InvoiceUnpaid: "미입금", InvoicePartial: "부분 입금", InvoicePaid: "입금 완료",
		InvoiceOverdue: "연체"}[s]
}

// StatusOf is an invoice's status: overdue when the claims past due are not
// covered by what was paid; paid when every live part is claimed and all of
// it is paid; partial when something was paid; unpaid otherwise. The
// console's list filters by the same rule (postgres.invoiceStatusSQL).
func StatusOf(claimed, pastDue, paid int64, open int) InvoiceStatus {
	switch {
	case pastDue > paid:
		return InvoiceOverdue
	case open == 0 && claimed > 0 && paid >= claimed:
		return InvoicePaid
	case paid > 0:
		return InvoicePartial
	}
	return InvoiceUnpaid
}

// InvoicePart is one sub-order on the invoice: its 검수 deadline, its 검수
// and its claim.
type InvoicePart struct {
	*SubOrder
	Notice     *time.Time // the delivery notice: delivered, else shipped
	Deadline   time.Time  // civil date: Notice + inspection days (zero before the notice)
	DaysLeft   int        // to Deadline, negative past it
	PastDue    bool       // past the deadline and not inspected (flagged)
	Inspection *Inspection
	Claim      *PaymentClaim
}

// Invoice is an invoice order as its buyer and the operator see it.
type Invoice struct {
	Order     *Order
	Reference string
	Account   payment.BankAccount
	Parts     []*InvoicePart
	Claimed   int64 // the amount due: the sum of the claims
	Paid      int64
	Balance   int64 // Claimed - Paid, at least 0
	NextDue   time.Time
	Status    InvoiceStatus
	Transfers []Transfer
}

// Part returns the invoice part of sub-order id, or nil.
func (v *Invoice) Part(id int64) *InvoicePart {
	for _, p := range v.Parts {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func errInvoiceNotFound() error {
	return apperr.Errorf(apperr.NotFound, "청구서를 찾을 수 없습니다.")
}

// canSeeInvoice is the rule: an operator sees every invoice, a buyer those
// of their own institution; anyone else is told it does not exist.
func canSeeInvoice(a *account.Actor, o *Order) bool {
	if a.IsOperator() {
		return true
	}
	return a.Role == account.InstitutionUser && a.InstitutionID != 0 && a.InstitutionID == o.InstitutionID
}

func (s *Service) settings(ctx context.Context) (*coop.Settings, coop.Calendar, error) {
	if s.cfg.Coop == nil {
		return &coop.Settings{InspectionDays: coop.DefaultInspectionDays, ClaimWorkingDays: coop.DefaultClaimWorkingDays}, coop.Calendar{}, nil
	}
	st, err := s.cfg.Coop.Settings(ctx)
	if err != nil {
		return nil, nil, err
	}
	cal, err := s.cfg.Coop.Calendar(ctx, coop.DateOf(s.now()).AddDate(-1, 0, 0))
	if err != nil {
		return nil, nil, err
	}
	return st, cal, nil
}

// InvoiceFor returns the invoice of an invoice order: each part's 검수
// deadline (counting down, flagged past it), 검수 and claim, the claims'
// sum (the amount due), the transfers recorded, the balance and the status,
// with the co-op's account and the reference from the invoice provider.
// For an operator, or a buyer of the order's institution; apperr.NotFound
// for anyone else and for an order not on invoice.
func (s *Service) InvoiceFor(ctx context.Context, orderID int64) (*Invoice, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.store.FindInvoice(ctx, orderID)
	if apperr.Code(err) == apperr.NotFound {
		return nil, errInvoiceNotFound()
	}
	if err != nil {
		return nil, err
	}
	if d.Order.Terms != TermsInvoice || !canSeeInvoice(a, d.Order) {
		return nil, errInvoiceNotFound()
	}
	st, _, err := s.settings(ctx)
	if err != nil {
		return nil, err
	}
	return s.invoice(ctx, d, st)
}

func (s *Service) invoice(ctx context.Context, d *InvoiceData, st *coop.Settings) (*Invoice, error) {
	o := d.Order
	today := coop.DateOf(s.now())
	v := &Invoice{Order: o, Transfers: d.Transfers}
	open := 0
	var pastDue int64
	for _, so := range o.SubOrders {
		p := &InvoicePart{SubOrder: so, Inspection: d.Inspections[so.ID], Claim: d.Claims[so.ID]}
		p.Notice = so.DeliveredAt
		if p.Notice == nil {
			p.Notice = so.ShippedAt
		}
		if p.Notice != nil {
			p.Deadline = coop.DateOf(*p.Notice).AddDate(0, 0, st.InspectionDays)
			p.DaysLeft = int(p.Deadline.Sub(today).Hours() / 24)
			p.PastDue = p.Inspection == nil && today.After(p.Deadline)
		}
		if c := p.Claim; c != nil {
			v.Claimed += c.Amount
			if today.After(c.Due) {
				pastDue += c.Amount
			}
		} else if so.Status != SubCancelled {
			open++
		}
		v.Parts = append(v.Parts, p)
	}
	for _, t := range d.Transfers {
		v.Paid += t.Amount
	}
	v.Balance = max(v.Claimed-v.Paid, 0)
	v.Status = StatusOf(v.Claimed, pastDue, v.Paid, open)
	// The next due date is that of the first claim the payments do not cover.
	covered := v.Paid
	for _, p := range sortedClaims(v.Parts) {
		if covered >= p.Claim.Amount {
			covered -= p.Claim.Amount
			continue
		}
		v.NextDue = p.Claim.Due
		break
	}
	if prov, err := s.payments.Provider(payment.InvoiceName); err == nil {
		if in, ok := prov.(payment.Instructor); ok {
			ins, err := in.Instructions(ctx, payment.Request{OrderNumber: o.Number, Amount: v.Claimed}, v.NextDue)
			if err != nil {
				return nil, err
			}
			v.Reference, v.Account = ins.Reference, ins.Account
		}
	}
	if v.Reference == "" {
		v.Reference = payment.InvoiceReference(o.Number)
	}
	if v.Account.Number == "" && st.BankAccount != "" {
		v.Account = payment.BankAccount{Bank: st.BankName, Number: st.BankAccount, Holder: st.BankHolder}
	}
	return v, nil
}

// sortedClaims returns the parts with a claim, earliest due first.
func sortedClaims(parts []*InvoicePart) []*InvoicePart {
	var out []*InvoicePart
	for _, p := range parts {
		if p.Claim != nil {
			out = append(out, p)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Claim.Due.Before(out[j-1].Claim.Due); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

var (
	inspectorRule     = textin.Rule{Label: "검수자 이름", Required: true, Max: 30}
	inspectReasonRule = textin.Rule{Label: "사유", Max: 500, Multiline: true}
)

// Inspect records the buyer's 검수 of sub-order subOrderID of an invoice
// order: allowed once its enterprise shipped it (shipped or delivered; a
// shipped part becomes delivered), by a buyer of the order's institution
// (anyone else: apperr.NotFound). Pass and partial start the part's payment
// claim: pass claims the part's total, partial the accepted quantities at
// their unit prices plus the part's agreed shipping; the claim's date is the
// 검수's and it is due claim_working_days working days later (weekends and
// holidays skipped). A rejected part may be inspected again; a passed or
// partial one is final (apperr.Conflict). apperr.Invalid with Fields date,
// inspector, result, reason and accepted for a wrong form.
func (s *Service) Inspect(ctx context.Context, subOrderID int64, in InspectionInput) (*Invoice, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role != account.InstitutionUser || a.InstitutionID == 0 {
		return nil, errSubOrderNotFound()
	}
	st, cal, err := s.settings(ctx)
	if err != nil {
		return nil, err
	}
	in.Inspector = strings.TrimSpace(in.Inspector)
	in.Reason = strings.TrimSpace(textin.NormalizeNewlines(in.Reason))
	f := map[string]string{}
	day, ok := coop.ParseDate(in.Date)
	today := coop.DateOf(s.now())
	switch {
	case !ok:
		f["date"] = "검수일을 2026-09-25 형식으로 입력해 주세요."
	case day.After(today):
		f["date"] = "검수일은 오늘이나 그 이전이어야 합니다."
	}
	if msg := inspectorRule.Message(in.Inspector); msg != "" {
		f["inspector"] = msg
	}
	if in.Result.Label() == "" {
		f["result"] = "검수 결과를 선택해 주세요."
	} else if in.Result != InspectPass && in.Reason == "" {
		f["reason"] = "부분 합격이나 불합격은 사유를 입력해 주세요."
	}
	if msg := inspectReasonRule.Message(in.Reason); msg != "" && f["reason"] == "" {
		f["reason"] = msg
	}
	if len(f) > 0 {
		return nil, &apperr.Error{Code: apperr.Invalid, Message: "검수 내용을 확인해 주세요.", Fields: f}
	}
	var orderID int64
	err = s.store.InspectSubOrder(ctx, subOrderID, func(o *Order, so *SubOrder, prev *Inspection) (InspectionWrite, error) {
		orderID = o.ID
		if o.Terms != TermsInvoice || o.InstitutionID != a.InstitutionID {
			return InspectionWrite{}, errSubOrderNotFound()
		}
		if prev != nil && prev.Result != InspectReject {
			return InspectionWrite{}, apperr.Errorf(apperr.Conflict, "이미 검수를 마친 주문입니다.")
		}
		if so.Status != SubShipped && so.Status != SubDelivered {
			return InspectionWrite{}, apperr.Errorf(apperr.Conflict, "판매 기업이 발송한 뒤에 검수할 수 있습니다.")
		}
		notice := so.DeliveredAt
		if notice == nil {
			notice = so.ShippedAt
		}
		if notice != nil && day.Before(coop.DateOf(*notice)) {
			return InspectionWrite{}, &apperr.Error{Code: apperr.Invalid, Message: "검수 내용을 확인해 주세요.",
				Fields: map[string]string{"date": "검수일은 발송일(" + kr.Date(*notice) + ") 이후여야 합니다."}}
		}
		w := InspectionWrite{Inspection: Inspection{SubOrderID: so.ID, Date: day, Inspector: in.Inspector,
			Result: in.Result, Reason: in.Reason, Accepted: map[int64]int{}, UserID: a.UserID}}
		var accepted int64
		for _, l := range so.Lines {
			q := l.Quantity
			switch in.Result {
			case InspectReject:
				q = 0
			case InspectPartial:
				if v, given := in.Accepted[l.ID]; given {
					if v < 0 || v > l.Quantity {
						return InspectionWrite{}, &apperr.Error{Code: apperr.Invalid, Message: "검수 내용을 확인해 주세요.",
							Fields: map[string]string{"accepted": "'" + l.Name + "'의 합격 수량은 0개에서 " +
								kr.Comma(int64(l.Quantity)) + "개 사이여야 합니다."}}
					}
					q = v
				}
			}
			w.Inspection.Accepted[l.ID] = q
			accepted += l.UnitPrice * int64(q)
		}
		if in.Result == InspectPartial && accepted == 0 {
			return InspectionWrite{}, &apperr.Error{Code: apperr.Invalid, Message: "검수 내용을 확인해 주세요.",
				Fields: map[string]string{"accepted": "부분 합격이면 합격 수량을 한 개 이상 입력해 주세요. 모두 받지 않으면 불합격을 고르세요."}}
		}
		if in.Result == InspectPartial && accepted == so.ItemsTotal {
			return InspectionWrite{}, &apperr.Error{Code: apperr.Invalid, Message: "검수 내용을 확인해 주세요.",
				Fields: map[string]string{"accepted": "부분 합격이면 합격 수량을 주문 수량보다 적게 입력해 주세요."}}
		}
		if in.Result != InspectReject {
			w.Claim = &PaymentClaim{SubOrderID: so.ID, Amount: accepted + so.ShippingFee, Date: day,
				Due: cal.AddWorkingDays(day, st.ClaimWorkingDays)}
		}
		reason := "검수 " + in.Result.Label() + " (" + in.Inspector + ")"
		if so.Status == SubShipped {
			w.Change = Change{Sub: &SubChange{ID: so.ID, To: SubDelivered, Reason: reason}}
			w.Change.To, w.Change.Reason = o.after(so.ID, SubDelivered)
		} else {
			w.Change = Change{Note: reason}
		}
		return w, w.Change.check(o)
	})
	if apperr.Code(err) == apperr.NotFound {
		return nil, errSubOrderNotFound()
	}
	if err != nil {
		return nil, err
	}
	s.log.Info("order: sub-order inspected", "sub_order", subOrderID, "result", in.Result)
	return s.InvoiceFor(ctx, orderID)
}

// InvoiceFilter selects invoices for the console.
type InvoiceFilter struct {
	Status InvoiceStatus // "" for all
	Limit  int
	Offset int
}

// InvoiceSummary is one row of the console's invoice list.
type InvoiceSummary struct {
	OrderID         int64
	Number          string
	InstitutionName string
	CreatedAt       time.Time
	Total           int64
	Claimed         int64
	Paid            int64
	Status          InvoiceStatus
}

// FindInvoices lists the invoice orders for operators (else
// apperr.NotFound), newest first, with how many match in all.
// apperr.Invalid for an unknown status.
func (s *Service) FindInvoices(ctx context.Context, f InvoiceFilter) ([]*InvoiceSummary, int, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, 0, err
	}
	if f.Status != "" && f.Status.Label() == "" {
		return nil, 0, apperr.Errorf(apperr.Invalid, "청구서 상태를 확인해 주세요.")
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	return s.store.FindInvoices(ctx, f, coop.DateOf(s.now()))
}

// TransferInput is the operator's record of a bank transfer.
type TransferInput struct {
	Date      string // YYYY-MM-DD
	Amount    string // 원, commas allowed
	Payer     string
	Reference string
}

var (
	payerRule     = textin.Rule{Label: "입금자", Required: true, Max: 50}
	referenceRule = textin.Rule{Label: "입금 메모", Max: 100}
)

// RecordTransfer records a bank transfer against invoice order orderID,
// for operators (else apperr.NotFound), audited. Partial payments are kept
// one by one; a transfer taking the paid sum past the claimed sum is
// refused (apperr.Invalid on amount). apperr.Invalid with Fields date,
// amount, payer and reference for a wrong form.
func (s *Service) RecordTransfer(ctx context.Context, orderID int64, in TransferInput) error {
	op, err := account.RequireOperator(ctx)
	if err != nil {
		return err
	}
	in.Payer, in.Reference = strings.TrimSpace(in.Payer), strings.TrimSpace(in.Reference)
	f := map[string]string{}
	day, ok := coop.ParseDate(in.Date)
	switch {
	case !ok:
		f["date"] = "입금일을 2026-09-25 형식으로 입력해 주세요."
	case day.After(coop.DateOf(s.now())):
		f["date"] = "입금일은 오늘이나 그 이전이어야 합니다."
	}
	amount, ok := parseWon(in.Amount)
	if !ok {
		f["amount"] = "입금액을 원 단위 숫자로 입력해 주세요."
	}
	if msg := payerRule.Message(in.Payer); msg != "" {
		f["payer"] = msg
	}
	if msg := referenceRule.Message(in.Reference); msg != "" {
		f["reference"] = msg
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "입금 내용을 확인해 주세요.", Fields: f}
	}
	t := Transfer{Date: day, Amount: amount, Payer: in.Payer, Reference: in.Reference, RecordedBy: op.UserID}
	var audit *account.AuditRecord
	if s.cfg.Auditor != nil {
		audit, err = s.cfg.Auditor.NewAuditRecord(ctx, account.AuditEntry{Action: "invoice.transfer", Entity: "order",
			EntityID: kr.Comma(orderID), After: t})
		if err != nil {
			return err
		}
	}
	err = s.store.AddTransfer(ctx, orderID, t, audit, func(d *InvoiceData) error {
		if d.Order.Terms != TermsInvoice {
			return errInvoiceNotFound()
		}
		var claimed, paid int64
		for _, c := range d.Claims {
			claimed += c.Amount
		}
		for _, x := range d.Transfers {
			paid += x.Amount
		}
		if paid+amount > claimed {
			msg := "청구된 금액보다 많이 입금 기록할 수 없습니다. 남은 청구액: " + kr.Won(max(claimed-paid, 0))
			return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"amount": msg}}
		}
		return nil
	})
	if apperr.Code(err) == apperr.NotFound {
		return errInvoiceNotFound()
	}
	return err
}

// parseWon reads a positive amount of won, "1,200,000" or "1200000".
func parseWon(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSuffix(strings.TrimSpace(s), "원"), ",", "")
	if s == "" || utf8.RuneCountInString(s) > 13 {
		return 0, false
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, n > 0
}

// institutionScope is the institution whose orders the actor sees: a
// buyer's own. Unauthorized when anonymous; Forbidden for anyone else.
func institutionScope(ctx context.Context) (int64, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return 0, err
	}
	if a.Role != account.InstitutionUser || a.InstitutionID == 0 {
		return 0, apperr.Errorf(apperr.Forbidden, "기관 구매담당자만 쓸 수 있는 화면입니다.")
	}
	return a.InstitutionID, nil
}

// FindInstitutionOrders lists the orders of the actor's institution (a
// buyer's; every colleague's orders), newest first, with parts, lines and
// payment, and how many there are in all.
func (s *Service) FindInstitutionOrders(ctx context.Context, f UserOrderFilter) ([]*Order, int, error) {
	inst, err := institutionScope(ctx)
	if err != nil {
		return nil, 0, err
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	return s.store.FindInstitutionOrders(ctx, inst, f)
}

// InvoiceStatuses returns the invoice status of each of orders that is on
// invoice and of the actor's institution (the list of FindInstitutionOrders),
// by order id, read at once: the same status InvoiceFor says.
func (s *Service) InvoiceStatuses(ctx context.Context, orders []*Order) (map[int64]InvoiceStatus, error) {
	inst, err := institutionScope(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, o := range orders {
		if o.Terms == TermsInvoice {
			ids = append(ids, o.ID)
		}
	}
	if len(ids) == 0 {
		return map[int64]InvoiceStatus{}, nil
	}
	return s.store.FindInvoiceStatuses(ctx, inst, ids, coop.DateOf(s.now()))
}

// FindInstitutionOrder returns order orderID of the actor's institution
// (its invoice: InvoiceFor); apperr.NotFound when there is none or it is
// another institution's.
func (s *Service) FindInstitutionOrder(ctx context.Context, orderID int64) (*Order, error) {
	inst, err := institutionScope(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.store.FindInvoice(ctx, orderID)
	if err != nil || d.Order.InstitutionID != inst {
		if err == nil || apperr.Code(err) == apperr.NotFound {
			return nil, notFoundOrder()
		}
		return nil, err
	}
	return d.Order, nil
}

func notFoundOrder() error {
	return apperr.Errorf(apperr.NotFound, "주문을 찾을 수 없습니다.")
}

// FindInstitutionOrderByNumber is FindInstitutionOrder by the order's
// number: apperr.NotFound for a malformed number, none, or another
// institution's.
func (s *Service) FindInstitutionOrderByNumber(ctx context.Context, number string) (*Order, error) {
	inst, err := institutionScope(ctx)
	if err != nil {
		return nil, err
	}
	number = NormalizeNumber(number)
	if !ValidNumber(number) {
		return nil, notFoundOrder()
	}
	o, err := s.store.FindOrderByNumber(ctx, number)
	if err != nil || o.InstitutionID != inst {
		if err == nil || apperr.Code(err) == apperr.NotFound {
			return nil, notFoundOrder()
		}
		return nil, err
	}
	return o, nil
}
