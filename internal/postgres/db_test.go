package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/postgres"
)

// TestRefusedTextIsInvalid: text the validators should have stopped but
// PostgreSQL refuses — SQLSTATE 22021 (a NUL byte, broken UTF-8) and 22P05
// (\u0000 in jsonb) — is apperr.Invalid from every store, in reads, writes
// and transactions alike, never an internal error (500).
func TestRefusedTextIsInvalid(t *testing.T) {
	t.Parallel()
	store, pool := newAccountStore(t)
	ctx := context.Background()
	orders := postgres.NewOrderStore(pool)
	cats := postgres.NewCatalogStore(pool)
	for name, call := range map[string]func() error{
		"read, NUL":          func() error { _, err := orders.FindOrderByNumber(ctx, "D251123-\x00"); return err },
		"read, broken UTF-8": func() error { _, err := orders.FindBuyerPhone(ctx, "D251123-\xff"); return err },
		"read, many rows": func() error {
			_, _, err := cats.FindManagedProducts(ctx, catalog.ManagedProductFilter{Query: "사과\x00", Limit: 10})
			return err
		},
		"write": func() error {
			return store.CreateUser(ctx, &account.User{Email: "a@b.kr", Name: "김\x00", Role: account.Consumer, Status: account.UserActive}, testHash)
		},
		"write in a transaction": func() error {
			u := &account.User{Email: "m@b.kr", Name: "\xff", Role: account.EnterpriseStaff, Status: account.UserActive}
			return store.CreateMember(ctx, u, testHash, insertEnterprise(t, pool, "2208162517"), account.Staff)
		},
		"jsonb": func() error {
			return store.CreateAuditRecord(ctx, &account.AuditRecord{At: time.Now(), ActorRole: "system", Action: "test.nul",
				Entity: "test", After: json.RawMessage(`{"name":"a\u0000b"}`)})
		},
	} {
		err := call()
		if code := apperr.Code(err); code != apperr.Invalid {
			t.Errorf("%s: %v (code %s), want Invalid", name, err, code)
		}
		if msg := apperr.Message(err); err != nil && msg == apperr.Message(nil) {
			t.Errorf("%s: the generic message, want the one about the characters", name)
		}
	}
}
