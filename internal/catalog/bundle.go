package catalog

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/textin"
)

// A joint product (공동상품) is a bundle of several enterprises' goods sold
// as one product. Its products row is what the shop, search and cart show;
// it is sold under its 대표 기업 (the first part's enterprise) and holds no
// stock of its own: Stock is the minimum over its parts of floor(part stock
// / part quantity). A checkout reserves the parts themselves and orders
// each part in its own enterprise's sub-order at its share of the price, so
// each enterprise fulfils and is settled for its own part.

// Bundle limits.
const (
	MinBundleParts = 2
	MaxBundleParts = 10
	MaxBundlePrice = 100_000_000
)

// Audit actions and entity of bundles.
const (
	ActionBundleCreate = "bundle.create"
	ActionBundleStatus = "bundle.status"
	EntityBundle       = "bundle"
)

// BundlePart is one item of a bundle: a product (and its option when it
// has options), how many of it one bundle holds and its share of the
// bundle's price (what its enterprise is paid for one bundle, before
// commission). The shares of a bundle sum to its price.
type BundlePart struct {
	ProductID int64
	OptionID  int64 // 0 when the product has no options
	Quantity  int
	Share     int64

	// Product is the part's product as read (with its Enterprise), and
	// OptionName its option's name; filled by the finders.
	Product    *Product
	OptionName string
	// Stock is the part's stock now (the option's when it has one).
	Stock int
}

// UnitPrice is what one unit of the part costs inside the bundle: Share /
// Quantity (shares divide evenly).
func (bp BundlePart) UnitPrice() int64 { return bp.Share / int64(bp.Quantity) }

// Bundle is a joint product: its products row and its parts, in order.
type Bundle struct {
	Product   *Product
	Parts     []BundlePart
	CreatedAt time.Time
}

// Available is how many bundles can be sold now: the minimum over the
// parts of floor(stock / quantity); 0 without parts.
func Available(parts []BundlePart) int {
	if len(parts) == 0 {
		return 0
	}
	n := -1
	for _, p := range parts {
		k := max(p.Stock, 0) / p.Quantity
		if n < 0 || k < n {
			n = k
		}
	}
	return n
}

// Enterprises are the names of the bundle's parts' enterprises, each once,
// in part order.
func (b *Bundle) Enterprises() []string {
	var out []string
	seen := map[int64]bool{}
	for _, p := range b.Parts {
		if p.Product == nil || p.Product.Enterprise == nil || seen[p.Product.EnterpriseID] {
			continue
		}
		seen[p.Product.EnterpriseID] = true
		out = append(out, p.Product.Enterprise.Name)
	}
	return out
}

// BundleInput is the console's form for a new bundle.
type BundleInput struct {
	Name        string
	Summary     string
	Description string
	CategoryID  int64
	Price       int64 // 원, what the consumer pays for one bundle
	Publish     bool  // active at once; otherwise a draft
	Parts       []BundlePart
}

// BundleStore keeps bundles.
type BundleStore interface {
	// FindManagedProduct is WriteStore's: a product in any status with its
	// enterprise and options (enterpriseID 0: any enterprise); bundles are
	// not found there. apperr.NotFound.
	FindManagedProduct(ctx context.Context, id, enterpriseID int64) (*Product, error)
	// CreateBundle writes b.Product (filling its ID, ExternalID and
	// timestamps), the bundles row and the parts and queues the product for
	// the search index, with the audit record audit (nil: none) builds from
	// (nil, b) once it is written, in one transaction. apperr.Conflict when
	// the 대표 기업 already sells a product of that name.
	CreateBundle(ctx context.Context, b *Bundle, createdBy int64, audit account.AuditFunc[*Bundle]) error
	// FindBundle returns the bundle whose product is id with its parts'
	// products, enterprises and stock; apperr.NotFound when id is not a
	// bundle. activeOnly also answers NotFound for a bundle not on sale.
	FindBundle(ctx context.Context, id int64, activeOnly bool) (*Bundle, error)
	// FindBundles lists every bundle, newest first, with its parts.
	FindBundles(ctx context.Context) ([]*Bundle, error)
	// SetBundleStatus sets the status of bundle id (StatusActive or
	// StatusHidden) and queues it for the search index, with the audit
	// record audit builds from the status before and after when it changed,
	// in one transaction; it returns the status before. apperr.NotFound
	// when id is not a bundle.
	SetBundleStatus(ctx context.Context, id int64, status string, audit account.AuditFunc[string]) (before string, err error)
}

// Bundles builds and finds joint products. Only operators create bundles
// or change them; anyone may read a bundle on sale.
type Bundles struct {
	Store BundleStore
	// Auditor builds the record of every write (nil: none; tests only).
	Auditor Auditor
}

