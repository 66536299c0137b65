package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

// allProductIDs returns the ids of every product (active or not) and one
// that does not exist.
func allProductIDs(tb testing.TB, pool *pgxpool.Pool) []int64 {
	tb.Helper()
	rows, err := pool.Query(context.Background(), `SELECT id FROM products ORDER BY id`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	ids := []int64{987654321}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return ids
}

// TestFindCartProductsAgreesWithFindProductByID checks the cart's lean read
// against the product page's full one on the whole demo catalogue, with a
// hidden product and a suspended enterprise: the same products, and the same
// values in every field the cart and the order snapshot use.
func TestFindCartProductsAgreesWithFindProductByID(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	ctx := context.Background()
	var hidden, closed int64
	if err := pool.QueryRow(ctx, `UPDATE products SET status = 'hidden' WHERE id = (SELECT min(id) FROM products)
		RETURNING id`).Scan(&hidden); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `UPDATE enterprises SET status = 'suspended'
		WHERE id = (SELECT max(enterprise_id) FROM products) RETURNING id`).Scan(&closed); err != nil {
		t.Fatal(err)
	}
	// Volume tiers on one product with options and one without.
	if _, err := pool.Exec(ctx, `INSERT INTO product_price_tiers (product_id, list, min_quantity, unit_price)
		SELECT id, l, q, consumer_price - q FROM (
			(SELECT id, consumer_price FROM products p WHERE status = 'active'
				AND EXISTS (SELECT 1 FROM product_options WHERE product_id = p.id) ORDER BY id LIMIT 1)
			UNION ALL
			(SELECT id, consumer_price FROM products p WHERE status = 'active'
				AND NOT EXISTS (SELECT 1 FROM product_options WHERE product_id = p.id) ORDER BY id LIMIT 1)) p,
			unnest(ARRAY['consumer', 'public']) l, unnest(ARRAY[10, 100]) q`); err != nil {
		t.Fatal(err)
	}
	s := postgres.NewCatalogStore(pool)
	ids := allProductIDs(t, pool)
	got, err := s.FindCartProducts(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]*catalog.Product{}
	for _, id := range ids {
		p, err := s.FindProductByID(ctx, id)
		switch {
		case apperr.Code(err) == apperr.NotFound:
		case err != nil:
			t.Fatal(err)
		default:
			want[id] = p
		}
	}
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("FindCartProducts: %d products, FindProductByID: %d", len(got), len(want))
	}
	if got[hidden] != nil {
		t.Errorf("a hidden product was returned")
	}
	withOptions, withTiers := 0, 0
	for id, w := range want {
		g := got[id]
		if g == nil {
			t.Errorf("product %d missing", id)
			continue
		}
		if g.EnterpriseID == closed {
			t.Errorf("product %d of a suspended enterprise was returned", id)
		}
		if gp, wp := cartFields(g), cartFields(w); gp != wp {
			t.Errorf("product %d:\n got %+v\nwant %+v", id, gp, wp)
		}
		if len(g.Options) != len(w.Options) {
			t.Errorf("product %d: %d options, want %d", id, len(g.Options), len(w.Options))
		} else {
			for i := range g.Options {
				if g.Options[i] != w.Options[i] {
					t.Errorf("product %d option %d: got %+v, want %+v", id, i, g.Options[i], w.Options[i])
				}
			}
		}
		if len(w.Options) > 0 {
			withOptions++
		}
		if len(w.ConsumerTiers) > 0 {
			withTiers++
		}
		ge, we := g.Enterprise, w.Enterprise
		if ge == nil || ge.ID != we.ID || ge.Name != we.Name || ge.Type != we.Type || ge.CertNumber != we.CertNumber ||
			ge.BusinessNumber != we.BusinessNumber || ge.Region != we.Region || ge.Shipping != we.Shipping ||
			(ge.CertValidUntil == nil) != (we.CertValidUntil == nil) ||
			(ge.CertValidUntil != nil && !ge.CertValidUntil.Equal(*we.CertValidUntil)) {
			t.Errorf("product %d enterprise:\n got %+v\nwant %+v", id, ge, we)
		}
	}
	if withTiers != 2 {
		t.Errorf("%d products with tiers compared, want 2", withTiers)
	}
	if withOptions == 0 {
		t.Error("the demo catalogue has no product with options: the option rows were not checked")
	}
	if out, err := s.FindCartProducts(ctx, nil); err != nil || len(out) != 0 {
		t.Errorf("FindCartProducts(none) = %v, %v; want an empty map", out, err)
	}
}

type productFields struct {
	ID, EnterpriseID int64
	Kind             catalog.Kind
	Name             string
	TaxType          catalog.TaxType
	ConsumerPrice    int64
	PublicPrice      int64
	ConsumerTiers    string
	PublicTiers      string
	Stock            int
	Status           string
}

func cartFields(p *catalog.Product) productFields {
	return productFields{ID: p.ID, EnterpriseID: p.EnterpriseID, Kind: p.Kind, Name: p.Name, TaxType: p.TaxType,
		ConsumerPrice: p.ConsumerPrice, PublicPrice: p.PublicPrice, ConsumerTiers: catalog.FormatTiers(p.ConsumerTiers),
		PublicTiers: catalog.FormatTiers(p.PublicTiers), Stock: p.Stock, Status: p.Status}
}

// BenchmarkFindCartProducts reads the products of a cart of 26 lines.
func BenchmarkFindCartProducts(b *testing.B) {
	pool := testutil.NewDB(b)
	testutil.SeedDemo(b, pool)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	s := postgres.NewCatalogStore(pool)
	ids := allProductIDs(b, pool)[1:27]
	for b.Loop() {
		if m, err := s.FindCartProducts(ctx, ids); err != nil || len(m) != len(ids) {
			b.Fatalf("%d products, %v", len(m), err)
		}
	}
}
