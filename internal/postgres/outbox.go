package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
)

// reindexLock is the advisory lock key that keeps outbox workers (shared) and
// a reindex (exclusive) apart: while a reindex reads its snapshot and swaps,
// workers leave the outbox alone, so no change can be applied to the old index
// and then lost in the swap.
const reindexLock int64 = 0x647572655f736561 // "dure_sea"

// SearchOutbox implements search.OutboxStore on the search_outbox table and
// builds search documents from the catalogue tables.
type SearchOutbox struct {
	pool db
}

var _ search.OutboxStore = (*SearchOutbox)(nil)

// NewSearchOutbox returns the outbox store on pool.
func NewSearchOutbox(pool *pgxpool.Pool) *SearchOutbox { return &SearchOutbox{pool: db{pool}} }

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// queueOutbox queues the entities with ids for the search index, on q: the
// transaction of the write that changed them, so that the change and its
// outbox row commit together. Every catalogue write goes through it.
func queueOutbox(ctx context.Context, q querier, entity string, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := q.Exec(ctx, `INSERT INTO search_outbox (entity, entity_id) SELECT $1, unnest($2::bigint[])`, entity, ids); err != nil {
		return fmt.Errorf("postgres: queue %s for search: %w", entity, err)
	}
	return nil
}

// ProcessOutbox claims up to limit outbox rows with FOR UPDATE SKIP LOCKED (so
// several workers can run), loads the affected products and calls apply; the
// rows are deleted in the same transaction only if apply succeeds.
func (s *SearchOutbox) ProcessOutbox(ctx context.Context, limit int, apply func(context.Context, search.Change) error) (int, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("postgres: outbox: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	var free bool
	if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock_shared($1)`, reindexLock).Scan(&free); err != nil {
		return 0, fmt.Errorf("postgres: outbox: lock: %w", err)
	}
	if !free { // a reindex is running; its swap covers these rows or they wait
		return 0, nil
	}
	b, err := claimOutbox(ctx, tx, "search_outbox", "FOR UPDATE SKIP LOCKED", limit)
	if err != nil || b == nil {
		return 0, err
	}
	// Every product the rows touch, whatever its status: the indexable ones
	// are written, the others removed.
	candidates := map[int64]bool{}
	for _, id := range b.products {
		candidates[id] = true
	}
	if len(b.enterprises) > 0 || len(b.categories) > 0 {
		rows, err := tx.Query(ctx, `SELECT id FROM products WHERE enterprise_id = ANY($1) OR category_id = ANY($2)`,
			b.enterprises, b.categories)
		if err != nil {
			return 0, fmt.Errorf("postgres: outbox: affected products: %w", err)
		}
		more, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return 0, fmt.Errorf("postgres: outbox: affected products: %w", err)
		}
		for _, id := range more {
			candidates[id] = true
		}
	}
	var change search.Change
	if len(candidates) > 0 {
		list := make([]int64, 0, len(candidates))
		for id := range candidates {
			list = append(list, id)
		}
		change.Upsert, err = loadDocuments(ctx, tx, b.cix, `p.id = ANY($1)`, list)
		if err != nil {
			return 0, err
		}
		for _, d := range change.Upsert {
			delete(candidates, d.ID)
		}
		for id := range candidates {
			change.Delete = append(change.Delete, id)
		}
	}
	if err := apply(ctx, change); err != nil {
		return 0, err
	}
	if err := b.done(ctx, tx, "search_outbox"); err != nil {
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("postgres: outbox: commit: %w", err)
	}
	return len(b.ids), nil
}

// OutboxStats returns the number of pending outbox rows and the age of the
// oldest one.
func (s *SearchOutbox) OutboxStats(ctx context.Context) (int, time.Duration, error) {
	var n int
	var lag float64
	err := s.pool.QueryRow(ctx, `SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
		FROM search_outbox`).Scan(&n, &lag)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: outbox stats: %w", err)
	}
	return n, time.Duration(lag * float64(time.Second)), nil
}

// ExportDocuments streams every indexable product's document by keyset on id
// from one REPEATABLE READ snapshot, taken after the reindex lock is held (so
// every change a worker applied is in it, and no worker applies another one
// until done has swapped the index). After done succeeds it deletes the outbox
// rows visible in the snapshot: the new index already reflects them.
func (s *SearchOutbox) ExportDocuments(ctx context.Context, batchSize int,
	emit func(ctx context.Context, total int, docs []search.Document) error, done func(context.Context) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: export documents: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, reindexLock); err != nil {
		return fmt.Errorf("postgres: export documents: lock: %w", err)
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock($1)`, reindexLock); err != nil {
			_ = conn.Conn().Close(uctx) // closing the session releases the lock for sure
		}
	}()

	covered, err := s.export(ctx, conn, batchSize, emit)
	if err != nil {
		return err
	}
	if err := done(ctx); err != nil {
		return err
	}
	if len(covered) > 0 {
		if _, err := conn.Exec(ctx, `DELETE FROM search_outbox WHERE id = ANY($1)`, covered); err != nil {
			return fmt.Errorf("postgres: export documents: drop covered outbox rows: %w", err)
		}
	}
	return nil
}

