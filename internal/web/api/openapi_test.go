package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// loadSpec reads and validates the hand-written OpenAPI document as an
// OpenAPI 3.1 document.
func loadSpec(tb testing.TB) *openapi3.T {
	tb.Helper()
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		tb.Fatalf("openapi.json is OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	return doc
}

// fiberParam is a fiber path parameter (":id", ":id<int>", ":key?").
var fiberParam = regexp.MustCompile(`:([A-Za-z0-9_]+)(<[^>]*>)?\??`)

// openAPIPath turns a route of the app under /api/v1 into the document's
// path template: /api/v1/products/:id → /products/{id}.
func openAPIPath(route string) string {
	return fiberParam.ReplaceAllString(strings.TrimPrefix(route, "/api/v1"), "{$1}")
}

// TestOpenAPIMatchesRoutes checks that the document and the app agree:
// every route the app registers under /api/v1 is documented with its
// method and path, and every documented operation is a route. It also
// checks that the document served is the file, that every operation says
// what it answers, and that the enterprise routes — and only those — ask
// for the bearer key or the session.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := loadSpec(t)
	e := webtest.NewEnv(t)

	routes := map[string]bool{}
	for _, r := range e.App.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == http.MethodHead {
			continue // fiber adds HEAD to every GET
		}
		routes[r.Method+" "+openAPIPath(r.Path)] = true
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			key := method + " " + path
			documented[key] = true
			portal := strings.HasPrefix(path, "/portal/")
			if portal != (op.Security != nil && len(*op.Security) == 2) {
				t.Errorf("%s: security %v; the /portal routes (only) take bearerAuth or sessionCookie", key, op.Security)
			}
			if portal && (op.Responses.Status(401) == nil || op.Responses.Status(403) == nil) {
				t.Errorf("%s: 401 and 403 not documented", key)
			}
			ok := false
			for code := range op.Responses.Map() {
				ok = ok || strings.HasPrefix(code, "2")
			}
			if !ok || op.Summary == "" || op.OperationID == "" {
				t.Errorf("%s: needs a summary, an operationId and a 2xx answer", key)
			}
		}
	}
	for _, key := range sortedKeys(routes) {
		if !documented[key] {
			t.Errorf("route %s is not in openapi.json", key)
		}
	}
	for _, key := range sortedKeys(documented) {
		if !routes[key] {
			t.Errorf("openapi.json documents %s, which the app does not serve", key)
		}
	}
	if len(routes) < 25 {
		t.Errorf("only %d routes under /api/v1: %v", len(routes), sortedKeys(routes))
	}

	resp, body := e.Get(t, "/api/v1/openapi.json")
	file, _ := os.ReadFile("openapi.json")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !bytes.Equal(body, file) {
		t.Errorf("GET /api/v1/openapi.json: %d %q, %d bytes; want the file (%d bytes)", resp.StatusCode,
			resp.Header.Get("Content-Type"), len(body), len(file))
	}
	var served map[string]any
	if err := json.Unmarshal(body, &served); err != nil || served["openapi"] != "3.1.0" {
		t.Errorf("served document: %v, openapi %v", err, served["openapi"])
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestOpenAPISchemas checks the public routes' answers against the
// document's schemas (the enterprise routes' are checked by
// TestPortalAPI, call by call).
func TestOpenAPISchemas(t *testing.T) {
	doc := loadSpec(t)
	e := webtest.NewEnv(t)
	get := func(target string, status int) []byte {
		t.Helper()
		resp, body := e.Get(t, target)
		if resp.StatusCode != status {
			t.Fatalf("GET %s: %d, want %d\n%s", target, resp.StatusCode, status, webtest.Truncate(string(body), 500))
		}
		checkAnswer(t, doc, http.MethodGet, target, status, body)
		return body
	}
	var products webtest.APIList[struct {
		ID         int64 `json:"id"`
		Enterprise struct {
			ID int64 `json:"id"`
		} `json:"enterprise"`
	}]
	if err := json.Unmarshal(get("/api/v1/products?per_page=5", 200), &products); err != nil || len(products.Data) == 0 {
		t.Fatalf("products: %v %+v", err, products)
	}
	p := products.Data[0]
	get("/api/v1/products/"+strconv.FormatInt(p.ID, 10), 200)
	get("/api/v1/products/99999999", 404)
	get("/api/v1/products?page=0", 400)
	get("/api/v1/search?q="+apple, 200)
	get("/api/v1/search?q=%EC%82%AC", 200) // 사
	get("/api/v1/suggest?q=%EC%82%AC", 200)
	get("/api/v1/categories", 200)
	get("/api/v1/enterprises", 200)
	get("/api/v1/enterprises/"+strconv.FormatInt(p.Enterprise.ID, 10), 200)
	get("/api/v1/cart", 200)

	ids := cartableGoods(t, e, 1)
	status, body, cookie := cartCall(t, e, http.MethodPost, "/api/v1/cart/items", "", addBody(ids[0], 2))
	if status != http.StatusCreated {
		t.Fatalf("add to cart: %d %s", status, body)
	}
	checkAnswer(t, doc, http.MethodPost, "/api/v1/cart/items", status, body)
	status, body, _ = cartCall(t, e, http.MethodGet, "/api/v1/cart?postcode=63000", cookie, "")
	checkAnswer(t, doc, http.MethodGet, "/api/v1/cart", status, body)
}

// checkAnswer checks an answer of the app against the document: its status
// is documented for the operation, and its JSON body has the documented
// schema.
func checkAnswer(tb testing.TB, doc *openapi3.T, method, target string, status int, body []byte) {
	tb.Helper()
	path, _, _ := strings.Cut(target, "?")
	tmpl, item := findPath(doc, strings.TrimPrefix(path, "/api/v1"))
	if item == nil {
		tb.Errorf("%s %s: no path of openapi.json matches", method, target)
		return
	}
	op := item.GetOperation(method)
	if op == nil {
		tb.Errorf("%s %s: openapi.json has no %s %s", method, target, method, tmpl)
		return
	}
	resp := op.Responses.Status(status)
	if resp == nil || resp.Value == nil {
		tb.Errorf("%s %s answered %d, which openapi.json does not document for %s %s", method, target, status, method, tmpl)
		return
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		tb.Errorf("%s %s: the body is not JSON: %v", method, target, err)
		return
	}
	if err := doc.ValidateSchemaJSON(mt.Schema.Value, v, openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse()); err != nil {
		tb.Errorf("%s %s (%d): the body does not match openapi.json's schema for %s %s: %v\n%s", method, target, status,
			method, tmpl, err, webtest.Truncate(string(body), 1500))
	}
}

// findPath returns the document's path template that path fits, and its
// item.
func findPath(doc *openapi3.T, path string) (string, *openapi3.PathItem) {
	parts := strings.Split(path, "/")
	for tmpl, item := range doc.Paths.Map() {
		tp := strings.Split(tmpl, "/")
		if len(tp) != len(parts) {
			continue
		}
		if matches(tp, parts) {
			return tmpl, item
		}
	}
	return "", nil
}

func matches(tmpl, parts []string) bool {
	for i, s := range tmpl {
		if !(strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}")) && s != parts[i] {
			return false
		}
	}
	return true
}
