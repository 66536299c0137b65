package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/feed"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/web/view"
)

// openFeeds wires the product feeds: the publisher the web layer serves and
// the worker that keeps their snapshot in step with the catalogue.
func openFeeds(cfg config.Config, pool *pgxpool.Pool, log *slog.Logger) (*feed.Publisher, *feed.Worker) {
	store := postgres.NewFeedStore(pool)
	pub := &feed.Publisher{
		Store: store,
		Links: feed.Links{Base: cfg.BaseURL, Product: view.ProductURL, GeneratedImage: view.ProductImageURL},
		Channel: feed.Channel{Title: "두레 사회적경제 공동판매장",
			Description: "사회적경제기업이 만든 상품과 서비스 (판매중이고 재고가 있는 것만)"},
	}
	return pub, &feed.Worker{Store: store, Log: log.With("component", "feed-worker")}
}

// feedFiles are the files `dure feed` writes, by name.
var feedFiles = []struct {
	name  string
	write func(p *feed.Publisher, ctx context.Context, w io.Writer, since time.Time) error
}{
	{"naver.tsv", func(p *feed.Publisher, ctx context.Context, w io.Writer, _ time.Time) error { return p.Naver(ctx, w) }},
	{"naver-summary.tsv", (*feed.Publisher).NaverSummary},
	{"google.xml", func(p *feed.Publisher, ctx context.Context, w io.Writer, _ time.Time) error {
		return p.GoogleXML(ctx, w)
	}},
	{"google.json", func(p *feed.Publisher, ctx context.Context, w io.Writer, _ time.Time) error {
		return p.GoogleJSON(ctx, w)
	}},
}

// runFeed brings the feed snapshot up to date and writes the feeds as files:
// dure feed [--out DIR] [--since TIME] [--rebuild].
func runFeed(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("feed", flag.ContinueOnError)
	out := fs.String("out", "var/feeds", "folder to write naver.tsv, naver-summary.tsv, google.xml and google.json to")
	sinceArg := fs.String("since", "", "summary feed: changes after this time (2026-01-02 15:04:05 KST, RFC 3339 or Unix seconds; default the last 24 hours)")
	rebuild := fs.Bool("rebuild", false, "rebuild the whole snapshot from the catalogue first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	since, err := feed.ParseSince(*sinceArg, time.Now())
	if err != nil {
		return fmt.Errorf("feed: --since: %w", err)
	}
	if cfg.BaseURL == "" {
		return errors.New("feed: DURE_BASE_URL is not set: feeds need the site's public address for their links")
	}
	pool, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		return err
	}
	pub, worker := openFeeds(cfg, pool, log)
	if *rebuild {
		if err := pub.Store.Requeue(ctx); err != nil {
			return err
		}
	}
	n, err := worker.Drain(ctx)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	for _, f := range feedFiles {
		if err := writeFeedFile(filepath.Join(*out, f.name), func(w io.Writer) error { return f.write(pub, ctx, w, since) }); err != nil {
			return err
		}
	}
	log.Info("feeds written", "dir", *out, "changes_applied", n)
	return nil
}

// writeFeedFile writes path through a temporary file renamed into place, so
// a reader never sees half a feed.
func writeFeedFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("feed: %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("feed: %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	return nil
}
