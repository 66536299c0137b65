package postgres_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

func TestFindProductByIDNotFound(t *testing.T) {
	t.Parallel()
	s := postgres.NewCatalogStore(testutil.NewDB(t))
	_, err := s.FindProductByID(context.Background(), 42)
	if apperr.Code(err) != apperr.NotFound {
		t.Fatalf("FindProductByID(missing) = %v, want NotFound", err)
	}
}

// The product finders return options by position then id and images by
// position (not by insertion or code order), empty option and image lists
// when there are none, and nothing of an inactive product or enterprise.
func TestFindProductOptionsAndImagesOrder(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	file := goodFile + `{"type":"product","id":"kit","enterprise":"farm","category":"fruit","kind":"goods","name":"과일 선물 세트","tax_type":"exempt","consumer_price":30000,"public_price":28000,"stock":4,` +
		`"options":[{"code":"a","name":"가","stock":1},{"code":"b","name":"나","extra_price":1000,"stock":0},{"code":"c","name":"다","extra_price":2000,"stock":3}],` +
		`"images":[{"url":"/i/1.jpg","alt":"첫째"},{"url":"/i/2.jpg"},{"url":"/i/3.jpg","alt":"셋째"}]}
{"type":"product","id":"plain","enterprise":"farm","category":"fruit","kind":"goods","name":"무옵션 상품","tax_type":"taxable","consumer_price":1100,"public_price":1000,"stock":1}
{"type":"product","id":"hidden","enterprise":"farm","category":"fruit","kind":"goods","name":"숨김 상품","tax_type":"taxable","consumer_price":1100,"public_price":1000,"stock":1,"status":"hidden"}
`
	if _, err := importString(t, pool, file); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ids := map[string]int64{}
	optionIDs := map[string]int64{}
	rows, err := pool.Query(ctx, `SELECT external_id, id FROM products`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ext string
		var id int64
		if err := rows.Scan(&ext, &id); err != nil {
			t.Fatal(err)
		}
		ids[ext] = id
	}
	rows.Close()
	// Positions that disagree with both code and id order: c, then a and b
	// tied (ties go by id), and images 3, 1, 2.
	for _, q := range []string{
		`UPDATE product_options SET position = CASE code WHEN 'c' THEN 0 ELSE 5 END WHERE product_id = $1`,
		`UPDATE product_images SET position = position + 10 WHERE product_id = $1`,
		`UPDATE product_images SET position = CASE position WHEN 12 THEN 0 WHEN 10 THEN 1 ELSE 2 END WHERE product_id = $1`,
	} {
		if _, err := pool.Exec(ctx, q, ids["kit"]); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rows, err = pool.Query(ctx, `SELECT code, id FROM product_options WHERE product_id = $1`, ids["kit"])
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			t.Fatal(err)
		}
		optionIDs[code] = id
	}
	rows.Close()
	wantOptions := []catalog.Option{
		{ID: optionIDs["c"], Code: "c", Name: "다", ExtraPrice: 2000, Stock: 3},
		{ID: optionIDs["a"], Code: "a", Name: "가", Stock: 1},
		{ID: optionIDs["b"], Code: "b", Name: "나", ExtraPrice: 1000, Stock: 0},
	}
	wantImages := []catalog.Image{{URL: "/i/3.jpg", Alt: "셋째"}, {URL: "/i/1.jpg", Alt: "첫째"}, {URL: "/i/2.jpg"}}

	s := postgres.NewCatalogStore(pool)
	kit, err := s.FindProductByID(ctx, ids["kit"])
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(kit.Options, wantOptions) {
		t.Errorf("FindProductByID options = %+v, want %+v", kit.Options, wantOptions)
	}
	if !reflect.DeepEqual(kit.Images, wantImages) {
		t.Errorf("FindProductByID images = %+v, want %+v", kit.Images, wantImages)
	}
	if kit.Name != "과일 선물 세트" || kit.Stock != 4 || kit.Enterprise.ExternalID != "farm" || kit.Category.Slug != "fruit" ||
		kit.Category.ParentID == nil {
		t.Errorf("FindProductByID = %+v", kit)
	}
	plain, err := s.FindProductByID(ctx, ids["plain"])
	if err != nil {
		t.Fatal(err)
	}
	if plain.Options == nil || len(plain.Options) != 0 || plain.Images == nil || len(plain.Images) != 0 {
		t.Errorf("product without options or images: options %#v, images %#v; want empty lists", plain.Options, plain.Images)
	}
	if _, err := s.FindProductByID(ctx, ids["hidden"]); apperr.Code(err) != apperr.NotFound {
		t.Errorf("FindProductByID(hidden) = %v, want NotFound", err)
	}
}

