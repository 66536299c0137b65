package admin

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/kr"
)

// The terms, the privacy policy and the checkout's collection notice: the
// operator publishes a new version; old versions stay, since orders point
// at the ones their buyers agreed to.

type legalDoc struct {
	Kind, Label, Version, Published, Body, Err string
	URL                                        string // the shop page showing it ("" for the checkout notice)
}

type legalView struct {
	layout
	Docs    []legalDoc
	Problem string
}

// shopPath is where the shop shows each kind.
var shopPath = map[coop.DocKind]string{coop.Terms: "/terms", coop.Privacy: "/privacy"}

// renderLegal shows every kind's current version; edited (with its error)
// replaces the body of the kind the operator just tried to publish.
func (s *server) renderLegal(c *fiber.Ctx, edited coop.DocKind, body, errMsg string, status int) error {
	v := legalView{}
	v.Title, v.Nav = "약관과 개인정보 문서", navSettings
	for _, k := range coop.DocKinds {
		d := legalDoc{Kind: string(k), Label: k.Label(), URL: shopPath[k]}
		cur, err := s.Documents.Current(c.UserContext(), k)
		switch {
		case err == nil:
			d.Version, d.Published, d.Body = cur.VersionLabel(), kr.DateTime(cur.PublishedAt), cur.Body
		case apperr.Code(err) != apperr.NotFound:
			return err
		}
		if k == edited {
			d.Body, d.Err = body, errMsg
		}
		v.Docs = append(v.Docs, d)
	}
	if errMsg != "" {
		v.Problem = "입력한 내용을 확인해 주세요."
	}
	c.Status(status)
	return s.render(c, "admin/legal", &v)
}

// legalPage lists the documents with a form to publish a new version of each.
func (s *server) legalPage(c *fiber.Ctx) error {
	if s.Documents == nil {
		return fiber.ErrServiceUnavailable
	}
	return s.renderLegal(c, "", "", "", fiber.StatusOK)
}

// publishLegal publishes the form's body as the next version of :kind
// (audited); a refused body comes back with its message (422).
func (s *server) publishLegal(c *fiber.Ctx) error {
	if s.Documents == nil {
		return fiber.ErrServiceUnavailable
	}
	kind := coop.DocKind(c.Params("kind"))
	body := c.FormValue("body")
	_, err := s.Documents.Publish(c.UserContext(), kind, body)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid && ae.Fields["body"] != "" {
		return s.renderLegal(c, kind, body, ae.Fields["body"], fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return redirectDone(c, "/admin/legal", "document_published")
}
