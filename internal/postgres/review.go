package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/search"
)

// ReviewStore implements review.Store.
type ReviewStore struct{ pool db }

var _ review.Store = (*ReviewStore)(nil)

// NewReviewStore returns the review store on pool.
func NewReviewStore(pool *pgxpool.Pool) *ReviewStore { return &ReviewStore{pool: db{pool}} }

// queueNotify queues a notification event on q, the change's transaction.
func queueNotify(ctx context.Context, q querier, kind string, refID int64) error {
	if _, err := q.Exec(ctx, `INSERT INTO notify_outbox (kind, ref_id) VALUES ($1, $2)`, kind, refID); err != nil {
		return fmt.Errorf("postgres: queue notification %s: %w", kind, err)
	}
	return nil
}

const lineColumns = `l.id, o.number, coalesce(o.user_id, 0), l.product_id, s.enterprise_id, l.product_name, l.option_name,
	(s.status = 'delivered' OR (o.status = 'completed' AND s.status <> 'cancelled')),
	coalesce((SELECT r.id FROM reviews r WHERE r.order_line_id = l.id), 0), o.created_at`

func scanLine(row pgx.Row) (*review.Line, error) {
	var l review.Line
	err := row.Scan(&l.ID, &l.OrderNumber, &l.OrderUserID, &l.ProductID, &l.EnterpriseID, &l.ProductName, &l.OptionName,
		&l.Delivered, &l.ReviewID, &l.OrderedAt)
	return &l, err
}

// FindLine returns an order line with its order's owner and state.
func (s *ReviewStore) FindLine(ctx context.Context, lineID int64) (*review.Line, error) {
	l, err := scanLine(s.pool.QueryRow(ctx, `SELECT `+lineColumns+`
		FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN sub_orders s ON s.id = l.sub_order_id
		WHERE l.id = $1`, lineID))
	if err != nil {
		return nil, translate(err, "주문 상품")
	}
	return l, nil
}

// FindLinesToReview returns userID's delivered lines without a review.
func (s *ReviewStore) FindLinesToReview(ctx context.Context, userID int64, limit int) ([]*review.Line, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+lineColumns+`
		FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN sub_orders s ON s.id = l.sub_order_id
		WHERE o.user_id = $1 AND (s.status = 'delivered' OR (o.status = 'completed' AND s.status <> 'cancelled'))
			AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.order_line_id = l.id)
		ORDER BY o.created_at DESC, l.id LIMIT $2`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: lines to review: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*review.Line, error) { return scanLine(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: lines to review: %w", err)
	}
	return list, nil
}

func photoArrays(ps []review.Photo) ([]string, []string) {
	urls, thumbs := make([]string, len(ps)), make([]string, len(ps))
	for i, p := range ps {
		urls[i], thumbs[i] = p.URL, p.Thumb
	}
	return urls, thumbs
}

// CreateReview inserts r and queues the enterprise's notification.
func (s *ReviewStore) CreateReview(ctx context.Context, r *review.Review) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: create review: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	urls, thumbs := photoArrays(r.Photos)
	err = tx.QueryRow(ctx, `INSERT INTO reviews (order_line_id, product_id, enterprise_id, user_id, rating, body, photos, thumbs)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at, updated_at`,
		r.OrderLineID, r.ProductID, r.EnterpriseID, r.UserID, r.Rating, r.Body, urls, thumbs).Scan(&r.ID, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		if apperr.Code(translate(err, "")) == apperr.Conflict {
			return apperr.Errorf(apperr.Conflict, "이 주문 상품의 구매평은 이미 썼습니다. 내 구매평에서 고칠 수 있습니다.")
		}
		return translate(err, "구매평")
	}
	if err := queueNotify(ctx, tx, "review_new", r.ID); err != nil {
		return err
	}
	if err := queueOutbox(ctx, tx, search.EntityProduct, r.ProductID); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: create review: commit: %w", err)
	}
	return nil
}

