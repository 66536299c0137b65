package review

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/textin"
)

// Service applies the rules of reviews and questions.
type Service struct {
	Store   Store
	Auditor Auditor
}

// ReviewInput is what a buyer writes.
type ReviewInput struct {
	Rating int
	Body   string
	Photos []Photo
}

var (
	bodyRule     = textin.Rule{Label: "구매평", Required: true, Max: MaxBody, Multiline: true}
	replyRule    = textin.Rule{Label: "답글", Required: true, Max: MaxReply, Multiline: true}
	reasonRule   = textin.Rule{Label: "숨김 사유", Required: true, Max: MaxReason}
	questionRule = textin.Rule{Label: "문의 내용", Required: true, Max: MaxQuestion, Multiline: true}
	answerRule   = textin.Rule{Label: "답변", Required: true, Max: MaxAnswer, Multiline: true}
)

// check validates in, normalising its text; field errors are apperr.Invalid
// with Fields rating, body and photos.
func (in *ReviewInput) check() error {
	f := apperr.Fields{}
	in.Body = strings.TrimSpace(textin.NormalizeNewlines(in.Body))
	if in.Rating < 1 || in.Rating > 5 {
		f.Add("rating", "별점을 1점에서 5점 사이로 골라 주세요.")
	}
	if msg := bodyRule.Message(in.Body); msg != "" {
		f.Add("body", msg)
	} else if utf8.RuneCountInString(in.Body) < MinBody {
		f.Add("body", "구매평은 10자 이상 써 주세요.")
	}
	if len(in.Photos) > MaxPhotos {
		f.Add("photos", "사진은 5장까지 올릴 수 있습니다.")
	}
	return f.Err()
}

func notFound(what string) error {
	return apperr.Errorf(apperr.NotFound, "%s을(를) 찾을 수 없습니다.", what)
}

// Line returns the order line the actor may review: NotFound for a line of
// someone else's order (its existence is not confirmed), Conflict when it
// is not delivered yet or already reviewed.
func (s *Service) Line(ctx context.Context, lineID int64) (*Line, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	l, err := s.Store.FindLine(ctx, lineID)
	if err != nil {
		return nil, err
	}
	if l.OrderUserID == 0 || l.OrderUserID != a.UserID {
		return nil, notFound("주문 상품")
	}
	if !l.Delivered {
		return nil, apperr.Errorf(apperr.Conflict, "배송이 끝난 상품만 구매평을 쓸 수 있습니다.")
	}
	if l.ReviewID != 0 {
		return nil, apperr.Errorf(apperr.Conflict, "이 주문 상품의 구매평은 이미 썼습니다. 내 구매평에서 고칠 수 있습니다.")
	}
	return l, nil
}

// LinesToReview returns the actor's delivered lines still without a review.
func (s *Service) LinesToReview(ctx context.Context, limit int) ([]*Line, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	return s.Store.FindLinesToReview(ctx, a.UserID, limit)
}

