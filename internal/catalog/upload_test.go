package catalog_test

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/korean"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
)

// A file as Korean Excel users write it, with hints after the column names;
// every row but the first is broken. Line numbers follow the file: the quoted
// name on line 8 spans two lines.
const brokenCSV = "상품코드,상품명,카테고리,구분(상품/서비스),과세구분(과세/면세),소비자가,공공기관가,재고,옵션(이름:추가금액:재고;),상태(판매중/판매중지)\r\n" +
	"A-100,홍로 사과 3kg,식품 > 과일·채소,상품,면세,\"32,000\",30000,,소과:0:5; 대과:4000:7,판매중\r\n" + // 2: fine
	"A-101,,식품 > 과일·채소,상품,면세,12000.5,11000,3,,\r\n" + // 3
	"A-102,사과잼,장난감,물건,과세,9000,8000,-1,,\r\n" + // 4
	"A-100,홍로 사과 3kg 두번째,식품 > 과일·채소,상품,면세,1000,1000,1,,\r\n" + // 5
	"A-103,청송 꿀사과 5kg,과일·채소,상품,면세,1000,1000,1,,\r\n" + // 6: the name of an existing product
	"A-104,배 5kg,식품 > 과일·채소,상품,면세,1000,1000,1,대과-5000-7,\r\n" + // 7
	"A-105,\"배즙\r\n30포\",가공식품,상품,과세,1000,1000,1,,\r\n" + // 8–9
	"A-106,곶감,식품 > 가공식품,상품,과세,1000,1000,1,,판매완료\r\n" + // 10
	",,,,,,,,,\r\n" // 11: empty, as spreadsheets leave them

// fixedCSV is brokenCSV with every problem fixed.
const fixedCSV = "상품코드,상품명,카테고리,구분(상품/서비스),과세구분(과세/면세),소비자가,공공기관가,재고,옵션(이름:추가금액:재고;),상태(판매중/판매중지)\r\n" +
	"A-100,홍로 사과 3kg,식품 > 과일·채소,상품,면세,\"32,000\",30000,,소과:0:5; 대과:4000:7,판매중\r\n" +
	"A-101,부사 사과 5kg,식품 > 과일·채소,상품,면세,12000,11000,3,,\r\n" +
	"A-102,사과잼,식품 > 가공식품,상품,과세,9000,8000,0,,\r\n" +
	"A-104,배 5kg,식품 > 과일·채소,상품,면세,1000,1000,,대과:5000:7,\r\n" +
	"A-105,배즙 30포,가공식품,상품,과세,1000,1000,1,,판매중지\r\n"

func eucKR(t *testing.T, s string) []byte {
	t.Helper()
	b, err := korean.EUCKR.NewEncoder().String(s)
	if err != nil {
		t.Fatalf("encode EUC-KR: %v", err)
	}
	return []byte(b)
}

func rowErrors(rows []catalog.RowError) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.String())
	}
	return out
}

func TestUploadBrokenFileWritesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := member(w.a)
	products, outbox := w.count(t, `SELECT count(*) FROM products`), w.outbox(t)

	preview, err := w.m.PreviewUpload(ctx, w.a, strings.NewReader(brokenCSV))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"line 3: name: 상품명을 입력해 주세요. (is required)",
		"line 3: consumer_price: 가격은 숫자만 적어 주세요 (예: 45000 또는 45,000). (must be a whole number)",
		`line 4: category_id: 카테고리 "장난감"를 찾을 수 없습니다. '식품 > 과일·채소'처럼 적어 주세요. (unknown or ambiguous category)`,
		"line 4: kind: 구분은 상품 또는 서비스로 적어 주세요. (unknown kind \"물건\")",
		"line 4: stock: 재고는 0 이상 1,000,000 이하로 입력해 주세요. (must not be negative)",
		`line 5: code: 상품코드 "A-100"가 2행과 중복됩니다. (duplicate 상품코드 "A-100" (first on line 2))`,
		"line 6: name: 같은 이름의 상품이 이미 있습니다. (another product of the enterprise has this name)",
		"line 7: options: 옵션은 '이름:추가금액:재고' 형식으로, 여럿이면 ;로 나누어 적어 주세요 (예: 중과:0:10; 대과:5000:20). (options must be written name:extra_price:stock; …)",
		"line 8: name: 상품명에는 줄바꿈이나 제어 문자를 쓸 수 없습니다. (must not contain line breaks or control characters)",
		`line 10: status: 상태는 판매중 또는 판매중지로 적어 주세요. (unknown status "판매완료")`,
	}
	if got := rowErrors(preview.Errors); !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if preview.OK() || len(preview.Rows) != 8 || preview.Rows[0].Action != catalog.UploadCreate || preview.Rows[1].Action != "" {
		t.Errorf("rows = %+v", preview.Rows)
	}

	_, err = w.m.ApplyUpload(ctx, w.a, strings.NewReader(brokenCSV), preview.Token)
	var ie *catalog.ImportError
	if !errors.As(err, &ie) || apperr.Code(err) != apperr.Invalid {
		t.Fatalf("ApplyUpload = %v, want an *ImportError", err)
	}
	if got := rowErrors(ie.Rows); !slices.Equal(got, want) {
		t.Errorf("ApplyUpload problems:\n%s", strings.Join(got, "\n"))
	}
	if n := w.count(t, `SELECT count(*) FROM products`); n != products {
		t.Errorf("products went from %d to %d", products, n)
	}
	if n := w.outbox(t); n != outbox {
		t.Errorf("outbox went from %d to %d", outbox, n)
	}
	if a := w.audit.take(t); len(a) != 0 {
		t.Errorf("audit = %v", a)
	}
}

