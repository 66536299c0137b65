package testutil

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
)

// QuoteInstitution inserts an active institution (with its own
// direct-contract limit, or the co-op default when limit is 0) and returns
// its id. The quote tests use it until the institution accounts have their
// own helpers.
func QuoteInstitution(tb testing.TB, pool *pgxpool.Pool, name string, limit int64) int64 {
	tb.Helper()
	var id int64
	var lim any
	if limit > 0 {
		lim = limit
	}
	err := pool.QueryRow(context.Background(), `INSERT INTO institutions (name, kind, id_kind, id_number, postcode, road_address, status, direct_contract_limit)
		VALUES ($1, 'local', 'unique', lpad((nextval('institutions_id_seq') + 1000)::text, 10, '0'), '41911', '대구광역시 중구 공평로 88', 'active', $2)
		RETURNING id`, name, lim).Scan(&id)
	if err != nil {
		tb.Fatalf("testutil: institution: %v", err)
	}
	return id
}

// QuoteUser inserts an active user with role (an institution buyer of
// institutionID when it is not 0) and returns the actor a session of it
// would carry. Its password cannot be signed in with.
func QuoteUser(tb testing.TB, pool *pgxpool.Pool, role account.Role, name string, institutionID int64) *account.Actor {
	tb.Helper()
	ctx := context.Background()
	a := &account.Actor{Name: name, Role: role, InstitutionID: institutionID}
	if institutionID != 0 {
		a.InstitutionStatus, a.InstitutionMember, a.InstitutionRole = account.InstitutionActive, account.InstitutionMemberActive, account.InstitutionBuyer
	}
	a.Email = fmt.Sprintf("%s-%s@dure.test", role, Name("u"))
	if err := pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, '$argon2id$unusable', $3) RETURNING id`,
		a.Email, name, role).Scan(&a.UserID); err != nil {
		tb.Fatalf("testutil: user: %v", err)
	}
	if institutionID != 0 {
		if _, err := pool.Exec(ctx, `INSERT INTO institution_members (user_id, institution_id, role, status, approved_at)
			VALUES ($1, $2, 'buyer', 'active', now())`, a.UserID, institutionID); err != nil {
			tb.Fatalf("testutil: institution member: %v", err)
		}
	}
	return a
}
