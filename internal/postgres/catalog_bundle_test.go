package postgres_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

type bundleEnv struct {
	pool     *pgxpool.Pool
	store    *postgres.CatalogStore
	bundles  *catalog.Bundles
	operator context.Context
	category int64
}

func newBundleEnv(t *testing.T) *bundleEnv {
	t.Helper()
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	ctx := context.Background()
	var uid, cat int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, role)
		VALUES ('op-bundle@example.kr', '운영자', '$argon2id$test', 'operator') RETURNING id`).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT id FROM categories ORDER BY id LIMIT 1`).Scan(&cat); err != nil {
		t.Fatal(err)
	}
	store := postgres.NewCatalogStore(pool)
	return &bundleEnv{pool: pool, store: store, bundles: &catalog.Bundles{Store: store},
		operator: account.NewContext(ctx, &account.Actor{UserID: uid, Name: "운영자", Role: account.Operator}), category: cat}
}

func (e *bundleEnv) scalar(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// plain finds an active goods product without options, not of enterprise
// skip, with stock set to stock, and its enterprise.
func (e *bundleEnv) plain(t *testing.T, stock int, skip int64) (int64, int64) {
	t.Helper()
	var id, ent int64
	err := e.pool.QueryRow(context.Background(), `SELECT p.id, p.enterprise_id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods' AND p.enterprise_id <> $1
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) ORDER BY p.id LIMIT 1`, skip).Scan(&id, &ent)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(context.Background(), `UPDATE products SET stock = $2 WHERE id = $1`, id, stock); err != nil {
		t.Fatal(err)
	}
	return id, ent
}

func (e *bundleEnv) input(parts ...catalog.BundlePart) catalog.BundleInput {
	var sum int64
	for _, p := range parts {
		sum += p.Share
	}
	return catalog.BundleInput{Name: "명절 선물세트", Summary: "세 기업의 선물", CategoryID: e.category, Price: sum, Publish: true, Parts: parts}
}

func TestBundleStockSearchAndFrozenPrice(t *testing.T) {
	t.Parallel()
	e := newBundleEnv(t)
	ctx := context.Background()
	a, entA := e.plain(t, 9, 0)
	b, _ := e.plain(t, 40, entA)
	var withOpt, opt int64
	var optStock int
	if err := e.pool.QueryRow(ctx, `SELECT o.product_id, o.id, o.stock FROM product_options o JOIN products p ON p.id = o.product_id
		JOIN enterprises en ON en.id = p.enterprise_id
		WHERE p.status = 'active' AND en.status = 'active' AND p.kind = 'goods' AND o.stock > 0 ORDER BY o.id LIMIT 1`).Scan(&withOpt, &opt, &optStock); err != nil {
		t.Fatal(err)
	}
	bun, err := e.bundles.Create(e.operator, e.input(
		catalog.BundlePart{ProductID: a, Quantity: 3, Share: 9000},
		catalog.BundlePart{ProductID: b, Quantity: 4, Share: 8000},
		catalog.BundlePart{ProductID: withOpt, OptionID: opt, Quantity: 1, Share: 5000}))
	if err != nil {
		t.Fatal(err)
	}
	id := bun.Product.ID
	want := min(9/3, 40/4, optStock)
	if bun.Product.EnterpriseID != entA || bun.Product.ConsumerPrice != 22000 || bun.Product.Stock != want {
		t.Errorf("bundle product %+v; want enterprise %d, 22000원, stock %d", bun.Product, entA, want)
	}
	// The product page reads the stock its parts allow.
	p, err := e.store.FindProductByID(ctx, id)
	if err != nil || p.Stock != want {
		t.Fatalf("FindProductByID = %+v, %v; want stock %d", p, err, want)
	}
	got, err := e.bundles.Find(ctx, id)
	if err != nil || len(got.Parts) != 3 || got.Parts[2].OptionName == "" || len(got.Enterprises()) < 2 {
		t.Fatalf("Find = %+v, %v; want 3 parts (the last with its option) of at least 2 enterprises", got, err)
	}
	// The cart's finder gives the parts and the same stock.
	cp, err := e.store.FindCartProducts(ctx, []int64{id})
	if err != nil || cp[id] == nil || len(cp[id].Parts) != 3 || cp[id].Stock != want {
		t.Fatalf("FindCartProducts = %+v, %v", cp[id], err)
	}

	// A part's stock change queues the bundle for the search index too.
	if _, err := e.pool.Exec(ctx, `DELETE FROM search_outbox`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `INSERT INTO search_outbox (entity, entity_id) VALUES ('product', $1)`, a); err != nil {
		t.Fatal(err)
	}
	if n := e.scalar(t, `SELECT count(*) FROM search_outbox WHERE entity = 'product' AND entity_id = $1`, id); n != 1 {
		t.Errorf("bundle outbox rows after its part changed = %d, want 1", n)
	}
	if _, err := e.pool.Exec(ctx, `UPDATE products SET stock = 2 WHERE id = $1`, a); err != nil {
		t.Fatal(err)
	}
	if p, _ := e.store.FindProductByID(ctx, id); p == nil || p.Stock != 0 {
		t.Errorf("with 2 of a part needing 3, stock = %+v; want 0", p)
	}

	// Generic product screens neither find nor change a bundle; its price
	// is fixed in the schema.
	if _, err := e.store.FindManagedProduct(ctx, id, 0); apperr.Code(err) != apperr.NotFound {
		t.Errorf("FindManagedProduct(bundle) = %v, want NotFound", err)
	}
	list, _, err := e.store.FindManagedProducts(ctx, catalog.ManagedProductFilter{EnterpriseID: entA, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.ID == id {
			t.Error("the portal's product list shows the bundle to its 대표 기업")
		}
	}
	if _, err := e.pool.Exec(ctx, `UPDATE products SET consumer_price = 1000 WHERE id = $1`, id); err == nil {
		t.Error("a bundle's price changed; its shares no longer sum to it")
	}
	// A bundle cannot be a part.
	_, err = e.bundles.Create(e.operator, e.input(
		catalog.BundlePart{ProductID: id, Quantity: 1, Share: 1000}, catalog.BundlePart{ProductID: b, Quantity: 1, Share: 1000}))
	if fe := fieldErr(err, "part_1_product"); !strings.Contains(fe, "찾을 수 없습니다") {
		t.Errorf("bundle as a part: %v", err)
	}

	// Taking it off sale and back, operator only.
	if err := e.bundles.SetStatus(e.operator, id, catalog.StatusHidden); err != nil {
		t.Fatal(err)
	}
	if _, err := e.bundles.Find(ctx, id); apperr.Code(err) != apperr.NotFound {
		t.Errorf("Find(hidden bundle) = %v, want NotFound", err)
	}
	if err := e.bundles.SetStatus(staffCtx(entA), id, catalog.StatusActive); apperr.Code(err) != apperr.NotFound {
		t.Errorf("SetStatus by the enterprise = %v, want NotFound", err)
	}
	if err := e.bundles.SetStatus(e.operator, id, catalog.StatusDraft); apperr.Code(err) != apperr.Invalid {
		t.Errorf("SetStatus(draft) = %v, want Invalid", err)
	}
}

// The reservation itself refuses a line that claims a share the bundle
// does not pay (a forged or stale order), and reserves nothing.
func TestReserveChecksBundleShare(t *testing.T) {
	t.Parallel()
	e := newBundleEnv(t)
	ctx := context.Background()
	a, entA := e.plain(t, 10, 0)
	b, _ := e.plain(t, 10, entA)
	bun, err := e.bundles.Create(e.operator, e.input(
		catalog.BundlePart{ProductID: a, Quantity: 1, Share: 7000}, catalog.BundlePart{ProductID: b, Quantity: 1, Share: 3000}))
	if err != nil {
		t.Fatal(err)
	}
	o := &order.Order{CheckoutKey: "forged-bundle-checkout-key", Number: "D261130-ABCDEFGHJK", Status: order.PendingPayment,
		SubOrders: []*order.SubOrder{{EnterpriseID: entA, Status: order.SubPendingPayment,
			Lines: []order.Line{{ProductID: a, Quantity: 1, UnitPrice: 1, LineTotal: 1, BundleProductID: bun.Product.ID}}}}}
	_, _, err = postgres.NewOrderStore(e.pool).CreateOrder(ctx, o, 0)
	if apperr.Code(err) != apperr.Conflict {
		t.Fatalf("CreateOrder with a wrong share = %v, want Conflict", err)
	}
	if n := e.scalar(t, `SELECT stock FROM products WHERE id = $1`, a); n != 10 {
		t.Errorf("stock = %d after a refused reservation, want 10", n)
	}
}

func TestCreateBundleRefusals(t *testing.T) {
	t.Parallel()
	e := newBundleEnv(t)
	a, entA := e.plain(t, 10, 0)
	b, _ := e.plain(t, 10, entA)
	var withOpt int64
	if err := e.pool.QueryRow(context.Background(), `SELECT product_id FROM product_options ORDER BY id LIMIT 1`).Scan(&withOpt); err != nil {
		t.Fatal(err)
	}
	good := e.input(catalog.BundlePart{ProductID: a, Quantity: 1, Share: 7000}, catalog.BundlePart{ProductID: b, Quantity: 2, Share: 3000})
	for _, c := range []struct {
		name string
		ctx  context.Context
		in   func() catalog.BundleInput
		code string
		say  string
	}{
		{"anonymous", context.Background(), func() catalog.BundleInput { return good }, apperr.Unauthorized, ""},
		{"enterprise staff", staffCtx(entA), func() catalog.BundleInput { return good }, apperr.NotFound, ""},
		{"consumer", account.NewContext(context.Background(), &account.Actor{UserID: 1, Role: account.Consumer}),
			func() catalog.BundleInput { return good }, apperr.NotFound, ""},
		{"shares do not sum", e.operator, func() catalog.BundleInput { in := good; in.Price = 10001; return in }, apperr.Invalid,
			"구성품 몫의 합계 10,000원이 판매가 10,001원과 같아야 합니다"},
		{"option needed", e.operator, func() catalog.BundleInput {
			in := good
			in.Parts = []catalog.BundlePart{in.Parts[0], {ProductID: withOpt, Quantity: 1, Share: 3000}}
			in.Price = 10000
			return in
		}, apperr.Invalid, "옵션 번호를 입력해 주세요"},
		{"unknown product", e.operator, func() catalog.BundleInput {
			in := good
			in.Parts = []catalog.BundlePart{in.Parts[0], {ProductID: 999999, Quantity: 1, Share: 3000}}
			in.Price = 10000
			return in
		}, apperr.Invalid, "찾을 수 없습니다"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.bundles.Create(c.ctx, c.in())
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != c.code {
				t.Fatalf("Create = %v, want %s", err, c.code)
			}
			all := ae.Message
			for _, v := range ae.Fields {
				all += " " + v
			}
			if !strings.Contains(all, c.say) {
				t.Errorf("messages %q do not say %q", all, c.say)
			}
		})
	}
	if n := e.scalar(t, `SELECT count(*) FROM bundles`); n != 0 {
		t.Errorf("%d bundles written by refused creations", n)
	}
	if n := e.scalar(t, `SELECT count(*) FROM products WHERE external_id LIKE 'bundle-%'`); n != 0 {
		t.Errorf("%d bundle products written by refused creations", n)
	}
}

func fieldErr(err error, field string) string {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Fields[field]
	}
	return ""
}

