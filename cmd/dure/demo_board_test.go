package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/board"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"
)

// The demo board is written once, as the demo operator, with its pinned
// notice first and the guide's PDF downloadable.
func TestEnsureDemoBoard(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	rdb, prefix := testutil.NewRedis(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	acc, err := account.NewService(postgres.NewAccountStore(pool), redis.NewSessionStore(rdb, prefix), &mail.Outbox{},
		redis.NewRateLimiter(rdb, prefix), account.Config{BaseURL: "http://dure.test", Logger: log, Password: account.PasswordParams{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.CreateOperator(ctx, demoOperatorEmail, "두레 운영자", demoPassword); err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	posts := &board.Service{Store: postgres.NewBoardStore(pool), Blobs: blobs, Audit: acc, Log: log}
	for range 2 {
		if err := ensureDemoBoard(ctx, acc, posts); err != nil {
			t.Fatal(err)
		}
	}
	notices, n, err := posts.PublicPosts(ctx, board.Notice, 10, 0)
	if err != nil || n != len(demoPosts) || !notices[0].Pinned || notices[0].Title != demoPosts[0].Title {
		t.Fatalf("notices: %d %v, first %+v", n, err, notices)
	}
	downloads, n, err := posts.PublicPosts(ctx, board.Download, 10, 0)
	if err != nil || n != 1 {
		t.Fatalf("downloads: %d %v", n, err)
	}
	d, err := posts.Public(ctx, board.Download, downloads[0].ID)
	if err != nil || len(d.Files) != 1 {
		t.Fatalf("the guide: %+v %v", d, err)
	}
	f, rc, err := posts.OpenFile(ctx, board.Download, d.ID, d.Files[0].ID, false)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(rc)
	rc.Close()
	if f.ContentType != "application/pdf" || !bytes.HasPrefix(data, []byte("%PDF-1.4")) || !bytes.HasSuffix(data, []byte("%%EOF\n")) {
		t.Fatalf("guide %s, %q", f.ContentType, data[:20])
	}
}
