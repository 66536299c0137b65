package browser

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/testutil"
)

// The widths every page is checked at: a desktop and a 390 px phone.
// Headless Chromium's window cannot be narrower than 500 px, so the phone
// is emulated.
const (
	Desktop = 1280
	Phone   = 390
)

// AxeFile is where scripts/axe-check (run by `make test`) installs
// axe-core, relative to the repository root.
const AxeFile = "var/cache/axe/node_modules/axe-core/axe.min.js"

// Violation is one axe-core rule a page breaks, at one width.
type Violation struct {
	Page    string // the path checked
	Width   int    // Desktop or Phone
	ID      string // the axe rule, e.g. "color-contrast"
	Impact  string // critical, serious, moderate or minor
	Help    string
	HelpURL string
	Nodes   int      // how many elements break it
	Targets []string // CSS selectors of the first few
	Detail  string   // axe's failure summary of the first element
}

// Serious reports whether v is serious or critical: the bar is none.
func (v Violation) Serious() bool { return v.Impact == "critical" || v.Impact == "serious" }

func (v Violation) String() string {
	s := fmt.Sprintf("%s %s at %d px on %s (%d elements): %s\n    %s",
		v.Impact, v.ID, v.Width, v.Page, v.Nodes, v.Help, strings.Join(v.Targets, "\n    "))
	if v.Detail != "" {
		s += "\n      " + strings.ReplaceAll(strings.TrimSpace(v.Detail), "\n", "\n      ")
	}
	return s
}

// Format lists vs one per paragraph, for a failure message.
func Format(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString("  " + v.String() + "\n")
	}
	return b.String()
}

// Axe loads path at the desktop and the phone width, runs axe-core's WCAG
// 2.0 and 2.1 A and AA rules on each, and returns what they found; at the
// phone width a page that scrolls sideways is a serious violation too
// ("horizontal-scroll"). The page must answer 2xx (check an error page
// with AxeCurrent).
func (b *Browser) Axe(t testing.TB, path string) []Violation {
	t.Helper()
	src := axeSource(t)
	var out []Violation
	for _, w := range []int{Desktop, Phone} {
		b.emulate(t, w)
		if st := b.Open(path); st < 200 || st > 299 {
			t.Fatalf("axe: %s answered %d at %s", path, st, b.Path())
		}
		out = append(out, b.runAxe(t, src, path, w)...)
	}
	b.emulate(t, 0)
	return out
}

// AxeCurrent runs axe-core on the page the browser shows now (a form shown
// again with its errors, say) at both widths, without loading it again.
func (b *Browser) AxeCurrent(t testing.TB) []Violation {
	t.Helper()
	src, path := axeSource(t), b.Path()
	var out []Violation
	for _, w := range []int{Desktop, Phone} {
		b.emulate(t, w)
		out = append(out, b.runAxe(t, src, path, w)...)
	}
	b.emulate(t, 0)
	return out
}

// CheckAxe is Axe that fails the test (without stopping it) on any serious
// or critical violation, listing them, and logs the others.
func (b *Browser) CheckAxe(t testing.TB, path string) []Violation {
	t.Helper()
	start := time.Now()
	vs := b.Axe(t, path)
	t.Logf("axe %s: %d violations, %s", path, len(vs), time.Since(start).Round(time.Millisecond))
	Report(t, path, vs)
	return vs
}

// CheckAxeCurrent is AxeCurrent with CheckAxe's verdict; what names the
// page's state in the messages ("sign-in with errors").
func (b *Browser) CheckAxeCurrent(t testing.TB, what string) []Violation {
	t.Helper()
	start := time.Now()
	vs := b.AxeCurrent(t)
	t.Logf("axe %s: %d violations, %s", what, len(vs), time.Since(start).Round(time.Millisecond))
	Report(t, what, vs)
	return vs
}

// Report fails t on the serious and critical violations among vs, listing
// them, and logs the rest.
func Report(t testing.TB, what string, vs []Violation) {
	t.Helper()
	var bad, other []Violation
	for _, v := range vs {
		if v.Serious() {
			bad = append(bad, v)
		} else {
			other = append(other, v)
		}
	}
	if len(other) > 0 {
		t.Logf("axe: %s: %d moderate or minor violations:\n%s", what, len(other), Format(other))
	}
	if len(bad) > 0 {
		t.Errorf("axe: %s: %d serious or critical violations:\n%s", what, len(bad), Format(bad))
	}
}

