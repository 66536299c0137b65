package textin_test

import (
	"testing"

	"github.com/dure-coop/dure/internal/textin"
)

func TestRuleCheck(t *testing.T) {
	name := textin.Rule{Label: "받는 분 이름", Required: true, Max: 5}
	memo := textin.Rule{Label: "배송 메모", Max: 20, Multiline: true}
	code := textin.Rule{Label: "상품코드", Max: 10, NoSpace: true}
	mission := textin.Rule{Label: "사회적 가치(미션)", Required: true, Max: 10}
	tests := []struct {
		name string
		rule textin.Rule
		in   string
		want string
	}{
		{"fine", name, "김두레", ""},
		{"blank", name, "  ", "받는 분 이름을 입력해 주세요."},
		{"optional blank", memo, "", ""},
		{"too long in characters", name, "가나다라마바", "받는 분 이름은 5자 이하로 입력해 주세요."},
		{"five Hangul are fifteen bytes but five characters", name, "가나다라마", ""},
		{"NUL", name, "김\x00두레", "받는 분 이름에는 줄바꿈이나 제어 문자를 쓸 수 없습니다."},
		{"broken UTF-8", name, "김\xff", "받는 분 이름에 깨진 글자가 있습니다. UTF-8로 저장했는지 확인해 주세요."},
		{"a cut multi-byte character", name, "김"[:2], "받는 분 이름에 깨진 글자가 있습니다. UTF-8로 저장했는지 확인해 주세요."},
		{"newline in a single line", name, "김\n두레", "받는 분 이름에는 줄바꿈이나 제어 문자를 쓸 수 없습니다."},
		{"newline in a memo", memo, "문 앞에\n놓아 주세요", ""},
		{"NUL in a memo", memo, "문 앞\x00", "배송 메모에 쓸 수 없는 제어 문자가 있습니다."},
		{"tab in a memo", memo, "a\tb", "배송 메모에 쓸 수 없는 제어 문자가 있습니다."},
		{"C1 control", memo, "a\u0085b", "배송 메모에 쓸 수 없는 제어 문자가 있습니다."},
		{"DEL", name, "a\x7f", "받는 분 이름에는 줄바꿈이나 제어 문자를 쓸 수 없습니다."},
		{"space in a code", code, "A 1", "상품코드에는 공백을 쓸 수 없습니다."},
		{"particle after a bracket", mission, "", "사회적 가치(미션)을 입력해 주세요."},
		{"thousands in the limit", textin.Rule{Label: "설명", Max: 20000}, string(make([]byte, 20001)), "설명은 20,000자 이하로 입력해 주세요."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rule.Message(tt.in); got != tt.want {
				t.Errorf("Message(%q) = %q, want %q", tt.in, got, tt.want)
			}
			p, ok := tt.rule.Check(tt.in)
			if ok != (tt.want == "") || (!ok && p.En == "") {
				t.Errorf("Check(%q) = %+v, %v", tt.in, p, ok)
			}
		})
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]bool{"사과 3kg": true, "": true, "a\x00": false, "\xed\xa0\x80": false, "a\nb": false, "a\r": false} {
		if got := textin.Clean(in, false); got != want {
			t.Errorf("Clean(%q, false) = %v, want %v", in, got, want)
		}
	}
	if !textin.Clean("a\nb", true) || textin.Clean("a\r\nb", true) {
		t.Error("multiline: LF allowed, CR not")
	}
}

func TestForDisplay(t *testing.T) {
	for in, want := range map[string]string{"김두레": "김두레", "김\x00두레": "김두레", "김\xff": "김\uFFFD", "a\r\nb\tc\x1b": "a\r\nb\tc"} {
		if got := textin.ForDisplay(in); got != want {
			t.Errorf("ForDisplay(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeNewlines(t *testing.T) {
	if got := textin.NormalizeNewlines("a\r\nb\rc\nd"); got != "a\nb\nc\nd" {
		t.Errorf("NormalizeNewlines = %q", got)
	}
}

// FuzzRule: whatever Check accepts is text PostgreSQL stores (valid UTF-8,
// no NUL) within the limit.
func FuzzRule(f *testing.F) {
	for _, s := range []string{"김두레", "a\x00b", "\xff", "문 앞\n", "가\r\n나"} {
		f.Add(s)
	}
	rules := []textin.Rule{{Label: "이름", Required: true, Max: 30}, {Label: "메모", Max: 100, Multiline: true}}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range rules {
			if _, ok := r.Check(s); ok && !textin.Clean(s, r.Multiline) {
				t.Fatalf("%q accepted but not clean", s)
			}
		}
	})
}
