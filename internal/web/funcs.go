package web

import (
	"html/template"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/search"
)

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"won":   kr.Won,
		"comma": func(n any) string { return kr.Comma(toInt64(n)) },
		"date":  formatDate,
		"phone": kr.Phone,
		"brn":   kr.FormatBusinessNumber,
		"typeLabel": func(t catalog.EnterpriseType) string {
			return t.Label()
		},
		"regionLabel": func(r catalog.Region) string { return r.Label() },
		"taxLabel":    func(t catalog.TaxType) string { return t.Label() },
		"kindLabel":   func(k catalog.Kind) string { return k.Label() },
		"highlight":   highlight,
	}
}

func toInt64(n any) int64 {
	switch v := n.(type) {
	case int:
		return int64(v)
	case int32:
		return int64(v)
	case int64:
		return v
	case uint:
		return int64(v)
	default:
		return 0
	}
}

// formatDate renders a time (or a non-nil *time.Time) as 2026.11.23.
func formatDate(t any) string {
	switch v := t.(type) {
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return kr.Date(v)
	case *time.Time:
		if v == nil || v.IsZero() {
			return ""
		}
		return kr.Date(*v)
	default:
		return ""
	}
}

// highlight escapes s for HTML and then turns the search engine's
// HighlightPre/HighlightPost markers into <mark> tags. The markers are control
// characters, so escaping cannot create or break them; unbalanced markers are
// closed and any other control character is dropped. It is the only place
// where text from the catalogue becomes template.HTML.
func highlight(s string) template.HTML {
	var b strings.Builder
	b.Grow(len(s) + 16)
	open := false
	for _, r := range s {
		switch {
		case string(r) == search.HighlightPre:
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case string(r) == search.HighlightPost:
			if open {
				b.WriteString("</mark>")
				open = false
			}
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r < 0x20 && r != '\t' && r != '\n', r == 0x7f, r == '\uFFFD':
			// drop other control characters and invalid UTF-8
		default:
			b.WriteRune(r)
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String()) //nolint:gosec // every byte of s was escaped above
}

// stripHighlight removes the highlight markers (for alt texts, JSON names).
func stripHighlight(s string) string {
	if !strings.Contains(s, search.HighlightPre) && !strings.Contains(s, search.HighlightPost) {
		return s
	}
	return unhighlight.Replace(s)
}

var unhighlight = strings.NewReplacer(search.HighlightPre, "", search.HighlightPost, "")
