package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/hangul"
)

// Name is a product name taken apart the way a Korean reader takes it:
// noun phrases are head-final, so in 사과 양념 불고기 소스 the thing sold is
// a 소스 and 사과 only says which one; in 청송 꿀사과 5kg it is (꿀)사과.
type Name struct {
	// Words are the name's words outside brackets, lower-case, in order; a
	// word joined with '·' (방역·청소) counts as its parts.
	Words []string
	// Notes are the words inside brackets: "(사과·배)", "(월 4회)".
	Notes []string
	// Heads are the indexes in Words of the head nouns: the last word that
	// is not a unit, count or qualifier (5kg, 10개입, 대, 실속형, 가정용); both
	// parts of a '·' pair (방역·청소); and, when the last word only says how
	// the thing is packed or served (세트, 꾸러미, 서비스), the noun before it
	// too (사과 선별 세트 is 사과).
	Heads []int
	// Core is Words up to the last head, joined without spaces: the name
	// without its trailing units, counts and notes ("손두부" for "손두부 1kg").
	Core string

	full string // every word and note joined: the name ignoring case and spaces
}

// qualifiers are trailing words that say how much, which size or for whom,
// not what: they are skipped when looking for the head noun.
var qualifiers = map[string]bool{
	"대": true, "중": true, "소": true, "소형": true, "중형": true, "대형": true, "특대": true,
	"기준": true, "이하": true, "이상": true, "내외": true, "흑백": true, "컬러": true, "리필": true,
	"선별": true, "특선": true, "기획": true, "실속": true, "고급": true, "명품": true, "프리미엄": true,
}

// containers are head words that name a package or a form of service; the
// noun before them is the thing itself. Compounds ending in one count too
// (선물세트, 기획세트).
var containers = []string{"세트", "꾸러미", "박스", "상자", "묶음", "모음", "티백", "서비스"}

// isQualifier reports whether a trailing word is a unit, count or qualifier:
// it has a digit (5kg, 10개입, 60평, 1박스), is listed, or is a type or use
// word of three syllables or more ending in 형 or 용 (실속형, 가정용).
func isQualifier(w string) bool {
	if qualifiers[w] || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
		return true
	}
	return utf8.RuneCountInString(w) >= 3 && (strings.HasSuffix(w, "형") || strings.HasSuffix(w, "용"))
}

func isContainer(w string) bool {
	for _, c := range containers {
		if strings.HasSuffix(w, c) {
			return true
		}
	}
	return false
}

// ParseName takes a product name apart (Name).
func ParseName(name string) Name {
	var n Name
	lower := lowerName(name)
	groups := make([]int, 0, 8) // per word of n.Words: the name word it came from
	var full strings.Builder
	full.Grow(len(lower))
	group, depth, start := 0, 0, -1
	inWord := false      // a part of the current name word has been seen
	end := func(i int) { // ends the part that started at start
		if start < 0 {
			return
		}
		part := lower[start:i]
		start = -1
		full.WriteString(part)
		if depth > 0 {
			n.Notes = append(n.Notes, part)
			return
		}
		n.Words = append(n.Words, part)
		groups = append(groups, group)
		inWord = true
	}
	endWord := func(i int) {
		end(i)
		if inWord {
			group++
			inWord = false
		}
	}
	for i, r := range lower {
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case r == '(' || r == '[':
			endWord(i)
			depth++
		case r == ')' || r == ']':
			endWord(i)
			depth = max(depth-1, 0)
		case r == ',' || r == '/' || unicode.IsSpace(r):
			endWord(i)
		default: // '·', '-', '&': parts of one word
			end(i)
		}
	}
	endWord(len(lower))
	n.full = full.String()

	// The head: from the end, skip qualifiers; take the word's whole group
	// (both parts of 방역·청소); through containers, the noun before too.
	last := len(n.Words) - 1
	for last >= 0 && isQualifier(n.Words[last]) {
		last--
	}
	if last < 0 {
		last = len(n.Words) - 1
	}
	for i := last; i >= 0; {
		g := groups[i]
		container := false
		for i >= 0 && groups[i] == g {
			n.Heads = append(n.Heads, i)
			container = container || isContainer(n.Words[i])
			i--
		}
		if !container {
			break
		}
		for i >= 0 && isQualifier(n.Words[i]) {
			i--
		}
	}
	if last >= 0 {
		n.Core = strings.Join(n.Words[:last+1], "")
	}
	return n
}

// isWordRune reports whether r belongs to a word: a letter or a digit
// (Hangul syllables and jamo without consulting the Unicode tables).
func isWordRune(r rune) bool {
	switch {
	case r < 0x80:
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	case hangul.IsSyllable(r), hangul.IsConsonant(r), hangul.IsVowel(r):
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// lowerName is strings.ToLower, without copying a name that has no capital
// letter (most product names are Hangul, which has no case).
func lowerName(s string) string {
	for _, r := range s {
		if 'A' <= r && r <= 'Z' || r >= 0x80 && !hangul.IsSyllable(r) && unicode.IsUpper(r) {
			return strings.ToLower(s)
		}
	}
	return s
}

// splitParts splits lower-case text into its words and the parts of words
// joined with '·' or '-': the runs of letters and digits.
func splitParts(w string) []string {
	return strings.FieldsFunc(w, func(r rune) bool { return !isWordRune(r) })
}

// IsHead reports whether word i of n is a head noun.
func (n Name) IsHead(i int) bool {
	for _, h := range n.Heads {
		if h == i {
			return true
		}
	}
	return false
}

// NameHeads returns the head nouns of a product name with every syllable
// tail of each (꿀사과 gives 꿀사과, 사과, 과), for the index: a query for
// the last part of a compound head finds it as a head.
func NameHeads(name string) []string {
	n := ParseName(name)
	var out []string
	seen := map[string]bool{}
	for _, i := range n.Heads {
		w := n.Words[i]
		tails := []string{w}
		if hangul.HasHangul(w) {
			tails = hangul.Suffixes(w)
		}
		for _, t := range tails {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// NameParts returns the pieces of the Hangul compound words of a name that
// a query may name on their own: every syllable prefix and tail of two
// syllables or more (배추김치 gives 배추, 배추김, 추김치, 김치), so that a whole
// word of a query finds 사과즙 (사과) and 꿀사과 (사과) without matching on
// letters a word merely starts with (청소 must not find 청송).
func NameParts(name string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range hangul.Syllables(name) {
		rs := []rune(w)
		if len(rs) > hangul.MaxSuffixRunes {
			rs = rs[:hangul.MaxSuffixRunes]
		}
		for i := 2; i < len(rs); i++ {
			for _, p := range []string{string(rs[:i]), string(rs[len(rs)-i:])} {
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
	}
	return out
}
