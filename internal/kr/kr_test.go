package kr_test

import (
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/kr"
)

func TestNormalizeBusinessNumber(t *testing.T) {
	tests := []struct {
		in     string
		digits string
		ok     bool
	}{
		{"220-81-62517", "2208162517", true},
		{"2208162517", "2208162517", true},
		{" 220 81 62517 ", "2208162517", true},
		{"124-81-00998", "1248100998", true},
		{"101-82-11112", "1018211112", true}, // ninth digit 1: carry of 1*5/10 is 0
		{"101-82-11198", "1018211198", true}, // ninth digit 9: carry 4
		{"220-81-62518", "2208162518", false},
		{"220-81-6251", "220816251", false},
		{"220-81-625177", "22081625177", false},
		{"22O-81-62517", "22O8162517", false},
		{"", "", false},
	}
	for _, tt := range tests {
		d, ok := kr.NormalizeBusinessNumber(tt.in)
		if d != tt.digits || ok != tt.ok {
			t.Errorf("NormalizeBusinessNumber(%q) = %q, %v; want %q, %v", tt.in, d, ok, tt.digits, tt.ok)
		}
	}
}

func TestFormatBusinessNumber(t *testing.T) {
	if got := kr.FormatBusinessNumber("2208162517"); got != "220-81-62517" {
		t.Errorf("FormatBusinessNumber = %q", got)
	}
	if got := kr.FormatBusinessNumber("123"); got != "123" {
		t.Errorf("FormatBusinessNumber(short) = %q", got)
	}
}

func TestPhone(t *testing.T) {
	tests := []struct {
		in, want string
		valid    bool
	}{
		{"01012345678", "010-1234-5678", true},
		{"010-1234-5678", "010-1234-5678", true},
		{"0531234567", "053-123-4567", true},
		{"053-1234-5678", "053-1234-5678", true},
		{"021234567", "02-123-4567", true},
		{"02 1234 5678", "02-1234-5678", true},
		{"15881234", "1588-1234", true},
		{"1234", "1234", false},
		{"0012345678", "0012345678", false},
		{"053-123-456x", "053-123-456x", false},
		{"+82-10-1234-5678", "+82-10-1234-5678", false},
		{"010-123-4567", "010-123-4567", false}, // 010 numbers have eight digits after it
		{"011-123-4567", "011-123-4567", true},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := kr.Phone(tt.in); got != tt.want {
			t.Errorf("Phone(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := kr.ValidPhone(tt.in); got != tt.valid {
			t.Errorf("ValidPhone(%q) = %v, want %v", tt.in, got, tt.valid)
		}
	}
}

func TestWon(t *testing.T) {
	tests := map[int64]string{0: "0원", 100: "100원", 1000: "1,000원", 12000: "12,000원", 1234567: "1,234,567원", -12000: "-12,000원"}
	for in, want := range tests {
		if got := kr.Won(in); got != want {
			t.Errorf("Won(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestBusinessNumberCheckDigit(t *testing.T) {
	// 220-81-62517 and 124-81-00998 are real, published numbers.
	for _, n := range []string{"2208162517", "1248100998"} {
		if got := kr.BusinessNumberCheckDigit(n[:9]); got != int(n[9]-'0') {
			t.Errorf("BusinessNumberCheckDigit(%s) = %d, want %c", n[:9], got, n[9])
		}
	}
}

func TestDateTimeIsSeoul(t *testing.T) {
	// 07:20 UTC is 16:20 in Seoul; 15:30 UTC is already the next day there.
	tests := []struct {
		utc            time.Time
		date, dateTime string
	}{
		{time.Date(2026, 3, 2, 7, 20, 0, 0, time.UTC), "2026.03.02", "2026.03.02 16:20"},
		{time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC), "2026.03.03", "2026.03.03 00:30"},
		{time.Date(2026, 3, 2, 7, 20, 0, 0, time.FixedZone("PST", -8*3600)), "2026.03.03", "2026.03.03 00:20"},
	}
	for _, tt := range tests {
		t.Run(tt.dateTime, func(t *testing.T) {
			if got := kr.Date(tt.utc); got != tt.date {
				t.Errorf("Date = %q, want %q", got, tt.date)
			}
			if got := kr.DateTime(tt.utc); got != tt.dateTime {
				t.Errorf("DateTime = %q, want %q", got, tt.dateTime)
			}
		})
	}
	if _, off := time.Now().In(kr.Seoul()).Zone(); off != 9*3600 {
		t.Errorf("Seoul's offset is %d s, want +09:00", off)
	}
}

func TestValidEmail(t *testing.T) {
	for in, want := range map[string]bool{
		"hong@naver.com": true, "hong.gildong+mall@daum.net": true, "a@b.co.kr": true, "hello@dure.test": true,
		"hong@naver": false, "hong@naver.": false, "hong@.com": false, "@naver.com": false, "hong": false,
		"hong@@naver.com": false, "hong@naver..com": false, "홍@naver.com": true, "hong@네이버.com": false,
		"hong gil@naver.com": false, "hong@naver.c": false, "hong@naver.123": false, "hong@-naver.com": false, "": false,
	} {
		if got := kr.ValidEmail(in); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestValidPostcode(t *testing.T) {
	for s, want := range map[string]bool{"41940": true, "06236": true, "4194": false, "419400": false, "4194a": false, "４１９４０": false, "": false} {
		if got := kr.ValidPostcode(s); got != want {
			t.Errorf("ValidPostcode(%q) = %v, want %v", s, got, want)
		}
	}
}
