package portal_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // the served images are decoded
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/text/encoding/korean"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/onboarding"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// world is one test's app on the real services with two demo enterprises:
// A (ent-001) and B (ent-002), and the id of the 과일·채소 category.
type world struct {
	e            *webtest.Env
	a, b         int64
	aName, bName string
	fruit        int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{e: webtest.NewEnv(t)}
	ctx := context.Background()
	for ext, dst := range map[string]struct {
		id   *int64
		name *string
	}{"ent-001": {&w.a, &w.aName}, "ent-002": {&w.b, &w.bName}} {
		if err := w.e.Pool.QueryRow(ctx, `SELECT id, name FROM enterprises WHERE external_id = $1`, ext).Scan(dst.id, dst.name); err != nil {
			t.Fatalf("enterprise %s: %v", ext, err)
		}
	}
	if err := w.e.Pool.QueryRow(ctx, `SELECT id FROM categories WHERE name = '과일·채소'`).Scan(&w.fruit); err != nil {
		t.Fatalf("category: %v", err)
	}
	return w
}

// count runs a counting query.
func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := w.e.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// productForm returns the product form of page (new or edit) and its values.
func productForm(t *testing.T, b *webtest.Shopper, page string) (action string, v url.Values) {
	t.Helper()
	doc := b.Page(t, page, http.StatusOK)
	form := doc.Find("form.form-panel")
	if form.Length() != 1 {
		t.Fatalf("%s has no product form", page)
	}
	return form.AttrOr("action", ""), webtest.FormValues(form)
}

// fill sets a valid new product on the form's values.
func (w *world) fill(v url.Values, name string) {
	v.Set("name", name)
	v.Set("category_id", strconv.FormatInt(w.fruit, 10))
	v.Set("kind", "goods")
	v.Set("tax_type", "exempt")
	v.Set("consumer_price", "12,000")
	v.Set("public_price", "11000")
	v.Set("unit", "1박스(3kg)")
	v.Set("stock", "7")
	v.Set("summary", "아침에 딴 사과")
	v.Set("description", "청송에서 온 사과입니다.\n당일 발송합니다.")
	v.Set("action", "save")
}

// create makes a product through the portal's form and returns its id.
func (w *world) create(t *testing.T, b *webtest.Shopper, name string, edit func(url.Values)) int64 {
	t.Helper()
	action, v := productForm(t, b, "/portal/products/new")
	w.fill(v, name)
	if edit != nil {
		edit(v)
	}
	loc, _, body := b.Post(t, action, v, http.StatusSeeOther)
	id, ok := editID(loc)
	if !ok {
		t.Fatalf("create went to %q\n%s", loc, body)
	}
	return id
}

// editID reads the product id of an edit page's address.
func editID(loc string) (int64, bool) {
	rest, ok := strings.CutPrefix(loc, "/portal/products/")
	if !ok {
		return 0, false
	}
	num, _, _ := strings.Cut(rest, "/")
	id, err := strconv.ParseInt(num, 10, 64)
	return id, err == nil
}

// fieldError returns the error message tied to the field with id, checking
// that the field says it is invalid and points at the message.
func fieldError(t *testing.T, doc *goquery.Document, id string) string {
	t.Helper()
	f := doc.Find("#" + id)
	if f.Length() != 1 {
		t.Fatalf("no field #%s", id)
	}
	if inv, _ := f.Attr("aria-invalid"); inv != "true" {
		t.Errorf("#%s: aria-invalid=%q, want true", id, inv)
	}
	var msgs []string
	for _, ref := range strings.Fields(f.AttrOr("aria-describedby", "")) {
		if m := doc.Find("#" + ref + ".field-error"); m.Length() == 1 {
			msgs = append(msgs, strings.TrimSpace(m.Text()))
		}
	}
	if len(msgs) != 1 {
		t.Errorf("#%s: %d error messages tied by aria-describedby, want 1", id, len(msgs))
		return ""
	}
	return msgs[0]
}

// stock reads a product's stock.
func (w *world) stock(t *testing.T, id int64) int {
	return w.count(t, `SELECT stock FROM products WHERE id = $1`, id)
}

// status reads a product's status ("" when deleted).
func (w *world) status(t *testing.T, id int64) string {
	t.Helper()
	var s string
	err := w.e.Pool.QueryRow(context.Background(), `SELECT status FROM products WHERE id = $1`, id).Scan(&s)
	if err != nil {
		return ""
	}
	return s
}

// upload posts a multipart form with one file and returns the response.
func upload(t *testing.T, b *webtest.Shopper, target, field, filename string, data []byte, fields url.Values) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	return b.Do(t, http.MethodPost, target, mw.FormDataContentType(), &body)
}

