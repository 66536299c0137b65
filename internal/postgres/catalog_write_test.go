package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/demo"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

const goodFile = `# two categories, one enterprise, two products
{"type":"product","id":"apple","enterprise":"farm","category":"fruit","kind":"goods","name":"청송 꿀사과 5kg","tax_type":"exempt","consumer_price":45000,"public_price":42000,"stock":30,"options":[{"code":"mid","name":"중과","stock":10},{"code":"large","name":"대과","extra_price":5000,"stock":20}],"images":[{"url":"/static/apple.svg","alt":"사과"}]}
{"type":"category","id":"fruit","slug":"fruit","name":"과일·채소","parent":"food","position":1}
{"type":"category","id":"food","slug":"food","name":"식품","position":1}
{"type":"enterprise","id":"farm","name":"햇살농원 협동조합","enterprise_type":"cooperative","business_number":"220-81-62517","region":"gyeongbuk","representative":"김민준","phone":"0548701234","email":"farm@example.com","address":"경상북도 청송군 청송읍 중앙로 1","mission":"지역 농산물","cert_valid_until":"2027-06-30","shipping":{"fee":3000,"free_threshold":30000,"remote_surcharge":3000}}

{"type":"product","id":"pear","enterprise":"farm","category":"fruit","kind":"goods","name":"신고배 5kg","tax_type":"exempt","consumer_price":39000,"public_price":36000,"stock":0,"featured":true}
`

