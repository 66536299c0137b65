package cart

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/pricing"
)

// Service applies the cart's rules on top of a Store and the catalogue.
type Service struct {
	store     Store
	catalog   Catalog
	discounts pricing.Discounts
}

// NewService returns a cart service.
func NewService(store Store, cat Catalog) *Service { return &Service{store: store, catalog: cat} }

// WithDiscounts makes the cart price with the campaign discounts d finds
// (pricing.ConsumerLine), read with the products at every view and
// change; without it the cart prices at list prices. It returns s.
func (s *Service) WithDiscounts(d pricing.Discounts) *Service {
	s.discounts = d
	return s
}

// priced is the catalogue's products of a cart with the campaign discounts
// that apply to them now.
type priced struct {
	products  map[int64]*catalog.Product
	discounts map[int64][]pricing.Discount
}

// find reads the products of ids and their discounts.
func (s *Service) find(ctx context.Context, ids []int64) (priced, error) {
	products, err := s.catalog.FindCartProducts(ctx, ids)
	if err != nil || s.discounts == nil || len(products) == 0 {
		return priced{products: products}, err
	}
	found := make([]int64, 0, len(products))
	for id := range products {
		found = append(found, id)
	}
	ds, err := s.discounts.ConsumerDiscounts(ctx, found)
	return priced{products: products, discounts: ds}, err
}

// ViewLine is one cart line as it stands now in the catalogue.
type ViewLine struct {
	Key
	Product    *catalog.Product
	OptionName string
	// ListUnit is the consumer price of one unit before any volume tier
	// (the base price plus the option's extra): what the cart remembers
	// as seen, so a quantity reaching a tier is not a price change.
	ListUnit int64
	// UnitPrice is what one unit costs at this quantity: the consumer
	// list's best tier or campaign discount applied (pricing.ConsumerLine).
	UnitPrice int64
	// Tier is the volume tier applied, nil when the quantity reaches none.
	Tier *catalog.Tier
	// Discount is the campaign discount applied, nil when none.
	Discount  *pricing.Discount
	Quantity  int
	Available int    // stock now, for this product or option
	Notice    string // what changed since it was added, in Korean; "" if nothing
	Orderable bool   // false when sold out or no longer sold
}

// LineTotal is UnitPrice × Quantity.
func (l ViewLine) LineTotal() int64 { return l.UnitPrice * int64(l.Quantity) }

// View is the cart as the shopper should see it: lines grouped by enterprise
// with shipping, and plain notices for anything that changed.
type View struct {
	Lines []ViewLine
	// Notices are cart-wide messages (a product no longer sold, ...).
	Notices []string
	// Price covers the orderable lines only.
	Price pricing.Breakdown
	// Blocked is true when a line cannot be ordered as it is.
	Blocked bool
}

// Items returns the orderable lines as order items.
func (v *View) Items() []pricing.Item {
	var items []pricing.Item
	for _, l := range v.Lines {
		if !l.Orderable {
			continue
		}
		if parts := l.Product.Parts; len(parts) > 0 {
			items = append(items, bundleItems(l, parts)...)
			continue
		}
		items = append(items, pricing.Item{ProductID: l.ProductID, OptionID: l.OptionID, Name: l.Product.Name,
			OptionName: l.OptionName, Kind: l.Product.Kind, TaxType: l.Product.TaxType, UnitPrice: l.UnitPrice,
			ListUnit: l.ListUnit, Tier: l.Tier, Discount: l.Discount, Quantity: l.Quantity, Enterprise: l.Product.Enterprise})
	}
	return items
}

// bundleItems are the order items of a cart line of a joint product: one
// per part, in its own enterprise, at its share per unit, for the part's
// units in all the bundles of the line. The shares sum to the bundle's
// price, so the items sum to the line's total.
func bundleItems(l ViewLine, parts []catalog.BundlePart) []pricing.Item {
	items := make([]pricing.Item, 0, len(parts))
	for _, bp := range parts {
		p := bp.Product
		unit := bp.UnitPrice()
		items = append(items, pricing.Item{ProductID: bp.ProductID, OptionID: bp.OptionID, Name: p.Name,
			OptionName: bp.OptionName, Kind: p.Kind, TaxType: p.TaxType, UnitPrice: unit, ListUnit: unit,
			Quantity: bp.Quantity * l.Quantity, Enterprise: p.Enterprise, BundleID: l.ProductID, BundleName: l.Product.Name})
	}
	return items
}

