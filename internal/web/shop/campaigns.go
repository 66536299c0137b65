package shop

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/pricing"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// 기획전 and online expos on the storefront: the live ones only (a draft,
// one not started or one ended answers 404 for everyone), their products
// at their campaign price, an expo's booths and a booth's 상담 문의.
//
// Listings price at render: the search document keeps the list price
// (search facets and sorting use it), and every card shown is priced with
// the campaign discounts live at that moment (pricingCards), the same
// pricing.Offer the cart and the feeds use.

func (s *server) mountCampaigns(r fiber.Router, k *web.Kit) {
	r.Get("/campaigns", s.campaignsPage)
	r.Get("/campaigns/:slug", s.campaignPage)
	r.Get("/campaigns/:slug/booths/:id<int>", s.boothPage)
	r.Post("/campaigns/:slug/booths/:id<int>/inquiry", k.CheckCSRF, s.boothInquiry)
}

// listingCards is priceCards and cartCards for a listing page, their reads
// (campaign prices, which products have options when the search documents
// do not say) sent at the same time. live is the page's discountsLive.
func (s *server) listingCards(c *fiber.Ctx, l *layout, cards []view.Card, live func() bool) {
	priced := slices.Clone(cards)
	var wg sync.WaitGroup
	wg.Go(func() { s.priceCards(c.UserContext(), priced, live) })
	s.cartCards(c, l, cards)
	wg.Wait()
	for i := range cards {
		priced[i].Choose, priced[i].CSRF = cards[i].Choose, cards[i].CSRF
		cards[i] = priced[i]
	}
}

// discountsLive asks, as a page starts, whether any discount campaign is
// live, and returns the wait for the answer: a listing asks while its search
// runs, so that pricing its cards costs no round trip of waiting when none
// is live (most of the time). A failure answers true: the cards are then
// priced as before, and that failure leaves them at list price.
func (s *server) discountsLive(ctx context.Context) func() bool {
	if s.Curation == nil {
		return func() bool { return false }
	}
	answer := make(chan bool, 1)
	go func() {
		live, err := s.Curation.DiscountsLive(ctx)
		if err != nil {
			s.kit.Log.Warn("live discount campaigns", "err", err)
			live = true
		}
		answer <- live
	}()
	return sync.OnceValue(func() bool { return <-answer })
}

// priceCards sets the campaign price of every card that has one now; live
// (the page's discountsLive, or nil to ask) says whether any campaign could.
// A failure leaves the cards at list price (the cart still prices right).
func (s *server) priceCards(ctx context.Context, cards []view.Card, live func() bool) {
	if s.Curation == nil || len(cards) == 0 || (live != nil && !live()) {
		return
	}
	ids := make([]int64, len(cards))
	for i, c := range cards {
		ids[i] = c.ID
	}
	discounts := s.Curation.ConsumerDiscounts
	if live != nil { // it said yes: not asked again
		discounts = s.Curation.LiveConsumerDiscounts
	}
	all, err := discounts(ctx, ids)
	if err != nil {
		s.kit.Log.Warn("campaign prices for cards", "err", err)
		return
	}
	for i, c := range cards {
		if ds := all[c.ID]; len(ds) > 0 {
			unit, d := pricing.Offer(&catalog.Product{ConsumerPrice: c.Price}, nil, ds)
			if d != nil {
				cards[i] = c.Discounted(unit, d.Campaign)
			}
		}
	}
}

type campaignCard struct {
	Title, Summary, URL, Period, Kind, Discount string
	BannerURL, BannerAlt                        string
}

func cardOfCampaign(c *curation.Campaign) campaignCard {
	return campaignCard{Title: c.Title, Summary: c.Summary, URL: "/campaigns/" + c.Slug, Kind: c.Kind.Label(),
		Period: kr.DateTime(c.StartsAt) + " ~ " + kr.DateTime(c.EndsAt), Discount: c.DiscountLabel(),
		BannerURL: c.BannerURL, BannerAlt: c.BannerAlt}
}

