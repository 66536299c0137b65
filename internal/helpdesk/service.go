package helpdesk

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/imageproc"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/textin"
)

// Limits of a message's attachments.
const (
	MaxAttachments    = 3
	MaxAttachmentSize = 10 << 20 // per file, as the portal's product images
)

// Upload is a file as a form sent it.
type Upload struct {
	Name string
	Data []byte
}

// OpenInput is a new request.
type OpenInput struct {
	Category    Category
	Title       string
	Body        string
	ProductID   int64
	SubOrderID  int64
	Attachments []Upload
}

// ReplyInput is a message added to a request's thread.
type ReplyInput struct {
	Body string
	// Note makes it an internal note (operators only).
	Note bool
	// Status, for operators, moves the request with the reply ("": an
	// operator's first reply moves 접수 to 처리 중).
	Status      Status
	Attachments []Upload
}

// Service is the help desk. Every method takes the actor from ctx.
type Service struct {
	Store Store
	Blobs blob.Store
	Audit interface {
		NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error)
	}
	Mailer mail.Mailer
	// BaseURL makes the links in mails absolute ("https://dure.example").
	BaseURL string
	Log     *slog.Logger
	Now     func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

var (
	titleRule = textin.Rule{Label: "제목", Required: true, Max: 100}
	bodyRule  = textin.Rule{Label: "내용", Required: true, Max: 5000, Multiline: true}
)

func notFound() error { return apperr.Errorf(apperr.NotFound, "찾는 상담이 없습니다.") }

// Open opens a request (its Messages the first one) for the actor's enterprise (account.EnterpriseScope:
// its members, or an operator acting for it). Invalid with per-field
// messages (category, title, body, product_id, sub_order_id, files) and
// nothing written.
func (s *Service) Open(ctx context.Context, in OpenInput) (*Request, error) {
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, err
	}
	a := account.FromContext(ctx)
	f := apperr.Fields{}
	if !in.Category.Valid() {
		f.Add("category", "상담 분류를 골라 주세요.")
	}
	title := strings.TrimSpace(in.Title)
	f.Add("title", titleRule.Message(title))
	body := strings.TrimSpace(textin.NormalizeNewlines(in.Body))
	f.Add("body", bodyRule.Message(body))
	files, msg := prepare(in.Attachments)
	f.Add("files", msg)
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	r := &Request{EnterpriseID: ent, OpenedBy: a.UserID, Category: in.Category, Title: title,
		ProductID: in.ProductID, SubOrderID: in.SubOrderID, Status: Received, CreatedAt: now, UpdatedAt: now}
	m := &Message{AuthorID: a.UserID, AuthorRole: authorRole(a), Kind: Reply, Body: body, CreatedAt: now}
	if err := s.store(ctx, ent, files, m); err != nil {
		return nil, err
	}
	if err := s.Store.CreateRequest(ctx, r, m); err != nil {
		s.unstore(ctx, m)
		return nil, err
	}
	r.Messages = []*Message{m}
	s.mailOperators(ctx, r, body)
	return r, nil
}

func authorRole(a *account.Actor) account.Role {
	if a.Role == account.Operator {
		return account.Operator
	}
	return account.EnterpriseStaff
}

// scope returns the enterprise whose requests the actor may see (0: all,
// for an operator not acting for one) and whether notes are shown.
// Operators acting on an enterprise's behalf still see everything in the
// console; in the portal they see what the enterprise sees.
func scope(ctx context.Context, portal bool) (int64, bool, error) {
	a := account.FromContext(ctx)
	if !portal && a.IsOperator() {
		return 0, true, nil
	}
	ent, err := account.EnterpriseScope(ctx)
	return ent, false, err
}

// FindRequest returns request id with its thread: in the portal (portal
// true) only the actor's enterprise's and without notes, in the console
// (operators only) any with notes. NotFound for another enterprise's.
func (s *Service) FindRequest(ctx context.Context, id int64, portal bool) (*Request, error) {
	if !portal {
		if _, err := account.RequireOperator(ctx); err != nil {
			return nil, err
		}
	}
	ent, notes, err := scope(ctx, portal)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.FindRequest(ctx, id, ent, notes)
	if apperr.Code(err) == apperr.NotFound {
		return nil, notFound()
	}
	return r, err
}

