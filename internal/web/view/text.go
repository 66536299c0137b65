package view

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"
)

// linkRe finds web addresses in plain text: only http and https, so no
// other scheme (javascript:, data:) ever becomes a link.
var linkRe = regexp.MustCompile(`(?i)https?://[^\s<>"'` + "`" + `]+`)

// PlainText shows a plain-text body an operator wrote (a notice) as HTML:
// everything escaped, blank lines make paragraphs, line breaks stay, and
// http(s) addresses become links that open no window.opener. Punctuation
// that ends a sentence is not part of the address. Like Highlight, it is
// one of the few places text becomes template.HTML.
func PlainText(s string) template.HTML {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, para := range strings.Split(s, "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			writeLinked(&b, dropControls(line))
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // built from escaped text and checked http(s) links
}

func dropControls(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t') || r == 0x7f || r == '\uFFFD' {
			return -1
		}
		return r
	}, s)
}

// writeLinked writes line escaped, its addresses as links.
func writeLinked(b *strings.Builder, line string) {
	last := 0
	for _, m := range linkRe.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		end = start + len(strings.TrimRight(line[start:end], ".,;:!?)]}>…。、"))
		href := line[start:end]
		u, err := url.Parse(href)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" { // Parse lowercases the scheme
			continue
		}
		b.WriteString(template.HTMLEscapeString(line[last:start]))
		b.WriteString(`<a href="`)
		b.WriteString(template.HTMLEscapeString(u.String()))
		b.WriteString(`" rel="nofollow noopener noreferrer">`)
		b.WriteString(template.HTMLEscapeString(href))
		b.WriteString("</a>")
		last = end
	}
	b.WriteString(template.HTMLEscapeString(line[last:]))
}
