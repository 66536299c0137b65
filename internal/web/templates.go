package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
)

// requiredPages are the page templates the handlers execute; a missing one
// fails start-up rather than the first request that needs it.
var requiredPages = []string{"home", "search", "category", "product", "enterprise", "enterprises", "notfound", "error",
	"cart", "checkout", "pay", "order", "lookup"}

// Templates renders the storefront's pages and serves its static files. It is
// built once from an fs.FS holding templates/{layouts,partials,pages}/*.html and
// static/*; in development (LoadTemplates with a DevDir) it re-reads the folder
// on every render so template and CSS edits show without a restart.
type Templates struct {
	set    *assetSet // nil in dev mode
	devDir string
	bufs   sync.Pool
}

// assetSet is one parsed load of the templates and static files.
type assetSet struct {
	pages  map[string]*template.Template
	static map[string]*staticFile // by fingerprinted name and by plain name
	names  map[string]string      // plain name → fingerprinted name
}

// staticFile is a static file held in memory with its precomputed headers.
type staticFile struct {
	body        []byte
	contentType string
	immutable   bool // requested under its fingerprinted name
}

// LoadTemplates parses every template of fsys and fingerprints its static files.
// It fails when a required page is missing or any template does not parse. When
// devDir is not empty, fsys is only checked and the templates are read from
// devDir (a storefront/ folder) on each request instead.
func LoadTemplates(fsys fs.FS, devDir string) (*Templates, error) {
	set, err := loadAssets(fsys)
	if err != nil {
		return nil, err
	}
	t := &Templates{set: set}
	if devDir != "" {
		if _, err := loadAssets(os.DirFS(devDir)); err != nil {
			return nil, fmt.Errorf("templates from %s: %w", devDir, err)
		}
		t.set, t.devDir = nil, devDir
	}
	t.bufs.New = func() any { return new(bytes.Buffer) }
	return t, nil
}

// assets returns the parsed set: the one loaded at start-up, or a fresh load
// from the development folder.
func (t *Templates) assets() (*assetSet, error) {
	if t.devDir == "" {
		return t.set, nil
	}
	return loadAssets(os.DirFS(t.devDir))
}

// Render executes page into w. The page is rendered into a pooled buffer first,
// so a failing template never sends half a page.
func (t *Templates) Render(w io.Writer, page string, data any) error {
	set, err := t.assets()
	if err != nil {
		return err
	}
	tmpl, ok := set.pages[page]
	if !ok {
		return fmt.Errorf("web: no template %q", page)
	}
	buf := t.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			t.bufs.Put(buf)
		}
	}()
	if err := tmpl.ExecuteTemplate(buf, "base", newBaseView(data)); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// baseView is the dot of the base template: the layout, the page's own view
// (the dot of its "content" template) and the header's current link,
// decided here rather than by eq calls in the template.
type baseView struct {
	L    *layout
	Page any

	NavEnterprises, NavOrders, NavCart bool
}

// newBaseView wraps a page's view, whose layout it reaches through base()
// (an empty layout for a view without one).
func newBaseView(page any) *baseView {
	l := &layout{}
	if v, ok := page.(interface{ base() *layout }); ok {
		l = v.base()
	}
	return &baseView{L: l, Page: page, NavEnterprises: l.Nav == "enterprises", NavOrders: l.Nav == "orders", NavCart: l.Nav == "cart"}
}

// StaticPath returns the URL of a static file under its fingerprinted name
// (/static/app.3f9a1c.css); an unknown name is returned unfingerprinted.
func (t *Templates) StaticPath(name string) string {
	set, err := t.assets()
	if err != nil {
		return "/static/" + name
	}
	return set.staticPath(name)
}

// static returns the static file requested by its (fingerprinted or plain) name.
func (t *Templates) static(name string) (*staticFile, bool) {
	set, err := t.assets()
	if err != nil {
		return nil, false
	}
	f, ok := set.static[name]
	return f, ok
}

