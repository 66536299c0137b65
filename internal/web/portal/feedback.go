package portal

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/web/view"
)

// The enterprise's reviews (one reply each) and product questions (문의,
// unanswered first). The review service scopes both to the actor's
// enterprise: another enterprise's review or question answers not found.

func (s *server) mountFeedback(g fiber.Router) {
	g.Get("/reviews", s.needReviews, s.reviewsPage)
	g.Post("/reviews/:id<int>/reply", s.needReviews, s.replyReview)
	g.Get("/questions", s.needReviews, s.questionsPage)
	g.Post("/questions/:id<int>/answer", s.needReviews, s.answerQuestion)
}

func (s *server) needReviews(c *fiber.Ctx) error {
	if s.Reviews == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

const feedbackPerPage = 20

type portalReview struct {
	ID, ProductID      int64
	Product, Option    string
	Author, Date       string
	Rating             int
	Stars, RatingLabel string
	Body               string
	Photos             []review.Photo
	Reply, ReplyDate   string
	Hidden             bool
	Draft, Err         string // a refused reply, kept
}

type reviewsView struct {
	layout
	Reviews []portalReview
	Total   int
	Pager   view.Pager
}

func (s *server) reviewsPage(c *fiber.Ctx) error {
	v := &reviewsView{}
	if c.Query("done") == "replied" {
		v.Done = "답글을 달았습니다. 구매평을 쓴 분께 알림이 갑니다."
	}
	return s.renderReviews(c, v, view.Refusal{}, fiber.StatusOK)
}

// renderReviews shows the list with ref's row's form kept.
func (s *server) renderReviews(c *fiber.Ctx, v *reviewsView, ref view.Refusal, status int) error {
	page := view.QueryPage(c, "page")
	list, total, err := s.Reviews.EnterpriseReviews(c.UserContext(), feedbackPerPage, (page-1)*feedbackPerPage)
	if err != nil {
		return err
	}
	v.Total = total
	for _, r := range list {
		it := portalReview{ID: r.ID, ProductID: r.ProductID, Product: r.ProductName, Option: r.OptionName,
			Author: review.MaskName(r.AuthorName), Date: kr.Date(r.CreatedAt), Rating: r.Rating,
			Stars: view.Stars(r.Rating), RatingLabel: "별점 5점 중 " + strconv.Itoa(r.Rating) + "점",
			Body: r.Body, Photos: r.Photos, Reply: r.Reply, Hidden: r.Hidden}
		if r.Reply != "" {
			it.ReplyDate = kr.Date(r.RepliedAt)
		}
		it.Draft, it.Err = ref.Of(r.ID)
		v.Reviews = append(v.Reviews, it)
	}
	v.Pager = view.BuildPager(page, view.TotalPages(total, feedbackPerPage, 1000), func(n int) string {
		return "/portal/reviews?page=" + strconv.Itoa(n)
	})
	v.Title, v.Nav = "구매평", navReviews
	c.Status(status)
	return s.render(c, "portal/reviews", v)
}

func (s *server) replyReview(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	text := c.FormValue("reply")
	err := s.Reviews.Reply(c.UserContext(), int64(id), text)
	return view.RowForm(c, err, int64(id), text, "/portal/reviews?done=replied#review-"+strconv.Itoa(id),
		func(ref view.Refusal, status int) error { return s.renderReviews(c, &reviewsView{}, ref, status) })
}

type portalQuestion struct {
	ID, ProductID      int64
	Product            string
	Asker, Date        string
	Body               string
	Private, Answered  bool
	Answer, AnswerDate string
	Draft, Err         string
}

type questionsView struct {
	layout
	Questions  []portalQuestion
	Total      int
	Unanswered bool
	AllURL     string
	OpenURL    string
	Pager      view.Pager
}

func (s *server) questionsPage(c *fiber.Ctx) error {
	v := &questionsView{}
	if c.Query("done") == "answered" {
		v.Done = "답변을 달았습니다. 문의한 분께 알림이 갑니다."
	}
	return s.renderQuestions(c, v, view.Refusal{}, fiber.StatusOK)
}

// renderQuestions shows the list with ref's row's form kept.
func (s *server) renderQuestions(c *fiber.Ctx, v *questionsView, ref view.Refusal, status int) error {
	page := view.QueryPage(c, "page")
	v.Unanswered = c.Query("open") == "1"
	list, total, err := s.Reviews.EnterpriseQuestions(c.UserContext(), v.Unanswered, feedbackPerPage, (page-1)*feedbackPerPage)
	if err != nil {
		return err
	}
	v.Total, v.AllURL, v.OpenURL = total, "/portal/questions", "/portal/questions?open=1"
	for _, q := range list {
		it := portalQuestion{ID: q.ID, ProductID: q.ProductID, Product: q.ProductName, Asker: review.MaskName(q.AskerName),
			Date: kr.DateTime(q.CreatedAt), Body: q.Body, Private: q.Private, Answered: q.Answered(), Answer: q.Answer}
		if q.Answered() {
			it.AnswerDate = kr.DateTime(q.AnsweredAt)
		}
		it.Draft, it.Err = ref.Of(q.ID)
		v.Questions = append(v.Questions, it)
	}
	open := ""
	if v.Unanswered {
		open = "&open=1"
	}
	v.Pager = view.BuildPager(page, view.TotalPages(total, feedbackPerPage, 1000), func(n int) string {
		return "/portal/questions?page=" + strconv.Itoa(n) + open
	})
	v.Title, v.Nav = "상품 문의", navQuestions
	c.Status(status)
	return s.render(c, "portal/questions", v)
}

func (s *server) answerQuestion(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	text := c.FormValue("answer")
	err := s.Reviews.Answer(c.UserContext(), int64(id), text)
	return view.RowForm(c, err, int64(id), text, "/portal/questions?done=answered#question-"+strconv.Itoa(id),
		func(ref view.Refusal, status int) error { return s.renderQuestions(c, &questionsView{}, ref, status) })
}
