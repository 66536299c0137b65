package web

import (
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dure-coop/dure/storefront"
)

// testDot stands for an audience's layout dot: its layout and the page's view.
type testDot struct {
	L    struct{ Title string }
	Page any
}

func TestLoadTemplates(t *testing.T) {
	if _, err := LoadTemplates(storefront.FS(), ""); err != nil {
		t.Fatalf("embedded storefront: %v", err)
	}
	required := []string{"shop/home", "shop/product", "shop/error"}
	good := fstest.MapFS{
		"templates/layouts/shop.html": {Data: []byte(`{{define "base"}}<html>{{template "content" .}}</html>{{end}}`)},
		"static/app.css":              {Data: []byte(`body{}`)},
	}
	for _, name := range required {
		good["templates/"+name+".html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}` + name + `{{end}}`)}
	}
	tmpl, err := LoadTemplates(good, "", required...)
	if err != nil {
		t.Fatalf("complete set: %v", err)
	}
	if p := tmpl.StaticPath("app.css"); !strings.HasPrefix(p, "/static/app.") || p == "/static/app.css" || !strings.HasSuffix(p, ".css") {
		t.Errorf("StaticPath(app.css) = %q, want a fingerprinted name", p)
	}

	// The base template reaches static files by their "static/NAME"
	// templates and the page's view as .Page.
	good["templates/layouts/shop.html"] = &fstest.MapFile{Data: []byte(
		`{{define "base"}}<link href="{{template "static/app.css"}}">{{.L.Title}}:{{template "content" .Page}}{{end}}`)}
	good["templates/shop/home.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{.Q}}{{end}}`)}
	if tmpl, err = LoadTemplates(good, "", required...); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	dot := &testDot{Page: struct{ Q string }{Q: "<검색>"}}
	dot.L.Title = "제목"
	if err := tmpl.Render(&out, "shop/home", dot); err != nil {
		t.Fatal(err)
	}
	if want := `<link href="` + tmpl.StaticPath("app.css") + `">제목:&lt;검색&gt;`; out.String() != want {
		t.Errorf("rendered %q, want %q", out.String(), want)
	}
	gone := fstest.MapFS{}
	for k, v := range good {
		if k != "static/app.css" {
			gone[k] = v
		}
	}
	if _, err := LoadTemplates(gone, "", required...); err == nil || !strings.Contains(err.Error(), "static/app.css") {
		t.Errorf("layout naming a static file that does not exist: err = %v, want one naming it", err)
	}
	odd := fstest.MapFS{"static/my app.css": {Data: []byte(`body{}`)}}
	for k, v := range good {
		odd[k] = v
	}
	if _, err := LoadTemplates(odd, "", required...); err == nil || !strings.Contains(err.Error(), "my app.css") {
		t.Errorf("static file with a space in its name: err = %v, want one naming it", err)
	}

	missing := fstest.MapFS{}
	for k, v := range good {
		if k != "templates/shop/product.html" {
			missing[k] = v
		}
	}
	if _, err := LoadTemplates(missing, "", required...); err == nil || !strings.Contains(err.Error(), "product") {
		t.Errorf("missing product page: err = %v, want one naming it", err)
	}
	broken := fstest.MapFS{}
	for k, v := range good {
		broken[k] = v
	}
	broken["templates/shop/home.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{.Oops`)}
	if _, err := LoadTemplates(broken, "", required...); err == nil {
		t.Error("broken template: no error")
	}

	// Another audience: its pages get its own layout and partials, and may
	// use the names of the shop's (each page sees only its audience's);
	// pages without a layout fail.
	two := fstest.MapFS{}
	for k, v := range good {
		two[k] = v
	}
	two["templates/shop/partials/note.html"] = &fstest.MapFile{Data: []byte(`{{define "note"}}shop{{end}}`)}
	two["templates/shop/note.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{template "note"}}{{end}}`)}
	two["templates/layouts/admin.html"] = &fstest.MapFile{Data: []byte(`{{define "base"}}[admin {{template "content" .}}]{{end}}`)}
	two["templates/admin/partials/note.html"] = &fstest.MapFile{Data: []byte(`{{define "note"}}admin{{end}}`)}
	two["templates/admin/note.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{template "note"}}{{end}}`)}
	if tmpl, err = LoadTemplates(two, "", append([]string{"admin/note"}, required...)...); err != nil {
		t.Fatal(err)
	}
	for page, want := range map[string]string{"admin/note": "[admin admin]", "shop/note": "shop"} {
		out.Reset()
		if err := tmpl.Render(&out, page, &testDot{}); err != nil {
			t.Fatal(err)
		}
		if got := out.String(); !strings.HasSuffix(got, want) || (page == "shop/note" && strings.Contains(got, "admin")) {
			t.Errorf("%s rendered %q, want its own layout and partial (%q)", page, got, want)
		}
	}
	delete(two, "templates/layouts/admin.html")
	if _, err := LoadTemplates(two, "", required...); err == nil || !strings.Contains(err.Error(), "layouts/admin.html") {
		t.Errorf("pages without a layout: err = %v, want one naming the layout", err)
	}
}

// Each page holds copies of the templates its layout and content reach,
// through any number of calls, and no others; its own definitions win over
// the partials'.
func TestPageTemplatesHoldWhatTheyReach(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/layouts/shop.html": {Data: []byte(`{{define "base"}}<title>{{template "title" .}}</title>{{template "content" .}}{{end}}`)},
		"templates/partials/a.html": {Data: []byte(`{{define "title"}}두레{{end}}{{define "card"}}[{{template "badge" .}}]{{end}}` +
			`{{define "badge"}}<b>{{.}}</b>{{end}}{{define "unused"}}{{template "badge" .}}{{end}}`)},
		"templates/shop/partials/b.html": {Data: []byte(`{{define "shop-only"}}x{{end}}`)},
		"templates/shop/list.html":       {Data: []byte(`{{define "content"}}{{range .}}{{template "card" .}}{{end}}{{end}}`)},
		"templates/shop/own.html":        {Data: []byte(`{{define "content"}}{{template "badge" .}}{{end}}{{define "title"}}내 제목{{end}}`)},
	}
	tmpl, err := LoadTemplates(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := tmpl.Render(&out, "shop/list", []string{"<1>", "2"}); err != nil {
		t.Fatal(err)
	}
	if want := `<title>두레</title>[<b>&lt;1&gt;</b>][<b>2</b>]`; out.String() != want {
		t.Errorf("shop/list rendered %q, want %q", out.String(), want)
	}
	out.Reset()
	if err := tmpl.Render(&out, "shop/own", "<i>"); err != nil {
		t.Fatal(err)
	}
	if want := `<title>내 제목</title><b>&lt;i&gt;</b>`; out.String() != want {
		t.Errorf("shop/own rendered %q, want %q (its own title)", out.String(), want)
	}
	for page, want := range map[string]map[string]bool{
		"shop/list": {"base": true, "title": true, "content": true, "card": true, "badge": true, "unused": false, "shop-only": false},
		"shop/own":  {"base": true, "title": true, "content": true, "card": false, "badge": true, "unused": false, "shop-only": false},
	} {
		p := tmpl.set.pages[page]
		for name, held := range want {
			if got := p.Lookup(name) != nil; got != held {
				t.Errorf("%s holds %q: %v, want %v", page, name, got, held)
			}
		}
	}

	// A call of a template that nothing defines still fails the load.
	fsys["templates/shop/list.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{template "gone" .}}{{end}}`)}
	if _, err := LoadTemplates(fsys, ""); err == nil || !strings.Contains(err.Error(), "gone") {
		t.Errorf("a call of an undefined template: err = %v, want one naming it", err)
	}
}

// The storefront's templates and static files, as loaded at start-up, hold
// little memory: each page used to carry a copy of every partial (33 MiB
// for some 100 pages) and the brotli encoder that compressed the static
// files stayed pooled with its 32 MiB hash table. At serve's GOGC=400 the
// collector lets the heap grow to five times what is live, so what is held
// here counts five times in the server's RSS.
func TestLoadTemplatesMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tmpl, err := LoadTemplates(storefront.FS(), "")
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.GC() // a second cycle empties sync.Pools (such as an encoder's)
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(tmpl)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("templates and static files hold %.1f MiB", float64(held)/(1<<20))
	if held > 20<<20 {
		t.Errorf("templates and static files hold %.1f MiB after start-up, want under 20 MiB", float64(held)/(1<<20))
	}
	if f, ok := tmpl.static("app.css"); !ok || len(f.br) == 0 || len(f.br) >= len(f.body)/3 {
		t.Errorf("app.css: brotli copy of %d bytes for %d", len(f.br), len(f.body))
	}
}