// resolve finds a key's product and option in the catalogue: the unit
// price of one unit on the consumer list now (pricing.Offer: before any
// tier, after the best campaign discount), stock and the option (nil for
// none). ok is false when it is no longer sold.
func resolve(pr priced, k Key) (p *catalog.Product, price int64, stock int, opt *catalog.Option, ok bool) {
	p = pr.products[k.ProductID]
	if p == nil {
		return nil, 0, 0, nil, false
	}
	if k.OptionID == 0 {
		if len(p.Options) > 0 {
			return p, 0, 0, nil, false
		}
		price, _ = pricing.Offer(p, nil, pr.discounts[p.ID])
		return p, price, p.Stock, nil, true
	}
	for i := range p.Options {
		if o := &p.Options[i]; o.ID == k.OptionID {
			price, _ = pricing.Offer(p, o, pr.discounts[p.ID])
			return p, price, o.Stock, o, true
		}
	}
	return p, 0, 0, nil, false
}

// View reads the cart and prices it against the catalogue now. postcode may be
// empty (no address yet). Price changes are reported once: the cart then
// remembers the new price as seen.
func (s *Service) View(ctx context.Context, cartID string, postcode string) (*View, error) {
	lines, err := s.store.Lines(ctx, cartID)
	if err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return &View{}, nil
	}
	products, err := s.find(ctx, productIDs(lines))
	if err != nil {
		return nil, err
	}
	return s.view(ctx, cartID, lines, products, postcode)
}

// productIDs lists the products of lines, and extra.
func productIDs(lines []Line, extra ...int64) []int64 {
	ids := make([]int64, 0, len(lines)+len(extra))
	for _, l := range lines {
		ids = append(ids, l.ProductID)
	}
	return append(ids, extra...)
}

// view prices lines, the cart as it is in the store, against products, read
// from the catalogue for all of them. Lines no longer sold are removed from
// the store and a changed price is remembered as seen, so that each is said
// once.
func (s *Service) view(ctx context.Context, cartID string, lines []Line, products priced, postcode string) (*View, error) {
	v := &View{}
	if len(lines) == 0 {
		return v, nil
	}
	for _, l := range lines {
		p, price, stock, opt, ok := resolve(products, l.Key)
		if !ok {
			v.Notices = append(v.Notices, "장바구니에 있던 상품 하나가 더 이상 판매되지 않아 빠졌습니다.")
			if err := s.store.Remove(ctx, cartID, l.Key); err != nil {
				return nil, err
			}
			continue
		}
		lp := pricing.ConsumerLine(p, opt, l.Quantity, products.discounts[p.ID])
		vl := ViewLine{Key: l.Key, Product: p, ListUnit: lp.ListUnit, UnitPrice: lp.UnitPrice, Tier: lp.Tier,
			Discount: lp.Discount, Quantity: l.Quantity, Available: stock, Orderable: true}
		if opt != nil {
			vl.OptionName = opt.Name
		}
		switch {
		case stock <= 0 && p.Kind == catalog.Service:
			vl.Orderable = false
			vl.Notice = "이번 달 예약이 마감되었습니다. 장바구니에서 빼 주세요."
		case stock <= 0:
			vl.Orderable = false
			vl.Notice = "품절되었습니다. 장바구니에서 빼 주세요."
		case l.Quantity > stock && p.Kind == catalog.Service:
			vl.Orderable = false
			vl.Notice = fmt.Sprintf("예약 가능한 수가 %d건 남아 있습니다. 수량을 %d건 이하로 바꿔 주세요.", stock, stock)
		case l.Quantity > stock:
			vl.Orderable = false
			vl.Notice = fmt.Sprintf("재고가 %d개 남아 있습니다. 수량을 %d개 이하로 바꿔 주세요.", stock, stock)
		}
		if l.PriceAtAdd != 0 && l.PriceAtAdd != price {
			n := fmt.Sprintf("가격이 %s에서 %s(으)로 바뀌었습니다.", kr.Won(l.PriceAtAdd), kr.Won(price))
			if vl.Notice != "" {
				n += " " + vl.Notice
			}
			vl.Notice = n
			if err := s.store.SeePrice(ctx, cartID, l.Key, price); err != nil {
				return nil, err
			}
		}
		v.Blocked = v.Blocked || !vl.Orderable
		v.Lines = append(v.Lines, vl)
	}
	// A total order, so that the view does not depend on the order the lines
	// came in: by enterprise, then product name, then key.
	slices.SortFunc(v.Lines, func(a, b ViewLine) int {
		pa, pb := a.Product, b.Product
		if pa.EnterpriseID != pb.EnterpriseID {
			return cmp.Or(cmp.Compare(pa.Enterprise.Name, pb.Enterprise.Name), cmp.Compare(pa.EnterpriseID, pb.EnterpriseID))
		}
		return cmp.Or(cmp.Compare(pa.Name, pb.Name), cmp.Compare(a.ProductID, b.ProductID), cmp.Compare(a.OptionID, b.OptionID))
	})
	v.Price = pricing.Price(v.Items(), postcode)
	return v, nil
}

