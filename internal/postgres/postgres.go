// Package postgres implements Dure's stores on PostgreSQL with pgx: raw SQL,
// explicit columns, $n placeholders, a transaction per multi-row write.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/migrations"
)

// Open connects a pool to url and checks that the server answers.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	return open(ctx, url, false)
}

// OpenReplica is Open for a read replica: every transaction on it is read
// only (default_transaction_read_only), so a write routed there by mistake
// fails at once instead of reaching a server that would refuse it anyway,
// or, pointed at a primary, writing where nothing expects it.
func OpenReplica(ctx context.Context, url string) (*pgxpool.Pool, error) {
	return open(ctx, url, true)
}

func open(ctx context.Context, url string, readOnly bool) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	if readOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: ping %s: %w", cfg.ConnConfig.Host, err)
	}
	return pool, nil
}

// Migrate applies every pending migration embedded in the binary.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	return migrate(ctx, db)
}

func migrate(ctx context.Context, db *sql.DB) error {
	// Several instances starting at once (a rollout) take turns: the first
	// applies what is pending under a PostgreSQL advisory lock, the others
	// wait for it and find nothing left to do.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("postgres: migrations lock: %w", err)
	}
	// Out of order: migrations written on parallel branches land with
	// numbers below one a database may already have (00009–00011 after
	// 00014 on a development database); each stands on its own, so they
	// are applied rather than refused.
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, goose.WithSessionLocker(locker),
		goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return nil
}

// translate turns driver errors into application errors where they mean
// something to a user, and wraps the rest with what was being done.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Errorf(apperr.NotFound, "%s을(를) 찾을 수 없습니다.", what)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return &apperr.Error{Code: apperr.Conflict, Message: "이미 등록된 " + what + "입니다."}
		case "23503", "23514":
			return &apperr.Error{Code: apperr.Invalid, Message: what + "의 값이 올바르지 않습니다."}
		}
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}