func loadAssets(fsys fs.FS) (*assetSet, error) {
	set := &assetSet{pages: map[string]*template.Template{}, static: map[string]*staticFile{}, names: map[string]string{}}
	if err := set.loadStatic(fsys); err != nil {
		return nil, err
	}
	shared, err := fs.Glob(fsys, "templates/layouts/*.html")
	if err != nil {
		return nil, err
	}
	partials, err := fs.Glob(fsys, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	shared = append(shared, partials...)
	if len(shared) == 0 {
		return nil, fmt.Errorf("web: no layout templates in templates/layouts")
	}
	defs, err := set.staticTemplates()
	if err != nil {
		return nil, err
	}
	base, err := template.New("base").Funcs(templateFuncs()).Parse(defs)
	if err != nil {
		return nil, fmt.Errorf("web: static file templates: %w", err)
	}
	if base, err = base.ParseFS(fsys, shared...); err != nil {
		return nil, fmt.Errorf("web: parse layouts: %w", err)
	}
	if base.Lookup("base") == nil {
		return nil, fmt.Errorf("web: layouts define no \"base\" template")
	}
	pages, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		clone, err := base.Clone()
		if err != nil {
			return nil, err
		}
		tmpl, err := clone.ParseFS(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("web: parse page %s: %w", name, err)
		}
		if tmpl.Lookup("content") == nil {
			return nil, fmt.Errorf("web: page %s defines no \"content\" template", name)
		}
		// html/template escapes a page on its first execution, and only then
		// finds a call of a template that does not exist (such as the
		// "static/NAME" of a removed file). Run it once now, with no data, so
		// such an error fails start-up; execution errors (the nil data) are
		// expected and ignored.
		var escErr *template.Error
		if err := tmpl.ExecuteTemplate(io.Discard, "base", &baseView{L: &layout{}}); errors.As(err, &escErr) {
			return nil, fmt.Errorf("web: page %s: %w", name, err)
		}
		set.pages[name] = tmpl
	}
	var missing []string
	for _, name := range requiredPages {
		if _, ok := set.pages[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("web: missing page templates: %s", strings.Join(missing, ", "))
	}
	return set, nil
}

// loadStatic reads static/* into memory under two names: the plain one
// (short cache) and one with a content hash before the extension (cached for a
// year, since its content can never change under that name).
func (s *assetSet) loadStatic(fsys fs.FS) error {
	files, err := fs.Glob(fsys, "static/*")
	if err != nil {
		return err
	}
	for _, p := range files {
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("web: static %s: %w", p, err)
		}
		name := path.Base(p)
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		fp := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		s.static[name] = &staticFile{body: body, contentType: ct}
		s.static[fp] = &staticFile{body: body, contentType: ct, immutable: true}
		s.names[name] = fp
	}
	return nil
}

// staticTemplates defines, for each static file, a template named
// "static/NAME" whose text is the file's fingerprinted URL. A page writes
// {{template "static/app.css"}} where it could call {{static "app.css"}}:
// the URL is then template text, fixed when the templates are parsed, rather
// than a function call and three escaper calls (all by reflection) on every
// render. Only names of plain characters are allowed, so a name can neither
// break the definition nor need escaping.
func (s *assetSet) staticTemplates() (string, error) {
	plain := make([]string, 0, len(s.names))
	for name := range s.names {
		plain = append(plain, name)
	}
	sort.Strings(plain)
	var b strings.Builder
	for _, name := range plain {
		if !plainFileName(name) {
			return "", fmt.Errorf("web: static file name %q: only letters, digits, '.', '-' and '_' are allowed", name)
		}
		b.WriteString(`{{define "static/` + name + `"}}/static/` + s.names[name] + `{{end}}`)
	}
	return b.String(), nil
}

func plainFileName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		ch := name[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '.' || ch == '-' || ch == '_') {
			return false
		}
	}
	return true
}

func (s *assetSet) staticPath(name string) string {
	if fp, ok := s.names[name]; ok {
		return "/static/" + fp
	}
	return "/static/" + name
}
