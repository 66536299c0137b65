// Package hangul holds the pure Korean text functions search needs: syllable
// decomposition into jamo, 초성 (initial consonant) forms, the 두벌식 (2-set)
// keyboard mapping in both directions, and the segmentation that makes a noun
// inside a compound findable.
//
// Jamo are written as the lower-case keys of the 두벌식 keyboard ("된장" is
// "ehlswkd"), with the shifted keys doubled ("ㄲ" is "rr"). Search engines then
// see plain ASCII words: they count a typo per key, so a one-jamo slip inside a
// syllable is one typo, and a query typed with the keyboard left in English
// mode is already in this alphabet.
package hangul

import (
	"strings"
	"unicode"
)

const (
	sBase  = 0xAC00
	sLast  = 0xD7A3
	nJung  = 21
	nJong  = 28
	nBlock = nJung * nJong
)

// Compatibility jamo in Unicode syllable order.
var (
	choList  = []rune("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
	jungList = []rune("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")
	jongList = []rune("\x00ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
)

// keyOf maps a compatibility jamo to its 두벌식 keys (shifted keys in upper case).
var keyOf = map[rune]string{
	'ㄱ': "r", 'ㄲ': "R", 'ㄳ': "rt", 'ㄴ': "s", 'ㄵ': "sw", 'ㄶ': "sg", 'ㄷ': "e", 'ㄸ': "E",
	'ㄹ': "f", 'ㄺ': "fr", 'ㄻ': "fa", 'ㄼ': "fq", 'ㄽ': "ft", 'ㄾ': "fx", 'ㄿ': "fv", 'ㅀ': "fg",
	'ㅁ': "a", 'ㅂ': "q", 'ㅃ': "Q", 'ㅄ': "qt", 'ㅅ': "t", 'ㅆ': "T", 'ㅇ': "d", 'ㅈ': "w",
	'ㅉ': "W", 'ㅊ': "c", 'ㅋ': "z", 'ㅌ': "x", 'ㅍ': "v", 'ㅎ': "g",
	'ㅏ': "k", 'ㅐ': "o", 'ㅑ': "i", 'ㅒ': "O", 'ㅓ': "j", 'ㅔ': "p", 'ㅕ': "u", 'ㅖ': "P",
	'ㅗ': "h", 'ㅘ': "hk", 'ㅙ': "ho", 'ㅚ': "hl", 'ㅛ': "y", 'ㅜ': "n", 'ㅝ': "nj", 'ㅞ': "np",
	'ㅟ': "nl", 'ㅠ': "b", 'ㅡ': "m", 'ㅢ': "ml", 'ㅣ': "l",
}

// jamoOfKey is the reverse of keyOf for single keys.
var jamoOfKey = map[byte]rune{
	'r': 'ㄱ', 'R': 'ㄲ', 's': 'ㄴ', 'e': 'ㄷ', 'E': 'ㄸ', 'f': 'ㄹ', 'a': 'ㅁ', 'q': 'ㅂ', 'Q': 'ㅃ',
	't': 'ㅅ', 'T': 'ㅆ', 'd': 'ㅇ', 'w': 'ㅈ', 'W': 'ㅉ', 'c': 'ㅊ', 'z': 'ㅋ', 'x': 'ㅌ', 'v': 'ㅍ',
	'g': 'ㅎ', 'k': 'ㅏ', 'o': 'ㅐ', 'i': 'ㅑ', 'O': 'ㅒ', 'j': 'ㅓ', 'p': 'ㅔ', 'u': 'ㅕ', 'P': 'ㅖ',
	'h': 'ㅗ', 'y': 'ㅛ', 'n': 'ㅜ', 'b': 'ㅠ', 'm': 'ㅡ', 'l': 'ㅣ',
}

// Compound vowels and final consonants typed as two jamo.
var (
	vowelPair = map[[2]rune]rune{
		{'ㅗ', 'ㅏ'}: 'ㅘ', {'ㅗ', 'ㅐ'}: 'ㅙ', {'ㅗ', 'ㅣ'}: 'ㅚ', {'ㅜ', 'ㅓ'}: 'ㅝ',
		{'ㅜ', 'ㅔ'}: 'ㅞ', {'ㅜ', 'ㅣ'}: 'ㅟ', {'ㅡ', 'ㅣ'}: 'ㅢ',
	}
	finalPair = map[[2]rune]rune{
		{'ㄱ', 'ㅅ'}: 'ㄳ', {'ㄴ', 'ㅈ'}: 'ㄵ', {'ㄴ', 'ㅎ'}: 'ㄶ', {'ㄹ', 'ㄱ'}: 'ㄺ', {'ㄹ', 'ㅁ'}: 'ㄻ',
		{'ㄹ', 'ㅂ'}: 'ㄼ', {'ㄹ', 'ㅅ'}: 'ㄽ', {'ㄹ', 'ㅌ'}: 'ㄾ', {'ㄹ', 'ㅍ'}: 'ㄿ', {'ㄹ', 'ㅎ'}: 'ㅀ',
		{'ㅂ', 'ㅅ'}: 'ㅄ',
	}
)

// IsSyllable reports whether r is a precomposed Hangul syllable (가–힣).
func IsSyllable(r rune) bool { return r >= sBase && r <= sLast }

// IsConsonant reports whether r is a compatibility-jamo consonant (ㄱ–ㅎ).
func IsConsonant(r rune) bool { return r >= 'ㄱ' && r <= 'ㅎ' }

// IsVowel reports whether r is a compatibility-jamo vowel (ㅏ–ㅣ).
func IsVowel(r rune) bool { return r >= 'ㅏ' && r <= 'ㅣ' }

// HasHangul reports whether s contains a syllable or a compatibility jamo.
func HasHangul(s string) bool {
	for _, r := range s {
		if IsSyllable(r) || IsConsonant(r) || IsVowel(r) {
			return true
		}
	}
	return false
}

// Decompose returns the compatibility jamo of a syllable (final may be 0).
// ok is false when r is not a syllable.
func Decompose(r rune) (cho, jung, jong rune, ok bool) {
	if !IsSyllable(r) {
		return 0, 0, 0, false
	}
	i := int(r - sBase)
	return choList[i/nBlock], jungList[i%nBlock/nJong], jongList[i%nJong], true
}

// Compose returns the syllable of the given jamo (jong 0 for none); ok is false
// when they do not form one.
func Compose(cho, jung, jong rune) (rune, bool) {
	ci, vi, fi := index(choList, cho), index(jungList, jung), 0
	if jong != 0 {
		fi = index(jongList, jong)
	}
	if ci < 0 || vi < 0 || fi < 0 {
		return 0, false
	}
	return rune(sBase + ci*nBlock + vi*nJong + fi), true
}

func index(list []rune, r rune) int {
	for i, x := range list {
		if x == r && r != 0 {
			return i
		}
	}
	return -1
}

// Keys returns s written as lower-case 두벌식 keys: syllables and
// compatibility jamo become their keys (shifted keys doubled: "ㄲ" is "rr"),
// other letters and digits are lower-cased, everything else is dropped except
// spaces between words. Keys("된장 2kg") is "ehlswkd 2kg".
func Keys(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case IsSyllable(r):
			cho, jung, jong, _ := Decompose(r)
			writeKeys(&b, cho)
			writeKeys(&b, jung)
			writeKeys(&b, jong)
		case IsConsonant(r) || IsVowel(r):
			writeKeys(&b, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			if b.Len() > 0 && !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		space = false
	}
	return strings.TrimSpace(b.String())
}

func writeKeys(b *strings.Builder, j rune) {
	if j == 0 {
		return
	}
	for _, k := range []byte(keyOf[j]) {
		if k >= 'A' && k <= 'Z' { // shifted: a tense consonant or ㅒ/ㅖ
			l := k - 'A' + 'a'
			b.WriteByte(l)
			b.WriteByte(l)
			continue
		}
		b.WriteByte(k)
	}
}

// Choseong returns the initial consonants of the syllables of s ("된장" is
// "ㄷㅈ"); compatibility consonants are kept, everything else is dropped
// except single spaces between words.
func Choseong(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case IsSyllable(r):
			cho, _, _, _ := Decompose(r)
			b.WriteRune(cho)
		case IsConsonant(r):
			b.WriteRune(r)
		case unicode.IsSpace(r):
			if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
				b.WriteByte(' ')
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// IsChoseongQuery reports whether s is made only of compatibility consonants
// (and spaces), at least two of them: what a shopper types as 초성 search
// ("ㄷㅈ"). One consonant alone is a keystroke in progress, not a query.
func IsChoseongQuery(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case IsConsonant(r):
			n++
		case unicode.IsSpace(r):
		default:
			return false
		}
	}
	return n >= 2
}

// FromKeys converts text typed on a 두벌식 keyboard left in English mode into
// Hangul: FromKeys("ehlswkd") is "된장", true. Upper-case QWERTOP are the
// shifted jamo (ㅃㅉㄸㄲㅆㅒㅖ); other upper-case letters count as lower-case
// (caps lock). ok is false unless every letter ends up inside a complete
// syllable: a leftover jamo ("usb" starts with the vowel ㅕ) means the text is
// not Korean typed in the wrong mode. Spaces and digits are kept; any other
// character makes ok false.
func FromKeys(s string) (string, bool) {
	var b strings.Builder
	var jamo []rune
	letters := 0
	flush := func() bool {
		out, ok := composeJamo(jamo)
		jamo = jamo[:0]
		b.WriteString(out)
		return ok
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j, ok := jamoOfKey[c]
			if !ok {
				j = jamoOfKey[c-'A'+'a']
			}
			jamo = append(jamo, j)
			letters++
		case c == ' ' || c >= '0' && c <= '9':
			if !flush() {
				return "", false
			}
			b.WriteByte(c)
		default:
			return "", false
		}
	}
	if !flush() || letters < 2 {
		return "", false
	}
	return b.String(), true
}

