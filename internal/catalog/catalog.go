// Package catalog is the product catalogue of the co-op: member enterprises,
// the category tree and products, with the rules that keep them valid.
// It knows nothing of PostgreSQL, HTTP or the search engine.
package catalog

import (
	"context"
	"time"
)

// EnterpriseType is one of the six social-economy enterprise types; public
// priority-purchase reports group by it, so the set is closed.
type EnterpriseType string

// The six social-economy enterprise types.
const (
	SocialEnterprise    EnterpriseType = "social_enterprise"     // 사회적기업
	PreSocialEnterprise EnterpriseType = "pre_social_enterprise" // 예비사회적기업
	VillageEnterprise   EnterpriseType = "village_enterprise"    // 마을기업
	SelfSufficiency     EnterpriseType = "self_sufficiency"      // 자활기업
	Cooperative         EnterpriseType = "cooperative"           // 협동조합
	SocialCooperative   EnterpriseType = "social_cooperative"    // 사회적협동조합
)

// EnterpriseTypes lists the types in display order.
var EnterpriseTypes = []EnterpriseType{SocialEnterprise, PreSocialEnterprise, VillageEnterprise,
	SelfSufficiency, Cooperative, SocialCooperative}

var enterpriseTypeLabels = map[EnterpriseType]string{
	SocialEnterprise: "사회적기업", PreSocialEnterprise: "예비사회적기업", VillageEnterprise: "마을기업",
	SelfSufficiency: "자활기업", Cooperative: "협동조합", SocialCooperative: "사회적협동조합",
}

// Valid reports whether t is one of the six types.
func (t EnterpriseType) Valid() bool { _, ok := enterpriseTypeLabels[t]; return ok }

// Label is the Korean name of the type.
func (t EnterpriseType) Label() string { return enterpriseTypeLabels[t] }

// Region is one of the 17 시·도.
type Region string

// Regions lists the 17 시·도 codes in the official order.
var Regions = []Region{"seoul", "busan", "daegu", "incheon", "gwangju", "daejeon", "ulsan", "sejong",
	"gyeonggi", "gangwon", "chungbuk", "chungnam", "jeonbuk", "jeonnam", "gyeongbuk", "gyeongnam", "jeju"}

var regionLabels = map[Region]string{
	"seoul": "서울", "busan": "부산", "daegu": "대구", "incheon": "인천", "gwangju": "광주",
	"daejeon": "대전", "ulsan": "울산", "sejong": "세종", "gyeonggi": "경기", "gangwon": "강원",
	"chungbuk": "충북", "chungnam": "충남", "jeonbuk": "전북", "jeonnam": "전남",
	"gyeongbuk": "경북", "gyeongnam": "경남", "jeju": "제주",
}

// Valid reports whether r is one of the 17 시·도.
func (r Region) Valid() bool { _, ok := regionLabels[r]; return ok }

// Label is the short Korean name of the region (대구, 경북, ...).
func (r Region) Label() string { return regionLabels[r] }

// TaxType says whether a product's price includes 10% VAT (과세) or none (면세).
type TaxType string

// Tax types.
const (
	Taxable TaxType = "taxable" // 과세
	Exempt  TaxType = "exempt"  // 면세
)

// Valid reports whether t is a known tax type.
func (t TaxType) Valid() bool { return t == Taxable || t == Exempt }

// Label is the Korean name of the tax type.
func (t TaxType) Label() string {
	if t == Exempt {
		return "면세"
	}
	return "과세"
}

// Kind distinguishes goods (shipped) from services (청소, 인쇄, 케이터링, 교육 ...).
type Kind string

// Product kinds.
const (
	Goods   Kind = "goods"
	Service Kind = "service"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Goods || k == Service }

// Label is the Korean name of the kind.
func (k Kind) Label() string {
	if k == Service {
		return "서비스"
	}
	return "상품"
}

// Product statuses. Only active products (of an active enterprise) are shown
// and indexed. An enterprise moves its products between draft and active; an
// operator hides them (the enterprise cannot publish a hidden product again)
// and approves those pending review; a deleted product that was ever ordered
// stays, archived, for the orders that refer to it.
const (
	StatusDraft         = "draft"          // 판매중지: saved, not shown
	StatusActive        = "active"         // 판매중
	StatusHidden        = "hidden"         // 운영자 숨김
	StatusPendingReview = "pending_review" // 검토 대기: published by an enterprise whose products need review
	StatusArchived      = "archived"       // 삭제됨: never shown, listed or indexed again
)

var productStatusLabels = map[string]string{
	StatusDraft: "판매중지", StatusActive: "판매중", StatusHidden: "운영자 숨김",
	StatusPendingReview: "검토 대기", StatusArchived: "삭제됨",
}

// ValidProductStatus reports whether s is one of the product statuses.
func ValidProductStatus(s string) bool { _, ok := productStatusLabels[s]; return ok }

