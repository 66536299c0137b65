package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/dure-coop/dure/internal/backup"
	"github.com/dure-coop/dure/internal/config"
)

// backupFlags parses [--pg-bin DIR] [DIR] for backup and restore.
func backupFlags(name string, args []string) (backup.Options, string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	pgBin := fs.String("pg-bin", backup.PGBin(), "folder holding pg_dump and pg_restore (at least the server's major version)")
	if err := fs.Parse(args); err != nil {
		return backup.Options{}, "", fmt.Errorf("%s: %w", name, err)
	}
	if fs.NArg() > 1 {
		return backup.Options{}, "", fmt.Errorf("%s: one folder at most, got %q", name, fs.Args())
	}
	return backup.Options{PGBin: *pgBin, Log: os.Stderr}, fs.Arg(0), nil
}

// runBackup writes a backup of the database and the upload folder into the
// folder given (default var/backups/dure-<UTC time>), which must be new or
// empty.
func runBackup(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	o, dir, err := backupFlags("backup", args)
	if err != nil {
		return err
	}
	if dir == "" {
		dir = filepath.Join("var", "backups", "dure-"+time.Now().UTC().Format("20060102T150405Z"))
	}
	o.DatabaseURL, o.UploadDir = cfg.DatabaseURL, cfg.UploadDir
	start := time.Now()
	m, err := backup.Backup(ctx, o, dir)
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	log.Info("backup written", "dir", dir, "migration", m.MigrationVersion, "tables", len(m.Tables), "rows", rows,
		"files", len(m.Files), "took", time.Since(start).Round(time.Millisecond).String())
	return nil
}

// runRestore loads a backup into an empty database and upload folder,
// checks every table against the manifest, then rebuilds the search index
// (Meilisearch holds derived data only).
func runRestore(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	o, dir, err := backupFlags("restore", args)
	if err != nil {
		return err
	}
	if dir == "" {
		return fmt.Errorf("restore: name the backup folder: dure restore var/backups/dure-…")
	}
	o.DatabaseURL, o.UploadDir = cfg.DatabaseURL, cfg.UploadDir
	m, err := backup.Restore(ctx, o, dir)
	if err != nil {
		return err
	}
	log.Info("database and files restored and checked against the manifest", "dir", dir, "backup_time", m.CreatedAt.Format(time.RFC3339),
		"migration", m.MigrationVersion, "tables", len(m.Tables), "files", len(m.Files))
	if err := runReindex(ctx, cfg, log, nil); err != nil {
		return fmt.Errorf("restore: the data is back, but the search index was not rebuilt (run `dure reindex`): %w", err)
	}
	return nil
}
