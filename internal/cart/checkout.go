package cart

import (
	"context"

	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/pricing"
)

var _ order.Cart = (*Service)(nil)

// CheckoutItems returns the cart's orderable lines priced against the
// catalogue now, and the lines that cannot be ordered as they are, for
// order.Service.Checkout.
func (s *Service) CheckoutItems(ctx context.Context, cartID, postcode string) ([]pricing.Item, []order.Shortage, error) {
	if cartID == "" {
		return nil, nil, nil
	}
	v, err := s.View(ctx, cartID, postcode)
	if err != nil {
		return nil, nil, err
	}
	var short []order.Shortage
	for _, l := range v.Lines {
		if l.Orderable {
			continue
		}
		name := l.Product.Name
		if l.OptionName != "" {
			name += " (" + l.OptionName + ")"
		}
		short = append(short, order.Shortage{Name: name, Kind: l.Product.Kind, Available: l.Available})
	}
	return v.Items(), short, nil
}
