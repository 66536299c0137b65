package kr_test

import (
	"testing"

	"github.com/dure-coop/dure/internal/kr"
)

// FuzzBusinessNumber reads any text as a 사업자등록번호: no panic; what it
// accepts is 10 digits whose check digit holds, and reads the same again
// once formatted.
func FuzzBusinessNumber(f *testing.F) {
	for _, s := range []string{"220-81-62517", "2208162517", " 220 81 62517 ", "220-81-6251\x00", "22O-81-62517", "１２３", "", "---", "220816251７"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := kr.NormalizeBusinessNumber(s)
		if !ok {
			return
		}
		if len(d) != 10 {
			t.Fatalf("%q accepted as %q", s, d)
		}
		for i := range 10 {
			if d[i] < '0' || d[i] > '9' {
				t.Fatalf("%q accepted as %q", s, d)
			}
		}
		if kr.BusinessNumberCheckDigit(d[:9]) != int(d[9]-'0') {
			t.Fatalf("%q accepted with a wrong check digit", s)
		}
		if again, ok := kr.NormalizeBusinessNumber(kr.FormatBusinessNumber(d)); !ok || again != d {
			t.Fatalf("%q formatted as %q reads as %q, %v", d, kr.FormatBusinessNumber(d), again, ok)
		}
	})
}
