package shop

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"

	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/web/view"
)

// productView is the product page's data with every text already formatted
// (prices in 원, labels, dates), so the template only reads fields: it calls
// no function or method, each of which html/template makes by reflection, and
// no field hides behind an embedded struct, which reflect finds only by a
// search. The layout is a named field for that reason too (see base).
type productView struct {
	Layout layout

	ID          int64
	Name        string
	Summary     string
	Description string
	Unit        string
	ImageURL    string
	ImageAlt    string
	// Path is the category path, root first.
	Path []*catalog.Category

	// Price, Supply and VAT are the 소비자가 and its split; Public* the 공공기관가.
	Price, Supply, VAT string
	// ListPrice is the 소비자가 before a campaign discount ("" when none),
	// Campaign the campaign's name (campaignPrice).
	ListPrice, Campaign                  string
	PublicPrice, PublicSupply, PublicVAT string
	// ConsumerTiers and PublicTiers are the volume tiers of each list as
	// the page says them: "10개 이상 개당 9,000원".
	ConsumerTiers, PublicTiers []string
	Exempt                     bool   // 면세
	KindTax                    string // "상품 · 면세"

	InStock bool
	// Availability is said as stock for goods and as booking for services
	// (청소, 교육, 케이터링 are booked, not restocked): the facts row's
	// label and text, the sold-out tag and the note under the form.
	AvailLabel, Avail, SoldOutTag, SoldOutNote string
	Shipping                                   []string
	Options                                    []optionView
	// MaxQuantity bounds the add-to-cart quantity input; Quantity is its
	// value (1, or what was asked when the cart refused it).
	MaxQuantity, Quantity int
	// AddError is why the cart refused the form, shown next to it.
	AddError string
	// BuyNowLabel is the second button of the buy bar: 바로 구매, or 바로
	// 예약 for a service.
	BuyNowLabel string
	// Seller is the enterprise's seller details and Returns its 교환·반품
	// 안내 (legal.go).
	Seller  *sellerView
	Returns *returnView

	EntID          int64
	EntName        string
	EntType        catalog.EnterpriseType // the badge's class
	EntTypeLabel   string
	EntRegion      string
	CertNumber     string
	CertValidUntil string // empty when open-ended
	Mission        string

	// Fee is the open-fees block: how the consumer price splits between
	// the enterprise and the co-op (nil: not shown).
	Fee *feeView

	// Feedback is the reviews and questions (feedback.go; nil without them).
	Feedback *feedbackView
	// Parts are a joint product's (공동상품) parts; nil for any other product.
	Parts []bundlePartView
	// Impact is the estimate of buying one, per enterprise that declared
	// its figures (impact.go).
	Impact []impact.StatementRow
}

// bundlePartView is one part of a joint product as its page lists it.
type bundlePartView struct {
	Name, Quantity, EntName, EntTypeLabel string
	EntID                                 int64
	EntType                               catalog.EnterpriseType
}

func (v *productView) base() *layout { return &v.Layout }

// feeView is the consumer price's split at the enterprise's commission.
type feeView struct {
	Rate, Enterprise, Coop string
}

// optionView is one option of the product page.
type optionView struct {
	ID       int64
	Name     string
	Extra    string // the extra price in 원, empty when none
	SoldOut  bool
	Selected bool // chosen in the form the cart refused
}

// productPage shows one product with its prices, VAT split, stock, shipping
// and the enterprise that makes it.
func (s *server) productPage(c *fiber.Ctx) error {
	p, ix, facts, err := s.loadProductPage(c)
	if err != nil {
		return err
	}
	if q, ok := searchFrom(c.Get(fiber.HeaderReferer), c.Hostname()); ok {
		s.Stats.Click(q)
	}
	return s.showProduct(c, p, ix, facts, fiber.StatusOK, nil)
}

// renderProduct shows the product page of :id again with status, after
// edit changed its view (a refused question keeps its form).
func (s *server) renderProduct(c *fiber.Ctx, status int, edit func(*productView)) error {
	p, ix, facts, err := s.loadProductPage(c)
	if err != nil {
		return err
	}
	return s.showProduct(c, p, ix, facts, status, edit)
}

// loadProductPage reads the product of :id and, when the store can
// (catalog.PageReader), the facts of its page in the same query; facts is
// nil otherwise and each block reads its own.
func (s *server) loadProductPage(c *fiber.Ctx) (*catalog.Product, *catalog.CategoryIndex, *catalog.PageFacts, error) {
	pr, ok := s.Catalog.(catalog.PageReader)
	if !ok {
		p, ix, err := view.LoadProduct(c, s.Catalog, s.Categories)
		return p, ix, nil, err
	}
	id, err := view.ParseID(c.Params("id"), "상품")
	if err != nil {
		return nil, nil, nil, err
	}
	day := coop.DateOf(time.Now())
	if s.Fees != nil {
		day = s.Fees.Today()
	}
	p, facts, err := pr.FindProductPage(c.UserContext(), id, day)
	if err != nil {
		return nil, nil, nil, view.FriendlyNotFound(err, view.ProductNotFound)
	}
	ix, err := s.Categories.Get(c.UserContext())
	if err != nil {
		return nil, nil, nil, err
	}
	return p, ix, facts, nil
}

