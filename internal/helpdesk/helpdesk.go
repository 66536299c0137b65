// Package helpdesk is the co-op's help desk for its member enterprises (애로
// 상담): an enterprise opens a request (a category, a title, its text, the
// product or order it concerns, attachments), operators triage it (an
// assignee, 접수 → 처리 중 → 완료), answer it in a thread that also holds
// their internal notes, and may do the work on the enterprise's behalf
// (account.StartActingForRequest ties those changes to the request in the
// audit log). The enterprise is mailed each reply; operators each new
// request.
//
// The rules are account's: an enterprise member sees only its own
// enterprise's requests (account.EnterpriseScope; another's answers not
// found), operators all of them; notes never reach the enterprise, because
// the finders leave them out for anyone who is not an operator.
package helpdesk

import (
	"context"
	"time"

	"github.com/dure-coop/dure/internal/account"
)

// Category is what a request is about, a closed set.
type Category string

// Categories, in the forms' order.
const (
	Listing    Category = "listing"    // 상품 등록
	Photo      Category = "photo"      // 사진
	Price      Category = "price"      // 가격
	Shipping   Category = "shipping"   // 배송
	Settlement Category = "settlement" // 정산
	Other      Category = "other"      // 기타
)

// Categories are the categories in the forms' order.
var Categories = []Category{Listing, Photo, Price, Shipping, Settlement, Other}

var categoryLabels = map[Category]string{
	Listing: "상품 등록", Photo: "사진", Price: "가격", Shipping: "배송", Settlement: "정산", Other: "기타",
}

// Valid reports whether c is a known category.
func (c Category) Valid() bool { _, ok := categoryLabels[c]; return ok }

// Label is the Korean name of the category.
func (c Category) Label() string { return categoryLabels[c] }

// Status is where a request stands.
type Status string

// Statuses: a request is received (접수), worked on (처리 중) and done (완료);
// a done request may be reopened (처리 중 again), and a reply from the
// enterprise to a done request reopens it.
const (
	Received   Status = "received"
	InProgress Status = "in_progress"
	Done       Status = "done"
)

// Statuses are the statuses in their order.
var Statuses = []Status{Received, InProgress, Done}

var statusLabels = map[Status]string{Received: "접수", InProgress: "처리 중", Done: "완료"}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := statusLabels[s]; return ok }

// Label is the Korean name of the status.
func (s Status) Label() string { return statusLabels[s] }

// CanMoveTo reports whether an operator may move a request from s to to:
// forward one or more steps, or a done request back to 처리 중. Nothing goes
// back to 접수.
func (s Status) CanMoveTo(to Status) bool {
	switch {
	case !s.Valid() || !to.Valid() || s == to || to == Received:
		return false
	case s == Done:
		return to == InProgress
	}
	return true
}

// Request is an enterprise's request to the co-op.
type Request struct {
	ID             int64
	EnterpriseID   int64
	EnterpriseName string
	OpenedBy       int64
	OpenedByName   string
	Category       Category
	Title          string
	// ProductID and SubOrderID are what the request concerns (0: nothing);
	// Subject is how people name it ("상품: 유기농 사과 5kg").
	ProductID  int64
	SubOrderID int64
	Subject    string
	Status     Status
	AssigneeID int64
	// AssigneeName is the assignee's name ("" when unassigned).
	AssigneeName string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ClosedAt     *time.Time
	// Messages is the thread, oldest first (FindRequest fills it): the
	// enterprise never gets the notes.
	Messages []*Message
}

// Kind tells a reply from an operators' internal note.
type Kind string

// Message kinds.
const (
	Reply Kind = "message" // seen by both sides
	Note  Kind = "note"    // operators only
)

// Message is one entry of a request's thread.
type Message struct {
	ID          int64
	RequestID   int64
	AuthorID    int64
	AuthorName  string
	AuthorRole  account.Role // EnterpriseStaff or Operator
	Kind        Kind
	Body        string
	CreatedAt   time.Time
	Attachments []*Attachment
}

// Attachment is a file attached to a message: an image (re-encoded, as the
// portal's product images) or a PDF.
type Attachment struct {
	ID          int64
	RequestID   int64
	MessageID   int64
	Key         string // the blob store key
	Name        string // the file name as uploaded, for people
	ContentType string // image/jpeg, image/png or application/pdf
	Size        int64
}

// IsImage reports whether the attachment is shown inline.
func (a *Attachment) IsImage() bool { return a.ContentType != "application/pdf" }

// Filter selects requests for a list. Zero fields do not filter.
type Filter struct {
	// EnterpriseID: set by the service from the actor's scope for
	// enterprises; an operator may choose one.
	EnterpriseID int64
	Status       Status
	Open         bool // not done
	Category     Category
	AssigneeID   int64
	Unassigned   bool
	// OldestFirst orders by age (the inbox); otherwise newest first.
	OldestFirst bool
	Limit       int // default 20, at most 100
	Offset      int
}

// Subject is a product or sub-order an enterprise may say its request concerns.
type Subject struct {
	ID    int64
	Label string
}

// Subjects are the enterprise's products and recent orders for the form.
type Subjects struct {
	Products []Subject
	Orders   []Subject
}

// MonthCount is the number of requests opened in one month (KST) per category.
type MonthCount struct {
	Month  time.Time // the first day of the month, in Asia/Seoul
	Counts map[Category]int
	Total  int
}

// Store is what the help desk needs from the system of record. Finders
// take the scope decided by the service.
type Store interface {
	// CreateRequest inserts r (ID, CreatedAt, UpdatedAt are set) with its
	// first message m and m's attachments, in one transaction. Invalid with
	// Fields["product_id"] / ["sub_order_id"] when the product or sub-order
	// is not r.EnterpriseID's.
	CreateRequest(ctx context.Context, r *Request, m *Message) error
	// FindRequest returns request id (of enterpriseID unless 0) with its
	// thread, notes included when withNotes. NotFound if missing.
	FindRequest(ctx context.Context, id, enterpriseID int64, withNotes bool) (*Request, error)
	// FindRequests returns the requests matching f and their total.
	FindRequests(ctx context.Context, f Filter) ([]*Request, int, error)
	// AddMessage inserts m with its attachments; when status is not "" the
	// request moves to it (closedAt set for Done, cleared otherwise); audit
	// (if not nil) is written in the same transaction. NotFound when the
	// request is missing.
	AddMessage(ctx context.Context, m *Message, status Status, audit *account.AuditRecord) error
	// UpdateRequest sets the request's status and assignee (0: none), with
	// audit, in one transaction. NotFound when missing; Invalid with
	// Fields["assignee_id"] when the assignee is not an active operator.
	UpdateRequest(ctx context.Context, id int64, status Status, assigneeID int64, at time.Time, audit *account.AuditRecord) error
	// FindSubjects returns the enterprise's products (up to 300, by name)
	// and sub-orders (the 50 newest).
	FindSubjects(ctx context.Context, enterpriseID int64) (*Subjects, error)
	// FindAttachment returns attachment id of request requestID. NotFound if missing.
	FindAttachment(ctx context.Context, requestID, id int64) (*Attachment, error)
	// CountByMonth counts the requests opened in [from, to) per KST month and category.
	CountByMonth(ctx context.Context, from, to time.Time) ([]MonthCount, error)
	// FindOperators returns the active operators (for the assignee select).
	FindOperators(ctx context.Context) ([]*account.User, error)
	// FindMemberEmails returns the e-mail addresses of the enterprise's
	// active members.
	FindMemberEmails(ctx context.Context, enterpriseID int64) ([]string, error)
}
