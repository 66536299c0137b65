package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/dure-coop/dure/internal/metrics"
)

// Outbox entities: what a search_outbox row says changed.
const (
	EntityProduct    = "product"
	EntityEnterprise = "enterprise"
	EntityCategory   = "category"
)

// Change is what a batch of outbox rows means for the index: documents to
// write (products that are active, of an active enterprise) and product ids to
// remove (missing, hidden or draft products, or of an inactive enterprise).
type Change struct {
	Upsert []Document
	Delete []int64
}

// OutboxStore is the search outbox and the document source, on the system of
// record.
type OutboxStore interface {
	// ProcessOutbox claims up to limit of the oldest outbox rows (skipping rows
	// another worker holds), turns them into a Change and calls apply; the rows
	// are deleted only when apply succeeds, so a crash replays them. It returns
	// the number of rows applied; 0 when the outbox is empty or a reindex holds
	// it.
	ProcessOutbox(ctx context.Context, limit int, apply func(context.Context, Change) error) (int, error)
	// OutboxStats returns the number of pending rows and the age of the oldest.
	OutboxStats(ctx context.Context) (backlog int, lag time.Duration, err error)
	// ExportDocuments streams every indexable product's document, in batches of
	// batchSize, from one consistent snapshot while outbox workers are held
	// off; emit receives the total and each batch. After every batch, it calls
	// done (the swap); when done succeeds it drops the outbox rows the snapshot
	// already covers.
	ExportDocuments(ctx context.Context, batchSize int, emit func(ctx context.Context, total int, docs []Document) error,
		done func(context.Context) error) error
}

// IndexWriter writes to the live index. Both methods return once the change
// is searchable (they wait for the engine's task), or an error.
type IndexWriter interface {
	Upsert(ctx context.Context, docs []Document) error
	Delete(ctx context.Context, ids []int64) error
}

// Builder builds a fresh index next to the live one, for a reindex.
type Builder interface {
	// NewBuild creates and configures an empty, temporary index.
	NewBuild(ctx context.Context) (Build, error)
}

// Build is an index being rebuilt.
type Build interface {
	// Add queues docs for indexing and returns how many documents the build
	// has indexed so far (it may wait for earlier batches, to bound the queue).
	Add(ctx context.Context, docs []Document) (indexed int, err error)
	// Wait waits until every added document is indexed and returns the count.
	Wait(ctx context.Context) (int, error)
	// Swap atomically makes the build the live index and deletes the old one.
	Swap(ctx context.Context) error
	// Abort deletes the temporary index.
	Abort(ctx context.Context) error
}

// Indexer keeps the search index in step with PostgreSQL by draining the
// outbox, and rebuilds the index on demand.
type Indexer struct {
	Store   OutboxStore
	Index   IndexWriter
	Builder Builder
	// Prepare (optional) configures the index; Run calls it until it succeeds
	// before draining, and again after any failure, so a worker started while
	// Meilisearch is down, or running while it restarts, configures it when it
	// is back.
	Prepare   func(context.Context) error
	Interval  time.Duration // poll interval; config OutboxInterval
	BatchSize int           // outbox rows per claim; default 500
	// Applied (optional) is called after every change the worker applies:
	// ResultCache.Apply, which keeps the cards of cached hits current and
	// invalidates only the results the change can alter. Without it, or when
	// it fails, Invalidate is called instead.
	Applied func(context.Context, Change) error
	// Invalidate (optional) is called after a reindex swap (and after a
	// change when Applied is nil or fails): ResultCache.Reset, so no
	// instance answers a search from results of the index before the
	// change. A failure is logged, not retried: the index must not stall
	// while Redis is away, and the cache's time-to-live bounds how long a
	// result can be stale.
	Invalidate func(context.Context) error
	// ReindexBatch is the number of documents per batch in Reindex; default 5000.
	ReindexBatch int
	Metrics      *metrics.Metrics // may be nil
	Log          *slog.Logger     // may be nil
}

const maxBackoff = 10 * time.Second

