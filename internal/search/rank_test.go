package search

import "testing"

func doc(name string) *Document { return &Document{Name: name} }

func TestRank(t *testing.T) {
	t.Parallel()
	syn := map[string][]string{"세제": {"세정제"}, "플래카드": {"현수막"}}
	tests := []struct {
		query string
		d     *Document
		class int
	}{
		{"사과", doc("이천 꿀사과 3kg"), ClassHead},
		{"사과", doc("못난이 사과 5kg"), ClassHead},
		{"사과", doc("사과 선별 세트 (부사·홍로) 5kg"), ClassHead},
		{"사과", doc("사과 양념 불고기 소스 1L"), ClassModifier},
		{"사과", doc("성주 사과즙 30포"), ClassModifier},
		{"사과", doc("과일 선물세트 (사과·배)"), ClassModifier},
		{"사과", &Document{Name: "무농약 깐마늘 1kg", EnterpriseName: "의성 사과꽃마을 영농조합법인"}, ClassEnterprise},
		{"사과", &Document{Name: "무농약 깐마늘 1kg", Summary: "사과와 함께", EnterpriseName: "의성 사과꽃마을"}, ClassOther},
		{"손두부", doc("손두부 1kg"), ClassCore},
		{"쌈장 500g", doc("쌈장 500g"), ClassExact},
		{"쌈장 500g", doc("쌈장 1kg"), ClassCore},
		{"김치", doc("옹기 김치통 5L"), ClassModifier},
		{"김치", doc("무농약 배추김치 3kg"), ClassHead},
		{"청소", &Document{Name: "방역·소독 서비스 (1회)", CategoryNames: []string{"서비스", "청소·방역"}}, ClassCategory},
		{"청소", &Document{Name: "에어컨 분해 청소 스탠드", CategoryNames: []string{"서비스", "청소·방역"}}, ClassCategory},
		{"청소", doc("사무실 정기 청소 (월 4회) 60평"), ClassHead},
		{"청소", doc("청송 햇양파 10kg"), ClassTypo},
		{"세제", doc("욕실 세정제 750ml"), ClassHead},
		{"플래카드", doc("현수막 디자인·인쇄 1장"), ClassModifier},
		{"유기농 감자", doc("친환경 유기농 감자 5kg"), ClassHead},
		{"유기농 감자", doc("유기농 블루베리 1kg"), ClassPartial},
		{"도시랔", doc("친환경 수제 도시락 (1인)"), ClassTypo},
	}
	for _, tt := range tests {
		q := Query{Text: tt.query, Variants: Analyze(tt.query)}
		if got := NewRanker(q, syn).Rank(tt.d); got.Class != tt.class {
			t.Errorf("Rank(%q, %q) = %+v, want class %d", tt.query, tt.d.Name, got, tt.class)
		}
	}
}

// Inside a class: the word itself before a synonym, the whole word before a
// compound's last part, the product's own category before an ancestor's.
func TestRankInsideClass(t *testing.T) {
	t.Parallel()
	syn := map[string][]string{"세제": {"세정제"}}
	rank := func(query string, d *Document) Rank {
		return NewRanker(Query{Text: query, Variants: Analyze(query)}, syn).Rank(d)
	}
	for _, tt := range []struct {
		query       string
		better, not *Document
	}{
		{"세제", doc("식물성 세탁세제 1.5L"), doc("욕실 세정제 750ml")},
		{"ㄷㅈ", doc("전통 재래식 된장 2kg"), doc("손소독제 (겔타입) 500ml")},
		{"청", doc("수제 매실청 1L"), doc("수제청 선물세트")},
		{"사과", doc("성주 사과즙 30포"), doc("사과 양념 불고기 소스 1L")},
		{"문구", &Document{Name: "한지 편지지 세트", CategoryNames: []string{"사무용품·문구", "문구·노트"}},
			&Document{Name: "친환경 볼펜 12자루", CategoryNames: []string{"사무용품·문구", "사무용품"}}},
	} {
		if b, n := rank(tt.query, tt.better), rank(tt.query, tt.not); !n.less(b) {
			t.Errorf("%q: %q %+v does not rank above %q %+v", tt.query, tt.better.Name, b, tt.not.Name, n)
		}
	}
}

func TestReading(t *testing.T) {
	t.Parallel()
	syn := map[string][]string{"플래카드": {"현수막"}}
	tests := []struct {
		query string
		name  string
		want  Reading
	}{
		{"사과", "못난이 사과 5kg", Reading{}},
		{"tkrhk", "못난이 사과 5kg", Reading{ReadHanYeong, "사과"}},
		{"됀장", "전통 재래식 된장 2kg", Reading{ReadTypo, "된장"}},
		{"ㄷㅈ", "전통 재래식 된장 2kg", Reading{ReadChoseong, "된장"}},
		{"플래카드", "현수막 디자인·인쇄 1장", Reading{ReadSynonym, "현수막"}},
		{"사과", "", Reading{}},
	}
	for _, tt := range tests {
		q := Query{Text: tt.query, Variants: Analyze(tt.query)}
		var d *Document
		if tt.name != "" {
			d = doc(tt.name)
		}
		if got := NewRanker(q, syn).Reading(q, d); got != tt.want {
			t.Errorf("Reading(%q, %q) = %+v, want %+v", tt.query, tt.name, got, tt.want)
		}
	}
}
