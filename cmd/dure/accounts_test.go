package main

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"
)

// The demo accounts are made at the first start; a restart finds them and
// hashes no password (argon2id at the production setting: 19 MiB a hash),
// so it allocates less than one hash would. Not parallel: the allocation
// count is the process's.
func TestEnsureDemoAccountsHashesOnce(t *testing.T) {
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	rdb, prefix := testutil.NewRedis(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store := postgres.NewAccountStore(pool)
	acc, err := account.NewService(store, redis.NewSessionStore(rdb, prefix), &mail.Outbox{},
		redis.NewRateLimiter(rdb, prefix), account.Config{BaseURL: "http://dure.test", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ins := institution.NewService(store, acc, &mail.Outbox{}, log)
	first, err := ensureDemoAccounts(ctx, pool, acc, ins)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 1+len(demoMemberEnterprises)+2 {
		t.Fatalf("first start: %d sign-in lines, want the operator, %d members and 2 institution users: %q", len(first), len(demoMemberEnterprises), first)
	}
	for _, email := range []string{demoOperatorEmail, "member1@dure.test", "member3@dure.test", "buyer1@dure.test", "buyer2@dure.test"} {
		if _, err := acc.SetupActor(ctx, email); err != nil {
			t.Errorf("after the first start, %s: %v", email, err)
		}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	again, err := ensureDemoAccounts(ctx, pool, acc, ins)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again, first) {
		t.Errorf("restart: lines %q, want %q", again, first)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n >= uint64(account.DefaultPasswordParams().Memory)<<10 {
		t.Errorf("restart allocated %.1f MiB, as much as an argon2id hash: a password was hashed again", float64(n)/(1<<20))
	}
}
