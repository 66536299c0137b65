package search

import (
	"sort"
	"strings"
	"unicode"

	"github.com/dure-coop/dure/internal/hangul"
)

// Field says which attributes a Variant is searched on.
type Field string

// Fields a Variant searches.
const (
	// FieldText is the real attributes (name, enterprise, categories, summary,
	// description), with the engine's synonyms.
	FieldText Field = "text"
	// FieldJamo is Document.NameJamo: name tails in 두벌식 keys, for
	// compound-inner nouns, spacing variants and one-jamo typos.
	FieldJamo Field = "jamo"
	// FieldChoseong is Document.NameChoseong: 초성 of the name tails.
	FieldChoseong Field = "choseong"
)

// Variant is one reading of a query's text. Engines search the variants of a
// query in order and keep the first one's results first.
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

// MergeWindow is how many of each variant's best hits MergeVariants merges.
// Pages within it (the first two of 24) are ranked on the merged list; a page
// beyond it comes from the first variant alone, as the engine ranks it. It
// was 96: at 100k products Meilisearch answered a window of 48 in 60–80 % of
// the time, with the same judged relevance (docs/bench.md).
const MergeWindow = 48

// MergeVariants combines the first MergeWindow hits of each variant of q
// (results in the order of q.Variants) into q's page:
//   - the hits of the text variants whose name matched (highlighted) or that
//     a name variant (jamo, 초성) also found, in the engine's order;
//   - then the other hits of the name variants (typos, compound tails);
//   - then the other text hits (the words only in a description or a
//     synonym).
//
// With the relevance sort, the list is then ordered by NameMatch (stable):
// a name with the query as a whole word comes before one where it ends a
// compound, before one that merely contains it, before the rest. So the
// exact match ranks above the n-gram, typo and 초성 matches, and the engine's
// order (sold-out last among equals) is kept inside each class. Facets and
// the total come from the first variant with hits.
func MergeVariants(q Query, results []*Result) *Result {
	var lead *Result
	for _, r := range results {
		if r != nil && len(r.Hits) > 0 {
			lead = r
			break
		}
	}
	if lead == nil {
		return &Result{Hits: []Hit{}, Page: q.Page, PerPage: q.PerPage, Facets: map[string][]FacetValue{}}
	}
	inName := map[int64]bool{}
	for i, r := range results {
		if r != nil && i < len(q.Variants) && q.Variants[i].Field != FieldText {
			for _, h := range r.Hits {
				inName[h.ProductID] = true
			}
		}
	}
	var merged []Hit
	group := map[int64]int{} // 0: text, name matched; 1: name variants; 2: other text
	add := func(g int, field Field, keep func(Hit) bool) {
		for i, r := range results {
			if r == nil || i >= len(q.Variants) || (q.Variants[i].Field == FieldText) != (field == FieldText) {
				continue
			}
			for _, h := range r.Hits {
				if _, dup := group[h.ProductID]; !dup && keep(h) {
					group[h.ProductID] = g
					merged = append(merged, h)
				}
			}
		}
	}
	add(0, FieldText, func(h Hit) bool { return inName[h.ProductID] || strings.Contains(h.NameHighlight, HighlightPre) })
	add(1, FieldJamo, func(Hit) bool { return true })
	add(2, FieldText, func(Hit) bool { return true })

	if q.Sort == SortRelevance {
		// Each text reading (the Hangul of a 한/영 slip and the Latin as
		// typed) may be the one the shopper meant: a name counts as well as
		// it matches the best of them.
		texts := []string{q.Text}
		for _, v := range q.Variants {
			if v.Field == FieldText && v.Text != q.Text {
				texts = append(texts, v.Text)
			}
		}
		// rank: the NameMatch class; among names that do not match, the
		// engine's text matches (a synonym, the description) before the name
		// variants' looser typo matches.
		rank := make(map[int64]int, len(merged))
		for _, h := range merged {
			c := MatchNone
			for _, text := range texts {
				c = max(c, NameMatch(h.Name, text))
			}
			if c == MatchNone && group[h.ProductID] != 1 {
				c = -1
			} else if c == MatchNone {
				c = -2
			}
			rank[h.ProductID] = c
		}
		sort.SliceStable(merged, func(i, j int) bool {
			return rank[merged[i].ProductID] > rank[merged[j].ProductID]
		})
	}
	out := &Result{Page: q.Page, PerPage: q.PerPage, Facets: lead.Facets, Total: max(lead.Total, len(merged))}
	from := min((q.Page-1)*q.PerPage, len(merged))
	out.Hits = merged[from:min(from+q.PerPage, len(merged))]
	return out
}

// Name match classes (NameMatch), best first.
const (
	MatchWord     = 4 // a word of the name is the query
	MatchTail     = 3 // a word of the name ends with the query (배추김치 for 김치)
	MatchContains = 2 // the name, spaces removed, contains the query
	MatchTypo     = 1 // a word tail starts with the query but for one jamo
	MatchNone     = 0
)

// NameMatch says how well a product name matches the query text, ignoring
// case and spacing; a text of only 초성 is compared with the 초성 of the name.
// For a query of several words, every word must match at that level.
func NameMatch(name, text string) int {
	norm := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})
	}
	words, qwords := norm(name), norm(text)
	if len(qwords) == 0 {
		return MatchNone
	}
	if hangul.IsChoseongQuery(text) {
		for i, w := range words {
			words[i] = strings.ReplaceAll(hangul.Choseong(w), " ", "")
		}
	}
	level := func(pred func(w, q string) bool) bool {
		for _, q := range qwords {
			found := false
			for _, w := range words {
				if pred(w, q) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	switch {
	case level(func(w, q string) bool { return w == q }):
		return MatchWord
	case level(strings.HasSuffix):
		return MatchTail
	case strings.Contains(strings.Join(words, ""), strings.Join(qwords, "")):
		return MatchContains
	case level(jamoClose):
		return MatchTypo
	}
	return MatchNone
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
