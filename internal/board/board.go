// Package board is the co-op's board: 공지사항 (notices) and 자료실
// (downloads) that operators write in the console — a title, a plain-text
// body whose http(s) addresses become links, attachments kept in the blob
// store, pinned posts first, and drafts that only operators see. The shop
// lists published posts on the home page and at /notices and /downloads.
package board

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/textin"
)

// Kind is which list a post belongs to.
type Kind string

// Kinds of post.
const (
	Notice   Kind = "notice"   // 공지사항
	Download Kind = "download" // 자료실
)

// Kinds lists the kinds in the order pages show them.
var Kinds = []Kind{Notice, Download}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Notice || k == Download }

// Label is the kind's Korean name.
func (k Kind) Label() string {
	switch k {
	case Notice:
		return "공지사항"
	case Download:
		return "자료실"
	}
	return ""
}

// Path is the shop's list of the kind (/notices, /downloads).
func (k Kind) Path() string {
	if k == Download {
		return "/downloads"
	}
	return "/notices"
}

// Post is a notice or a download.
type Post struct {
	ID     int64
	Kind   Kind
	Title  string
	Body   string // plain text
	Pinned bool
	// PublishedAt is when the post was published; nil for a draft.
	PublishedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Files       []*File
}

// Published reports whether the post is public.
func (p *Post) Published() bool { return p.PublishedAt != nil }

// URL is the post's public address (/notices/3, /downloads/4).
func (p *Post) URL() string { return p.Kind.Path() + "/" + strconv.FormatInt(p.ID, 10) }

// File is an attachment of a post.
type File struct {
	ID          int64
	PostID      int64
	Key         string // in the blob store
	Name        string
	ContentType string
	Size        int64
}

// IsImage reports whether the file is a picture.
func (f *File) IsImage() bool { return strings.HasPrefix(f.ContentType, "image/") }

// Filter selects posts.
type Filter struct {
	Kind Kind // "" both
	// Drafts includes drafts (the console's list).
	Drafts bool
	Limit  int
	Offset int
}

// Store keeps the posts.
type Store interface {
	// FindPost returns post id with its files, drafts included;
	// apperr.NotFound when there is none.
	FindPost(ctx context.Context, id int64) (*Post, error)
	// FindPosts returns posts matching f with their total: pinned first,
	// then newest (published, or created for drafts). Files are not filled.
	FindPosts(ctx context.Context, f Filter) ([]*Post, int, error)
	// CreatePost inserts p with its files and the audit record in one
	// transaction, setting the ids.
	CreatePost(ctx context.Context, p *Post, createdBy int64, audit *account.AuditRecord) error
	// UpdatePost writes p's kind, title, body, pinned and published_at,
	// adds its files without an id, and removes the files removeIDs names,
	// with the audit record, in one transaction. NotFound for an unknown
	// post.
	UpdatePost(ctx context.Context, p *Post, removeIDs []int64, audit *account.AuditRecord) error
	// FindLatest returns up to n published posts of each kind, pinned
	// first, then newest, in one query (the home page).
	FindLatest(ctx context.Context, n int) ([]*Post, error)
	// DeletePost removes post id and its files' rows with the audit record.
	DeletePost(ctx context.Context, id int64, audit *account.AuditRecord) error
}

// Audit actions.
const (
	ActionCreate = "board.create"
	ActionUpdate = "board.update"
	ActionDelete = "board.delete"
)

// MaxFiles is the most attachments a post holds.
const MaxFiles = 5

var (
	titleRule = textin.Rule{Label: "제목", Required: true, Max: 120}
	bodyRule  = textin.Rule{Label: "본문", Max: 20000, Multiline: true}
)

// Input is the console's form.
type Input struct {
	Kind      Kind
	Title     string
	Body      string
	Pinned    bool
	Published bool
	// Files are new attachments, checked as the help desk's are (a
	// picture, re-encoded, or a PDF; 10MB each).
	Files []helpdesk.Upload
	// Remove names attachments to take off (Update only).
	Remove []int64
}

// Service is the board. Reads of published posts are for everyone; every
// write and every read of drafts is for operators only.
type Service struct {
	Store Store
	Blobs blob.Store
	Audit interface {
		NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error)
	}
	Log *slog.Logger
	Now func() time.Time
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

func notFound() error { return apperr.Errorf(apperr.NotFound, "찾는 글이 없습니다.") }

// snapshot is what the audit log keeps of a post.
type snapshot struct {
	Kind      Kind     `json:"kind"`
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	Pinned    bool     `json:"pinned"`
	Published bool     `json:"published"`
	Files     []string `json:"files,omitempty"`
}

func snap(p *Post) *snapshot {
	out := &snapshot{Kind: p.Kind, Title: p.Title, Body: p.Body, Pinned: p.Pinned, Published: p.Published()}
	for _, f := range p.Files {
		out.Files = append(out.Files, f.Name)
	}
	return out
}

