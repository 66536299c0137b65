package shop

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/imageproc"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/textin"
	"github.com/dure-coop/dure/internal/web"
	"github.com/dure-coop/dure/internal/web/view"
)

// Reviews and questions on the product page (the "product-feedback"
// partial), the buyer's review form, "도움이 돼요" and asking a question.

// mountFeedback registers the review and question routes.
func (s *server) mountFeedback(r fiber.Router, k *web.Kit) {
	fb := func(h fiber.Handler) []fiber.Handler { return []fiber.Handler{s.needReviews, k.CheckCSRF, h} }
	r.Get("/account/reviews", fb(signedIn(s.myReviewsPage))...)
	r.Get("/account/reviews/new", fb(signedIn(s.reviewNewPage))...)
	r.Post("/account/reviews", fb(s.reviewCreate)...)
	r.Get("/account/reviews/:id<int>/edit", fb(signedIn(s.reviewEditPage))...)
	r.Post("/account/reviews/:id<int>", fb(s.reviewUpdate)...)
	r.Post("/account/reviews/:id<int>/delete", fb(s.reviewDelete)...)
	r.Post("/reviews/:id<int>/helpful", fb(s.reviewHelpful)...)
	r.Post("/p/:id<int>/questions", fb(s.askQuestion)...)
}

