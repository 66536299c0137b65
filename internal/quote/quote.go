// Package quote is procurement's quote requests (견적 요청) and quotes
// (견적서), also from several member enterprises together (공동수급): an
// institution buyer asks for lines (catalogue items or free text), each line
// is routed to the enterprises that may supply it, each enterprise answers
// its own lines (a price and a date, or "cannot supply"), and the co-op
// merges the answers into numbered revisions (r1, r2, …) that never change
// once sent. The buyer accepts the latest one, which places an order on
// invoice through an OrderPlacer, or declines it.
//
// Who sees what is decided here, not in the web layer: a buyer sees only
// their institution's requests, an enterprise only its own lines of a
// request (never another member's prices), an operator everything; what an
// actor may not see answers not found.
package quote

import (
	"context"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
)

// Status is where a request stands.
type Status string

// Request statuses: submitted → quoting → quoted → accepted / declined /
// expired / withdrawn. Expired is derived when shown (the latest revision's
// valid-until date has passed, KST) and never needs a worker.
const (
	Submitted Status = "submitted"
	Quoting   Status = "quoting"
	Quoted    Status = "quoted"
	Accepted  Status = "accepted"
	Declined  Status = "declined"
	Expired   Status = "expired"
	Withdrawn Status = "withdrawn"
)

var statusLabels = map[Status]string{
	Submitted: "접수", Quoting: "견적 작성 중", Quoted: "견적 발송", Accepted: "수락",
	Declined: "거절", Expired: "유효기간 만료", Withdrawn: "요청 철회",
}

// Statuses are the request statuses in the order of the flow.
var Statuses = []Status{Submitted, Quoting, Quoted, Accepted, Declined, Expired, Withdrawn}

// Label is the Korean name of the status.
func (s Status) Label() string { return statusLabels[s] }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := statusLabels[s]; return ok }

// open reports whether a request in s may still be routed, answered and
// quoted.
func (s Status) open() bool { return s == Submitted || s == Quoting || s == Quoted }

// Place is the delivery place: 우편번호, 도로명주소, 상세주소.
type Place struct {
	Postcode string
	Road     string
	Detail   string
}

// Request is one quote request with its lines, their offers, the revisions
// sent (oldest first) and the buyer's decision.
type Request struct {
	ID              int64
	Number          string // "Q261130-7KQ2MXH4"
	InstitutionID   int64
	InstitutionName string
	UserID          int64
	UserName        string
	DesiredDate     time.Time // a date (midnight, KST)
	Place           Place
	Notes           string
	Status          Status // as stored; see StatusAt
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Lines           []*Line
	Revisions       []*Revision
	Decision        *Decision // nil until accepted or declined
}

// Latest is the latest revision sent, or nil.
func (r *Request) Latest() *Revision {
	if len(r.Revisions) == 0 {
		return nil
	}
	return r.Revisions[len(r.Revisions)-1]
}

// StatusAt is the status as of now: a quoted request whose latest revision
// is past its valid-until date (KST) is expired.
func (r *Request) StatusAt(now time.Time) Status {
	if r.Status == Quoted {
		if l := r.Latest(); l != nil && l.ExpiredAt(now) {
			return Expired
		}
	}
	return r.Status
}