// check validates in's fields: apperr.Invalid with Fields (kind, title,
// body, files) and nothing stored.
func (in *Input) check(existing int) ([]helpdesk.CheckedFile, error) {
	in.Title = strings.TrimSpace(in.Title)
	in.Body = strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	f := apperr.Fields{}
	if !in.Kind.Valid() {
		f["kind"] = "공지사항과 자료실 가운데 하나를 골라 주세요."
	}
	if msg := titleRule.Message(in.Title); msg != "" {
		f["title"] = msg
	}
	if msg := bodyRule.Message(in.Body); msg != "" {
		f["body"] = msg
	}
	var files []helpdesk.CheckedFile
	if existing+len(in.Files) > MaxFiles {
		f["files"] = "첨부파일은 한 글에 " + strconv.Itoa(MaxFiles) + "개까지 붙일 수 있습니다."
	} else if len(in.Files) > 0 {
		var msg string
		files, msg = helpdesk.CheckUploads(in.Files)
		if msg != "" {
			f["files"] = msg
		}
	}
	if len(f) > 0 {
		return nil, &apperr.Error{Code: apperr.Invalid, Message: "입력한 내용을 확인해 주세요.", Fields: f}
	}
	return files, nil
}

// store puts files in the blob store and returns their rows; on failure
// it deletes what it stored.
func (s *Service) store(ctx context.Context, files []helpdesk.CheckedFile) ([]*File, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if s.Blobs == nil {
		return nil, apperr.Errorf(apperr.Unavailable, "지금은 파일을 올릴 수 없습니다. 파일 없이 저장하거나 잠시 후 다시 시도해 주세요.")
	}
	var out []*File
	for _, c := range files {
		var b [12]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}[c.ContentType]
		key := "board/" + hex.EncodeToString(b[:]) + ext
		if err := s.Blobs.Put(ctx, key, bytes.NewReader(c.Data), c.ContentType); err != nil {
			s.unstore(ctx, out)
			return nil, err
		}
		out = append(out, &File{Key: key, Name: c.Name, ContentType: c.ContentType, Size: int64(len(c.Data))})
	}
	return out, nil
}

// unstore deletes files from the blob store (after the write that was to
// record them failed, or after their rows were deleted).
func (s *Service) unstore(ctx context.Context, files []*File) {
	for _, f := range files {
		if err := s.Blobs.Delete(context.WithoutCancel(ctx), f.Key); err != nil {
			s.log().WarnContext(ctx, "board: delete file", "key", f.Key, "err", err)
		}
	}
}

// Create adds a post (operators only, audited). apperr.Invalid with
// Fields for a bad form; nothing is written then.
func (s *Service) Create(ctx context.Context, in Input) (*Post, error) {
	a, err := account.RequireOperator(ctx)
	if err != nil {
		return nil, err
	}
	checked, err := in.check(0)
	if err != nil {
		return nil, err
	}
	p := &Post{Kind: in.Kind, Title: in.Title, Body: in.Body, Pinned: in.Pinned}
	if in.Published {
		t := s.now()
		p.PublishedAt = &t
	}
	if p.Files, err = s.store(ctx, checked); err != nil {
		return nil, err
	}
	rec, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{Action: ActionCreate, Entity: "board_post", After: snap(p)})
	if err != nil {
		s.unstore(ctx, p.Files)
		return nil, err
	}
	if err := s.Store.CreatePost(ctx, p, a.UserID, rec); err != nil {
		s.unstore(ctx, p.Files)
		return nil, err
	}
	return p, nil
}

// Update changes post id from the form (operators only, audited): its
// fields, new attachments and the ones to remove. Publishing a draft
// stamps it now; a published post keeps its date; unpublishing makes it a
// draft again.
func (s *Service) Update(ctx context.Context, id int64, in Input) (*Post, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	old, err := s.Store.FindPost(ctx, id)
	if err != nil {
		return nil, err
	}
	remove := map[int64]bool{}
	for _, fid := range in.Remove {
		remove[fid] = true
	}
	p := &Post{ID: id, Kind: in.Kind, Title: in.Title, Body: in.Body, Pinned: in.Pinned, CreatedAt: old.CreatedAt}
	var removed []*File
	var removeIDs []int64
	for _, f := range old.Files {
		if remove[f.ID] {
			removed, removeIDs = append(removed, f), append(removeIDs, f.ID)
			continue
		}
		p.Files = append(p.Files, f)
	}
	checked, err := in.check(len(p.Files))
	if err != nil {
		return nil, err
	}
	p.Kind, p.Title, p.Body = in.Kind, in.Title, in.Body
	switch {
	case in.Published && old.PublishedAt != nil:
		p.PublishedAt = old.PublishedAt
	case in.Published:
		t := s.now()
		p.PublishedAt = &t
	}
	added, err := s.store(ctx, checked)
	if err != nil {
		return nil, err
	}
	p.Files = append(p.Files, added...)
	rec, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{Action: ActionUpdate, Entity: "board_post",
		EntityID: strconv.FormatInt(id, 10), Before: snap(old), After: snap(p)})
	if err != nil {
		s.unstore(ctx, added)
		return nil, err
	}
	if err := s.Store.UpdatePost(ctx, p, removeIDs, rec); err != nil {
		s.unstore(ctx, added)
		return nil, err
	}
	s.unstore(ctx, removed)
	return p, nil
}