// answer says whether a change answers the cart as View would right after
// it, and for which postcode.
type answer struct {
	view     bool
	postcode string
}

// Add puts quantity more of a product (option) into the cart. It returns
// apperr.Invalid with a Korean message when the quantity is absurd, the
// product is not sold, an option is needed or unknown, stock is short, or the
// cart already holds MaxLines lines; the cart is then unchanged. The line
// grows in one atomic step in the store, so that adds made at once (two
// tabs, a double click) all count and none passes the limits.
func (s *Service) Add(ctx context.Context, cartID string, k Key, quantity int) error {
	_, err := s.add(ctx, cartID, k, quantity, answer{})
	return err
}

// AddView is Add answering the cart as View(ctx, cartID, postcode) would
// right after it, built from the reads the add makes anyway: the cart's
// lines once, and the products of all of them with the added one in one
// catalogue call.
func (s *Service) AddView(ctx context.Context, cartID string, k Key, quantity int, postcode string) (*View, error) {
	return s.add(ctx, cartID, k, quantity, answer{view: true, postcode: postcode})
}

func (s *Service) add(ctx context.Context, cartID string, k Key, quantity int, a answer) (*View, error) {
	if quantity < 1 || quantity > MaxQuantity {
		return nil, apperr.Errorf(apperr.Invalid, "수량은 1개부터 %d개까지 담을 수 있습니다.", MaxQuantity)
	}
	lines, products, err := s.read(ctx, cartID, k, a)
	if err != nil {
		return nil, err
	}
	p, price, stock, err := sellable(products, k)
	if err != nil {
		return nil, err
	}
	// The quantity already held is not known until the store adds: the
	// store checks the limit in the same step as it adds.
	r, err := s.store.Add(ctx, cartID, Line{Key: k, Quantity: quantity, PriceAtAdd: price}, min(stock, MaxQuantity), MaxLines)
	switch {
	case err != nil:
		return nil, err
	case r.Full:
		return nil, apperr.Errorf(apperr.Invalid, "장바구니에는 %d종류까지 담을 수 있습니다.", MaxLines)
	case r.After == r.Before:
		return nil, tooMany(p, stock, r.Before+quantity)
	}
	return s.viewAfter(ctx, cartID, lines, Line{Key: k, Quantity: r.After, PriceAtAdd: price}, products, a)
}

// SetQuantity changes a line's quantity; 0 removes the line. A line that is
// not in the cart is apperr.NotFound (it is added with Add, which keeps the
// cart's limits), and so are the refusals of Add. A line removed meanwhile
// (another tab) stays out.
func (s *Service) SetQuantity(ctx context.Context, cartID string, k Key, quantity int) error {
	_, err := s.setQuantity(ctx, cartID, k, quantity, answer{})
	return err
}

// SetQuantityView is SetQuantity answering the cart as View(ctx, cartID,
// postcode) would right after it, built from the reads the change makes.
func (s *Service) SetQuantityView(ctx context.Context, cartID string, k Key, quantity int, postcode string) (*View, error) {
	return s.setQuantity(ctx, cartID, k, quantity, answer{view: true, postcode: postcode})
}