// Line returns the request's line id, or nil.
func (r *Request) Line(id int64) *Line {
	for _, l := range r.Lines {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// Line is one line of a request: a catalogue item (ProductID, and OptionID
// when it has options) or a free-text line (ProductID 0).
type Line struct {
	ID         int64
	Position   int
	ProductID  int64
	OptionID   int64
	Name       string
	OptionName string
	TaxType    catalog.TaxType
	Quantity   int
	Unit       string // e.g. 개, 세트, 회; "" for none
	Notes      string
	Offers     []*Offer // the enterprises asked, in the order asked
}

// FreeText reports whether the line is not a catalogue item.
func (l *Line) FreeText() bool { return l.ProductID == 0 }

// Offer returns the offer of enterprise id for the line, or nil.
func (l *Line) Offer(enterpriseID int64) *Offer {
	for _, o := range l.Offers {
		if o.EnterpriseID == enterpriseID {
			return o
		}
	}
	return nil
}

// OfferStatus is where an enterprise's answer for a line stands.
type OfferStatus string

// Offer statuses.
const (
	Asked   OfferStatus = "asked"    // 답변 대기
	Offered OfferStatus = "offered"  // 공급 가능
	Refused OfferStatus = "declined" // 공급 불가
)

// Label is the Korean name of the offer status.
func (s OfferStatus) Label() string {
	switch s {
	case Offered:
		return "공급 가능"
	case Refused:
		return "공급 불가"
	}
	return "답변 대기"
}

// Offer is one enterprise's answer for one line.
type Offer struct {
	LineID         int64
	EnterpriseID   int64
	EnterpriseName string
	Status         OfferStatus
	UnitPrice      int64      // 원, VAT included (taxable lines); 0 unless offered
	AvailableDate  *time.Time // when it can deliver; nil unless offered
	Reason         string     // why it cannot supply
	RoutedAt       time.Time
	AnsweredAt     *time.Time
	// ProductID is, for a free-text line offered, the enterprise's own
	// catalogue product it supplies the line as (0 otherwise); ProductName
	// its name.
	ProductID   int64
	ProductName string
}

// Revision is one quote as sent: immutable.
type Revision struct {
	ID            int64
	RequestID     int64
	Number        int // 1, 2, … (shown r1, r2)
	DeliveryDate  time.Time
	ValidUntil    time.Time
	Remarks       string
	DirectLimit   int64 // the 수의계약 limit per enterprise it was checked against
	ItemsTotal    int64
	ShippingTotal int64
	Supply        int64 // 공급가액
	VAT           int64 // 부가세
	Total         int64 // 합계
	SentAt        time.Time
	SentBy        int64
	Lines         []*RevisionLine // in request order, unsupplied lines included
	Shares        []*Share        // per supplying enterprise
}

// Label is "r2".
func (v *Revision) Label() string { return "r" + itoa(v.Number) }

// ExpiredAt reports whether the revision's valid-until date (KST) is
// before now's date in Seoul.
func (v *Revision) ExpiredAt(now time.Time) bool { return Today(now).After(v.ValidUntil) }

// OverLimit reports whether s exceeds the direct-contract limit.
func (v *Revision) OverLimit(s *Share) bool { return s.Total > v.DirectLimit }

// Share returns the share of enterprise id, or nil.
func (v *Revision) Share(enterpriseID int64) *Share {
	for _, s := range v.Shares {
		if s.EnterpriseID == enterpriseID {
			return s
		}
	}
	return nil
}

// RevisionLine is one line of a revision: supplied by EnterpriseID, or not
// supplied (EnterpriseID 0, figures 0, Unsupplied says why).
type RevisionLine struct {
	LineID         int64
	Position       int
	Name           string
	OptionName     string
	Unit           string
	TaxType        catalog.TaxType
	Quantity       int
	EnterpriseID   int64
	EnterpriseName string
	UnitPrice      int64
	Supply         int64
	VAT            int64
	Total          int64
	AvailableDate  *time.Time
	Unsupplied     string
	// ProductID is the catalogue product the line is ordered as on
	// acceptance: the one asked for, or for a free-text line the product
	// the supplier linked it to. 0 for an unsupplied line, and for lines of
	// revisions sent before products were kept on them.
	ProductID int64
}

// Share is one enterprise's part of a revision.
type Share struct {
	EnterpriseID   int64
	EnterpriseName string
	ItemsTotal     int64
	Shipping       int64 // VAT included
	Supply         int64
	VAT            int64
	Total          int64
	OverLimit      bool // filled on load: Total exceeds the revision's DirectLimit
}

// DecisionKind is how the buyer answered.
type DecisionKind string

// Decision kinds.
const (
	DecisionAccepted DecisionKind = "accepted"
	DecisionDeclined DecisionKind = "declined"
)

// Decision is the buyer's answer to a revision.
type Decision struct {
	RequestID      int64
	RevisionID     int64
	RevisionNumber int
	Kind           DecisionKind
	UserID         int64
	UserName       string
	At             time.Time
	Reason         string
	OrderID        int64 // the order placed on acceptance
}

// Summary is a request as the lists show it.
type Summary struct {
	ID              int64
	Number          string
	InstitutionName string
	Status          Status // StatusAt(now), already derived
	DesiredDate     time.Time
	CreatedAt       time.Time
	Lines           int
	Unrouted        int   // free-text lines nobody was asked for yet
	Asked           int   // offers still unanswered (the enterprise's own, in its list)
	Answered        int   // offers answered (idem)
	LatestRevision  int   // 0 when none sent
	LatestTotal     int64 // the latest revision's total (0 for an enterprise's list)
}

// Filter selects requests for a list, newest first. The service sets the
// scope fields from the actor; the web layer sets Status and paging.
type Filter struct {
	InstitutionID int64  // a buyer's own
	EnterpriseID  int64  // requests with a line routed to it
	Status        Status // "" for all; Expired and Quoted are told apart by date
	Open          bool   // for an enterprise: only requests with lines it has not answered
	Today         time.Time
	Limit         int
	Offset        int
}

// CatalogueItem is what a request line needs of a catalogue product.
type CatalogueItem struct {
	ProductID    int64
	OptionID     int64
	Name         string
	OptionName   string
	Unit         string
	TaxType      catalog.TaxType
	EnterpriseID int64
}

// Answer is an enterprise's answer for one of its lines.
type Answer struct {
	LineID        int64
	Supply        bool      // true: can supply at UnitPrice from AvailableDate
	UnitPrice     int64     // VAT included
	AvailableDate time.Time // a date
	Reason        string    // when it cannot supply
	// ProductID is, for a free-text line it can supply, the enterprise's
	// own product (without options, usually a service) the line is ordered
	// as; required then, ignored on catalogue lines.
	ProductID int64
}

// Store is what the quote service needs from the system of record. Errors
// are apperr codes as documented, others internal.
type Store interface {
	// FindCatalogueItem returns an active product of an active enterprise
	// with option optionID (0: the product must have no options).
	// NotFound otherwise.
	FindCatalogueItem(ctx context.Context, productID, optionID int64) (*CatalogueItem, error)
	// FindLinkableItems returns the active products without options of
	// enterprise (services first, then by name): what a free-text line can
	// be supplied as.
	FindLinkableItems(ctx context.Context, enterpriseID int64) ([]*CatalogueItem, error)
	// DirectContractLimit returns the institution's own limit, ok false when
	// it has none (the co-op default applies). NotFound for no institution.
	DirectContractLimit(ctx context.Context, institutionID int64) (limit int64, ok bool, err error)
	// CreateRequest inserts r with its lines and their offers (ID, Number,
	// line ids set). Conflict when the number is taken (the caller retries).
	CreateRequest(ctx context.Context, r *Request, audit *account.AuditRecord) error
	// FindRequest returns a request whole (lines, offers, revisions,
	// decision). NotFound if missing.
	FindRequest(ctx context.Context, id int64) (*Request, error)
	// FindRequests returns summaries matching f, newest first, and the total.
	FindRequests(ctx context.Context, f Filter) ([]*Summary, int, error)
	// RouteLine asks enterprise for line (of request), moving a submitted
	// request to quoting. Conflict when the request's status has changed
	// from status; NotFound for an unknown enterprise; asking an enterprise
	// twice changes nothing.
	RouteLine(ctx context.Context, requestID int64, status Status, lineID, enterpriseID int64, at time.Time, audit *account.AuditRecord) error
	// AnswerLines writes enterprise's answers (its offers must exist),
	// moving a submitted request to quoting, in one transaction. Conflict
	// when the request is no longer open.
	AnswerLines(ctx context.Context, requestID, enterpriseID int64, answers []Answer, by int64, at time.Time, audit *account.AuditRecord) error
	// CreateRevision inserts v (ID and Number set: one more than the last)
	// and marks the request quoted, in one transaction. Conflict when the
	// request is no longer open or another revision was sent since
	// v.Number-1 (the caller reads again).
	CreateRevision(ctx context.Context, v *Revision, audit *account.AuditRecord) error
	// Decide records d and the request's new status. Conflict when the
	// request already has a decision.
	Decide(ctx context.Context, d *Decision, status Status) error
	// Withdraw marks an open request withdrawn. Conflict when not open.
	Withdraw(ctx context.Context, requestID int64, at time.Time) error
}

// Auditor builds audit records for writes that carry them (*account.Service
// is one): the actor comes from ctx.
type Auditor interface {
	NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error)
}

// Today is now's date in Seoul, as midnight UTC of that date (the form
// dates and DATE columns are read and written in).
func Today(now time.Time) time.Time {
	y, m, d := now.In(kr.Seoul()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
