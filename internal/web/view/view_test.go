package view

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/search"
)

func TestHighlight(t *testing.T) {
	pre, post := search.HighlightPre, search.HighlightPost
	tests := []struct{ in, want string }{
		{"청송 꿀사과", "청송 꿀사과"},
		{"청송 꿀" + pre + "사과" + post + " 5kg", "청송 꿀<mark>사과</mark> 5kg"},
		{pre + "<script>" + post + "alert(1)", "<mark>&lt;script&gt;</mark>alert(1)"},
		{`"따옴표" & 'quote'`, "&#34;따옴표&#34; &amp; &#39;quote&#39;"},
		{pre + "열린 채로", "<mark>열린 채로</mark>"},
		{post + "닫기만" + pre + pre + "중복" + post + post, "닫기만<mark>중복</mark>"},
		{"제어\x00문자\x1b", "제어문자"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := string(Highlight(tt.in)); got != tt.want {
				t.Errorf("Highlight(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestBuildPager(t *testing.T) {
	link := func(n int) string { return "/p" + strconv.Itoa(n) }
	tests := []struct {
		page, pages int
		want        string // N for pages, _ for gaps, * marks current
	}{
		{1, 1, ""},
		{1, 3, "*1 2 3"},
		{5, 10, "1 _ 3 4 *5 6 7 _ 10"},
		{1, 400, "*1 2 3 _ 400"},
		{400, 400, "1 _ 398 399 *400"},
	}
	for _, tt := range tests {
		p := BuildPager(tt.page, tt.pages, link)
		var parts []string
		for _, it := range p.Items {
			switch {
			case it.Gap:
				parts = append(parts, "_")
			case it.Current:
				parts = append(parts, "*"+strconv.Itoa(it.N))
			default:
				parts = append(parts, strconv.Itoa(it.N))
			}
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("BuildPager(%d, %d) = %q, want %q", tt.page, tt.pages, got, tt.want)
		}
		if tt.pages > 1 && (tt.page == 1) != (p.Prev == "") {
			t.Errorf("BuildPager(%d, %d): prev %q", tt.page, tt.pages, p.Prev)
		}
		if tt.pages > 1 && (tt.page == tt.pages) != (p.Next == "") {
			t.Errorf("BuildPager(%d, %d): next %q", tt.page, tt.pages, p.Next)
		}
	}
}

func TestFormatDateTime(t *testing.T) {
	at := time.Date(2026, 11, 23, 7, 20, 0, 0, time.UTC)
	var none *time.Time
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"time", at, "2026.11.23 16:20"},
		{"pointer", &at, "2026.11.23 16:20"},
		{"nil pointer", none, ""},
		{"zero", time.Time{}, ""},
		{"other", "2026-11-23", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDateTime(tt.in); got != tt.want {
				t.Errorf("FormatDateTime(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNav(t *testing.T) {
	got := Nav([]MenuEntry{{"a", "가", "/a"}, {"b", "나", "/b"}}, "b")
	if len(got) != 2 || got[0].Current || !got[1].Current || got[1].URL != "/b" || got[0].Label != "가" {
		t.Errorf("Nav = %+v", got)
	}
}
