package postgres

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/search"
)

// SynonymStore is the search synonym dictionary (table search_synonyms).
type SynonymStore struct {
	pool db
}

var _ search.SynonymStore = (*SynonymStore)(nil)

// NewSynonymStore returns the dictionary on pool.
func NewSynonymStore(pool *pgxpool.Pool) *SynonymStore { return &SynonymStore{pool: db{pool}} }

// FindSynonyms returns the whole dictionary ordered by term.
func (s *SynonymStore) FindSynonyms(ctx context.Context) ([]search.Synonym, error) {
	rows, err := s.pool.Query(ctx, `SELECT term, synonyms FROM search_synonyms ORDER BY term`)
	if err != nil {
		return nil, fmt.Errorf("postgres: find synonyms: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (search.Synonym, error) {
		var sy search.Synonym
		err := r.Scan(&sy.Term, &sy.Synonyms)
		return sy, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: find synonyms: %w", err)
	}
	return list, nil
}

// AddSynonyms makes every word of group a synonym of the others, merging with
// what the words already had, in one transaction.
func (s *SynonymStore) AddSynonyms(ctx context.Context, group []string, audit *account.AuditRecord) error {
	var words []string
	seen := map[string]bool{}
	for _, w := range group {
		w = search.NormalizeTerm(w)
		if w == "" || utf8.RuneCountInString(w) > search.MaxSynonymLen {
			return apperr.Errorf(apperr.Invalid, "동의어는 1~%d자로 입력해 주세요.", search.MaxSynonymLen)
		}
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	if len(words) < 2 {
		return apperr.Errorf(apperr.Invalid, "서로 다른 단어를 두 개 이상 입력해 주세요.")
	}
	return (&AccountStore{pool: s.pool}).inTx(ctx, "add synonyms", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO search_synonyms (term, synonyms)
			SELECT t, array_agg(s ORDER BY s) FROM unnest($1::text[]) t, unnest($1::text[]) s WHERE s <> t GROUP BY t
			ON CONFLICT (term) DO UPDATE SET updated_at = now(),
				synonyms = (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(search_synonyms.synonyms || excluded.synonyms) x)`,
			words)
		if err != nil {
			return fmt.Errorf("postgres: add synonyms: %w", err)
		}
		return insertAudit(ctx, tx, audit)
	})
}

// expandSynonyms returns, for each of words, the word and its synonyms.
func expandSynonyms(ctx context.Context, q querier, words []string) (map[string][]string, error) {
	out := make(map[string][]string, len(words))
	norm := make([]string, len(words))
	for i, w := range words {
		norm[i] = search.NormalizeTerm(w)
		out[w] = []string{w}
	}
	rows, err := q.Query(ctx, `SELECT term, synonyms FROM search_synonyms WHERE term = ANY($1)`, norm)
	if err != nil {
		return nil, fmt.Errorf("postgres: expand synonyms: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var term string
		var syns []string
		if err := rows.Scan(&term, &syns); err != nil {
			return nil, fmt.Errorf("postgres: expand synonyms: %w", err)
		}
		for i, w := range words {
			if norm[i] == term {
				out[w] = append(out[w], syns...)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: expand synonyms: %w", err)
	}
	return out, nil
}

// RemoveSynonym takes word out of the dictionary: its own entry and every
// entry that lists it, dropping entries left with no synonym, in one
// statement. It returns apperr.NotFound when the dictionary does not know
// the word.
func (s *SynonymStore) RemoveSynonym(ctx context.Context, word string, audit *account.AuditRecord) error {
	w := search.NormalizeTerm(word)
	return (&AccountStore{pool: s.pool}).inTx(ctx, "remove synonym", func(tx pgx.Tx) error {
		return removeSynonym(ctx, tx, w, audit)
	})
}

func removeSynonym(ctx context.Context, tx pgx.Tx, w string, audit *account.AuditRecord) error {
	var n int64
	err := tx.QueryRow(ctx, `WITH gone AS (
			DELETE FROM search_synonyms WHERE term = $1 RETURNING 1
		), trimmed AS (
			UPDATE search_synonyms SET synonyms = array_remove(synonyms, $1), updated_at = now()
			WHERE $1 = ANY(synonyms) AND cardinality(synonyms) > 1 RETURNING 1
		), emptied AS (
			DELETE FROM search_synonyms WHERE synonyms = ARRAY[$1]::text[] RETURNING 1
		)
		SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM trimmed) + (SELECT count(*) FROM emptied)`, w).Scan(&n)
	if err != nil {
		return fmt.Errorf("postgres: remove synonym: %w", err)
	}
	if n == 0 {
		return apperr.Errorf(apperr.NotFound, "동의어 사전에 '%s'이(가) 없습니다.", w)
	}
	return insertAudit(ctx, tx, audit)
}
