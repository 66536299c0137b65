package order

import (
	"context"

	"github.com/dure-coop/dure/internal/coop"
)

// Todo is what waits for an institution's buyers: the parts to inspect
// (검수), of them those past their 검수 deadline, what the institution owes
// on its invoices and how many are overdue, and card-terms orders still to
// pay.
type Todo struct {
	PartsToInspect  int
	PartsPastDue    int   // not yet inspected, deadline passed
	InvoiceBalance  int64 // 원 claimed and not yet paid, over all invoices
	InvoicesOverdue int   // invoices whose claims past due are not covered
	CardOrdersToPay int   // card-terms orders waiting for payment
}

// InstitutionTodo counts what waits for the actor's institution (a
// buyer's own; the scope's error for anyone else). The rules are those of
// the order page: a part may be inspected once shipped or delivered and
// not passed (a rejected part again); its deadline is the delivery notice
// plus the co-op's inspection days; an invoice is overdue as StatusOf says.
func (s *Service) InstitutionTodo(ctx context.Context) (Todo, error) {
	inst, err := institutionScope(ctx)
	if err != nil {
		return Todo{}, err
	}
	st, _, err := s.settings(ctx)
	if err != nil {
		return Todo{}, err
	}
	return s.store.InstitutionTodo(ctx, inst, coop.DateOf(s.now()), st.InspectionDays)
}