// Write creates the actor's review of order line lineID: only the buyer of
// a delivered line, once per line (Line's errors), with in's limits.
func (s *Service) Write(ctx context.Context, lineID int64, in ReviewInput) (*Review, error) {
	l, err := s.Line(ctx, lineID)
	if err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	a := account.FromContext(ctx)
	r := &Review{OrderLineID: l.ID, ProductID: l.ProductID, EnterpriseID: l.EnterpriseID, UserID: a.UserID,
		Rating: in.Rating, Body: in.Body, Photos: in.Photos}
	if err := s.Store.CreateReview(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

// Own returns the actor's own review id (NotFound for anyone else's).
func (s *Service) Own(ctx context.Context, id int64) (*Review, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.FindReview(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.UserID != a.UserID {
		return nil, notFound("구매평")
	}
	return r, nil
}

// Edit changes the actor's own review.
func (s *Service) Edit(ctx context.Context, id int64, in ReviewInput) (*Review, error) {
	r, err := s.Own(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	r.Rating, r.Body, r.Photos = in.Rating, in.Body, in.Photos
	return r, s.Store.UpdateReview(ctx, r)
}

// Delete removes the actor's own review; the line may be reviewed again.
func (s *Service) Delete(ctx context.Context, id int64) error {
	r, err := s.Own(ctx, id)
	if err != nil {
		return err
	}
	return s.Store.DeleteReview(ctx, r.ID)
}

// ProductReviews returns a product's visible reviews and their summary.
func (s *Service) ProductReviews(ctx context.Context, f ReviewFilter) ([]*Review, int, Summary, error) {
	f.IncludeHidden, f.EnterpriseID, f.UserID = false, 0, 0
	if f.Sort != Helpful {
		f.Sort = Newest
	}
	sum, err := s.Store.SummarizeReviews(ctx, f.ProductID)
	if err != nil || sum.Count == 0 {
		return nil, 0, sum, err
	}
	list, total, err := s.Store.FindReviews(ctx, f)
	return list, total, sum, err
}

// MyReviews returns the actor's reviews, hidden ones too.
func (s *Service) MyReviews(ctx context.Context, limit, offset int) ([]*Review, int, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, 0, err
	}
	return s.Store.FindReviews(ctx, ReviewFilter{UserID: a.UserID, IncludeHidden: true, Limit: limit, Offset: offset})
}

// EnterpriseReviews returns the reviews of the actor's enterprise's
// products (account.EnterpriseScope), hidden ones too.
func (s *Service) EnterpriseReviews(ctx context.Context, limit, offset int) ([]*Review, int, error) {
	id, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, 0, err
	}
	return s.Store.FindReviews(ctx, ReviewFilter{EnterpriseID: id, IncludeHidden: true, Limit: limit, Offset: offset})
}

// Reply answers a review of the actor's enterprise's product, once.
// NotFound for another enterprise's review.
func (s *Service) Reply(ctx context.Context, id int64, text string) error {
	eid, err := ownedBy(ctx, notFound("구매평"), func() (int64, error) {
		r, err := s.Store.FindReview(ctx, id)
		if err != nil {
			return 0, err
		}
		return r.EnterpriseID, nil
	})
	if err != nil {
		return err
	}
	if text, err = checkText(text, replyRule, "reply"); err != nil {
		return err
	}
	return s.Store.ReplyReview(ctx, id, eid, account.FromContext(ctx).UserID, text)
}

// ownedBy returns the actor's enterprise (account.EnterpriseScope) when
// it is the one owner reads (a review's or a question's); notFound when
// it is another's.
func ownedBy(ctx context.Context, notFound error, owner func() (int64, error)) (int64, error) {
	eid, err := account.EnterpriseScope(ctx)
	if err != nil {
		return 0, err
	}
	id, err := owner()
	if err != nil {
		return 0, err
	}
	if id != eid {
		return 0, notFound
	}
	return eid, nil
}

// checkText returns text with its newlines normalised and trimmed, and
// apperr.Invalid on field when rule refuses it.
func checkText(text string, rule textin.Rule, field string) (string, error) {
	text = strings.TrimSpace(textin.NormalizeNewlines(text))
	if msg := rule.Message(text); msg != "" {
		return text, &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: apperr.Fields{field: msg}}
	}
	return text, nil
}

// AllReviews is the console's list: every review, hidden ones too.
func (s *Service) AllReviews(ctx context.Context, limit, offset int) ([]*Review, int, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, 0, err
	}
	return s.Store.FindReviews(ctx, ReviewFilter{IncludeHidden: true, Limit: limit, Offset: offset})
}

// Hide hides a review for everyone but its writer, with the operator's
// reason, in the audit log.
func (s *Service) Hide(ctx context.Context, id int64, reason string) error {
	a, err := account.RequireOperator(ctx)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if msg := reasonRule.Message(reason); msg != "" {
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: apperr.Fields{"reason": msg}}
	}
	r, err := s.Store.FindReview(ctx, id)
	if err != nil {
		return err
	}
	if r.Hidden {
		return apperr.Errorf(apperr.Conflict, "이미 숨긴 구매평입니다.")
	}
	rec, err := s.Auditor.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: r.EnterpriseID, Action: "review.hide",
		Entity: "review", EntityID: itoa(r.ID), Before: map[string]any{"rating": r.Rating, "body": r.Body},
		After: map[string]any{"hidden": true, "reason": reason}})
	if err != nil {
		return err
	}
	return s.Store.HideReview(ctx, r.ID, a.UserID, reason, rec)
}

