package shop

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/catalog"
)

func TestLabelLines(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"청송 꿀사과 5kg", []string{"청송 꿀사과 5kg"}},
		{"[친환경] 주방세제 500ml 리필", []string{"주방세제 500ml", "리필"}},
		{"아주아주아주긴상품이름입니다", []string{"아주아주아주긴상품이름입니다"}},
		{"사무실 정기 청소 서비스 주 1회", []string{"사무실 정기 청소", "서비스 주 1회"}},
		{"전통 재래식 된장 (1년 숙성)", []string{"전통 재래식 된장", "(1년 숙성)"}},
		{"무농약 유기농 햇살 가득 산지 직송 꿀사과 선물세트 (특대과 12과, 5kg)", []string{
			"무농약 유기농 햇살 가득", "산지 직송 꿀사과 선물세트", "(특대과 12과, 5kg)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := labelLines(tt.name)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("labelLines(%q) = %q, want %q", tt.name, got, tt.want)
			}
			// The whole name (but a leading tag) is drawn, no line wider
			// than the picture at the chosen size.
			name := strings.Join(strings.Fields(strings.TrimPrefix(tt.name, "[친환경]")), " ")
			if strings.Join(got, " ") != name || len(got) > labelMaxLines {
				t.Errorf("lines %q do not hold the whole name %q in %d lines", got, name, labelMaxLines)
			}
			size := labelSize(got)
			for _, l := range got {
				if w := textWidth(l) * float64(size); w > labelWidth {
					t.Errorf("line %q is %.0f px wide at %d px, the picture has %d", l, w, size, labelWidth)
				}
			}
		})
	}
}

func TestProductSVGDrawsTheWholeName(t *testing.T) {
	p := &catalog.Product{ID: 9, Name: "전통 재래식 된장 (1년 숙성)"}
	svg := string(productSVG(p, art{pal: paletteFor(10), icon: iconJar}))
	for _, want := range []string{">전통 재래식 된장</text>", ">(1년 숙성)</text>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the picture lacks %q:\n%s", want, svg)
		}
	}
}

func TestProductSVGIsWellFormedAndEscaped(t *testing.T) {
	p := &catalog.Product{ID: 7, Name: `<b>"사과"</b> & 배 </svg>`}
	parent := int64(1)
	ix := catalog.NewCategoryIndex([]*catalog.Category{{ID: 1, Slug: "food"}, {ID: 2, Slug: "fruit", ParentID: &parent}, {ID: 3, Slug: "living"}})
	svg := productSVG(p, artFor(ix, 2))
	if strings.Contains(string(svg), "<b>") || strings.Count(string(svg), "</svg>") != 1 {
		t.Fatalf("name not escaped: %s", svg)
	}
	d := xml.NewDecoder(strings.NewReader(string(svg)))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed XML: %v\n%s", err, svg)
			}
			break
		}
	}
	if string(productSVG(p, artFor(ix, 2))) != string(svg) {
		t.Error("SVG is not deterministic")
	}
	if artFor(ix, 2).pal == artFor(ix, 3).pal || artFor(ix, 1).icon == artFor(ix, 3).icon {
		t.Error("different categories got the same colours")
	}
}
