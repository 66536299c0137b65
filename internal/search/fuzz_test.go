package search_test

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/search"
)

// FuzzParseQuery reads any query string as a search and analyses its text:
// no panic; a refusal is Invalid with a Korean message; an accepted text and
// every reading of it are text PostgreSQL can store (the fallback searches
// with them).
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"q=사과", "q=ehlswkd", "q=ㄷㅈ&page=2", "q=%00", "q=%FF%FE", "q=%ED%A0%80", "q=a%1Bb&sort=price_asc",
		"q=USB&min_price=1,000&max_price=10", "type=cooperative,social&region=seoul&in_stock=1", "q=" + strings.Repeat("가", 300), "page=-1", "%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw) // what it could read, as fiber does
		q, err := search.ParseQuery(v)
		if err != nil {
			if apperr.Code(err) != apperr.Invalid || !utf8.ValidString(apperr.Message(err)) {
				t.Fatalf("ParseQuery(%q): %v, want Invalid", raw, err)
			}
			return
		}
		texts := []string{q.Text}
		for _, vr := range search.Analyze(q.Text) {
			texts = append(texts, vr.Text)
		}
		for _, s := range texts {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Fatalf("ParseQuery(%q) let %q through", raw, s)
			}
		}
	})
}