// pngImage is a w×h PNG of a gradient.
func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestProductLifecycle: a member of A creates, edits, publishes and
// unpublishes, marks sold out and deletes a product through the forms.
func TestProductLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.member(t, w.a)

	doc := b.Page(t, "/portal/products", http.StatusOK)
	if got := doc.Find(".portal-who strong").Text(); got != w.aName {
		t.Errorf("header names %q, want %q", got, w.aName)
	}
	if cur := doc.Find(`.portal-nav a[aria-current="page"]`).Text(); cur != "상품" {
		t.Errorf("current menu entry %q", cur)
	}

	id := w.create(t, b, "포털 꿀사과 3kg", func(v url.Values) {
		v.Set("options[0].name", "중과")
		v.Set("options[0].extra_price", "0")
		v.Set("options[0].stock", "4")
		v.Set("options[1].name", "대과")
		v.Set("options[1].extra_price", "5,000")
		v.Set("options[1].stock", "2")
	})
	var price, public int64
	var ent int64
	if err := w.e.Pool.QueryRow(context.Background(), `SELECT enterprise_id, consumer_price, public_price FROM products WHERE id = $1`, id).
		Scan(&ent, &price, &public); err != nil {
		t.Fatal(err)
	}
	if ent != w.a || price != 12000 || public != 11000 {
		t.Errorf("created: enterprise %d, prices %d/%d; want %d, 12000/11000", ent, price, public, w.a)
	}
	if n := w.stock(t, id); n != 6 {
		t.Errorf("stock %d, want 6 (the options' sum)", n)
	}
	if s := w.status(t, id); s != "active" {
		t.Errorf("status %q, want active", s)
	}

	edit := fmt.Sprintf("/portal/products/%d/edit", id)
	doc = b.Page(t, edit+"?done=created", http.StatusOK)
	if !strings.Contains(doc.Find(`.notice-ok[role="status"]`).Text(), "상품을 등록했습니다") {
		t.Error("no notice after creating")
	}
	if got := doc.Find("#f-opt-1-name").AttrOr("value", ""); got != "대과" {
		t.Errorf("second option row %q, want 대과", got)
	}

	t.Run("add option rows keeps everything typed", func(t *testing.T) {
		action, v := productForm(t, b, edit)
		v.Set("summary", "바뀐 요약")
		v.Set("options[2].name", "특대과")
		v.Set("action", "add_option")
		_, d, _ := b.Post(t, action, v, http.StatusOK)
		if got := d.Find("#f-summary").AttrOr("value", ""); got != "바뀐 요약" {
			t.Errorf("summary %q after adding rows", got)
		}
		if got := d.Find("#f-opt-2-name").AttrOr("value", ""); got != "특대과" {
			t.Errorf("typed option %q after adding rows", got)
		}
		before, _ := strconv.Atoi(v.Get("option_rows"))
		if after, _ := strconv.Atoi(d.Find(`input[name="option_rows"]`).AttrOr("value", "")); after != before+3 {
			t.Errorf("%d option rows, want %d", after, before+3)
		}
		if w.count(t, `SELECT count(*) FROM products WHERE id = $1 AND summary = '바뀐 요약'`, id) != 0 {
			t.Error("adding rows saved the form")
		}
	})

	t.Run("edit", func(t *testing.T) {
		action, v := productForm(t, b, edit)
		v.Set("consumer_price", "15000원")
		v.Set("options[0].remove", "1")
		v.Set("options[2].name", "특대과")
		v.Set("options[2].extra_price", "9000")
		v.Set("options[2].stock", "3")
		v.Set("action", "save")
		loc, _, _ := b.Post(t, action, v, http.StatusSeeOther)
		if loc != edit+"?done=saved" {
			t.Errorf("saved to %q", loc)
		}
		if n := w.count(t, `SELECT count(*) FROM products WHERE id = $1 AND consumer_price = 15000`, id); n != 1 {
			t.Error("price not saved")
		}
		var names string
		_ = w.e.Pool.QueryRow(context.Background(), `SELECT string_agg(name, ',' ORDER BY position) FROM product_options WHERE product_id = $1`, id).Scan(&names)
		if names != "대과,특대과" {
			t.Errorf("options %q, want 대과,특대과", names)
		}
		if n := w.stock(t, id); n != 5 {
			t.Errorf("stock %d, want 5", n)
		}
		d := b.Page(t, "/portal/products?q="+url.QueryEscape("포털 꿀사과"), http.StatusOK)
		if !strings.Contains(d.Find("table").Text(), "15,000원") {
			t.Error("the list does not show the new price as 15,000원")
		}
	})

	csrf := func() string { return webtest.CSRFOf(t, b.Page(t, edit, http.StatusOK)) }
	post := func(path, want string) {
		t.Helper()
		loc, _, _ := b.Post(t, fmt.Sprintf("/portal/products/%d/%s", id, path), url.Values{"_csrf": {csrf()}}, http.StatusSeeOther)
		if !strings.HasSuffix(loc, "done="+want) {
			t.Errorf("%s went to %q, want done=%s", path, loc, want)
		}
	}
	post("unpublish", "unpublished")
	if s := w.status(t, id); s != "draft" {
		t.Errorf("after unpublish: %s", s)
	}
	post("publish", "published")
	if s := w.status(t, id); s != "active" {
		t.Errorf("after publish: %s", s)
	}
	post("sold-out", "sold-out")
	if n := w.count(t, `SELECT stock + (SELECT coalesce(sum(stock), 0) FROM product_options WHERE product_id = $1) FROM products WHERE id = $1`, id); n != 0 {
		t.Errorf("stock after sold out: %d", n)
	}

	d := b.Page(t, fmt.Sprintf("/portal/products/%d/delete", id), http.StatusOK)
	loc, _, _ := b.Post(t, fmt.Sprintf("/portal/products/%d/delete", id), url.Values{"_csrf": {webtest.CSRFOf(t, d)}}, http.StatusSeeOther)
	if loc != "/portal/products?done=deleted" {
		t.Errorf("delete went to %q", loc)
	}
	if s := w.status(t, id); s != "" {
		t.Errorf("never ordered, deleted: status %q, want the row gone", s)
	}
	if !strings.Contains(b.Page(t, loc, http.StatusOK).Find(".notice-ok").Text(), "삭제했습니다") {
		t.Error("no notice after deleting")
	}
	b.Page(t, edit, http.StatusNotFound)

	t.Run("an ordered product is archived", func(t *testing.T) {
		id := w.create(t, b, "주문된 사과", nil)
		w.order(t, id)
		d := b.Page(t, fmt.Sprintf("/portal/products/%d/delete", id), http.StatusOK)
		loc, _, _ := b.Post(t, fmt.Sprintf("/portal/products/%d/delete", id), url.Values{"_csrf": {webtest.CSRFOf(t, d)}}, http.StatusSeeOther)
		if loc != "/portal/products?done=archived" {
			t.Errorf("delete went to %q", loc)
		}
		if s := w.status(t, id); s != "archived" {
			t.Errorf("status %q, want archived", s)
		}
		if !strings.Contains(b.Page(t, loc, http.StatusOK).Find(".notice-ok").Text(), "보관 처리") {
			t.Error("the notice does not say it was archived")
		}
	})
}

