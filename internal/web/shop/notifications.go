package shop

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/notify"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// The member's notifications (/account/notifications) and which of them
// also come by mail.

func (s *server) mountNotifications(r fiber.Router, k *web.Kit) {
	nt := func(h fiber.Handler) []fiber.Handler { return []fiber.Handler{s.needNotify, k.CheckCSRF, h} }
	r.Get("/account/notifications", nt(signedIn(s.notificationsPage))...)
	r.Post("/account/notifications/read-all", nt(s.notificationsReadAll)...)
	r.Post("/account/notifications/:id<int>/open", nt(s.notificationOpen)...)
	r.Get("/account/notifications/settings", nt(signedIn(s.notifySettingsPage))...)
	r.Post("/account/notifications/settings", nt(s.notifySettingsSubmit)...)
}

func (s *server) needNotify(c *fiber.Ctx) error {
	if s.Notify == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

const notificationsPerPage = 20

type notificationItem struct {
	ID                int64
	Kind, Title, Body string
	Date              string
	Read              bool
}

type notificationsView struct {
	layout
	Items []notificationItem
	Total int
	Pager view.Pager
	Saved bool
}

// notificationsPage is GET /account/notifications.
func (s *server) notificationsPage(c *fiber.Ctx) error {
	page := view.QueryPage(c, "page")
	list, total, err := s.Notify.List(c.UserContext(), notificationsPerPage, (page-1)*notificationsPerPage)
	if err != nil {
		return err
	}
	v := &notificationsView{Total: total, Saved: c.Query("saved") == "1"}
	for _, n := range list {
		v.Items = append(v.Items, notificationItem{ID: n.ID, Kind: n.Kind.Label(), Title: n.Title, Body: n.Body,
			Date: kr.DateTime(n.CreatedAt), Read: n.Read})
	}
	v.Pager = view.BuildPager(page, view.TotalPages(total, notificationsPerPage, 1000), func(n int) string {
		return "/account/notifications?page=" + strconv.Itoa(n)
	})
	v.Title, v.NoIndex, v.Forms, v.Nav = "알림", true, true, "account"
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "shop/notifications", v)
}

// notificationOpen is POST /account/notifications/:id/open: marks it read
// and goes where it points.
func (s *server) notificationOpen(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	link, err := s.Notify.Open(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	return c.Redirect(safeNext(link, "/account/notifications"), fiber.StatusSeeOther)
}

// notificationsReadAll is POST /account/notifications/read-all.
func (s *server) notificationsReadAll(c *fiber.Ctx) error {
	if err := s.Notify.ReadAll(c.UserContext()); err != nil {
		return err
	}
	return c.Redirect("/account/notifications", fiber.StatusSeeOther)
}

type prefItem struct {
	Kind, Label string
	On          bool
	Required    bool
}

type notifySettingsView struct {
	layout
	Items []prefItem
	Saved bool
}

// notifySettingsPage is GET /account/notifications/settings.
func (s *server) notifySettingsPage(c *fiber.Ctx) error {
	kinds, on, err := s.Notify.Prefs(c.UserContext())
	if err != nil {
		return err
	}
	v := &notifySettingsView{Saved: c.Query("saved") == "1"}
	for _, k := range kinds {
		v.Items = append(v.Items, prefItem{Kind: string(k), Label: k.Label(), On: on[k], Required: k.Required()})
	}
	v.Title, v.NoIndex, v.Forms, v.Nav = "알림 설정", true, true, "account"
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "shop/notify_settings", v)
}

// notifySettingsSubmit is POST /account/notifications/settings (mail: the
// kinds to mail).
func (s *server) notifySettingsSubmit(c *fiber.Ctx) error {
	on := map[notify.Kind]bool{}
	for _, k := range c.Context().PostArgs().PeekMulti("mail") {
		on[notify.Kind(k)] = true
	}
	if err := s.Notify.SetPrefs(c.UserContext(), on); err != nil {
		return err
	}
	return c.Redirect("/account/notifications/settings?saved=1", fiber.StatusSeeOther)
}
