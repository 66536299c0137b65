package search

import (
	"slices"
	"testing"
)

func TestParseName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		heads []string
		core  string
		notes []string
	}{
		{"이천 꿀사과 3kg", []string{"꿀사과"}, "이천꿀사과", nil},
		{"사과 양념 불고기 소스 1L", []string{"소스"}, "사과양념불고기소스", nil},
		{"청송 부사 사과 가정용 10kg", []string{"사과"}, "청송부사사과", nil},
		{"사과 선별 세트 (부사·홍로) 5kg", []string{"세트", "사과"}, "사과선별세트", []string{"부사", "홍로"}},
		{"과일 선물세트 (사과·배)", []string{"선물세트", "과일"}, "과일선물세트", []string{"사과", "배"}},
		{"어린이집 방역·청소", []string{"청소", "방역"}, "어린이집방역청소", nil},
		{"계단·공용부 청소 (월 4회) 5층 이하", []string{"청소"}, "계단공용부청소", []string{"월", "4회"}},
		{"제철 채소 꾸러미 소", []string{"꾸러미", "채소"}, "제철채소꾸러미", nil},
		{"유기농 녹차 티백 25개입", []string{"티백", "녹차"}, "유기농녹차티백", nil},
		{"사회적경제 꾸러미 선물세트 실속형", []string{"선물세트", "꾸러미", "사회적경제"}, "사회적경제꾸러미선물세트", nil},
		{"손두부 1kg", []string{"손두부"}, "손두부", nil},
		{"재생용지 A4 복사용지 1박스(2,500매)", []string{"복사용지"}, "재생용지a4복사용지", []string{"2", "500매"}},
		{"LED 조명 교체 시공 (10개) 10개", []string{"시공"}, "led조명교체시공", []string{"10개"}},
		{"500g", []string{"500g"}, "500g", nil},
		{"", nil, "", nil},
	}
	for _, tt := range tests {
		n := ParseName(tt.name)
		var heads []string
		for _, i := range n.Heads {
			heads = append(heads, n.Words[i])
		}
		if !slices.Equal(heads, tt.heads) || n.Core != tt.core || !slices.Equal(n.Notes, tt.notes) {
			t.Errorf("ParseName(%q): heads %q, core %q, notes %q; want %q, %q, %q", tt.name, heads, n.Core, n.Notes,
				tt.heads, tt.core, tt.notes)
		}
	}
}

func TestNameHeadsAndParts(t *testing.T) {
	t.Parallel()
	if got, want := NameHeads("이천 꿀사과 3kg"), []string{"꿀사과", "사과", "과"}; !slices.Equal(got, want) {
		t.Errorf("NameHeads = %q, want %q", got, want)
	}
	if got, want := NameHeads("LED 조명 교체 시공"), []string{"시공", "공"}; !slices.Equal(got, want) {
		t.Errorf("NameHeads = %q, want %q", got, want)
	}
	if got, want := NameParts("무농약 배추김치 3kg"), []string{"무농", "농약", "배추", "김치", "배추김", "추김치"}; !slices.Equal(got, want) {
		t.Errorf("NameParts = %q, want %q", got, want)
	}
	if got := NameParts("사과 청소"); len(got) != 0 {
		t.Errorf("NameParts of two-syllable words = %q, want none", got)
	}
}