// FindRequests returns requests matching f, as FindRequest scopes them.
func (s *Service) FindRequests(ctx context.Context, f Filter, portal bool) ([]*Request, int, error) {
	if !portal {
		if _, err := account.RequireOperator(ctx); err != nil {
			return nil, 0, err
		}
	}
	ent, _, err := scope(ctx, portal)
	if err != nil {
		return nil, 0, err
	}
	if ent != 0 {
		f.EnterpriseID, f.AssigneeID, f.Unassigned = ent, 0, false
	}
	switch {
	case f.Limit <= 0:
		f.Limit = 20
	case f.Limit > 100:
		f.Limit = 100
	}
	f.Offset = max(f.Offset, 0)
	return s.Store.FindRequests(ctx, f)
}

// Reply adds a message to request id's thread: from the enterprise in the
// portal (a reply to a done request reopens it), or from an operator in the
// console (a reply or an internal note, optionally moving the status; the
// enterprise is mailed each reply). Invalid with per-field messages (body,
// files, status) and nothing written.
func (s *Service) Reply(ctx context.Context, id int64, in ReplyInput, portal bool) (*Message, error) {
	r, err := s.FindRequest(ctx, id, portal)
	if err != nil {
		return nil, err
	}
	a := account.FromContext(ctx)
	op := !portal
	f := apperr.Fields{}
	body := strings.TrimSpace(textin.NormalizeNewlines(in.Body))
	f.Add("body", bodyRule.Message(body))
	files, msg := prepare(in.Attachments)
	f.Add("files", msg)
	status := Status("")
	switch {
	case !op:
		if in.Note || in.Status != "" {
			return nil, apperr.Errorf(apperr.Forbidden, "운영자만 할 수 있습니다.")
		}
		if r.Status == Done {
			status = Received
		}
	case in.Status != "":
		if !r.Status.CanMoveTo(in.Status) {
			f.Add("status", "'"+r.Status.Label()+"'에서 '"+in.Status.Label()+"'(으)로 바꿀 수 없습니다.")
		}
		status = in.Status
	case !in.Note && r.Status == Received:
		status = InProgress
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	kind := Reply
	if op && in.Note {
		kind = Note
	}
	m := &Message{RequestID: r.ID, AuthorID: a.UserID, AuthorName: a.Name, AuthorRole: authorRole(a), Kind: kind, Body: body, CreatedAt: s.now()}
	var audit *account.AuditRecord
	if op {
		after := map[string]any{"kind": string(kind), "files": len(files)}
		if status != "" {
			after["status"] = string(status)
		}
		if audit, err = s.Audit.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: r.EnterpriseID, HelpRequestID: r.ID,
			Action: "help_request." + map[Kind]string{Reply: "reply", Note: "note"}[kind], Entity: "help_request",
			EntityID: strconv.FormatInt(r.ID, 10), Before: map[string]any{"status": string(r.Status)}, After: after}); err != nil {
			return nil, err
		}
	}
	if err := s.store(ctx, r.EnterpriseID, files, m); err != nil {
		return nil, err
	}
	if err := s.Store.AddMessage(ctx, m, status, audit); err != nil {
		s.unstore(ctx, m)
		return nil, err
	}
	switch {
	case op && kind == Reply:
		s.mailMembers(ctx, r, body)
	case !op:
		s.mailOperators(ctx, r, body)
	}
	return m, nil
}

// Update sets request id's status and assignee (0: unassigned), operators
// only, with an audit record. Invalid (status, assignee_id) for a move the
// status flow does not allow or an assignee who is not an operator.
func (s *Service) Update(ctx context.Context, id int64, status Status, assigneeID int64) error {
	r, err := s.FindRequest(ctx, id, false)
	if err != nil {
		return err
	}
	if status == "" {
		status = r.Status
	}
	if status != r.Status && !r.Status.CanMoveTo(status) {
		return (apperr.Fields{"status": "'" + r.Status.Label() + "'에서 '" + status.Label() + "'(으)로 바꿀 수 없습니다."}).Err()
	}
	if status == r.Status && assigneeID == r.AssigneeID {
		return nil
	}
	audit, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: r.EnterpriseID, HelpRequestID: r.ID,
		Action: "help_request.update", Entity: "help_request", EntityID: strconv.FormatInt(r.ID, 10),
		Before: map[string]any{"status": string(r.Status), "assignee_id": r.AssigneeID},
		After:  map[string]any{"status": string(status), "assignee_id": assigneeID}})
	if err != nil {
		return err
	}
	return s.Store.UpdateRequest(ctx, id, status, assigneeID, s.now(), audit)
}

