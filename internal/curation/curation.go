// Package curation is what the co-op chooses to show: 기획전 (campaigns)
// and online expos (a campaign with a booth per participating
// enterprise), their product lists (hand-picked, rule-based or both) and
// their discounts on the consumer list.
//
// A campaign is live while it is published and the present moment is in
// its period [StartsAt, EndsAt). Liveness is never stored: every read
// compares the period with the time of the read (the store's SQL takes
// the service's clock), so a scheduled start or end takes effect on time
// on every instance, without a restart, a job or a cache to invalidate.
package curation

import (
	"context"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/pricing"
)

// Kind is a campaign's kind.
type Kind string

// Kinds.
const (
	Sale Kind = "campaign" // 기획전
	Expo Kind = "expo"     // 온라인 박람회
)

// Valid reports whether k is a kind.
func (k Kind) Valid() bool { return k == Sale || k == Expo }

// Label is the kind's Korean name.
func (k Kind) Label() string {
	if k == Expo {
		return "온라인 박람회"
	}
	return "기획전"
}

// Status is a campaign's publication state; consumers never see a draft.
type Status string

// Statuses.
const (
	Draft     Status = "draft"
	Published Status = "published"
)

// Label is the status's Korean name.
func (s Status) Label() string {
	if s == Published {
		return "공개"
	}
	return "초안"
}

// Discount kinds (campaigns.discount_kind); "" is no discount.
const (
	DiscountPercent = "percent"
	DiscountWon     = "won"
)

// Rule selects products by their enterprise and category: a product
// matches when every criterion set matches. A rule with no criterion
// selects nothing (Empty).
type Rule struct {
	Types      []catalog.EnterpriseType
	Regions    []catalog.Region
	CategoryID int64 // the category or one of its children
	// Keyword matches the product's name or summary (the catalogue has no
	// tags; a keyword such as "명절" or "친환경" plays their part).
	Keyword string
}

// Empty reports whether r has no criterion.
func (r Rule) Empty() bool {
	return len(r.Types) == 0 && len(r.Regions) == 0 && r.CategoryID == 0 && r.Keyword == ""
}