func (s *server) needReviews(c *fiber.Ctx) error {
	if s.Reviews == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

// reviewItem is one review as the product page and the buyer's list show it.
type reviewItem struct {
	ID, ProductID         int64
	Author, Product       string
	Option                string
	Stars, RatingLabel    string
	Rating                int
	Date                  string
	Body                  string
	Photos                []review.Photo
	Helpful               int
	Reply, ReplyDate      string
	Hidden                bool
	HiddenReason          string
	Mine, CanVote, Edited bool
}

func newReviewItem(r *review.Review, viewer *account.Actor) reviewItem {
	it := reviewItem{ID: r.ID, ProductID: r.ProductID, Author: review.MaskName(r.AuthorName), Product: r.ProductName,
		Option: r.OptionName, Stars: view.Stars(r.Rating), RatingLabel: "별점 5점 중 " + strconv.Itoa(r.Rating) + "점",
		Rating: r.Rating, Date: kr.Date(r.CreatedAt), Body: r.Body, Photos: r.Photos, Helpful: r.Helpful,
		Reply: r.Reply, Hidden: r.Hidden, HiddenReason: r.HiddenReason, Edited: r.UpdatedAt.Sub(r.CreatedAt) > 60e9}
	if r.Reply != "" {
		it.ReplyDate = kr.Date(r.RepliedAt)
	}
	if viewer != nil && viewer.SessionID != "" {
		it.Mine = viewer.UserID == r.UserID
		it.CanVote = !it.Mine
	}
	return it
}

// questionItem is one question as the product page shows it.
type questionItem struct {
	ID                   int64
	Asker, Date, Product string
	Body                 string
	Private, Redacted    bool
	Answered             bool
	Answer, AnswerDate   string
}

func newQuestionItem(q *review.Question) questionItem {
	it := questionItem{ID: q.ID, Asker: review.MaskName(q.AskerName), Date: kr.Date(q.CreatedAt), Product: q.ProductName,
		Body: q.Body, Private: q.Private, Redacted: q.Redacted, Answered: q.Answered(), Answer: q.Answer}
	if q.Answered() {
		it.AnswerDate = kr.Date(q.AnsweredAt)
	}
	return it
}

// feedbackView is the product page's reviews and questions.
type feedbackView struct {
	ProductID     int64
	Count         int
	Average       string
	AverageStars  string
	Reviews       []reviewItem
	SortHelpful   bool
	PhotoOnly     bool
	NewURL        string
	HelpfulURL    string
	PhotoURL      string
	AllURL        string
	Pager         view.Pager
	Questions     []questionItem
	QuestionCount int
	QPager        view.Pager
	SignedIn      bool
	SignInURL     string
	// AskBody, AskPrivate and AskError keep a refused question's form.
	AskBody    string
	AskPrivate bool
	AskError   string
	Asked      bool // a question was just sent
}

// productFeedback loads the product page's reviews (sort rsort, photo
// filter rphoto, page rpage) and questions (page qpage). With facts (the
// page's one read) a list is read only when there is something in it.
func (s *server) productFeedback(c *fiber.Ctx, productID int64, facts *catalog.PageFacts) (*feedbackView, error) {
	if s.Reviews == nil {
		return nil, nil
	}
	ctx := c.UserContext()
	a := account.FromContext(ctx)
	base := "/p/" + strconv.FormatInt(productID, 10)
	v := &feedbackView{ProductID: productID, SortHelpful: c.Query("rsort") == "helpful", PhotoOnly: c.Query("rphoto") == "1",
		SignedIn: a != nil && a.SessionID != "", SignInURL: "/account/signin?next=" + url.QueryEscape(base+"#questions"),
		Asked: c.Query("asked") == "1"}
	link := func(sort string, photo bool, page int) string {
		q := url.Values{}
		if sort == "helpful" {
			q.Set("rsort", "helpful")
		}
		if photo {
			q.Set("rphoto", "1")
		}
		if page > 1 {
			q.Set("rpage", strconv.Itoa(page))
		}
		if len(q) == 0 {
			return base + "#reviews"
		}
		return base + "?" + q.Encode() + "#reviews"
	}
	sort := ""
	if v.SortHelpful {
		sort = "helpful"
	}
	v.NewURL, v.HelpfulURL = link("", v.PhotoOnly, 1), link("helpful", v.PhotoOnly, 1)
	v.PhotoURL, v.AllURL = link(sort, true, 1), link(sort, false, 1)
	page := view.QueryPage(c, "rpage")
	var list []*review.Review
	var total int
	var sum review.Summary
	if facts != nil {
		sum = review.Summary{Count: facts.ReviewCount, Sum: facts.ReviewSum}
	}
	if facts == nil || sum.Count > 0 {
		var err error
		list, total, sum, err = s.Reviews.ProductReviews(ctx, review.ReviewFilter{ProductID: productID, Sort: review.Sort(sort),
			PhotoOnly: v.PhotoOnly, Limit: review.DefaultLimit, Offset: (page - 1) * review.DefaultLimit})
		if err != nil {
			return nil, err
		}
	}
	v.Count, v.Average = sum.Count, sum.Average()
	if sum.Count > 0 {
		v.AverageStars = view.Stars((sum.Sum*2 + sum.Count) / (2 * sum.Count))
	}
	for _, r := range list {
		v.Reviews = append(v.Reviews, newReviewItem(r, a))
	}
	v.Pager = view.BuildPager(page, view.TotalPages(total, review.DefaultLimit, 1000), func(n int) string { return link(sort, v.PhotoOnly, n) })
	qpage := view.QueryPage(c, "qpage")
	var qs []*review.Question
	var qtotal int
	// Just asked: the list is read whatever the count said, which a
	// replica may not have caught up on.
	if facts == nil || facts.QuestionCount > 0 || v.Asked {
		var err error
		qs, qtotal, err = s.Reviews.ProductQuestions(ctx, productID, review.DefaultLimit, (qpage-1)*review.DefaultLimit)
		if err != nil {
			return nil, err
		}
	}
	v.QuestionCount = qtotal
	for _, q := range qs {
		it := newQuestionItem(q)
		v.Questions = append(v.Questions, it)
	}
	v.QPager = view.BuildPager(qpage, view.TotalPages(qtotal, review.DefaultLimit, 1000), func(n int) string {
		return base + "?qpage=" + strconv.Itoa(n) + "#questions"
	})
	return v, nil
}

// askQuestion is POST /p/:id/questions (body, private): the question is
// saved and the page shown again at its questions; a refused question is
// shown again in its form (422).
func (s *server) askQuestion(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if a := web.Actor(c); a == nil || a.SessionID == "" {
		return c.Redirect("/account/signin?next="+url.QueryEscape("/p/"+strconv.Itoa(id)+"#questions"), fiber.StatusSeeOther)
	}
	_, err = s.Reviews.Ask(c.UserContext(), int64(id), c.FormValue("body"), c.FormValue("private") == "1")
	if err != nil {
		if apperr.Code(err) != apperr.Invalid {
			return err
		}
		return s.renderProduct(c, fiber.StatusUnprocessableEntity, func(v *productView) {
			if v.Feedback != nil {
				v.Feedback.AskBody, v.Feedback.AskPrivate = textin.ForDisplay(c.FormValue("body")), c.FormValue("private") == "1"
				v.Feedback.AskError = apperr.Message(err)
			}
		})
	}
	return c.Redirect("/p/"+strconv.Itoa(id)+"?asked=1#questions", fiber.StatusSeeOther)
}

// reviewHelpful is POST /reviews/:id/helpful: one "도움이 돼요" per member.
func (s *server) reviewHelpful(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if a := web.Actor(c); a == nil || a.SessionID == "" {
		return apperr.Errorf(apperr.Unauthorized, "로그인한 회원만 누를 수 있습니다.")
	}
	r, err := s.Reviews.VoteHelpful(c.UserContext(), int64(id))
	if err != nil && (r == nil || apperr.Code(err) != apperr.Conflict) {
		return err
	}
	return c.Redirect("/p/"+strconv.FormatInt(r.ProductID, 10)+"#review-"+strconv.Itoa(id), fiber.StatusSeeOther)
}

// reviewFormView is the dot of shop/review_form: writing or editing a review.
type reviewFormView struct {
	layout
	Heading   string
	Action    string
	LineID    int64
	Product   string
	Option    string
	OrderNo   string
	Rating    int
	Ratings   []ratingChoice
	Body      string
	Photos    []review.Photo // an edited review's photos
	Problem   string
	Errors    map[string]string
	MinBody   int
	MaxBody   int
	MaxPhotos int
	Editing   bool
	ReviewID  int64
	Back      string
}

type ratingChoice struct {
	N       int
	Label   string
	Checked bool
}

func (v *reviewFormView) choices() {
	labels := []string{"", "1점 (별로예요)", "2점 (그저 그래요)", "3점 (보통이에요)", "4점 (좋아요)", "5점 (아주 좋아요)"}
	v.Ratings = nil
	for n := 5; n >= 1; n-- {
		v.Ratings = append(v.Ratings, ratingChoice{N: n, Label: labels[n], Checked: v.Rating == n})
	}
	v.MinBody, v.MaxBody, v.MaxPhotos = review.MinBody, review.MaxBody, review.MaxPhotos
}

func (s *server) renderReviewForm(c *fiber.Ctx, v *reviewFormView, status int) error {
	v.choices()
	v.Title, v.NoIndex, v.Forms, v.HideSearch, v.Nav = v.Heading, true, true, true, "account"
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return s.render(c, "shop/review_form", v)
}

// reviewNewPage is GET /account/reviews/new?line=ID.
func (s *server) reviewNewPage(c *fiber.Ctx) error {
	lineID, _ := strconv.ParseInt(c.Query("line"), 10, 64)
	l, err := s.Reviews.Line(c.UserContext(), lineID)
	if err != nil {
		return err
	}
	v := &reviewFormView{Heading: "구매평 쓰기", Action: "/account/reviews", LineID: l.ID, Product: l.ProductName,
		Option: l.OptionName, OrderNo: l.OrderNumber, Back: "/account/reviews"}
	return s.renderReviewForm(c, v, fiber.StatusOK)
}

// formError shows a refused review form again with its messages.
func (s *server) reviewFormError(c *fiber.Ctx, v *reviewFormView, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Invalid && ae.Code != apperr.Unavailable) {
		return err
	}
	v.Rating, _ = strconv.Atoi(c.FormValue("rating"))
	v.Body = textin.ForDisplay(c.FormValue("body"))
	v.Errors = ae.Fields
	v.Problem = ae.Message
	if len(ae.Fields) > 0 {
		v.Problem = "입력한 내용을 확인해 주세요."
	}
	if c.Request().IsBodyStream() || hasFiles(c) {
		v.Problem += " 사진을 골랐다면 다시 골라 주세요."
	}
	status := fiber.StatusUnprocessableEntity
	if ae.Code == apperr.Unavailable {
		status = fiber.StatusServiceUnavailable
	}
	return s.renderReviewForm(c, v, status)
}