// Subjects returns the actor's enterprise's products and recent orders, for
// the new-request form.
func (s *Service) Subjects(ctx context.Context) (*Subjects, error) {
	ent, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, err
	}
	return s.Store.FindSubjects(ctx, ent)
}

// Operators returns the operators a request may be assigned to.
func (s *Service) Operators(ctx context.Context) ([]*account.User, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.Store.FindOperators(ctx)
}

// OpenAttachment returns attachment id of request requestID, scoped as
// FindRequest (an attachment of a note is not the enterprise's to see),
// and its content; the caller closes it.
func (s *Service) OpenAttachment(ctx context.Context, requestID, id int64, portal bool) (*Attachment, io.ReadCloser, error) {
	r, err := s.FindRequest(ctx, requestID, portal)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range r.Messages {
		for _, at := range m.Attachments {
			if at.ID == id {
				rc, _, err := s.Blobs.Open(ctx, at.Key)
				return at, rc, err
			}
		}
	}
	return nil, nil, apperr.Errorf(apperr.NotFound, "찾는 파일이 없습니다.")
}

// MonthlyCounts returns the requests opened per category in the last n
// months (KST) up to the current one, oldest first, every month present.
func (s *Service) MonthlyCounts(ctx context.Context, n int) ([]MonthCount, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	now := s.now().In(kr.Seoul())
	first := time.Date(now.Year(), now.Month()-time.Month(n-1), 1, 0, 0, 0, 0, kr.Seoul())
	end := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, kr.Seoul())
	got, err := s.Store.CountByMonth(ctx, first, end)
	if err != nil {
		return nil, err
	}
	out := make([]MonthCount, n)
	for i := range out {
		out[i] = MonthCount{Month: first.AddDate(0, i, 0), Counts: map[Category]int{}}
	}
	for _, mc := range got {
		m := mc.Month.In(kr.Seoul())
		i := (m.Year()-first.Year())*12 + int(m.Month()-first.Month())
		if i >= 0 && i < n {
			out[i].Counts, out[i].Total = mc.Counts, mc.Total
		}
	}
	return out, nil
}

// CheckedFile is an upload that passed CheckUploads, ready to store.
type CheckedFile struct {
	Name, ContentType string
	Data              []byte
}

// CheckUploads applies the help desk's upload checks (at most
// MaxAttachments files, each at most MaxAttachmentSize; a JPG, PNG, GIF or
// WebP picture, re-encoded, or a PDF) for other features that take files,
// such as the co-op's board. It returns the message for the files field,
// "" when they are fine.
func CheckUploads(ups []Upload) ([]CheckedFile, string) {
	ps, msg := prepare(ups)
	if msg != "" {
		return nil, msg
	}
	out := make([]CheckedFile, len(ps))
	for i, p := range ps {
		out[i] = CheckedFile{Name: p.name, ContentType: p.contentType, Data: p.data}
	}
	return out, ""
}

// prepared is an attachment checked and ready to store.
type prepared struct {
	name, contentType string
	data              []byte
}

// prepare checks uploads (at most MaxAttachments, each at most
// MaxAttachmentSize; a JPG, PNG, GIF or WebP image, re-encoded as the
// portal's product images are, or a PDF) and returns the message for the
// files field, "" when they are fine.
func prepare(ups []Upload) ([]prepared, string) {
	var out []prepared
	if len(ups) > MaxAttachments {
		return nil, fmt.Sprintf("파일은 %d개까지 붙일 수 있습니다.", MaxAttachments)
	}
	for _, u := range ups {
		name := strings.TrimSpace(u.Name)
		if len([]rune(name)) > 200 || !textin.Clean(name, false) {
			name = "첨부파일"
		}
		if name == "" {
			name = "첨부파일"
		}
		switch {
		case len(u.Data) == 0:
			return nil, "'" + name + "' 파일이 비어 있습니다."
		case len(u.Data) > MaxAttachmentSize:
			return nil, "'" + name + "' 파일이 너무 큽니다. 파일마다 10MB 이하로 붙여 주세요."
		case bytes.HasPrefix(u.Data, []byte("%PDF-")):
			out = append(out, prepared{name: name, contentType: "application/pdf", data: u.Data})
			continue
		}
		if !strings.HasPrefix(http.DetectContentType(u.Data), "image/") {
			return nil, "'" + name + "'은(는) 붙일 수 없는 형식입니다. 사진(JPG, PNG, GIF, WebP)이나 PDF만 붙일 수 있습니다."
		}
		res, err := imageproc.Process(bytes.NewReader(u.Data), MaxAttachmentSize)
		if err != nil {
			return nil, "'" + name + "': " + apperr.Message(err)
		}
		out = append(out, prepared{name: name, contentType: res.Main.ContentType, data: res.Main.Data})
	}
	return out, ""
}

