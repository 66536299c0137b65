package shop

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/web/view"
)

// Generated pictures: every product and category gets an SVG the project draws
// itself (no stock photos to license), with a colour derived from its category
// so a shelf of one category looks like one family.

// A generated picture is cached for 30 days; one asked for by its
// versioned address (view.GeneratedImageURL) never changes under it, so
// for a year and immutable.
const (
	mediaCacheControl     = "public, max-age=2592000"
	versionedCacheControl = "public, max-age=31536000, immutable"
)

// productImage draws /media/products/:id.svg.
func (s *server) productImage(c *fiber.Ctx) error {
	p, ix, err := view.LoadProduct(c, s.Catalog, s.Categories)
	if err != nil {
		return err
	}
	cache := mediaCacheControl
	if c.Query("v") != "" && view.GeneratedImageURL(p.ID, p.Name, p.CategoryID) == c.OriginalURL() {
		cache = versionedCacheControl
	}
	c.Set(fiber.HeaderCacheControl, cache)
	c.Type("svg")
	return c.Send(productSVG(p, artFor(ix, p.CategoryID)))
}

// categoryImage draws /media/categories/:slug.svg.
func (s *server) categoryImage(c *fiber.Ctx) error {
	ix, err := s.Categories.Get(c.UserContext())
	if err != nil {
		return err
	}
	cat := ix.BySlug(c.Params("slug"))
	if cat == nil {
		return apperr.Errorf(apperr.NotFound, "카테고리를 찾을 수 없습니다.")
	}
	c.Set(fiber.HeaderCacheControl, mediaCacheControl)
	c.Type("svg")
	return c.Send(categorySVG(cat, artFor(ix, cat.ID)))
}

// palette is a category's colours: background, shape and ink.
type palette struct{ bg, shape, ink string }

