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
		{"청송 꿀사과 5kg", []string{"청송 꿀사과", "5kg"}},
		{"[친환경] 주방세제 500ml 리필", []string{"주방세제", "500ml 리필"}},
		{"아주아주아주긴상품이름입니다", []string{"아주아주아주긴상…"}},
		{"사무실 정기 청소 서비스 주 1회", []string{"사무실 정기 청소", "서비스 주 1회"}},
	}
	for _, tt := range tests {
		if got := labelLines(tt.name); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("labelLines(%q) = %q, want %q", tt.name, got, tt.want)
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