const reviewColumns = `r.id, r.order_line_id, r.product_id, r.enterprise_id, r.user_id, u.name, l.product_name, l.option_name,
	r.rating, r.body, r.photos, r.thumbs, r.helpful, r.reply, r.replied_at, r.hidden_at IS NOT NULL, r.hidden_reason,
	r.created_at, r.updated_at`

const reviewFrom = ` FROM reviews r JOIN users u ON u.id = r.user_id JOIN order_lines l ON l.id = r.order_line_id`

func scanReview(row pgx.Row) (*review.Review, error) {
	var r review.Review
	var urls, thumbs []string
	var replied *time.Time
	err := row.Scan(&r.ID, &r.OrderLineID, &r.ProductID, &r.EnterpriseID, &r.UserID, &r.AuthorName, &r.ProductName, &r.OptionName,
		&r.Rating, &r.Body, &urls, &thumbs, &r.Helpful, &r.Reply, &replied, &r.Hidden, &r.HiddenReason, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if replied != nil {
		r.RepliedAt = *replied
	}
	for i := range urls {
		r.Photos = append(r.Photos, review.Photo{URL: urls[i], Thumb: thumbs[i]})
	}
	return &r, nil
}

// FindReview returns a review, hidden or not.
func (s *ReviewStore) FindReview(ctx context.Context, id int64) (*review.Review, error) {
	r, err := scanReview(s.pool.QueryRow(ctx, `SELECT `+reviewColumns+reviewFrom+` WHERE r.id = $1`, id))
	if err != nil {
		return nil, translate(err, "구매평")
	}
	return r, nil
}

// UpdateReview saves r's rating, text and photos.
func (s *ReviewStore) UpdateReview(ctx context.Context, r *review.Review) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: update review: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	urls, thumbs := photoArrays(r.Photos)
	var productID int64
	err = tx.QueryRow(ctx, `UPDATE reviews SET rating = $2, body = $3, photos = $4, thumbs = $5, updated_at = now()
		WHERE id = $1 RETURNING product_id`, r.ID, r.Rating, r.Body, urls, thumbs).Scan(&productID)
	if err != nil {
		if err == pgx.ErrNoRows {
			return apperr.Errorf(apperr.NotFound, "구매평을 찾을 수 없습니다.")
		}
		return translate(err, "구매평")
	}
	if err := queueOutbox(ctx, tx, search.EntityProduct, productID); err != nil { // the rating may have changed
		return err
	}
	return tx.Commit(ctx)
}

// DeleteReview removes a review and its votes.
func (s *ReviewStore) DeleteReview(ctx context.Context, id int64) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: delete review: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	var productID int64
	if err := tx.QueryRow(ctx, `DELETE FROM reviews WHERE id = $1 RETURNING product_id`, id).Scan(&productID); err != nil {
		return translate(err, "구매평")
	}
	if err := queueOutbox(ctx, tx, search.EntityProduct, productID); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// FindReviews returns the reviews f selects and their total.
func (s *ReviewStore) FindReviews(ctx context.Context, f review.ReviewFilter) ([]*review.Review, int, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, replaceN(cond, len(args)))
	}
	if f.ProductID != 0 {
		add("r.product_id = $N", f.ProductID)
	}
	if f.EnterpriseID != 0 {
		add("r.enterprise_id = $N", f.EnterpriseID)
	}
	if f.UserID != 0 {
		add("r.user_id = $N", f.UserID)
	}
	if !f.IncludeHidden {
		where = append(where, "r.hidden_at IS NULL")
	}
	if f.PhotoOnly {
		where = append(where, "cardinality(r.photos) > 0")
	}
	cond := "true"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM reviews r WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count reviews: %w", err)
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	order := "r.created_at DESC, r.id DESC"
	if f.Sort == review.Helpful {
		order = "r.helpful DESC, r.id DESC"
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = review.DefaultLimit
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, `SELECT `+reviewColumns+reviewFrom+` WHERE `+cond+` ORDER BY `+order+
		fmt.Sprintf(` LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: find reviews: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*review.Review, error) { return scanReview(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: find reviews: %w", err)
	}
	return list, total, nil
}

// SummarizeReviews returns a product's visible reviews' count and sum.
func (s *ReviewStore) SummarizeReviews(ctx context.Context, productID int64) (review.Summary, error) {
	var sum review.Summary
	err := s.pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(rating), 0) FROM reviews
		WHERE product_id = $1 AND hidden_at IS NULL`, productID).Scan(&sum.Count, &sum.Sum)
	if err != nil {
		return sum, fmt.Errorf("postgres: summarize reviews: %w", err)
	}
	return sum, nil
}

