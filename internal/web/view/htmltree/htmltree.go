// Package htmltree writes parsed HTML as text, one node per line, for tests
// that compare a Go renderer's markup with the template it replaced: equal
// trees mean the same elements, attributes (unescaped) and text, whatever
// characters each side chose to escape.
package htmltree

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var spaces = regexp.MustCompile(`\s+`)

// Of returns the fragment s, parsed in a <body>, as one line per node:
// element names with their attributes (name and unescaped value, in order),
// and text with its whitespace runs collapsed to one space (so a run of
// spaces or newlines, which a browser lays out as one space, compares equal
// to one space, and to nothing only where there was nothing).
func Of(s string) (string, error) {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		b.WriteString(strings.Repeat("  ", depth))
		switch n.Type {
		case html.ElementNode:
			b.WriteString("<" + n.Data)
			for _, a := range n.Attr {
				b.WriteString(" " + a.Namespace + a.Key + "=" + strings.ReplaceAll(a.Val, "\n", `\n`))
			}
			b.WriteString(">")
		case html.TextNode:
			b.WriteString("text " + strings.ReplaceAll(spaces.ReplaceAllString(n.Data, " "), "\x00", `\0`))
		default:
			b.WriteString("node " + n.Data)
		}
		b.WriteString("\n")
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	for _, n := range nodes {
		walk(n, 0)
	}
	return b.String(), nil
}

// Hostile is text a product's data, a query or a typed value could hold and
// a page must only show: markup, both quotes, a backtick, an entity, a NUL
// and Korean.
const Hostile = "<script>alert(1)</script> \"'`&amp;+ 1\x00 사과"

// Same fails t unless got (a Go renderer's markup) and want (its reference
// template's) parse to the same tree, or if either holds an unescaped
// <script.
func Same(t testing.TB, got, want string) {
	t.Helper()
	for _, out := range []string{got, want} {
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Errorf("unescaped <script in %q", out)
		}
	}
	g, err := Of(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Of(want)
	if err != nil {
		t.Fatal(err)
	}
	if g != w {
		t.Errorf("HTML differs from the template\n got: %s\nwant: %s\n got tree:\n%s\nwant tree:\n%s", got, want, g, w)
	}
}