// order places and pays nothing: it only needs an order line to exist.
func (w *world) order(t *testing.T, product int64) {
	t.Helper()
	s := w.e.Shopper()
	doc := s.Page(t, fmt.Sprintf("/p/%d", product), http.StatusOK)
	s.Post(t, "/cart/items", url.Values{"_csrf": {webtest.CSRFOf(t, doc)}, "product_id": {strconv.FormatInt(product, 10)}, "quantity": {"1"}}, http.StatusSeeOther)
	doc = s.Page(t, "/checkout", http.StatusOK)
	v := webtest.FormValues(doc.Find("form.checkout-form"))
	for k, val := range map[string]string{"buyer_name": "김두레", "buyer_phone": "010-1234-5678", "buyer_email": "buyer@dure.test",
		"recipient": "박수령", "phone": "010-2222-3333", "postcode": "41940", "road": "대구광역시 중구 동덕로 115",
		"agree_terms": "1", "agree_privacy": "1"} {
		v.Set(k, val)
	}
	s.Post(t, "/checkout", v, http.StatusSeeOther)
	if w.count(t, `SELECT count(*) FROM order_lines WHERE product_id = $1`, product) == 0 {
		t.Fatal("no order line")
	}
}

// TestProductFormErrors: every refusal is shown next to its field, with
// everything typed kept and nothing written.
func TestProductFormErrors(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.member(t, w.a)
	products := func() int { return w.count(t, `SELECT count(*) FROM products WHERE enterprise_id = $1`, w.a) }
	before := products()

	tests := []struct {
		name   string
		edit   func(url.Values)
		status int
		field  string // the invalid field's id
		want   string // part of its message
	}{
		{"price not a number", func(v url.Values) { v.Set("consumer_price", "만이천원") }, 422, "f-consumer-price", "숫자만"},
		{"price above the limit", func(v url.Values) { v.Set("public_price", "100,000,001") }, 422, "f-public-price", "1억원 이하"},
		{"negative stock", func(v url.Values) { v.Set("stock", "-3") }, 422, "f-stock", "0 이상"},
		{"negative option stock", func(v url.Values) {
			v.Set("options[1].name", "대과")
			v.Set("options[1].stock", "-1")
			v.Set("options[1].extra_price", "0")
		}, 422, "f-opt-1-stock", "0 이상"},
		{"no category", func(v url.Values) { v.Del("category_id") }, 422, "f-category", "카테고리"},
		{"name taken", func(v url.Values) { v.Set("name", w.existingName(t)) }, 409, "f-name", "같은 이름의 상품"},
		{"tier unreadable", func(v url.Values) { v.Set("consumer_tiers", "열 개에 9000") }, 422, "f-consumer-tiers", "수량:단가"},
		{"tier at the base price", func(v url.Values) { v.Set("consumer_tiers", "10:12000") }, 422, "f-consumer-tiers", "기본 가격 12,000원보다 낮아야"},
		{"tiers rising", func(v url.Values) { v.Set("public_tiers", "100:10000;500:10500") }, 422, "f-public-tiers", "많을수록 낮아야"},
		{"six tiers", func(v url.Values) { v.Set("public_tiers", "2:10900;3:10800;4:10700;5:10600;6:10500;7:10400") }, 422, "f-public-tiers", "5개까지"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			action, v := productForm(t, b, "/portal/products/new")
			w.fill(v, "오류 확인용 상품")
			v.Set("summary", "그대로 남아야 하는 요약")
			tt.edit(v)
			_, doc, body := b.Post(t, action, v, tt.status)
			if msg := fieldError(t, doc, tt.field); !strings.Contains(msg, tt.want) {
				t.Errorf("#%s says %q, want it to mention %q\n%s", tt.field, msg, tt.want, webtest.Truncate(body, 500))
			}
			if doc.Find(".error-summary a[href='#"+tt.field+"']").Length() != 1 {
				t.Errorf("the error summary does not link to #%s", tt.field)
			}
			kept := webtest.FormValues(doc.Find("form.form-panel"))
			for _, k := range []string{"name", "summary", "consumer_price", "public_price", "consumer_tiers", "public_tiers", "stock", "description", "options[1].stock"} {
				if kept.Get(k) != v.Get(k) {
					t.Errorf("%s shown as %q, typed %q", k, kept.Get(k), v.Get(k))
				}
			}
			if products() != before {
				t.Error("a refused form wrote a product")
			}
			if n := w.count(t, `SELECT count(*) FROM product_price_tiers`); n != 0 {
				t.Errorf("a refused form wrote %d tiers", n)
			}
		})
	}
}

