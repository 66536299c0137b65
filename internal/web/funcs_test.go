package web

import (
	"encoding/xml"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/storefront"
)

func TestLabelLines(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"청송 꿀사과 5kg", []string{"청송 꿀사과", "5kg"}},
		{"[친환경] 주방세제 500ml 리필", []string{"주방세제", "500ml 리필"}},
		{"아주아주아주긴상품이름입니다", []string{"아주아주아주긴상…"}},
		{"사무실 정기 청소 서비스 주 1회", []string{"사무실 정기 청소", "서비스 주 1회"}},
	}
	for _, tt := range tests {
		if got := labelLines(tt.name); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("labelLines(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestProductSVGIsWellFormedAndEscaped(t *testing.T) {
	p := &catalog.Product{ID: 7, Name: `<b>"사과"</b> & 배 </svg>`}
	parent := int64(1)
	ix := catalog.NewCategoryIndex([]*catalog.Category{{ID: 1, Slug: "food"}, {ID: 2, Slug: "fruit", ParentID: &parent}, {ID: 3, Slug: "living"}})
	svg := productSVG(p, artFor(ix, 2))
	if strings.Contains(string(svg), "<b>") || strings.Count(string(svg), "</svg>") != 1 {
		t.Fatalf("name not escaped: %s", svg)
	}
	d := xml.NewDecoder(strings.NewReader(string(svg)))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed XML: %v\n%s", err, svg)
			}
			break
		}
	}
	if string(productSVG(p, artFor(ix, 2))) != string(svg) {
		t.Error("SVG is not deterministic")
	}
	if artFor(ix, 2).pal == artFor(ix, 3).pal || artFor(ix, 1).icon == artFor(ix, 3).icon {
		t.Error("different categories got the same colours")
	}
}

func TestLoadTemplates(t *testing.T) {
	if _, err := LoadTemplates(storefront.FS(), ""); err != nil {
		t.Fatalf("embedded storefront: %v", err)
	}
	good := fstest.MapFS{
		"templates/layouts/shop.html": {Data: []byte(`{{define "base"}}<html>{{template "content" .}}</html>{{end}}`)},
		"static/app.css":              {Data: []byte(`body{}`)},
	}
	for _, name := range requiredPages {
		good["templates/"+name+".html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}` + name + `{{end}}`)}
	}
	tmpl, err := LoadTemplates(good, "")
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
	if tmpl, err = LoadTemplates(good, ""); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	home := &homeView{layout: layout{Title: "제목", Q: "<검색>"}}
	if err := tmpl.Render(&out, "shop/home", newBaseView(&home.layout, home)); err != nil {
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
	if _, err := LoadTemplates(gone, ""); err == nil || !strings.Contains(err.Error(), "static/app.css") {
		t.Errorf("layout naming a static file that does not exist: err = %v, want one naming it", err)
	}
	odd := fstest.MapFS{"static/my app.css": {Data: []byte(`body{}`)}}
	for k, v := range good {
		odd[k] = v
	}
	if _, err := LoadTemplates(odd, ""); err == nil || !strings.Contains(err.Error(), "my app.css") {
		t.Errorf("static file with a space in its name: err = %v, want one naming it", err)
	}

	missing := fstest.MapFS{}
	for k, v := range good {
		if k != "templates/shop/product.html" {
			missing[k] = v
		}
	}
	if _, err := LoadTemplates(missing, ""); err == nil || !strings.Contains(err.Error(), "product") {
		t.Errorf("missing product page: err = %v, want one naming it", err)
	}
	broken := fstest.MapFS{}
	for k, v := range good {
		broken[k] = v
	}
	broken["templates/shop/home.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{.Oops`)}
	if _, err := LoadTemplates(broken, ""); err == nil {
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
	if tmpl, err = loadTemplates(two, "", append([]string{"admin/note"}, requiredPages...)); err != nil {
		t.Fatal(err)
	}
	for page, want := range map[string]string{"admin/note": "[admin admin]", "shop/note": "shop"} {
		out.Reset()
		if err := tmpl.Render(&out, page, newBaseView(&layout{}, nil)); err != nil {
			t.Fatal(err)
		}
		if got := out.String(); !strings.HasSuffix(got, want) || (page == "shop/note" && strings.Contains(got, "admin")) {
			t.Errorf("%s rendered %q, want its own layout and partial (%q)", page, got, want)
		}
	}
	delete(two, "templates/layouts/admin.html")
	if _, err := LoadTemplates(two, ""); err == nil || !strings.Contains(err.Error(), "layouts/admin.html") {
		t.Errorf("pages without a layout: err = %v, want one naming the layout", err)
	}
}