func staffCtx(enterprise int64) context.Context {
	return account.NewContext(context.Background(), &account.Actor{UserID: 900000 + enterprise, Name: "직원",
		Role: account.EnterpriseStaff, EnterpriseID: enterprise, EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Staff})
}

// A bundle's creation and status changes are audited in their own
// transactions; a refusal leaves no record, and a record that cannot be
// written leaves no change.
func TestBundleAudit(t *testing.T) {
	t.Parallel()
	e := newBundleEnv(t)
	e.bundles.Auditor = testutil.Auditor(t, e.pool)
	a, entA := e.plain(t, 10, 0)
	b, _ := e.plain(t, 10, entA)
	in := e.input(catalog.BundlePart{ProductID: a, Quantity: 1, Share: 7000}, catalog.BundlePart{ProductID: b, Quantity: 1, Share: 3000})
	bun, err := e.bundles.Create(e.operator, in)
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(bun.Product.ID, 10)
	recs := testutil.AuditRecords(t, e.pool, catalog.EntityBundle, id)
	if len(recs) != 1 || recs[0].Action != catalog.ActionBundleCreate || recs[0].ActorRole != string(account.Operator) ||
		recs[0].ActorUserID == 0 || recs[0].EnterpriseID != entA || !strings.Contains(string(recs[0].After), `"name": "명절 선물세트"`) {
		t.Fatalf("records after create = %+v", recs)
	}

	if _, err := e.bundles.Create(e.operator, in); apperr.Code(err) != apperr.Conflict {
		t.Fatalf("the same name again = %v, want Conflict", err)
	}
	if err := e.bundles.SetStatus(e.operator, bun.Product.ID, catalog.StatusHidden); err != nil {
		t.Fatal(err)
	}
	if err := e.bundles.SetStatus(e.operator, bun.Product.ID, catalog.StatusHidden); err != nil { // no change, no record
		t.Fatal(err)
	}
	if err := e.bundles.SetStatus(staffCtx(entA), bun.Product.ID, catalog.StatusActive); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("SetStatus by the enterprise = %v", err)
	}
	recs = testutil.AuditRecords(t, e.pool, catalog.EntityBundle, "")
	if len(recs) != 2 || recs[1].Action != catalog.ActionBundleStatus ||
		string(recs[1].Before) != `{"status": "active"}` || string(recs[1].After) != `{"status": "hidden"}` {
		t.Fatalf("records = %+v", recs)
	}

	broken := &catalog.Bundles{Store: e.store, Auditor: testutil.BrokenAuditor{}}
	in.Name = "기록 없는 선물세트"
	if _, err := broken.Create(e.operator, in); err == nil {
		t.Error("Create without its record succeeded")
	}
	if n := e.scalar(t, `SELECT count(*) FROM products WHERE name = $1`, in.Name); n != 0 {
		t.Errorf("%d bundles created without their record", n)
	}
	if err := broken.SetStatus(e.operator, bun.Product.ID, catalog.StatusActive); err == nil {
		t.Error("SetStatus without its record succeeded")
	}
	if n := e.scalar(t, `SELECT count(*) FROM products WHERE id = $1 AND status = 'hidden'`, bun.Product.ID); n != 1 {
		t.Error("the bundle went on sale without its record")
	}
	if n := len(testutil.AuditRecords(t, e.pool, catalog.EntityBundle, "")); n != 2 {
		t.Errorf("%d bundle records, want 2", n)
	}
}
