package report

import (
	"context"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
)

// The operators' sales report (판매 실적) sums the counted order lines of
// both channels:
//
//   - consumer (소비자): a line counts once its order is paid, on the
//     Korean date of the payment (orders.paid_at), at its full quantity,
//     unless its order or its sub-order was cancelled or refunded (an
//     order-level refund or the refund of its sub-order) — also when that
//     happened after the period: the report is the orders' state now.
//   - public (공공): exactly the priority-purchase report's rule under the
//     co-op's report_basis (see the package doc): the 검수 or delivery date,
//     the accepted quantity.
//
// A counted line's figures are unit_price × counted quantity (what the
// buyer paid, after any discount, VAT included; shipping left out), its
// 공급가액 round-down(amount × 10 / 11) for taxable lines and the amount for
// 면세 ones, so that every figure of the report is a sum over order lines,
// to the won. The enterprise type is the one the line snapshotted; region
// and category are the enterprise's and the product's current ones (lines
// do not snapshot them).
//
// A buyer is the signed-in account that ordered (orders.user_id), else the
// buyer's phone number with everything but its digits removed: a guest who
// later orders signed in counts as two buyers. A buyer is new in a span of
// days when their first counted purchase ever falls in it, and returning
// when they bought in it and had a counted purchase before it.

// Channel is where an order came from.
type Channel string

// Channels.
const (
	Consumer Channel = "consumer" // 소비자 (storefront, card)
	Public   Channel = "public"   // 공공 (institutions: invoice or card)
)

// Label is the channel in Korean.
func (c Channel) Label() string {
	switch c {
	case Consumer:
		return "소비자"
	case Public:
		return "공공"
	}
	return string(c)
}

// Dimension is one breakdown of the sales report.
type Dimension string

// Dimensions of the sales report.
const (
	ByType       Dimension = "type"       // 기업 유형 (at order time)
	ByRegion     Dimension = "region"     // 지역 (the enterprise's 시·도)
	ByCategory   Dimension = "category"   // 분류 (the product's top-level category)
	ByEnterprise Dimension = "enterprise" // 기업
	ByChannel    Dimension = "channel"    // 판매 채널
)

// Dimensions are the breakdowns in the order the report shows them.
var Dimensions = []Dimension{ByChannel, ByType, ByRegion, ByCategory, ByEnterprise}

// Title is the breakdown's heading.
func (d Dimension) Title() string {
	switch d {
	case ByType:
		return "기업 유형별"
	case ByRegion:
		return "지역별"
	case ByCategory:
		return "분류별"
	case ByEnterprise:
		return "기업별"
	case ByChannel:
		return "채널별"
	}
	return string(d)
}

// SalesFigures are a group's figures with the amount split by channel
// (Consumer + Public = Amount).
type SalesFigures struct {
	Figures
	Consumer int64
	Public   int64
}

// GroupRow is one group of a breakdown: its figures over the period and
// its amount in each month of the period (aligned with Period.Months).
type GroupRow struct {
	Key   string // the type, region or channel code, the category or enterprise id
	Label string
	SalesFigures
	Months []int64
}

// Breakdown is the sales by one dimension, largest amount first (types,
// regions and channels in their own order, every one present).
type Breakdown struct {
	Dimension Dimension
	Rows      []GroupRow
}

// BuyerCounts are the distinct buyers of a span of days, new and
// returning (New + Returning = Buyers).
type BuyerCounts struct {
	Buyers, New, Returning int64
}

// SalesMonth is one month of the period: its figures and buyers.
type SalesMonth struct {
	Month time.Time
	SalesFigures
	BuyerCounts
}

// ProductRow is a product's sales (its name as its latest counted line
// named it).
type ProductRow struct {
	ProductID  int64
	Name       string
	Enterprise string
	SalesFigures
}

// TopProducts is how many products the sales report lists.
const TopProducts = 20

// SalesQuery is what the sales store sums.
type SalesQuery struct {
	Period Period
	Basis  coop.ReportBasis
}

