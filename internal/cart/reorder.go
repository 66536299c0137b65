package cart

import (
	"context"
	"fmt"

	"github.com/dure-coop/dure/internal/catalog"
)

// Again is a line of a past order to put into the cart again (재주문).
type Again struct {
	Key
	Quantity int
	// Name is the product's name at order time (with its option), for
	// the messages about a line no longer sold.
	Name string
	// Part, when Key is a joint product (공동상품), is one of its parts as
	// the order held it, with PartQuantity its units in all the bundles:
	// the bundles ordered are PartQuantity over the part's units per
	// bundle now.
	Part         Key
	PartQuantity int
}

// Reorder adds what can still be bought of lines to the cart: each line at
// its quantity, reduced to what the stock (and MaxQuantity) leaves beside
// what the cart already holds, and left out when the product or option is
// no longer sold, sold out, or the cart is full. It returns how many lines
// it added and a Korean message for each line left out or reduced. Like Add,
// each line grows in one atomic step that never passes the stock read, so
// the cart never holds more than the stock; the stock itself is reserved
// only at checkout.
func (s *Service) Reorder(ctx context.Context, cartID string, lines []Again) (int, []string, error) {
	if len(lines) == 0 {
		return 0, nil, nil
	}
	held, err := s.store.Lines(ctx, cartID)
	if err != nil {
		return 0, nil, err
	}
	have := map[Key]int{}
	for _, l := range held {
		have[l.Key] = l.Quantity
	}
	ids := make([]int64, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.ProductID)
	}
	products, err := s.find(ctx, ids)
	if err != nil {
		return 0, nil, err
	}
	var notes []string
	added := 0
	for _, l := range lines {
		want := l.Quantity
		if p := products.products[l.ProductID]; p != nil && len(p.Parts) > 0 {
			want = bundles(p.Parts, l)
		}
		p, price, stock, serr := sellable(products, l.Key)
		if serr != nil || want < 1 {
			notes = append(notes, fmt.Sprintf("'%s'은(는) 지금 판매하지 않거나 품절되어 담지 못했습니다.", l.Name))
			continue
		}
		room := min(stock, MaxQuantity) - have[l.Key]
		if room < 1 {
			notes = append(notes, fmt.Sprintf("'%s'은(는) 장바구니에 이미 %s 담겨 있어 더 담지 않았습니다.", p.Name, unitCount(p, have[l.Key])))
			continue
		}
		q := min(want, room)
		r, aerr := s.store.Add(ctx, cartID, Line{Key: l.Key, Quantity: q, PriceAtAdd: price}, min(stock, MaxQuantity), MaxLines)
		switch {
		case aerr != nil:
			return added, notes, aerr
		case r.Full:
			notes = append(notes, fmt.Sprintf("장바구니에는 %d종류까지 담을 수 있어 '%s'을(를) 담지 못했습니다.", MaxLines, p.Name))
			continue
		case r.After == r.Before:
			// Another tab filled the line meanwhile.
			notes = append(notes, fmt.Sprintf("'%s'은(는) 남은 수량이 없어 담지 못했습니다.", p.Name))
			continue
		}
		added++
		have[l.Key] = r.After
		if q < want {
			notes = append(notes, fmt.Sprintf("'%s'은(는) 남은 수량이 %s뿐이어서 %s만 담았습니다.", p.Name, unitCount(p, stock), unitCount(p, q)))
		}
	}
	return added, notes, nil
}

// bundles is how many bundles of a joint product a reordered line's part
// stands for (0 when the part is no longer in the bundle).
func bundles(parts []catalog.BundlePart, l Again) int {
	for _, bp := range parts {
		if bp.ProductID == l.Part.ProductID && bp.OptionID == l.Part.OptionID && bp.Quantity > 0 {
			return l.PartQuantity / bp.Quantity
		}
	}
	return 0
}

// unitCount says n units of p: 건 for a service, 개 for goods.
func unitCount(p *catalog.Product, n int) string {
	if p.Kind == catalog.Service {
		return fmt.Sprintf("%d건", n)
	}
	return fmt.Sprintf("%d개", n)
}

// KeepNotices keeps notices (a Reorder's) for the cart page the buyer is
// sent to next; TakeNotices returns them once.
func (s *Service) KeepNotices(ctx context.Context, cartID string, notices []string) error {
	return s.store.SetNotices(ctx, cartID, notices)
}

// TakeNotices returns the notices kept for the cart's page and forgets them.
func (s *Service) TakeNotices(ctx context.Context, cartID string) ([]string, error) {
	return s.store.TakeNotices(ctx, cartID)
}
