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
	"text/template/parse"

	"github.com/andybalholm/brotli"
	"github.com/valyala/fasthttp"
)

// Templates renders the pages of every audience and serves the static files.
// It is built once from an fs.FS holding
//
//	templates/partials/*.html            partials shared by every audience
//	templates/layouts/<audience>.html    an audience's layout: defines "base"
//	templates/<audience>/partials/*.html the audience's own partials
//	templates/<audience>/*.html          its pages: each defines "content"
//	static/*                             served under fingerprinted names
//
// A page is named "<audience>/<file name without .html>" ("shop/product")
// and parsed with the shared partials and its own audience's layout and
// partials only, so audiences can use the same template names. In
// development (LoadTemplates with a devDir) it re-reads the folder on every
// render so template and CSS edits show without a restart.
type Templates struct {
	set      *assetSet // nil in dev mode
	devDir   string
	required []string
	bufs     sync.Pool
}

// assetSet is one parsed load of the templates and static files.
type assetSet struct {
	pages  map[string]*template.Template
	static map[string]*staticFile // by fingerprinted name and by plain name
	names  map[string]string      // plain name → fingerprinted name
}

// staticFile is a static file held in memory with its precomputed headers
// and compressed copies.
type staticFile struct {
	body        []byte
	gzip, br    []byte // nil when not smaller than body, or in development
	contentType string
	etag        string // "<content hash>", the same under both names
	immutable   bool   // requested under its fingerprinted name
}

// Static files are compressed once, at start-up, at levels too slow for
// every request: gzip 9 and brotli 9 take app.css (25 KB) to 5.7 and 5.4 KB
// in about 1 and 4 ms. Brotli 11 would save 0.4 KB more for 80 ms, paid by
// every start-up and by every test that builds the app; compressing at
// build time instead would add generated files to keep in step.
const (
	staticGzipLevel   = 9
	staticBrotliLevel = 9
)