func (s *SearchOutbox) export(ctx context.Context, conn *pgxpool.Conn, batchSize int,
	emit func(ctx context.Context, total int, docs []search.Document) error) ([]int64, error) {
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("postgres: export documents: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	var total int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active'`).Scan(&total); err != nil {
		return nil, fmt.Errorf("postgres: export documents: count: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT id FROM search_outbox`)
	if err != nil {
		return nil, fmt.Errorf("postgres: export documents: outbox: %w", err)
	}
	covered, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: export documents: outbox: %w", err)
	}
	cats, err := searchCategories(ctx, tx)
	if err != nil {
		return nil, err
	}
	cix := catalog.NewCategoryIndex(cats)
	after := int64(0)
	for {
		docs, err := loadDocuments(ctx, tx, cix, `p.id > $1 ORDER BY p.id LIMIT `+itoa(batchSize), after)
		if err != nil {
			return nil, err
		}
		if len(docs) == 0 {
			break
		}
		if err := emit(ctx, total, docs); err != nil {
			return nil, err
		}
		after = docs[len(docs)-1].ID
		if len(docs) < batchSize {
			break
		}
	}
	return covered, nil
}

// loadDocuments builds the documents of the indexable products (active, of an
// active enterprise) matching cond, a condition on p with one parameter arg,
// optionally followed by ORDER BY/LIMIT. One query for any number of products.
func loadDocuments(ctx context.Context, q querier, cix *catalog.CategoryIndex, cond string, arg any) ([]search.Document, error) {
	rows, err := q.Query(ctx, `SELECT p.id, p.enterprise_id, p.category_id, p.kind, p.name, p.summary,
			left(p.description, $2), p.tax_type, p.consumer_price, p.public_price, `+productStock+`, p.featured, p.popularity,
			p.created_at, e.name, e.type, e.region,
			coalesce((SELECT i.url FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), ''),
			rv.n, rv.total, EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		`+reviewsLateral+`
		WHERE p.status = 'active' AND e.status = 'active' AND `+cond, arg, search.MaxDescriptionRunes+1)
	if err != nil {
		return nil, fmt.Errorf("postgres: load search documents: %w", err)
	}
	docs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (search.Document, error) {
		var p catalog.Product
		var e catalog.Enterprise
		var image string
		var rv search.Reviews
		var hasOptions bool
		err := r.Scan(&p.ID, &p.EnterpriseID, &p.CategoryID, &p.Kind, &p.Name, &p.Summary, &p.Description,
			&p.TaxType, &p.ConsumerPrice, &p.PublicPrice, &p.Stock, &p.Featured, &p.Popularity, &p.CreatedAt,
			&e.Name, &e.Type, &e.Region, &image, &rv.Count, &rv.Sum, &hasOptions)
		if err != nil {
			return search.Document{}, err
		}
		e.ID = p.EnterpriseID
		if image != "" {
			p.Images = []catalog.Image{{URL: image}}
		}
		d := search.BuildDocument(&p, &e, cix.Path(p.CategoryID), rv)
		d.HasOptions = &hasOptions // the options themselves are not loaded
		return d, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: load search documents: %w", err)
	}
	return docs, nil
}

// reviewsLateral joins each product p to its visible reviews' number (rv.n)
// and rating sum (rv.total), from the index reviews_product_new.
const reviewsLateral = `CROSS JOIN LATERAL (SELECT count(*)::int AS n, coalesce(sum(r.rating), 0)::int AS total
	FROM reviews r WHERE r.product_id = p.id AND r.hidden_at IS NULL) rv`

// ratingAvgSQL is search.Reviews.Avg in SQL, on reviewsLateral's rv.
const ratingAvgSQL = `(CASE WHEN rv.n = 0 THEN 0 ELSE (rv.total * 200 + rv.n) / (2 * rv.n) END)`

// searchCategories loads the category tree on q (a transaction, for a
// consistent view with the products read next).
func searchCategories(ctx context.Context, q querier) ([]*catalog.Category, error) {
	rows, err := q.Query(ctx, `SELECT id, external_id, slug, parent_id, name, position
		FROM categories ORDER BY position, name, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: categories: %w", err)
	}
	cats, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*catalog.Category, error) {
		var c catalog.Category
		err := r.Scan(&c.ID, &c.ExternalID, &c.Slug, &c.ParentID, &c.Name, &c.Position)
		return &c, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: categories: %w", err)
	}
	return cats, nil
}
