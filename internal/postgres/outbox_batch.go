package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/search"
)

// outboxBatch is one claimed batch of a catalogue outbox (search_outbox or
// feed_outbox): the rows' ids, to delete once applied, and what they name,
// with each named category widened to its whole subtree.
type outboxBatch struct {
	ids         []int64
	products    []int64
	enterprises []int64
	categories  []int64 // the named categories and all their descendants
	cix         *catalog.CategoryIndex
}

// claimOutbox reads up to limit of table's oldest rows in tx (with lock, e.g.
// "FOR UPDATE SKIP LOCKED", appended to the query) and resolves their
// categories. table and lock are this package's constants, never input. A
// nil batch means the outbox is empty.
func claimOutbox(ctx context.Context, tx pgx.Tx, table, lock string, limit int) (*outboxBatch, error) {
	rows, err := tx.Query(ctx, `SELECT id, entity, entity_id FROM `+table+` ORDER BY id LIMIT $1 `+lock, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: claim: %w", table, err)
	}
	type entry struct {
		id, entityID int64
		entity       string
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (entry, error) {
		var e entry
		err := r.Scan(&e.id, &e.entity, &e.entityID)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: claim: %w", table, err)
	}
	if len(entries) == 0 {
		return nil, nil
	}
	b := &outboxBatch{ids: make([]int64, len(entries))}
	var named []int64
	for i, e := range entries {
		b.ids[i] = e.id
		switch e.entity {
		case search.EntityProduct:
			b.products = append(b.products, e.entityID)
		case search.EntityEnterprise:
			b.enterprises = append(b.enterprises, e.entityID)
		case search.EntityCategory:
			named = append(named, e.entityID)
		}
	}
	cats, err := searchCategories(ctx, tx)
	if err != nil {
		return nil, err
	}
	b.cix = catalog.NewCategoryIndex(cats)
	for _, id := range named {
		b.categories = append(b.categories, b.cix.Descendants(id)...)
	}
	return b, nil
}

// done deletes the batch's rows from table, in the claiming transaction.
func (b *outboxBatch) done(ctx context.Context, tx pgx.Tx, table string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE id = ANY($1)`, b.ids); err != nil {
		return fmt.Errorf("postgres: %s: delete applied rows: %w", table, err)
	}
	return nil
}
