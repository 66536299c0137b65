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
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/demo"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/quote"
	dredis "github.com/dure-coop/dure/internal/redis"
)

// accountsDeps are the identity services serve wires into the web layer.
type accountsDeps struct {
	Accounts   *account.Service
	Onboarding *onboarding.Service
	// Institutions registers public institutions and their buyers.
	Institutions *institution.Service
	Catalog      *catalog.Manager
	Mailer       mail.Mailer
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
		Accounts:     acc,
		Onboarding:   onboarding.NewService(store, acc, mailer, log.With("component", "onboarding")),
		Institutions: institution.NewService(store, acc, mailer, log.With("component", "institutions")),
		Catalog:      &catalog.Manager{Store: postgres.NewCatalogStore(pool), Auditor: acc},
		Mailer:       mailer,
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
func ensureDemoAccounts(ctx context.Context, pool *pgxpool.Pool, acc *account.Service, ins *institution.Service) ([]string, error) {
	lines := []string{fmt.Sprintf("운영자 (/admin): %s / %s", demoOperatorEmail, demoPassword)}
	if exists, err := demoAccountExists(ctx, acc, demoOperatorEmail); err != nil {
		return nil, err
	} else if !exists {
		if _, err := acc.CreateOperator(ctx, demoOperatorEmail, "두레 운영자", demoPassword); err != nil && apperr.Code(err) != apperr.Conflict {
			return nil, fmt.Errorf("demo operator: %w", err)
		}
	}
	for i, ext := range demoMemberEnterprises {
		var id int64
		var name string
		err := pool.QueryRow(ctx, `SELECT id, name FROM enterprises WHERE external_id = $1`, ext).Scan(&id, &name)
		if err != nil {
			continue // the demo catalogue is not loaded: no member for it
		}
		email := fmt.Sprintf("member%d@dure.test", i+1)
		exists, err := demoAccountExists(ctx, acc, email)
		if err != nil {
			return nil, err
		}
		if !exists {
			if _, err := acc.CreateEnterpriseMember(ctx, id, email, name+" 담당자", demoPassword, account.Owner); err != nil && apperr.Code(err) != apperr.Conflict {
				return nil, fmt.Errorf("demo member of %s: %w", ext, err)
			}
		}
		lines = append(lines, fmt.Sprintf("입점기업 %s (/portal): %s / %s", name, email, demoPassword))
	}
	more, err := ensureDemoInstitution(ctx, acc, ins)
	if err != nil {
		return nil, err
	}
	return append(lines, more...), nil
}

// demoAccountExists reports whether email has an active account already.
// The demo's accounts are looked up before they are created so that a
// restart does not hash the demo password only to learn that the address
// is taken: argon2id takes 19 MiB and tens of milliseconds per hash, and
// the demo has seven accounts.
func demoAccountExists(ctx context.Context, acc *account.Service, email string) (bool, error) {
	_, err := acc.SetupActor(ctx, email)
	switch apperr.Code(err) {
	case "":
		return true, nil
	case apperr.Unauthorized: // none, or not active: creating it says which
		return false, nil
	}
	return false, fmt.Errorf("demo account %s: %w", email, err)
}

// Demo institution: buyer1@dure.test registers it (its admin) and
// buyer2@dure.test joins it, both approved.
const (
	demoInstitutionName   = "대구광역시 ○○구청"
	demoInstitutionNumber = "5038300016" // a 고유번호 (no checksum)
)

// ensureDemoInstitution creates the demo institution, approved, with its
// admin and an approved buyer, unless it exists.
func ensureDemoInstitution(ctx context.Context, acc *account.Service, ins *institution.Service) ([]string, error) {
	admin, buyer := "buyer1@dure.test", "buyer2@dure.test"
	lines := []string{
		fmt.Sprintf("공공기관 %s 관리자 (/biz): %s / %s", demoInstitutionName, admin, demoPassword),
		fmt.Sprintf("공공기관 %s 구매담당자 (/biz): %s / %s", demoInstitutionName, buyer, demoPassword),
	}
	if exists, err := demoAccountExists(ctx, acc, buyer); err != nil || exists {
		return lines, err // made at an earlier start (the buyer joins last)
	}
	inst, err := ins.Register(ctx, institution.RegisterInput{Name: demoInstitutionName, Kind: institution.Local,
		IDKind: institution.UniqueNumber, IDNumber: demoInstitutionNumber, Postcode: "41911",
		RoadAddress: "대구광역시 중구 공평로 88", Phone: "053-803-0114", Department: "회계과",
		UserName: "김기관", Email: admin, Password: demoPassword, PasswordConfirm: demoPassword})
	if apperr.Code(err) == apperr.Conflict {
		return lines, nil // made at an earlier start
	}
	if err != nil {
		return nil, fmt.Errorf("demo institution: %w", err)
	}
	m, _, err := ins.Join(ctx, institution.JoinInput{IDNumber: demoInstitutionNumber, InstitutionName: demoInstitutionName,
		Department: "총무과", UserName: "이구매", Email: buyer, Password: demoPassword, PasswordConfirm: demoPassword})
	if err != nil {
		return nil, fmt.Errorf("demo buyer: %w", err)
	}
	op, err := acc.SetupActor(ctx, demoOperatorEmail)
	if err != nil {
		return nil, fmt.Errorf("demo institution: operator: %w", err)
	}
	if err := ins.Approve(account.NewContext(ctx, op), inst.ID); err != nil {
		return nil, fmt.Errorf("demo institution: approve: %w", err)
	}
	a, err := acc.SetupActor(ctx, admin)
	if err != nil {
		return nil, fmt.Errorf("demo institution: admin: %w", err)
	}
	if err := ins.ApproveMember(account.NewContext(ctx, a), inst.ID, m.User.ID); err != nil {
		return nil, fmt.Errorf("demo buyer: approve: %w", err)
	}
	return lines, nil
}

// printDemoAccounts shows the demo sign-ins on stderr, one per line
// (development only).
func printDemoAccounts(log *slog.Logger, lines []string) {
	log.Warn("demo accounts exist (development only); sign in with:")
	fmt.Fprintln(os.Stderr, "  "+strings.Join(lines, "\n  "))
}

// demoCoop is the co-op's business details and account in development, so
// that invoices, documents and the footer show something real-looking
// (a valid 사업자등록번호 checksum; the account is fictitious).
var demoCoop = coop.Settings{Name: "두레 사회적협동조합", Representative: "김두레", BusinessNumber: "1208147521",
	MailOrderNumber: "제2026-대구중구-0123호", Address: "대구광역시 중구 동덕로 115, 3층", Phone: "053-123-4567",
	Email: "hello@dure.test", HostingProvider: "두레 사회적협동조합 (자체 서버)", Intermediary: true, BankName: "농협은행", BankAccount: "301-0123-4567-81", BankHolder: "두레사회적협동조합",
	InspectionDays: coop.DefaultInspectionDays, ClaimWorkingDays: coop.DefaultClaimWorkingDays,
	ReportBasis: coop.BasisInspected, DirectContractLimit: coop.DefaultDirectContractLimit}

// ensureDemoCoop fills the co-op's settings with demoCoop while they are
// still blank (an operator's edits are kept). Development only.
func ensureDemoCoop(ctx context.Context, pool *pgxpool.Pool) error {
	store := postgres.NewCoopStore(pool)
	st, err := store.FindSettings(ctx)
	if err != nil {
		return fmt.Errorf("demo co-op settings: %w", err)
	}
	if st.Name != "" {
		return nil
	}
	s := demoCoop
	if _, err := store.UpdateSettings(ctx, &s, nil); err != nil {
		return fmt.Errorf("demo co-op settings: %w", err)
	}
	return nil
}

// ensureDemoHistory seeds the demo institution's procurement history
// (demo.History: quotes, invoice orders shipped, inspected and paid over the
// last months) once, as its buyer, the demo members and the operator.
// Development only.
func ensureDemoHistory(ctx context.Context, pool *pgxpool.Pool, acc *account.Service, quotes *quote.Service, orders *order.Service) error {
	members := make([]string, len(demoMemberEnterprises))
	for i := range members {
		members[i] = fmt.Sprintf("member%d@dure.test", i+1)
	}
	h := &demo.History{Accounts: acc, Quotes: quotes, Orders: orders, Backdate: postgres.NewDemoStore(pool).Backdate}
	return h.Seed(ctx, demo.HistoryAccounts{Operator: demoOperatorEmail, Buyer: "buyer2@dure.test", Members: members})
}