// Tiers typed in the form are stored, shown again on the edit page, kept
// by the screens that change one other field, audited, and cleared by
// emptying the field.
func TestProductFormTiers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.member(t, w.a)
	id := w.create(t, b, "수량 할인 사과", func(v url.Values) {
		v.Set("consumer_tiers", "50:10,000; 10:11000")
		v.Set("public_tiers", "100:10500")
	})
	tiers := func() string {
		var s string
		if err := w.e.Pool.QueryRow(context.Background(), `SELECT coalesce(string_agg(list || ' ' || min_quantity || ':' || unit_price, ';'
			ORDER BY list, min_quantity), '') FROM product_price_tiers WHERE product_id = $1`, id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := tiers(); got != "consumer 10:11000;consumer 50:10000;public 100:10500" {
		t.Fatalf("stored tiers %q", got)
	}
	page := "/portal/products/" + strconv.FormatInt(id, 10)
	action, v := productForm(t, b, page+"/edit")
	if v.Get("consumer_tiers") != "10:11000;50:10000" || v.Get("public_tiers") != "100:10500" {
		t.Errorf("edit form shows %q and %q", v.Get("consumer_tiers"), v.Get("public_tiers"))
	}
	// A refused edit (a tier above the new price) changes nothing.
	v.Set("consumer_price", "10500")
	v.Set("action", "save")
	_, doc, _ := b.Post(t, action, v, http.StatusUnprocessableEntity)
	if msg := fieldError(t, doc, "f-consumer-tiers"); !strings.Contains(msg, "10,500원보다 낮아야") {
		t.Errorf("tier error %q", msg)
	}
	if got := tiers(); got != "consumer 10:11000;consumer 50:10000;public 100:10500" {
		t.Errorf("a refused edit changed the tiers: %q", got)
	}
	// Publishing (a one-field screen) keeps them.
	b.Post(t, page+"/publish", url.Values{"_csrf": {v.Get("_csrf")}}, http.StatusSeeOther)
	if got := tiers(); got != "consumer 10:11000;consumer 50:10000;public 100:10500" {
		t.Errorf("publishing changed the tiers: %q", got)
	}
	action, v = productForm(t, b, page+"/edit")
	v.Set("consumer_tiers", "")
	v.Set("action", "save")
	b.Post(t, action, v, http.StatusSeeOther)
	if got := tiers(); got != "public 100:10500" {
		t.Errorf("after clearing the consumer tiers: %q", got)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'product' AND entity_id = $1 AND action = 'product.update'`,
		strconv.FormatInt(id, 10)); n < 1 {
		t.Errorf("the tier edit was not audited")
	}
}

// existingName is the name of a product A already sells.
func (w *world) existingName(t *testing.T) string {
	t.Helper()
	var name string
	if err := w.e.Pool.QueryRow(context.Background(), `SELECT name FROM products WHERE enterprise_id = $1 AND status = 'active' ORDER BY id LIMIT 1`, w.a).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestOtherEnterpriseNotFound: a member of B guessing the ids of A's
// product gets 404 from every product and image route, and changes nothing.
func TestOtherEnterpriseNotFound(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.member(t, w.a)
	id := w.create(t, a, "A의 비밀 상품", nil)
	p := fmt.Sprintf("/portal/products/%d", id)
	var before string
	_ = w.e.Pool.QueryRow(context.Background(), `SELECT updated_at::text FROM products WHERE id = $1`, id).Scan(&before)

	b := w.member(t, w.b)
	for _, path := range []string{p + "/edit", p + "/delete"} {
		b.Page(t, path, http.StatusNotFound)
	}
	doc := b.Page(t, "/portal/products/new", http.StatusOK)
	csrf := webtest.CSRFOf(t, doc)
	_, v := productForm(t, b, "/portal/products/new")
	w.fill(v, "B가 덮어쓴 이름")
	v.Set("option_rows", "0")
	for _, path := range []string{p, p + "/publish", p + "/unpublish", p + "/sold-out", p + "/delete",
		p + "/images/remove", p + "/images/move", p + "/images/alt"} {
		form := url.Values{"_csrf": {csrf}, "n": {"0"}, "url": {"/media/u/x"}, "alt": {"x"}}
		if path == p {
			form = v
		}
		b.Post(t, path, form, http.StatusNotFound)
	}
	resp, _ := upload(t, b, p+"/images", "image", "a.png", pngImage(t, 50, 50), url.Values{"_csrf": {csrf}})
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("image upload to A's product: %d, want 404", resp.StatusCode)
	}
	var after, name string
	_ = w.e.Pool.QueryRow(context.Background(), `SELECT updated_at::text, name FROM products WHERE id = $1`, id).Scan(&after, &name)
	if after != before || name != "A의 비밀 상품" {
		t.Errorf("A's product changed: %q %s → %s", name, before, after)
	}
	if strings.Contains(b.Page(t, "/portal/products", http.StatusOK).Text(), "A의 비밀 상품") {
		t.Error("B's list shows A's product")
	}
	if strings.Contains(b.Page(t, "/portal/stock", http.StatusOK).Text(), "A의 비밀 상품") {
		t.Error("B's stock screen shows A's product")
	}
}

// TestImages: an upload is checked by content, stored re-encoded under its
// content hash, served from /media/u/ and shown by the shop; pictures can be
// described, reordered and removed.
func TestImages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.member(t, w.a)
	id := w.create(t, b, "사진 있는 사과", nil)
	edit := fmt.Sprintf("/portal/products/%d/edit", id)
	target := fmt.Sprintf("/portal/products/%d/images", id)
	csrf := webtest.CSRFOf(t, b.Page(t, edit, http.StatusOK))
	images := func() []string {
		rows, err := w.e.Pool.Query(context.Background(), `SELECT url || ' ' || thumb_url || ' ' || alt FROM product_images WHERE product_id = $1 ORDER BY position`, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			_ = rows.Scan(&s)
			out = append(out, s)
		}
		return out
	}

	t.Run("not an image", func(t *testing.T) {
		resp, body := upload(t, b, target, "image", "photo.png", []byte("<html><script>alert(1)</script></html>"), url.Values{"_csrf": {csrf}, "alt": {"가짜"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", resp.StatusCode)
		}
		doc := webtest.Parse(t, body)
		if msg := fieldError(t, doc, "img-file"); !strings.Contains(msg, "JPG, PNG, GIF, WebP 이미지만") {
			t.Errorf("message %q", msg)
		}
		if got := doc.Find("#img-alt").AttrOr("value", ""); got != "가짜" {
			t.Errorf("alt text kept as %q", got)
		}
		if len(images()) != 0 {
			t.Error("a refused upload was attached")
		}
	})

	// A PNG with a script appended: accepted, but only the pixels are kept.
	poly := append(pngImage(t, 640, 480), []byte(`<html><body><script>alert("polyglot-XSS")</script></body></html>`)...)
	resp, body := upload(t, b, target, "image", "poly.png", poly, url.Values{"_csrf": {csrf}, "alt": {"빨간 사과 상자"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: status %d\n%s", resp.StatusCode, webtest.Truncate(body, 1000))
	}
	imgs := images()
	if len(imgs) != 1 {
		t.Fatalf("images %v", imgs)
	}
	parts := strings.SplitN(imgs[0], " ", 3)
	main, thumb, alt := parts[0], parts[1], parts[2]
	if !strings.HasPrefix(main, "/media/u/") || !strings.HasPrefix(thumb, "/media/u/") || !strings.HasSuffix(thumb, "_t.jpg") || alt != "빨간 사과 상자" {
		t.Errorf("stored %q", imgs[0])
	}
	for _, u := range []string{main, thumb} {
		r, body := b.Do(t, http.MethodGet, u, "", nil)
		if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("GET %s: %d %s", u, r.StatusCode, r.Header.Get("Content-Type"))
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("GET %s: headers %v", u, r.Header)
		}
		if strings.Contains(body, "polyglot") || strings.Contains(body, "<script") {
			t.Errorf("GET %s serves the upload's script", u)
		}
		if _, _, err := image.Decode(strings.NewReader(body)); err != nil {
			t.Errorf("GET %s: not an image: %v", u, err)
		}
	}
	for _, bad := range []string{"/media/u/../../etc/passwd", "/media/u/portal-uploads/1/x.csv", "/media/u/ab/" + strings.Repeat("0", 64) + ".jpg"} {
		if r, _ := b.Do(t, http.MethodGet, bad, "", nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", bad, r.StatusCode)
		}
	}

	// The shop shows it on the product page.
	doc := w.e.Page(t, fmt.Sprintf("/p/%d", id), http.StatusOK)
	if src := doc.Find(".product-media img").AttrOr("src", ""); src != main {
		t.Errorf("product page image %q, want %q", src, main)
	}
	if a := doc.Find(".product-media img").AttrOr("alt", ""); a != "빨간 사과 상자" {
		t.Errorf("product page alt %q", a)
	}

	t.Run("same image twice", func(t *testing.T) {
		resp, body := upload(t, b, target, "image", "again.png", poly, url.Values{"_csrf": {csrf}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "이미 올린 이미지") {
			t.Errorf("status %d", resp.StatusCode)
		}
	})

	// A second picture, then order, describe and remove.
	if resp, _ := upload(t, b, target, "image", "two.png", pngImage(t, 300, 300), url.Values{"_csrf": {csrf}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second upload: %d", resp.StatusCode)
	}
	second := strings.SplitN(images()[1], " ", 2)[0]
	b.Post(t, target+"/move", url.Values{"_csrf": {csrf}, "n": {"1"}, "url": {second}, "dir": {"up"}}, http.StatusSeeOther)
	if got := strings.SplitN(images()[0], " ", 2)[0]; got != second {
		t.Errorf("after moving up, first image %q", got)
	}
	b.Post(t, target+"/alt", url.Values{"_csrf": {csrf}, "n": {"0"}, "url": {second}, "alt": {"초록 그러데이션"}}, http.StatusSeeOther)
	if !strings.HasSuffix(images()[0], " 초록 그러데이션") {
		t.Errorf("alt not saved: %v", images())
	}
	b.Post(t, target+"/remove", url.Values{"_csrf": {csrf}, "n": {"1"}, "url": {second}}, http.StatusConflict) // stale: it is first now
	b.Post(t, target+"/remove", url.Values{"_csrf": {csrf}, "n": {"0"}, "url": {second}}, http.StatusSeeOther)
	if got := images(); len(got) != 1 || !strings.HasPrefix(got[0], main+" ") {
		t.Errorf("after removing: %v", got)
	}
}

// TestStock: the stock screen saves every changed count at once, and a bad
// count anywhere refuses the whole form with the reason beside its row.
func TestStock(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.member(t, w.a)
	plain := w.create(t, b, "재고 확인 사과", func(v url.Values) { v.Set("stock", "3") })
	opts := w.create(t, b, "재고 확인 배", func(v url.Values) {
		v.Set("options[0].name", "소")
		v.Set("options[0].stock", "1")
		v.Set("options[1].name", "대")
		v.Set("options[1].stock", "9")
	})
	var small, large int64
	_ = w.e.Pool.QueryRow(context.Background(), `SELECT min(id), max(id) FROM product_options WHERE product_id = $1`, opts).Scan(&small, &large)
	key := func(p int64, o ...int64) string {
		k := "s-" + strconv.FormatInt(p, 10)
		for _, id := range o {
			k += "-" + strconv.FormatInt(id, 10)
		}
		return k
	}

	doc := b.Page(t, "/portal/stock", http.StatusOK)
	// Lowest stock first: each product's lowest count (its own or an
	// option's) never falls further down the list.
	var mins []int
	doc.Find("table.stock-table tbody tr").Each(func(_ int, tr *goquery.Selection) {
		in := tr.Find(`input[name^="s-"]`)
		if in.Length() == 0 {
			mins = append(mins, 1<<30) // a product with options: its options follow
			return
		}
		n, _ := strconv.Atoi(in.AttrOr("value", ""))
		if tr.HasClass("sub-row") {
			mins[len(mins)-1] = min(mins[len(mins)-1], n)
			return
		}
		mins = append(mins, n)
	})
	for i := 1; i < len(mins); i++ {
		if mins[i] < mins[i-1] {
			t.Errorf("stock screen order: %v is not lowest first", mins)
			break
		}
	}
	if doc.Find("#"+key(plain)).Length() != 1 || doc.Find("#"+key(opts, small)).Length() != 1 || doc.Find("#"+key(opts)).Length() != 0 {
		t.Fatal("the stock form lacks a product or option row (or has an input for a product with options)")
	}
	if doc.Find(`label[for="`+key(opts, small)+`"]`).Text() != "재고 확인 배 소 재고" {
		t.Errorf("option row label %q", doc.Find(`label[for="`+key(opts, small)+`"]`).Text())
	}
	form := doc.Find(`form[action="/portal/stock"]`)

	t.Run("bad counts refuse everything", func(t *testing.T) {
		v := webtest.FormValues(form)
		v.Set(key(plain), "-1")
		v.Set(key(opts, small), "열두개")
		v.Set(key(opts, large), "20") // fine on its own, but must not be written
		_, d, _ := b.Post(t, "/portal/stock", v, http.StatusUnprocessableEntity)
		for _, k := range []string{key(plain), key(opts, small)} {
			if msg := fieldError(t, d, k); !strings.Contains(msg, "0부터 1,000,000") {
				t.Errorf("%s: %q", k, msg)
			}
			if got := d.Find("#"+k).AttrOr("value", ""); got != v.Get(k) {
				t.Errorf("%s shown as %q, typed %q", k, got, v.Get(k))
			}
		}
		if d.Find("#"+key(opts, large)).AttrOr("value", "") != "20" {
			t.Error("a good row lost its typed count")
		}
		if w.stock(t, plain) != 3 || w.stock(t, opts) != 10 {
			t.Error("a refused stock form wrote something")
		}
	})

	t.Run("changed since the page was shown", func(t *testing.T) {
		v := webtest.FormValues(form)
		if _, err := w.e.Pool.Exec(context.Background(), `UPDATE products SET stock = 2 WHERE id = $1`, plain); err != nil {
			t.Fatal(err)
		}
		v.Set(key(plain), "10")
		_, d, _ := b.Post(t, "/portal/stock", v, http.StatusUnprocessableEntity)
		if msg := fieldError(t, d, key(plain)); !strings.Contains(msg, "그사이 재고가 2") {
			t.Errorf("message %q", msg)
		}
		if w.stock(t, plain) != 2 {
			t.Error("a stale count was written")
		}
	})

	doc = b.Page(t, "/portal/stock", http.StatusOK)
	v := webtest.FormValues(doc.Find(`form[action="/portal/stock"]`))
	v.Set(key(plain), "12")
	v.Set(key(opts, large), "1,000")
	loc, _, _ := b.Post(t, "/portal/stock", v, http.StatusSeeOther)
	if loc != "/portal/stock?done=stock-saved" {
		t.Errorf("saved to %q", loc)
	}
	if w.stock(t, plain) != 12 || w.stock(t, opts) != 1001 {
		t.Errorf("stock %d and %d, want 12 and 1001", w.stock(t, plain), w.stock(t, opts))
	}
	if n := w.count(t, `SELECT stock FROM product_options WHERE id = $1`, small); n != 1 {
		t.Errorf("untouched option now %d", n)
	}
}

// csvHeader is the upload's header row (the template's names, without the hints).
const csvHeader = "상품코드,상품명,카테고리,구분,과세구분,소비자가,공공기관가,재고,옵션\r\n"

// TestCSVUpload: a broken file lists every bad row by line with nothing
// written; the fixed file previews what it will do, writes nothing until
// confirmed, and is applied once; EUC-KR and UTF-8 with BOM read alike.
func TestCSVUpload(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.member(t, w.a)
	products := func() int { return w.count(t, `SELECT count(*) FROM products WHERE enterprise_id = $1`, w.a) }
	before := products()
	doc := b.Page(t, "/portal/products/upload", http.StatusOK)
	csrf := webtest.CSRFOf(t, doc)

	r, body := b.Do(t, http.MethodGet, doc.Find(`a[href$="template.csv"]`).AttrOr("href", ""), "", nil)
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(body, "\ufeff상품코드,상품명") {
		t.Errorf("template: %d %s %q", r.StatusCode, r.Header.Get("Content-Type"), webtest.Truncate(body, 60))
	}

	broken := "\ufeff" + csvHeader +
		"UP-1,업로드 사과,식품 > 과일·채소,상품,면세,12000,11000,5,\r\n" +
		"UP-2,,없는 카테고리,상품,면세,-5,9000,열개,\r\n" +
		"UP-3,업로드 배,식품 > 과일·채소,물건,과세,9000,8000,3,\r\n"
	resp, body := upload(t, b, "/portal/products/upload", "file", "broken.csv", []byte(broken), url.Values{"_csrf": {csrf}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("broken file: status %d", resp.StatusCode)
	}
	doc = webtest.Parse(t, body)
	var problems []string
	doc.Find("#problems-h").Parent().Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
		problems = append(problems, strings.Join(tr.Find("td").Map(func(_ int, td *goquery.Selection) string { return td.Text() }), " "))
	})
	for _, want := range []string{"3행 상품명 상품명을 입력해 주세요.", "3행 카테고리", "3행 소비자가 가격은 1원 이상", "3행 재고 재고는 숫자만", "4행 구분 구분은 상품 또는 서비스"} {
		found := false
		for _, p := range problems {
			found = found || strings.HasPrefix(p, want)
		}
		if !found {
			t.Errorf("no problem %q in %q", want, problems)
		}
	}
	if doc.Find(`form[action="/portal/products/upload/apply"]`).Length() != 0 {
		t.Error("a broken file can be applied")
	}
	if products() != before {
		t.Error("a broken file wrote products")
	}

	fixed := csvHeader +
		"UP-1,업로드 사과,식품 > 과일·채소,상품,면세,12000,11000,5,\r\n" +
		"UP-2,업로드 자두,식품 > 과일·채소,상품,면세,15000,14000,,특:3000:4; 보통:0:6\r\n" +
		"UP-3,업로드 배,식품 > 과일·채소,상품,과세,9000,8000,3,\r\n"
	previews := map[string]string{}
	for enc, data := range map[string][]byte{"UTF-8 BOM": append([]byte("\ufeff"), fixed...), "EUC-KR": eucKR(t, fixed)} {
		resp, body := upload(t, b, "/portal/products/upload", "file", "fixed.csv", data, url.Values{"_csrf": {csrf}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d\n%s", enc, resp.StatusCode, webtest.Truncate(body, 2000))
		}
		d := webtest.Parse(t, body)
		previews[enc] = strings.Join(strings.Fields(d.Find(".counts").Text()+d.Find(`[aria-label="반영할 내용"]`).Text()), " ")
		if !strings.Contains(previews[enc], "새로 등록 3개") || !strings.Contains(previews[enc], "업로드 자두") {
			t.Errorf("%s preview: %q", enc, previews[enc])
		}
		if enc == "UTF-8 BOM" {
			doc = d
		}
	}
	if previews["UTF-8 BOM"] != previews["EUC-KR"] {
		t.Errorf("EUC-KR previews %q, UTF-8 %q", previews["EUC-KR"], previews["UTF-8 BOM"])
	}
	if products() != before {
		t.Error("a preview wrote products")
	}
	apply := webtest.FormValues(doc.Find(`form[action="/portal/products/upload/apply"]`))
	if apply.Get("upload") == "" || apply.Get("token") == "" {
		t.Fatalf("confirm form: %v", apply)
	}
	_, d, _ := b.Post(t, "/portal/products/upload/apply", apply, http.StatusOK)
	if !strings.Contains(d.Find("h1").Text(), "반영했습니다") || d.Find(`a[href^="/portal/products/"][href$="/edit"]`).Length() != 3 {
		t.Errorf("applied page: %q", webtest.Truncate(d.Find("main").Text(), 500))
	}
	if products() != before+3 {
		t.Errorf("%d products added, want 3", products()-before)
	}
	if n := w.count(t, `SELECT stock FROM products WHERE enterprise_id = $1 AND code = 'UP-2'`, w.a); n != 10 {
		t.Errorf("UP-2 stock %d, want 10 (its options)", n)
	}
	// The same confirmation again: the kept file is gone.
	_, d, _ = b.Post(t, "/portal/products/upload/apply", apply, http.StatusConflict)
	if msg := fieldError(t, d, "csv-file"); !strings.Contains(msg, "이미 반영했거나") {
		t.Errorf("second apply: %q", msg)
	}
	if products() != before+3 {
		t.Error("applied twice")
	}

	t.Run("a spreadsheet file", func(t *testing.T) {
		resp, body := upload(t, b, "/portal/products/upload", "file", "products.xlsx", []byte("PK\x03\x04rest of a zip"), url.Values{"_csrf": {csrf}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "CSV UTF-8") {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
}

// eucKR encodes s as EUC-KR (CP949), as Korean Excel saves CSV.
func eucKR(t *testing.T, s string) []byte {
	t.Helper()
	b, err := korean.EUCKR.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestProductReachesSearch: a product made in the portal is in search once
// the outbox worker has run.
func TestProductReachesSearch(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.member(t, w.a)
	w.create(t, b, "포털에서 만든 오미자청", func(v url.Values) { v.Set("summary", "문경 오미자") })
	w.drain(t)
	doc := w.e.Page(t, "/search?q="+url.QueryEscape("오미자청"), http.StatusOK)
	if !strings.Contains(doc.Find(".grid").Text(), "포털에서 만든 오미자청") {
		t.Errorf("search does not find the new product: %q", webtest.Truncate(doc.Find("main").Text(), 500))
	}
}

// member signs in a new owner account of enterprise ent.
func (w *world) member(t *testing.T, ent int64) *webtest.Shopper {
	t.Helper()
	b := w.e.Shopper()
	b.SignIn(t, w.e.Member(t, ent, account.Owner), webtest.Password)
	return b
}

// drain runs the search outbox worker once.
func (w *world) drain(t *testing.T) { w.e.DrainSearch(t) }

// TestGuard: who gets the portal, and what everyone else sees instead.
func TestGuard(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()

	t.Run("anonymous", func(t *testing.T) {
		b := w.e.Shopper()
		r, _ := b.Do(t, http.MethodGet, "/portal/products?status=draft", "", nil)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/signin?next=%2Fportal%2Fproducts%3Fstatus%3Ddraft" {
			t.Errorf("GET: %d to %q", r.StatusCode, r.Header.Get("Location"))
		}
		r, body := b.Do(t, http.MethodPost, "/portal/products", "application/x-www-form-urlencoded", strings.NewReader("name=x"))
		// No token of ours: a plain refusal, nothing carried (a form of
		// ours is kept: app's TestExpiredSessionMidFormLosesNothing).
		if r.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "로그인이 필요합니다") || strings.Contains(body, "resume_data") {
			t.Errorf("POST: %d\n%s", r.StatusCode, webtest.Truncate(body, 500))
		}
	})

	t.Run("consumer", func(t *testing.T) {
		b := w.e.Shopper()
		b.SignIn(t, w.e.Consumer(t), webtest.Password)
		doc := b.Page(t, "/portal/products", http.StatusForbidden)
		if !strings.Contains(doc.Find("main").Text(), "입점기업 회원만") {
			t.Errorf("consumer sees %q", webtest.Truncate(doc.Find("main").Text(), 300))
		}
	})

	t.Run("applicant under review", func(t *testing.T) {
		email := webtest.Email("applicant")
		_, err := w.e.Onboarding.Apply(ctx, onboarding.ApplicationInput{
			Name: "심사중 협동조합", BusinessNumber: "220-81-62517", Type: catalog.Cooperative, CertNumber: "2019-협동-0123", Region: "daegu",
			Representative: "김민준", Phone: "053-870-1234", Email: "coop@dure.test", Address: "대구광역시 중구 동덕로 115",
			Mission: "지역에서 일자리를 만듭니다.", BankName: "농협은행", BankAccount: "301-0123-4567-81", BankHolder: "심사중 협동조합",
			OwnerName: "김민준", OwnerEmail: email, OwnerPassword: webtest.Password, OwnerPasswordConfirm: webtest.Password})
		if err != nil {
			var ae *apperr.Error
			errors.As(err, &ae)
			t.Fatalf("apply: %v %v", err, ae.Fields)
		}
		b := w.e.Shopper()
		b.SignIn(t, email, webtest.Password)
		doc := b.Page(t, "/portal", http.StatusOK)
		if h := doc.Find("h1").Text(); h != "입점 신청 현황" || !strings.Contains(doc.Find("main").Text(), "심사 중") {
			t.Errorf("applicant sees %q: %q", h, webtest.Truncate(doc.Find("main").Text(), 300))
		}
		if doc.Find(".portal-nav").Length() != 0 {
			t.Error("an applicant gets the portal's menu")
		}
		b.Page(t, "/portal/products", http.StatusForbidden)
	})

	t.Run("suspended enterprise", func(t *testing.T) {
		c := w.e.Enterprises(t, 3)[2]
		b := w.e.Shopper()
		b.SignIn(t, w.e.Member(t, c, account.Staff), webtest.Password)
		b.Page(t, "/portal/products", http.StatusOK)
		if _, err := w.e.Pool.Exec(ctx, `UPDATE enterprises SET status = 'suspended' WHERE id = $1`, c); err != nil {
			t.Fatal(err)
		}
		doc := b.Page(t, "/portal/products", http.StatusForbidden)
		if !strings.Contains(doc.Find("main").Text(), "입점이 정지된 기업입니다") {
			t.Errorf("suspended member sees %q", webtest.Truncate(doc.Find("main").Text(), 300))
		}
	})

	t.Run("operator acting on behalf", func(t *testing.T) {
		email := w.e.Operator(t)
		op, sid, err := w.e.Accounts.SignIn(ctx, email, webtest.Password, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		op.SessionID = sid
		acting, err := w.e.Accounts.StartActingFor(account.NewContext(ctx, op), w.a)
		if err != nil {
			t.Fatal(err)
		}
		b := w.e.Shopper()
		b.Cookies["dure_session"] = acting
		doc := b.Page(t, "/portal/products", http.StatusOK)
		banner := doc.Find(".acting-banner")
		if !strings.Contains(banner.Text(), "운영자 대리 작업 중: "+w.aName) {
			t.Errorf("banner %q", banner.Text())
		}
		if banner.Find(`form[action="/admin/acting/stop"][method="post"] input[name="_csrf"]`).Length() != 1 {
			t.Error("the banner has no stop button with a CSRF token")
		}
		id := w.create(t, b, "운영자가 대신 등록한 상품", nil)
		if n := w.count(t, `SELECT count(*) FROM products WHERE id = $1 AND enterprise_id = $2`, id, w.a); n != 1 {
			t.Error("the operator's product is not A's")
		}
		// A plain member sees no banner.
		m := w.member(t, w.a)
		if m.Page(t, "/portal", http.StatusOK).Find(".acting-banner").Length() != 0 {
			t.Error("a member sees the operator's banner")
		}
	})
}