func hasFiles(c *fiber.Ctx) bool {
	f, err := c.MultipartForm()
	return err == nil && len(f.File["photos"]) > 0 && f.File["photos"][0].Size > 0
}

// uploadPhotos checks and stores the form's photos (the same checks as the
// portal's product images), at most room of them.
func (s *server) uploadPhotos(c *fiber.Ctx, room int) ([]review.Photo, error) {
	form, err := c.MultipartForm()
	if err != nil {
		return nil, nil // a form without files
	}
	var files []*multipart.FileHeader
	for _, fh := range form.File["photos"] {
		if fh.Size > 0 {
			files = append(files, fh)
		}
	}
	if len(files) == 0 {
		return nil, nil
	}
	if len(files) > room {
		msg := "사진은 모두 " + strconv.Itoa(review.MaxPhotos) + "장까지 올릴 수 있습니다."
		return nil, &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: apperr.Fields{"photos": msg}}
	}
	if s.Blobs == nil {
		return nil, apperr.Errorf(apperr.Unavailable, "지금은 사진을 올릴 수 없습니다. 사진 없이 쓰거나 잠시 후 다시 시도해 주세요.")
	}
	var out []review.Photo
	for _, fh := range files {
		if fh.Size > imageproc.DefaultMaxBytes {
			msg := "사진은 한 장에 10MB 이하만 올릴 수 있습니다."
			return nil, &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: apperr.Fields{"photos": msg}}
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		res, err := s.processPhoto(c, f)
		f.Close()
		if err != nil {
			if apperr.Code(err) == apperr.Invalid {
				return nil, &apperr.Error{Code: apperr.Invalid, Message: apperr.Message(err), Fields: apperr.Fields{"photos": apperr.Message(err)}}
			}
			return nil, err
		}
		mainKey, thumbKey := res.Keys()
		ctx := c.UserContext()
		if err := s.Blobs.Put(ctx, mainKey, bytes.NewReader(res.Main.Data), res.Main.ContentType); err != nil {
			return nil, err
		}
		if err := s.Blobs.Put(ctx, thumbKey, bytes.NewReader(res.Thumb.Data), res.Thumb.ContentType); err != nil {
			return nil, err
		}
		out = append(out, review.Photo{URL: "/media/u/" + mainKey, Thumb: "/media/u/" + thumbKey})
	}
	return out, nil
}

