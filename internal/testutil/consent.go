package testutil

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/order"
)

// Consent is a checkout's required consents to the current terms and
// personal-data collection notice of pool's database (the migration seeds
// their first versions).
func Consent(tb testing.TB, pool *pgxpool.Pool) order.Consent {
	tb.Helper()
	var c order.Consent
	err := pool.QueryRow(context.Background(), `SELECT
		(SELECT max(id) FROM legal_documents WHERE kind = 'terms'),
		(SELECT max(id) FROM legal_documents WHERE kind = 'order_privacy')`).Scan(&c.TermsDocID, &c.PrivacyDocID)
	if err != nil {
		tb.Fatalf("consent documents: %v", err)
	}
	return c
}
