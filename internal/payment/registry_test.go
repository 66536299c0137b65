package payment_test

import (
	"context"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/payment"
)

// card is a card provider that takes webhooks, for the registry's logic.
type card struct{ *payment.Invoice }

func (card) Name() string { return "stripe" }
func (card) VerifyWebhook([]byte, string) (payment.Event, error) {
	return payment.Event{Provider: "stripe"}, nil
}

func TestRegistry(t *testing.T) {
	inv := &payment.Invoice{Account: func(context.Context) (payment.BankAccount, error) {
		return payment.BankAccount{Bank: "농협은행", Number: "301-0123-4567-81", Holder: "두레"}, nil
	}}
	r := payment.NewRegistry(card{&payment.Invoice{}}, inv)
	if r.Card().Name() != "stripe" {
		t.Errorf("card provider %q", r.Card().Name())
	}
	if p, err := r.Provider("invoice"); err != nil || p.Name() != "invoice" {
		t.Errorf("invoice: %v, %v", p, err)
	}
	if _, err := r.Provider("toss"); apperr.Code(err) != apperr.NotFound {
		t.Errorf("unknown provider: %v, want NotFound", err)
	}
	if _, err := r.Verifier("invoice"); apperr.Code(err) != apperr.NotFound {
		t.Errorf("invoice takes no webhooks: %v, want NotFound", err)
	}
	if v, err := r.Verifier("stripe"); err != nil || v == nil {
		t.Errorf("stripe's verifier: %v", err)
	}
	due := time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC)
	ins, err := inv.Instructions(context.Background(), payment.Request{OrderNumber: "D261130-ABCDEFGHJK"}, due)
	if err != nil || ins.Reference != "INV-D261130-ABCDEFGHJK" || ins.Account.Number != "301-0123-4567-81" || !ins.DueDate.Equal(due) {
		t.Errorf("instructions %+v, %v", ins, err)
	}
	if _, err := inv.Refund(context.Background(), "INV-x", 1, "k"); apperr.Code(err) != apperr.Conflict {
		t.Errorf("an invoice refund: %v, want Conflict", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a name twice did not panic")
		}
	}()
	payment.NewRegistry(card{&payment.Invoice{}}, card{&payment.Invoice{}})
}