// Campaign is a 기획전 or an expo.
type Campaign struct {
	ID        int64
	Slug      string
	Kind      Kind
	Title     string
	Summary   string
	Body      string
	BannerURL string
	BannerAlt string
	StartsAt  time.Time
	EndsAt    time.Time
	Status    Status
	Featured  bool
	Rule      Rule
	// DiscountKind is DiscountPercent (DiscountValue in basis points),
	// DiscountWon (won off each unit) or "" (none); FundedBy is
	// pricing.FundedByCoop or pricing.FundedByEnterprise.
	DiscountKind  string
	DiscountValue int64
	FundedBy      string
	// ProductIDs are the hand-picked products, in order.
	ProductIDs []int64
	Booths     []*Booth
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Live reports whether c is shown and priced at now.
func (c *Campaign) Live(now time.Time) bool {
	return c.Status == Published && !now.Before(c.StartsAt) && now.Before(c.EndsAt)
}

// Discount is c's discount as pricing applies it, nil when c has none.
func (c *Campaign) Discount() *pricing.Discount {
	if c.DiscountKind == "" {
		return nil
	}
	return &pricing.Discount{CampaignID: c.ID, Campaign: c.Title, Percent: c.DiscountKind == DiscountPercent,
		Value: c.DiscountValue, FundedBy: c.FundedBy}
}

// Booth is one enterprise's place in an expo.
type Booth struct {
	ID             int64
	CampaignID     int64
	EnterpriseID   int64
	EnterpriseName string
	Story          string
	VideoURL       string // https only
	Images         []Image
	Position       int
	// Campaign is the booth's expo (FindBooth and the portal's lists).
	Campaign *Campaign
}

// Image is a picture of a booth's gallery or a banner.
type Image struct {
	URL string
	Alt string
}

// MaxBoothImages is the most pictures a booth's gallery holds.
const MaxBoothImages = 8

// Filter selects campaigns.
type Filter struct {
	// LiveAt, when set, keeps published campaigns whose period holds it.
	LiveAt   *time.Time
	Kind     Kind
	Featured bool
	Limit    int
	Offset   int
}

// Store keeps campaigns. Every method's not found is apperr.NotFound.
//
// Every write takes the audit record of the change (nil for none) and
// writes it in the change's transaction: a change never lands without its
// record, and a refused one leaves none.
type Store interface {
	// CreateCampaign writes c with its hand-picked products, setting ID
	// and times (audit's EntityID becomes the id); a taken slug is
	// apperr.Conflict.
	CreateCampaign(ctx context.Context, c *Campaign, audit *account.AuditRecord) error
	// UpdateCampaign replaces c's fields and hand-picked products (not its
	// booths nor banner) in one transaction.
	UpdateCampaign(ctx context.Context, c *Campaign, audit *account.AuditRecord) error
	// SetBanner sets c's banner.
	SetBanner(ctx context.Context, id int64, img Image, audit *account.AuditRecord) error
	// DeleteCampaign deletes a campaign no order line names (Conflict
	// otherwise).
	DeleteCampaign(ctx context.Context, id int64, audit *account.AuditRecord) error
	// FindCampaign returns a campaign with its products and booths;
	// liveAt, when set, finds it only when live then.
	FindCampaign(ctx context.Context, id int64, liveAt *time.Time) (*Campaign, error)
	// FindCampaignBySlug is FindCampaign by slug.
	FindCampaignBySlug(ctx context.Context, slug string, liveAt *time.Time) (*Campaign, error)
	// FindCampaigns returns campaigns (without products and booths) by
	// start, newest first, and their count.
	FindCampaigns(ctx context.Context, f Filter) ([]*Campaign, int, error)
	// CampaignProducts returns the active products of active enterprises
	// in campaign c (hand-picked first in their order, then the rule's by
	// newest), of enterprise ent only when ent > 0, at most limit, each
	// with its Enterprise (ID, Name, Type, Region) and first image.
	CampaignProducts(ctx context.Context, c *Campaign, ent int64, limit int) ([]*catalog.Product, error)
	// CheapestProduct returns the lowest consumer price (base price, no
	// option) among the products c's list would hold, and that
	// product's name; ok false when it holds none.
	CheapestProduct(ctx context.Context, c *Campaign) (name string, price int64, ok bool, err error)
	// ConsumerDiscounts returns the discounts of the campaigns live at
	// `at` holding each of ids (Service asks DiscountsLive first).
	ConsumerDiscounts(ctx context.Context, ids []int64, at time.Time) (map[int64][]pricing.Discount, error)
	// DiscountsLive reports whether any discount campaign is live at `at`:
	// the cheap question asked before ConsumerDiscounts (a listing asks it
	// while it searches).
	DiscountsLive(ctx context.Context, at time.Time) (bool, error)
	// AllConsumerDiscounts is ConsumerDiscounts for every active product.
	AllConsumerDiscounts(ctx context.Context, at time.Time) (map[int64][]pricing.Discount, error)
	// DiscountsChanged is the latest moment up to `at` when the set of
	// live discounts could have changed: a discount campaign's start or
	// end passed, or a campaign was edited; zero when none.
	DiscountsChanged(ctx context.Context, at time.Time) (time.Time, error)

	// CreateBooth adds enterprise b.EnterpriseID's booth to b.CampaignID
	// (Conflict when it has one; Invalid when the campaign is not an expo
	// or the enterprise is not active).
	CreateBooth(ctx context.Context, b *Booth, audit *account.AuditRecord) error
	// DeleteBooth removes a booth.
	DeleteBooth(ctx context.Context, id int64, audit *account.AuditRecord) error
	// FindBooth returns a booth with its images and campaign; ent > 0
	// finds it only when it is that enterprise's.
	FindBooth(ctx context.Context, id, ent int64) (*Booth, error)
	// UpdateBooth writes a booth's story, video and images.
	UpdateBooth(ctx context.Context, b *Booth, audit *account.AuditRecord) error
	// FindBoothsOfEnterprise returns ent's booths with their campaigns,
	// newest expo first.
	FindBoothsOfEnterprise(ctx context.Context, ent int64) ([]*Booth, error)
}