func importString(t *testing.T, pool *pgxpool.Pool, file string) (catalog.ImportStats, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return catalog.Import(ctx, postgres.NewCatalogStore(pool), strings.NewReader(file))
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// outbox returns the outbox as "entity:external_id" entries, sorted.
func outbox(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT o.entity || ':' || coalesce(p.external_id, e.external_id, c.external_id, '?')
		FROM search_outbox o
		LEFT JOIN products p ON o.entity = 'product' AND p.id = o.entity_id
		LEFT JOIN enterprises e ON o.entity = 'enterprise' AND e.id = o.entity_id
		LEFT JOIN categories c ON o.entity = 'category' AND c.id = o.entity_id
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestImportGoodFile(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	stats, err := importString(t, pool, goodFile)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	want := catalog.ImportStats{Categories: catalog.ImportCounts{Created: 2}, Enterprises: catalog.ImportCounts{Created: 1},
		Products: catalog.ImportCounts{Created: 2}}
	if stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	if got := strings.Join(outbox(t, pool), " "); got != "category:food category:fruit enterprise:farm product:apple product:pear" {
		t.Errorf("outbox = %s", got)
	}

	var bn, phone, typ, region string
	var validUntil time.Time
	var fee, free, remote int64
	if err := pool.QueryRow(context.Background(), `SELECT business_number, phone, type, region, cert_valid_until,
			shipping_fee, free_shipping_threshold, remote_surcharge FROM enterprises WHERE external_id = 'farm'`).
		Scan(&bn, &phone, &typ, &region, &validUntil, &fee, &free, &remote); err != nil {
		t.Fatal(err)
	}
	if bn != "2208162517" || phone != "054-870-1234" || typ != "cooperative" || region != "gyeongbuk" ||
		validUntil.Format("2006-01-02") != "2027-06-30" || fee != 3000 || free != 30000 || remote != 3000 {
		t.Errorf("enterprise = %s %s %s %s %v %d %d %d", bn, phone, typ, region, validUntil, fee, free, remote)
	}
	if n := count(t, pool, `SELECT count(*) FROM categories c JOIN categories p ON p.id = c.parent_id
		WHERE c.external_id = 'fruit' AND p.external_id = 'food'`); n != 1 {
		t.Error("fruit is not under food")
	}

	// Read back through the read store, as the web does.
	s := postgres.NewCatalogStore(pool)
	var id int64
	if err := pool.QueryRow(context.Background(), `SELECT id FROM products WHERE external_id = 'apple'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	p, err := s.FindProductByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "청송 꿀사과 5kg" || p.ConsumerPrice != 45000 || p.PublicPrice != 42000 || p.TaxType != catalog.Exempt ||
		p.Stock != 30 || p.Enterprise.ExternalID != "farm" || p.Category.ExternalID != "fruit" ||
		len(p.Options) != 2 || p.Options[0].Code != "mid" || p.Options[1].ExtraPrice != 5000 ||
		len(p.Images) != 1 || p.Images[0].URL != "/static/apple.svg" {
		t.Errorf("product = %+v", p)
	}
}

func TestImportBadFileWritesNothing(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	file := goodFile +
		`{"type":"product","id":"plum","enterprise":"farm","category":"fruit","kind":"goods","name":"자두","tax_type":"exempt","consumer_price":12000.5,"public_price":0,"stock":1}` + "\n" + // line 8
		`{"type":"product","id":"kiwi","enterprise":"nobody","category":"fruit","kind":"goods","name":"키위","tax_type":"exempt","consumer_price":12000,"public_price":11000,"stock":1}` + "\n" + // line 9
		`{"type":"enterprise","id":"bad","name":"나쁜기업","enterprise_type":"social_enterprise","business_number":"220-81-62518","region":"daegu","representative":"이"}` + "\n" // line 10
	_, err := importString(t, pool, file)
	var ie *catalog.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("Import = %v, want *ImportError", err)
	}
	var got []string
	for _, r := range ie.Rows {
		got = append(got, r.String())
	}
	want := []string{
		"line 8: consumer_price: 따옴표나 소수점 없는 정수여야 합니다 (must be a JSON integer (no quotes, no decimals))",
		"line 8: public_price: 가격은 1원 이상 1억원 이하로 입력해 주세요. (must be greater than 0)",
		`line 9: enterprise: 기업 "nobody"가 파일에도 데이터베이스에도 없습니다 (unknown enterprise "nobody" (neither in the file nor in the database))`,
		"line 10: business_number: 사업자등록번호가 올바르지 않습니다 (10자리, 마지막 자리는 검증번호). (invalid business registration number (10 digits, the last one a check digit))",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if apperr.Code(err) != apperr.Invalid {
		t.Errorf("code = %s, want invalid", apperr.Code(err))
	}
	for _, table := range []string{"categories", "enterprises", "products", "product_options", "product_images", "search_outbox"} {
		if n := count(t, pool, `SELECT count(*) FROM `+table); n != 0 {
			t.Errorf("%s has %d rows after a failed import", table, n)
		}
	}
}

func TestReimportUpdatesNeverDuplicates(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	if _, err := importString(t, pool, goodFile); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	clearOutbox := func() {
		if _, err := pool.Exec(ctx, `DELETE FROM search_outbox`); err != nil {
			t.Fatal(err)
		}
	}
	clearOutbox()
	var optionID int64
	var updatedAt time.Time
	if err := pool.QueryRow(ctx, `SELECT o.id, p.updated_at FROM product_options o JOIN products p ON p.id = o.product_id
		WHERE p.external_id = 'apple' AND o.code = 'large'`).Scan(&optionID, &updatedAt); err != nil {
		t.Fatal(err)
	}

	// The same file again changes nothing.
	stats, err := importString(t, pool, goodFile)
	if err != nil {
		t.Fatal(err)
	}
	want := catalog.ImportStats{Categories: catalog.ImportCounts{Unchanged: 2}, Enterprises: catalog.ImportCounts{Unchanged: 1},
		Products: catalog.ImportCounts{Unchanged: 2}}
	if stats != want {
		t.Errorf("same file again: stats = %+v, want %+v", stats, want)
	}
	if ob := outbox(t, pool); len(ob) != 0 {
		t.Errorf("same file again wrote outbox rows %v", ob)
	}

	// A new price updates the one product.
	changed := strings.Replace(goodFile, `"consumer_price":45000`, `"consumer_price":47000`, 1)
	stats, err = importString(t, pool, changed)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Products != (catalog.ImportCounts{Updated: 1, Unchanged: 1}) || stats.Enterprises.Updated != 0 {
		t.Errorf("price change: stats = %+v", stats)
	}
	if n := count(t, pool, `SELECT count(*) FROM products WHERE external_id = 'apple'`); n != 1 {
		t.Errorf("%d rows for apple", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM products WHERE external_id = 'apple' AND consumer_price = 47000 AND updated_at > $1`, updatedAt); n != 1 {
		t.Error("apple does not have the new price and a new updated_at")
	}
	if got := strings.Join(outbox(t, pool), " "); got != "product:apple" {
		t.Errorf("price change: outbox = %s", got)
	}
	clearOutbox()

	// Options alone: a changed stock keeps the option's id, a dropped option goes.
	changed = strings.Replace(changed, `"stock":30,"options":[{"code":"mid","name":"중과","stock":10},`, `"stock":25,"options":[`, 1)
	changed = strings.Replace(changed, `"extra_price":5000,"stock":20}`, `"extra_price":5000,"stock":25}`, 1)
	stats, err = importString(t, pool, changed)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Products != (catalog.ImportCounts{Updated: 1, Unchanged: 1}) {
		t.Errorf("option change: stats = %+v", stats)
	}
	if n := count(t, pool, `SELECT count(*) FROM product_options WHERE id = $1 AND stock = 25`, optionID); n != 1 {
		t.Error("the large option lost its id or its new stock")
	}
	if n := count(t, pool, `SELECT count(*) FROM product_options o JOIN products p ON p.id = o.product_id WHERE p.external_id = 'apple'`); n != 1 {
		t.Errorf("apple has %d options, want 1", n)
	}
	if got := strings.Join(outbox(t, pool), " "); got != "product:apple" {
		t.Errorf("option change: outbox = %s", got)
	}
	clearOutbox()

	// Images alone, on an otherwise unchanged product, also count as a change.
	changed = strings.Replace(changed, `"stock":0,"featured":true}`, `"stock":0,"featured":true,"images":[{"url":"/static/pear.svg"}]}`, 1)
	stats, err = importString(t, pool, changed)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Products != (catalog.ImportCounts{Updated: 1, Unchanged: 1}) {
		t.Errorf("image change: stats = %+v", stats)
	}
	if got := strings.Join(outbox(t, pool), " "); got != "product:pear" {
		t.Errorf("image change: outbox = %s", got)
	}
	for table, want := range map[string]int{"categories": 2, "enterprises": 1, "products": 2, "product_images": 2} {
		if n := count(t, pool, `SELECT count(*) FROM `+table); n != want {
			t.Errorf("%s has %d rows, want %d", table, n, want)
		}
	}
}

func TestImportRefersToWhatExists(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	if _, err := importString(t, pool, goodFile); err != nil {
		t.Fatal(err)
	}
	second := `{"type":"category","id":"veg","slug":"veg","name":"채소","parent":"food"}
{"type":"product","id":"onion","enterprise":"farm","category":"veg","kind":"goods","name":"햇양파 5kg","tax_type":"exempt","consumer_price":12000,"public_price":11000,"stock":5}
{"type":"product","id":"garlic","enterprise":"ghost","category":"veg","kind":"goods","name":"깐마늘","tax_type":"exempt","consumer_price":9000,"public_price":8000,"stock":5}
`
	_, err := importString(t, pool, second)
	var ie *catalog.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != 3 || ie.Rows[0].Field != "enterprise" {
		t.Fatalf("Import = %v", err)
	}
	second = strings.Replace(second, `"ghost"`, `"farm"`, 1)
	stats, err := importString(t, pool, second)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Categories.Created != 1 || stats.Products.Created != 2 {
		t.Errorf("stats = %+v", stats)
	}
	if n := count(t, pool, `SELECT count(*) FROM products p JOIN enterprises e ON e.id = p.enterprise_id WHERE e.external_id = 'farm'`); n != 4 {
		t.Errorf("farm has %d products, want 4", n)
	}
}

// A row that passes validation but breaks a database rule (here: a batch
// built by hand) rolls back everything and names its line.
func TestImportConstraintRollsBack(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	b := &catalog.Batch{
		Categories:  []catalog.CategoryRow{{Line: 1, Category: catalog.Category{ExternalID: "food", Slug: "food", Name: "식품"}}},
		Enterprises: []catalog.EnterpriseRow{{Line: 2, Enterprise: catalog.Enterprise{ExternalID: "e", Name: "기업", Type: "cooperative", BusinessNumber: "12345", Region: "daegu", Representative: "김", Status: "active"}}},
	}
	_, err := postgres.NewCatalogStore(pool).ImportCatalogue(context.Background(), b)
	var ie *catalog.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != 2 {
		t.Fatalf("ImportCatalogue = %v, want an ImportError on line 2", err)
	}
	for _, table := range []string{"categories", "enterprises", "search_outbox"} {
		if n := count(t, pool, `SELECT count(*) FROM `+table); n != 0 {
			t.Errorf("%s has %d rows after a rolled-back import", table, n)
		}
	}
}

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	want, err := catalog.Parse(bytes.NewReader(demo.Catalogue()), nil)
	if err != nil {
		t.Fatal(err)
	}
	stats := testutil.SeedDemo(t, pool)
	if stats.Categories.Created != len(want.Categories) || stats.Enterprises.Created != len(want.Enterprises) ||
		stats.Products.Created != len(want.Products) {
		t.Errorf("stats = %+v", stats)
	}
	if n := count(t, pool, `SELECT count(*) FROM products WHERE status = 'active'`); n < 600 {
		t.Errorf("%d active products, want >= 600", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM search_outbox`); n != len(want.Categories)+len(want.Enterprises)+len(want.Products) {
		t.Errorf("%d outbox rows", n)
	}
	for _, q := range []string{"사과", "세제", "청소", "김치", "도시락", "인쇄"} {
		if n := count(t, pool, `SELECT count(*) FROM products WHERE name LIKE '%' || $1 || '%'`, q); n < 3 {
			t.Errorf("%d products named with %q", n, q)
		}
	}
	// Seeding twice is harmless.
	stats = testutil.SeedDemo(t, pool)
	if stats.Products.Unchanged != len(want.Products) || stats.Products.Created+stats.Products.Updated != 0 {
		t.Errorf("second seed: stats = %+v", stats)
	}
}
