package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/demo"
	"github.com/dure-coop/dure/internal/postgres"
)

// runImport is `dure import FILE`: FILE, or - for standard input.
func runImport(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: dure import FILE (a JSON Lines catalogue file, or - for standard input)")
	}
	name, r := args[0], io.Reader(os.Stdin)
	if name == "-" {
		name = "standard input"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		r = f
	}
	return withMigratedDB(ctx, cfg, func(pool *pgxpool.Pool) error {
		return importCatalogue(ctx, pool, log, os.Stdout, os.Stderr, name, r)
	})
}

// runSeed is `dure seed`: the bundled demo catalogue, through the same path.
func runSeed(ctx context.Context, cfg config.Config, log *slog.Logger, _ []string) error {
	return withMigratedDB(ctx, cfg, func(pool *pgxpool.Pool) error {
		return importCatalogue(ctx, pool, log, os.Stdout, os.Stderr, "demo catalogue", bytes.NewReader(demo.Catalogue()))
	})
}

// withMigratedDB opens the database and applies pending migrations, so import
// and seed work on an empty database.
func withMigratedDB(ctx context.Context, cfg config.Config, fn func(*pgxpool.Pool) error) error {
	pool, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		return err
	}
	return fn(pool)
}

// importCatalogue imports r and writes either every bad row to stderr, one
// per line as `line N: field: 한국어 이유 (English reason)`, or the statistics
// to stdout.
func importCatalogue(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, stdout, stderr io.Writer, name string, r io.Reader) error {
	stats, err := catalog.Import(ctx, postgres.NewCatalogStore(pool), r)
	var ie *catalog.ImportError
	if errors.As(err, &ie) {
		for _, row := range ie.Rows {
			fmt.Fprintln(stderr, row)
		}
		fmt.Fprintf(stderr, "%s: %d problem(s); nothing was imported.\n", name, len(ie.Rows))
		return fmt.Errorf("import %s: %d problem(s), nothing imported", name, len(ie.Rows))
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", name, err)
	}
	fmt.Fprintf(stdout, "%s imported:\n%s", name, stats)
	log.Info("catalogue imported", "source", name,
		"categories_created", stats.Categories.Created, "categories_updated", stats.Categories.Updated,
		"enterprises_created", stats.Enterprises.Created, "enterprises_updated", stats.Enterprises.Updated,
		"products_created", stats.Products.Created, "products_updated", stats.Products.Updated,
		"products_unchanged", stats.Products.Unchanged)
	return nil
}
