package portal

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web"
)

// The enterprise's own profile: its business details as the co-op keeps
// them (read-only here) and its return address (반품 주소), which the
// product pages and orders show; unset, returns go to the place of
// business. The enterprise is always the actor's own (guard): there is no
// id in the address to change.

func (s *server) mountProfile(g fiber.Router) {
	g.Get("/profile", s.profilePage)
	g.Post("/profile", s.saveProfile)
}

type profileView struct {
	layout
	E              *catalog.Enterprise
	BusinessNumber string
	R              catalog.ReturnAddress
	ReturnTo       string // what shoppers see now
	Errors         map[string]string
	Problem        string
}

func (s *server) renderProfile(c *fiber.Ctx, r catalog.ReturnAddress, errs map[string]string, problem string, status int) error {
	e := enterprise(c)
	v := profileView{E: e, BusinessNumber: kr.FormatBusinessNumber(e.BusinessNumber), R: r, ReturnTo: e.ReturnTo(),
		Errors: errs, Problem: problem}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Title, v.Nav = "기업 정보", navProfile
	v.Scripts = []string{s.kit.Templates.StaticPath("postcode.js")}
	web.AllowPostcodeSearch(c)
	if c.Query("done") == "return" {
		v.Done = "반품 주소를 저장했습니다."
	}
	c.Status(status)
	return s.render(c, "portal/profile", &v)
}

// profilePage is GET /portal/profile.
func (s *server) profilePage(c *fiber.Ctx) error {
	return s.renderProfile(c, enterprise(c).Return, nil, "", fiber.StatusOK)
}

// saveProfile sets the return address (all fields empty clears it); a
// refused form comes back with what was typed (422).
func (s *server) saveProfile(c *fiber.Ctx) error {
	r := catalog.ReturnAddress{Postcode: c.FormValue("return_postcode"), Road: c.FormValue("return_road"),
		Detail: c.FormValue("return_detail"), Phone: c.FormValue("return_phone")}
	_, err := s.Manager.SetReturnAddress(c.UserContext(), r)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid {
		return s.renderProfile(c, r, ae.Fields, ae.Message, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/portal/profile?done=return", fiber.StatusSeeOther)
}
