package browser

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// maxTabStops bounds the walk with the Tab key through one page.
const maxTabStops = 150

// FocusStop is what the Tab key reached: the element and its focus ring.
type FocusStop struct {
	Target   string  // a CSS-like path of the element
	Style    string  // the outline's style ("none" when there is none)
	Width    float64 // the outline's width in CSS px
	Color    string  // the outline's colour, rgb(…)
	Behind   string  // the background colour around the element
	Contrast float64 // of Color against Behind
	Shadow   bool    // the element draws a box-shadow while focused
}

// Problem says what is wrong with the stop's focus ring, or "".
func (s FocusStop) Problem() string {
	switch {
	case s.Style == "none" || s.Width == 0:
		return "no focus outline"
	case s.Width < 2:
		return fmt.Sprintf("focus outline %.1f px thin (want ≥ 2 px)", s.Width)
	case s.Contrast < 3:
		return fmt.Sprintf("focus outline %s on %s: contrast %.2f:1 (want ≥ 3:1)", s.Color, s.Behind, s.Contrast)
	}
	return ""
}

// Focus walks the page the browser shows with the Tab key, from the top,
// and returns every element it reached with its focus ring: the keyboard
// order and what a keyboard user sees.
func (b *Browser) Focus(t testing.TB) []FocusStop {
	t.Helper()
	// Tab starts from the last click otherwise: focusing the body moves the
	// starting point to the top of the page.
	if err := chromedp.Do(b.Ctx, chromedp.Evaluate[chromedp.Void](`(() => {
	  if (document.activeElement) document.activeElement.blur();
	  const had = document.body.hasAttribute('tabindex');
	  if (!had) document.body.tabIndex = -1;
	  document.body.focus({preventScroll: true});
	  if (!had) document.body.removeAttribute('tabindex');
	  window.scrollTo(0, 0);
	})()`)); err != nil {
		t.Fatalf("focus: %v", err)
	}
	var stops []FocusStop
	seen := map[string]bool{}
	for range maxTabStops {
		if err := chromedp.Do(b.Ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatalf("focus: Tab: %v", err)
		}
		s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[*FocusStop](focusJS))
		if err != nil {
			t.Fatalf("focus: read the focused element: %v", err)
		}
		if s == nil || (len(stops) > 0 && s.Target == stops[0].Target) { // out of the page, or round again
			break
		}
		if seen[s.Target] { // the next part of a date input, say
			continue
		}
		seen[s.Target] = true
		stops = append(stops, *s)
	}
	return stops
}

// CheckFocus walks the page with the Tab key (Focus) and fails the test
// (without stopping it) for every element reached whose focus ring is
// missing, thinner than 2 px or under 3:1 against the background around
// it (WCAG 2.4.7, 1.4.11); what names the page in the message.
func (b *Browser) CheckFocus(t testing.TB, what string) []FocusStop {
	t.Helper()
	start := time.Now()
	stops := b.Focus(t)
	t.Logf("focus %s: %d stops, %s", what, len(stops), time.Since(start).Round(time.Millisecond))
	if len(stops) == 0 {
		t.Errorf("focus: %s: the Tab key reaches nothing", what)
	}
	var bad []string
	for _, s := range stops {
		if p := s.Problem(); p != "" {
			bad = append(bad, "  "+s.Target+": "+p)
		}
	}
	if len(bad) > 0 {
		t.Errorf("focus: %s: %d of %d elements reached with Tab have no visible focus ring:\n%s",
			what, len(bad), len(stops), strings.Join(bad, "\n"))
	}
	return stops
}

// focusJS describes document.activeElement's focus ring (null when the
// focus left the page). The ring is drawn outside the element, so its
// background is the first opaque one among the ancestors.
const focusJS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const path = e => {
    const parts = [];
    for (; e && e.nodeType === 1 && e !== document.body; e = e.parentElement) {
      let p = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(p + '#' + e.id); break; }
      if (e.classList.length) p += '.' + [...e.classList].slice(0, 2).join('.');
      const same = e.parentElement ? [...e.parentElement.children].filter(c => c.tagName === e.tagName) : [];
      if (same.length > 1) p += ':nth-of-type(' + (same.indexOf(e) + 1) + ')';
      parts.unshift(p);
    }
    return parts.join(' > ');
  };
  const rgba = s => { const m = s.match(/[\d.]+/g) || []; return m.map(Number).concat([1]).slice(0, 4); };
  const over = (top, bottom) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]); };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  // The background around the element: ancestors' colours laid over white.
  const layers = [];
  for (let e = el.parentElement; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let behind = [255, 255, 255, 1];
  for (const c of layers.reverse()) behind = over(c, behind);
  const cs = getComputedStyle(el);
  const ring = over(rgba(cs.outlineColor), behind);
  const l1 = lum(ring), l2 = lum(behind);
  return {
    Target: path(el),
    Style: cs.outlineStyle,
    Width: parseFloat(cs.outlineWidth) || 0,
    Color: cs.outlineColor,
    Behind: 'rgb(' + behind.slice(0, 3).map(Math.round).join(', ') + ')',
    Contrast: Math.round((Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05) * 100) / 100,
    Shadow: cs.boxShadow !== 'none',
  };
})()`