type campaignsView struct {
	layout
	Campaigns []campaignCard
}

func (s *server) needCuration(c *fiber.Ctx) error {
	if s.Curation == nil {
		return apperr.Errorf(apperr.NotFound, "찾는 기획전이 없습니다.")
	}
	return nil
}

func (s *server) campaignsPage(c *fiber.Ctx) error {
	if err := s.needCuration(c); err != nil {
		return err
	}
	cs, err := s.Curation.LiveCampaigns(c.UserContext(), "", false, 50)
	if err != nil {
		return err
	}
	v := &campaignsView{}
	for _, x := range cs {
		v.Campaigns = append(v.Campaigns, cardOfCampaign(x))
	}
	v.Title, v.Description = "기획전·온라인 박람회", "두레의 기획전과 사회적경제 온라인 박람회"
	return s.render(c, "shop/campaigns", v)
}

type boothCard struct {
	EnterpriseName, URL, Story string
	ImageURL, ImageAlt         string
}

type campaignView struct {
	layout
	C        campaignCard
	Body     string
	Booths   []boothCard
	Products []view.Card
	Funded   string
}

func (s *server) cardsOf(ctx context.Context, ps []*catalog.Product) []view.Card {
	cards := make([]view.Card, 0, len(ps))
	for _, p := range ps {
		cards = append(cards, view.CardFromProduct(p, p.Enterprise))
	}
	s.priceCards(ctx, cards, nil)
	return cards
}

