package search

import (
	"slices"
	"testing"
)

func TestAnalyze(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []Variant
	}{
		{"", nil},
		{"  ", nil},
		{"ㄷㅈ", []Variant{{FieldChoseong, "ew"}}},
		{"ㅇㄱㄴ ㅆ", []Variant{{FieldChoseong, "drstt"}}},
		{"된장", []Variant{{FieldText, "된장"}, {FieldJamo, "ehlswkd"}}},
		{"유기농  쌀", []Variant{{FieldText, "유기농 쌀"}, {FieldJamo, "dbrlshdttkf"}}},
		{"쌀", []Variant{{FieldText, "쌀"}}}, // one syllable: no jamo variant
		{"LED 조명", []Variant{{FieldText, "LED 조명"}, {FieldJamo, "whaud"}}},
		{"ehlswkd", []Variant{{FieldText, "된장"}, {FieldText, "ehlswkd"}, {FieldJamo, "ehlswkd"}}},
		{"dbrlshd Tkf", []Variant{{FieldText, "유기농 쌀"}, {FieldText, "dbrlshd Tkf"}, {FieldJamo, "dbrlshdttkf"}}},
		{"organic", []Variant{{FieldText, "organic"}}},
		{"usb", []Variant{{FieldText, "usb"}}},
		{"USB", []Variant{{FieldText, "USB"}}},
		{"EM", []Variant{{FieldText, "EM"}}},   // acronym, and only 뜨
		{"gks", []Variant{{FieldText, "gks"}}}, // 한: one syllable is too little
		{"A4", []Variant{{FieldText, "A4"}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Analyze(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Analyze(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "abc", 0}, {"abc", "abd", 1}, {"abc", "ab", 1}, {"", "ab", 2}, {"ehlswkd", "ehoswkd", 1}} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