// Unhide shows a review the operators hid again (a hide made in error), in
// the audit log.
func (s *Service) Unhide(ctx context.Context, id int64) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	r, err := s.Store.FindReview(ctx, id)
	if err != nil {
		return err
	}
	if !r.Hidden {
		return apperr.Errorf(apperr.Conflict, "숨기지 않은 구매평입니다.")
	}
	rec, err := s.Auditor.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: r.EnterpriseID, Action: "review.unhide",
		Entity: "review", EntityID: itoa(r.ID), Before: map[string]any{"hidden": true, "reason": r.HiddenReason},
		After: map[string]any{"hidden": false}})
	if err != nil {
		return err
	}
	return s.Store.UnhideReview(ctx, r.ID, rec)
}

// VoteHelpful counts the actor's "도움이 돼요" on a visible review of
// someone else, once.
func (s *Service) VoteHelpful(ctx context.Context, id int64) (*Review, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.FindReview(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Hidden {
		return nil, notFound("구매평")
	}
	if r.UserID == a.UserID {
		return r, apperr.Errorf(apperr.Conflict, "내가 쓴 구매평에는 누를 수 없습니다.")
	}
	return r, s.Store.VoteHelpful(ctx, r.ID, a.UserID)
}

// Ask records the actor's question about an active product.
func (s *Service) Ask(ctx context.Context, productID int64, body string, private bool) (*Question, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	body, err = checkText(body, questionRule, "body")
	if err == nil && utf8.RuneCountInString(body) < MinQuestion {
		msg := "문의 내용은 5자 이상 써 주세요."
		err = &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: apperr.Fields{"body": msg}}
	}
	if err != nil {
		return nil, err
	}
	q := &Question{ProductID: productID, UserID: a.UserID, Body: body, Private: private}
	if err := s.Store.CreateQuestion(ctx, q); err != nil {
		return nil, err
	}
	return q, nil
}

// canRead reports whether the actor may read q: a public question, or a
// private one to its asker, its enterprise and the operators.
func canRead(a *account.Actor, q *Question) bool {
	if !q.Private {
		return true
	}
	if a == nil {
		return false
	}
	return a.UserID == q.UserID || a.IsOperator() || (a.Role == account.EnterpriseStaff && a.EnterpriseID == q.EnterpriseID)
}

// redact empties the private questions the actor may not read.
func redact(a *account.Actor, qs []*Question) {
	for _, q := range qs {
		if !canRead(a, q) {
			q.Redacted, q.Body, q.Answer = true, "", ""
		}
	}
}

// ProductQuestions returns a product's questions, newest first, private
// ones emptied for those who may not read them.
func (s *Service) ProductQuestions(ctx context.Context, productID int64, limit, offset int) ([]*Question, int, error) {
	qs, n, err := s.Store.FindQuestions(ctx, QuestionFilter{ProductID: productID, Limit: limit, Offset: offset})
	if err != nil {
		return nil, 0, err
	}
	redact(account.FromContext(ctx), qs)
	return qs, n, nil
}

// MyQuestions returns the actor's questions.
func (s *Service) MyQuestions(ctx context.Context, limit, offset int) ([]*Question, int, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, 0, err
	}
	return s.Store.FindQuestions(ctx, QuestionFilter{UserID: a.UserID, Limit: limit, Offset: offset})
}

// EnterpriseQuestions returns the questions about the actor's enterprise's
// products, unanswered first.
func (s *Service) EnterpriseQuestions(ctx context.Context, unanswered bool, limit, offset int) ([]*Question, int, error) {
	id, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, 0, err
	}
	return s.Store.FindQuestions(ctx, QuestionFilter{EnterpriseID: id, Unanswered: unanswered, Limit: limit, Offset: offset})
}

// Answer answers a question about the actor's enterprise's product, once;
// NotFound for another enterprise's question.
func (s *Service) Answer(ctx context.Context, id int64, answer string) error {
	eid, err := ownedBy(ctx, apperr.Errorf(apperr.NotFound, "문의를 찾을 수 없습니다."), func() (int64, error) {
		q, err := s.Store.FindQuestion(ctx, id)
		if err != nil {
			return 0, err
		}
		return q.EnterpriseID, nil
	})
	if err != nil {
		return err
	}
	if answer, err = checkText(answer, answerRule, "answer"); err != nil {
		return err
	}
	return s.Store.AnswerQuestion(ctx, id, eid, account.FromContext(ctx).UserID, answer)
}

// MaskName shows a writer's name as Korean malls do: the first character
// and stars ("김**").
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	if len(r) == 0 {
		return "구매자"
	}
	if len(r) == 1 {
		return string(r) + "*"
	}
	return string(r[0]) + strings.Repeat("*", min(len(r)-1, 4))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