// BenchmarkFindProductByID reads the demo catalogue's products one by one, as
// the product page does.
func BenchmarkFindProductByID(b *testing.B) {
	pool := testutil.NewDB(b)
	testutil.SeedDemo(b, pool)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	rows, err := pool.Query(ctx, `SELECT p.id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' ORDER BY p.id`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	s := postgres.NewCatalogStore(pool)
	i := 0
	for b.Loop() {
		if _, err := s.FindProductByID(ctx, ids[i%len(ids)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// Product lists read at most catalog.MaxListed matches however large the
// catalogue: the total stops there, a page past it is empty, the last page
// is cut at it, and a shelf that asks for no total gets none. Enterprise
// lists count each enterprise's products (not a GROUP BY over all of them).
func TestFindProductsStopsAtMaxListed(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	if _, err := importString(t, pool, goodFile); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// MaxListed+5 more active products of the same enterprise and category.
	if _, err := pool.Exec(ctx, `INSERT INTO products (external_id, enterprise_id, category_id, kind, name, tax_type,
			consumer_price, public_price, stock, status, featured)
		SELECT 'bulk-' || g, p.enterprise_id, p.category_id, p.kind, '대량 상품 ' || g, p.tax_type, 1100, 1000, 1, 'active', g % 2 = 0
		FROM products p, generate_series(1, $1) g WHERE p.external_id = 'apple'`, catalog.MaxListed+5); err != nil {
		t.Fatal(err)
	}
	s := postgres.NewCatalogStore(pool)
	list, total, err := s.FindProducts(ctx, catalog.ProductFilter{Limit: 24})
	if err != nil {
		t.Fatal(err)
	}
	if total != catalog.MaxListed || len(list) != 24 {
		t.Errorf("first page: total %d, %d products; want %d and 24", total, len(list), catalog.MaxListed)
	}
	if list, _, err = s.FindProducts(ctx, catalog.ProductFilter{Limit: 24, Offset: catalog.MaxListed - 10}); err != nil || len(list) != 10 {
		t.Errorf("last page: %d products, %v; want 10 (cut at MaxListed)", len(list), err)
	}
	if list, total, err = s.FindProducts(ctx, catalog.ProductFilter{Limit: 24, Offset: catalog.MaxListed}); err != nil || len(list) != 0 || total != catalog.MaxListed {
		t.Errorf("past MaxListed: %d products, total %d, %v; want none and %d", len(list), total, err, catalog.MaxListed)
	}
	list, total, err = s.FindProducts(ctx, catalog.ProductFilter{Featured: true, Limit: 8, NoTotal: true})
	if err != nil || total != 0 || len(list) != 8 {
		t.Errorf("featured shelf: %d products, total %d, %v; want 8 and no total", len(list), total, err)
	}
	for _, p := range list {
		if !p.Featured {
			t.Errorf("featured shelf holds %q, not featured", p.Name)
		}
	}
	d, err := s.FindDirectory(ctx, catalog.DirectoryFilter{Limit: 50})
	if err != nil || d.Total != 1 || len(d.Enterprises) != 1 {
		t.Fatalf("FindDirectory = %+v, %v; want the one enterprise", d, err)
	}
	if want := catalog.MaxListed + 7; d.Enterprises[0].ProductCount != want {
		t.Errorf("product count %d, want %d (apple, pear and the bulk ones)", d.Enterprises[0].ProductCount, want)
	}
}
