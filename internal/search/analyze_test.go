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

func TestNameMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, q string
		want    int
	}{
		{"전통 재래식 된장 2kg", "된장", MatchWord},
		{"무농약 배추김치 3kg", "김치", MatchTail},
		{"옹기 김치통 5L", "김치", MatchContains},
		{"무농약 배추김치 3kg", "배추", MatchContains},
		{"친환경 유기농 감자 5kg", "유기농감자", MatchContains},
		{"친환경 유기농 감자 5kg", "유기농 감자", MatchWord},
		{"친환경 수제 도시락 (1인)", "도시랔", MatchTypo},
		{"도시농업 체험 교실", "도시랔", MatchNone},
		{"쌈장 1kg", "된장", MatchNone},
		{"전통 재래식 된장", "ㄷㅈ", MatchWord},
		{"손소독제 (겔타입)", "ㄷㅈ", MatchTail},
		{"도자기 머그컵", "ㄷㅈ", MatchContains},
		{"EM 발효액 1L", "em", MatchWord},
		{"업사이클 가죽 카드지갑", "잉크", MatchNone},
		{"아무거나", "", MatchNone},
		{"손그림 엽서", "손비누", MatchNone},
		{"수제 비누", "비누", MatchWord},
	}
	for _, tt := range tests {
		if got := NameMatch(tt.name, tt.q); got != tt.want {
			t.Errorf("NameMatch(%q, %q) = %d, want %d", tt.name, tt.q, got, tt.want)
		}
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

func hits(ids ...int64) *Result {
	r := &Result{Total: len(ids)}
	for _, id := range ids {
		r.Hits = append(r.Hits, Hit{ProductID: id, Name: "x"})
	}
	return r
}

func ids(r *Result) []int64 {
	var out []int64
	for _, h := range r.Hits {
		out = append(out, h.ProductID)
	}
	return out
}

func TestMergeVariants(t *testing.T) {
	t.Parallel()
	named := func(r *Result, names map[int64]string) *Result {
		for i := range r.Hits {
			if n, ok := names[r.Hits[i].ProductID]; ok {
				r.Hits[i].Name = n
				r.Hits[i].NameHighlight = n
			}
		}
		return r
	}
	names := map[int64]string{1: "쌈장 1kg", 2: "전통 된장", 3: "된장 선물세트", 4: "재래식된장", 5: "명절 장류"}
	q := Query{Text: "된장", Page: 1, PerPage: 3, Variants: Analyze("된장")}
	text := named(hits(1, 2, 5, 3), names)
	jamo := named(hits(2, 3, 4), names)
	got := MergeVariants(q, []*Result{text, jamo})
	// 2 and 3 have the word; 4 ends with it (found only by jamo); then text-only.
	if want := []int64{2, 3, 4}; !slices.Equal(ids(got), want) || got.Total != 5 {
		t.Errorf("page 1 = %v (total %d), want %v (total 5)", ids(got), got.Total, want)
	}
	q.Page = 2
	if got := MergeVariants(q, []*Result{text, jamo}); !slices.Equal(ids(got), []int64{1, 5}) {
		t.Errorf("page 2 = %v, want [1 5]", ids(got))
	}
	// Without the relevance sort the engine's order stands: name matches first.
	q.Page, q.Sort = 1, SortPriceAsc
	if got := MergeVariants(q, []*Result{text, jamo}); !slices.Equal(ids(got), []int64{2, 3, 4}) {
		t.Errorf("price sort = %v, want [2 3 4]", ids(got))
	}
	// Nothing anywhere.
	if got := MergeVariants(q, []*Result{{}, nil}); len(got.Hits) != 0 || got.Total != 0 || got.Hits == nil {
		t.Errorf("empty = %+v", got)
	}
	// A Latin word that also decodes as Hangul: a name matching the Latin
	// reading ranks as high as one matching the Hangul.
	lq := Query{Text: "tofu", Page: 1, PerPage: 3, Variants: []Variant{{FieldText, "새려"}, {FieldText, "tofu"}}}
	hangulHits := named(hits(6), map[int64]string{6: "새콤 달콤 려"})
	latinHits := named(hits(7), map[int64]string{7: "Organic Tofu 300g"})
	if got := MergeVariants(lq, []*Result{hangulHits, latinHits}); !slices.Equal(ids(got), []int64{7, 6}) {
		t.Errorf("tofu = %v, want [7 6]", ids(got))
	}
}
