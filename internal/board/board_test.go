package board_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/board"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

// auditor builds audit records as account.Service does, from the actor.
type auditor struct{}

func (auditor) NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error) {
	a := account.FromContext(ctx)
	return &account.AuditRecord{At: time.Now(), ActorUserID: a.UserID, ActorRole: string(a.Role), Action: e.Action,
		Entity: e.Entity, EntityID: e.EntityID}, nil
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fieldsOf(err error) apperr.Fields {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// The whole life of a post against PostgreSQL and a blob folder: drafts
// stay hidden, publishing and pinning order the lists, files are stored
// and removed with their rows, every write is audited in its transaction,
// and only operators write.
func TestBoard(t *testing.T) {
	pool := testutil.NewDB(t)
	ctx := context.Background()
	blobs, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	svc := &board.Service{Store: postgres.NewBoardStore(pool), Blobs: blobs, Audit: auditor{}, Now: func() time.Time { return now }}
	op := account.NewContext(ctx, testutil.QuoteUser(t, pool, account.Operator, "운영자", 0))
	shopper := account.NewContext(ctx, testutil.QuoteUser(t, pool, account.Consumer, "김구매", 0))

	// Only operators write; a shopper is refused and nothing is written.
	if _, err := svc.Create(shopper, board.Input{Kind: board.Notice, Title: "몰래 쓴 글"}); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("shopper create: %v", err)
	}
	if _, _, err := svc.Posts(shopper, board.Filter{}); apperr.Code(err) != apperr.NotFound {
		t.Fatal("shopper read the console's list")
	}
	// Bad input: per-field messages, nothing stored.
	_, err = svc.Create(op, board.Input{Kind: "news", Title: " ", Files: []helpdesk.Upload{{Name: "x.exe", Data: []byte("MZ\x90\x00")}}})
	if f := fieldsOf(err); apperr.Code(err) != apperr.Invalid || f["kind"] == "" || f["title"] == "" || f["files"] == "" {
		t.Fatalf("bad input: %v %v", err, f)
	}

	draft, err := svc.Create(op, board.Input{Kind: board.Download, Title: "2027년 우선구매 안내서", Body: "붙임 파일을 보세요.",
		Files: []helpdesk.Upload{{Name: "안내서.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}, {Name: "표.png", Data: pngBytes(t)}}})
	if err != nil {
		t.Fatal(err)
	}
	if draft.Published() || len(draft.Files) != 2 || draft.Files[0].ContentType != "application/pdf" || draft.Files[1].ContentType != "image/png" {
		t.Fatalf("draft = %+v files %+v", draft, draft.Files)
	}
	// A draft is nobody's but the console's.
	if _, err := svc.Public(ctx, board.Download, draft.ID); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("public draft: %v", err)
	}
	if _, _, err := svc.OpenFile(ctx, board.Download, draft.ID, draft.Files[0].ID, false); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("draft's file: %v", err)
	}
	if _, rc, err := svc.OpenFile(op, board.Download, draft.ID, draft.Files[0].ID, true); err != nil {
		t.Fatalf("console, draft's file: %v", err)
	} else {
		rc.Close()
	}
	if list, total, err := svc.PublicPosts(ctx, board.Download, 10, 0); err != nil || total != 0 || len(list) != 0 {
		t.Fatalf("public downloads with a draft: %d %v", total, err)
	}

	old, err := svc.Create(op, board.Input{Kind: board.Notice, Title: "먼저 올린 공지", Published: true})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	newer, err := svc.Create(op, board.Input{Kind: board.Notice, Title: "나중 공지", Published: true})
	if err != nil {
		t.Fatal(err)
	}
	list, total, err := svc.PublicPosts(ctx, board.Notice, 10, 0)
	if err != nil || total != 2 || list[0].ID != newer.ID {
		t.Fatalf("notices: %d %v first %+v", total, err, list)
	}
	// Pinning the older one puts it first; publishing keeps its date.
	if _, err := svc.SetPinned(op, old.ID, true); err != nil {
		t.Fatal(err)
	}
	list, _, _ = svc.PublicPosts(ctx, board.Notice, 10, 0)
	if list[0].ID != old.ID || !list[0].Pinned || !list[0].PublishedAt.Equal(*old.PublishedAt) {
		t.Fatalf("pinned first: %+v", list[0])
	}
	// A notice is not found as a download (its address names its kind).
	if _, err := svc.Public(ctx, board.Download, old.ID); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("notice as a download: %v", err)
	}

	// Publishing the draft, removing one file and adding another.
	keyPDF := draft.Files[0].Key
	now = now.Add(time.Hour)
	in := board.InputOf(draft)
	in.Published, in.Remove = true, []int64{draft.Files[0].ID}
	in.Files = []helpdesk.Upload{{Name: "개정판.pdf", Data: []byte("%PDF-1.7\n%%EOF\n")}}
	pub, err := svc.Update(op, draft.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if !pub.PublishedAt.Equal(now) || len(pub.Files) != 2 {
		t.Fatalf("published: %+v %d files", pub.PublishedAt, len(pub.Files))
	}
	if _, _, err := blobs.Open(ctx, keyPDF); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("removed file still stored: %v", err)
	}
	got, err := svc.Public(ctx, board.Download, draft.ID)
	if err != nil || len(got.Files) != 2 || got.Files[1].Name != "개정판.pdf" {
		t.Fatalf("public download: %+v %v", got, err)
	}
	f, rc, err := svc.OpenFile(ctx, board.Download, draft.ID, got.Files[1].ID, false)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(rc)
	rc.Close()
	if f.ContentType != "application/pdf" || string(data) != "%PDF-1.7\n%%EOF\n" {
		t.Fatalf("file %+v %q", f, data)
	}
	// Too many files in all: refused, nothing changed.
	in = board.InputOf(got)
	in.Files = []helpdesk.Upload{{Name: "a.pdf", Data: []byte("%PDF-1")}, {Name: "b.pdf", Data: []byte("%PDF-1")}, {Name: "c.pdf", Data: []byte("%PDF-1")}, {Name: "d.pdf", Data: []byte("%PDF-1")}}
	if _, err := svc.Update(op, draft.ID, in); fieldsOf(err)["files"] == "" {
		t.Fatalf("six files: %v", err)
	}
	// Unpublishing hides it again.
	if _, err := svc.SetPublished(op, draft.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Public(ctx, board.Download, draft.ID); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("unpublished: %v", err)
	}

	// Deleting removes the rows and the stored files.
	keys := []string{got.Files[0].Key, got.Files[1].Key}
	if err := svc.Delete(shopper, draft.ID); apperr.Code(err) != apperr.NotFound {
		t.Fatal("shopper deleted")
	}
	if err := svc.Delete(op, draft.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Post(op, draft.ID); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("deleted post: %v", err)
	}
	for _, k := range keys {
		if _, _, err := blobs.Open(ctx, k); apperr.Code(err) != apperr.NotFound {
			t.Errorf("file %s of a deleted post: %v", k, err)
		}
	}
	var files int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM board_files`).Scan(&files); err != nil || files != 0 {
		t.Fatalf("file rows left: %d %v", files, err)
	}

	// Every write is in the audit log, in order.
	rows, err := pool.Query(ctx, `SELECT action FROM audit_log WHERE entity = 'board_post' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, a)
	}
	want := []string{"board.create", "board.create", "board.create", "board.update", "board.update", "board.update", "board.delete"}
	if len(actions) != len(want) {
		t.Fatalf("audit actions %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("audit actions %v, want %v", actions, want)
		}
	}
}
