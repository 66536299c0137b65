package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

// The directory against PostgreSQL: legal-form prefixes do not lead the
// name order, filters combine, each count follows the other filters, the
// name search escapes LIKE's wildcards, and newest puts the last joined
// first.
func TestDirectory(t *testing.T) {
	pool := testutil.NewDB(t)
	ctx := context.Background()
	store := postgres.NewCatalogStore(pool)
	n := 0
	add := func(name, typ, region string, age time.Duration, status string) {
		t.Helper()
		n++
		_, err := pool.Exec(ctx, `INSERT INTO enterprises (external_id, name, type, business_number, region, representative, status, created_at)
			VALUES ($1, $2, $3, $4, $5, '대표', $6, now() - $7::interval)`, testutil.Name("e"), name, typ,
			fmt.Sprintf("99000%05d", n), region, status, age.String())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	add("(유)햇살", "social_enterprise", "daegu", 5*time.Hour, "active")
	add("주식회사 다라", "social_enterprise", "seoul", 4*time.Hour, "active")
	add("협동조합 마을부엌", "cooperative", "daegu", 3*time.Hour, "active")
	add("가나 100%", "pre_social_enterprise", "daegu", 2*time.Hour, "active")
	add("㈜ 바다", "village_enterprise", "busan", time.Hour, "active")
	add("(주)숨은기업", "social_enterprise", "daegu", 0, "suspended")

	names := func(d *catalog.Directory) []string {
		var out []string
		for _, e := range d.Enterprises {
			out = append(out, e.Name)
		}
		return out
	}
	d, err := store.FindDirectory(ctx, catalog.DirectoryFilter{Sort: catalog.DirectoryByName})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(d), []string{"가나 100%", "주식회사 다라", "협동조합 마을부엌", "㈜ 바다", "(유)햇살"}; !equalStrings(got, want) {
		t.Fatalf("by name %v, want %v", got, want)
	}
	if d.Total != 5 || d.TypeCounts[catalog.SocialEnterprise] != 2 || d.RegionCounts["daegu"] != 3 {
		t.Fatalf("counts %d %v %v", d.Total, d.TypeCounts, d.RegionCounts)
	}
	d, err = store.FindDirectory(ctx, catalog.DirectoryFilter{Sort: catalog.DirectoryNewest, Limit: 2})
	if err != nil || !equalStrings(names(d), []string{"㈜ 바다", "가나 100%"}) || d.Total != 5 {
		t.Fatalf("newest %v %d %v", names(d), d.Total, err)
	}
	// Type and region combine; the type counts follow the region, the
	// region counts follow the type.
	d, err = store.FindDirectory(ctx, catalog.DirectoryFilter{Type: catalog.SocialEnterprise, Region: "daegu"})
	if err != nil || !equalStrings(names(d), []string{"(유)햇살"}) || d.Total != 1 {
		t.Fatalf("type and region %v %d %v", names(d), d.Total, err)
	}
	if d.TypeCounts[catalog.SocialEnterprise] != 1 || d.TypeCounts[catalog.Cooperative] != 1 || d.TypeCounts[catalog.PreSocialEnterprise] != 1 ||
		d.RegionCounts["daegu"] != 1 || d.RegionCounts["seoul"] != 1 || d.RegionCounts["busan"] != 0 {
		t.Fatalf("counts under the other filters: %v %v", d.TypeCounts, d.RegionCounts)
	}
	// The name search: part of the name, and % is a character, not a wildcard.
	d, err = store.FindDirectory(ctx, catalog.DirectoryFilter{Query: "100%"})
	if err != nil || !equalStrings(names(d), []string{"가나 100%"}) || d.TypeCounts[catalog.PreSocialEnterprise] != 1 || d.TypeCounts[catalog.SocialEnterprise] != 0 {
		t.Fatalf("search 100%%: %v %v %v", names(d), d.TypeCounts, err)
	}
	d, err = store.FindDirectory(ctx, catalog.DirectoryFilter{Query: "%"})
	if err != nil || d.Total != 1 {
		t.Fatalf("search %%: %v %v", names(d), err)
	}
	// A page past the end is empty with the counts still there.
	d, err = store.FindDirectory(ctx, catalog.DirectoryFilter{Limit: 2, Offset: 10})
	if err != nil || len(d.Enterprises) != 0 || d.Total != 5 {
		t.Fatalf("past the end: %v %d %v", names(d), d.Total, err)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