// store puts the prepared files in the blob store and sets m's attachments.
// On failure it deletes what it stored.
func (s *Service) store(ctx context.Context, ent int64, files []prepared, m *Message) error {
	if len(files) > 0 && s.Blobs == nil {
		return apperr.Errorf(apperr.Unavailable, "지금은 파일을 붙일 수 없습니다. 파일 없이 보내거나 잠시 후 다시 시도해 주세요.")
	}
	for _, p := range files {
		var b [12]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}[p.contentType]
		key := "helpdesk/" + strconv.FormatInt(ent, 10) + "/" + hex.EncodeToString(b[:]) + ext
		if err := s.Blobs.Put(ctx, key, bytes.NewReader(p.data), p.contentType); err != nil {
			s.unstore(ctx, m)
			return err
		}
		m.Attachments = append(m.Attachments, &Attachment{Key: key, Name: p.name, ContentType: p.contentType, Size: int64(len(p.data))})
	}
	return nil
}

// unstore deletes m's stored files after the write that was to record them
// failed.
func (s *Service) unstore(ctx context.Context, m *Message) {
	for _, at := range m.Attachments {
		if err := s.Blobs.Delete(context.WithoutCancel(ctx), at.Key); err != nil {
			s.log().WarnContext(ctx, "helpdesk: delete attachment", "key", at.Key, "err", err)
		}
	}
	m.Attachments = nil
}

func excerpt(body string) string {
	r := []rune(body)
	if len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return body
}

// mailOperators tells every operator of a new request or an enterprise's
// reply. A failure is logged: the request is stored either way.
func (s *Service) mailOperators(ctx context.Context, r *Request, body string) {
	if s.Mailer == nil {
		return
	}
	ops, err := s.Store.FindOperators(ctx)
	if err != nil {
		s.log().WarnContext(ctx, "helpdesk: operators to mail", "err", err)
		return
	}
	link := s.BaseURL + "/admin/help/" + strconv.FormatInt(r.ID, 10)
	subject := "[두레 애로 상담] " + r.Category.Label() + ": " + r.Title
	for _, op := range ops {
		m := mail.Mail{To: op.Email, Subject: subject,
			Body: "입점기업의 상담 글이 들어왔습니다.\n\n" + excerpt(body) + "\n\n상담 보기: " + link + "\n"}
		if err := s.Mailer.Send(ctx, m); err != nil {
			s.log().WarnContext(ctx, "helpdesk: mail operator", "user_id", op.ID, "err", err)
		}
	}
}

// mailMembers tells the enterprise's members of an operator's reply.
func (s *Service) mailMembers(ctx context.Context, r *Request, body string) {
	if s.Mailer == nil {
		return
	}
	to, err := s.Store.FindMemberEmails(ctx, r.EnterpriseID)
	if err != nil {
		s.log().WarnContext(ctx, "helpdesk: members to mail", "err", err)
		return
	}
	link := s.BaseURL + "/portal/help/" + strconv.FormatInt(r.ID, 10)
	for _, addr := range to {
		m := mail.Mail{To: addr, Subject: "[두레] 애로 상담에 답변이 달렸습니다: " + r.Title,
			Body: "협동조합이 상담 글에 답했습니다.\n\n" + excerpt(body) + "\n\n답변 보기: " + link + "\n"}
		if err := s.Mailer.Send(ctx, m); err != nil {
			s.log().WarnContext(ctx, "helpdesk: mail member", "err", err)
		}
	}
}