func (s *server) campaignPage(c *fiber.Ctx) error {
	if err := s.needCuration(c); err != nil {
		return err
	}
	ctx := c.UserContext()
	cp, err := s.Curation.Live(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	v := &campaignView{C: cardOfCampaign(cp), Body: cp.Body}
	for _, b := range cp.Booths {
		bc := boothCard{EnterpriseName: b.EnterpriseName, Story: b.Story,
			URL: "/campaigns/" + cp.Slug + "/booths/" + strconv.FormatInt(b.ID, 10)}
		if len(b.Images) > 0 {
			bc.ImageURL, bc.ImageAlt = b.Images[0].URL, b.Images[0].Alt
		}
		v.Booths = append(v.Booths, bc)
	}
	ps, err := s.Curation.Products(ctx, cp, 0, 48)
	if err != nil {
		return err
	}
	v.Products = s.cardsOf(ctx, ps)
	s.cartCards(c, &v.layout, v.Products)
	v.Title, v.Description = cp.Title, cp.Summary
	return s.render(c, "shop/campaign", v)
}

type boothView struct {
	layout
	Campaign    campaignCard
	Booth       *curation.Booth
	Products    []view.Card
	Options     []productChoice
	SignedIn    bool
	Institution bool
	SignInURL   string
	Action      string
	Body        string
	Error       string
	Asked       bool
	QuoteURL    string
	VideoURL    string
}

type productChoice struct {
	ID       int64
	Name     string
	Selected bool
}

func (s *server) findBooth(c *fiber.Ctx) (*curation.Booth, error) {
	if err := s.needCuration(c); err != nil {
		return nil, err
	}
	id, _ := c.ParamsInt("id")
	b, err := s.Curation.LiveBooth(c.UserContext(), int64(id))
	if err != nil {
		return nil, err
	}
	if b.Campaign.Slug != c.Params("slug") {
		return nil, apperr.Errorf(apperr.NotFound, "찾는 부스가 없습니다.")
	}
	return b, nil
}

func (s *server) boothPage(c *fiber.Ctx) error {
	b, err := s.findBooth(c)
	if err != nil {
		return err
	}
	return s.renderBooth(c, b, &boothView{Asked: c.Query("asked") == "1"}, 0, fiber.StatusOK)
}

func (s *server) renderBooth(c *fiber.Ctx, b *curation.Booth, v *boothView, selected int64, status int) error {
	ctx := c.UserContext()
	ps, err := s.Curation.Products(ctx, b.Campaign, b.EnterpriseID, 48)
	if err != nil {
		return err
	}
	v.Campaign, v.Booth, v.Products = cardOfCampaign(b.Campaign), b, s.cardsOf(ctx, ps)
	s.cartCards(c, &v.layout, v.Products)
	for i, p := range ps {
		v.Options = append(v.Options, productChoice{ID: p.ID, Name: p.Name, Selected: p.ID == selected || (selected == 0 && i == 0)})
	}
	a := account.FromContext(ctx)
	base := "/campaigns/" + b.Campaign.Slug + "/booths/" + strconv.FormatInt(b.ID, 10)
	v.SignedIn = a != nil && a.SessionID != ""
	v.Institution = v.SignedIn && a.Role == account.InstitutionUser
	v.SignInURL = "/account/signin?next=" + url.QueryEscape(base+"#inquiry")
	v.Action = base + "/inquiry"
	if len(ps) > 0 {
		v.QuoteURL = "/biz/quotes/new?product=" + strconv.FormatInt(ps[0].ID, 10)
	}
	if u, err := url.Parse(b.VideoURL); err == nil && u.Scheme == "https" {
		v.VideoURL = u.String()
	}
	v.Title, v.Description = b.EnterpriseName+" 부스 · "+b.Campaign.Title, b.Campaign.Summary
	v.Forms = true
	c.Status(status)
	if status != fiber.StatusOK {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return s.render(c, "shop/booth", v)
}

// boothInquiry is POST …/booths/:id/inquiry (product, body): a 상담 문의 to
// the booth's enterprise, kept as a private product question
// (review.Service.Ask), which the enterprise answers in /portal/questions.
func (s *server) boothInquiry(c *fiber.Ctx) error {
	b, err := s.findBooth(c)
	if err != nil {
		return err
	}
	base := "/campaigns/" + b.Campaign.Slug + "/booths/" + strconv.FormatInt(b.ID, 10)
	if a := web.Actor(c); a == nil || a.SessionID == "" {
		return c.Redirect("/account/signin?next="+url.QueryEscape(base+"#inquiry"), fiber.StatusSeeOther)
	}
	if s.Reviews == nil {
		return fiber.ErrServiceUnavailable
	}
	pid, _ := strconv.ParseInt(c.FormValue("product"), 10, 64)
	ps, err := s.Curation.Products(c.UserContext(), b.Campaign, b.EnterpriseID, 48)
	if err != nil {
		return err
	}
	ok := false
	for _, p := range ps {
		ok = ok || p.ID == pid
	}
	body := c.FormValue("body")
	if !ok {
		return s.renderBooth(c, b, &boothView{Body: textin.ForDisplay(body), Error: "문의할 상품을 이 부스의 상품에서 골라 주세요."}, 0, fiber.StatusUnprocessableEntity)
	}
	if _, err := s.Reviews.Ask(c.UserContext(), pid, body, true); err != nil {
		if apperr.Code(err) != apperr.Invalid {
			return err
		}
		return s.renderBooth(c, b, &boothView{Body: textin.ForDisplay(body), Error: apperr.Message(err)}, pid, fiber.StatusUnprocessableEntity)
	}
	return c.Redirect(base+"?asked=1#inquiry", fiber.StatusSeeOther)
}

// campaignPrice shows p's campaign price on its page when one is live: the
// discounted price and its VAT split, the list price struck through.
func (s *server) campaignPrice(ctx context.Context, p *catalog.Product, v *productView) {
	if s.Curation == nil {
		return
	}
	ds, err := s.Curation.ConsumerDiscounts(ctx, []int64{p.ID})
	if err != nil {
		s.kit.Log.Warn("campaign price for a product page", "product", p.ID, "err", err)
		return
	}
	unit, d := pricing.Offer(p, nil, ds[p.ID])
	if d == nil {
		return
	}
	supply, vat := catalog.SplitVAT(unit, p.TaxType)
	v.ListPrice, v.Campaign = v.Price, d.Campaign
	v.Price, v.Supply, v.VAT = kr.Won(unit), kr.Won(supply), kr.Won(vat)
}
