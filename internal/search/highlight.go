package search

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Highlight puts HighlightPre/Post around every case-insensitive occurrence of
// any of words in name (longest word first where they overlap). Both engines
// highlight with it, so a name is marked the same way whoever answered.
func Highlight(name string, words []string) string {
	if len(words) == 0 {
		return name
	}
	ws := append([]string(nil), words...)
	sort.Slice(ws, func(i, j int) bool { return len(ws[i]) > len(ws[j]) })
	var b strings.Builder
	b.Grow(len(name) + 16)
	for i := 0; i < len(name); {
		matched := 0
		for _, w := range ws {
			if n := prefixFoldLen(name[i:], w); n > 0 {
				matched = n
				break
			}
		}
		if matched > 0 {
			b.WriteString(HighlightPre)
			b.WriteString(name[i : i+matched])
			b.WriteString(HighlightPost)
			i += matched
			continue
		}
		_, size := utf8.DecodeRuneInString(name[i:])
		b.WriteString(name[i : i+size])
		i += size
	}
	return b.String()
}

// HighlightWords are the words Highlight marks for q: the words of its text
// and of every other text reading (the Hangul of a 한/영 slip).
func HighlightWords(q Query) []string {
	words := strings.Fields(q.Text)
	for _, v := range q.Variants {
		if v.Field == FieldText && v.Text != q.Text {
			words = append(words, strings.Fields(v.Text)...)
		}
	}
	return words
}

// prefixFoldLen returns the byte length of s's prefix that equals prefix
// ignoring case, or -1.
func prefixFoldLen(s, prefix string) int {
	i := 0
	for _, pr := range prefix {
		if i >= len(s) {
			return -1
		}
		sr, size := utf8.DecodeRuneInString(s[i:])
		if sr != pr && !foldEqual(sr, pr) {
			return -1
		}
		i += size
	}
	return i
}

// foldEqual says whether a and b are the same letter under Unicode simple
// case folding (strings.EqualFold for one rune, without building strings).
func foldEqual(a, b rune) bool {
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}