// SetPublished publishes or unpublishes post id (operators only,
// audited), keeping everything else.
func (s *Service) SetPublished(ctx context.Context, id int64, published bool) (*Post, error) {
	return s.toggle(ctx, id, func(in *Input) { in.Published = published })
}

// SetPinned pins or unpins post id (operators only, audited).
func (s *Service) SetPinned(ctx context.Context, id int64, pinned bool) (*Post, error) {
	return s.toggle(ctx, id, func(in *Input) { in.Pinned = pinned })
}

func (s *Service) toggle(ctx context.Context, id int64, change func(*Input)) (*Post, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	old, err := s.Store.FindPost(ctx, id)
	if err != nil {
		return nil, err
	}
	in := InputOf(old)
	change(&in)
	return s.Update(ctx, id, in)
}

// InputOf is the form of an existing post.
func InputOf(p *Post) Input {
	return Input{Kind: p.Kind, Title: p.Title, Body: p.Body, Pinned: p.Pinned, Published: p.Published()}
}

// Delete removes post id and its files (operators only, audited).
func (s *Service) Delete(ctx context.Context, id int64) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	old, err := s.Store.FindPost(ctx, id)
	if err != nil {
		return err
	}
	rec, err := s.Audit.NewAuditRecord(ctx, account.AuditEntry{Action: ActionDelete, Entity: "board_post",
		EntityID: strconv.FormatInt(id, 10), Before: snap(old)})
	if err != nil {
		return err
	}
	if err := s.Store.DeletePost(ctx, id, rec); err != nil {
		return err
	}
	s.unstore(ctx, old.Files)
	return nil
}

// Post returns post id for the console (operators only), drafts included.
func (s *Service) Post(ctx context.Context, id int64) (*Post, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.Store.FindPost(ctx, id)
}

// Posts lists posts for the console (operators only), drafts included.
func (s *Service) Posts(ctx context.Context, f Filter) ([]*Post, int, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, 0, err
	}
	f.Drafts = true
	return s.Store.FindPosts(ctx, f)
}

// Public returns published post id of kind for everyone; a draft, or a
// post of the other kind, is not found.
func (s *Service) Public(ctx context.Context, kind Kind, id int64) (*Post, error) {
	p, err := s.Store.FindPost(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.Published() || p.Kind != kind {
		return nil, notFound()
	}
	return p, nil
}

// PublicPosts lists published posts of kind, pinned first, then newest.
func (s *Service) PublicPosts(ctx context.Context, kind Kind, limit, offset int) ([]*Post, int, error) {
	return s.Store.FindPosts(ctx, Filter{Kind: kind, Limit: limit, Offset: offset})
}

// Latest returns up to n published posts of each kind, pinned first, then
// newest, for the home page.
func (s *Service) Latest(ctx context.Context, n int) (map[Kind][]*Post, error) {
	posts, err := s.Store.FindLatest(ctx, n)
	if err != nil {
		return nil, err
	}
	out := map[Kind][]*Post{}
	for _, p := range posts {
		out[p.Kind] = append(out[p.Kind], p)
	}
	return out, nil
}

// OpenFile returns file fid of post id and its content; the caller closes
// it. For a visitor (console false) the post must be public and of kind;
// the console (operators only) opens drafts' files too.
func (s *Service) OpenFile(ctx context.Context, kind Kind, id, fid int64, console bool) (*File, io.ReadCloser, error) {
	var p *Post
	var err error
	if console {
		p, err = s.Post(ctx, id)
	} else {
		p, err = s.Public(ctx, kind, id)
	}
	if err != nil {
		return nil, nil, err
	}
	for _, f := range p.Files {
		if f.ID == fid {
			if s.Blobs == nil {
				return nil, nil, apperr.Errorf(apperr.Unavailable, "지금은 파일을 내려받을 수 없습니다. 잠시 후 다시 시도해 주세요.")
			}
			rc, _, err := s.Blobs.Open(ctx, f.Key)
			return f, rc, err
		}
	}
	return nil, nil, apperr.Errorf(apperr.NotFound, "찾는 파일이 없습니다.")
}
