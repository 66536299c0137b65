package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/metrics"
	"github.com/dure-coop/dure/internal/postgres"
	dredis "github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/search"
)

// searchDeps is what serve and worker need from search.
type searchDeps struct {
	// Searcher answers searches from Meilisearch, or from PostgreSQL while
	// Meilisearch is unreachable (Result.Degraded).
	Searcher search.Searcher
	// Suggester completes the search box (GET /api/v1/suggest); an engine
	// failure gives an empty list.
	Suggester search.Suggester
	// Ping reports Meilisearch's health, for /healthz.
	Ping func(context.Context) error
	// RunWorker runs the outbox worker until ctx ends (then returns nil).
	RunWorker func(context.Context) error
	// PushSynonyms sends the dictionary to the live index (not waiting for
	// Meilisearch to run the task: meilisearch.Client.SendSynonyms) and invalidates
	// the result cache (search.Admin.Push).
	PushSynonyms func(context.Context) error
	// Flush waits for the answers being stored in the result cache (each
	// store has its own short budget), so a server that stops leaves them
	// for the next instance.
	Flush func()

	indexer *search.Indexer
	client  *meilisearch.Client
}

// openSearch wires search. It configures the index at start-up; when
// Meilisearch is unreachable it logs that and returns anyway — searches fall
// back to PostgreSQL and the worker configures the index once it is back.
//
// With rdb (nil: none) searches are cached in Redis per index version
// (dredis.SearchCache, keys under the index's name), and the worker, a
// reindex and a synonym push bump the version.
func openSearch(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, rdb goredis.UniversalClient, m *metrics.Metrics,
	log *slog.Logger) (*searchDeps, error) {
	if pool == nil || m == nil || log == nil {
		return nil, errors.New("search: openSearch needs a pool, metrics and a logger")
	}
	client := meilisearch.New(cfg.MeiliURL, cfg.MeiliKey, cfg.MeiliIndex).WithSynonyms(postgres.NewSynonymStore(pool))
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err := client.Configure(cctx)
	cancel()
	if err != nil {
		log.Warn("search: Meilisearch not ready at start-up; searching PostgreSQL until it is", "url", cfg.MeiliURL, "err", err)
	}
	ix := &search.Indexer{
		Store:    postgres.NewSearchOutbox(pool),
		Index:    client,
		Builder:  client,
		Prepare:  client.Configure,
		Interval: cfg.OutboxInterval,
		Metrics:  m,
		Log:      log.With("component", "search-worker"),
	}
	svc := search.NewService(client, postgres.NewSearchFallback(pool), cfg.SearchTimeout, m, log)
	push := client.SendSynonyms
	if rdb != nil {
		cache := dredis.NewSearchCache(rdb, dredis.SearchCachePrefix(cfg.MeiliIndex))
		svc.WithCache(cache)
		ix.Applied, ix.Invalidate = cache.Apply, cache.Reset
		push = func(ctx context.Context) error {
			if err := client.SendSynonyms(ctx); err != nil {
				return err
			}
			return cache.Bump(ctx)
		}
	}
	return &searchDeps{
		Searcher:     svc,
		PushSynonyms: push,
		Suggester:    search.NewSuggestService(client, cfg.SearchTimeout),
		Ping:         client.Health,
		RunWorker:    ix.Run,
		Flush:        svc.Flush,
		indexer:      ix,
		client:       client,
	}, nil
}

// openSearchAlone opens the database, Redis (for the result cache's version)
// and the search stack for a command that runs without the web server
// (worker, reindex). The caller calls closeAll.
func openSearchAlone(ctx context.Context, cfg config.Config, log *slog.Logger) (pool *pgxpool.Pool, deps *searchDeps, closeAll func(), err error) {
	pool, err = postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, nil, err
	}
	rdb, err := dredis.Open(cfg.RedisURL)
	if err != nil {
		pool.Close()
		return nil, nil, nil, fmt.Errorf("search: %w", err)
	}
	closeAll = func() { _ = rdb.Close(); pool.Close() }
	deps, err = openSearch(ctx, cfg, pool, rdb, metrics.New(), log)
	if err != nil {
		closeAll()
		return nil, nil, nil, err
	}
	return pool, deps, closeAll, nil
}

// runWorker runs the search-index and feed outbox workers until SIGINT/SIGTERM.
func runWorker(ctx context.Context, cfg config.Config, log *slog.Logger, _ []string) error {
	pool, deps, closeAll, err := openSearchAlone(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeAll()
	log.Info("search worker running", "index", cfg.MeiliIndex, "interval", cfg.OutboxInterval.String())
	_, feedWorker := openFeeds(cfg, pool, log)
	feedCtx, stopFeeds := context.WithCancel(ctx)
	feedsDone := make(chan struct{})
	go func() { _ = feedWorker.Run(feedCtx); close(feedsDone) }()
	err = deps.RunWorker(ctx)
	stopFeeds()
	<-feedsDone
	log.Info("search and feed workers stopped")
	return err
}

// runReindex rebuilds the index from PostgreSQL into a temporary index and
// swaps it in, showing progress on stderr.
func runReindex(ctx context.Context, cfg config.Config, log *slog.Logger, _ []string) error {
	_, deps, closeAll, err := openSearchAlone(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeAll()
	if err := deps.client.Health(ctx); err != nil {
		return fmt.Errorf("reindex: Meilisearch at %s is not reachable: %w", cfg.MeiliURL, err)
	}
	if err := deps.client.DeleteStaleBuilds(ctx, time.Hour); err != nil {
		log.Warn("reindex: could not delete stale temporary indexes", "err", err)
	}
	start := time.Now()
	tty := isTerminal(os.Stderr)
	var last time.Time
	progress := func(done, total int) {
		if !tty && time.Since(last) < time.Second && done < total {
			return
		}
		last = time.Now()
		pct := 100
		if total > 0 {
			pct = done * 100 / total
		}
		if tty {
			fmt.Fprintf(os.Stderr, "\rindexed %d/%d (%d%%)   ", done, total, pct)
		} else {
			fmt.Fprintf(os.Stderr, "indexed %d/%d (%d%%)\n", done, total, pct)
		}
	}
	n, err := deps.indexer.Reindex(ctx, progress)
	if tty {
		fmt.Fprintln(os.Stderr)
	}
	if err != nil {
		return err
	}
	took := time.Since(start)
	rate := float64(n) / max(took.Seconds(), 0.001)
	fmt.Fprintf(os.Stderr, "reindexed %d products into %q in %s (%.0f docs/s)\n", n, cfg.MeiliIndex, took.Round(time.Millisecond), rate)
	return nil
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