// composeJamo composes a run of jamo into syllables the way a 두벌식 IME does
// (a consonant before a vowel starts a new syllable). ok is false when a jamo
// is left over.
func composeJamo(js []rune) (string, bool) {
	var b strings.Builder
	isC := func(i int) bool { return i < len(js) && IsConsonant(js[i]) }
	isV := func(i int) bool { return i < len(js) && IsVowel(js[i]) }
	for i := 0; i < len(js); {
		if !isC(i) || !isV(i+1) {
			return b.String(), false
		}
		cho, jung := js[i], js[i+1]
		i += 2
		if isV(i) {
			if v, ok := vowelPair[[2]rune{jung, js[i]}]; ok {
				jung = v
				i++
			}
		}
		var jong rune
		if isC(i) && !isV(i+1) {
			jong = js[i]
			i++
			if isC(i) && !isV(i+1) {
				if f, ok := finalPair[[2]rune{jong, js[i]}]; ok {
					jong = f
					i++
				}
			}
		}
		r, ok := Compose(cho, jung, jong)
		if !ok { // ㄸ, ㅃ, ㅉ cannot end a syllable
			return b.String(), false
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// Syllables returns the Hangul words of s: maximal runs of syllables.
func Syllables(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !IsSyllable(r) })
}

// MaxSuffixRunes bounds the syllables of one suffix, so a long name does not
// produce a quadratic number of index bytes.
const MaxSuffixRunes = 8

// Suffixes returns the tails of word that start at each of its syllables,
// each at most MaxSuffixRunes long: "수제맥주" gives 수제맥주, 제맥주, 맥주, 주.
// Indexed as words, they let an engine that matches word prefixes find a noun
// inside a compound ('맥주' in '수제맥주', '배추' in '무농약배추').
func Suffixes(word string) []string {
	rs := []rune(word)
	out := make([]string, 0, len(rs))
	for i := range rs {
		out = append(out, string(rs[i:min(len(rs), i+MaxSuffixRunes)]))
	}
	return out
}
