package meilisearch

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	ms "github.com/meilisearch/meilisearch-go"

	"github.com/dure-coop/dure/internal/search"
)

// maxQueued bounds the document batches a build has queued in Meilisearch:
// enough to keep its indexer busy (it merges queued additions into one batch),
// few enough that progress means "indexed", not "sent".
const maxQueued = 4

// BuildPrefix returns the prefix of temporary index names for a live index.
func BuildPrefix(live string) string { return live + "__build_" }

// NewBuild creates and configures a temporary index next to the live one.
func (c *Client) NewBuild(ctx context.Context) (search.Build, error) {
	uid := BuildPrefix(c.index) + strconv.FormatInt(time.Now().UnixNano(), 36)
	if err := c.configure(ctx, uid); err != nil {
		_ = c.DeleteIndex(context.WithoutCancel(ctx), uid)
		return nil, err
	}
	return &build{c: c, uid: uid}, nil
}

type build struct {
	c       *Client
	uid     string
	queued  []pending
	indexed int
}

type pending struct {
	task int64
	n    int
}

// Add queues docs and waits for the oldest queued batch when maxQueued are
// outstanding.
func (b *build) Add(ctx context.Context, docs []search.Document) (int, error) {
	if len(docs) > 0 {
		pk := "id"
		task, err := b.c.sm.Index(b.uid).AddDocumentsWithContext(ctx, docs, &ms.DocumentOptions{PrimaryKey: &pk})
		if err != nil {
			return b.indexed, fmt.Errorf("meilisearch: add %d documents to %s: %w", len(docs), b.uid, err)
		}
		b.queued = append(b.queued, pending{task: task.TaskUID, n: len(docs)})
	}
	for len(b.queued) > maxQueued {
		if err := b.waitOldest(ctx); err != nil {
			return b.indexed, err
		}
	}
	return b.indexed, nil
}

func (b *build) waitOldest(ctx context.Context) error {
	p := b.queued[0]
	if err := b.c.wait(ctx, p.task, 50*time.Millisecond); err != nil {
		return fmt.Errorf("meilisearch: index %d documents into %s: %w", p.n, b.uid, err)
	}
	b.queued = b.queued[1:]
	b.indexed += p.n
	return nil
}

// Wait waits for every queued batch.
func (b *build) Wait(ctx context.Context) (int, error) {
	for len(b.queued) > 0 {
		if err := b.waitOldest(ctx); err != nil {
			return b.indexed, err
		}
	}
	return b.indexed, nil
}

// Swap exchanges the build with the live index (creating an empty live index
// first if there is none) and deletes the old documents, now under the
// build's name.
func (b *build) Swap(ctx context.Context) error {
	if err := b.c.createIndex(ctx, b.c.index); err != nil {
		return err
	}
	task, err := b.c.sm.SwapIndexesWithContext(ctx, []*ms.SwapIndexesParams{{Indexes: []string{b.c.index, b.uid}}})
	if err != nil {
		return fmt.Errorf("meilisearch: swap %s and %s: %w", b.c.index, b.uid, err)
	}
	if err := b.c.wait(ctx, task.TaskUID, taskPoll); err != nil {
		return fmt.Errorf("meilisearch: swap %s and %s: %w", b.c.index, b.uid, err)
	}
	return b.c.DeleteIndex(ctx, b.uid)
}

// Abort deletes the temporary index.
func (b *build) Abort(ctx context.Context) error { return b.c.DeleteIndex(ctx, b.uid) }

// DeleteStaleBuilds deletes temporary indexes of this live index older than
// age, left by a reindex that crashed.
func (c *Client) DeleteStaleBuilds(ctx context.Context, age time.Duration) error {
	res, err := c.sm.ListIndexesWithContext(ctx, &ms.IndexesQuery{Limit: 1000})
	if err != nil {
		return fmt.Errorf("meilisearch: list indexes: %w", err)
	}
	prefix := BuildPrefix(c.index)
	for _, ix := range res.Results {
		if !strings.HasPrefix(ix.UID, prefix) || time.Since(ix.CreatedAt) < age {
			continue
		}
		if err := c.DeleteIndex(ctx, ix.UID); err != nil {
			return err
		}
	}
	return nil
}
