package search

import (
	"slices"
	"strings"

	"github.com/dure-coop/dure/internal/hangul"
)

// Match classes: how well a product answers a query, best last. Rank gives
// a product the best class any reading of the query earns it.
const (
	// ClassEnterprise: only its enterprise's name (or what the engine found
	// in the description, which repeats that name) says the query.
	ClassEnterprise = iota + 1
	// ClassOther: the query is in the product's own text (summary,
	// description) or a synonym the engine matched, not in its name.
	ClassOther
	// ClassTypo: a name word is one jamo from the query (the jamo reading).
	ClassTypo
	// ClassPartial: some words of the query are in the name, the others
	// elsewhere in the product.
	ClassPartial
	// ClassModifier: every word is in the name, but the query's head (its
	// last word) only as a modifier: 사과 in 사과 양념 불고기 소스 or 사과즙.
	ClassModifier
	// ClassCategory: the query names the product's category (과일 for
	// 과일·채소, 세제 for 세제·위생).
	ClassCategory
	// ClassHead: every word is in the name and the query's head is the
	// name's head noun or the last part of it: 사과 in 청송 꿀사과 5kg.
	ClassHead
	// ClassCore: the name without its units, counts and notes is the query.
	ClassCore
	// ClassExact: the name is the query (ignoring case and spaces).
	ClassExact
)

// Rank is a product's place in a result list: its class, then a finer
// order inside the class (Sub, higher first); products equal in both keep
// the engine's order.
type Rank struct {
	Class int
	Sub   int
}

// less reports whether a ranks below b.
func (a Rank) less(b Rank) bool {
	if a.Class != b.Class {
		return a.Class < b.Class
	}
	return a.Sub < b.Sub
}

// reading is one way of reading the query's text for ranking.
type reading struct {
	text     string
	words    []string   // lower-case
	alts     [][]string // per word: the word and its synonyms
	choseong bool       // words are 초성, compared with the 초성 of names
	full     string     // words joined without spaces
	core     string     // the same without trailing units and counts
}

// Ranker ranks products for one query: the readings of its text (as typed,
// the Hangul of a 한/영 slip, its 초성) with their synonyms.
type Ranker struct {
	readings []reading
	words    []string        // every word and synonym of every reading, for category and enterprise tests
	named    map[string]bool // category name → a word of the query names it (namesCategory)
}

// NewRanker returns the Ranker for q; syn is the synonym dictionary (term →
// synonyms, terms lower-case), nil for none.
func NewRanker(q Query, syn map[string][]string) *Ranker {
	r := &Ranker{}
	texts := []string{}
	choseong := false
	for _, v := range q.Variants {
		switch v.Field {
		case FieldText:
			texts = append(texts, v.Text)
		case FieldChoseong:
			choseong = true
		}
	}
	if len(q.Variants) == 0 && q.Text != "" {
		texts = append(texts, q.Text)
	}
	if choseong {
		r.add(q.Text, nil, true)
	}
	for _, t := range texts {
		r.add(t, syn, false)
	}
	return r
}

func (r *Ranker) add(text string, syn map[string][]string, choseong bool) {
	words := splitParts(lowerName(text))
	if len(words) == 0 {
		return
	}
	rd := reading{text: text, words: words, choseong: choseong, full: strings.Join(words, "")}
	end := len(words)
	for end > 1 && isQualifier(words[end-1]) {
		end--
	}
	rd.core = strings.Join(words[:end], "")
	for _, w := range words {
		alts := []string{w}
		for _, s := range syn[w] {
			s = strings.ToLower(s)
			if !strings.Contains(s, " ") && s != w {
				alts = append(alts, s)
			}
		}
		rd.alts = append(rd.alts, alts)
		r.words = append(r.words, alts...)
	}
	r.readings = append(r.readings, rd)
}

// word match levels of one query word in a name
const (
	levelNone = iota
	levelNote // in a bracketed note
	levelPart // inside a name word (사과 in 사과즙)
	levelWord // a name word, or its last part (사과 in 꿀사과)
	levelHead // a head noun, or its last part
)

