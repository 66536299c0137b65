package search

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
)

type suggestFn func(ctx context.Context, text string, limit int) ([]Suggestion, error)

func (f suggestFn) Suggest(ctx context.Context, text string, limit int) ([]Suggestion, error) {
	return f(ctx, text, limit)
}

func TestSuggestService(t *testing.T) {
	t.Parallel()
	ok := []Suggestion{{Type: SuggestProduct, Text: "된장", ID: 1}}
	engine := suggestFn(func(ctx context.Context, text string, _ int) ([]Suggestion, error) {
		switch text {
		case "down":
			return nil, errors.New("connection refused")
		case "slow":
			<-ctx.Done()
			return nil, ctx.Err()
		case "bad":
			return nil, apperr.Errorf(apperr.Invalid, "bad")
		}
		return ok, nil
	})
	s := NewSuggestService(engine, 20*time.Millisecond)
	ctx := context.Background()
	if got, err := s.Suggest(ctx, "된장", 5); err != nil || len(got) != 1 {
		t.Errorf("Suggest = %v, %v", got, err)
	}
	for _, text := range []string{"down", "slow"} {
		if got, err := s.Suggest(ctx, text, 5); err != nil || got == nil || len(got) != 0 {
			t.Errorf("Suggest(%s) = %v, %v; want an empty list", text, got, err)
		}
	}
	if _, err := s.Suggest(ctx, "bad", 5); apperr.Code(err) != apperr.Invalid {
		t.Errorf("Suggest(bad) err = %v, want Invalid", err)
	}
	if _, err := s.Suggest(ctx, strings.Repeat("가", MaxTextLen+1), 5); apperr.Code(err) != apperr.Invalid {
		t.Errorf("Suggest(too long) err = %v, want Invalid", err)
	}
}
