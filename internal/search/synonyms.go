package search

import (
	"context"
	"slices"
	"strings"

	"github.com/dure-coop/dure/internal/account"
)

// Synonym is one entry of the synonym dictionary: a query for Term also
// finds what its Synonyms say.
type Synonym struct {
	Term     string
	Synonyms []string
}

// SynonymStore holds the synonym dictionary (PostgreSQL is the truth; the
// engine gets a copy when its index is configured).
type SynonymStore interface {
	// FindSynonyms returns the whole dictionary ordered by term.
	FindSynonyms(ctx context.Context) ([]Synonym, error)
	// AddSynonyms makes every word of group a synonym of the others, keeping
	// what they had, and writes audit (nil for none) in the same
	// transaction. It returns apperr.Invalid for fewer than two distinct
	// words or a blank or over-long word.
	AddSynonyms(ctx context.Context, group []string, audit *account.AuditRecord) error
}

// SynonymEditor is the dictionary as the operator's console changes it.
type SynonymEditor interface {
	SynonymStore
	// RemoveSynonym takes a word out of the dictionary: its own entry and
	// every entry listing it, and writes audit (nil for none) in the same
	// transaction. apperr.NotFound when it is not there.
	RemoveSynonym(ctx context.Context, word string, audit *account.AuditRecord) error
}

// MaxSynonymLen bounds one dictionary word, in runes.
const MaxSynonymLen = 50

// NormalizeTerm is the dictionary form of a word: lower-case, single spaces.
func NormalizeTerm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// SynonymMap turns the dictionary into the engine's form (term → synonyms).
func SynonymMap(list []Synonym) map[string][]string {
	m := make(map[string][]string, len(list))
	for _, s := range list {
		m[s.Term] = slices.Clone(s.Synonyms)
	}
	return m
}