var (
	bundleNameRule    = textin.Rule{Label: "공동상품 이름", Required: true, Max: 100}
	bundleSummaryRule = textin.Rule{Label: "한 줄 소개", Max: 200}
	bundleDescRule    = textin.Rule{Label: "상세 설명", Max: 5000, Multiline: true}
)

// Validate checks the form without I/O: every wrong field at once
// (apperr.Invalid with Fields: name, summary, description, category_id,
// price, parts, part_N_product, part_N_quantity, part_N_share with N from 1),
// including shares that do not sum to the price exactly.
func (in *BundleInput) Validate() error {
	in.Name = strings.TrimSpace(in.Name)
	in.Summary = strings.TrimSpace(in.Summary)
	in.Description = strings.TrimSpace(textin.NormalizeNewlines(in.Description))
	f := map[string]string{}
	for k, r := range map[string]struct {
		rule textin.Rule
		v    string
	}{"name": {bundleNameRule, in.Name}, "summary": {bundleSummaryRule, in.Summary}, "description": {bundleDescRule, in.Description}} {
		if msg := r.rule.Message(r.v); msg != "" {
			f[k] = msg
		}
	}
	if in.CategoryID <= 0 {
		f["category_id"] = "분류를 골라 주세요."
	}
	if in.Price < 1 || in.Price > MaxBundlePrice {
		f["price"] = fmt.Sprintf("판매가는 1원부터 %s까지 입력해 주세요.", kr.Won(MaxBundlePrice))
	}
	switch n := len(in.Parts); {
	case n < MinBundleParts:
		f["parts"] = fmt.Sprintf("구성품을 %d개 이상 넣어 주세요.", MinBundleParts)
	case n > MaxBundleParts:
		f["parts"] = fmt.Sprintf("구성품은 %d개까지 넣을 수 있습니다.", MaxBundleParts)
	}
	var sum int64
	seen := map[[2]int64]int{}
	partsOK := true
	for i, p := range in.Parts {
		key := "part_" + strconv.Itoa(i+1) + "_"
		if p.ProductID <= 0 || p.OptionID < 0 {
			f[key+"product"] = fmt.Sprintf("%d번 구성품의 상품 번호를 입력해 주세요.", i+1)
			partsOK = false
		} else if j, dup := seen[[2]int64{p.ProductID, p.OptionID}]; dup {
			f[key+"product"] = fmt.Sprintf("%d번 구성품은 %d번 구성품과 같은 상품입니다. 수량으로 합쳐 주세요.", i+1, j)
			partsOK = false
		} else {
			seen[[2]int64{p.ProductID, p.OptionID}] = i + 1
		}
		if p.Quantity < 1 || p.Quantity > 99 {
			f[key+"quantity"] = fmt.Sprintf("%d번 구성품의 수량은 1개부터 99개까지입니다.", i+1)
			partsOK = false
			continue
		}
		switch {
		case p.Share < 1 || p.Share > MaxBundlePrice:
			f[key+"share"] = fmt.Sprintf("%d번 구성품의 몫(원)을 입력해 주세요.", i+1)
			partsOK = false
		case p.Share%int64(p.Quantity) != 0:
			f[key+"share"] = fmt.Sprintf("%d번 구성품의 몫 %s은 수량 %d개로 나누어떨어져야 합니다 (한 개 값이 원 단위여야 합니다).",
				i+1, kr.Won(p.Share), p.Quantity)
			partsOK = false
		default:
			sum += p.Share
		}
	}
	if partsOK && f["price"] == "" && f["parts"] == "" && sum != in.Price {
		diff := sum - in.Price
		how := "많습니다"
		if diff < 0 {
			diff, how = -diff, "적습니다"
		}
		f["parts"] = fmt.Sprintf("구성품 몫의 합계 %s이 판매가 %s과 같아야 합니다. 지금은 %s %s.",
			kr.Won(sum), kr.Won(in.Price), kr.Won(diff), how)
	}
	if len(f) > 0 {
		msg := "공동상품 정보를 확인해 주세요."
		if m := f["parts"]; m != "" {
			msg = m
		}
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: f}
	}
	return nil
}

