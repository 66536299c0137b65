package admin

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/textin"
)

// 기획전 and online expos: the list, the form (period in KST, text,
// products hand-picked and by rule, discount), the banner and an expo's
// booths. curation.Service checks the operator and writes the audit log.

const navCampaigns = "campaigns"

func (s *server) mountCampaigns(g fiber.Router) {
	g.Get("/campaigns", s.campaignsPage)
	g.Get("/campaigns/new", s.newCampaignPage)
	g.Post("/campaigns/new", s.createCampaign)
	g.Get("/campaigns/:id<int>", s.campaignPage)
	g.Post("/campaigns/:id<int>", s.updateCampaign)
	g.Post("/campaigns/:id<int>/banner", s.uploadBanner)
	g.Post("/campaigns/:id<int>/booths", s.addBooth)
	g.Post("/campaigns/:id<int>/booths/:booth<int>/remove", s.removeBooth)
}

type campaignRow struct {
	ID                          int64
	Title, Kind, Status, Period string
	Discount, URL, PublicURL    string
	Live, Published             bool
}

type campaignsView struct {
	layout
	Campaigns []campaignRow
	Total     int
}

func period(c *curation.Campaign) string {
	return kr.DateTime(c.StartsAt) + " ~ " + kr.DateTime(c.EndsAt)
}

func (s *server) campaignsPage(c *fiber.Ctx) error {
	cs, total, err := s.Curation.Campaigns(c.UserContext(), curation.Filter{Limit: 100})
	if err != nil {
		return err
	}
	v := &campaignsView{Total: total}
	now := s.Curation.Clock()
	for _, x := range cs {
		v.Campaigns = append(v.Campaigns, campaignRow{ID: x.ID, Title: x.Title, Kind: x.Kind.Label(), Status: x.Status.Label(),
			Period: period(x), Discount: x.DiscountLabel(), URL: "/admin/campaigns/" + strconv.FormatInt(x.ID, 10),
			PublicURL: "/campaigns/" + x.Slug, Live: x.Live(now), Published: x.Status == curation.Published})
	}
	v.Title, v.Nav = "기획전·박람회", navCampaigns
	return s.render(c, "admin/campaigns", v)
}

type choice struct {
	Value, Label string
	Checked      bool
}

type boothRow struct {
	ID             int64
	EnterpriseName string
	URL            string
	HasStory       bool
}

type campaignFormView struct {
	layout
	ID        int64
	Action    string
	F         curation.Input
	Errors    map[string]string
	Problem   string
	Kinds     []choice
	Types     []choice
	Regions   []choice
	Cats      []choice
	Banner    curation.Image
	Booths    []boothRow
	Ents      []choice
	BoothErr  string
	BannerErr string
	PublicURL string
	Expo      bool
}

func has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *server) campaignForm(c *fiber.Ctx, v *campaignFormView, status int) error {
	ctx := c.UserContext()
	for _, k := range []curation.Kind{curation.Sale, curation.Expo} {
		v.Kinds = append(v.Kinds, choice{Value: string(k), Label: k.Label(), Checked: string(k) == v.F.Kind})
	}
	for _, t := range catalog.EnterpriseTypes {
		v.Types = append(v.Types, choice{Value: string(t), Label: t.Label(), Checked: has(v.F.Types, string(t))})
	}
	for _, r := range catalog.Regions {
		v.Regions = append(v.Regions, choice{Value: string(r), Label: r.Label(), Checked: has(v.F.Regions, string(r))})
	}
	cats, err := s.Catalog.Store.FindCategories(ctx)
	if err != nil {
		return err
	}
	for _, cat := range cats {
		id := strconv.FormatInt(cat.ID, 10)
		label := cat.Name
		if cat.ParentID != nil {
			label = "– " + label
		}
		v.Cats = append(v.Cats, choice{Value: id, Label: label, Checked: id == v.F.CategoryID})
	}
	if v.ID != 0 {
		cp, err := s.Curation.Campaign(ctx, v.ID)
		if err != nil {
			return err
		}
		v.Banner, v.Expo, v.PublicURL = curation.Image{URL: cp.BannerURL, Alt: cp.BannerAlt}, cp.Kind == curation.Expo, "/campaigns/"+cp.Slug
		in := map[int64]bool{}
		for _, b := range cp.Booths {
			in[b.EnterpriseID] = true
			v.Booths = append(v.Booths, boothRow{ID: b.ID, EnterpriseName: b.EnterpriseName, HasStory: b.Story != "",
				URL: "/admin/campaigns/" + strconv.FormatInt(v.ID, 10) + "/booths/" + strconv.FormatInt(b.ID, 10) + "/remove"})
		}
		if v.Expo {
			ents, _, err := s.Catalog.FindAllEnterprises(ctx, catalog.ManagedEnterpriseFilter{Status: catalog.EnterpriseActive, Limit: 200})
			if err != nil {
				return err
			}
			for _, e := range ents {
				if !in[e.ID] {
					v.Ents = append(v.Ents, choice{Value: strconv.FormatInt(e.ID, 10), Label: e.Name})
				}
			}
		}
	}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Nav = navCampaigns
	if v.ID == 0 {
		v.Title, v.Action = "새 기획전·박람회", "/admin/campaigns/new"
	} else {
		v.Title, v.Action = v.F.Title, "/admin/campaigns/"+strconv.FormatInt(v.ID, 10)
	}
	c.Status(status)
	return s.render(c, "admin/campaign", v)
}

