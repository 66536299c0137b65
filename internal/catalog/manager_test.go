package catalog_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

// world is one test's catalogue: the search fixture in a fresh database and
// a Manager on it. Enterprise A (청송사과마을) sells Apple, AppleJuice and the
// hidden AppleHidden; B (푸른살림협동조합) sells DishSoap and Toothbrush.
type world struct {
	pool  *pgxpool.Pool
	fx    *testutil.SearchFixture
	m     *catalog.Manager
	audit *auditLog
	a, b  int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	pool := testutil.NewDB(t)
	fx := testutil.SeedSearchFixture(t, pool)
	return &world{pool: pool, fx: fx, audit: &auditLog{pool: pool},
		m: &catalog.Manager{Store: postgres.NewCatalogStore(pool), Auditor: testutil.Auditor(t, pool)},
		a: fx.Enterprises["apple_village"], b: fx.Enterprises["green_coop"]}
}

// auditLog reads the records the writes left in the database's audit log
// as "action entity:id" lines, oldest first.
type auditLog struct {
	pool *pgxpool.Pool
	seen int64 // the last record taken
	last struct{ before, after json.RawMessage }
}

// take returns the records written since the last take; one without an
// actor fails the test.
func (l *auditLog) take(t *testing.T) []string {
	t.Helper()
	rows, err := l.pool.Query(context.Background(), `SELECT id, action, entity, entity_id, actor_role, before, after
		FROM audit_log WHERE id > $1 ORDER BY id`, l.seen)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var action, entity, id, role string
		if err := rows.Scan(&l.seen, &action, &entity, &id, &role, &l.last.before, &l.last.after); err != nil {
			t.Fatal(err)
		}
		if role == account.SystemActor {
			t.Errorf("%s %s:%s recorded without an actor", action, entity, id)
		}
		out = append(out, fmt.Sprintf("%s %s:%s", action, entity, id))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func member(enterpriseID int64) context.Context {
	return account.NewContext(context.Background(), &account.Actor{UserID: 100 + enterpriseID, Role: account.EnterpriseStaff,
		EnterpriseID: enterpriseID, EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Staff})
}

func operator() context.Context {
	return account.NewContext(context.Background(), &account.Actor{UserID: 1, Role: account.Operator})
}

func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func (w *world) outbox(t *testing.T) int { return w.count(t, `SELECT count(*) FROM search_outbox`) }

func (w *world) status(t *testing.T, id int64) string {
	t.Helper()
	var s string
	if err := w.pool.QueryRow(context.Background(), `SELECT status FROM products WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// newProduct is a valid product of enterprise for CreateProduct.
func (w *world) newProduct(enterprise int64, name string) *catalog.Product {
	return &catalog.Product{EnterpriseID: enterprise, CategoryID: w.fx.Categories["fruit"], Kind: catalog.Goods, Name: name,
		TaxType: catalog.Exempt, ConsumerPrice: 20000, PublicPrice: 18000, Stock: 5, Unit: "박스"}
}

func (w *world) create(t *testing.T, ctx context.Context, p *catalog.Product) *catalog.Product {
	t.Helper()
	if err := w.m.CreateProduct(ctx, p); err != nil {
		t.Fatalf("CreateProduct(%q): %v", p.Name, err)
	}
	return p
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if apperr.Code(err) != code {
		t.Errorf("%s: error %v (code %q), want %s", what, err, apperr.Code(err), code)
	}
}

func wantField(t *testing.T, what string, err error, code, field, msg string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != code || e.Fields[field] != msg {
		t.Errorf("%s: error %#v, want %s with Fields[%q] = %q", what, err, code, field, msg)
	}
}

// Every portal write on another enterprise's product answers as if it did not
// exist, anonymous actors must sign in, and operator-only methods are not
// there for members; none of them changes anything.
func TestManagerAuthorisation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	apple := w.fx.Products["Apple"]
	outbox := w.outbox(t)
	fruit := w.fx.Categories["fruit"]
	update := catalog.ProductUpdate{CategoryID: fruit, Kind: catalog.Goods, Name: "바뀐 이름", TaxType: catalog.Exempt,
		ConsumerPrice: 1000, PublicPrice: 1000, Stock: 1}
	portal := []struct {
		name string
		call func(ctx context.Context, id int64) error
	}{
		{"UpdateProduct", func(ctx context.Context, id int64) error { _, err := w.m.UpdateProduct(ctx, id, update); return err }},
		{"SetStock", func(ctx context.Context, id int64) error {
			_, err := w.m.SetStock(ctx, id, catalog.StockUpdate{Stock: 1})
			return err
		}},
		{"SetStatus", func(ctx context.Context, id int64) error {
			_, err := w.m.SetStatus(ctx, id, catalog.StatusDraft)
			return err
		}},
		{"MarkSoldOut", func(ctx context.Context, id int64) error { _, err := w.m.MarkSoldOut(ctx, id); return err }},
		{"DeleteProduct", func(ctx context.Context, id int64) error { _, err := w.m.DeleteProduct(ctx, id); return err }},
		{"FindPortalProduct", func(ctx context.Context, id int64) error { _, err := w.m.FindPortalProduct(ctx, id); return err }},
	}
	for _, op := range portal {
		t.Run(op.name, func(t *testing.T) {
			missing := op.call(member(w.a), 1<<40)
			wantCode(t, "a product that does not exist", missing, apperr.NotFound)
			other := op.call(member(w.b), apple)
			wantCode(t, "another enterprise's product", other, apperr.NotFound)
			if apperr.Message(other) != apperr.Message(missing) {
				t.Errorf("another enterprise's product says %q, a missing one %q", apperr.Message(other), apperr.Message(missing))
			}
			wantCode(t, "anonymous", op.call(context.Background(), apple), apperr.Unauthorized)
			consumer := account.NewContext(context.Background(), &account.Actor{UserID: 5, Role: account.Consumer})
			wantCode(t, "a consumer", op.call(consumer, apple), apperr.Forbidden)
		})
	}
	t.Run("CreateProduct", func(t *testing.T) {
		wantCode(t, "for another enterprise", w.m.CreateProduct(member(w.b), w.newProduct(w.a, "남의 상품")), apperr.NotFound)
		wantCode(t, "anonymous", w.m.CreateProduct(context.Background(), w.newProduct(w.a, "익명 상품")), apperr.Unauthorized)
	})
	t.Run("suspended enterprise's member", func(t *testing.T) {
		ctx := account.NewContext(context.Background(), &account.Actor{UserID: 9, Role: account.EnterpriseStaff,
			EnterpriseID: w.a, EnterpriseStatus: account.EnterpriseSuspended})
		_, err := w.m.SetStock(ctx, apple, catalog.StockUpdate{Stock: 1})
		wantCode(t, "SetStock", err, apperr.Forbidden)
	})

	operatorOnly := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"HideProduct", func(ctx context.Context) error { _, err := w.m.HideProduct(ctx, apple); return err }},
		{"UnhideProduct", func(ctx context.Context) error {
			_, err := w.m.UnhideProduct(ctx, w.fx.Products["AppleHidden"])
			return err
		}},
		{"ApproveProduct", func(ctx context.Context) error { _, err := w.m.ApproveProduct(ctx, apple); return err }},
		{"FindAllProducts", func(ctx context.Context) error {
			_, _, err := w.m.FindAllProducts(ctx, catalog.ManagedProductFilter{})
			return err
		}},
		{"SetProductReview", func(ctx context.Context) error { _, err := w.m.SetProductReview(ctx, w.a, true); return err }},
		{"FindAllEnterprises", func(ctx context.Context) error {
			_, _, err := w.m.FindAllEnterprises(ctx, catalog.ManagedEnterpriseFilter{})
			return err
		}},
	}
	for _, op := range operatorOnly {
		t.Run(op.name, func(t *testing.T) {
			wantCode(t, "the enterprise's own member", op.call(member(w.a)), apperr.NotFound)
			wantCode(t, "anonymous", op.call(context.Background()), apperr.Unauthorized)
		})
	}

	if n := w.outbox(t); n != outbox {
		t.Errorf("outbox went from %d to %d rows: a refused call wrote", outbox, n)
	}
	if n := w.count(t, `SELECT count(*) FROM products WHERE updated_at <> created_at OR status NOT IN ('active', 'hidden')`); n != 0 {
		t.Errorf("%d products changed", n)
	}
	if n := w.count(t, `SELECT count(*) FROM enterprises WHERE review_products OR status <> 'active'`); n != 1 { // moon_craft is suspended
		t.Errorf("%d enterprises not active or reviewed, want 1", n)
	}
	if got := w.audit.take(t); len(got) != 0 {
		t.Errorf("audit records for refused calls: %v", got)
	}

	// An operator acting on behalf of A may do what A's members do.
	onBehalf := account.NewContext(context.Background(), &account.Actor{UserID: 1, Role: account.Operator, EnterpriseID: w.a, OnBehalf: true})
	if _, err := w.m.SetStock(onBehalf, apple, catalog.StockUpdate{Stock: 7}); err != nil {
		t.Errorf("operator on behalf of A: %v", err)
	}
}

func TestCreateProduct(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := member(w.a)
	outbox := w.outbox(t)

	p := w.newProduct(w.a, "  홍로 사과 3kg ")
	p.Code = "A-100"
	p.Options = []catalog.Option{{Name: "소과", Stock: 2}, {Name: "대과", ExtraPrice: 4000, Stock: 3}}
	p.Images = []catalog.Image{{URL: "/media/u/a.jpg", Alt: "사과"}}
	p.Featured, p.Popularity = true, 99
	w.create(t, ctx, p)
	if p.ID == 0 || !strings.HasPrefix(p.ExternalID, "web-") || p.Name != "홍로 사과 3kg" || p.Status != catalog.StatusActive || p.Stock != 5 {
		t.Errorf("created = %+v", p)
	}
	got, err := w.m.FindPortalProduct(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Code != "A-100" || got.Featured || got.Popularity != 0 || len(got.Options) != 2 || got.Options[0].Code != "opt1" ||
		got.Options[1].Code != "opt2" || got.Options[1].ExtraPrice != 4000 || got.Options[0].ID == 0 || len(got.Images) != 1 || got.Category == nil {
		t.Errorf("read back = %+v", got)
	}
	if n := w.outbox(t); n != outbox+1 {
		t.Errorf("outbox grew by %d, want 1", n-outbox)
	}
	if a := w.audit.take(t); !slices.Equal(a, []string{fmt.Sprintf("product.create product:%d", p.ID)}) {
		t.Errorf("audit = %v", a)
	}

	t.Run("draft", func(t *testing.T) {
		d := w.newProduct(w.a, "초안 상품")
		d.Status = catalog.StatusDraft
		w.create(t, ctx, d)
		if w.status(t, d.ID) != catalog.StatusDraft {
			t.Errorf("status = %s", w.status(t, d.ID))
		}
	})
	t.Run("duplicate name", func(t *testing.T) {
		err := w.m.CreateProduct(ctx, w.newProduct(w.a, "홍로 사과 3kg"))
		wantField(t, "same name, same enterprise", err, apperr.Conflict, "name", "같은 이름의 상품이 이미 있습니다.")
		err = w.m.CreateProduct(ctx, w.newProduct(w.a, "청송 꿀사과 5kg")) // the fixture's
		wantField(t, "an imported product's name", err, apperr.Conflict, "name", "같은 이름의 상품이 이미 있습니다.")
		w.create(t, member(w.b), w.newProduct(w.b, "홍로 사과 3kg")) // another enterprise may
	})
	t.Run("duplicate code", func(t *testing.T) {
		q := w.newProduct(w.a, "다른 사과")
		q.Code = "A-100"
		wantField(t, "same code", w.m.CreateProduct(ctx, q), apperr.Conflict, "code", "같은 상품코드가 이미 있습니다.")
	})
	t.Run("validation", func(t *testing.T) {
		q := w.newProduct(w.a, "")
		q.ConsumerPrice, q.Stock = 0, -1
		err := w.m.CreateProduct(ctx, q)
		wantField(t, "price", err, apperr.Invalid, "consumer_price", "가격은 1원 이상 1억원 이하로 입력해 주세요.")
		wantField(t, "name", err, apperr.Invalid, "name", "상품명을 입력해 주세요.")
		wantField(t, "stock", err, apperr.Invalid, "stock", "재고는 0 이상 1,000,000 이하로 입력해 주세요.")
		q = w.newProduct(w.a, "없는 카테고리")
		q.CategoryID = 1 << 40
		wantField(t, "category", w.m.CreateProduct(ctx, q), apperr.Invalid, "category_id", "카테고리를 다시 선택해 주세요.")
		q = w.newProduct(w.a, "숨김으로")
		q.Status = catalog.StatusHidden
		wantField(t, "status", w.m.CreateProduct(ctx, q), apperr.Invalid, "status", "판매 상태는 판매중 또는 판매중지 중 하나여야 합니다.")
	})
}

func TestUpdateProduct(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := member(w.a)
	p := w.newProduct(w.a, "사과 선물세트")
	p.Options = []catalog.Option{{Code: "s", Name: "소", Stock: 1}, {Code: "m", Name: "중", Stock: 2}, {Code: "l", Name: "대", Stock: 3}}
	w.create(t, ctx, p)
	w.audit.take(t)
	outbox := w.outbox(t)
	small, large := p.Options[0], p.Options[2]

	upd := catalog.ProductUpdate{CategoryID: w.fx.Categories["processed"], Kind: catalog.Goods, Name: "사과 선물세트 특",
		Code: "GIFT-1", Summary: "요약", Description: "설명\r\n두 줄", Unit: "세트", TaxType: catalog.Taxable,
		ConsumerPrice: 55000, PublicPrice: 50000,
		Options: []catalog.Option{{ID: large.ID, Code: "l", Name: "대", ExtraPrice: 5000, Stock: 4}, {Name: "특대", ExtraPrice: 9000, Stock: 6},
			{ID: small.ID, Code: "s", Name: "소", Stock: 0}},
		Images: []catalog.Image{{URL: "/img/1.jpg", Alt: "하나"}, {URL: "/img/2.jpg"}}}
	got, err := w.m.UpdateProduct(ctx, p.ID, upd)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "사과 선물세트 특" || got.Code != "GIFT-1" || got.Description != "설명\n두 줄" || got.TaxType != catalog.Taxable ||
		got.CategoryID != w.fx.Categories["processed"] || got.Stock != 10 || got.Status != catalog.StatusActive || len(got.Images) != 2 {
		t.Errorf("updated = %+v", got)
	}
	want := []catalog.Option{{ID: large.ID, Code: "l", Name: "대", ExtraPrice: 5000, Stock: 4}, {Code: "opt1", Name: "특대", ExtraPrice: 9000, Stock: 6},
		{ID: small.ID, Code: "s", Name: "소", Stock: 0}}
	if len(got.Options) != 3 || got.Options[1].ID == 0 {
		t.Fatalf("options = %+v", got.Options)
	}
	want[1].ID = got.Options[1].ID
	if !slices.Equal(got.Options, want) {
		t.Errorf("options = %+v\nwant      %+v", got.Options, want)
	}
	if n := w.count(t, `SELECT count(*) FROM product_options WHERE product_id = $1`, p.ID); n != 3 {
		t.Errorf("%d option rows, want 3 (중 removed)", n)
	}
	if n := w.outbox(t); n != outbox+1 {
		t.Errorf("outbox grew by %d, want 1", n-outbox)
	}
	if a := w.audit.take(t); len(a) != 1 || a[0] != fmt.Sprintf("product.update product:%d", p.ID) {
		t.Errorf("audit = %v", a)
	}
	var before, after catalog.Product
	if err := json.Unmarshal(w.audit.last.before, &before); err != nil || before.Name != "사과 선물세트" {
		t.Errorf("audit before = %s (%v)", w.audit.last.before, err)
	}
	if err := json.Unmarshal(w.audit.last.after, &after); err != nil || after.Name != "사과 선물세트 특" || len(after.Options) != 3 || after.Options[1].ID == 0 {
		t.Errorf("audit after = %s (%v)", w.audit.last.after, err)
	}

	// The same edit again (the form now knows the new option's id) changes
	// nothing: no write, no outbox row, no audit.
	upd.Options = got.Options
	if _, err := w.m.UpdateProduct(ctx, p.ID, upd); err != nil {
		t.Fatal(err)
	}
	if n := w.outbox(t); n != outbox+1 {
		t.Errorf("an edit that changes nothing queued an outbox row")
	}
	if a := w.audit.take(t); len(a) != 0 {
		t.Errorf("an edit that changes nothing was audited: %v", a)
	}

	// An option of another product is refused.
	other := w.create(t, ctx, &catalog.Product{EnterpriseID: w.a, CategoryID: w.fx.Categories["fruit"], Kind: catalog.Goods, Name: "다른 상품",
		TaxType: catalog.Exempt, ConsumerPrice: 1000, PublicPrice: 1000, Options: []catalog.Option{{Name: "하나", Stock: 1}}})
	bad := upd
	bad.Options = []catalog.Option{{ID: other.Options[0].ID, Code: "x", Name: "훔친 옵션", Stock: 1}}
	_, err = w.m.UpdateProduct(ctx, p.ID, bad)
	wantCode(t, "another product's option", err, apperr.Invalid)
	bad = upd
	bad.Name = "다른 상품"
	_, err = w.m.UpdateProduct(ctx, p.ID, bad)
	wantField(t, "renamed onto another product", err, apperr.Conflict, "name", catalog.MsgNameTaken)
}

func TestSetStock(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := member(w.a)
	apple := w.fx.Products["Apple"]
	_, err := w.m.SetStock(ctx, apple, catalog.StockUpdate{Stock: -1})
	wantField(t, "negative stock", err, apperr.Invalid, "stock", "재고는 0 이상 1,000,000 이하로 입력해 주세요.")
	_, err = w.m.SetStock(ctx, apple, catalog.StockUpdate{Stock: 1_000_001})
	wantField(t, "too much stock", err, apperr.Invalid, "stock", "재고는 0 이상 1,000,000 이하로 입력해 주세요.")
	if got, err := w.m.SetStock(ctx, apple, catalog.StockUpdate{Stock: 0}); err != nil || got.Stock != 0 {
		t.Fatalf("SetStock 0 = %v, %v", got, err)
	}

	p := w.newProduct(w.a, "옵션 상품")
	p.Options = []catalog.Option{{Name: "소", Stock: 1}, {Name: "대", Stock: 2}}
	w.create(t, ctx, p)
	_, err = w.m.SetStock(ctx, p.ID, catalog.StockUpdate{Options: []catalog.OptionStock{{ID: p.Options[1].ID, Stock: -5}}})
	wantField(t, "negative option stock", err, apperr.Invalid, "options[1].stock", "재고는 0 이상 1,000,000 이하로 입력해 주세요.")
	_, err = w.m.SetStock(ctx, p.ID, catalog.StockUpdate{Stock: 4})
	wantCode(t, "product stock of a product with options", err, apperr.Invalid)
	got, err := w.m.SetStock(ctx, p.ID, catalog.StockUpdate{Options: []catalog.OptionStock{{ID: p.Options[1].ID, Stock: 7}}})
	if err != nil || got.Stock != 8 || got.Options[0].Stock != 1 || got.Options[1].Stock != 7 {
		t.Fatalf("SetStock = %+v, %v", got, err)
	}
	if n := w.count(t, `SELECT stock FROM products WHERE id = $1`, p.ID); n != 8 {
		t.Errorf("stored stock = %d", n)
	}
	got, err = w.m.MarkSoldOut(ctx, p.ID)
	if err != nil || got.Stock != 0 || got.Options[0].Stock != 0 || got.Options[1].Stock != 0 {
		t.Fatalf("MarkSoldOut = %+v, %v", got, err)
	}
	if n := w.count(t, `SELECT coalesce(sum(stock), 0) FROM product_options WHERE product_id = $1`, p.ID); n != 0 {
		t.Errorf("option stock after MarkSoldOut = %d", n)
	}
}

func TestStatusRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, op := member(w.a), operator()
	apple := w.fx.Products["Apple"]

	if p, err := w.m.SetStatus(ctx, apple, catalog.StatusDraft); err != nil || p.Status != catalog.StatusDraft {
		t.Fatalf("unpublish = %v, %v", p, err)
	}
	if p, err := w.m.SetStatus(ctx, apple, catalog.StatusActive); err != nil || p.Status != catalog.StatusActive {
		t.Fatalf("publish = %v, %v", p, err)
	}
	_, err := w.m.SetStatus(ctx, apple, catalog.StatusHidden)
	wantCode(t, "SetStatus hidden", err, apperr.Invalid)

	// The operator hides it; the enterprise cannot bring it back.
	if p, err := w.m.HideProduct(op, apple); err != nil || p.Status != catalog.StatusHidden {
		t.Fatalf("HideProduct = %v, %v", p, err)
	}
	_, err = w.m.SetStatus(ctx, apple, catalog.StatusActive)
	wantCode(t, "publish a hidden product", err, apperr.Forbidden)
	_, err = w.m.SetStatus(ctx, apple, catalog.StatusDraft)
	wantCode(t, "unpublish a hidden product", err, apperr.Forbidden)
	if p, err := w.m.SetStock(ctx, apple, catalog.StockUpdate{Stock: 3}); err != nil || p.Status != catalog.StatusHidden {
		t.Errorf("stock of a hidden product = %v, %v", p, err)
	}
	_, err = w.m.ApproveProduct(op, apple)
	wantCode(t, "approve a hidden product", err, apperr.Conflict)
	if p, err := w.m.UnhideProduct(op, apple); err != nil || p.Status != catalog.StatusActive {
		t.Fatalf("UnhideProduct = %v, %v", p, err)
	}
	_, err = w.m.UnhideProduct(op, apple)
	wantCode(t, "unhide a shown product", err, apperr.Conflict)

	// Review: publishing waits for an operator, and so does an edit.
	if e, err := w.m.SetProductReview(op, w.a, true); err != nil || !e.ReviewProducts {
		t.Fatalf("SetProductReview = %v, %v", e, err)
	}
	p := w.newProduct(w.a, "검토 받을 상품")
	w.create(t, ctx, p)
	if p.Status != catalog.StatusPendingReview {
		t.Errorf("created under review: %s", p.Status)
	}
	if got, _ := w.m.SetStatus(ctx, p.ID, catalog.StatusActive); got.Status != catalog.StatusPendingReview {
		t.Errorf("publishing a pending product: %s", got.Status)
	}
	if got, err := w.m.ApproveProduct(op, p.ID); err != nil || got.Status != catalog.StatusActive {
		t.Fatalf("ApproveProduct = %v, %v", got, err)
	}
	if got, _ := w.m.SetStock(ctx, p.ID, catalog.StockUpdate{Stock: 9}); got.Status != catalog.StatusActive {
		t.Errorf("a stock change sent it to review: %s", got.Status)
	}
	upd := catalog.ProductUpdate{CategoryID: p.CategoryID, Kind: p.Kind, Name: "검토 받을 상품 (개정)", TaxType: p.TaxType,
		ConsumerPrice: p.ConsumerPrice, PublicPrice: p.PublicPrice, Stock: 9}
	if got, err := w.m.UpdateProduct(ctx, p.ID, upd); err != nil || got.Status != catalog.StatusPendingReview {
		t.Errorf("an edit under review = %v, %v", got, err)
	}
	d := w.newProduct(w.a, "초안")
	d.Status = catalog.StatusDraft
	w.create(t, ctx, d)
	if got, _ := w.m.SetStatus(ctx, d.ID, catalog.StatusActive); got.Status != catalog.StatusPendingReview {
		t.Errorf("publishing a draft under review: %s", got.Status)
	}
	a := w.audit.take(t)
	for _, action := range []string{"product.status", "product.hide", "product.unhide", "enterprise.review_products", "product.approve", "product.stock", "product.update"} {
		if !slices.ContainsFunc(a, func(s string) bool { return strings.HasPrefix(s, action+" ") }) {
			t.Errorf("no %s in the audit: %v", action, a)
		}
	}
}

// orderLine records an order of product (a line of a sub-order), as
// checkout does, so that the product cannot be deleted.
func (w *world) orderLine(t *testing.T, product int64) {
	t.Helper()
	ctx := context.Background()
	var orderID, subID int64
	err := w.pool.QueryRow(ctx, `INSERT INTO orders (number, checkout_key, status, buyer_name, buyer_phone, recipient,
			recipient_phone, postcode, road_address, items_total, shipping_total, total, supply_amount, vat_amount, reserved_until)
		VALUES ($1, $1, 'paid', '김', '010-1234-5678', '김', '010-1234-5678', '41911', '대구 중구', 1000, 0, 1000, 1000, 0, now())
		RETURNING id`, fmt.Sprintf("T-%d", product)).Scan(&orderID)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.pool.QueryRow(ctx, `INSERT INTO sub_orders (order_id, enterprise_id, status, items_total, shipping_fee, total)
		VALUES ($1, $2, 'paid', 1000, 0, 1000) RETURNING id`, orderID, w.a).Scan(&subID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.pool.Exec(ctx, `INSERT INTO order_lines (order_id, sub_order_id, product_id, product_name, kind, tax_type,
			unit_price, quantity, line_total, supply_amount, vat_amount, enterprise_name, enterprise_type, business_number)
		VALUES ($1, $2, $3, '상품', 'goods', 'exempt', 1000, 1, 1000, 1000, 0, '기업', 'cooperative', '2208162517')`,
		orderID, subID, product); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteOrArchive(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := member(w.a)
	never := w.create(t, ctx, w.newProduct(w.a, "주문 없는 상품"))
	ordered := w.create(t, ctx, w.newProduct(w.a, "주문된 상품"))
	w.orderLine(t, ordered.ID)
	w.audit.take(t)
	outbox := w.outbox(t)

	if archived, err := w.m.DeleteProduct(ctx, never.ID); err != nil || archived {
		t.Fatalf("DeleteProduct(never ordered) = %v, %v", archived, err)
	}
	if n := w.count(t, `SELECT count(*) FROM products WHERE id = $1`, never.ID); n != 0 {
		t.Error("the product never ordered is still there")
	}
	if archived, err := w.m.DeleteProduct(ctx, ordered.ID); err != nil || !archived {
		t.Fatalf("DeleteProduct(ordered) = %v, %v", archived, err)
	}
	if s := w.status(t, ordered.ID); s != catalog.StatusArchived {
		t.Errorf("ordered product status = %s, want archived", s)
	}
	if n := w.outbox(t); n != outbox+2 {
		t.Errorf("outbox grew by %d, want 2", n-outbox)
	}
	if a := w.audit.take(t); !slices.Equal(a, []string{fmt.Sprintf("product.delete product:%d", never.ID), fmt.Sprintf("product.archive product:%d", ordered.ID)}) {
		t.Errorf("audit = %v", a)
	}

	// Archived is gone for the enterprise: not found, not listed, not
	// deletable again, and its name is free.
	_, err := w.m.FindPortalProduct(ctx, ordered.ID)
	wantCode(t, "FindPortalProduct(archived)", err, apperr.NotFound)
	_, err = w.m.DeleteProduct(ctx, ordered.ID)
	wantCode(t, "DeleteProduct(archived)", err, apperr.NotFound)
	_, err = w.m.SetStatus(ctx, ordered.ID, catalog.StatusActive)
	wantCode(t, "SetStatus(archived)", err, apperr.NotFound)
	list, _, err := w.m.FindPortalProducts(ctx, catalog.ManagedProductFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.ID == ordered.ID {
			t.Error("the archived product is listed")
		}
	}
	w.create(t, ctx, w.newProduct(w.a, "주문된 상품"))
	// The operator still finds it.
	all, _, err := w.m.FindAllProducts(operator(), catalog.ManagedProductFilter{Status: catalog.StatusArchived})
	if err != nil || len(all) != 1 || all[0].ID != ordered.ID {
		t.Errorf("FindAllProducts(archived) = %v, %v", all, err)
	}
}

func TestFindProducts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := member(w.a)
	low := w.newProduct(w.a, "재고 적은 상품")
	low.Options = []catalog.Option{{Name: "하나", Stock: 1}, {Name: "여럿", Stock: 500}}
	w.create(t, ctx, low)

	list, total, err := w.m.FindPortalProducts(ctx, catalog.ManagedProductFilter{Sort: catalog.SortLowStock, EnterpriseID: w.b})
	if err != nil {
		t.Fatal(err)
	}
	// A's: Apple (20), AppleJuice (0), AppleHidden (5, hidden), the new one (501, lowest option 1).
	var names []string
	for _, p := range list {
		names = append(names, p.Name)
		if p.EnterpriseID != w.a || p.Enterprise == nil {
			t.Errorf("%s of enterprise %d listed for A", p.Name, p.EnterpriseID)
		}
	}
	if want := []string{"사과즙 30포", "재고 적은 상품", "못난이 사과 10kg", "청송 꿀사과 5kg"}; total != 4 || !slices.Equal(names, want) {
		t.Errorf("low stock first = %v (%d), want %v", names, total, want)
	}
	if len(list[1].Options) != 2 {
		t.Errorf("options not listed: %+v", list[1])
	}
	list, total, _ = w.m.FindPortalProducts(ctx, catalog.ManagedProductFilter{Query: "사과", Status: catalog.StatusHidden})
	if total != 1 || list[0].Name != "못난이 사과 10kg" {
		t.Errorf("hidden 사과 = %v", list)
	}
	all, total, err := w.m.FindAllProducts(operator(), catalog.ManagedProductFilter{EnterpriseQuery: "푸른살림", Sort: catalog.SortName})
	if err != nil || total != 2 || all[0].Name != "대나무 칫솔" || all[0].Enterprise.Name != "푸른살림협동조합" {
		t.Errorf("FindAllProducts(푸른살림) = %v (%d), %v", all, total, err)
	}
	_, total, _ = w.m.FindAllProducts(operator(), catalog.ManagedProductFilter{EnterpriseQuery: "100-00-000"})
	if total != 13 {
		t.Errorf("by business number prefix: %d products, want every product but none archived (13)", total)
	}
}

func TestFindAllEnterprises(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	names := func(f catalog.ManagedEnterpriseFilter) ([]string, int) {
		t.Helper()
		list, total, err := w.m.FindAllEnterprises(operator(), f)
		if err != nil {
			t.Fatalf("FindAllEnterprises(%+v): %v", f, err)
		}
		var out []string
		for _, e := range list {
			out = append(out, fmt.Sprintf("%s:%d", e.Name, e.ProductCount))
		}
		return out, total
	}
	for _, tc := range []struct {
		name  string
		f     catalog.ManagedEnterpriseFilter
		want  []string
		total int
	}{
		{"every status, by name, with products not archived", catalog.ManagedEnterpriseFilter{Limit: 2}, []string{"깨끗한세상 사회적협동조합:2", "달빛공방:1"}, 6},
		{"suspended", catalog.ManagedEnterpriseFilter{Status: catalog.EnterpriseSuspended}, []string{"달빛공방:1"}, 1},
		{"type", catalog.ManagedEnterpriseFilter{Type: catalog.Cooperative}, []string{"푸른살림협동조합:2"}, 1},
		{"name", catalog.ManagedEnterpriseFilter{Query: "사과"}, []string{"청송사과마을:3"}, 1},
		{"business number with hyphens", catalog.ManagedEnterpriseFilter{Query: "100-00-000-05"}, []string{"달빛공방:1"}, 1},
		{"ids", catalog.ManagedEnterpriseFilter{IDs: []int64{w.a, w.b}}, []string{"청송사과마을:3", "푸른살림협동조합:2"}, 2},
		{"no ids", catalog.ManagedEnterpriseFilter{IDs: []int64{}}, nil, 0},
		{"like characters are literal", catalog.ManagedEnterpriseFilter{Query: "%"}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total := names(tc.f)
			if !slices.Equal(got, tc.want) || total != tc.total {
				t.Errorf("got %v (%d), want %v (%d)", got, total, tc.want, tc.total)
			}
		})
	}
}
