package view

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/pricing"
	"github.com/dure-coop/dure/internal/search"
)

// FormatDate renders a time (or a non-nil *time.Time) as 2026.11.23 in Korea
// time; the zero time and anything else as "".
func FormatDate(t any) string { return formatTime(t, kr.Date) }

// FormatDateTime renders a time (or a non-nil *time.Time) as 2026.11.23 16:20
// in Korea time; the zero time and anything else as "".
func FormatDateTime(t any) string { return formatTime(t, kr.DateTime) }

func formatTime(t any, f func(time.Time) string) string {
	switch v := t.(type) {
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return f(v)
	case *time.Time:
		if v == nil || v.IsZero() {
			return ""
		}
		return f(*v)
	default:
		return ""
	}
}

// Highlight escapes s for HTML and then turns the search engine's
// HighlightPre/HighlightPost markers into <mark> tags. The markers are control
// characters, so escaping cannot create or break them; unbalanced markers are
// closed and any other control character is dropped. It is the only place
// where text from the catalogue becomes template.HTML.
func Highlight(s string) template.HTML {
	var b strings.Builder
	b.Grow(len(s) + 16)
	open := false
	for _, r := range s {
		switch {
		case string(r) == search.HighlightPre:
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case string(r) == search.HighlightPost:
			if open {
				b.WriteString("</mark>")
				open = false
			}
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r < 0x20 && r != '\t' && r != '\n', r == 0x7f, r == '\uFFFD':
			// drop other control characters and invalid UTF-8
		default:
			b.WriteRune(r)
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String()) //nolint:gosec // every byte of s was escaped above
}

// StripHighlight removes the highlight markers (for alt texts, JSON names).
func StripHighlight(s string) string {
	if !strings.Contains(s, search.HighlightPre) && !strings.Contains(s, search.HighlightPost) {
		return s
	}
	return unhighlight.Replace(s)
}

// unhighlight is read-only after package initialisation.
var unhighlight = strings.NewReplacer(search.HighlightPre, "", search.HighlightPost, "")

// ShippingText says what one enterprise's part of a cart or order pays for
// delivery; "" for nil.
func ShippingText(p *pricing.Part) string {
	if p == nil {
		return ""
	}
	services := true
	for _, it := range p.Items {
		services = services && it.Kind == catalog.Service
	}
	switch {
	case services:
		return "배송 없음 (현장 제공 서비스)"
	case p.ShippingFee == 0:
		return "무료배송"
	}
	t := "배송비 " + kr.Won(p.ShippingFee)
	if p.Remote {
		t += " (제주/도서산간 추가 배송비 포함)"
	}
	if p.AmountToFree > 0 {
		t += " · " + kr.Won(p.AmountToFree) + " 더 담으면 무료배송"
	} else if p.FreeShipping {
		t += " · 기본 배송비 무료"
	}
	return t
}

// FileSize is a file's size as people read it: 1.5MB, 12KB, 300바이트.
func FileSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + "MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+1023)>>10, 10) + "KB"
	}
	return strconv.FormatInt(n, 10) + "바이트"
}