func (s *server) processPhoto(c *fiber.Ctx, f multipart.File) (*imageproc.Result, error) {
	select {
	case s.photoSlots <- struct{}{}:
		defer func() { <-s.photoSlots }()
	case <-c.UserContext().Done():
		return nil, apperr.Errorf(apperr.Unavailable, "사진을 처리하는 사람이 많습니다. 잠시 후 다시 올려 주세요.")
	}
	return imageproc.Process(f, imageproc.DefaultMaxBytes)
}

// reviewCreate is POST /account/reviews (multipart: line, rating, body,
// photos).
func (s *server) reviewCreate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lineID, _ := strconv.ParseInt(c.FormValue("line"), 10, 64)
	l, err := s.Reviews.Line(ctx, lineID)
	if err != nil {
		return err
	}
	v := &reviewFormView{Heading: "구매평 쓰기", Action: "/account/reviews", LineID: l.ID, Product: l.ProductName,
		Option: l.OptionName, OrderNo: l.OrderNumber, Back: "/account/reviews"}
	photos, err := s.uploadPhotos(c, review.MaxPhotos)
	if err != nil {
		return s.reviewFormError(c, v, err)
	}
	rating, _ := strconv.Atoi(c.FormValue("rating"))
	r, err := s.Reviews.Write(ctx, lineID, review.ReviewInput{Rating: rating, Body: c.FormValue("body"), Photos: photos})
	if err != nil {
		return s.reviewFormError(c, v, err)
	}
	return c.Redirect("/p/"+strconv.FormatInt(r.ProductID, 10)+"#review-"+strconv.FormatInt(r.ID, 10), fiber.StatusSeeOther)
}

