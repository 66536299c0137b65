package document

import "strings"

var (
	koreanDigits = [10]string{"", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"}
	// koreanSmall are the places within a group of four digits.
	koreanSmall = [4]string{"", "십", "백", "천"}
	// koreanLarge are the units of each group of four digits (int64 reaches 922경).
	koreanLarge = [5]string{"", "만", "억", "조", "경"}
)

// KoreanAmount writes an amount of won in Korean words the way contracts
// and public documents do, to prevent alteration: "금 일십이만삼천원정" for
// 123,000.
//
// The convention, written once here:
//   - every digit is written, 일 included: 일십, 일백, 일천, 일만, 일억, 일조
//     (10 → 금 일십원정, 10,000 → 금 일만원정, 1,000,000 → 금 일백만원정);
//   - groups of four digits take 만, 억, 조, 경; an all-zero group is
//     skipped (100,001 → 금 일십만일원정; 120,000,000 → 금 일억이천만원정);
//   - no spaces inside the amount, "금 " before it and "원정" after it;
//   - 0 → 금 영원정; a negative amount (never valid on a document) is
//     written with "마이너스 " after "금 ".
func KoreanAmount(n int64) string {
	var b strings.Builder
	b.WriteString("금 ")
	if n == 0 {
		b.WriteString("영원정")
		return b.String()
	}
	u := uint64(n)
	if n < 0 {
		b.WriteString("마이너스 ")
		u = uint64(-(n + 1)) + 1 // -MinInt64 does not fit an int64
	}
	var groups []uint64
	for ; u > 0; u /= 10000 {
		groups = append(groups, u%10000)
	}
	for g := len(groups) - 1; g >= 0; g-- {
		v := groups[g]
		if v == 0 {
			continue
		}
		for place := 3; place >= 0; place-- {
			d := v / pow10[place] % 10
			if d == 0 {
				continue
			}
			b.WriteString(koreanDigits[d])
			b.WriteString(koreanSmall[place])
		}
		b.WriteString(koreanLarge[g])
	}
	b.WriteString("원정")
	return b.String()
}

var pow10 = [4]uint64{1, 10, 100, 1000}
