package catalog

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dure-coop/dure/internal/kr"
)

// Tier is a volume price (수량별 단가) of a product on one price list: a
// line of MinQuantity units or more costs UnitPrice a unit instead of the
// list's base price (ConsumerPrice or PublicPrice). An option's extra price
// is added to it as it is to the base price.
type Tier struct {
	MinQuantity int
	UnitPrice   int64 // 원, VAT included when taxable
}

// Limits of volume tiers, per product and price list.
const (
	MaxTiers        = 5
	MaxTierQuantity = 1_000_000
)

// String is the tier as the product and cart pages say it: "10개 이상 개당 9,000원".
func (t Tier) String() string {
	return fmt.Sprintf("%s개 이상 개당 %s", kr.Comma(int64(t.MinQuantity)), kr.Won(t.UnitPrice))
}

// FormatTiers writes tiers as the CSV file and the portal's form hold them:
// "100:9000;500:8500" (minimum quantity, then unit price in 원); "" for none.
func FormatTiers(tiers []Tier) string {
	parts := make([]string, len(tiers))
	for i, t := range tiers {
		parts[i] = strconv.Itoa(t.MinQuantity) + ":" + strconv.FormatInt(t.UnitPrice, 10)
	}
	return strings.Join(parts, ";")
}

// ParseTiers reads what FormatTiers writes. It also takes thousands
// separators ("1,000:9,000"), spaces, a trailing 원 and line breaks or commas
// between tiers where no number is cut in two ("10:9000\n50:8500"). The
// tiers come back sorted by minimum quantity; Validate judges them. The
// error is a Korean sentence.
func ParseTiers(s string) ([]Tier, error) {
	s = strings.NewReplacer("\r\n", ";", "\n", ";", "\r", ";").Replace(s)
	var out []Tier
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		q, p, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("수량별 단가 '%s'을(를) 읽을 수 없습니다. '수량:단가'로 쓰고 ;로 구분해 주세요 (예: 10:9000;50:8500).", part)
		}
		qty, err1 := strconv.Atoi(digits(strings.TrimSuffix(strings.TrimSpace(q), "개")))
		price, err2 := strconv.ParseInt(digits(strings.TrimSuffix(strings.TrimSpace(p), "원")), 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("수량별 단가 '%s'의 수량과 단가는 숫자로 써 주세요 (예: 10:9000).", part)
		}
		out = append(out, Tier{MinQuantity: qty, UnitPrice: price})
	}
	SortTiers(out)
	return out, nil
}

// digits drops the thousands separators and spaces of a number.
func digits(s string) string {
	return strings.NewReplacer(",", "", " ", "").Replace(s)
}

// SortTiers orders tiers by minimum quantity, the order they are stored,
// shown and compared in.
func SortTiers(tiers []Tier) {
	slices.SortStableFunc(tiers, func(a, b Tier) int { return a.MinQuantity - b.MinQuantity })
}

// tiers checks the tiers of one price list against its base price: at most
// MaxTiers, minimum quantities from 2 to MaxTierQuantity, each given once,
// prices from 1원, below the base price, and strictly lower for a higher
// minimum quantity. tiers must be sorted (SortTiers).
func (ps *problems) tiers(field, list string, tiers []Tier, base int64) {
	if len(tiers) > MaxTiers {
		ps.add(field, fmt.Sprintf("%s 수량별 단가는 %d개까지 둘 수 있습니다.", list, MaxTiers), fmt.Sprintf("must have at most %d tiers", MaxTiers))
		return
	}
	for i, t := range tiers {
		switch {
		case t.MinQuantity < 2 || t.MinQuantity > MaxTierQuantity:
			ps.add(field, fmt.Sprintf("%s 수량별 단가의 수량은 2개 이상 %s개 이하로 입력해 주세요.", list, kr.Comma(MaxTierQuantity)),
				fmt.Sprintf("min quantity %d must be between 2 and %d", t.MinQuantity, MaxTierQuantity))
		case t.UnitPrice < 1 || t.UnitPrice > MaxPrice:
			ps.add(field, fmt.Sprintf("%s 수량별 단가는 1원 이상 1억원 이하로 입력해 주세요.", list), fmt.Sprintf("unit price %d out of range", t.UnitPrice))
		case i > 0 && t.MinQuantity == tiers[i-1].MinQuantity:
			ps.add(field, fmt.Sprintf("%s 수량별 단가에 %s개가 두 번 있습니다.", list, kr.Comma(int64(t.MinQuantity))),
				fmt.Sprintf("min quantity %d given twice", t.MinQuantity))
		case base > 0 && t.UnitPrice >= base:
			ps.add(field, fmt.Sprintf("%s 수량별 단가(%s개 이상 %s)는 기본 가격 %s보다 낮아야 합니다.", list,
				kr.Comma(int64(t.MinQuantity)), kr.Won(t.UnitPrice), kr.Won(base)),
				fmt.Sprintf("unit price %d must be below the base price %d", t.UnitPrice, base))
		case i > 0 && t.UnitPrice >= tiers[i-1].UnitPrice:
			ps.add(field, fmt.Sprintf("%s 수량별 단가는 수량이 많을수록 낮아야 합니다 (%s개 이상 %s ≥ %s개 이상 %s).", list,
				kr.Comma(int64(t.MinQuantity)), kr.Won(t.UnitPrice), kr.Comma(int64(tiers[i-1].MinQuantity)), kr.Won(tiers[i-1].UnitPrice)),
				fmt.Sprintf("unit price %d at %d must be below %d at %d", t.UnitPrice, t.MinQuantity, tiers[i-1].UnitPrice, tiers[i-1].MinQuantity))
		default:
			continue
		}
		return // one message per list: the first broken rule
	}
}
