package curation

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/imageproc"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/pricing"
)

// MediaPrefix is where uploaded images are served (/media/u/<key>), as
// the portal serves product images.
const MediaPrefix = "/media/u/"

// Service applies the rules of campaigns. Writes are the operators' (the
// audit log records each), but a booth's story and gallery, which its
// enterprise edits too. It is the app's pricing.Discounts.
type Service struct {
	Store Store
	Blobs blob.Store
	// Audit builds the audit record of every write, which the store
	// writes in the change's transaction (*account.Service; nil: none,
	// tests only).
	Audit interface {
		NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error)
	}
	// Now is the clock liveness is computed with (time.Now when nil).
	Now func() time.Time
}

var _ pricing.Discounts = (*Service)(nil)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func notFound() error { return apperr.Errorf(apperr.NotFound, "찾는 기획전이 없습니다.") }

func boothNotFound() error { return apperr.Errorf(apperr.NotFound, "찾는 부스가 없습니다.") }

// audit builds the record of action on campaign id (of enterprise ent, 0
// for none) for the store to write with the change; none without Audit.
func (s *Service) audit(ctx context.Context, action string, id, ent int64, before, after any) (*account.AuditRecord, error) {
	if s.Audit == nil {
		return nil, nil
	}
	return s.Audit.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: ent, Action: action, Entity: "campaign",
		EntityID: strconv.FormatInt(id, 10), Before: before, After: after})
}

// checkDiscount refuses a won discount that reaches the price of a product
// the campaign holds (the buyer would pay nothing or less).
func (s *Service) checkDiscount(ctx context.Context, c *Campaign) error {
	if c.DiscountKind != DiscountWon {
		return nil
	}
	name, price, ok, err := s.Store.CheapestProduct(ctx, c)
	if err != nil || !ok || c.DiscountValue < price {
		return err
	}
	msg := "할인 금액(" + kr.Won(c.DiscountValue) + ")이 '" + name + "'의 가격(" + kr.Won(price) + ") 이상입니다. 할인 금액을 줄이거나 그 상품을 빼 주세요."
	return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: apperr.Fields{"discount_value": msg}}
}

// Create adds a campaign (operators only). Invalid with per-field messages
// (Input.build, and discount_value for a won discount reaching a
// product's price), Conflict for a taken address; nothing is written then.
func (s *Service) Create(ctx context.Context, in Input) (*Campaign, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	c, err := in.build()
	if err != nil {
		return nil, err
	}
	if err := s.checkDiscount(ctx, c); err != nil {
		return nil, err
	}
	rec, err := s.audit(ctx, "campaign.create", 0, 0, nil, in)
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreateCampaign(ctx, c, rec); err != nil {
		return nil, err
	}
	return c, nil
}

// Update changes campaign id's form fields (operators only), as Create
// checks them.
func (s *Service) Update(ctx context.Context, id int64, in Input) (*Campaign, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	old, err := s.Store.FindCampaign(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	c, err := in.build()
	if err != nil {
		return nil, err
	}
	c.ID, c.BannerURL, c.BannerAlt, c.Booths = id, old.BannerURL, old.BannerAlt, old.Booths
	if err := s.checkDiscount(ctx, c); err != nil {
		return nil, err
	}
	rec, err := s.audit(ctx, "campaign.update", id, 0, InputOf(old), in)
	if err != nil {
		return nil, err
	}
	if err := s.Store.UpdateCampaign(ctx, c, rec); err != nil {
		return nil, err
	}
	return c, nil
}

// Delete removes a campaign no order names (operators only).
func (s *Service) Delete(ctx context.Context, id int64) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	old, err := s.Store.FindCampaign(ctx, id, nil)
	if err != nil {
		return err
	}
	rec, err := s.audit(ctx, "campaign.delete", id, 0, InputOf(old), nil)
	if err != nil {
		return err
	}
	return s.Store.DeleteCampaign(ctx, id, rec)
}

// storeImage checks and re-encodes an upload (imageproc, as the portal's
// product images) and keeps it in the blob store.
func (s *Service) storeImage(ctx context.Context, r io.Reader) (string, error) {
	if s.Blobs == nil {
		return "", apperr.Errorf(apperr.Unavailable, "이미지를 보관할 곳이 없어 올릴 수 없습니다.")
	}
	res, err := imageproc.Process(r, imageproc.DefaultMaxBytes)
	if err != nil {
		return "", err
	}
	mainKey, thumbKey := res.Keys()
	if err := s.Blobs.Put(ctx, mainKey, bytes.NewReader(res.Main.Data), res.Main.ContentType); err != nil {
		return "", err
	}
	if err := s.Blobs.Put(ctx, thumbKey, bytes.NewReader(res.Thumb.Data), res.Thumb.ContentType); err != nil {
		return "", err
	}
	return MediaPrefix + mainKey, nil
}

