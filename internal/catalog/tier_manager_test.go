package catalog_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
)

// Tiers are written with the product (create and update), read back by
// every finder, audited, and a broken rule writes nothing.
func TestProductTiers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := member(w.a)
	p := w.newProduct(w.a, "사과 10kg")
	p.ConsumerTiers = []catalog.Tier{{MinQuantity: 50, UnitPrice: 17000}, {MinQuantity: 10, UnitPrice: 19000}}
	p.PublicTiers = []catalog.Tier{{MinQuantity: 100, UnitPrice: 16000}}
	w.create(t, ctx, p)
	w.audit.take(t)

	got, err := w.m.FindPortalProduct(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if catalog.FormatTiers(got.ConsumerTiers) != "10:19000;50:17000" || catalog.FormatTiers(got.PublicTiers) != "100:16000" {
		t.Fatalf("read back consumer %v public %v", got.ConsumerTiers, got.PublicTiers)
	}

	upd := catalog.ProductUpdate{CategoryID: got.CategoryID, Kind: got.Kind, Name: got.Name, TaxType: got.TaxType,
		Unit: got.Unit, ConsumerPrice: got.ConsumerPrice, PublicPrice: got.PublicPrice, Stock: got.Stock,
		ConsumerTiers: []catalog.Tier{{MinQuantity: 5, UnitPrice: 19500}}}
	after, err := w.m.UpdateProduct(ctx, p.ID, upd)
	if err != nil {
		t.Fatal(err)
	}
	if catalog.FormatTiers(after.ConsumerTiers) != "5:19500" || len(after.PublicTiers) != 0 {
		t.Errorf("after update consumer %v public %v", after.ConsumerTiers, after.PublicTiers)
	}
	if n := w.count(t, `SELECT count(*) FROM product_price_tiers WHERE product_id = $1`, p.ID); n != 1 {
		t.Errorf("%d tier rows, want 1", n)
	}
	if e := w.audit.take(t); !slices.Contains(e, "product.update product:"+strconv.FormatInt(p.ID, 10)) {
		t.Errorf("audit = %v", e)
	}

	// Lowering the base price under a tier is refused: nothing written.
	bad := upd
	bad.ConsumerPrice = 19000
	_, err = w.m.UpdateProduct(ctx, p.ID, bad)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Invalid || !strings.Contains(ae.Fields["consumer_tiers"], "기본 가격 19,000원보다 낮아야") {
		t.Fatalf("UpdateProduct(base under tier) = %v", err)
	}
	bad = upd
	bad.PublicTiers = []catalog.Tier{{MinQuantity: 10, UnitPrice: 17000}, {MinQuantity: 20, UnitPrice: 17500}}
	if _, err := w.m.UpdateProduct(ctx, p.ID, bad); apperr.Code(err) != apperr.Invalid {
		t.Fatalf("UpdateProduct(rising public tiers) = %v", err)
	}
	now, err := w.m.FindPortalProduct(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if now.ConsumerPrice != 20000 || catalog.FormatTiers(now.ConsumerTiers) != "5:19500" || len(now.PublicTiers) != 0 {
		t.Errorf("a refused update wrote: price %d tiers %v %v", now.ConsumerPrice, now.ConsumerTiers, now.PublicTiers)
	}
	if e := w.audit.take(t); len(e) != 0 {
		t.Errorf("a refused update was audited: %v", e)
	}

	// The schema refuses a tier of one unit even past the domain, and the
	// rows go with their product.
	if _, err := w.pool.Exec(context.Background(), `INSERT INTO product_price_tiers (product_id, list, min_quantity, unit_price)
		VALUES ($1, 'public', 1, 100)`, p.ID); err == nil {
		t.Error("a tier of 1 unit was stored")
	}
	if _, err := w.m.DeleteProduct(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT count(*) FROM product_price_tiers WHERE product_id = $1`, p.ID); n != 0 {
		t.Errorf("%d tier rows left after the product was deleted", n)
	}
}

// The upload file carries tiers in 소비자수량별단가/공공기관수량별단가 columns
// ("100:9000;500:8500"); a broken one is a row error in Korean and the file
// writes nothing; the export writes them back in the same form.
func TestUploadTiers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := member(w.a)
	const head = "상품코드,상품명,카테고리,구분,과세구분,소비자가,공공기관가,재고,소비자수량별단가(수량:단가;),공공기관수량별단가\r\n"
	bad := head +
		"T-1,수량 사과,식품 > 과일·채소,상품,면세,10000,9000,5,10:9000,100:8000\r\n" +
		"T-2,수량 배,식품 > 과일·채소,상품,면세,10000,9000,5,열개:9000,\r\n" + // 3: unreadable
		"T-3,수량 감,식품 > 과일·채소,상품,면세,10000,9000,5,,100:9500\r\n" // 4: above the public price
	preview, err := w.m.PreviewUpload(ctx, w.a, strings.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	got := rowErrors(preview.Errors)
	if len(got) != 2 || !strings.Contains(got[0], "3") || !strings.Contains(got[0], "숫자로") ||
		!strings.Contains(got[1], "public_tiers") || !strings.Contains(got[1], "9,000원보다 낮아야") {
		t.Fatalf("row errors:\n%s", strings.Join(got, "\n"))
	}
	if _, err := w.m.ApplyUpload(ctx, w.a, strings.NewReader(bad), preview.Token); err == nil {
		t.Fatal("a file with broken tiers was applied")
	}
	if n := w.count(t, `SELECT count(*) FROM product_price_tiers`); n != 0 {
		t.Fatalf("a refused file wrote %d tiers", n)
	}

	good := head + "T-1,수량 사과,식품 > 과일·채소,상품,면세,10000,9000,5,\"50:8,000; 10:9000\",100:8000\r\n"
	preview, err = w.m.PreviewUpload(ctx, w.a, strings.NewReader(good))
	if err != nil || !preview.OK() {
		t.Fatalf("preview: %v %v", err, preview)
	}
	applied, err := w.m.ApplyUpload(ctx, w.a, strings.NewReader(good), preview.Token)
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.m.FindPortalProduct(ctx, applied.Rows[0].ProductID)
	if err != nil {
		t.Fatal(err)
	}
	if catalog.FormatTiers(p.ConsumerTiers) != "10:9000;50:8000" || catalog.FormatTiers(p.PublicTiers) != "100:8000" {
		t.Errorf("stored tiers %v %v", p.ConsumerTiers, p.PublicTiers)
	}
	var out strings.Builder
	if err := w.m.ExportCSV(ctx, w.a, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "10:9000;50:8000,100:8000") {
		t.Errorf("export lacks the tiers:\n%s", out.String())
	}
	// A file without the columns keeps the tiers.
	keep := "상품코드,소비자가\r\nT-1,9500\r\n"
	preview, err = w.m.PreviewUpload(ctx, w.a, strings.NewReader(keep))
	if err != nil || !preview.OK() {
		t.Fatalf("preview: %v %v", err, preview)
	}
	if _, err := w.m.ApplyUpload(ctx, w.a, strings.NewReader(keep), preview.Token); err != nil {
		t.Fatal(err)
	}
	if p, _ = w.m.FindPortalProduct(ctx, p.ID); catalog.FormatTiers(p.ConsumerTiers) != "10:9000;50:8000" || p.ConsumerPrice != 9500 {
		t.Errorf("after an upload without tier columns: %d %v", p.ConsumerPrice, p.ConsumerTiers)
	}
}