// LoadTemplates parses every template of fsys and fingerprints its static
// files. It fails when a required page ("shop/product") is missing or any
// template does not parse, so that a broken storefront fails start-up. When
// devDir is not empty, fsys is only checked and the templates are read from
// devDir (a storefront/ folder) on each request instead.
func LoadTemplates(fsys fs.FS, devDir string, required ...string) (*Templates, error) {
	set, err := loadAssets(fsys, required, devDir == "")
	if err != nil {
		return nil, err
	}
	t := &Templates{set: set, required: required}
	if devDir != "" {
		if _, err := loadAssets(os.DirFS(devDir), required, false); err != nil {
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
	return loadAssets(os.DirFS(t.devDir), t.required, false)
}

// Render executes page ("shop/product") into w: its audience's layout, the
// "base" template, with dot, which is whatever that layout expects (the
// audience's own base view, holding the page's view for "content"). The
// page is rendered into a pooled buffer first, so a failing template never
// sends half a page.
func (t *Templates) Render(w io.Writer, page string, dot any) error {
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
	if err := tmpl.ExecuteTemplate(buf, "base", dot); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
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

// Folders of templates/ that are not an audience's pages.
const (
	layoutsDir  = "layouts"
	partialsDir = "partials"
)

// loadAssets parses the templates and reads the static files of fsys,
// compressing the static files when precompress is set (not in development,
// which reloads on every request and leaves compression to compress).
func loadAssets(fsys fs.FS, required []string, precompress bool) (*assetSet, error) {
	set := &assetSet{pages: map[string]*template.Template{}, static: map[string]*staticFile{}, names: map[string]string{}}
	if err := set.loadStatic(fsys, precompress); err != nil {
		return nil, err
	}
	defs, err := set.staticTemplates()
	if err != nil {
		return nil, err
	}
	shared, err := template.New("base").Funcs(templateFuncs()).Parse(defs)
	if err != nil {
		return nil, fmt.Errorf("web: static file templates: %w", err)
	}
	if shared, err = parseGlob(shared, fsys, "templates/"+partialsDir+"/*.html"); err != nil {
		return nil, fmt.Errorf("web: parse shared partials: %w", err)
	}
	dirs, err := fs.ReadDir(fsys, "templates")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == layoutsDir || d.Name() == partialsDir {
			continue
		}
		if err := set.loadAudience(fsys, shared, d.Name()); err != nil {
			return nil, err
		}
	}
	if len(set.pages) == 0 {
		return nil, fmt.Errorf("web: no page templates in templates/<audience>/")
	}
	var missing []string
	for _, name := range required {
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

// loadAudience parses the pages of templates/<audience>/, each with the
// shared partials and the audience's layout and partials (pageTemplate).
func (s *assetSet) loadAudience(fsys fs.FS, shared *template.Template, audience string) error {
	pages, err := fs.Glob(fsys, "templates/"+audience+"/*.html")
	if err != nil || len(pages) == 0 {
		return err
	}
	layout := "templates/" + layoutsDir + "/" + audience + ".html"
	if _, err := fs.Stat(fsys, layout); err != nil {
		return fmt.Errorf("web: the pages of templates/%s/ have no layout %s", audience, layout)
	}
	base, err := shared.Clone()
	if err != nil {
		return err
	}
	if base, err = base.ParseFS(fsys, layout); err != nil {
		return fmt.Errorf("web: parse layout %s: %w", audience, err)
	}
	if base, err = parseGlob(base, fsys, "templates/"+audience+"/"+partialsDir+"/*.html"); err != nil {
		return fmt.Errorf("web: parse %s partials: %w", audience, err)
	}
	if base.Lookup("base") == nil {
		return fmt.Errorf("web: layout %s defines no \"base\" template", layout)
	}
	for _, p := range pages {
		name := audience + "/" + strings.TrimSuffix(path.Base(p), ".html")
		tmpl, err := pageTemplate(base, fsys, p, name)
		if err != nil {
			return err
		}
		if tmpl.Lookup("content") == nil {
			return fmt.Errorf("web: page %s defines no \"content\" template", name)
		}
		// html/template escapes a page on its first execution, and only then
		// finds a call of a template that does not exist (such as the
		// "static/NAME" of a removed file). Run it once now, with no data, so
		// such an error fails start-up; execution errors (the nil data) are
		// expected and ignored.
		var escErr *template.Error
		if err := tmpl.ExecuteTemplate(io.Discard, "base", nil); errors.As(err, &escErr) {
			return fmt.Errorf("web: page %s: %w", name, err)
		}
		s.pages[name] = tmpl
	}
	return nil
}

// pageTemplate parses page file p on its own and adds to it a copy of each
// template of base (layout and partials) that its "base" reaches, directly
// or through the page's templates; the page's own definitions win over
// base's. Each page needs copies, since html/template escapes trees in place
// for the contexts they are called in, but only of what it can execute:
// cloning the whole base for every page copied every partial into each of
// some 100 pages, 27 of the 33 MiB the templates held for the life of the
// process (and, at serve's GOGC=400, five times that in peak RSS). A call of
// a template neither defines is left for the escaper to report.
func pageTemplate(base *template.Template, fsys fs.FS, p, name string) (*template.Template, error) {
	page, err := template.New(name).Funcs(templateFuncs()).ParseFS(fsys, p)
	if err != nil {
		return nil, fmt.Errorf("web: parse page %s: %w", name, err)
	}
	defined := func(t *template.Template, n string) *parse.Tree {
		if x := t.Lookup(n); x != nil && x.Tree != nil && x.Tree.Root != nil {
			return x.Tree
		}
		return nil
	}
	seen := map[string]bool{}
	queue := []string{"base"}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if seen[n] {
			continue
		}
		seen[n] = true
		tree := defined(page, n)
		if tree == nil {
			from := defined(base, n)
			if from == nil {
				continue
			}
			tree = from.Copy()
			if _, err := page.AddParseTree(n, tree); err != nil {
				return nil, fmt.Errorf("web: page %s: %w", name, err)
			}
		}
		templateCalls(tree.Root, func(called string) { queue = append(queue, called) })
	}
	return page, nil
}

// templateCalls calls f with the name of every template node under n.
func templateCalls(n parse.Node, f func(string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			templateCalls(c, f)
		}
	case *parse.IfNode:
		templateCalls(n.List, f)
		templateCalls(n.ElseList, f)
	case *parse.RangeNode:
		templateCalls(n.List, f)
		templateCalls(n.ElseList, f)
	case *parse.WithNode:
		templateCalls(n.List, f)
		templateCalls(n.ElseList, f)
	case *parse.TemplateNode:
		f(n.Name)
	}
}

// parseGlob adds the files matching pattern to t; none is fine.
func parseGlob(t *template.Template, fsys fs.FS, pattern string) (*template.Template, error) {
	files, err := fs.Glob(fsys, pattern)
	if err != nil || len(files) == 0 {
		return t, err
	}
	return t.ParseFS(fsys, files...)
}

// loadStatic reads static/* into memory under two names: the plain one
// (short cache) and one with a content hash before the extension (cached for a
// year, since its content can never change under that name), with gzip and
// brotli copies when precompress is set.
func (s *assetSet) loadStatic(fsys fs.FS, precompress bool) error {
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
		f := staticFile{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
		if precompress && compressible([]byte(ct)) {
			f.gzip = smaller(fasthttp.AppendGzipBytesLevel(nil, body, staticGzipLevel), body)
			f.br = smaller(brotliBytes(body), body)
		}
		plain, fixed := f, f
		fixed.immutable = true
		s.static[name], s.static[fp] = &plain, &fixed
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

// brotliBytes compresses body at staticBrotliLevel with the smallest
// window that holds it. fasthttp.AppendBrotliBytesLevel used the default
// 4 MiB window, for which level 9 builds a 32 MiB hash table whatever the
// input's size, and kept that encoder in its pool afterwards: 32 MiB held
// from start-up on, counted by the collector as live heap (at serve's
// GOGC=400, some 160 MiB more heap before it collects). Up to a 64 KiB
// window (every static file so far) brotli takes a small hasher instead and
// the output is the same size, since the window holds the whole file.
func brotliBytes(body []byte) []byte {
	lgwin := 10
	for lgwin < 24 && 1<<lgwin-16 < len(body) {
		lgwin++
	}
	var b bytes.Buffer
	w := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: staticBrotliLevel, LGWin: lgwin})
	_, _ = w.Write(body) // a bytes.Buffer takes every write
	_ = w.Close()
	return b.Bytes()
}

// smaller returns packed if it is smaller than body, else nil.
func smaller(packed, body []byte) []byte {
	if len(packed) >= len(body) {
		return nil
	}
	return packed
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