// SetBanner uploads campaign id's banner (operators only). Invalid for an
// image imageproc refuses or an alt text too long.
func (s *Service) SetBanner(ctx context.Context, id int64, r io.Reader, alt string) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	alt = strings.TrimSpace(alt)
	if msg := altRule.Message(alt); msg != "" {
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: apperr.Fields{"alt": msg}}
	}
	old, err := s.Store.FindCampaign(ctx, id, nil)
	if err != nil {
		return err
	}
	url, err := s.storeImage(ctx, r)
	if err != nil {
		return err
	}
	rec, err := s.audit(ctx, "campaign.banner", id, 0, map[string]string{"banner": old.BannerURL}, map[string]string{"banner": url})
	if err != nil {
		return err
	}
	return s.Store.SetBanner(ctx, id, Image{URL: url, Alt: alt}, rec)
}

// Campaign returns any campaign, drafts too (operators only).
func (s *Service) Campaign(ctx context.Context, id int64) (*Campaign, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.Store.FindCampaign(ctx, id, nil)
}

// Campaigns lists every campaign (operators only).
func (s *Service) Campaigns(ctx context.Context, f Filter) ([]*Campaign, int, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, 0, err
	}
	f.LiveAt = nil
	return s.Store.FindCampaigns(ctx, clamp(f))
}

func clamp(f Filter) Filter {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 50
	}
	f.Offset = max(f.Offset, 0)
	return f
}

// Live returns the campaign at slug when it is live now: a draft, one not
// started or one ended is NotFound, for everyone.
func (s *Service) Live(ctx context.Context, slug string) (*Campaign, error) {
	now := s.now()
	c, err := s.Store.FindCampaignBySlug(ctx, slug, &now)
	if apperr.Code(err) == apperr.NotFound {
		return nil, notFound()
	}
	return c, err
}

// LiveCampaigns lists the campaigns live now; featured only when
// featured.
func (s *Service) LiveCampaigns(ctx context.Context, kind Kind, featured bool, limit int) ([]*Campaign, error) {
	now := s.now()
	cs, _, err := s.Store.FindCampaigns(ctx, clamp(Filter{LiveAt: &now, Kind: kind, Featured: featured, Limit: limit}))
	return cs, err
}

// Products lists campaign c's products (of enterprise ent when ent > 0).
func (s *Service) Products(ctx context.Context, c *Campaign, ent int64, limit int) ([]*catalog.Product, error) {
	return s.Store.CampaignProducts(ctx, c, ent, limit)
}

// ConsumerDiscounts returns the discounts live now on each of ids: the
// cart's and the listings' pricing.Discounts.
//
// Most of the time no discount campaign is live: it asks that cheap question
// (DiscountsLive) first, which spares the full query (its plan alone costs
// PostgreSQL ~0.4 ms, its execution ~0.05 ms).
func (s *Service) ConsumerDiscounts(ctx context.Context, ids []int64) (map[int64][]pricing.Discount, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	now := s.now()
	if live, err := s.Store.DiscountsLive(ctx, now); err != nil || !live {
		return map[int64][]pricing.Discount{}, err
	}
	return s.Store.ConsumerDiscounts(ctx, ids, now)
}

// LiveConsumerDiscounts is ConsumerDiscounts for a caller that has just
// learnt from DiscountsLive that a discount campaign is live (a listing asks
// while its search runs): it does not ask again.
func (s *Service) LiveConsumerDiscounts(ctx context.Context, ids []int64) (map[int64][]pricing.Discount, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.Store.ConsumerDiscounts(ctx, ids, s.now())
}

// DiscountsLive reports whether any discount campaign is live now.
func (s *Service) DiscountsLive(ctx context.Context) (bool, error) {
	return s.Store.DiscountsLive(ctx, s.now())
}

// DiscountsChanged is when the live discounts last changed, up to now
// (the feeds' validator).
func (s *Service) DiscountsChanged(ctx context.Context) (time.Time, error) {
	return s.Store.DiscountsChanged(ctx, s.now())
}

// AllConsumerDiscounts returns every discount live now (the feeds).
func (s *Service) AllConsumerDiscounts(ctx context.Context) (map[int64][]pricing.Discount, error) {
	now := s.now()
	if live, err := s.Store.DiscountsLive(ctx, now); err != nil || !live {
		return map[int64][]pricing.Discount{}, err
	}
	return s.Store.AllConsumerDiscounts(ctx, now)
}

// AddBooth gives enterprise ent a booth in expo id (operators only).
// Conflict when it has one, Invalid when id is not an expo.
func (s *Service) AddBooth(ctx context.Context, id, ent int64) (*Booth, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	c, err := s.Store.FindCampaign(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	if c.Kind != Expo {
		return nil, apperr.Errorf(apperr.Invalid, "부스는 온라인 박람회에만 둘 수 있습니다.")
	}
	b := &Booth{CampaignID: id, EnterpriseID: ent, Position: len(c.Booths)}
	rec, err := s.audit(ctx, "campaign.booth_add", id, ent, nil, map[string]int64{"enterprise_id": ent})
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreateBooth(ctx, b, rec); err != nil {
		return nil, err
	}
	return b, nil
}

// RemoveBooth removes a booth (operators only).
func (s *Service) RemoveBooth(ctx context.Context, boothID int64) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	b, err := s.Store.FindBooth(ctx, boothID, 0)
	if err != nil {
		return err
	}
	rec, err := s.audit(ctx, "campaign.booth_remove", b.CampaignID, b.EnterpriseID, map[string]any{"booth_id": b.ID, "story": b.Story}, nil)
	if err != nil {
		return err
	}
	return s.Store.DeleteBooth(ctx, boothID, rec)
}