func (s *server) newCampaignPage(c *fiber.Ctx) error {
	now := s.Curation.Clock()
	return s.campaignForm(c, &campaignFormView{F: curation.Input{Kind: string(curation.Sale), Status: string(curation.Draft),
		Starts: curation.FormatKST(now.Truncate(24 * 60 * 60 * 1e9)), Ends: curation.FormatKST(now.AddDate(0, 0, 14).Truncate(24 * 60 * 60 * 1e9))}}, fiber.StatusOK)
}

func readCampaign(c *fiber.Ctx) curation.Input {
	args := c.Request().PostArgs()
	var types, regions []string
	for _, b := range args.PeekMulti("types") {
		types = append(types, string(b))
	}
	for _, b := range args.PeekMulti("regions") {
		regions = append(regions, string(b))
	}
	return curation.Input{Slug: c.FormValue("slug"), Kind: c.FormValue("kind"), Title: c.FormValue("title"),
		Summary: c.FormValue("summary"), Body: c.FormValue("body"), Starts: c.FormValue("starts"), Ends: c.FormValue("ends"),
		Status: c.FormValue("status"), Featured: c.FormValue("featured") == "1", Types: types, Regions: regions,
		CategoryID: c.FormValue("category_id"), Keyword: c.FormValue("keyword"), DiscountKind: c.FormValue("discount_kind"),
		DiscountValue: c.FormValue("discount_value"), FundedBy: c.FormValue("funded_by"), Products: c.FormValue("products")}
}

// refused shows the form again with err's messages, the input kept.
func (s *server) refused(c *fiber.Ctx, v *campaignFormView, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Invalid && ae.Code != apperr.Conflict) {
		return err
	}
	v.Errors, v.Problem = ae.Fields, ae.Message
	for _, p := range []*string{&v.F.Slug, &v.F.Title, &v.F.Summary, &v.F.Body, &v.F.Keyword, &v.F.DiscountValue, &v.F.Products} {
		*p = textin.ForDisplay(*p)
	}
	status := fiber.StatusUnprocessableEntity
	if ae.Code == apperr.Conflict {
		status = fiber.StatusConflict
	}
	return s.campaignForm(c, v, status)
}

func (s *server) createCampaign(c *fiber.Ctx) error {
	in := readCampaign(c)
	cp, err := s.Curation.Create(c.UserContext(), in)
	if err != nil {
		return s.refused(c, &campaignFormView{F: in}, err)
	}
	return c.Redirect("/admin/campaigns/"+strconv.FormatInt(cp.ID, 10)+"?done=campaign_saved", fiber.StatusSeeOther)
}

func (s *server) campaignPage(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	cp, err := s.Curation.Campaign(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	return s.campaignForm(c, &campaignFormView{ID: cp.ID, F: curation.InputOf(cp)}, fiber.StatusOK)
}

func (s *server) updateCampaign(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	in := readCampaign(c)
	if _, err := s.Curation.Update(c.UserContext(), int64(id), in); err != nil {
		if apperr.Code(err) == apperr.NotFound {
			return err
		}
		return s.refused(c, &campaignFormView{ID: int64(id), F: in}, err)
	}
	return c.Redirect("/admin/campaigns/"+strconv.Itoa(id)+"?done=campaign_saved", fiber.StatusSeeOther)
}

// current shows campaign id's form as saved with a message about one of
// its side forms (banner, booths).
func (s *server) current(c *fiber.Ctx, id int64, set func(v *campaignFormView), err error) error {
	switch apperr.Code(err) {
	case apperr.Invalid, apperr.Conflict:
	default:
		return err
	}
	cp, ferr := s.Curation.Campaign(c.UserContext(), id)
	if ferr != nil {
		return ferr
	}
	v := &campaignFormView{ID: id, F: curation.InputOf(cp)}
	set(v)
	return s.campaignForm(c, v, fiber.StatusUnprocessableEntity)
}

func (s *server) uploadBanner(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	fh, err := c.FormFile("banner")
	if err != nil || fh.Size == 0 {
		return s.current(c, int64(id), func(v *campaignFormView) { v.BannerErr = "올릴 배너 이미지를 선택해 주세요." },
			apperr.Errorf(apperr.Invalid, "no file"))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	if err := s.Curation.SetBanner(c.UserContext(), int64(id), f, c.FormValue("alt")); err != nil {
		return s.current(c, int64(id), func(v *campaignFormView) { v.BannerErr = apperr.Message(err) }, err)
	}
	return c.Redirect("/admin/campaigns/"+strconv.Itoa(id)+"?done=campaign_banner#banner", fiber.StatusSeeOther)
}

func (s *server) addBooth(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	ent, _ := strconv.ParseInt(c.FormValue("enterprise_id"), 10, 64)
	if _, err := s.Curation.AddBooth(c.UserContext(), int64(id), ent); err != nil {
		return s.current(c, int64(id), func(v *campaignFormView) { v.BoothErr = apperr.Message(err) }, err)
	}
	return c.Redirect("/admin/campaigns/"+strconv.Itoa(id)+"?done=booth_added#booths", fiber.StatusSeeOther)
}

func (s *server) removeBooth(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	booth, _ := c.ParamsInt("booth")
	b, err := s.Curation.Booth(c.UserContext(), int64(booth))
	if err != nil {
		return err
	}
	if b.CampaignID != int64(id) {
		return apperr.Errorf(apperr.NotFound, "찾는 부스가 없습니다.")
	}
	if err := s.Curation.RemoveBooth(c.UserContext(), int64(booth)); err != nil {
		return err
	}
	return c.Redirect("/admin/campaigns/"+strconv.Itoa(id)+"?done=booth_removed#booths", fiber.StatusSeeOther)
}
