package order

import (
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
)

func TestOrderTransitions(t *testing.T) {
	tests := []struct {
		from, to Status
		ok       bool
	}{
		{PendingPayment, Paid, true},
		{PendingPayment, Cancelled, true},
		{Paid, Completed, true},
		{Paid, Cancelled, true},
		{Paid, PendingPayment, false},
		{Completed, Cancelled, false},
		{Cancelled, Paid, false},
		{PendingPayment, Completed, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"->"+string(tt.to), func(t *testing.T) {
			err := tt.from.Transition(tt.to)
			if (err == nil) != tt.ok {
				t.Fatalf("Transition = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && apperr.Code(err) != apperr.Conflict {
				t.Fatalf("code = %s, want conflict", apperr.Code(err))
			}
		})
	}
}

func TestSubOrderTransitions(t *testing.T) {
	path := []SubStatus{SubPendingPayment, SubPaid, SubAccepted, SubShipped, SubDelivered}
	for i := 0; i+1 < len(path); i++ {
		if err := path[i].Transition(path[i+1]); err != nil {
			t.Errorf("%s -> %s: %v", path[i], path[i+1], err)
		}
		if path[i+1].CanTransition(path[i]) {
			t.Errorf("%s -> %s allowed backwards", path[i+1], path[i])
		}
	}
	if SubShipped.Cancellable() || SubDelivered.Cancellable() || SubCancelled.Cancellable() {
		t.Error("shipped, delivered or cancelled parts must not be cancellable")
	}
	if !SubPaid.Cancellable() || !SubAccepted.Cancellable() {
		t.Error("paid and accepted parts must be cancellable")
	}
}
