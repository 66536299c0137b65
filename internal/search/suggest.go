package search

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/apperr"
)

// Suggestion kinds.
const (
	SuggestProduct  = "product"
	SuggestCategory = "category"
)

// MaxSuggestions bounds Suggest's limit.
const MaxSuggestions = 20

// Suggestion is one entry of the search box's drop-down: a product name (ID
// is a product with that name) or a category (ID is the category).
type Suggestion struct {
	Type string
	Text string
	ID   int64
}

// Suggester completes what a shopper is typing, 초성 and 한/영 aware.
type Suggester interface {
	// Suggest returns up to limit product names (distinct) followed by up to
	// three categories of the best matches. It returns apperr.Invalid for text
	// longer than MaxTextLen and a wrapped error when the engine fails.
	Suggest(ctx context.Context, text string, limit int) ([]Suggestion, error)
}

// SuggestService is the Suggester the web layer uses: it bounds the engine's
// time and, when the engine fails, answers an empty list — suggestions are a
// convenience, and the search box keeps working as a plain form (searches
// themselves fall back to PostgreSQL in Service).
type SuggestService struct {
	engine  Suggester
	timeout time.Duration
}

var _ Suggester = (*SuggestService)(nil)

// NewSuggestService returns a SuggestService asking engine within timeout.
func NewSuggestService(engine Suggester, timeout time.Duration) *SuggestService {
	return &SuggestService{engine: engine, timeout: timeout}
}

// Suggest returns apperr.Invalid for text longer than MaxTextLen and never
// another error: an engine failure or timeout gives an empty list.
func (s *SuggestService) Suggest(ctx context.Context, text string, limit int) ([]Suggestion, error) {
	if utf8.RuneCountInString(text) > MaxTextLen {
		return nil, apperr.Errorf(apperr.Invalid, "검색어는 %d자 이하로 입력해 주세요.", MaxTextLen)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	list, err := s.engine.Suggest(ctx, text, limit)
	if err != nil {
		if apperr.Code(err) == apperr.Invalid {
			return nil, err
		}
		return []Suggestion{}, nil
	}
	return list, nil
}
