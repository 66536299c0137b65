// Package review is what shoppers say about products after buying them
// (구매평) and what they ask before (상품 문의): who may write, edit, answer,
// hide and see each, and the limits of the text. It knows nothing of HTTP
// or PostgreSQL; the rules are applied here, where reviews and questions are
// read and written, with the actor from the context (internal/account).
package review

import (
	"context"
	"strconv"
	"time"

	"github.com/dure-coop/dure/internal/account"
)

// Limits of what a review and a question may hold.
const (
	MinBody      = 10   // a review's text, in characters
	MaxBody      = 2000 // a review's text
	MaxReply     = 1000 // the enterprise's reply to a review
	MaxPhotos    = 5
	MinQuestion  = 5
	MaxQuestion  = 1000
	MaxAnswer    = 2000
	MaxReason    = 200 // the operator's reason for hiding a review
	DefaultLimit = 10  // reviews or questions per page
)

// Photo is one picture of a review: the stored main image and its thumbnail.
type Photo struct{ URL, Thumb string }

// Review is one buyer's review of one order line.
type Review struct {
	ID           int64
	OrderLineID  int64
	ProductID    int64
	EnterpriseID int64
	UserID       int64
	AuthorName   string // the writer's name as stored; shown masked (MaskName)
	ProductName  string
	OptionName   string
	Rating       int // 1–5
	Body         string
	Photos       []Photo
	Helpful      int
	Reply        string // the enterprise's reply, "" for none
	RepliedAt    time.Time
	Hidden       bool // hidden by an operator
	HiddenReason string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Sort orders a product's reviews.
type Sort string

// Review orders.
const (
	Newest  Sort = "new"
	Helpful Sort = "helpful"
)

// ReviewFilter selects reviews, newest first unless Sort says otherwise.
// Zero fields do not filter; hidden reviews are left out unless
// IncludeHidden.
type ReviewFilter struct {
	ProductID     int64
	EnterpriseID  int64
	UserID        int64
	Sort          Sort
	PhotoOnly     bool
	IncludeHidden bool
	Limit, Offset int
}

// Summary is a product's visible reviews in two numbers.
type Summary struct {
	Count int
	Sum   int // of the ratings
}

// Average is the mean rating with one decimal ("4.5"), "0.0" for none.
func (s Summary) Average() string {
	if s.Count == 0 {
		return "0.0"
	}
	tenths := (s.Sum*10*2 + s.Count) / (2 * s.Count) // rounded half up
	return strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
}

// Line is an order line as the review rules see it.
type Line struct {
	ID           int64
	OrderNumber  string
	OrderUserID  int64 // 0 for a guest order never claimed
	ProductID    int64
	EnterpriseID int64
	ProductName  string
	OptionName   string
	// Delivered is true when the line's part was delivered or the order
	// completed (구매 확정).
	Delivered bool
	ReviewID  int64 // the line's review, 0 for none
	OrderedAt time.Time
}

// Question is a shopper's question about a product, with the enterprise's
// answer.
type Question struct {
	ID           int64
	ProductID    int64
	EnterpriseID int64
	UserID       int64
	AskerName    string
	ProductName  string
	Body         string
	Private      bool
	// Redacted is true when the viewer may not read a private question:
	// Body and Answer are then empty.
	Redacted   bool
	Answer     string
	AnsweredAt time.Time
	CreatedAt  time.Time
}

// Answered reports whether the enterprise has answered.
func (q *Question) Answered() bool { return !q.AnsweredAt.IsZero() }

// QuestionFilter selects questions: a product's newest first, an
// enterprise's unanswered first (oldest waiting first).
type QuestionFilter struct {
	ProductID     int64
	EnterpriseID  int64
	UserID        int64
	Unanswered    bool
	Limit, Offset int
}

// Auditor builds audit records that the store writes in the transaction of
// the change (account.Service has this method).
type Auditor interface {
	NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error)
}

// Store is what the service needs from the system of record. Writes that
// concern someone else (a new review or question, a reply, an answer) also
// queue a notification event in the same transaction.
type Store interface {
	// FindLine returns an order line with its order's owner and state
	// (apperr.NotFound when there is none).
	FindLine(ctx context.Context, lineID int64) (*Line, error)
	// FindLinesToReview returns the delivered lines of userID's orders that
	// have no review yet, newest order first.
	FindLinesToReview(ctx context.Context, userID int64, limit int) ([]*Line, error)
	// CreateReview inserts r and sets its ID; apperr.Conflict when the line
	// already has a review.
	CreateReview(ctx context.Context, r *Review) error
	// FindReview returns a review, hidden or not (apperr.NotFound).
	FindReview(ctx context.Context, id int64) (*Review, error)
	// UpdateReview saves r's rating, text and photos.
	UpdateReview(ctx context.Context, r *Review) error
	// DeleteReview removes a review and its votes.
	DeleteReview(ctx context.Context, id int64) error
	// FindReviews returns the reviews f selects and their total.
	FindReviews(ctx context.Context, f ReviewFilter) ([]*Review, int, error)
	// SummarizeReviews returns a product's visible reviews' count and sum.
	SummarizeReviews(ctx context.Context, productID int64) (Summary, error)
	// ReplyReview sets a review's reply by userID unless it has one
	// (apperr.Conflict) or is not enterpriseID's (apperr.NotFound).
	ReplyReview(ctx context.Context, id, enterpriseID, userID int64, reply string) error
	// HideReview hides a review with the operator's reason and writes audit.
	HideReview(ctx context.Context, id, userID int64, reason string, audit *account.AuditRecord) error
	// UnhideReview shows a hidden review again and writes audit
	// (apperr.Conflict when it is not hidden).
	UnhideReview(ctx context.Context, id int64, audit *account.AuditRecord) error
	// VoteHelpful counts userID's "도움이 돼요" once; apperr.Conflict when
	// already counted.
	VoteHelpful(ctx context.Context, reviewID, userID int64) error

	// CreateQuestion inserts q for an active product, filling its
	// EnterpriseID and ID (apperr.NotFound for another product).
	CreateQuestion(ctx context.Context, q *Question) error
	// FindQuestion returns a question (apperr.NotFound).
	FindQuestion(ctx context.Context, id int64) (*Question, error)
	// FindQuestions returns the questions f selects and their total.
	FindQuestions(ctx context.Context, f QuestionFilter) ([]*Question, int, error)
	// AnswerQuestion sets the answer of enterpriseID's question id
	// (apperr.NotFound for another's; apperr.Conflict when answered).
	AnswerQuestion(ctx context.Context, id, enterpriseID, userID int64, answer string) error
}
