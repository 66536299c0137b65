package portal_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserPortal walks the product screens in headless Chromium as a
// member would — a form sent wrong and right, Enter in a field, an image
// uploaded, the stock and CSV screens with their errors — running axe-core
// (WCAG 2.1 A and AA, at a desktop and a 390 px phone width) on each page
// as shown: no serious or critical violation. The product then appears in
// the shop's search with its picture.
func TestBrowserPortal(t *testing.T) {
	w := newWorld(t)
	b := browser.New(t, w.e)
	b.SignIn(w.e.Member(t, w.a, account.Owner), webtest.Password)

	for _, path := range []string{"/portal", "/portal/products", "/portal/products/new", "/portal/stock", "/portal/products/upload"} {
		b.CheckAxe(t, path)
	}

	// The form sent wrong: every error beside its field, checked as shown.
	b.Open("/portal/products/new")
	b.Fill(map[string]string{"#f-name": "브라우저 사과 5kg", "#f-category": strconv.FormatInt(w.fruit, 10),
		"#f-consumer-price": "만오천원", "#f-public-price": "14000", "#f-stock": "-2"})
	if st := b.Submit("send the product form wrong", `form.form-panel button.btn-primary[value="save"]`); st != http.StatusUnprocessableEntity {
		t.Errorf("wrong form: status %d, want 422", st)
	}
	for _, sel := range []string{"#f-consumer-price-err", "#f-stock-err", ".error-summary"} {
		if !b.Has(sel) {
			t.Errorf("the form shown again has no %s", sel)
		}
	}
	if got := b.Value("#f-name"); got != "브라우저 사과 5kg" {
		t.Errorf("name kept as %q", got)
	}
	b.CheckAxeCurrent(t, "/portal/products/new with errors")

	// Fixed, and sent with Enter in a field: that saves (it does not add
	// option rows, the form's other button).
	b.Fill(map[string]string{"#f-consumer-price": "15,000", "#f-stock": "8"})
	resp, err := chromedp.RunResponse(b.Ctx, chromedp.SendKeys(chromedp.CSS("#f-unit"), "1상자"+kb.Enter))
	if err != nil {
		t.Fatalf("Enter in a field: %v", err)
	}
	id, ok := editID(b.Path())
	if resp == nil || resp.Status != http.StatusOK || !ok {
		t.Fatalf("Enter in a field went to %s", b.Path())
	}
	b.CheckAxeCurrent(t, "the edit page")

	// An image from the file picker.
	img := browser.PNG(t, 640, 480)
	if err := chromedp.Do(b.Ctx, chromedp.SetUploadFiles(chromedp.CSS("#img-file"), []string{img})); err != nil {
		t.Fatal(err)
	}
	b.Fill(map[string]string{"#img-alt": "초록 상자"})
	if st := b.Submit("upload an image", `form[enctype="multipart/form-data"] button[type="submit"]`); st != http.StatusOK {
		t.Errorf("upload: status %d", st)
	}
	if !b.Has(`.image-item img[src^="/media/u/"]`) {
		t.Fatal("no uploaded image on the edit page")
	}
	b.CheckAxeCurrent(t, "the edit page with an image")
	// Not an image: the reason beside the file field.
	bad := filepath.Join(t.TempDir(), "not-an-image.png")
	if err := os.WriteFile(bad, []byte("<html>no</html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.Ctx, chromedp.SetUploadFiles(chromedp.CSS("#img-file"), []string{bad})); err != nil {
		t.Fatal(err)
	}
	if st := b.Submit("upload a file that is no image", `form[enctype="multipart/form-data"] button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Errorf("bad upload: status %d, want 422", st)
	}
	b.CheckAxeCurrent(t, "the edit page with an image error")
	b.CheckAxe(t, "/portal/products/"+strconv.FormatInt(id, 10)+"/delete")

	// The stock screen sent wrong.
	b.Open("/portal/stock")
	key := "#s-" + strconv.FormatInt(id, 10)
	b.Fill(map[string]string{key: "많이"})
	if st := b.Submit("send the stock form wrong", `form[action="/portal/stock"] button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Errorf("stock form: status %d, want 422", st)
	}
	b.CheckAxeCurrent(t, "/portal/stock with errors")

	// A CSV file with problems, previewed.
	csv := filepath.Join(t.TempDir(), "products.csv")
	if err := os.WriteFile(csv, []byte("\ufeff"+csvHeader+"B-1,,식품 > 과일·채소,상품,면세,-1,100,3,\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Open("/portal/products/upload")
	if err := chromedp.Do(b.Ctx, chromedp.SetUploadFiles(chromedp.CSS("#csv-file"), []string{csv})); err != nil {
		t.Fatal(err)
	}
	if st := b.Submit("preview a broken CSV", `form[enctype="multipart/form-data"] button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Errorf("CSV preview: status %d, want 422", st)
	}
	b.CheckAxeCurrent(t, "the CSV preview with problems")

	// In the shop's search, with its picture.
	w.drain(t)
	b.Open("/search?q=" + url.QueryEscape("브라우저 사과"))
	if !strings.Contains(b.Text("main"), "브라우저 사과 5kg") || !b.Has(`.card img[src^="/media/u/"]`) {
		t.Errorf("search: %q", webtest.Truncate(b.Text("main"), 300))
	}
}
