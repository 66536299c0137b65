// Package textin is the one rule for text that comes from outside — forms,
// the JSON API, import files, cookies and query strings: valid UTF-8, no
// control characters (a line feed only where a line break means something:
// descriptions, missions, delivery memos), and a length limit counted in
// characters, not bytes. The domain validators (catalog, order, account,
// onboarding) call it, so every way in — page, API, import — is judged by
// the same rule with the same Korean messages, and nothing PostgreSQL would
// refuse (a NUL byte, broken UTF-8: SQLSTATE 22021) reaches it.
package textin

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/kr"
)

// Rule says what one text field may hold.
type Rule struct {
	// Label is the field's Korean name as the messages say it ("받는 분
	// 이름"); the particles after it follow its last syllable.
	Label    string
	Required bool
	// Max is the most characters (runes) the field may hold.
	Max int
	// Multiline allows line feeds; NormalizeNewlines has made every line
	// break one.
	Multiline bool
	// NoSpace refuses white space anywhere (codes, ids).
	NoSpace bool
}

// Problem is what is wrong with a text: Ko for people, En for the English
// half of an import report.
type Problem struct{ Ko, En string }

// Check returns the first problem of s under r, in this order: broken
// UTF-8, missing (blank) when required, too long, control characters, white
// space in a NoSpace field. ok is false when there is a problem. A blank
// optional field is fine.
func (r Rule) Check(s string) (p Problem, ok bool) {
	switch {
	case !utf8.ValidString(s):
		return Problem{r.Label + "에 깨진 글자가 있습니다. UTF-8로 저장했는지 확인해 주세요.", "is not valid UTF-8"}, false
	case strings.TrimSpace(s) == "":
		if r.Required {
			return Problem{r.Label + josa(r.Label, "을", "를") + " 입력해 주세요.", "is required"}, false
		}
	case utf8.RuneCountInString(s) > r.Max:
		return Problem{fmt.Sprintf("%s%s %s자 이하로 입력해 주세요.", r.Label, josa(r.Label, "은", "는"), kr.Comma(int64(r.Max))),
			fmt.Sprintf("must be at most %d characters", r.Max)}, false
	case !Clean(s, r.Multiline):
		if r.Multiline {
			return Problem{r.Label + "에 쓸 수 없는 제어 문자가 있습니다.", "must not contain control characters"}, false
		}
		return Problem{r.Label + "에는 줄바꿈이나 제어 문자를 쓸 수 없습니다.", "must not contain line breaks or control characters"}, false
	case r.NoSpace && strings.ContainsFunc(s, unicode.IsSpace):
		return Problem{r.Label + "에는 공백을 쓸 수 없습니다.", "must not contain spaces"}, false
	}
	return Problem{}, true
}

// Message returns the Korean message of Check, or "" when s is fine.
func (r Rule) Message(s string) string {
	p, _ := r.Check(s)
	return p.Ko
}

// Clean reports whether s is valid UTF-8 without control characters (C0,
// DEL, C1), but for line feeds when multiline. Values with a format of their
// own (tokens, order numbers, e-mail addresses) check it before their format.
func Clean(s string, multiline bool) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(c rune) bool {
		return unicode.IsControl(c) && !(multiline && c == '\n')
	})
}

// ForDisplay returns s as a form may show it again beside its error: broken
// bytes as U+FFFD, control characters dropped but for line breaks (CR, LF)
// and tabs, so the page stays valid UTF-8 and the person sees where the text
// was broken.
func ForDisplay(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	return strings.Map(func(c rune) rune {
		if unicode.IsControl(c) && c != '\n' && c != '\r' && c != '\t' {
			return -1
		}
		return c
	}, s)
}

// NormalizeNewlines turns the CR LF and CR line breaks that browsers and
// spreadsheets send into LF, before Check judges a Multiline field.
func NormalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// josa returns the particle that follows word: withFinal after a syllable
// with a final consonant (받침), without otherwise. Closing brackets and
// spaces at the end are skipped ("사회적 가치(미션)" reads as 미션).
func josa(word, withFinal, without string) string {
	word = strings.TrimRight(word, ") ")
	r, _ := utf8.DecodeLastRuneInString(word)
	if r >= 0xAC00 && r <= 0xD7A3 && (r-0xAC00)%28 != 0 {
		return withFinal
	}
	return without
}
