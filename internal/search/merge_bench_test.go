package search

import (
	"strconv"
	"testing"
)

// BenchmarkMerge is the policy's own cost for a Hangul query: two windows of
// MergeWindow documents, ranked.
func BenchmarkMerge(b *testing.B) {
	names := []string{"이천 꿀사과 3kg", "사과 양념 불고기 소스 1L", "과일 선물세트 (사과·배)", "무가당 사과칩 10봉",
		"사과 선별 세트 (부사·홍로) 5kg", "청송 부사 사과 가정용 10kg", "수제 사과잼 600g", "성주 사과즙 30포"}
	window := func(offset int) []Document {
		out := make([]Document, MergeWindow)
		for i := range out {
			out[i] = Document{ID: int64(offset + i), Name: names[i%len(names)], Summary: "국산 사과와 배로 단맛을 낸 소스",
				EnterpriseName: "의성 사과꽃마을 영농조합법인 " + strconv.Itoa(i), CategoryNames: []string{"식품", "과일·채소"},
				CategoryIDs: []int64{1, 2}, Kind: "goods", TaxType: "exempt", Region: "gyeongbuk"}
		}
		return out
	}
	q := Query{Text: "사과", Page: 1, PerPage: DefaultPerPage, Variants: Analyze("사과")}
	syn := map[string][]string{"사과": {"애플"}}
	for _, total := range []int{40, 500} {
		b.Run("total="+strconv.Itoa(total), func(b *testing.B) {
			windows := []Window{{Docs: window(0), Total: total}, {Docs: window(24), Total: 40}}
			for b.Loop() {
				Merge(q, syn, windows)
			}
		})
	}
}
