package search

import (
	"slices"
	"strconv"
	"testing"
)

func docs(names ...string) []Document {
	out := make([]Document, len(names))
	for i, n := range names {
		out[i] = Document{ID: int64(i + 1), Name: n, Kind: "goods", CategoryIDs: []int64{1, 2}}
	}
	return out
}

func listIDs(l *List) []int64 {
	var out []int64
	for _, d := range l.Docs {
		out = append(out, d.ID)
	}
	return out
}

func TestMergeUnion(t *testing.T) {
	t.Parallel()
	q := Query{Text: "청소", Page: 1, PerPage: 10, Variants: Analyze("청소")}
	text := docs("방역 서비스", "사무실 정기 청소 (월 4회)", "에어컨 분해 청소 스탠드")
	text[0].CategoryNames = []string{"서비스", "청소·방역"}
	jamo := []Document{text[1], {ID: 9, Name: "청송 햇양파 10kg", Kind: "goods"}}
	l := Merge(q, nil, []Window{{Docs: text, Total: 3}, {Docs: jamo, Total: 2}})
	// The head match first, the category's product, the modifier; the
	// typo-only 청송 is dropped because the text is in names.
	if want := []int64{2, 1, 3}; !slices.Equal(listIDs(l), want) || l.Spine != -1 || l.Total != 3 {
		t.Fatalf("list %v (spine %d, total %d), want %v", listIDs(l), l.Spine, l.Total, want)
	}
	if got := l.Facets[FacetCategory]; len(got) != 2 || got[0].Count != 3 {
		t.Errorf("category facets %v, want the three products under 1 and 2", got)
	}
	// A typo the text does not find at all stays.
	tq := Query{Text: "도시랔", Page: 1, PerPage: 10, Variants: Analyze("도시랔")}
	l = Merge(tq, nil, []Window{{}, {Docs: docs("비건 도시락 (1인)"), Total: 1}})
	if len(l.Docs) != 1 || l.Reading != (Reading{ReadTypo, "도시락"}) {
		t.Errorf("typo list %v reading %+v", listIDs(l), l.Reading)
	}
	// Nothing anywhere.
	if l := Merge(q, nil, []Window{{}, {}}); len(l.Docs) != 0 || l.Total != 0 || l.Spine != -1 {
		t.Errorf("empty = %+v", l)
	}
}

func TestMergeSpine(t *testing.T) {
	t.Parallel()
	q := Query{Text: "사과", Page: 1, PerPage: 10, Variants: Analyze("사과")}
	names := make([]string, TextWindow+2)
	for i := range names {
		names[i] = "사과 양념 소스 " + strconv.Itoa(i)
	}
	names[TextWindow-1] = "못난이 사과 5kg" // a head match last in the engine's window
	names[TextWindow] = "이천 꿀사과 3kg"   // and one past it
	text := docs(names...)
	jamo := docs("이천 꿀사과 3kg") // another reading may not add to a spine
	jamo[0].ID = 999
	l := Merge(q, nil, []Window{{Docs: text, Total: 500}, {Docs: jamo, Total: 1}})
	if l.Spine != 0 || l.Total != 500 || len(l.Docs) != TextWindow {
		t.Fatalf("spine %d, total %d, head %d; want 0, 500, %d", l.Spine, l.Total, len(l.Docs), TextWindow)
	}
	if l.Docs[0].ID != int64(TextWindow) {
		t.Errorf("head starts with %q, want the head match", l.Docs[0].Name)
	}
	// The head is a permutation of the spine's first TextWindow, so
	// position TextWindow onwards is the spine's own order.
	seen := map[int64]bool{}
	for _, d := range l.Docs {
		seen[d.ID] = true
	}
	for i := range TextWindow {
		if !seen[text[i].ID] {
			t.Fatalf("%q missing from the head", text[i].Name)
		}
	}
	// A reading whose words are in names keeps a looser reading from being
	// the spine: the union instead.
	few := docs("못난이 사과 5kg")
	many := docs(names...)
	l = Merge(q, nil, []Window{{Docs: few, Total: 1}, {Docs: many, Total: 500}})
	if l.Spine != -1 || l.Total != TextWindow+2 {
		t.Errorf("spine %d total %d, want the union", l.Spine, l.Total)
	}
}

func TestMergeSorted(t *testing.T) {
	t.Parallel()
	q := Query{Text: "김치", Page: 1, PerPage: 10, Sort: SortPriceAsc, Variants: Analyze("김치")}
	text := docs("백김치 2kg", "총각김치 2kg", "옹기 김치통 5L")
	text[0].ConsumerPrice, text[1].ConsumerPrice, text[2].ConsumerPrice = 30000, 20000, 10000
	text[0].InStock, text[1].InStock, text[2].InStock = true, false, true
	l := Merge(q, nil, []Window{{Docs: text, Total: 3}})
	// Head matches first, in stock before sold out, then by price.
	if want := []int64{1, 2, 3}; !slices.Equal(listIDs(l), want) {
		t.Errorf("sorted list %v, want %v", listIDs(l), want)
	}
}

// A sorted query's first window reaches only to its page's end: with more
// than a window of matches it is the spine as it is, the same list a whole
// window gives; with fewer it is complete only when it holds every match.
func TestMergeSortedShortWindow(t *testing.T) {
	t.Parallel()
	q := Query{Text: "사과", Sort: SortPriceAsc, Page: 1, PerPage: 10, Variants: Analyze("사과")}
	if got := WindowHits(q); got != 10 {
		t.Fatalf("WindowHits sorted page 1 = %d, want 10", got)
	}
	if got := WindowHits(Query{Text: "사과", Page: 1, PerPage: 24, Variants: Analyze("사과")}); got != TextWindow {
		t.Fatalf("WindowHits by relevance = %d, want %d", got, TextWindow)
	}
	if got := WindowHits(Query{Text: "ㄷㅈ", Page: 1, PerPage: 24, Variants: Analyze("ㄷㅈ")}); got != MergeWindow {
		t.Fatalf("WindowHits of a 초성 query = %d, want %d", got, MergeWindow)
	}
	if got := WindowHits(Query{Text: "사과", Sort: SortNewest, Page: 3, PerPage: 24}); got != 72 {
		t.Fatalf("WindowHits sorted page 3 = %d, want 72", got)
	}
	names := make([]string, 2*TextWindow)
	for i := range names {
		names[i] = "사과 " + strconv.Itoa(i) + "kg"
	}
	whole := docs(names...)
	full := Merge(q, nil, []Window{{Docs: whole, Total: 500}, {}})
	short := Merge(q, nil, []Window{{Docs: whole[:10], Total: 500}, {}})
	if short.Spine != 0 || short.Total != 500 || !slices.Equal(listIDs(short), listIDs(full)[:10]) {
		t.Fatalf("short window: spine %d total %d list %v, want spine 0, total 500, %v", short.Spine, short.Total,
			listIDs(short), listIDs(full)[:10])
	}
	for _, c := range []struct {
		got, total int
		complete   bool
	}{{24, 500, true}, {10, 20, false}, {20, 20, true}, {48, 48, true}, {0, 0, true}} {
		if CompleteWindow(q, c.got, c.total) != c.complete {
			t.Errorf("CompleteWindow(%d, %d) = %v, want %v", c.got, c.total, !c.complete, c.complete)
		}
	}
}