// LiveBooth returns booth id of an expo live now, for visitors (NotFound
// otherwise).
func (s *Service) LiveBooth(ctx context.Context, id int64) (*Booth, error) {
	b, err := s.Store.FindBooth(ctx, id, 0)
	if apperr.Code(err) == apperr.NotFound || (err == nil && !b.Campaign.Live(s.now())) {
		return nil, boothNotFound()
	}
	return b, err
}

// boothScope is the enterprise whose booths the actor may edit: 0 for an
// operator in the console (any), else account.EnterpriseScope.
func boothScope(ctx context.Context) (int64, error) {
	if a := account.FromContext(ctx); a.IsOperator() && !a.OnBehalf {
		return 0, nil
	}
	return account.EnterpriseScope(ctx)
}

// Booth returns a booth its enterprise (or an operator) may edit; another
// enterprise's is NotFound.
func (s *Service) Booth(ctx context.Context, id int64) (*Booth, error) {
	ent, err := boothScope(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.Store.FindBooth(ctx, id, ent)
	if apperr.Code(err) == apperr.NotFound {
		return nil, boothNotFound()
	}
	return b, err
}

// MyBooths lists the booths of the actor's enterprise (the portal).
func (s *Service) MyBooths(ctx context.Context) ([]*Booth, error) {
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, err
	}
	return s.Store.FindBoothsOfEnterprise(ctx, ent)
}

// EditBooth writes a booth's story and video (its enterprise or an
// operator). Invalid with fields story, video_url; NotFound for another
// enterprise's booth.
func (s *Service) EditBooth(ctx context.Context, id int64, in BoothInput) (*Booth, error) {
	b, err := s.Booth(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	rec, err := s.audit(ctx, "campaign.booth_edit", b.CampaignID, b.EnterpriseID,
		map[string]string{"story": b.Story, "video_url": b.VideoURL}, in)
	if err != nil {
		return nil, err
	}
	b.Story, b.VideoURL = in.Story, in.VideoURL
	if err := s.Store.UpdateBooth(ctx, b, rec); err != nil {
		return nil, err
	}
	return b, nil
}

// AddBoothImage adds a picture to a booth's gallery (its enterprise or an
// operator). Invalid when the gallery is full, the alt text too long or
// the image refused.
func (s *Service) AddBoothImage(ctx context.Context, id int64, r io.Reader, alt string) (*Booth, error) {
	b, err := s.Booth(ctx, id)
	if err != nil {
		return nil, err
	}
	alt = strings.TrimSpace(alt)
	if msg := altRule.Message(alt); msg != "" {
		return nil, &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: apperr.Fields{"alt": msg}}
	}
	if len(b.Images) >= MaxBoothImages {
		return nil, apperr.Errorf(apperr.Invalid, "부스 사진은 %d장까지 올릴 수 있습니다.", MaxBoothImages)
	}
	url, err := s.storeImage(ctx, r)
	if err != nil {
		return nil, err
	}
	rec, err := s.audit(ctx, "campaign.booth_image", b.CampaignID, b.EnterpriseID, nil, map[string]string{"image": url})
	if err != nil {
		return nil, err
	}
	b.Images = append(b.Images, Image{URL: url, Alt: alt})
	if err := s.Store.UpdateBooth(ctx, b, rec); err != nil {
		return nil, err
	}
	return b, nil
}

// RemoveBoothImage removes picture n (0-based) of a booth's gallery.
func (s *Service) RemoveBoothImage(ctx context.Context, id int64, n int) (*Booth, error) {
	b, err := s.Booth(ctx, id)
	if err != nil {
		return nil, err
	}
	if n < 0 || n >= len(b.Images) {
		return nil, apperr.Errorf(apperr.Conflict, "사진 목록이 그사이 바뀌었습니다. 화면을 새로 고친 뒤 다시 시도해 주세요.")
	}
	rec, err := s.audit(ctx, "campaign.booth_image_remove", b.CampaignID, b.EnterpriseID, map[string]string{"image": b.Images[n].URL}, nil)
	if err != nil {
		return nil, err
	}
	b.Images = append(b.Images[:n:n], b.Images[n+1:]...)
	if err := s.Store.UpdateBooth(ctx, b, rec); err != nil {
		return nil, err
	}
	return b, nil
}

// Clock is the service's present moment (liveness, forms' defaults).
func (s *Service) Clock() time.Time { return s.now() }
