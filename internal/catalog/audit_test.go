package catalog_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/testutil"
)

// A write's audit record is written by the store in the write's
// transaction: one row with the actor, the entity and the product as it
// was and became; a refused write leaves none.
func TestAuditRecordOfAWrite(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	apple := w.fx.Products["Apple"]
	w.audit.take(t)

	if _, err := w.m.HideProduct(operator(), apple); err != nil {
		t.Fatal(err)
	}
	recs := testutil.AuditRecords(t, w.pool, catalog.EntityProduct, strconv.FormatInt(apple, 10))
	if len(recs) != 1 {
		t.Fatalf("%d records of the hidden product, want 1", len(recs))
	}
	r := recs[0]
	if r.Action != catalog.ActionProductHide || r.ActorUserID != 1 || r.ActorRole != string(account.Operator) || r.EnterpriseID != w.a {
		t.Errorf("record = %+v", r)
	}
	var before, after catalog.Product
	if json.Unmarshal(r.Before, &before) != nil || json.Unmarshal(r.After, &after) != nil ||
		before.Status != catalog.StatusActive || after.Status != catalog.StatusHidden || after.ID != apple {
		t.Errorf("before %s, after %s", r.Before, r.After)
	}
	w.audit.take(t)

	// Refused: a conflict, another enterprise's product, a bad stock, a
	// name taken. None leaves a record.
	_, err := w.m.ApproveProduct(operator(), apple)
	wantCode(t, "approving a product not pending", err, apperr.Conflict)
	_, err = w.m.SetStock(member(w.b), w.fx.Products["AppleJuice"], catalog.StockUpdate{Stock: 3})
	wantCode(t, "another enterprise's product", err, apperr.NotFound)
	_, err = w.m.SetStock(member(w.a), w.fx.Products["AppleJuice"], catalog.StockUpdate{Stock: -1})
	wantCode(t, "a negative stock", err, apperr.Invalid)
	dup := w.newProduct(w.a, "새 상품")
	w.create(t, member(w.a), dup)
	w.audit.take(t)
	err = w.m.CreateProduct(member(w.a), w.newProduct(w.a, "새 상품"))
	wantCode(t, "a name taken", err, apperr.Conflict)
	if a := w.audit.take(t); len(a) != 0 {
		t.Errorf("refused writes were audited: %v", a)
	}
}

// When the audit record cannot be written, the change does not land
// either: the product, its stock, the enterprise and the search outbox
// stay as they were.
func TestNoChangeWithoutItsAuditRecord(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	broken := &catalog.Manager{Store: postgres.NewCatalogStore(w.pool), Auditor: testutil.BrokenAuditor{}}
	ctx := member(w.a)
	juice := w.fx.Products["AppleJuice"]
	products, outbox, audit := w.count(t, `SELECT count(*) FROM products`), w.outbox(t), w.count(t, `SELECT count(*) FROM audit_log`)
	stock := w.count(t, `SELECT stock FROM products WHERE id = $1`, juice)

	for name, call := range map[string]func() error{
		"create": func() error { return broken.CreateProduct(ctx, w.newProduct(w.a, "기록 없는 상품")) },
		"stock": func() error {
			_, err := broken.SetStock(ctx, juice, catalog.StockUpdate{Stock: stock + 7})
			return err
		},
		"delete": func() error { _, err := broken.DeleteProduct(ctx, juice); return err },
		"hide":   func() error { _, err := broken.HideProduct(operator(), juice); return err },
		"review": func() error { _, err := broken.SetProductReview(operator(), w.a, true); return err },
		"upload": func() error { _, err := broken.ApplyUpload(ctx, w.a, strings.NewReader(fixedCSV), ""); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s: no error though its audit record could not be written", name)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM products`); n != products {
		t.Errorf("products went from %d to %d", products, n)
	}
	if n := w.count(t, `SELECT stock FROM products WHERE id = $1`, juice); n != stock {
		t.Errorf("stock went from %d to %d", stock, n)
	}
	if s := w.status(t, juice); s != catalog.StatusActive {
		t.Errorf("status = %s, want active", s)
	}
	if n := w.count(t, `SELECT count(*) FROM enterprises WHERE id = $1 AND review_products`, w.a); n != 0 {
		t.Error("the enterprise's products are reviewed now")
	}
	if n := w.outbox(t); n != outbox {
		t.Errorf("outbox went from %d to %d", outbox, n)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log`); n != audit {
		t.Errorf("audit log went from %d to %d", audit, n)
	}
}

// A creation's record carries the id the database gave the product.
func TestAuditRecordOfACreation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := account.NewContext(context.Background(), &account.Actor{UserID: 1, Role: account.Operator, EnterpriseID: w.a, OnBehalf: true})
	p := w.create(t, ctx, w.newProduct(w.a, "대리 등록 상품"))
	recs := testutil.AuditRecords(t, w.pool, catalog.EntityProduct, strconv.FormatInt(p.ID, 10))
	if len(recs) != 1 || recs[0].Action != catalog.ActionProductCreate || recs[0].OnBehalfEnterpriseID != w.a || recs[0].Before != nil {
		t.Fatalf("records = %+v", recs)
	}
	var after catalog.Product
	if err := json.Unmarshal(recs[0].After, &after); err != nil || after.ID != p.ID || after.ExternalID == "" || after.Name != "대리 등록 상품" {
		t.Errorf("after = %s (%v)", recs[0].After, err)
	}
}
