package portal

import (
	"github.com/gofiber/fiber/v2"
)

// dashboardView is the portal's home. A placeholder: the dashboard (sales
// by day and week, top products, low stock, orders waiting) replaces it.
type dashboardView struct {
	layout
	Name string
}

// dashboardPage is GET /portal.
func (s *server) dashboardPage(c *fiber.Ctx) error {
	v := dashboardView{Name: enterprise(c).Name}
	v.Title, v.Nav = "대시보드", navDashboard
	return s.render(c, "portal/dashboard", &v)
}
