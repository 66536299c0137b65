package admin

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/view"
)

// Every review, newest first, with a form to hide an abusive one with a
// reason (review.Service.Hide writes the audit log) and to show a hidden one
// again.

const reviewsPerPage = 30

type adminReview struct {
	ID, ProductID, EnterpriseID int64
	Product, Author, Date       string
	Rating                      int
	Body                        string
	Hidden                      bool
	HiddenReason                string
	Draft, Err                  string
}

type reviewsView struct {
	layout
	Reviews []adminReview
	Total   int
	Pager   view.Pager
}

func (s *server) reviewsPage(c *fiber.Ctx) error {
	return s.renderReviews(c, view.Refusal{}, fiber.StatusOK)
}

// renderReviews shows the list with ref's row's form kept.
func (s *server) renderReviews(c *fiber.Ctx, ref view.Refusal, status int) error {
	v := &reviewsView{}
	page := view.QueryPage(c, "page")
	list, total, err := s.Reviews.AllReviews(c.UserContext(), reviewsPerPage, (page-1)*reviewsPerPage)
	if err != nil {
		return err
	}
	v.Total = total
	for _, r := range list {
		it := adminReview{ID: r.ID, ProductID: r.ProductID, EnterpriseID: r.EnterpriseID, Product: r.ProductName,
			Author: r.AuthorName, Date: kr.DateTime(r.CreatedAt), Rating: r.Rating, Body: r.Body, Hidden: r.Hidden, HiddenReason: r.HiddenReason}
		it.Draft, it.Err = ref.Of(r.ID)
		v.Reviews = append(v.Reviews, it)
	}
	v.Pager = view.BuildPager(page, view.TotalPages(total, reviewsPerPage, 1000), func(n int) string {
		return "/admin/reviews?page=" + strconv.Itoa(n)
	})
	v.Title, v.Nav = "구매평", navReviews
	c.Status(status)
	return s.render(c, "admin/reviews", v)
}

func (s *server) hideReview(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	reason := c.FormValue("reason")
	err := s.Reviews.Hide(c.UserContext(), int64(id), reason)
	return view.RowForm(c, err, int64(id), reason, "/admin/reviews?done=review_hidden#review-"+strconv.Itoa(id),
		func(ref view.Refusal, status int) error { return s.renderReviews(c, ref, status) })
}

// unhideReview shows a hidden review again (review.Service.Unhide writes
// the audit log).
func (s *server) unhideReview(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	err := s.Reviews.Unhide(c.UserContext(), int64(id))
	return view.RowForm(c, err, int64(id), "", "/admin/reviews?done=review_shown#review-"+strconv.Itoa(id),
		func(ref view.Refusal, status int) error { return s.renderReviews(c, ref, status) })
}
