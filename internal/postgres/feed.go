package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/feed"
)

// feedLock is the advisory lock key that lets one feed worker at a time
// apply a batch, across every app instance: two batches touching the same
// product can never interleave, and each outbox row is applied once.
const feedLock int64 = 0x647572655f666564 // "dure_fed"

// FeedStore implements feed.Store on feed_outbox and feed_items.
type FeedStore struct {
	pool db
}

var _ feed.Store = (*FeedStore)(nil)

// NewFeedStore returns the feed store on pool.
func NewFeedStore(pool *pgxpool.Pool) *FeedStore { return &FeedStore{pool: db{pool}} }

// ProcessOutbox applies up to limit of the oldest feed_outbox rows: every
// product they touch is rebuilt from the catalogue and written to
// feed_items when it changed (or marked deleted when it is no longer
// listed), and the rows are deleted, all in one transaction under feedLock.
func (s *FeedStore) ProcessOutbox(ctx context.Context, limit int) (int, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("postgres: feed outbox: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	var free bool
	if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1)`, feedLock).Scan(&free); err != nil {
		return 0, fmt.Errorf("postgres: feed outbox: lock: %w", err)
	}
	if !free { // another instance is applying a batch; it drains these too
		return 0, nil
	}
	b, err := claimOutbox(ctx, tx, "feed_outbox", "", limit)
	if err != nil || b == nil {
		return 0, err
	}
	items, err := loadFeedItems(ctx, tx, b.cix, b.products, b.enterprises, b.categories)
	if err != nil {
		return 0, err
	}
	if err := writeFeedItems(ctx, tx, items); err != nil {
		return 0, err
	}
	if err := b.done(ctx, tx, "feed_outbox"); err != nil {
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("postgres: feed outbox: commit: %w", err)
	}
	return len(b.ids), nil
}

// loadFeedItems returns, for every product in productIDs, of an enterprise in
// enterpriseIDs or in a category of categoryIDs, its item when it is listed
// and nil when it is not (or no longer exists).
func loadFeedItems(ctx context.Context, tx pgx.Tx, cix *catalog.CategoryIndex,
	productIDs, enterpriseIDs, categoryIDs []int64) (map[int64]*feed.Item, error) {
	rows, err := tx.Query(ctx, `SELECT `+productColumns+`, `+enterpriseColumns+`,
			coalesce((SELECT array_agg(i.url ORDER BY i.position) FROM product_images i WHERE i.product_id = p.id), '{}')
		FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.id = ANY($1) OR p.enterprise_id = ANY($2) OR p.category_id = ANY($3)`,
		productIDs, enterpriseIDs, categoryIDs)
	if err != nil {
		return nil, fmt.Errorf("postgres: load feed items: %w", err)
	}
	defer rows.Close()
	out := map[int64]*feed.Item{}
	for rows.Next() {
		var p catalog.Product
		var images []string
		dest := productDest(&p)
		e, err := scanEnterprise(rowsScanner{rows: rows, before: dest}, &images)
		if err != nil {
			return nil, fmt.Errorf("postgres: load feed items: %w", err)
		}
		out[p.ID] = nil
		if !feed.Listed(&p, e) {
			continue
		}
		for _, u := range images {
			p.Images = append(p.Images, catalog.Image{URL: u})
		}
		it := feed.NewItem(&p, e, cix.Path(p.CategoryID))
		out[p.ID] = &it
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: load feed items: %w", err)
	}
	for _, id := range productIDs {
		if _, ok := out[id]; !ok {
			out[id] = nil // deleted from the catalogue
		}
	}
	return out, nil
}

// rowsScanner scans before's destinations, then the caller's.
type rowsScanner struct {
	rows   pgx.Rows
	before []any
}

func (r rowsScanner) Scan(dest ...any) error { return r.rows.Scan(append(r.before, dest...)...) }

// writeFeedItems writes the listed items whose content changed (or that
// return after being deleted) with a new version, and marks the others
// deleted when they were listed.
func writeFeedItems(ctx context.Context, tx pgx.Tx, items map[int64]*feed.Item) error {
	var upIDs, downIDs []int64
	var docs []string
	for id, it := range items {
		if it == nil {
			downIDs = append(downIDs, id)
			continue
		}
		b, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("postgres: feed item %d: %w", id, err)
		}
		upIDs = append(upIDs, id)
		docs = append(docs, string(b))
	}
	if len(upIDs) > 0 {
		_, err := tx.Exec(ctx, `INSERT INTO feed_items AS f (product_id, item, deleted, version, first_seen_at, changed_at)
			SELECT u.id, u.item, false, nextval('feed_version'), clock_timestamp(), clock_timestamp()
			FROM unnest($1::bigint[], $2::jsonb[]) AS u (id, item)
			ON CONFLICT (product_id) DO UPDATE SET item = EXCLUDED.item, deleted = false,
				version = EXCLUDED.version, changed_at = EXCLUDED.changed_at,
				first_seen_at = CASE WHEN f.deleted THEN EXCLUDED.first_seen_at ELSE f.first_seen_at END
			WHERE f.deleted OR f.item IS DISTINCT FROM EXCLUDED.item`, upIDs, docs)
		if err != nil {
			return fmt.Errorf("postgres: write feed items: %w", err)
		}
	}
	if len(downIDs) > 0 {
		_, err := tx.Exec(ctx, `UPDATE feed_items SET deleted = true, version = nextval('feed_version'),
				changed_at = clock_timestamp()
			WHERE product_id = ANY($1) AND NOT deleted`, downIDs)
		if err != nil {
			return fmt.Errorf("postgres: remove feed items: %w", err)
		}
	}
	return nil
}

// EachItem streams the listed items by product id.
func (s *FeedStore) EachItem(ctx context.Context, fn func(feed.Item) error) error {
	rows, err := s.pool.Query(ctx, `SELECT item FROM feed_items WHERE NOT deleted ORDER BY product_id`)
	if err != nil {
		return fmt.Errorf("postgres: feed items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it feed.Item
		if err := rows.Scan(&it); err != nil {
			return fmt.Errorf("postgres: feed items: %w", err)
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: feed items: %w", err)
	}
	return nil
}

// EachChange streams the items changed after since, oldest change first.
func (s *FeedStore) EachChange(ctx context.Context, since time.Time, fn func(feed.Change) error) error {
	rows, err := s.pool.Query(ctx, `SELECT item, deleted, first_seen_at > $1, changed_at FROM feed_items
		WHERE changed_at > $1 ORDER BY changed_at, product_id`, since)
	if err != nil {
		return fmt.Errorf("postgres: feed changes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c feed.Change
		var deleted, added bool
		if err := rows.Scan(&c.Item, &deleted, &added, &c.At); err != nil {
			return fmt.Errorf("postgres: feed changes: %w", err)
		}
		switch {
		case deleted:
			// Even one that came and went within the window: the reader may
			// have fetched it in between, and a D for an id it lacks is harmless.
			c.Class = feed.Deleted
		case added:
			c.Class = feed.Inserted
		default:
			c.Class = feed.Updated
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: feed changes: %w", err)
	}
	return nil
}

// State returns the highest version and the latest change (both by index).
func (s *FeedStore) State(ctx context.Context) (feed.State, error) {
	var st feed.State
	var modified *time.Time
	err := s.pool.QueryRow(ctx, `SELECT coalesce((SELECT max(version) FROM feed_items), 0),
		(SELECT max(changed_at) FROM feed_items)`).Scan(&st.Version, &modified)
	if err != nil {
		return feed.State{}, fmt.Errorf("postgres: feed state: %w", err)
	}
	if modified != nil {
		st.Modified = *modified
	}
	return st, nil
}

// Requeue queues every product for the feed worker.
func (s *FeedStore) Requeue(ctx context.Context) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO feed_outbox (entity, entity_id) SELECT 'product', id FROM products`); err != nil {
		return fmt.Errorf("postgres: requeue feed: %w", err)
	}
	return nil
}

// FeedBacklog returns the number of queued feed changes.
func (s *FeedStore) FeedBacklog(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM feed_outbox`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: feed backlog: %w", err)
	}
	return n, nil
}
