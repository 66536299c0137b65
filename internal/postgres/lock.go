package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Exclusive runs a named job on one instance at a time across every
// process on the database, by a session advisory lock on the job's name
// (order.Exclusive). The lock lives on one pooled connection for the
// job's length; should that connection break meanwhile, the lock goes with
// it, so a job run this way must still be safe to run twice (the order
// worker changes each order in its own locked transaction).
type Exclusive struct{ pool *pgxpool.Pool }

// NewExclusive returns an Exclusive on pool.
func NewExclusive(pool *pgxpool.Pool) *Exclusive { return &Exclusive{pool: pool} }

// TryExclusive runs fn if no other session holds name's lock and reports
// whether it ran; when another does, it returns at once.
func (e *Exclusive) TryExclusive(ctx context.Context, name string, fn func(context.Context) error) (bool, error) {
	conn, err := e.pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: lock %s: %w", name, err)
	}
	defer conn.Release()
	var held bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, "job:"+name).Scan(&held); err != nil {
		return false, fmt.Errorf("postgres: lock %s: %w", name, err)
	}
	if !held {
		return false, nil
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, "job:"+name); err != nil {
			_ = conn.Conn().Close(uctx) // closing the session releases the lock for sure
		}
	}()
	return true, fn(ctx)
}
