package shop_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// download is what fetching a file link answered.
type download struct {
	Status      int    `json:"status"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
	Text        string `json:"text"`
}

// TestBrowserBoard walks the co-op's notices in headless Chromium: the
// operator writes a pinned notice with a PDF in the console (a wrong form
// first, kept with its errors); it shows on the home page; a visitor opens
// it and downloads the file. The enterprise directory is walked with its
// filters. axe-core finds nothing, of any impact, at 1280 and 390 px on
// every page of the walk. Three browsers: the operator, the visitor and
// the directory.
func TestBrowserBoard(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)
	noAxe := func(vs []browser.Violation) {
		t.Helper()
		if len(vs) > 0 {
			t.Errorf("axe-core found %d violations:\n%s", len(vs), browser.Format(vs))
		}
	}
	pdf := filepath.Join(t.TempDir(), "2027 입점 안내서.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n% 두레\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	b.SignIn(e.Operator(t), webtest.Password)
	noAxe(b.CheckAxe(t, "/admin/board"))
	b.Open("/admin/board/new")
	noAxe(b.CheckAxeCurrent(t, "/admin/board/new"))
	b.Fill(map[string]string{"#body": "내년 입점 안내서를 올립니다.\n\n문의: https://dure.example/help"})
	if st := b.Submit("save without a title", `form.admin-form button.btn-primary`); st != http.StatusUnprocessableEntity {
		t.Fatalf("no title: status %d", st)
	}
	if !b.Has("#title-error") || !strings.Contains(b.Value("#body"), "내년 입점 안내서") {
		t.Fatal("no error beside the title, or the body not kept")
	}
	noAxe(b.CheckAxeCurrent(t, "/admin/board/new with errors"))
	b.Fill(map[string]string{"#title": "2027년 입점 안내"})
	b.Run("attach the PDF, pin and publish", chromedp.SetUploadFiles(chromedp.CSS("#post-files"), []string{pdf}),
		chromedp.Click(`input[name="pinned"]`), chromedp.SetValue("#status", "published"))
	if st := b.Submit("save", `form.admin-form button.btn-primary`); st != http.StatusOK {
		t.Fatalf("save: status %d", st)
	}
	if !strings.HasPrefix(b.Path(), "/admin/board/") || !strings.Contains(b.Text(".admin-form"), "2027 입점 안내서.pdf") {
		t.Fatalf("after saving: %s %q", b.Path(), b.Text(".admin-form"))
	}
	noAxe(b.CheckAxeCurrent(t, "/admin/board/:id"))
	noAxe(b.CheckAxe(t, "/admin/board"))

	// A visitor (a browser of its own: each is bounded by browser.Timeout,
	// and a loaded machine needs it): the home page lists it, pinned; the
	// post and its file.
	b = browser.New(t, e)
	noAxe(b.CheckAxe(t, "/"))
	if !strings.Contains(b.Text(".board-home .pinned"), "2027년 입점 안내") {
		t.Fatalf("home page's notices: %q", b.Text(".board-home"))
	}
	if st := b.Submit("open the notice", `.board-home .pinned a`); st != http.StatusOK {
		t.Fatalf("notice: status %d", st)
	}
	post := b.Path()
	noAxe(b.CheckAxe(t, post))
	if got := browser.Eval[string](b, `document.querySelector(".post-body a").href`); got != "https://dure.example/help" {
		t.Errorf("body link %q", got)
	}
	d, err := chromedp.Run(b.Ctx, chromedp.Evaluate[download](`(async () => {
	  const r = await fetch(document.querySelector(".post-files a").href);
	  return {status: r.status, type: r.headers.get("content-type"), disposition: r.headers.get("content-disposition"), text: await r.text()};
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != 200 || d.Type != "application/pdf" || !strings.HasPrefix(d.Disposition, "attachment;") || !strings.Contains(d.Text, "% 두레") {
		t.Fatalf("download: %+v", d)
	}
	noAxe(b.CheckAxe(t, "/notices"))
	noAxe(b.CheckAxe(t, "/downloads"))

	// The directory: filtered, searched with nothing found, and refused.
	b = browser.New(t, e)
	noAxe(b.CheckAxe(t, "/enterprises"))
	noAxe(b.CheckAxe(t, "/enterprises?type=social_enterprise&sort=newest"))
	noAxe(b.CheckAxe(t, "/enterprises?q=%EC%97%86%EB%8A%94%EA%B8%B0%EC%97%85"))
	if st := b.Open("/enterprises?type=corp"); st != http.StatusBadRequest {
		t.Fatalf("bad type: %d", st)
	}
	noAxe(b.CheckAxeCurrent(t, "/enterprises with a bad type"))
}
