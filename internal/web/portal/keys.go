package portal

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/web/view"
)

// mountKeys registers the API key screens on the /portal group: keys let
// an enterprise's own systems use /api/v1/portal; only owners (and
// operators acting on behalf) see and manage them.
func (s *server) mountKeys(g fiber.Router) {
	g.Get("/keys", s.needAccounts, s.keysPage)
	g.Post("/keys", s.needAccounts, s.createKey)
	g.Get("/keys/:kid<int>/revoke", s.needAccounts, s.revokeKeyPage)
	g.Post("/keys/:kid<int>/revoke", s.needAccounts, s.revokeKey)
}

// keyDone are the notices of the key page's ?done= codes.
var keyDone = map[string]string{
	"revoked": "API 키를 폐기했습니다. 이 키를 쓰던 연동은 바로 멈춥니다.",
}

// keyRow is one API key of the list.
type keyRow struct {
	ID       int64
	Name     string
	Prefix   string
	Created  string
	LastUsed string
	Revoked  string // when it was revoked; "" while in use
}

type keysView struct {
	layout
	// Denied: a staff member, who may not see the keys.
	Denied  bool
	Keys    []keyRow
	Name    string // the create form's name as typed
	Err     string // the name's problem
	Created *keyRow
	Secret  string // the new key's value, shown this once
}

// keysPage is GET /portal/keys.
func (s *server) keysPage(c *fiber.Ctx) error {
	v := keysView{}
	v.Done = keyDone[c.Query("done")]
	return s.renderKeys(c, &v, fiber.StatusOK)
}

// renderKeys fills the list and writes the key page with status. A staff
// member gets the page saying who manages keys, with 403.
func (s *server) renderKeys(c *fiber.Ctx, v *keysView, status int) error {
	keys, err := s.Accounts.FindAPIKeys(c.UserContext(), enterprise(c).ID)
	if apperr.Code(err) == apperr.Forbidden {
		v.Denied, status = true, fiber.StatusForbidden
	} else if err != nil {
		return err
	}
	for _, k := range keys {
		v.Keys = append(v.Keys, keyRowOf(k))
	}
	v.Title, v.Nav = "API 키", navKeys
	c.Status(status)
	return s.render(c, "portal/keys", v)
}

func keyRowOf(k *account.APIKey) keyRow {
	r := keyRow{ID: k.ID, Name: k.Name, Prefix: k.Prefix, Created: view.FormatDateTime(k.CreatedAt), LastUsed: view.FormatDateTime(k.LastUsedAt),
		Revoked: view.FormatDateTime(k.RevokedAt)}
	if r.LastUsed == "" {
		r.LastUsed = "아직 안 씀"
	}
	return r
}

// createKey is POST /portal/keys: the new key's value is on the page it
// answers with, and nowhere else, ever.
func (s *server) createKey(c *fiber.Ctx) error {
	name := strings.TrimSpace(c.FormValue("name"))
	k, secret, err := s.Accounts.CreateAPIKey(c.UserContext(), enterprise(c).ID, name)
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Code == apperr.Invalid && ae.Fields["name"] != "" {
			return s.renderKeys(c, &keysView{Name: name, Err: ae.Fields["name"]}, fiber.StatusUnprocessableEntity)
		}
		return err
	}
	row := keyRowOf(k)
	return s.renderKeys(c, &keysView{Created: &row, Secret: secret}, fiber.StatusOK)
}

// keyID reads the :kid of a key route.
func keyID(c *fiber.Ctx) (int64, error) { return view.ParseID(c.Params("kid"), "API 키") }

// findKey returns the enterprise's key id (NotFound when it has none).
func (s *server) findKey(c *fiber.Ctx, id int64) (*account.APIKey, error) {
	keys, err := s.Accounts.FindAPIKeys(c.UserContext(), enterprise(c).ID)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if k.ID == id {
			return k, nil
		}
	}
	return nil, apperr.Errorf(apperr.NotFound, "찾는 API 키가 없습니다.")
}

// keyRevokeView is the question before a key is revoked.
type keyRevokeView struct {
	layout
	Key keyRow
}

// revokeKeyPage is GET /portal/keys/:kid/revoke.
func (s *server) revokeKeyPage(c *fiber.Ctx) error {
	id, err := keyID(c)
	if err != nil {
		return err
	}
	k, err := s.findKey(c, id)
	if err != nil {
		return err
	}
	if k.RevokedAt != nil {
		return c.Redirect("/portal/keys", fiber.StatusSeeOther)
	}
	v := keyRevokeView{Key: keyRowOf(k)}
	v.Title, v.Nav = "API 키 폐기: "+k.Name, navKeys
	return s.render(c, "portal/key_revoke", &v)
}

// revokeKey is POST /portal/keys/:kid/revoke. A key already revoked stays
// as it was.
func (s *server) revokeKey(c *fiber.Ctx) error {
	id, err := keyID(c)
	if err != nil {
		return err
	}
	k, err := s.findKey(c, id)
	if err != nil {
		return err
	}
	if k.RevokedAt == nil {
		if err := s.Accounts.RevokeAPIKey(c.UserContext(), enterprise(c).ID, id); err != nil {
			return err
		}
	}
	return c.Redirect("/portal/keys?done=revoked", fiber.StatusSeeOther)
}