// axeSource reads axe.min.js; a missing file fails the test with the
// command that installs it.
func axeSource(t testing.TB) string {
	t.Helper()
	name := filepath.Join(testutil.RepoRoot(t), AxeFile)
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("axe: %v\naxe-core is not installed: run scripts/axe-check (make test does)", err)
	}
	return string(src)
}

// emulate sets the viewport to width (a phone's for Phone), or back to the
// window's own for 0.
func (b *Browser) emulate(t testing.TB, width int) {
	t.Helper()
	var err error
	switch width {
	case 0:
		_, err = chromedp.Call(b.Ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
	case Phone:
		err = chromedp.Do(b.Ctx, chromedp.EmulateViewport(Phone, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile,
			chromedp.EmulateTouch, chromedp.EmulatePortrait))
	default:
		err = chromedp.Do(b.Ctx, chromedp.EmulateViewport(int64(width), 900))
	}
	if err != nil {
		t.Fatalf("axe: viewport %d px: %v", width, err)
	}
}

// runAxe injects axe-core into the page unless it is there, and runs it.
func (b *Browser) runAxe(t testing.TB, src, path string, width int) []Violation {
	t.Helper()
	if got, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.documentElement.clientWidth`)); err != nil || got != width {
		t.Fatalf("axe: %s: the page is %d px wide, want %d (%v)", path, got, width, err)
	}
	has, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err == nil && !has {
		err = chromedp.Do(b.Ctx, chromedp.Evaluate[chromedp.Void](src+"\n;void 0"))
	}
	if err != nil {
		t.Fatalf("axe: inject into %s: %v", path, err)
	}
	res, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]Violation](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe: run on %s at %d px: %v", path, width, err)
	}
	if width == Phone {
		wide, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](overflowJS))
		if err != nil {
			t.Fatalf("axe: measure %s at %d px: %v", path, width, err)
		}
		if len(wide) > 0 {
			res = append(res, Violation{ID: "horizontal-scroll", Impact: "serious", Nodes: len(wide), Targets: wide,
				Help: "The page scrolls sideways on a phone: content must reflow (WCAG 1.4.10)"})
		}
	}
	for i := range res {
		res[i].Page, res[i].Width = path, width
	}
	slices.SortStableFunc(res, func(a, b Violation) int { return rank(a.Impact) - rank(b.Impact) })
	return res
}

func rank(impact string) int {
	return slices.Index([]string{"critical", "serious", "moderate", "minor"}, impact)
}

// overflowJS lists (up to five) elements that stick out of the viewport's
// right edge and make the page scroll sideways; those inside a box that
// scrolls or clips on its own (a wide table's wrapper) do not.
const overflowJS = `(() => {
  const de = document.documentElement;
  if (de.scrollWidth <= de.clientWidth) return [];
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > de.clientWidth + 1 && r.width > 0 && !clipped(el) &&
        ![...el.children].some(c => c.getBoundingClientRect().right > de.clientWidth + 1)) {
      let s = el.tagName.toLowerCase();
      if (el.id) s += '#' + el.id; else if (el.classList.length) s += '.' + [...el.classList].slice(0, 2).join('.');
      out.push(s + ' (right edge at ' + Math.round(r.right) + ' px)');
      if (out.length === 5) break;
    }
  }
  return out.length ? out : ['html (' + de.scrollWidth + ' px wide)'];
})()`

// axeRunJS runs the WCAG 2.0 and 2.1 A and AA rules (the level KWCAG
// follows) once layout and fonts have settled.
const axeRunJS = `(async () => {
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const r = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return r.violations.map(v => ({
    ID: v.id, Impact: v.impact || 'minor', Help: v.help, HelpURL: v.helpUrl, Nodes: v.nodes.length,
    Targets: v.nodes.slice(0, 5).map(n => n.target.map(t => [].concat(t).join(' >>> ')).join(' | ')),
    Detail: (v.nodes[0] && v.nodes[0].failureSummary) || '',
  }));
})()`