func TestUploadApply(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := member(w.a)
	outbox := w.outbox(t)

	preview, err := w.m.PreviewUpload(ctx, w.a, strings.NewReader(fixedCSV))
	if err != nil {
		t.Fatal(err)
	}
	if !preview.OK() || preview.Counts != (catalog.ImportCounts{Created: 5}) {
		t.Fatalf("preview: %v %+v", rowErrors(preview.Errors), preview.Counts)
	}
	first := preview.Rows[0]
	if first.Line != 2 || first.Code != "A-100" || first.Name != "홍로 사과 3kg" || !slices.ContainsFunc(first.Changes, func(c catalog.FieldChange) bool {
		return c.Field == "consumer_price" && c.Label == "소비자가" && c.Old == "" && c.New == "32,000원"
	}) {
		t.Errorf("first row = %+v", first)
	}
	applied, err := w.m.ApplyUpload(ctx, w.a, strings.NewReader(fixedCSV), preview.Token)
	if err != nil {
		t.Fatal(err)
	}
	if applied.Counts != preview.Counts || applied.Rows[0].ProductID == 0 {
		t.Errorf("applied = %+v", applied)
	}
	if n := w.outbox(t); n != outbox+5 {
		t.Errorf("outbox grew by %d, want 5", n-outbox)
	}
	if a := w.audit.take(t); len(a) != 5 || !strings.HasPrefix(a[0], "product.upload product:") {
		t.Errorf("audit = %v", a)
	}
	p, err := w.m.FindPortalProduct(ctx, applied.Rows[0].ProductID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Code != "A-100" || p.ConsumerPrice != 32000 || p.Stock != 12 || len(p.Options) != 2 || p.Options[1].Name != "대과" ||
		p.Options[1].ExtraPrice != 4000 || p.Status != catalog.StatusActive || p.Category.ID != w.fx.Categories["fruit"] {
		t.Errorf("A-100 = %+v", p)
	}
	if s := w.status(t, applied.Rows[4].ProductID); s != catalog.StatusDraft {
		t.Errorf("A-105 (판매중지) status = %s", s)
	}

	// The same file again changes nothing.
	again, err := w.m.ApplyUpload(ctx, w.a, strings.NewReader(fixedCSV), "")
	if err != nil || again.Counts != (catalog.ImportCounts{Unchanged: 5}) {
		t.Fatalf("again = %+v, %v", again, err)
	}

	// Only some columns: the others stay. An imported product is found by
	// its external id.
	partial := "상품코드,소비자가,재고\nprod-Apple,\"41,000\",20\nA-100,32000,\nA-101,12000,4\n"
	preview, err = w.m.PreviewUpload(ctx, w.a, strings.NewReader(partial))
	if err != nil || !preview.OK() {
		t.Fatalf("partial preview: %v %v", err, rowErrors(preview.Errors))
	}
	wantChanges := [][]catalog.FieldChange{
		{{Field: "consumer_price", Label: "소비자가", Old: "39,000원", New: "41,000원"}},
		nil,
		{{Field: "stock", Label: "재고", Old: "3", New: "4"}},
	}
	for i, row := range preview.Rows {
		if !reflect.DeepEqual(row.Changes, wantChanges[i]) {
			t.Errorf("line %d changes = %+v, want %+v", row.Line, row.Changes, wantChanges[i])
		}
	}
	if preview.Counts != (catalog.ImportCounts{Updated: 2, Unchanged: 1}) {
		t.Errorf("counts = %+v", preview.Counts)
	}

	// A change after the preview makes the preview stale.
	if _, err := w.m.SetStock(ctx, w.fx.Products["Apple"], catalog.StockUpdate{Stock: 19}); err != nil {
		t.Fatal(err)
	}
	_, err = w.m.ApplyUpload(ctx, w.a, strings.NewReader(partial), preview.Token)
	wantCode(t, "a stale preview", err, apperr.Conflict)
	preview, _ = w.m.PreviewUpload(ctx, w.a, strings.NewReader(partial))
	if _, err := w.m.ApplyUpload(ctx, w.a, strings.NewReader(partial), preview.Token); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT consumer_price::int FROM products WHERE external_id = 'prod-Apple'`); n != 41000 {
		t.Errorf("Apple's price = %d", n)
	}

	// Rows are the uploader's: another enterprise's codes are new products
	// of its own, and the hidden product stays hidden.
	preview, _ = w.m.PreviewUpload(member(w.b), w.b, strings.NewReader(partial))
	for _, row := range preview.Rows {
		if row.Action != "" || row.ProductID != 0 {
			t.Errorf("B's upload line %d = %+v", row.Line, row)
		}
	}
	hide := "상품코드,상태\nprod-AppleHidden,판매중\n"
	preview, _ = w.m.PreviewUpload(ctx, w.a, strings.NewReader(hide))
	if preview.OK() || preview.Errors[0].Field != "status" {
		t.Errorf("publishing a hidden product by upload: %v", rowErrors(preview.Errors))
	}
	_, err = w.m.PreviewUpload(member(w.b), w.a, strings.NewReader(partial))
	wantCode(t, "previewing for another enterprise", err, apperr.NotFound)
	_, err = w.m.ApplyUpload(member(w.b), w.a, strings.NewReader(partial), "")
	wantCode(t, "applying for another enterprise", err, apperr.NotFound)
}

// The same content saved as CP949/EUC-KR (Excel's "CSV (쉼표로 분리)") and as
// UTF-8 with a byte-order mark ("CSV UTF-8") previews identically.
func TestUploadEncodings(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := member(w.a)
	for _, file := range []string{brokenCSV, fixedCSV} {
		plain, err := w.m.PreviewUpload(ctx, w.a, strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		bom, err := w.m.PreviewUpload(ctx, w.a, strings.NewReader("\ufeff"+file))
		if err != nil {
			t.Fatal(err)
		}
		euc, err := w.m.PreviewUpload(ctx, w.a, bytes.NewReader(eucKR(t, file)))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(plain, bom) || !reflect.DeepEqual(plain, euc) {
			t.Errorf("previews differ:\nUTF-8   %+v\nBOM     %+v\nEUC-KR  %+v", plain, bom, euc)
		}
	}
	_, err := w.m.PreviewUpload(ctx, w.a, bytes.NewReader([]byte{0xff, 0xfe, 'a', 0}))
	wantCode(t, "UTF-16", err, apperr.Invalid)
}

func TestUploadTemplateAndExport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := member(w.a)
	tpl := catalog.CSVTemplate()
	if !bytes.HasPrefix(tpl, []byte("\xef\xbb\xbf상품코드,상품명,카테고리(상위 > 하위),구분(상품/서비스),과세구분(과세/면세),")) {
		t.Errorf("template = %q", tpl)
	}
	preview, err := w.m.PreviewUpload(ctx, w.a, bytes.NewReader(tpl))
	if err != nil || !preview.OK() || len(preview.Rows) != 0 {
		t.Errorf("the empty template: %+v, %v", preview, err)
	}
	preview, _ = w.m.PreviewUpload(ctx, w.a, strings.NewReader("상품명,가격\n사과,1000\n"))
	if got := rowErrors(preview.Errors); len(got) != 2 || !strings.Contains(got[0], `알 수 없는 열 "가격"`) || !strings.Contains(got[1], "'상품코드' 열이 필요합니다") {
		t.Errorf("a file without the code column: %v", got)
	}

	// What the portal exports uploads again without a change.
	p := w.newProduct(w.a, "수출 테스트 \"특\", 세트")
	p.Code, p.Description = "EX-1", "첫 줄\n둘째 줄, 쉼표"
	p.Options = []catalog.Option{{Name: "소", Stock: 1}, {Name: "대", ExtraPrice: 500, Stock: 2}}
	w.create(t, ctx, p)
	var out bytes.Buffer
	if err := w.m.ExportCSV(ctx, w.a, &out); err != nil {
		t.Fatal(err)
	}
	preview, err = w.m.PreviewUpload(ctx, w.a, bytes.NewReader(out.Bytes()))
	if err != nil || !preview.OK() {
		t.Fatalf("export uploaded again: %v %v\n%s", err, rowErrors(preview.Errors), out.String())
	}
	if preview.Counts != (catalog.ImportCounts{Unchanged: 4}) {
		t.Errorf("export uploaded again: %+v\n%+v\n%s", preview.Counts, preview.Rows, out.String())
	}
	wantCode(t, "exporting another enterprise's", w.m.ExportCSV(member(w.b), w.a, &out), apperr.NotFound)
}