// ReplyReview sets the reply of enterpriseID's review id, once.
func (s *ReviewStore) ReplyReview(ctx context.Context, id, enterpriseID, userID int64, reply string) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: reply review: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	var replied bool
	err = tx.QueryRow(ctx, `SELECT reply <> '' FROM reviews WHERE id = $1 AND enterprise_id = $2 FOR UPDATE`, id, enterpriseID).Scan(&replied)
	if err != nil {
		return translate(err, "구매평")
	}
	if replied {
		return apperr.Errorf(apperr.Conflict, "이미 답글을 단 구매평입니다.")
	}
	if _, err := tx.Exec(ctx, `UPDATE reviews SET reply = $2, replied_at = now(), replied_by = $3 WHERE id = $1`,
		id, reply, zeroNull(userID)); err != nil {
		return translate(err, "답글")
	}
	if err := queueNotify(ctx, tx, "review_reply", id); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// HideReview hides a review and writes the audit record.
func (s *ReviewStore) HideReview(ctx context.Context, id, userID int64, reason string, audit *account.AuditRecord) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: hide review: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	var productID int64
	err = tx.QueryRow(ctx, `UPDATE reviews SET hidden_at = now(), hidden_reason = $2, hidden_by = $3
		WHERE id = $1 AND hidden_at IS NULL RETURNING product_id`, id, reason, zeroNull(userID)).Scan(&productID)
	if err != nil {
		if err == pgx.ErrNoRows {
			return apperr.Errorf(apperr.Conflict, "이미 숨긴 구매평이거나 없는 구매평입니다.")
		}
		return translate(err, "구매평")
	}
	if err := queueOutbox(ctx, tx, search.EntityProduct, productID); err != nil {
		return err
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// UnhideReview shows a hidden review again and writes the audit record.
func (s *ReviewStore) UnhideReview(ctx context.Context, id int64, audit *account.AuditRecord) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: unhide review: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	var productID int64
	err = tx.QueryRow(ctx, `UPDATE reviews SET hidden_at = NULL, hidden_reason = '', hidden_by = NULL
		WHERE id = $1 AND hidden_at IS NOT NULL RETURNING product_id`, id).Scan(&productID)
	if err != nil {
		if err == pgx.ErrNoRows {
			return apperr.Errorf(apperr.Conflict, "숨기지 않은 구매평이거나 없는 구매평입니다.")
		}
		return translate(err, "구매평")
	}
	if err := queueOutbox(ctx, tx, search.EntityProduct, productID); err != nil {
		return err
	}
	if err := insertAudit(ctx, tx, audit); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// VoteHelpful counts userID's vote once.
func (s *ReviewStore) VoteHelpful(ctx context.Context, reviewID, userID int64) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: vote: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	tag, err := tx.Exec(ctx, `INSERT INTO review_votes (review_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, reviewID, userID)
	if err != nil {
		return translate(err, "추천")
	}
	if tag.RowsAffected() == 0 {
		return apperr.Errorf(apperr.Conflict, "이미 도움이 돼요를 누른 구매평입니다.")
	}
	if _, err := tx.Exec(ctx, `UPDATE reviews SET helpful = helpful + 1 WHERE id = $1`, reviewID); err != nil {
		return fmt.Errorf("postgres: vote: %w", err)
	}
	return tx.Commit(ctx)
}

// CreateQuestion inserts q for an active product and queues the
// enterprise's notification.
func (s *ReviewStore) CreateQuestion(ctx context.Context, q *review.Question) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: create question: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	err = tx.QueryRow(ctx, `INSERT INTO questions (product_id, enterprise_id, user_id, body, private)
		SELECT p.id, p.enterprise_id, $2, $3, $4 FROM products p WHERE p.id = $1 AND p.status = 'active'
		RETURNING id, enterprise_id, created_at`, q.ProductID, q.UserID, q.Body, q.Private).Scan(&q.ID, &q.EnterpriseID, &q.CreatedAt)
	if err != nil {
		return translate(err, "상품")
	}
	if err := queueNotify(ctx, tx, "question_new", q.ID); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

const questionColumns = `q.id, q.product_id, q.enterprise_id, q.user_id, u.name, p.name, q.body, q.private, q.answer,
	q.answered_at, q.created_at`

const questionFrom = ` FROM questions q JOIN users u ON u.id = q.user_id JOIN products p ON p.id = q.product_id`

func scanQuestion(row pgx.Row) (*review.Question, error) {
	var q review.Question
	var answered *time.Time
	err := row.Scan(&q.ID, &q.ProductID, &q.EnterpriseID, &q.UserID, &q.AskerName, &q.ProductName, &q.Body, &q.Private,
		&q.Answer, &answered, &q.CreatedAt)
	if answered != nil {
		q.AnsweredAt = *answered
	}
	return &q, err
}

// FindQuestion returns a question.
func (s *ReviewStore) FindQuestion(ctx context.Context, id int64) (*review.Question, error) {
	q, err := scanQuestion(s.pool.QueryRow(ctx, `SELECT `+questionColumns+questionFrom+` WHERE q.id = $1`, id))
	if err != nil {
		return nil, translate(err, "문의")
	}
	return q, nil
}

// FindQuestions returns the questions f selects and their total.
func (s *ReviewStore) FindQuestions(ctx context.Context, f review.QuestionFilter) ([]*review.Question, int, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, replaceN(cond, len(args)))
	}
	order := "q.created_at DESC, q.id DESC"
	if f.ProductID != 0 {
		add("q.product_id = $N", f.ProductID)
	}
	if f.EnterpriseID != 0 {
		add("q.enterprise_id = $N", f.EnterpriseID)
		order = "(q.answered_at IS NOT NULL), q.created_at, q.id"
	}
	if f.UserID != 0 {
		add("q.user_id = $N", f.UserID)
	}
	if f.Unanswered {
		where = append(where, "q.answered_at IS NULL")
	}
	cond := "true"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM questions q WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count questions: %w", err)
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = review.DefaultLimit
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, `SELECT `+questionColumns+questionFrom+` WHERE `+cond+` ORDER BY `+order+
		fmt.Sprintf(` LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: find questions: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*review.Question, error) { return scanQuestion(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: find questions: %w", err)
	}
	return list, total, nil
}

// AnswerQuestion answers enterpriseID's question id, once.
func (s *ReviewStore) AnswerQuestion(ctx context.Context, id, enterpriseID, userID int64, answer string) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: answer question: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	var answered bool
	err = tx.QueryRow(ctx, `SELECT answered_at IS NOT NULL FROM questions WHERE id = $1 AND enterprise_id = $2 FOR UPDATE`,
		id, enterpriseID).Scan(&answered)
	if err != nil {
		return translate(err, "문의")
	}
	if answered {
		return apperr.Errorf(apperr.Conflict, "이미 답변한 문의입니다.")
	}
	if _, err := tx.Exec(ctx, `UPDATE questions SET answer = $2, answered_at = now(), answered_by = $3 WHERE id = $1`,
		id, answer, zeroNull(userID)); err != nil {
		return translate(err, "답변")
	}
	if err := queueNotify(ctx, tx, "question_answer", id); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