// Sales is the operators' sales report.
type Sales struct {
	Period      Period
	Basis       coop.ReportBasis
	Total       SalesFigures
	Breakdowns  []Breakdown
	ByMonth     []SalesMonth
	Buyers      BuyerCounts // over the whole period
	TopProducts []ProductRow
	// Institutions are the public purchases by institution: the
	// priority-purchase report of every institution, its total PublicTotal.
	Institutions []InstitutionRow
	PublicTotal  Figures
	GeneratedAt  time.Time
}

// Breakdown returns the breakdown by d (an empty one when absent).
func (r *Sales) Breakdown(d Dimension) Breakdown {
	for _, b := range r.Breakdowns {
		if b.Dimension == d {
			return b
		}
	}
	return Breakdown{Dimension: d}
}

// SalesStore reads the sales report's figures (postgres.ReportStore): one
// grouped query each.
type SalesStore interface {
	// SalesBreakdown sums the counted lines of q by d, over the period and
	// by month. Types, regions and channels are all present (zero when
	// nothing sold); Months has one entry per month of the period.
	SalesBreakdown(ctx context.Context, q SalesQuery, d Dimension) ([]GroupRow, error)
	// SalesByMonth sums the counted lines of q: the total and each month
	// of the period (every month present), buyers left zero.
	SalesByMonth(ctx context.Context, q SalesQuery) (SalesFigures, []SalesMonth, error)
	// SalesBuyers counts the buyers of the period and of each month
	// (aligned with Period.Months).
	SalesBuyers(ctx context.Context, q SalesQuery) (BuyerCounts, []BuyerCounts, error)
	// SalesTopProducts lists the limit products with the largest amounts.
	SalesTopProducts(ctx context.Context, q SalesQuery, limit int) ([]ProductRow, error)
}

// SalesRequest asks for a sales report.
type SalesRequest struct {
	Period PeriodInput
}

// Sales builds the operators' sales report (account.RequireOperator's
// error for anyone else; apperr.Invalid as ParsePeriod for a wrong period).
func (s *Service) Sales(ctx context.Context, r SalesRequest) (*Sales, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	p, err := ParsePeriod(r.Period, s.Today())
	if err != nil {
		return nil, err
	}
	basis, err := s.basis(ctx)
	if err != nil {
		return nil, err
	}
	ss := s.store
	q := SalesQuery{Period: p, Basis: basis}
	out := &Sales{Period: p, Basis: basis, GeneratedAt: s.now()}
	if out.Total, out.ByMonth, err = ss.SalesByMonth(ctx, q); err != nil {
		return nil, err
	}
	var months []BuyerCounts
	if out.Buyers, months, err = ss.SalesBuyers(ctx, q); err != nil {
		return nil, err
	}
	for i := range out.ByMonth {
		if i < len(months) {
			out.ByMonth[i].BuyerCounts = months[i]
		}
	}
	for _, d := range Dimensions {
		rows, err := ss.SalesBreakdown(ctx, q, d)
		if err != nil {
			return nil, err
		}
		out.Breakdowns = append(out.Breakdowns, Breakdown{Dimension: d, Rows: rows})
	}
	if out.TopProducts, err = ss.SalesTopProducts(ctx, q, TopProducts); err != nil {
		return nil, err
	}
	pub, err := s.store.ProcurementSums(ctx, Query{Period: p, Basis: basis})
	if err != nil {
		return nil, err
	}
	out.Institutions, out.PublicTotal = pub.ByInstitution, pub.Total
	return out, nil
}

// basis is the co-op's report basis (inspected without settings).
func (s *Service) basis(ctx context.Context) (coop.ReportBasis, error) {
	if s.settings == nil {
		return coop.BasisInspected, nil
	}
	st, err := s.settings.Settings(ctx)
	if err != nil {
		return "", err
	}
	return st.ReportBasis, nil
}

// DimensionLabel is a group key's label for the dimensions whose labels
// are fixed (type, region, channel); other keys are returned as given.
func DimensionLabel(d Dimension, key string) string {
	switch d {
	case ByType:
		return catalog.EnterpriseType(key).Label()
	case ByRegion:
		return catalog.Region(key).Label()
	case ByChannel:
		return Channel(key).Label()
	}
	return key
}