func (s *server) editView(r *review.Review) *reviewFormView {
	return &reviewFormView{Heading: "구매평 고치기", Action: "/account/reviews/" + strconv.FormatInt(r.ID, 10), Product: r.ProductName,
		Option: r.OptionName, Rating: r.Rating, Body: r.Body, Photos: r.Photos, Editing: true, ReviewID: r.ID, Back: "/account/reviews"}
}

// reviewEditPage is GET /account/reviews/:id/edit (the writer's own only).
func (s *server) reviewEditPage(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	r, err := s.Reviews.Own(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	return s.renderReviewForm(c, s.editView(r), fiber.StatusOK)
}

// reviewUpdate is POST /account/reviews/:id (rating, body, remove: photo
// addresses to drop, photos: more photos).
func (s *server) reviewUpdate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, _ := c.ParamsInt("id")
	r, err := s.Reviews.Own(ctx, int64(id))
	if err != nil {
		return err
	}
	v := s.editView(r)
	remove := map[string]bool{}
	if form, err := c.MultipartForm(); err == nil {
		for _, u := range form.Value["remove"] {
			remove[u] = true
		}
	} else {
		for _, u := range c.Context().PostArgs().PeekMulti("remove") {
			remove[string(u)] = true
		}
	}
	var keep []review.Photo
	for _, p := range r.Photos {
		if !remove[p.URL] {
			keep = append(keep, p)
		}
	}
	more, err := s.uploadPhotos(c, review.MaxPhotos-len(keep))
	if err != nil {
		return s.reviewFormError(c, v, err)
	}
	rating, _ := strconv.Atoi(c.FormValue("rating"))
	if _, err := s.Reviews.Edit(ctx, r.ID, review.ReviewInput{Rating: rating, Body: c.FormValue("body"), Photos: append(keep, more...)}); err != nil {
		return s.reviewFormError(c, v, err)
	}
	return c.Redirect("/p/"+strconv.FormatInt(r.ProductID, 10)+"#review-"+strconv.FormatInt(r.ID, 10), fiber.StatusSeeOther)
}

// reviewDelete is POST /account/reviews/:id/delete.
func (s *server) reviewDelete(c *fiber.Ctx) error {
	id, _ := c.ParamsInt("id")
	if err := s.Reviews.Delete(c.UserContext(), int64(id)); err != nil {
		return err
	}
	return c.Redirect("/account/reviews?deleted=1", fiber.StatusSeeOther)
}

// myReviewsView is the dot of shop/reviews: the lines waiting for a review
// and the member's reviews.
type myReviewsView struct {
	layout
	ToWrite []lineItem
	Reviews []reviewItem
	Pager   view.Pager
	Deleted bool
}

type lineItem struct {
	ID                     int64
	Product, Option, Order string
	Date                   string
}

// myReviewsPage is GET /account/reviews.
func (s *server) myReviewsPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lines, err := s.Reviews.LinesToReview(ctx, 20)
	if err != nil {
		return err
	}
	page := view.QueryPage(c, "page")
	list, total, err := s.Reviews.MyReviews(ctx, review.DefaultLimit, (page-1)*review.DefaultLimit)
	if err != nil {
		return err
	}
	v := &myReviewsView{Deleted: c.Query("deleted") == "1"}
	for _, l := range lines {
		v.ToWrite = append(v.ToWrite, lineItem{ID: l.ID, Product: l.ProductName, Option: l.OptionName, Order: l.OrderNumber, Date: kr.Date(l.OrderedAt)})
	}
	a := account.FromContext(ctx)
	for _, r := range list {
		v.Reviews = append(v.Reviews, newReviewItem(r, a))
	}
	v.Pager = view.BuildPager(page, view.TotalPages(total, review.DefaultLimit, 1000), func(n int) string {
		return "/account/reviews?page=" + strconv.Itoa(n)
	})
	v.Title, v.NoIndex, v.Forms, v.Nav = "내 구매평", true, true, "account"
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "shop/reviews", v)
}