// Rank returns d's place for the query, from its name, summary, category
// and enterprise names.
func (r *Ranker) Rank(d *Document) Rank {
	best := Rank{Class: ClassOther}
	if len(r.readings) == 0 {
		return best
	}
	n := ParseName(d.Name)
	for _, rd := range r.readings {
		if rk := r.rankReading(rd, n); best.less(rk) {
			best = rk
		}
	}
	if best.Class < ClassCategory {
		if leaf, ok := r.namesCategory(d); ok {
			// The product's own category before an ancestor (문구 names
			// 문구·노트 and its parent 사무용품·문구), then a name that says
			// the word too.
			sub := 0
			if leaf {
				sub = 2
			}
			if best.Class >= ClassPartial {
				sub++
			}
			best = Rank{Class: ClassCategory, Sub: sub}
		}
	}
	if best.Class == ClassOther && !r.inProduct(d) && r.inText(d.EnterpriseName) {
		best = Rank{Class: ClassEnterprise}
	}
	return best
}

func (r *Ranker) rankReading(rd reading, n Name) Rank {
	words, notes := n.Words, n.Notes
	if rd.choseong {
		words, notes = choseongWords(words), choseongWords(notes)
	} else {
		switch {
		case n.full == rd.full:
			return Rank{Class: ClassExact}
		case n.Core == rd.core:
			return Rank{Class: ClassCore}
		}
	}
	found, headLevel, sub, headSub, own := 0, levelNone, 0, 0, 4
	for i, alts := range rd.alts {
		level, at, wordItself, matched := levelNone, -1, false, ""
		for k, a := range alts {
			if l, j := matchWord(a, n, words, notes, rd.choseong); l > level {
				level, at, wordItself, matched = l, j, k == 0, a
			}
		}
		if level > levelNone {
			found++
			if !wordItself {
				own = 0
			}
		}
		if i < len(rd.alts)-1 {
			continue
		}
		headLevel = level
		switch {
		case level == levelHead:
			// Among head matches: the word itself before a synonym, the
			// last head before one through a package word (수제청 선물세트
			// for 청), the whole word before its last part.
			if wordItself {
				headSub += 4
			}
			if at == n.Heads[0] {
				headSub += 2
			}
			if words[at] == matched {
				headSub++
			}
		case level == levelPart && at >= 0 && n.IsHead(at):
			// How close the query's head is to the name's head: inside the
			// head word (사과즙), just before it, or further.
			sub = 2
		case at >= 0 && n.IsHead(at+1):
			sub = 1
		}
	}
	switch {
	case found == len(rd.alts) && headLevel == levelHead:
		return Rank{Class: ClassHead, Sub: headSub}
	case found == len(rd.alts):
		// The words themselves before synonyms, then how close to the head.
		return Rank{Class: ClassModifier, Sub: own + sub}
	case found > 0:
		s := own
		if headLevel == levelHead {
			s++
		}
		return Rank{Class: ClassPartial, Sub: s}
	}
	if !rd.choseong {
		for i, w := range n.Words {
			for _, q := range rd.words {
				if jamoClose(w, q) {
					s := 0
					if n.IsHead(i) {
						s = 1
					}
					return Rank{Class: ClassTypo, Sub: s}
				}
			}
		}
	}
	return Rank{Class: ClassOther}
}

// matchWord returns how q occurs in the name (words, or their 초성 when
// choseong) and the index of the word it occurs in (-1 for a note). Inside
// a word, a run of 초성 counts only at its start: two consonants occur
// inside many words by chance.
func matchWord(q string, n Name, words, notes []string, choseong bool) (level, at int) {
	level, at = levelNone, -1
	for i, w := range words {
		l := levelNone
		switch {
		case q == "":
		case w == q || strings.HasSuffix(w, q):
			l = levelWord
			if n.IsHead(i) {
				l = levelHead
			}
		case choseong && strings.HasPrefix(w, q), !choseong && strings.Contains(w, q):
			l = levelPart
		}
		if l > level {
			level, at = l, i
		}
	}
	if level == levelNone {
		for _, w := range notes {
			if q != "" && strings.Contains(w, q) {
				return levelNote, -1
			}
		}
	}
	return level, at
}

func choseongWords(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.ReplaceAll(hangul.Choseong(w), " ", "")
	}
	return out
}