func (s *Service) setQuantity(ctx context.Context, cartID string, k Key, quantity int, a answer) (*View, error) {
	if quantity == 0 {
		if err := s.store.Remove(ctx, cartID, k); err != nil || !a.view {
			return nil, err
		}
		return s.View(ctx, cartID, a.postcode)
	}
	if quantity < 0 || quantity > MaxQuantity {
		return nil, apperr.Errorf(apperr.Invalid, "수량은 1개부터 %d개까지 담을 수 있습니다.", MaxQuantity)
	}
	lines, products, err := s.read(ctx, cartID, k, a)
	if err != nil {
		return nil, err
	}
	p, price, stock, err := sellable(products, k)
	if err != nil {
		return nil, err
	}
	if quantity > stock {
		return nil, tooMany(p, stock, quantity)
	}
	l := Line{Key: k, Quantity: quantity, PriceAtAdd: price}
	held, err := s.store.Set(ctx, cartID, l)
	if err != nil {
		return nil, err
	}
	if !held {
		return nil, apperr.Errorf(apperr.NotFound, "장바구니에 없는 상품입니다. 상품 페이지에서 담아 주세요.")
	}
	return s.viewAfter(ctx, cartID, lines, l, products, a)
}

// read reads what a change of line k needs: the products of k, and when a
// asks for the view, the cart's lines as they are before the change and the
// products of all of them, in the same catalogue call.
func (s *Service) read(ctx context.Context, cartID string, k Key, a answer) ([]Line, priced, error) {
	if k.ProductID <= 0 || k.OptionID < 0 {
		return nil, priced{}, apperr.Errorf(apperr.Invalid, "상품 번호가 올바르지 않습니다.")
	}
	var lines []Line
	if a.view {
		var err error
		if lines, err = s.store.Lines(ctx, cartID); err != nil {
			return nil, priced{}, err
		}
	}
	products, err := s.find(ctx, productIDs(lines, k.ProductID))
	if err != nil {
		return nil, priced{}, err
	}
	return lines, products, nil
}

// sellable resolves k among products and refuses it when it cannot be put
// in a cart: not sold, an option needed or unknown, sold out.
func sellable(products priced, k Key) (p *catalog.Product, price int64, stock int, err error) {
	p, price, stock, _, ok := resolve(products, k)
	switch {
	case p == nil:
		return nil, 0, 0, apperr.Errorf(apperr.NotFound, "판매 중인 상품이 아닙니다.")
	case !ok && k.OptionID == 0:
		return nil, 0, 0, apperr.Errorf(apperr.Invalid, "옵션을 선택해 주세요.")
	case !ok:
		return nil, 0, 0, apperr.Errorf(apperr.Invalid, "선택한 옵션을 찾을 수 없습니다.")
	case stock <= 0 && p.Kind == catalog.Service:
		return nil, 0, 0, apperr.Errorf(apperr.Invalid, "'%s'은(는) 이번 달 예약이 마감되었습니다.", p.Name)
	case stock <= 0:
		return nil, 0, 0, apperr.Errorf(apperr.Invalid, "'%s'은(는) 품절되었습니다.", p.Name)
	}
	return p, price, stock, nil
}

// tooMany refuses a line of quantity, more than MaxQuantity or stock allow.
func tooMany(p *catalog.Product, stock, quantity int) error {
	if quantity > MaxQuantity {
		return apperr.Errorf(apperr.Invalid, "한 상품은 %d개까지 담을 수 있습니다.", MaxQuantity)
	}
	if p.Kind == catalog.Service {
		return apperr.Errorf(apperr.Invalid, "'%s'은(는) 예약 가능한 수가 %d건 남아 있어 %d건까지 담을 수 있습니다.", p.Name, stock, stock)
	}
	return apperr.Errorf(apperr.Invalid, "'%s'의 재고가 %d개 남아 있어 %d개까지 담을 수 있습니다.", p.Name, stock, stock)
}

// viewAfter is the view after line l was written, when a asks for it: built
// from lines, the cart as read before the change, with l in place, and
// products, read with them.
func (s *Service) viewAfter(ctx context.Context, cartID string, lines []Line, l Line, products priced, a answer) (*View, error) {
	if !a.view {
		return nil, nil
	}
	return s.view(ctx, cartID, withLine(lines, l), products, a.postcode)
}

// withLine returns lines with l in place of the line of the same key, or
// added.
func withLine(lines []Line, l Line) []Line {
	for i := range lines {
		if lines[i].Key == l.Key {
			lines[i] = l
			return lines
		}
	}
	return append(lines, l)
}

// Remove deletes a line.
func (s *Service) Remove(ctx context.Context, cartID string, k Key) error {
	return s.store.Remove(ctx, cartID, k)
}

// Clear empties the cart.
func (s *Service) Clear(ctx context.Context, cartID string) error { return s.store.Clear(ctx, cartID) }

// Count returns the number of lines, for the page header.
func (s *Service) Count(ctx context.Context, cartID string) (int, error) {
	return s.store.Count(ctx, cartID)
}
