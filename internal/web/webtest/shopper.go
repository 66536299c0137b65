package webtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Shopper is one browser: it keeps the cookies the app sets, and checks
// that every cookie set is HttpOnly and SameSite=Lax.
type Shopper struct {
	Env     *Env
	Cookies map[string]string // by name
}

// Shopper returns a new browser without cookies.
func (e *Env) Shopper() *Shopper { return &Shopper{Env: e, Cookies: map[string]string{}} }

// Do sends a request with the shopper's cookies and keeps the ones set.
func (b *Shopper) Do(t testing.TB, method, target, ctype string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range b.Cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := b.Env.App.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range resp.Cookies() {
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie %s: HttpOnly=%v SameSite=%v, want HttpOnly and Lax", c.Name, c.HttpOnly, c.SameSite)
		}
		if c.MaxAge < 0 {
			delete(b.Cookies, c.Name)
		} else {
			b.Cookies[c.Name] = c.Value
		}
	}
	return resp, string(raw)
}

// Page GETs an HTML page and checks its status.
func (b *Shopper) Page(t testing.TB, target string, status int) *goquery.Document {
	t.Helper()
	resp, body := b.Do(t, http.MethodGet, target, "", nil)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: status %d, want %d\n%s", target, resp.StatusCode, status, Truncate(body, 3000))
	}
	return Parse(t, body)
}

// Parse parses an HTML body.
func Parse(t testing.TB, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// Post submits a form and checks the status; for a redirect it returns the
// Location in loc.
func (b *Shopper) Post(t testing.TB, target string, form url.Values, status int) (loc string, doc *goquery.Document, body string) {
	t.Helper()
	resp, body := b.Do(t, http.MethodPost, target, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if resp.StatusCode != status {
		t.Fatalf("POST %s: status %d, want %d\n%s", target, resp.StatusCode, status, Truncate(body, 3000))
	}
	return resp.Header.Get("Location"), Parse(t, body), body
}

// API sends a JSON request and decodes the answer into out (when not nil).
func (b *Shopper) API(t testing.TB, method, target string, in any, status int, out any) string {
	t.Helper()
	var body io.Reader
	ctype := ""
	if in != nil {
		raw, _ := json.Marshal(in)
		body, ctype = strings.NewReader(string(raw)), "application/json"
	}
	resp, raw := b.Do(t, method, target, ctype, body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", method, target, resp.StatusCode, status, Truncate(raw, 2000))
	}
	if out != nil {
		if err := json.Unmarshal([]byte(raw), out); err != nil {
			t.Fatalf("%s %s: decode: %v", method, target, err)
		}
	}
	return raw
}

// CSRFOf returns the CSRF field of the first form of doc.
func CSRFOf(t *testing.T, doc *goquery.Document) string {
	t.Helper()
	tok, ok := doc.Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok || tok == "" {
		t.Fatal("the page has no CSRF field")
	}
	return tok
}

// CartJSON is the part of the cart API's answer the tests read.
type CartJSON struct {
	Data struct {
		Lines []struct {
			Key       string `json:"key"`
			ProductID int64  `json:"product_id"`
			Quantity  int    `json:"quantity"`
		} `json:"lines"`
		Parts []struct {
			ShippingFee int64 `json:"shipping_fee"`
		} `json:"parts"`
		Total int64 `json:"total"`
	} `json:"data"`
}

// APIError is the JSON error body.
type APIError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// FormValues is what a browser would post for form as it is: its fields'
// values, checked boxes and radios, selected options; no button.
func FormValues(form *goquery.Selection) url.Values {
	v := url.Values{}
	form.Find("input, select, textarea").Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok {
			return
		}
		switch goquery.NodeName(s) {
		case "input":
			switch s.AttrOr("type", "text") {
			case "radio", "checkbox":
				if _, on := s.Attr("checked"); on {
					v.Add(name, s.AttrOr("value", "on"))
				}
			case "submit", "file", "button":
			default:
				v.Add(name, s.AttrOr("value", ""))
			}
		case "select":
			opt := s.Find("option[selected]")
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			v.Add(name, opt.AttrOr("value", ""))
		case "textarea":
			v.Add(name, s.Text())
		}
	})
	return v
}
