package portal

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
)

// applicationView is the page a member of an enterprise under review sees
// instead of the portal.
type applicationView struct {
	layout
	Name      string
	Pending   bool
	Rejected  bool
	Approved  bool // approved or suspended since this session's status was read
	Reason    string
	AppliedAt *time.Time
	Reviewed  *time.Time
}

// applicationPage shows where the actor's enterprise's application stands:
// 200 on the portal's home, 403 on any other portal address (the portal
// itself is not open to them yet).
func (s *server) applicationPage(c *fiber.Ctx) error {
	app, err := s.Onboarding.ApplicationStatus(c.UserContext())
	if err != nil {
		return err
	}
	v := applicationView{Name: app.Enterprise.Name, AppliedAt: app.AppliedAt, Reviewed: app.ReviewedAt}
	switch app.Enterprise.Status {
	case account.EnterprisePending:
		v.Pending = true
	case account.EnterpriseRejected:
		v.Rejected, v.Reason = true, app.RejectionReason
	default:
		// Decided since the session's status was read: no redirect to
		// /portal, which would send the same session back here.
		v.Approved = true
	}
	v.Title = "입점 신청 현황"
	if p := c.Path(); (p != "/portal" && p != "/portal/") || c.Method() != fiber.MethodGet {
		c.Status(fiber.StatusForbidden)
	}
	return s.render(c, "portal/application", &v)
}