// Create makes a bundle from in (operator only): it checks the form, then
// that every part is a product (not a bundle) of goods of an active
// enterprise, with an option exactly when the product has options, and
// writes it in one transaction. The 대표 기업 is the first part's
// enterprise; the bundle is taxable when any part is. apperr.Invalid with
// Fields for a wrong form or part, Conflict for a name the 대표 기업 already
// uses, and RequireOperator's errors. Nothing is written on error.
func (s *Bundles) Create(ctx context.Context, in BundleInput) (*Bundle, error) {
	actor, err := account.RequireOperator(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	f := map[string]string{}
	parts := make([]BundlePart, len(in.Parts))
	tax := Exempt
	for i, p := range in.Parts {
		key := "part_" + strconv.Itoa(i+1) + "_product"
		parts[i] = BundlePart{ProductID: p.ProductID, OptionID: p.OptionID, Quantity: p.Quantity, Share: p.Share}
		prod, err := s.Store.FindManagedProduct(ctx, p.ProductID, 0)
		if apperr.Code(err) == apperr.NotFound {
			f[key] = fmt.Sprintf("%d번 구성품: 상품 번호 %d을(를) 찾을 수 없습니다 (공동상품은 구성품이 될 수 없습니다).", i+1, p.ProductID)
			continue
		}
		if err != nil {
			return nil, err
		}
		if msg := partProblem(prod, p.OptionID); msg != "" {
			f[key] = fmt.Sprintf("%d번 구성품 '%s': %s", i+1, prod.Name, msg)
			continue
		}
		parts[i].Product = prod
		if prod.TaxType == Taxable {
			tax = Taxable
		}
	}
	if len(f) > 0 {
		return nil, &apperr.Error{Code: apperr.Invalid, Message: "구성품을 확인해 주세요.", Fields: f}
	}
	status := StatusDraft
	if in.Publish {
		status = StatusActive
	}
	lead := parts[0].Product
	b := &Bundle{Parts: parts, Product: &Product{EnterpriseID: lead.EnterpriseID, CategoryID: in.CategoryID, Kind: Goods,
		Name: in.Name, Summary: in.Summary, Description: in.Description, TaxType: tax,
		ConsumerPrice: in.Price, PublicPrice: in.Price, Status: status, Enterprise: lead.Enterprise}}
	err = s.Store.CreateBundle(ctx, b, actor.UserID, func(_, b *Bundle) (*account.AuditRecord, error) {
		return newRecord(ctx, s.Auditor, ActionBundleCreate, EntityBundle, b.Product.ID, b.Product.EnterpriseID, nil, bundleRecord(b))
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// partProblem says why prod cannot be a part with option optionID, in
// Korean; "" when it can.
func partProblem(prod *Product, optionID int64) string {
	switch {
	case prod.Status == StatusArchived:
		return "삭제된 상품입니다."
	case prod.Kind != Goods:
		return "서비스 상품은 공동상품에 넣을 수 없습니다."
	case prod.Enterprise != nil && prod.Enterprise.Status != EnterpriseActive:
		return "판매 중인 기업의 상품이 아닙니다."
	case optionID == 0 && len(prod.Options) > 0:
		return "옵션이 있는 상품입니다. 옵션 번호를 입력해 주세요."
	case optionID != 0:
		for _, o := range prod.Options {
			if o.ID == optionID {
				return ""
			}
		}
		return fmt.Sprintf("옵션 번호 %d은(는) 이 상품의 옵션이 아닙니다.", optionID)
	}
	return ""
}

// bundleRecord is what the audit log keeps of a bundle.
func bundleRecord(b *Bundle) map[string]any {
	parts := make([]map[string]any, len(b.Parts))
	for i, p := range b.Parts {
		parts[i] = map[string]any{"product_id": p.ProductID, "option_id": p.OptionID, "quantity": p.Quantity, "share": p.Share}
	}
	return map[string]any{"name": b.Product.Name, "price": b.Product.ConsumerPrice, "status": b.Product.Status,
		"enterprise_id": b.Product.EnterpriseID, "parts": parts}
}

// SetStatus puts bundle id on sale (StatusActive) or takes it off
// (StatusHidden), operator only. apperr.Invalid for another status,
// NotFound when id is not a bundle.
func (s *Bundles) SetStatus(ctx context.Context, id int64, status string) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	if status != StatusActive && status != StatusHidden {
		return apperr.Errorf(apperr.Invalid, "공동상품은 판매 중 또는 숨김으로만 바꿀 수 있습니다.")
	}
	_, err := s.Store.SetBundleStatus(ctx, id, status, func(before, after string) (*account.AuditRecord, error) {
		return newRecord(ctx, s.Auditor, ActionBundleStatus, EntityBundle, id, 0,
			map[string]string{"status": before}, map[string]string{"status": after})
	})
	return err
}

// List lists every bundle for the console (operator only).
func (s *Bundles) List(ctx context.Context) ([]*Bundle, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.Store.FindBundles(ctx)
}

// Find returns the bundle on sale whose product is id, for the shop's
// product page; apperr.NotFound when id is not a bundle on sale.
func (s *Bundles) Find(ctx context.Context, id int64) (*Bundle, error) {
	return s.Store.FindBundle(ctx, id, true)
}
