package hangul

import (
	"slices"
	"testing"
)

func TestKeys(t *testing.T) {
	tests := []struct{ in, want string }{
		{"된장", "ehlswkd"},
		{"됀장", "ehoswkd"},
		{"쌀", "ttkf"},
		{"까치", "rrkcl"},
		{"닭", "ekfr"},
		{"의자", "dmlwk"},
		{"얘기", "doorl"},
		{"전통 재래식 된장 2kg", "wjsxhd wofotlr ehlswkd 2kg"},
		{"ㄷㅈ", "ew"},
		{"사과·배", "tkrhk qo"},
		{"USB", "usb"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Keys(tt.in); got != tt.want {
				t.Errorf("Keys(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestChoseong(t *testing.T) {
	tests := []struct{ in, want string }{
		{"된장", "ㄷㅈ"},
		{"전통 재래식 된장", "ㅈㅌ ㅈㄹㅅ ㄷㅈ"},
		{"쌈장 500g", "ㅆㅈ"},
		{"ㄷㅈ", "ㄷㅈ"},
		{"LED", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Choseong(tt.in); got != tt.want {
				t.Errorf("Choseong(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsChoseongQuery(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"ㄷㅈ", true},
		{"ㅇㄱㄴ ㅆ", true},
		{"ㄷ", false},
		{"ㄷㅈ국", false},
		{"된장", false},
		{"ㅏㅏ", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsChoseongQuery(tt.in); got != tt.want {
			t.Errorf("IsChoseongQuery(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFromKeys(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"ehlswkd", "된장", true},
		{"tkrhk", "사과", true},
		{"Tkf", "쌀", true},
		{"TKF", "쌀", true}, // caps lock: T is still shifted, K and F are not
		{"dbrlshd Tkf", "유기농 쌀", true},
		{"rkawk 10kg", "", false}, // "kg" is not Korean
		{"rkawk 10", "감자 10", true},
		{"ekfrrhrl", "닭고기", true},
		{"dnjsehdwkd", "원동장", true},
		{"qorlaclehlswkd", "배김치된장", true},
		{"usb", "", false},
		{"USB", "", false},
		{"organic", "", false},
		{"led", "", false},
		{"k", "", false},
		{"r", "", false},
		{"gks", "한", true},
		{"EE", "", false},
		{"ekEk", "다따", true},
		{"qkE", "", false}, // ㄸ cannot end a syllable
		{"abc-1", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := FromKeys(tt.in)
			if ok != tt.ok || got != tt.want {
				t.Errorf("FromKeys(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestDecomposeCompose(t *testing.T) {
	for _, r := range []rune("가각힣된쌀닭의") {
		c, v, f, ok := Decompose(r)
		if !ok {
			t.Fatalf("Decompose(%q) not ok", r)
		}
		back, ok := Compose(c, v, f)
		if !ok || back != r {
			t.Errorf("Compose(Decompose(%q)) = %q, %v", r, back, ok)
		}
	}
	if _, _, _, ok := Decompose('a'); ok {
		t.Error("Decompose('a') ok")
	}
	if _, ok := Compose('ㅏ', 'ㅏ', 0); ok {
		t.Error("Compose(ㅏ,ㅏ) ok")
	}
}

func TestSuffixes(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"수제맥주", []string{"수제맥주", "제맥주", "맥주", "주"}},
		{"쌀", []string{"쌀"}},
		{"가나다라마바사아자차", []string{"가나다라마바사아", "나다라마바사아자", "다라마바사아자차", "라마바사아자차", "마바사아자차", "바사아자차", "사아자차", "아자차", "자차", "차"}},
		{"", []string{}},
	}
	for _, tt := range tests {
		if got := Suffixes(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Suffixes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSyllables(t *testing.T) {
	got := Syllables("무농약 배추김치 10kg(국산)")
	want := []string{"무농약", "배추김치", "국산"}
	if !slices.Equal(got, want) {
		t.Errorf("Syllables = %q, want %q", got, want)
	}
}
