package postgres_test

import (
	"context"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

func TestFindProductByIDNotFound(t *testing.T) {
	t.Parallel()
	s := postgres.NewCatalogStore(testutil.NewDB(t))
	_, err := s.FindProductByID(context.Background(), 42)
	if apperr.Code(err) != apperr.NotFound {
		t.Fatalf("FindProductByID(missing) = %v, want NotFound", err)
	}
}
