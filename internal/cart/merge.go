package cart

import (
	"context"
	"fmt"
	"maps"
	"strconv"

	"github.com/dure-coop/dure/internal/catalog"
)

// UserCartID returns the cart id of a signed-in user. Guest carts have random
// ids of 22 URL-safe characters, which never contain ':'.
func UserCartID(userID int64) string { return "u:" + strconv.FormatInt(userID, 10) }

// MergeResult says what Merge did.
type MergeResult struct {
	// Moved counts the guest lines now in the user's cart, in whole or in
	// part.
	Moved int
	// Notices say, in Korean, which lines were not moved or not in full.
	Notices []string
}

// Merge moves the guest cart fromID into the signed-in user's cart intoID
// (see UserCartID) and deletes the guest cart. A product already in the
// user's cart gets the quantities added, capped by its stock and
// MaxQuantity; a new line is added while the cart holds fewer than MaxLines;
// lines that do not fit, are sold out or are no longer sold stay out and
// are told in Notices. Running it again finds the guest cart gone and does
// nothing, a change made to the user's cart meanwhile is kept, and a merge
// that failed midway is finished by the next one (Store.Merge).
func (s *Service) Merge(ctx context.Context, fromID, intoID string) (*MergeResult, error) {
	if fromID == "" || intoID == "" || fromID == intoID {
		return &MergeResult{}, nil
	}
	products := priced{products: map[int64]*catalog.Product{}} // stock only: merging needs no prices
	limits := func(ctx context.Context, lines []Line) (map[Key]int, error) {
		if len(lines) == 0 {
			return map[Key]int{}, nil
		}
		found, err := s.catalog.FindCartProducts(ctx, productIDs(lines))
		if err != nil {
			return nil, err
		}
		maps.Copy(products.products, found)
		out := make(map[Key]int, len(lines))
		for _, l := range lines {
			out[l.Key] = 0
			if _, _, stock, _, ok := resolve(products, l.Key); ok {
				out[l.Key] = max(0, min(stock, MaxQuantity))
			}
		}
		return out, nil
	}
	merged, err := s.store.Merge(ctx, fromID, intoID, limits, MaxLines)
	if err != nil {
		return nil, err
	}
	res := &MergeResult{}
	for _, m := range merged {
		p, _, stock, opt, ok := resolve(products, m.Key)
		name, service := "", false
		if p != nil {
			service = p.Kind == catalog.Service
			name = p.Name
			if opt != nil {
				name += " (" + opt.Name + ")"
			}
		}
		if m.After > m.Before {
			res.Moved++
		}
		if n := mergeNotice(m, name, service, ok, stock); n != "" {
			res.Notices = append(res.Notices, n)
		}
	}
	return res, nil
}

// mergeNotice says what became of a guest line that was not moved in full,
// or "" when it was. name is "" for a product the catalogue no longer has.
func mergeNotice(m Merged, name string, service, sold bool, stock int) string {
	switch {
	case !sold && name == "":
		return "장바구니에 담아 두셨던 상품 하나가 더 이상 판매되지 않아 옮기지 못했습니다."
	case !sold:
		return fmt.Sprintf("'%s'은(는) 더 이상 판매되지 않아 옮기지 못했습니다.", name)
	case stock <= 0 && service:
		return fmt.Sprintf("'%s'은(는) 이번 달 예약이 마감되어 옮기지 못했습니다.", name)
	case stock <= 0:
		return fmt.Sprintf("'%s'은(는) 품절되어 옮기지 못했습니다.", name)
	case m.Full:
		return fmt.Sprintf("장바구니에는 %d종류까지 담을 수 있어 '%s'은(는) 옮기지 못했습니다.", MaxLines, name)
	case m.After >= m.Before+m.Quantity:
		return ""
	case m.After == m.Before:
		return fmt.Sprintf("'%s'은(는) 장바구니에 이미 %d개 있어 더 담지 못했습니다.", name, m.Before)
	case stock < MaxQuantity && service:
		return fmt.Sprintf("'%s'은(는) 예약 가능한 수가 %d건 남아 있어 %d건으로 담았습니다.", name, stock, m.After)
	case stock < MaxQuantity:
		return fmt.Sprintf("'%s'은(는) 재고가 %d개 남아 있어 %d개로 담았습니다.", name, stock, m.After)
	}
	return fmt.Sprintf("'%s'은(는) 한 상품에 %d개까지 담을 수 있어 %d개로 담았습니다.", name, MaxQuantity, m.After)
}
