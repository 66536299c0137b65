// Command dure is the Dure co-op marketplace: one binary with the subcommands
// serve, migrate, import, seed, reindex, worker, feed, synonyms, backup and restore. Configuration comes from
// DURE_* environment variables (see README).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/postgres"
)

const usage = `usage: dure <command> [arguments]

commands:
  serve          migrate, then serve the storefront (and run the index worker)
  migrate        apply pending database migrations
  import FILE    import a catalogue file (JSON Lines; see README); all or nothing
  seed           import the bundled demo catalogue
  reindex        rebuild the search index from PostgreSQL
  worker         run the search-index and feed outbox workers alone
  feed           update the product feeds and write them as files
                 (--out DIR, default var/feeds; --since TIME; --rebuild)
  synonyms       list | add TERM SYNONYM... | push: the search synonym dictionary
  backup [DIR]   dump the database and copy the uploaded files, with a manifest
                 (default DIR var/backups/dure-<UTC time>; --pg-bin DIR)
  restore DIR    load a backup into an EMPTY database and upload folder, check
                 it against the manifest, then rebuild the search index
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	cfg, err := config.FromEnv()
	if err != nil {
		fmt.Fprintf(os.Stderr, "dure: configuration: %v\n", err)
		os.Exit(2)
	}
	log := newLogger(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmds := map[string]func(context.Context, config.Config, *slog.Logger, []string) error{
		"serve":    runServe,
		"migrate":  runMigrate,
		"import":   runImport,
		"seed":     runSeed,
		"reindex":  runReindex,
		"worker":   runWorker,
		"feed":     runFeed,
		"synonyms": runSynonyms,
		"backup":   runBackup,
		"restore":  runRestore,
	}
	run, ok := cmds[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "dure: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err := run(ctx, cfg, log, os.Args[2:]); err != nil {
		log.Error("dure "+os.Args[1]+" failed", "err", err)
		os.Exit(1)
	}
}

func newLogger(cfg config.Config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

func runMigrate(ctx context.Context, cfg config.Config, log *slog.Logger, _ []string) error {
	pool, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		return err
	}
	log.Info("migrations applied")
	return nil
}