func (s *server) showProduct(c *fiber.Ctx, p *catalog.Product, ix *catalog.CategoryIndex, facts *catalog.PageFacts, status int, edit func(*productView)) error {
	v := newProductView(p, ix)
	fb, err := s.productFeedback(c, p.ID, facts)
	if err != nil {
		return err
	}
	v.Feedback = fb
	if s.Fees != nil {
		var split settlement.Split
		if facts != nil {
			split = settlement.SplitPrice(p.ConsumerPrice, facts.ConsumerRateBP)
		} else if split, err = s.Fees.OpenFees(c.UserContext(), p.EnterpriseID, p.ConsumerPrice); err != nil {
			return err
		}
		v.Fee = &feeView{Rate: settlement.Percent(split.RateBP), Enterprise: kr.Won(split.Enterprise), Coop: kr.Won(split.Commission)}
	}
	s.campaignPrice(c.UserContext(), p, v)
	parts, err := s.bundleParts(c, p, v)
	if err != nil {
		return err
	}
	if v.Impact, err = s.productImpact(c, p, parts, facts); err != nil {
		return err
	}
	v.Layout.Forms = s.Carts != nil || (fb != nil && fb.SignedIn)
	if edit != nil {
		edit(v)
	}
	c.Status(status)
	return s.render(c, "shop/product", v)
}

// newProductView formats p for the product page.
func newProductView(p *catalog.Product, ix *catalog.CategoryIndex) *productView {
	v := &productView{
		ID: p.ID, Name: p.Name, Summary: p.Summary, Description: p.Description, Unit: p.Unit,
		ImageURL: view.ImageOf(p), ImageAlt: p.Name, Path: ix.Path(p.CategoryID),
		Price: kr.Won(p.ConsumerPrice), PublicPrice: kr.Won(p.PublicPrice), Exempt: p.TaxType == catalog.Exempt,
		KindTax: p.Kind.Label() + " · " + p.TaxType.Label(),
		InStock: p.InStock(), MaxQuantity: cart.MaxQuantity, Quantity: 1,
		EntID: p.EnterpriseID,
	}
	v.AvailLabel, v.Avail, v.SoldOutTag, v.SoldOutNote = availability(p.Kind, p.Stock)
	v.Layout.Title, v.Layout.Description = p.Name, p.Summary
	if len(p.Images) > 0 && p.Images[0].Alt != "" {
		v.ImageAlt = p.Images[0].Alt
	}
	if len(v.Path) == 0 && p.Category != nil {
		v.Path = []*catalog.Category{p.Category}
	}
	supply, vat := catalog.SplitVAT(p.ConsumerPrice, p.TaxType)
	v.Supply, v.VAT = kr.Won(supply), kr.Won(vat)
	supply, vat = catalog.SplitVAT(p.PublicPrice, p.TaxType)
	v.PublicSupply, v.PublicVAT = kr.Won(supply), kr.Won(vat)
	v.ConsumerTiers, v.PublicTiers = tierTexts(p.ConsumerTiers), tierTexts(p.PublicTiers)
	if len(p.Options) > 0 {
		v.Options = make([]optionView, len(p.Options))
		for i, o := range p.Options {
			v.Options[i] = optionView{ID: o.ID, Name: o.Name, SoldOut: o.Stock <= 0}
			if o.ExtraPrice != 0 {
				v.Options[i].Extra = kr.Won(o.ExtraPrice)
			}
		}
	}
	if e := p.Enterprise; e != nil {
		v.Shipping = shippingLines(p.Kind, e.Shipping)
		v.EntName, v.EntType, v.EntTypeLabel, v.EntRegion = e.Name, e.Type, e.Type.Label(), e.Region.Label()
		v.CertNumber, v.CertValidUntil, v.Mission = e.CertNumber, view.FormatDate(e.CertValidUntil), e.Mission
	}
	v.Seller, v.Returns = newSellerView(p.Enterprise), newReturnView(p.Kind, p.Enterprise)
	v.Returns.Name = "" // the page is the enterprise's own
	v.BuyNowLabel = "바로 구매"
	if p.Kind == catalog.Service {
		v.BuyNowLabel = "바로 예약"
	}
	return v
}

// bundleParts lists a joint product's parts on its page and says that its
// price includes delivery. Only products made as bundles (their external id
// says so) cost the extra read.
func (s *server) bundleParts(c *fiber.Ctx, p *catalog.Product, v *productView) ([]catalog.BundlePart, error) {
	if s.Bundles == nil || !strings.HasPrefix(p.ExternalID, "bundle-") {
		return nil, nil
	}
	b, err := s.Bundles.Find(c.UserContext(), p.ID)
	if apperr.Code(err) == apperr.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, bp := range b.Parts {
		name := bp.Product.Name
		if bp.OptionName != "" {
			name += " (" + bp.OptionName + ")"
		}
		e := bp.Product.Enterprise
		v.Parts = append(v.Parts, bundlePartView{Name: name, Quantity: strconv.Itoa(bp.Quantity) + "개",
			EntName: e.Name, EntID: e.ID, EntType: e.Type, EntTypeLabel: e.Type.Label()})
	}
	v.Shipping = []string{"배송비 포함 (판매가에 들어 있습니다)", "구성품은 만든 기업이 각각 보냅니다."}
	return b.Parts, nil
}

// availability says how much of a product can be ordered: stock for goods,
// booking for services.
func availability(k catalog.Kind, stock int) (label, avail, soldOutTag, soldOutNote string) {
	if k == catalog.Service {
		return "예약", "예약 가능 (" + kr.Comma(int64(stock)) + "건)", "예약 마감",
			"이번 달 예약이 마감되었습니다. 다음 일정은 기업에 문의해 주세요."
	}
	return "재고", "재고 " + kr.Comma(int64(stock)) + "개", "품절", "품절된 상품입니다. 재입고를 기다려 주세요."
}

// tierTexts says each tier as the product and cart pages show it.
func tierTexts(tiers []catalog.Tier) []string {
	out := make([]string, len(tiers))
	for i, t := range tiers {
		out[i] = t.String()
	}
	return out
}
