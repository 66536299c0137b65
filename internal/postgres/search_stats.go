package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/search"
)

// SearchStatsStore keeps the weekly search query counts (search_query_stats).
type SearchStatsStore struct {
	pool db
}

var _ search.StatsStore = (*SearchStatsStore)(nil)

// NewSearchStatsStore returns the store on pool.
func NewSearchStatsStore(pool *pgxpool.Pool) *SearchStatsStore {
	return &SearchStatsStore{pool: db{pool}}
}

// AddQueryStats adds stats to the stored counts in one statement.
func (s *SearchStatsStore) AddQueryStats(ctx context.Context, stats []search.QueryStat) error {
	if len(stats) == 0 {
		return nil
	}
	weeks := make([]time.Time, len(stats))
	queries := make([]string, len(stats))
	searches := make([]int64, len(stats))
	zero := make([]int64, len(stats))
	clicks := make([]int64, len(stats))
	for i, st := range stats {
		weeks[i], queries[i], searches[i], zero[i], clicks[i] = st.Week, st.Query, st.Searches, st.ZeroResults, st.Clicks
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO search_query_stats AS t (week, query, searches, zero_results, clicks)
		SELECT * FROM unnest($1::date[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
		ON CONFLICT (week, query) DO UPDATE SET
			searches = t.searches + excluded.searches,
			zero_results = t.zero_results + excluded.zero_results,
			clicks = t.clicks + excluded.clicks`,
		weeks, queries, searches, zero, clicks)
	if err != nil {
		return fmt.Errorf("postgres: add search stats: %w", err)
	}
	return nil
}

// FindQueryStats lists week's queries: the most searched (top), those that
// found nothing at least once, most often first (zero), or those searched
// and found something but never opened (noclick).
func (s *SearchStatsStore) FindQueryStats(ctx context.Context, week time.Time, order search.StatsOrder, limit int) ([]search.QueryStat, error) {
	where, by := "", "searches DESC, query"
	switch order {
	case search.StatsZero:
		where, by = "AND zero_results > 0", "zero_results DESC, searches DESC, query"
	case search.StatsNoClick:
		where = "AND clicks = 0 AND searches > zero_results"
	}
	rows, err := s.pool.Query(ctx, `SELECT week, query, searches, zero_results, clicks
		FROM search_query_stats WHERE week = $1 `+where+` ORDER BY `+by+` LIMIT $2`, week, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: find search stats: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (search.QueryStat, error) {
		var st search.QueryStat
		err := r.Scan(&st.Week, &st.Query, &st.Searches, &st.ZeroResults, &st.Clicks)
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: find search stats: %w", err)
	}
	return list, nil
}

// StatsWeeks lists the weeks with counts, newest first.
func (s *SearchStatsStore) StatsWeeks(ctx context.Context, limit int) ([]time.Time, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT week FROM search_query_stats ORDER BY week DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: search stats weeks: %w", err)
	}
	weeks, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return nil, fmt.Errorf("postgres: search stats weeks: %w", err)
	}
	return weeks, nil
}
