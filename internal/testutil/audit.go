package testutil

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/postgres"
)

// Auditor returns the account service on pool as the app wires it into
// the domain services: it builds the audit records their stores write (no
// sessions, mail or rate limits are used).
func Auditor(tb testing.TB, pool *pgxpool.Pool) *account.Service {
	tb.Helper()
	acc, err := account.NewService(postgres.NewAccountStore(pool), nil, nil, nil, account.Config{BaseURL: "http://localhost"})
	if err != nil {
		tb.Fatal(err)
	}
	return acc
}

// BrokenAuditor builds audit records that the database refuses (no action:
// audit_log's CHECK fails), for tests that a change does not land when its
// record cannot be written; its Record fails too.
type BrokenAuditor struct{}

// NewAuditRecord returns a record without an action.
func (BrokenAuditor) NewAuditRecord(_ context.Context, e account.AuditEntry) (*account.AuditRecord, error) {
	return &account.AuditRecord{At: time.Now(), ActorRole: string(account.Operator), Entity: e.Entity, EntityID: e.EntityID}, nil
}

// Record fails.
func (BrokenAuditor) Record(context.Context, account.AuditEntry) error {
	return errors.New("testutil: broken auditor")
}

// AuditRecords returns the audit log's records of entity (and entityID,
// unless ""), oldest first.
func AuditRecords(tb testing.TB, pool *pgxpool.Pool, entity, entityID string) []*account.AuditRecord {
	tb.Helper()
	recs, _, err := postgres.NewAccountStore(pool).FindAuditRecords(context.Background(),
		account.AuditFilter{Entity: entity, EntityID: entityID, Limit: 500})
	if err != nil {
		tb.Fatal(err)
	}
	slices.Reverse(recs)
	return recs
}
