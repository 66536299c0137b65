package impact_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/impact"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

// A declaration and its audit record are written together: one record
// with the figures before and after; an invalid declaration writes
// neither, and one whose record cannot be written keeps the old figures.
func TestDeclareIsAuditedWithTheChange(t *testing.T) {
	pool := testutil.NewDB(t)
	fx := testutil.SeedSearchFixture(t, pool)
	ent := fx.Enterprises["apple_village"]
	store := postgres.NewImpactStore(pool)
	svc := &impact.Service{Store: store, Auditor: testutil.Auditor(t, pool)}
	own := account.NewContext(context.Background(), &account.Actor{UserID: 6, Role: account.EnterpriseStaff,
		EnterpriseID: ent, EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Staff})
	year := time.Now().Year() - 1
	first := []impact.Figure{{Kind: impact.Jobs, Value: 3, Year: year, Basis: "명부"}}
	if err := svc.Declare(own, ent, first); err != nil {
		t.Fatal(err)
	}
	second := []impact.Figure{{Kind: impact.Jobs, Value: 5, Year: year, Basis: "명부"}}
	if err := svc.Declare(own, ent, second); err != nil {
		t.Fatal(err)
	}
	bad := []impact.Figure{{Kind: impact.VulnerableShare, Value: 10001, Year: year, Basis: "x"}}
	if err := svc.Declare(own, ent, bad); apperr.Code(err) != apperr.Invalid {
		t.Fatalf("an invalid declaration = %v", err)
	}
	broken := &impact.Service{Store: store, Auditor: testutil.BrokenAuditor{}}
	if err := broken.Declare(own, ent, []impact.Figure{{Kind: impact.Jobs, Value: 9, Year: year, Basis: "명부"}}); err == nil {
		t.Error("a declaration without its record succeeded")
	}

	recs := testutil.AuditRecords(t, pool, "enterprise", strconv.FormatInt(ent, 10))
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	r := recs[1]
	if r.Action != "impact.declare" || r.ActorUserID != 6 || r.EnterpriseID != ent ||
		!strings.Contains(string(r.Before), `"Value": 3`) || !strings.Contains(string(r.After), `"Value": 5`) {
		t.Errorf("record = %+v (before %s, after %s)", r, r.Before, r.After)
	}
	figs, err := svc.Figures(context.Background(), ent)
	if err != nil || len(figs) != 1 || figs[0].Value != 5 {
		t.Errorf("figures = %+v, %v; want the second declaration's", figs, err)
	}
}