// namesCategory reports whether a word of the query (or a synonym) names
// one of d's categories: equals a part of a category name (세제 in 세제·위생);
// leaf says it names d's own category (the last of the path).
func (r *Ranker) namesCategory(d *Document) (leaf, ok bool) {
	for i, c := range d.CategoryNames {
		named, seen := r.named[c]
		if !seen {
			for _, part := range splitParts(lowerName(c)) {
				named = named || slices.Contains(r.words, part)
			}
			if r.named == nil {
				r.named = map[string]bool{}
			}
			r.named[c] = named
		}
		if named {
			ok = true
			leaf = leaf || i == len(d.CategoryNames)-1
		}
	}
	return leaf, ok
}

// inProduct reports whether a word of the query is in d's name, summary or
// category names.
func (r *Ranker) inProduct(d *Document) bool {
	if r.inText(d.Name) || r.inText(d.Summary) {
		return true
	}
	for _, c := range d.CategoryNames {
		if r.inText(c) {
			return true
		}
	}
	return false
}

// inText reports whether a word of the query (or a synonym) occurs in s.
func (r *Ranker) inText(s string) bool {
	s = lowerName(s)
	for _, w := range r.words {
		if w != "" && strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Reading says what the results of a search were read as.
func (r *Ranker) Reading(q Query, d *Document) Reading {
	if d == nil || len(r.readings) == 0 {
		return Reading{}
	}
	n := ParseName(d.Name)
	typed := strings.ToLower(strings.Join(strings.Fields(q.Text), " "))
	var best reading
	bestRank := Rank{}
	for _, rd := range r.readings {
		if rk := r.rankReading(rd, n); bestRank.less(rk) {
			best, bestRank = rd, rk
		}
	}
	switch {
	case best.choseong && bestRank.Class >= ClassPartial:
		return Reading{Kind: ReadChoseong, Text: nameWordsFor(best, n, choseongWords(n.Words))}
	case bestRank.Class == ClassTypo:
		return Reading{Kind: ReadTypo, Text: typoWords(best, n)}
	case bestRank.Class < ClassPartial:
		return Reading{}
	case strings.ToLower(best.text) != typed:
		return Reading{Kind: ReadHanYeong, Text: best.text}
	}
	// A synonym: every word found, some only as a synonym.
	var used []string
	viaSynonym := false
	for _, alts := range best.alts {
		w := alts[0]
		if l, _ := matchWord(w, n, n.Words, n.Notes, false); l == levelNone {
			for _, a := range alts[1:] {
				if l, _ := matchWord(a, n, n.Words, n.Notes, false); l > levelNone {
					w, viaSynonym = a, true
					break
				}
			}
		}
		used = append(used, w)
	}
	if viaSynonym && bestRank.Class >= ClassModifier {
		return Reading{Kind: ReadSynonym, Text: strings.Join(used, " ")}
	}
	return Reading{}
}

// TailReading is Reading for a page past the ranked head of a list whose
// spine is reading i of q: what that reading is — the Hangul of a 한/영 slip,
// 초성 (with the word of first, the page's first product) — and otherwise the
// text as typed: a typo or synonym reading shows in the head only, where the
// first product of the list is known.
func (r *Ranker) TailReading(q Query, i int, first *Document) Reading {
	if i < 0 || i >= len(q.Variants) {
		return Reading{}
	}
	switch v := q.Variants[i]; {
	case v.Field == FieldChoseong:
		return r.Reading(q, first)
	case v.Field == FieldText && !strings.EqualFold(v.Text, strings.Join(strings.Fields(q.Text), " ")):
		return Reading{Kind: ReadHanYeong, Text: v.Text}
	}
	return Reading{}
}

// nameWordsFor returns the name words that the reading's words matched in
// words (the name's words or their 초성), joined by spaces.
func nameWordsFor(rd reading, n Name, words []string) string {
	var out []string
	for _, q := range rd.words {
		for i, w := range words {
			if strings.Contains(w, q) {
				out = append(out, n.Words[i])
				break
			}
		}
	}
	return strings.Join(out, " ")
}

// typoWords returns the name words one jamo from the reading's words.
func typoWords(rd reading, n Name) string {
	var out []string
	for _, q := range rd.words {
		for _, w := range n.Words {
			if jamoClose(w, q) {
				out = append(out, w)
				break
			}
		}
	}
	return strings.Join(out, " ")
}