func hash32(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

// rootHues are calm, well-separated hues for the top categories, taken by
// their position in the tree so that siblings never share a colour.
var rootHues = []int{140, 28, 205, 340, 265, 45, 175, 10}

// artFor describes how a category's pictures look: the hue family of its top
// category, shifted a little per leaf category, and an icon for what it holds.
type art struct {
	pal  palette
	icon string
}

func artFor(ix *catalog.CategoryIndex, catID int64) art {
	path := ix.Path(catID)
	if len(path) == 0 {
		return art{pal: paletteFor(0), icon: iconFor("")}
	}
	root, leaf := path[0], path[len(path)-1]
	pos := 0
	for i, r := range ix.Roots {
		if r.ID == root.ID {
			pos = i
		}
	}
	hue := rootHues[pos%len(rootHues)]
	if leaf.ID != root.ID {
		hue = (hue + int(hash32(leaf.Slug)%25) - 12 + 360) % 360
	}
	icon := iconFor(leaf.Slug)
	if icon == "" {
		icon = iconFor(root.Slug)
	}
	if icon == "" {
		icon = fallbackIcons[hash32(root.Slug)%uint32(len(fallbackIcons))]
	}
	return art{pal: paletteFor(hue), icon: icon}
}

// paletteFor derives background, shape and ink colours from a hue.
func paletteFor(hue int) palette {
	return palette{
		bg:    fmt.Sprintf("hsl(%d,40%%,91%%)", hue),
		shape: fmt.Sprintf("hsl(%d,38%%,62%%)", hue),
		ink:   fmt.Sprintf("hsl(%d,36%%,24%%)", hue),
	}
}

// Icons are simple glyphs in a 120×120 box; BG stands for the background
// colour (for cut-outs).
const (
	iconApple = `<path d="M60 34C48 24 20 26 18 56C16 84 38 110 52 108C56 107 58 105 60 105C62 105 64 107 68 108C82 110 104 84 102 56C100 26 72 24 60 34Z"/><path d="M62 30C64 16 76 8 92 10C90 24 78 32 62 30Z"/>`
	iconBowl  = `<path d="M10 54H110C110 84 88 106 60 106C32 106 10 84 10 54Z"/><rect x="40" y="104" width="40" height="8" rx="4"/><circle cx="40" cy="40" r="8" fill-opacity=".5"/><circle cx="62" cy="34" r="10" fill-opacity=".5"/><circle cx="82" cy="42" r="7" fill-opacity=".5"/>`
	iconJar   = `<rect x="30" y="14" width="60" height="18" rx="5"/><path d="M26 38H94V98C94 106 88 112 80 112H40C32 112 26 106 26 98Z"/><rect x="38" y="60" width="44" height="26" rx="4" fill="BG"/>`
	iconCup   = `<path d="M18 44H90V72C90 94 74 106 54 106C34 106 18 94 18 72Z"/><path d="M90 52H98C108 52 112 60 112 68C112 78 104 84 94 84H88V76H94C98 76 102 74 102 68C102 62 98 60 94 60H90Z"/><path d="M38 34C34 26 42 20 38 10M56 34C52 26 60 20 56 10M74 34C70 26 78 20 74 10" fill="none" stroke="currentColor" stroke-width="5" stroke-linecap="round"/>`
	iconDrop  = `<path d="M60 6C60 6 102 54 102 78C102 100 84 114 60 114C36 114 18 100 18 78C18 54 60 6 60 6Z"/><path d="M40 78C40 90 48 98 58 100" fill="none" stroke="BG" stroke-width="6" stroke-linecap="round"/>`
	iconLeaf  = `<path d="M60 8C96 18 110 58 60 112C10 58 24 18 60 8Z"/><path d="M60 30V104" stroke="BG" stroke-width="5" stroke-linecap="round"/>`
	iconDoc   = `<path d="M26 8H78L98 28V112H26Z"/><path d="M78 8V28H98Z" fill="BG" fill-opacity=".6"/><rect x="40" y="48" width="44" height="7" rx="3" fill="BG"/><rect x="40" y="64" width="44" height="7" rx="3" fill="BG"/><rect x="40" y="80" width="30" height="7" rx="3" fill="BG"/>`
	iconShirt = `<path d="M40 12L16 24L4 52L26 60L30 50V110H90V50L94 60L116 52L104 24L80 12C76 22 68 28 60 28C52 28 44 22 40 12Z"/>`
	iconGift  = `<rect x="12" y="42" width="96" height="24" rx="4"/><rect x="20" y="66" width="80" height="46" rx="4"/><rect x="54" y="42" width="12" height="70" fill="BG"/><path d="M60 42C50 18 24 20 28 34C31 44 60 42 60 42ZM60 42C70 18 96 20 92 34C89 44 60 42 60 42Z"/>`
	iconBook  = `<path d="M8 24C30 16 48 18 57 30V108C48 98 30 96 8 102Z"/><path d="M112 24C90 16 72 18 63 30V108C72 98 90 96 112 102Z"/>`
	iconHouse = `<path d="M60 8L114 54H98V112H22V54H6Z"/><rect x="48" y="74" width="24" height="38" fill="BG"/>`
	iconStar  = `<path d="M60 6L74 44L114 44L82 68L94 108L60 84L26 108L38 68L6 44L46 44Z"/>`
)

// fallbackIcons are for categories no keyword describes.
var fallbackIcons = []string{
	`<circle cx="60" cy="60" r="48"/><circle cx="60" cy="60" r="24" fill="BG"/>`,
	`<rect x="14" y="30" width="92" height="72" rx="8"/><rect x="14" y="18" width="92" height="20" rx="6" fill-opacity=".6"/>`,
	`<path d="M14 90L46 40L66 70L80 52L106 90Z"/><circle cx="88" cy="28" r="12"/>`,
	`<path d="M60 108C20 78 8 56 8 38C8 20 22 10 36 10C48 10 56 18 60 26C64 18 72 10 84 10C98 10 112 20 112 38C112 56 100 78 60 108Z"/>`,
}

// iconKeywords map words in a category slug to an icon, most specific first.
var iconKeywords = []struct {
	words []string
	icon  string
}{
	{[]string{"fruit", "veg", "apple"}, iconApple},
	{[]string{"sauce", "jang", "processed", "jam"}, iconJar},
	{[]string{"drink", "tea", "coffee", "juice"}, iconCup},
	{[]string{"rice", "grain", "kitchen", "catering", "meal", "food"}, iconBowl},
	{[]string{"detergent", "clean", "hygiene", "soap"}, iconDrop},
	{[]string{"eco", "green", "living", "garden"}, iconLeaf},
	{[]string{"office", "stationery", "print", "design", "paper"}, iconDoc},
	{[]string{"cloth", "fashion", "wear", "bag"}, iconShirt},
	{[]string{"craft", "gift"}, iconGift},
	{[]string{"edu", "book", "class", "experience"}, iconBook},
	{[]string{"facility", "house", "home", "building", "repair"}, iconHouse},
	{[]string{"service"}, iconStar},
}

// iconFor returns the icon whose keyword the slug contains, or "".
func iconFor(slug string) string {
	for _, k := range iconKeywords {
		for _, w := range k.words {
			if strings.Contains(slug, w) {
				return k.icon
			}
		}
	}
	return ""
}

// iconSVG fills an icon with the shape colour and its cut-outs with the background.
func iconSVG(a art) string {
	return strings.ReplaceAll(a.icon, `"BG"`, `"`+a.pal.bg+`"`)
}

// labelMaxLines is how many lines of the name the picture holds.
const labelMaxLines = 3

// labelLines wraps the whole name for the picture (a leading tag like
// [친환경] aside) into at most labelMaxLines lines, as narrow as that allows
// and never narrower than its longest word, so no word is cut: productSVG then
// sizes the font to the widest line.
func labelLines(name string) []string {
	words := strings.Fields(name)
	for len(words) > 1 && strings.HasPrefix(words[0], "[") && strings.HasSuffix(words[0], "]") {
		words = words[1:]
	}
	if len(words) == 0 {
		return nil
	}
	width, total := 8.0, 0.0
	for _, w := range words {
		width = max(width, textWidth(w))
		total += textWidth(w) + spaceWidth
	}
	for ; ; width += 0.5 {
		if lines := wrap(words, width); len(lines) <= labelMaxLines || width >= total {
			return lines
		}
	}
}

// wrap fills lines of at most width (textWidth) greedily, word by word.
func wrap(words []string, width float64) []string {
	var lines []string
	cur := ""
	for _, w := range words {
		if cur != "" && textWidth(cur)+spaceWidth+textWidth(w) <= width {
			cur += " " + w
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = w
	}
	return append(lines, cur)
}

// spaceWidth is a space's width in em.
const spaceWidth = 0.3

// textWidth estimates s's width in em in a bold Korean sans-serif: Hangul
// and other wide characters take a full em, Latin letters, digits and
// punctuation a little over half.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r == ' ':
			w += spaceWidth
		case r >= 0x1100 && (unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Han, r) || r >= 0xFF00 && r <= 0xFFEF):
			w++
		default:
			w += 0.62
		}
	}
	return w
}

