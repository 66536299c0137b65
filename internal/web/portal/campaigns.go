package portal

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/textin"
)

// The enterprise's campaign participation: its booths in online expos
// (story, video link, gallery), with a link to the inquiries visitors sent
// from them (product questions, /portal/questions). curation.Service
// scopes every booth to the actor's enterprise: another's is 404.

const navCampaigns = "campaigns"

func (s *server) mountCampaigns(g fiber.Router) {
	g.Get("/campaigns", s.needCuration, s.boothsPage)
	g.Get("/campaigns/:id<int>", s.needCuration, s.boothEditPage)
	g.Post("/campaigns/:id<int>", s.needCuration, s.boothSave)
	g.Post("/campaigns/:id<int>/images", s.needCuration, s.boothImage)
	g.Post("/campaigns/:id<int>/images/:n<int>/remove", s.needCuration, s.boothImageRemove)
}

func (s *server) needCuration(c *fiber.Ctx) error {
	if s.Curation == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

type boothItem struct {
	ID                               int64
	Campaign, Period, URL, PublicURL string
	Live, HasStory                   bool
}

type boothsView struct {
	layout
	Booths []boothItem
}

func (s *server) boothsPage(c *fiber.Ctx) error {
	bs, err := s.Curation.MyBooths(c.UserContext())
	if err != nil {
		return err
	}
	v := &boothsView{}
	now := s.Curation.Clock()
	for _, b := range bs {
		v.Booths = append(v.Booths, boothItem{ID: b.ID, Campaign: b.Campaign.Title, Live: b.Campaign.Live(now), HasStory: b.Story != "",
			Period:    kr.DateTime(b.Campaign.StartsAt) + " ~ " + kr.DateTime(b.Campaign.EndsAt),
			URL:       "/portal/campaigns/" + strconv.FormatInt(b.ID, 10),
			PublicURL: "/campaigns/" + b.Campaign.Slug + "/booths/" + strconv.FormatInt(b.ID, 10)})
	}
	v.Title, v.Nav = "기획전·박람회 참가", navCampaigns
	return s.render(c, "portal/campaigns", v)
}

type boothEditView struct {
	layout
	Booth     *curation.Booth
	Story     string
	VideoURL  string
	Errors    map[string]string
	Problem   string
	ImageErr  string
	PublicURL string
	Live      bool
	Period    string
}

func (s *server) renderBooth(c *fiber.Ctx, b *curation.Booth, v *boothEditView, status int) error {
	v.Booth = b
	if v.Errors == nil {
		v.Errors = map[string]string{}
		v.Story, v.VideoURL = b.Story, b.VideoURL
	}
	v.Live = b.Campaign.Live(s.Curation.Clock())
	v.Period = kr.DateTime(b.Campaign.StartsAt) + " ~ " + kr.DateTime(b.Campaign.EndsAt)
	v.PublicURL = "/campaigns/" + b.Campaign.Slug + "/booths/" + strconv.FormatInt(b.ID, 10)
	v.Title, v.Nav = b.Campaign.Title+" 부스", navCampaigns
	c.Status(status)
	return s.render(c, "portal/campaign", v)
}

func (s *server) booth(c *fiber.Ctx) (*curation.Booth, error) {
	id, _ := c.ParamsInt("id")
	return s.Curation.Booth(c.UserContext(), int64(id))
}

func (s *server) boothEditPage(c *fiber.Ctx) error {
	b, err := s.booth(c)
	if err != nil {
		return err
	}
	v := &boothEditView{}
	v.Done = map[string]string{"saved": "부스 소개를 저장했습니다.", "image": "사진을 올렸습니다.", "removed": "사진을 뺐습니다."}[c.Query("done")]
	return s.renderBooth(c, b, v, fiber.StatusOK)
}

func (s *server) boothSave(c *fiber.Ctx) error {
	b, err := s.booth(c)
	if err != nil {
		return err
	}
	in := curation.BoothInput{Story: c.FormValue("story"), VideoURL: c.FormValue("video_url")}
	if _, err := s.Curation.EditBooth(c.UserContext(), b.ID, in); err != nil {
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
			return err
		}
		return s.renderBooth(c, b, &boothEditView{Story: textin.ForDisplay(in.Story), VideoURL: textin.ForDisplay(in.VideoURL),
			Errors: ae.Fields, Problem: ae.Message}, fiber.StatusUnprocessableEntity)
	}
	return c.Redirect("/portal/campaigns/"+strconv.FormatInt(b.ID, 10)+"?done=saved", fiber.StatusSeeOther)
}

func (s *server) boothImage(c *fiber.Ctx) error {
	b, err := s.booth(c)
	if err != nil {
		return err
	}
	refuse := func(msg string) error {
		return s.renderBooth(c, b, &boothEditView{ImageErr: msg}, fiber.StatusUnprocessableEntity)
	}
	fh, err := c.FormFile("image")
	if err != nil || fh.Size == 0 {
		return refuse("올릴 사진 파일을 선택해 주세요.")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := s.Curation.AddBoothImage(c.UserContext(), b.ID, f, c.FormValue("alt")); err != nil {
		if apperr.Code(err) != apperr.Invalid {
			return err
		}
		return refuse(apperr.Message(err))
	}
	return c.Redirect("/portal/campaigns/"+strconv.FormatInt(b.ID, 10)+"?done=image#gallery", fiber.StatusSeeOther)
}

func (s *server) boothImageRemove(c *fiber.Ctx) error {
	b, err := s.booth(c)
	if err != nil {
		return err
	}
	n, _ := c.ParamsInt("n")
	if _, err := s.Curation.RemoveBoothImage(c.UserContext(), b.ID, n); err != nil {
		return err
	}
	return c.Redirect("/portal/campaigns/"+strconv.FormatInt(b.ID, 10)+"?done=removed#gallery", fiber.StatusSeeOther)
}
