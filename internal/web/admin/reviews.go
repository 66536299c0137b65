package admin

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/textin"
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
	return s.renderReviews(c, &reviewsView{}, 0, "", nil, fiber.StatusOK)
}

func (s *server) renderReviews(c *fiber.Ctx, v *reviewsView, failedID int64, draft string, failure error, status int) error {
	page, err := strconv.Atoi(c.Query("page", "1"))
	if err != nil || page < 1 || page > 1000 {
		page = 1
	}
	list, total, err := s.Reviews.AllReviews(c.UserContext(), reviewsPerPage, (page-1)*reviewsPerPage)
	if err != nil {
		return err
	}
	v.Total = total
	for _, r := range list {
		it := adminReview{ID: r.ID, ProductID: r.ProductID, EnterpriseID: r.EnterpriseID, Product: r.ProductName,
			Author: r.AuthorName, Date: kr.DateTime(r.CreatedAt), Rating: r.Rating, Body: r.Body, Hidden: r.Hidden, HiddenReason: r.HiddenReason}
		if r.ID == failedID {
			it.Draft, it.Err = draft, apperr.Message(failure)
		}
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
	if err := s.Reviews.Hide(c.UserContext(), int64(id), reason); err != nil {
		switch apperr.Code(err) {
		case apperr.Invalid, apperr.Conflict:
			status := fiber.StatusUnprocessableEntity
			if apperr.Code(err) == apperr.Conflict {
				status = fiber.StatusConflict
			}
			return s.renderReviews(c, &reviewsView{}, int64(id), textin.ForDisplay(reason), err, status)
		}
		return err
	}
	return c.Redirect("/admin/reviews?done=review_hidden#review-"+strconv.Itoa(id), fiber.StatusSeeOther)
}

// unhideReview shows a hidden review again (review.Service.Unhide writes
// the audit log).
func (s *server) unhideReview(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	if err := s.Reviews.Unhide(c.UserContext(), int64(id)); err != nil {
		if apperr.Code(err) == apperr.Conflict {
			return s.renderReviews(c, &reviewsView{}, int64(id), "", err, fiber.StatusConflict)
		}
		return err
	}
	return c.Redirect("/admin/reviews?done=review_shown#review-"+strconv.Itoa(id), fiber.StatusSeeOther)
}
