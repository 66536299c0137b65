package coop

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/textin"
)

// DocKind is one of the documents a shopper reads and agrees to.
type DocKind string

// Document kinds.
const (
	Terms        DocKind = "terms"         // 이용약관 (with the purchase conditions)
	Privacy      DocKind = "privacy"       // 개인정보처리방침
	OrderPrivacy DocKind = "order_privacy" // 개인정보 수집·이용 동의, shown at checkout
)

// DocKinds are the kinds in the order the console lists them.
var DocKinds = []DocKind{Terms, Privacy, OrderPrivacy}

// Label is the Korean title of the kind ("" for an unknown one).
func (k DocKind) Label() string {
	switch k {
	case Terms:
		return "이용약관"
	case Privacy:
		return "개인정보처리방침"
	case OrderPrivacy:
		return "개인정보 수집·이용 동의 (주문)"
	}
	return ""
}

// Document is one published version of a kind. Versions are never changed:
// an order points at the ones its buyer agreed to.
type Document struct {
	ID          int64
	Kind        DocKind
	Version     int
	Body        string // plain text; blank lines separate paragraphs
	PublishedAt time.Time
}

// VersionLabel is "제3판".
func (d *Document) VersionLabel() string { return "제" + strconv.Itoa(d.Version) + "판" }

// Paragraphs is the body cut at blank lines, for pages that show it.
func (d *Document) Paragraphs() []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(d.Body, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// DocumentStore keeps the documents' versions.
type DocumentStore interface {
	// FindDocument returns version of kind, or its newest when version is
	// 0; apperr.NotFound when there is none.
	FindDocument(ctx context.Context, kind DocKind, version int) (*Document, error)
	// FindDocumentByID returns one version; apperr.NotFound when unknown.
	FindDocumentByID(ctx context.Context, id int64) (*Document, error)
	// PublishDocument stores body as the next version of kind with the
	// audit record, in one transaction, and returns it.
	PublishDocument(ctx context.Context, kind DocKind, body string, audit *account.AuditRecord) (*Document, error)
}

// ActionDocumentPublish is the audit action of a published document version.
const ActionDocumentPublish = "coop.document.publish"

var docBodyRule = textin.Rule{Label: "본문", Required: true, Max: 50000, Multiline: true}

// Documents reads the legal documents for everyone and lets operators
// publish new versions, audited.
type Documents struct {
	store   DocumentStore
	auditor Auditor
}

// NewDocuments returns the documents service.
func NewDocuments(store DocumentStore, auditor Auditor) *Documents {
	return &Documents{store: store, auditor: auditor}
}

// Current returns the newest version of kind.
func (d *Documents) Current(ctx context.Context, kind DocKind) (*Document, error) {
	return d.store.FindDocument(ctx, kind, 0)
}

// Version returns one version of kind (0: the newest); apperr.NotFound when
// there is no such version.
func (d *Documents) Version(ctx context.Context, kind DocKind, version int) (*Document, error) {
	if kind.Label() == "" || version < 0 {
		return nil, apperr.Errorf(apperr.NotFound, "문서를 찾을 수 없습니다.")
	}
	return d.store.FindDocument(ctx, kind, version)
}

// ByID returns the version with id (what an order was agreed under).
func (d *Documents) ByID(ctx context.Context, id int64) (*Document, error) {
	return d.store.FindDocumentByID(ctx, id)
}

// Publish makes body the next version of kind, for operators only,
// audited. apperr.Invalid with Fields["body"] for an empty or too long
// body, or one equal to the current version's (nothing to publish).
func (d *Documents) Publish(ctx context.Context, kind DocKind, body string) (*Document, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	if kind.Label() == "" {
		return nil, apperr.Errorf(apperr.NotFound, "문서를 찾을 수 없습니다.")
	}
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	if msg := docBodyRule.Message(body); msg != "" {
		return nil, &apperr.Error{Code: apperr.Invalid, Message: "본문을 확인해 주세요.", Fields: map[string]string{"body": msg}}
	}
	cur, err := d.store.FindDocument(ctx, kind, 0)
	if err != nil && apperr.Code(err) != apperr.NotFound {
		return nil, err
	}
	if cur != nil && cur.Body == body {
		const msg = "현재 판과 내용이 같습니다. 바꾼 내용이 있을 때 새 판으로 게시해 주세요."
		return nil, &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"body": msg}}
	}
	rec, err := d.auditor.NewAuditRecord(ctx, account.AuditEntry{Action: ActionDocumentPublish, Entity: "legal_document",
		EntityID: string(kind), After: map[string]string{"kind": string(kind), "body": body}})
	if err != nil {
		return nil, err
	}
	return d.store.PublishDocument(ctx, kind, body, rec)
}
