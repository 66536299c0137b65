package search

import "testing"

func TestHighlight(t *testing.T) {
	t.Parallel()
	pre, post := HighlightPre, HighlightPost
	for _, c := range []struct {
		name  string
		words []string
		want  string
	}{
		{"청송 꿀사과 5kg", []string{"사과"}, "청송 꿀" + pre + "사과" + post + " 5kg"},
		{"Eco Soap soap", []string{"SOAP"}, "Eco " + pre + "Soap" + post + " " + pre + "soap" + post},
		{"사과 사과즙", []string{"사과", "사과즙"}, pre + "사과" + post + " " + pre + "사과즙" + post},
		{"칫솔", nil, "칫솔"},
	} {
		if got := Highlight(c.name, c.words); got != c.want {
			t.Errorf("Highlight(%q, %q) = %q, want %q", c.name, c.words, got, c.want)
		}
	}
}

func TestHighlightWords(t *testing.T) {
	t.Parallel()
	q := Query{Text: "tkrhk 즙", Variants: []Variant{{FieldText, "tkrhk 즙"}, {FieldText, "사과 즙"}, {FieldJamo, "tkrhk wmq"}}}
	got := HighlightWords(q)
	want := []string{"tkrhk", "즙", "사과", "즙"}
	if len(got) != len(want) {
		t.Fatalf("HighlightWords = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("HighlightWords = %q, want %q", got, want)
		}
	}
}
