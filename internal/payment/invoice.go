package payment

import (
	"context"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
)

// InvoiceName is the invoice provider's name.
const InvoiceName = "invoice"

// BankAccount is where an invoice is paid.
type BankAccount struct {
	Bank, Number, Holder string
}

// Instructions tell a buyer how to pay an invoice: to which account, under
// which reference, by when.
type Instructions struct {
	Account   BankAccount
	Reference string    // what the buyer writes on the transfer
	DueDate   time.Time // civil date; zero until a claim is due
}

// Instructor is implemented by providers paid by the buyer's own transfer
// (no money is taken by the provider): they say how to pay.
type Instructor interface {
	Instructions(ctx context.Context, r Request, due time.Time) (Instructions, error)
}

// Invoice is the bank-transfer provider: nothing is charged; the buyer
// transfers to the co-op's account with the invoice's reference, and the
// operator records what arrived. Account reads the co-op's account at the
// time of asking (a setting).
type Invoice struct {
	Account func(ctx context.Context) (BankAccount, error)
}

var (
	_ Provider   = (*Invoice)(nil)
	_ Instructor = (*Invoice)(nil)
)

// Name is "invoice".
func (*Invoice) Name() string { return InvoiceName }

// InvoiceReference is the reference of an order's invoice: "INV-" and the
// order number.
func InvoiceReference(orderNumber string) string { return "INV-" + orderNumber }

// CreatePayment charges nothing: the reference is the invoice's, and there
// is no client secret.
func (*Invoice) CreatePayment(_ context.Context, r Request) (string, string, error) {
	return InvoiceReference(r.OrderNumber), "", nil
}

// Refund is refused: money that came by transfer goes back by a transfer
// the co-op makes itself.
func (*Invoice) Refund(context.Context, string, int64, string) (string, error) {
	return "", apperr.Errorf(apperr.Conflict, "계좌이체로 받은 대금은 운영자가 직접 이체해 돌려 드립니다.")
}

// Status is pending: an invoice is settled by recorded transfers, not here.
func (*Invoice) Status(context.Context, string) (Status, error) { return StatusPending, nil }

// Cancel always succeeds: nothing can be taken through an invoice.
func (*Invoice) Cancel(context.Context, string, string) (Status, error) { return StatusCancelled, nil }

// Instructions are the co-op's account, the invoice's reference and due.
func (p *Invoice) Instructions(ctx context.Context, r Request, due time.Time) (Instructions, error) {
	var acct BankAccount
	if p.Account != nil {
		var err error
		if acct, err = p.Account(ctx); err != nil {
			return Instructions{}, err
		}
	}
	return Instructions{Account: acct, Reference: InvoiceReference(r.OrderNumber), DueDate: due}, nil
}