func xmlText(b *bytes.Buffer, s string) { _ = xml.EscapeText(b, []byte(s)) }

const svgFont = `'Noto Sans KR','Noto Sans CJK KR','Apple SD Gothic Neo','Malgun Gothic',sans-serif`

func productSVG(p *catalog.Product, a art) []byte {
	pal := a.pal
	h := hash32(fmt.Sprint(p.ID))
	var b bytes.Buffer
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400" role="img" aria-label="`)
	xmlText(&b, p.Name)
	fmt.Fprintf(&b, `"><rect width="400" height="400" fill="%s"/>`, pal.bg)
	// two soft circles placed by the product id, so neighbours differ
	fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="%d" fill="%s" fill-opacity=".28"/>`, 40+h%320, 30+(h>>8)%120, 70+(h>>16)%60, pal.shape)
	fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="%d" fill="%s" fill-opacity=".18"/>`, 20+(h>>4)%360, 300+(h>>12)%80, 50+(h>>20)%50, pal.shape)
	fmt.Fprintf(&b, `<g transform="translate(150 70) scale(.8333)" fill="%s" color="%s">%s</g>`, pal.shape, pal.shape, iconSVG(a))
	lines := labelLines(p.Name)
	size := labelSize(lines)
	// The lines are centred in the band under the icon (y 190 to 386).
	gap := size / 4
	block := len(lines)*size + (len(lines)-1)*gap
	y := 190 + (196-block)/2 + size*7/8 // the first baseline
	fmt.Fprintf(&b, `<g font-family="%s" font-weight="700" font-size="%d" fill="%s" text-anchor="middle">`, svgFont, size, pal.ink)
	for i, l := range lines {
		fmt.Fprintf(&b, `<text x="200" y="%d">`, y+i*(size+gap))
		xmlText(&b, l)
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g></svg>`)
	return b.Bytes()
}

// labelWidth is how wide (px of the 400 px picture) the name may be drawn.
const labelWidth = 344

// labelSize is the font size (px) at which the widest of lines fits in
// labelWidth, at most 46.
func labelSize(lines []string) int {
	widest := 1.0
	for _, l := range lines {
		widest = max(widest, textWidth(l))
	}
	return min(46, int(labelWidth/widest))
}

func categorySVG(c *catalog.Category, a art) []byte {
	pal := a.pal
	h := hash32(c.Slug)
	var b bytes.Buffer
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 120" width="240" height="120" role="img" aria-label="`)
	xmlText(&b, c.Name)
	fmt.Fprintf(&b, `"><rect width="240" height="120" rx="14" fill="%s"/>`, pal.bg)
	fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="%d" fill="%s" fill-opacity=".25"/>`, 150+h%80, 10+(h>>8)%30, 40+(h>>16)%25, pal.shape)
	fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="%d" fill="%s" fill-opacity=".15"/>`, 10+(h>>4)%60, 100+(h>>12)%20, 30+(h>>20)%20, pal.shape)
	fmt.Fprintf(&b, `<g transform="translate(90 30) scale(.5)" fill="%s" color="%s">%s</g>`, pal.shape, pal.shape, iconSVG(a))
	b.WriteString(`</svg>`)
	return b.Bytes()
}