// ProductStatusLabel is the Korean name of a product status.
func ProductStatusLabel(s string) string { return productStatusLabels[s] }

// Enterprise statuses. Only an active enterprise's products are shown and
// indexed; suspending one takes them out of search at once.
const (
	EnterprisePending   = "pending"
	EnterpriseActive    = "active"
	EnterpriseSuspended = "suspended"
)

// ShippingPolicy is an enterprise's delivery charge: a fee per order part, free
// at or above the threshold (0 = never free), plus a surcharge for 제주/도서산간.
type ShippingPolicy struct {
	Fee             int64
	FreeThreshold   int64
	RemoteSurcharge int64
}

// Enterprise is a member enterprise of the co-op.
type Enterprise struct {
	ID             int64
	ExternalID     string
	Name           string
	Type           EnterpriseType
	CertNumber     string     // certification / designation number, if any
	CertValidUntil *time.Time // nil when open-ended or unknown
	BusinessNumber string     // 사업자등록번호, 10 digits
	Region         Region
	Representative string
	Phone          string
	Email          string
	Address        string
	// Return is where returns and exchanges go (반품 주소); zero when the
	// enterprise has set none (ReturnTo falls back to Address).
	Return      ReturnAddress
	Mission     string
	Description string
	Shipping    ShippingPolicy
	Status      string
	// ReviewProducts says an operator approves this enterprise's products
	// before they are shown: publishing one makes it StatusPendingReview.
	ReviewProducts bool
	ProductCount   int // filled by finders that say so
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Category is a node of the category tree.
type Category struct {
	ID         int64
	ExternalID string
	Slug       string
	ParentID   *int64
	Name       string
	Position   int
	// Children is filled by NewCategoryIndex.
	Children []*Category
}

// Option is a sellable variant (SKU) of a product.
type Option struct {
	ID         int64
	Code       string
	Name       string
	ExtraPrice int64
	Stock      int
}

// Image is a product picture.
type Image struct {
	URL      string
	Alt      string
	ThumbURL string // a small rendition for lists; "" when there is none
}

// Product is an item or service an enterprise sells through the co-op.
type Product struct {
	ID            int64
	ExternalID    string // the importer's stable id; generated for products made in the portal
	Code          string // 상품코드: the enterprise's own code, unique within it (optional)
	EnterpriseID  int64
	CategoryID    int64
	Kind          Kind
	Name          string
	Summary       string
	Description   string
	Unit          string
	TaxType       TaxType
	ConsumerPrice int64 // 원, VAT included when taxable
	PublicPrice   int64 // 원, the price public institutions pay
	// ConsumerTiers and PublicTiers are the volume tiers of each price list,
	// sorted by minimum quantity; none on most products.
	ConsumerTiers []Tier
	PublicTiers   []Tier
	Stock         int
	Status        string
	Featured      bool
	Popularity    int
	Options       []Option
	Images        []Image
	CreatedAt     time.Time
	UpdatedAt     time.Time

	// Enterprise and Category are filled by FindProductByID.
	Enterprise *Enterprise
	Category   *Category
	// Parts are a joint product's parts (see Bundle), filled by the cart's
	// finder; nil for any other product.
	Parts []BundlePart
}

// InStock reports whether the product can be ordered now.
func (p *Product) InStock() bool { return p.Stock > 0 }

// ProductFilter selects products for lists (not for text search). Pagination is
// by keyset: AfterID returns products with a smaller id (newest first).
type ProductFilter struct {
	CategoryIDs  []int64 // any of (callers pass a category and its descendants)
	EnterpriseID int64
	Featured     bool
	Limit        int
	Offset       int
	// NoTotal skips counting the matches (the total is returned as 0): for
	// shelves that show a few products and no pages.
	NoTotal bool
}

// MaxListed is how deep a product list (Store.FindProducts) goes: the first
// MaxListed matches, newest first, and a total of at most MaxListed. Counting
// or skipping past every match would cost a request time that grows with the
// catalogue; search finds what is deeper.
const MaxListed = 10000

// Store is what the catalogue needs from the system of record.
type Store interface {
	// FindProductByID returns an active product with its enterprise, category,
	// options and images. NotFound if missing or not active.
	FindProductByID(ctx context.Context, id int64) (*Product, error)
	// FindProducts returns active products matching f (newest first) and the
	// total, both within the first MaxListed matches.
	FindProducts(ctx context.Context, f ProductFilter) ([]*Product, int, error)
	// FindEnterpriseByID returns an active enterprise. NotFound if missing.
	FindEnterpriseByID(ctx context.Context, id int64) (*Enterprise, error)
	// FindDirectory returns a page of the active enterprises matching f,
	// with their product counts, and the directory's counts.
	FindDirectory(ctx context.Context, f DirectoryFilter) (*Directory, error)
	// FindCategories returns every category, flat, ordered by position then
	// name; NewCategoryIndex turns them into a tree.
	FindCategories(ctx context.Context) ([]*Category, error)
}
