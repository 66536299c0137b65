package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/apperr"
)

// The domain validators keep text PostgreSQL cannot store out of every
// write and every lookup (textin's rule). Should some text get past them, the
// server refuses it: 22021 character_not_in_repertoire (a NUL byte, broken
// UTF-8) or 22P05 untranslatable_character (\u0000 in jsonb). That is the
// user's input, not a fault of the system, so it must answer 400, never 500:
// every statement the stores send goes through db, which adds an
// apperr.Invalid to such an error's chain (the driver's error stays in it
// for the logs, and wrapping with %w keeps both).

// errBadText is the apperr a refused character becomes.
var errBadText = &apperr.Error{Code: apperr.Invalid,
	Message: "입력한 내용에 쓸 수 없는 문자(깨진 글자나 제어 문자)가 있습니다. 확인한 뒤 다시 입력해 주세요."}

// badTextError is a driver error that is the input's fault.
type badTextError struct{ err error }

func (e *badTextError) Error() string   { return e.err.Error() }
func (e *badTextError) Unwrap() []error { return []error{errBadText, e.err} }

// textErr marks err when the server refused a character of the input.
func textErr(err error) error {
	var pgErr *pgconn.PgError
	if err != nil && errors.As(err, &pgErr) && (pgErr.Code == "22021" || pgErr.Code == "22P05") {
		var marked *badTextError
		if errors.As(err, &marked) {
			return err
		}
		return &badTextError{err: err}
	}
	return err
}

// db is the pool as the stores use it: its statements' errors go through
// textErr, and so do those of the transactions it begins.
type db struct{ *pgxpool.Pool }

func (d db) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	t, err := d.Pool.Exec(ctx, sql, args...)
	return t, textErr(err)
}

func (d db) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	r, err := d.Pool.Query(ctx, sql, args...)
	if err != nil {
		return r, textErr(err)
	}
	return rows{r}, nil
}

func (d db) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return row{d.Pool.QueryRow(ctx, sql, args...)}
}

func (d db) Begin(ctx context.Context) (pgx.Tx, error) {
	t, err := d.Pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return tx{t}, nil
}

func (d db) BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	t, err := d.Pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return tx{t}, nil
}

// tx is a transaction begun by db.
type tx struct{ pgx.Tx }

func (t tx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	c, err := t.Tx.Exec(ctx, sql, args...)
	return c, textErr(err)
}

func (t tx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	r, err := t.Tx.Query(ctx, sql, args...)
	if err != nil {
		return r, textErr(err)
	}
	return rows{r}, nil
}

func (t tx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return row{t.Tx.QueryRow(ctx, sql, args...)}
}

func (t tx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return batch{t.Tx.SendBatch(ctx, b)}
}

func (t tx) Begin(ctx context.Context) (pgx.Tx, error) {
	n, err := t.Tx.Begin(ctx)
	if err != nil {
		return nil, textErr(err)
	}
	return tx{n}, nil
}

type rows struct{ pgx.Rows }

func (r rows) Err() error { return textErr(r.Rows.Err()) }

type row struct{ pgx.Row }

func (r row) Scan(dest ...any) error { return textErr(r.Row.Scan(dest...)) }

type batch struct{ pgx.BatchResults }

func (b batch) Exec() (pgconn.CommandTag, error) {
	c, err := b.BatchResults.Exec()
	return c, textErr(err)
}

func (b batch) Query() (pgx.Rows, error) {
	r, err := b.BatchResults.Query()
	if err != nil {
		return r, textErr(err)
	}
	return rows{r}, nil
}

func (b batch) QueryRow() pgx.Row { return row{b.BatchResults.QueryRow()} }

func (b batch) Close() error { return textErr(b.BatchResults.Close()) }
