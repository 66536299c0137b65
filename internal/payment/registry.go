package payment

import (
	"fmt"

	"github.com/dure-coop/dure/internal/apperr"
)

// Registry holds the providers by name: "stripe" (card), "invoice" (bank
// transfer), later a Korean payment gateway. Orders store the provider's
// name with each payment and find it here again, so registering one more
// provider never touches orders.
type Registry struct {
	byName map[string]Provider
	card   string
}

// NewRegistry returns a registry whose card payments (checkout's "pay now")
// go to card, with others registered beside it. Two providers with one name
// are a programming error (panic).
func NewRegistry(card Provider, others ...Provider) *Registry {
	r := &Registry{byName: map[string]Provider{}, card: card.Name()}
	for _, p := range append([]Provider{card}, others...) {
		if _, dup := r.byName[p.Name()]; dup {
			panic(fmt.Sprintf("payment: provider %q registered twice", p.Name()))
		}
		r.byName[p.Name()] = p
	}
	return r
}

// Card is the provider that takes card payments at checkout.
func (r *Registry) Card() Provider { return r.byName[r.card] }

// Provider returns the provider registered as name; apperr.NotFound when
// there is none (a webhook for an unknown provider answers 404).
func (r *Registry) Provider(name string) (Provider, error) {
	p, ok := r.byName[name]
	if !ok {
		return nil, apperr.Errorf(apperr.NotFound, "알 수 없는 결제 수단입니다.")
	}
	return p, nil
}

// Verifier returns the webhook verifier of the provider name;
// apperr.NotFound when there is no such provider or it takes no webhooks.
func (r *Registry) Verifier(name string) (WebhookVerifier, error) {
	p, err := r.Provider(name)
	if err != nil {
		return nil, err
	}
	v, ok := p.(WebhookVerifier)
	if !ok {
		return nil, apperr.Errorf(apperr.NotFound, "알 수 없는 결제 수단입니다.")
	}
	return v, nil
}
