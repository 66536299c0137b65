package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/postgres"
	dredis "github.com/dure-coop/dure/internal/redis"
)

// accountsDeps are the identity services serve wires into the web layer.
type accountsDeps struct {
	Accounts   *account.Service
	Onboarding *onboarding.Service
	Catalog    *catalog.Manager
	Mailer     mail.Mailer
}

// openAccounts builds accounts (PostgreSQL users, Redis sessions and rate
// limits), onboarding and the catalogue's write service, all auditing
// through the account service. Mail goes to the log: there is no mail
// server yet.
func openAccounts(cfg config.Config, pool *pgxpool.Pool, rdb goredis.UniversalClient, log *slog.Logger) (*accountsDeps, error) {
	mailer := mail.Log{Logger: log.With("component", "mail")}
	store := postgres.NewAccountStore(pool)
	acc, err := account.NewService(store, dredis.NewSessionStore(rdb, ""), mailer, dredis.NewRateLimiter(rdb, ""),
		account.Config{BaseURL: cfg.BaseURL, Logger: log.With("component", "accounts")})
	if err != nil {
		return nil, err
	}
	return &accountsDeps{
		Accounts:   acc,
		Onboarding: onboarding.NewService(store, acc, mailer, log.With("component", "onboarding")),
		Catalog:    &catalog.Manager{Store: postgres.NewCatalogStore(pool), Auditor: acc, Log: log},
		Mailer:     mailer,
	}, nil
}

// Demo sign-ins, created in development only (make run), printed at start.
const (
	demoOperatorEmail = "operator@dure.test"
	demoPassword      = "dure-demo-2026"
)

// demoMemberEnterprises are the demo enterprises that get a member account
// (owner), by external id: member1@dure.test is the first one's, and so on.
var demoMemberEnterprises = []string{"ent-001", "ent-002", "ent-003"}

// ensureDemoAccounts creates the demo operator and member accounts unless
// they exist, and returns the sign-in lines to print. Development only.
func ensureDemoAccounts(ctx context.Context, pool *pgxpool.Pool, acc *account.Service) ([]string, error) {
	lines := []string{fmt.Sprintf("운영자 (/admin): %s / %s", demoOperatorEmail, demoPassword)}
	if _, err := acc.CreateOperator(ctx, demoOperatorEmail, "두레 운영자", demoPassword); err != nil && apperr.Code(err) != apperr.Conflict {
		return nil, fmt.Errorf("demo operator: %w", err)
	}
	for i, ext := range demoMemberEnterprises {
		var id int64
		var name string
		err := pool.QueryRow(ctx, `SELECT id, name FROM enterprises WHERE external_id = $1`, ext).Scan(&id, &name)
		if err != nil {
			continue // the demo catalogue is not loaded: no member for it
		}
		email := fmt.Sprintf("member%d@dure.test", i+1)
		if _, err := acc.CreateEnterpriseMember(ctx, id, email, name+" 담당자", demoPassword, account.Owner); err != nil && apperr.Code(err) != apperr.Conflict {
			return nil, fmt.Errorf("demo member of %s: %w", ext, err)
		}
		lines = append(lines, fmt.Sprintf("입점기업 %s (/portal): %s / %s", name, email, demoPassword))
	}
	return lines, nil
}

// printDemoAccounts shows the demo sign-ins on stderr, one per line
// (development only).
func printDemoAccounts(log *slog.Logger, lines []string) {
	log.Warn("demo accounts exist (development only); sign in with:")
	fmt.Fprintln(os.Stderr, "  "+strings.Join(lines, "\n  "))
}