// Run drains the outbox every Interval until ctx ends; it then returns nil.
// Failures (Meilisearch down) are logged and retried with a growing delay; the
// rows stay in the outbox, so nothing is lost.
func (ix *Indexer) Run(ctx context.Context) error {
	log := ix.logger()
	interval := ix.Interval
	if interval <= 0 {
		interval = 200 * time.Millisecond
	}
	prepared := ix.Prepare == nil
	backoff := time.Duration(0)
	failing := false
	var lastStats time.Time
	for {
		var err error
		if !prepared {
			if err = ix.Prepare(ctx); err == nil {
				prepared = true
				log.Info("search index configured")
			}
		}
		if prepared {
			_, err = ix.Drain(ctx)
		}
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			// Configure again once it is back: Meilisearch may have restarted
			// cold or with its data lost.
			prepared = ix.Prepare == nil
			backoff = min(max(2*backoff, interval), maxBackoff)
			log.Error("search index worker failed; retrying", "err", err, "retry_in", backoff.String())
			failing = true
		} else {
			if failing {
				log.Info("search index worker recovered")
			}
			backoff, failing = 0, false
		}
		if time.Since(lastStats) >= time.Second {
			ix.updateStats(ctx)
			lastStats = time.Now()
		}
		wait := interval
		if backoff > 0 {
			wait = backoff
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// Drain applies outbox batches until the outbox is empty (or held by a
// reindex) and returns the number of rows applied.
func (ix *Indexer) Drain(ctx context.Context) (int, error) {
	limit := ix.BatchSize
	if limit <= 0 {
		limit = 500
	}
	total := 0
	for {
		n, err := ix.Store.ProcessOutbox(ctx, limit, ix.apply)
		total += n
		if ix.Metrics != nil && n > 0 {
			ix.Metrics.OutboxApplied.Add(float64(n))
		}
		if err != nil {
			return total, err
		}
		if n < limit {
			if n > 0 {
				ix.updateStats(ctx)
			}
			return total, nil
		}
	}
}

func (ix *Indexer) apply(ctx context.Context, c Change) error {
	if len(c.Upsert) > 0 {
		if err := ix.Index.Upsert(ctx, c.Upsert); err != nil {
			return err
		}
	}
	if len(c.Delete) > 0 {
		if err := ix.Index.Delete(ctx, c.Delete); err != nil {
			return err
		}
	}
	if len(c.Upsert) == 0 && len(c.Delete) == 0 {
		return nil
	}
	if ix.Applied != nil {
		err := ix.Applied(ctx, c)
		if err == nil {
			return nil
		}
		ix.logger().Warn("search: could not record the change in the result cache; invalidating it all", "err", err)
	}
	ix.invalidate(ctx)
	return nil
}

// invalidate calls Invalidate, logging a failure.
func (ix *Indexer) invalidate(ctx context.Context) {
	if ix.Invalidate == nil {
		return
	}
	if err := ix.Invalidate(ctx); err != nil {
		ix.logger().Warn("search: could not invalidate the result cache; cached results may be stale until they expire", "err", err)
	}
}

func (ix *Indexer) updateStats(ctx context.Context) {
	if ix.Metrics == nil {
		return
	}
	n, lag, err := ix.Store.OutboxStats(ctx)
	if err != nil {
		return
	}
	ix.Metrics.OutboxBacklog.Set(float64(n))
	ix.Metrics.OutboxLagSeconds.Set(lag.Seconds())
}

// Reindex rebuilds the whole index into a fresh temporary index from one
// snapshot of PostgreSQL and swaps it in, so search stays up meanwhile.
// progress (may be nil) is called with documents indexed so far and the total.
// It returns the number of documents indexed.
func (ix *Indexer) Reindex(ctx context.Context, progress func(done, total int)) (int, error) {
	if ix.Builder == nil {
		return 0, errors.New("search: reindex: no index builder")
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	batch := ix.ReindexBatch
	if batch <= 0 {
		batch = 5000
	}
	b, err := ix.Builder.NewBuild(ctx)
	if err != nil {
		return 0, fmt.Errorf("search: reindex: %w", err)
	}
	total, indexed := 0, 0
	err = ix.Store.ExportDocuments(ctx, batch,
		func(ctx context.Context, n int, docs []Document) error {
			total = n
			done, err := b.Add(ctx, docs)
			if err != nil {
				return err
			}
			progress(done, total)
			return nil
		},
		func(ctx context.Context) error {
			done, err := b.Wait(ctx)
			if err != nil {
				return err
			}
			indexed = done
			progress(done, max(total, done))
			if err := b.Swap(ctx); err != nil {
				return err
			}
			ix.invalidate(ctx)
			return nil
		})
	if err != nil {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if aerr := b.Abort(actx); aerr != nil {
			ix.logger().Warn("search: reindex: could not delete the temporary index", "err", aerr)
		}
		return indexed, fmt.Errorf("search: reindex: %w", err)
	}
	return indexed, nil
}

func (ix *Indexer) logger() *slog.Logger {
	if ix.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return ix.Log
}
