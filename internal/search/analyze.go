package search

import (
	"strings"

	"github.com/dure-coop/dure/internal/hangul"
)

// Field says which attributes a Variant is searched on.
type Field string

// Fields a Variant searches.
const (
	// FieldText is the real attributes (the name, its head nouns and
	// compound pieces, categories, summary, description, enterprise), with
	// the engine's synonyms: whole words, every word of the text.
	FieldText Field = "text"
	// FieldJamo is Document.NameJamo: name tails in 두벌식 keys, for
	// compound-inner nouns, spacing variants and one-jamo typos.
	FieldJamo Field = "jamo"
	// FieldChoseong is Document.NameChoseong: 초성 of the name tails.
	FieldChoseong Field = "choseong"
)

// Variant is one reading of a query's text. Engines search every variant of
// a query and build one result list from them (Merge).
type Variant struct {
	Field Field
	Text  string
}

// Analyze returns the readings of a shopper's text, best first:
//   - only 초성 ("ㄷㅈ"): the 초성 field alone;
//   - Latin that is Hangul typed with the keyboard in English mode
//     ("ehlswkd": every letter inside a complete syllable, at least two
//     syllables, not all capitals): the Hangul text, then the Latin text as
//     typed, then the Hangul's jamo. Most English words never decode
//     ('USB', 'organic', 'iphone' start with a vowel key or leave a jamo
//     over); the few that do ('soap' is 내메, 'clean' 칟무) are searched both
//     ways, and the Hangul, which then finds nothing, does not lead;
//   - text with Hangul: the text, then its Hangul with spaces removed in keys
//     on the jamo field (which forgives a one-jamo typo, ignores spacing and
//     finds nouns inside compounds);
//   - anything else: the text alone.
//
// It returns nil for blank text.
func Analyze(text string) []Variant {
	text = strings.Join(strings.Fields(text), " ")
	switch {
	case text == "":
		return nil
	case hangul.IsChoseongQuery(text):
		return []Variant{{FieldChoseong, hangul.Keys(strings.ReplaceAll(text, " ", ""))}}
	case hangul.HasHangul(text):
		vs := []Variant{{FieldText, text}}
		if j := jamoQuery(text); j != "" {
			vs = append(vs, Variant{FieldJamo, j})
		}
		return vs
	}
	// One syllable ('EM' is 뜨) is too little evidence of a slip.
	if h, ok := hangul.FromKeys(text); ok && !isAcronym(text) && len([]rune(strings.Join(hangul.Syllables(h), ""))) >= 2 {
		vs := []Variant{{FieldText, h}, {FieldText, text}}
		if j := jamoQuery(h); j != "" {
			vs = append(vs, Variant{FieldJamo, j})
		}
		return vs
	}
	return []Variant{{FieldText, text}}
}

// isAcronym reports whether text is upper-case Latin ('LED', 'EM'): typed on
// purpose, never a 한/영 slip (a slip is lower-case but for the odd shifted
// key).
func isAcronym(text string) bool {
	return strings.ToUpper(text) == text
}

// jamoQuery is the jamo-field query for text: its Hangul words joined into
// one word (the field's words are name tails without spaces) in keys. A
// single syllable is left out: as a prefix of keys it would match far too
// much.
func jamoQuery(text string) string {
	joined := strings.Join(hangul.Syllables(text), "")
	if len([]rune(joined)) < 2 {
		return ""
	}
	return hangul.Keys(joined)
}

// jamoClose reports whether a tail of word starts with q but for one jamo
// (in 두벌식 keys: one key changed; a key added or dropped shifts the rest
// and is left to the engine's typo tolerance). Queries under four
// keys are too short to tell a typo from another word.
func jamoClose(word, q string) bool {
	kq := hangul.Keys(q)
	if len(kq) < 4 || !hangul.HasHangul(q) {
		return false
	}
	for _, tail := range hangul.Suffixes(word) {
		kw := hangul.Keys(tail)
		if len(kw) >= len(kq) && editDistance(kq, kw[:len(kq)]) <= 1 {
			return true
		}
	}
	return false
}

// editDistance is the Levenshtein distance between two ASCII strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
