// Package kr holds Korean conventions used across Dure: 사업자등록번호 with its
// checksum, money in 원, dates, phone numbers and remote-area postcodes.
package kr

import (
	"strconv"
	"strings"
	"time"
)

// brnWeights are the weights of the 사업자등록번호 checksum.
var brnWeights = [9]int{1, 3, 7, 1, 3, 7, 1, 3, 5}

// NormalizeBusinessNumber strips hyphens and spaces from a 사업자등록번호 and
// reports whether the result is 10 digits whose last digit is the checksum.
func NormalizeBusinessNumber(s string) (string, bool) {
	d := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, s)
	if len(d) != 10 {
		return d, false
	}
	for i := 0; i < 10; i++ {
		if d[i] < '0' || d[i] > '9' {
			return d, false
		}
	}
	return d, BusinessNumberCheckDigit(d[:9]) == int(d[9]-'0')
}

// BusinessNumberCheckDigit is the 10th digit of a 사업자등록번호 whose first
// nine digits are d9 (ASCII digits; weights 1,3,7,1,3,7,1,3,5 plus the carry
// of the ninth digit × 5).
func BusinessNumberCheckDigit(d9 string) int {
	sum := 0
	for i, w := range brnWeights {
		sum += int(d9[i]-'0') * w
	}
	sum += int(d9[8]-'0') * 5 / 10
	return (10 - sum%10) % 10
}

// FormatBusinessNumber renders 10 digits as 123-45-67890.
func FormatBusinessNumber(d string) string {
	if len(d) != 10 {
		return d
	}
	return d[:3] + "-" + d[3:5] + "-" + d[5:]
}

// Won renders an amount as 12,000원.
func Won(amount int64) string { return Comma(amount) + "원" }

// Comma renders an integer with thousands separators: 1234567 → 1,234,567.
func Comma(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 && !(neg && b.Len() == 1) {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// seoul is Asia/Seoul, the zone of every time Dure shows a person. A machine
// without tzdata (a slim container) gets KST as a fixed +09:00, which is what
// Asia/Seoul has been since 1988. Read-only after package initialisation.
var seoul = loadSeoul()

func loadSeoul() *time.Location {
	if l, err := time.LoadLocation("Asia/Seoul"); err == nil {
		return l
	}
	return time.FixedZone("KST", 9*60*60)
}

// Seoul is the Asia/Seoul time zone (KST), for parsing what a person typed
// and for day boundaries.
func Seoul() *time.Location { return seoul }

// Date renders t as 2026.11.23 in Korea time.
func Date(t time.Time) string { return t.In(seoul).Format("2006.01.02") }

// DateTime renders t as 2026.11.23 16:20 in Korea time.
func DateTime(t time.Time) string { return t.In(seoul).Format("2006.01.02 15:04") }

// Phone renders a Korean phone number with hyphens (010-1234-5678, 02-123-4567,
// 053-123-4567, 1588-1234); anything it does not recognise is returned as given.
func Phone(s string) string {
	if f, ok := formatPhone(s); ok {
		return f
	}
	return s
}

// ValidPhone reports whether s is a Korean phone number (mobile, area code or
// 8-digit representative number), with or without hyphens.
func ValidPhone(s string) bool {
	_, ok := formatPhone(s)
	return ok
}

func formatPhone(s string) (string, bool) {
	d := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == '-' || c == ' ':
		default:
			return "", false
		}
	}
	n := string(d)
	switch {
	case len(n) == 8 && (strings.HasPrefix(n, "15") || strings.HasPrefix(n, "16") || strings.HasPrefix(n, "18")):
		return n[:4] + "-" + n[4:], true
	case strings.HasPrefix(n, "010") && len(n) != 11:
		return "", false // 010 numbers have eight digits after the prefix
	case strings.HasPrefix(n, "02") && (len(n) == 9 || len(n) == 10):
		return n[:2] + "-" + n[2:len(n)-4] + "-" + n[len(n)-4:], true
	case strings.HasPrefix(n, "0") && !strings.HasPrefix(n, "00") && (len(n) == 10 || len(n) == 11):
		return n[:3] + "-" + n[3:len(n)-4] + "-" + n[len(n)-4:], true
	}
	return "", false
}

// ValidEmail reports whether s looks like an e-mail address a person can
// receive mail at: one @, a local part without spaces, and a domain of
// dot-separated labels (letters, digits, hyphens) ending in a top-level
// domain of two or more letters. "hong@naver" is not one; "hong@naver.com" is.
func ValidEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at < 1 || at != strings.LastIndexByte(s, '@') || len(s) > 254 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	for _, c := range local {
		if c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' {
			return false
		}
	}
	labels := strings.Split(strings.ToLower(domain), ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return false
		}
	}
	return true
}

// ValidPostcode reports whether s is a 우편번호: five ASCII digits.
func ValidPostcode(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsRemotePostcode reports whether a 5-digit 우편번호 lies in 제주 or a
// 도서산간 area that carriers surcharge. The ranges are the common carrier list:
// all of 제주 (63000–63644) and the main island areas of 인천 옹진군, 경남 통영/
// 거제 islands, 전남 신안/완도/진도 islands, 경북 울릉군 and 충남 보령 islands.
func IsRemotePostcode(code string) bool {
	n, err := strconv.Atoi(code)
	if err != nil || len(code) != 5 {
		return false
	}
	for _, r := range remoteRanges {
		if n >= r[0] && n <= r[1] {
			return true
		}
	}
	return false
}

var remoteRanges = [][2]int{
	{63000, 63644},                                                 // 제주특별자치도
	{22386, 22388}, {23004, 23010}, {23100, 23116}, {23124, 23136}, // 인천 옹진·강화 섬
	{32133, 32133}, {33411, 33411}, // 충남 섬
	{40200, 40240},                                 // 경북 울릉군
	{52570, 52571}, {53031, 53033}, {53089, 53104}, // 경남 섬
	{54000, 54000}, {56347, 56349}, // 전북 섬
	{57068, 57069}, {58760, 58762}, {58800, 58810}, {58816, 58818}, {58826, 58826}, {58828, 58866}, {58953, 58958}, {59102, 59103}, {59106, 59106}, {59127, 59127}, {59129, 59129}, {59137, 59166}, {59650, 59650}, {59766, 59766}, {59781, 59790}, // 전남 섬
}
