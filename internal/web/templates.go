package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
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
	if err := tmpl.ExecuteTemplate(buf, "base", data); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// StaticPath returns the URL of a static file under its fingerprinted name
// (/static/app.3f9a1c.css); an unknown name is returned unfingerprinted.
func (t *Templates) StaticPath(name string) string {
	set, err := t.assets()
	if err == nil {
		if fp, ok := set.names[name]; ok {
			return "/static/" + fp
		}
	}
	return "/static/" + name
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
	base, err := template.New("base").Funcs(templateFuncs(set.staticPath)).ParseFS(fsys, shared...)
	if err != nil {
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

func (s *assetSet) staticPath(name string) string {
	if fp, ok := s.names[name]; ok {
		return "/static/" + fp
	}
	return "/static/" + name
}
