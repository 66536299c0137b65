package search

import (
	"context"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
)

// Audit actions of the synonym dictionary.
const (
	ActionSynonymAdd    = "synonym.add"
	ActionSynonymRemove = "synonym.remove"
	ActionSynonymPush   = "synonym.push"
)

// Auditor builds the audit records of the dictionary's changes, which the
// store writes with them, and records a push, which changes nothing in the
// database (*account.Service).
type Auditor interface {
	NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error)
	Record(ctx context.Context, e account.AuditEntry) error
}

// Admin is the operator's side of search: the synonym dictionary (list, add,
// remove, push to the engine) and the weekly query analytics from which
// synonyms are added. Every method is for operators only.
type Admin struct {
	Synonyms SynonymEditor
	Stats    StatsStore
	// Push replaces the engine's synonyms with the dictionary
	// (meilisearch.Client.PushSynonyms).
	Push func(ctx context.Context) error
	// Audit records every change (nil: none; tests only).
	Audit Auditor
}

// ErrNotPushed wraps an engine failure after the dictionary was saved: the
// change is kept (and used by the PostgreSQL fallback at once) and reaches
// Meilisearch with the next push.
type ErrNotPushed struct{ Err error }

func (e *ErrNotPushed) Error() string {
	return "search: synonyms saved but not pushed: " + e.Err.Error()
}
func (e *ErrNotPushed) Unwrap() error { return e.Err }

// FindSynonyms returns the dictionary, only the entries whose term or
// synonyms contain filter when it is not blank.
func (a *Admin) FindSynonyms(ctx context.Context, filter string) ([]Synonym, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	list, err := a.Synonyms.FindSynonyms(ctx)
	if err != nil {
		return nil, err
	}
	f := NormalizeTerm(filter)
	if f == "" {
		return list, nil
	}
	var out []Synonym
	for _, s := range list {
		if strings.Contains(s.Term, f) || strings.Contains(strings.Join(s.Synonyms, "\x00"), f) {
			out = append(out, s)
		}
	}
	return out, nil
}

// SplitGroup splits what an operator typed into words: commas, slashes and
// new lines separate (a word may hold spaces: "두루마리 휴지").
func SplitGroup(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '/' || r == '\n' || r == '、' || r == '，' }) {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// AddSynonyms makes the words of group synonyms of each other, records it and
// pushes the dictionary. A push failure returns *ErrNotPushed (the words
// are saved).
func (a *Admin) AddSynonyms(ctx context.Context, group []string) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	words := make([]string, 0, len(group))
	for _, w := range group {
		words = append(words, NormalizeTerm(w))
	}
	rec, err := a.newRecord(ctx, ActionSynonymAdd, strings.Join(words, ", "), nil, words)
	if err != nil {
		return err
	}
	if err := a.Synonyms.AddSynonyms(ctx, group, rec); err != nil {
		return err
	}
	return a.push(ctx)
}

// RemoveSynonym takes word out of the dictionary, records it and pushes.
func (a *Admin) RemoveSynonym(ctx context.Context, word string) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	w := NormalizeTerm(word)
	if w == "" {
		return apperr.Errorf(apperr.Invalid, "지울 단어를 골라 주세요.")
	}
	rec, err := a.newRecord(ctx, ActionSynonymRemove, w, w, nil)
	if err != nil {
		return err
	}
	if err := a.Synonyms.RemoveSynonym(ctx, w, rec); err != nil {
		return err
	}
	return a.push(ctx)
}

// PushSynonyms pushes the dictionary to the engine now and records it (a
// push changes nothing in the database, so its record is written on its
// own, after it: a failed push leaves none, a record that cannot be
// written is this call's error).
func (a *Admin) PushSynonyms(ctx context.Context) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	if err := a.Push(ctx); err != nil {
		return err
	}
	if a.Audit == nil {
		return nil
	}
	return a.Audit.Record(ctx, account.AuditEntry{Action: ActionSynonymPush, Entity: "synonym"})
}

func (a *Admin) push(ctx context.Context) error {
	if err := a.Push(ctx); err != nil {
		return &ErrNotPushed{Err: err}
	}
	return nil
}

// newRecord builds the record of a change to the dictionary for the store
// to write with it; none without Audit.
func (a *Admin) newRecord(ctx context.Context, action, id string, before, after any) (*account.AuditRecord, error) {
	if a.Audit == nil {
		return nil, nil
	}
	return a.Audit.NewAuditRecord(ctx, account.AuditEntry{Action: action, Entity: "synonym", EntityID: id, Before: before, After: after})
}

// QueryStats lists week's queries for order (at most limit), and the weeks
// that have counts (newest first, at most 12).
func (a *Admin) QueryStats(ctx context.Context, week time.Time, order StatsOrder, limit int) ([]QueryStat, []time.Time, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, nil, err
	}
	switch order {
	case StatsTop, StatsZero, StatsNoClick:
	default:
		return nil, nil, apperr.Errorf(apperr.Invalid, "보기를 목록에서 골라 주세요.")
	}
	weeks, err := a.Stats.StatsWeeks(ctx, 12)
	if err != nil {
		return nil, nil, err
	}
	list, err := a.Stats.FindQueryStats(ctx, WeekOf(week), order, limit)
	if err != nil {
		return nil, nil, err
	}
	return list, weeks, nil
}
