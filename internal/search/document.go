package search

import (
	"strings"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/hangul"
)

// MaxDescriptionRunes bounds the description kept in a Document: the start of
// a description says what the product is, the rest only inflates the index.
const MaxDescriptionRunes = 1000

// Document is the denormalised product the search engine indexes: the product
// with its enterprise and category path, so a search needs no join. JSON names
// are the engine's attribute names.
type Document struct {
	ID             int64                  `json:"id"`
	Name           string                 `json:"name"`
	Summary        string                 `json:"summary"`
	Description    string                 `json:"description"`
	CategoryID     int64                  `json:"category_id"`
	CategoryIDs    []int64                `json:"category_ids"`   // the category and its ancestors
	CategoryNames  []string               `json:"category_names"` // root first
	EnterpriseID   int64                  `json:"enterprise_id"`
	EnterpriseName string                 `json:"enterprise_name"`
	EnterpriseType catalog.EnterpriseType `json:"enterprise_type"`
	Region         catalog.Region         `json:"region"`
	Kind           catalog.Kind           `json:"kind"`
	TaxType        catalog.TaxType        `json:"tax_type"`
	ConsumerPrice  int64                  `json:"consumer_price"`
	PublicPrice    int64                  `json:"public_price"`
	InStock        bool                   `json:"in_stock"`
	Stock          int                    `json:"stock"`
	Popularity     int                    `json:"popularity"`
	Featured       bool                   `json:"featured"`
	CreatedAt      int64                  `json:"created_at"` // unix seconds
	ImageURL       string                 `json:"image_url"`
	// RatingAvg is the average of the visible reviews' ratings in hundredths
	// (RatingAvg), ReviewCount their number: the keys of the rating sort.
	RatingAvg   int `json:"rating_avg"`
	ReviewCount int `json:"review_count"`
	// HasOptions says whether the product has options (a listing card then
	// sends the shopper to choose one instead of offering 장바구니 담기); nil
	// in a document indexed before the field existed, whose card asks
	// PostgreSQL as before.
	HasOptions *bool `json:"has_options,omitempty"`

	// The name taken apart (NameHeads, NameParts): its head nouns with their
	// tails, searched first so the engine ranks a head match (꿀사과 for 사과)
	// above a modifier (사과 양념 불고기 소스); and the pieces of its compound
	// words, so a whole query word finds a compound (사과즙).
	NameHead  []string `json:"name_head"`
	NameParts []string `json:"name_parts"`

	// Korean enrichment (EnrichName): search forms of the name that only a
	// query variant (Analyze) searches, each after the real attributes.
	NameJamo     []string `json:"name_jamo"`     // 두벌식 keys of each syllable suffix
	NameChoseong []string `json:"name_choseong"` // 초성 keys of the same suffixes
}

// BuildDocument is the one place a product becomes a search document; path is
// the product's category and its ancestors, root first (CategoryIndex.Path).
// e must be the product's enterprise.
//
// reviews are the product's visible reviews: their number and the sum of
// their ratings. HasOptions is left to the caller, which knows whether it
// loaded the options (loadDocuments asks PostgreSQL for it).
func BuildDocument(p *catalog.Product, e *catalog.Enterprise, path []*catalog.Category, reviews Reviews) Document {
	d := Document{
		ID:            p.ID,
		Name:          strings.TrimSpace(p.Name),
		Summary:       strings.TrimSpace(p.Summary),
		Description:   truncateRunes(strings.TrimSpace(p.Description), MaxDescriptionRunes),
		CategoryID:    p.CategoryID,
		CategoryIDs:   make([]int64, 0, len(path)+1),
		CategoryNames: make([]string, 0, len(path)),
		EnterpriseID:  p.EnterpriseID,
		Kind:          p.Kind,
		TaxType:       p.TaxType,
		ConsumerPrice: p.ConsumerPrice,
		PublicPrice:   p.PublicPrice,
		InStock:       p.InStock(),
		Stock:         p.Stock,
		Popularity:    p.Popularity,
		Featured:      p.Featured,
		CreatedAt:     p.CreatedAt.Unix(),
		RatingAvg:     reviews.Avg(),
		ReviewCount:   reviews.Count,
	}
	if e != nil {
		d.EnterpriseName = e.Name
		d.EnterpriseType = e.Type
		d.Region = e.Region
	}
	hasOwn := false
	for _, c := range path {
		d.CategoryIDs = append(d.CategoryIDs, c.ID)
		d.CategoryNames = append(d.CategoryNames, c.Name)
		hasOwn = hasOwn || c.ID == p.CategoryID
	}
	if !hasOwn {
		d.CategoryIDs = append(d.CategoryIDs, p.CategoryID)
	}
	if len(p.Images) > 0 {
		d.ImageURL = p.Images[0].URL
	}
	d.NameHead, d.NameParts = NameHeads(d.Name), NameParts(d.Name)
	d.NameJamo, d.NameChoseong = EnrichName(d.Name)
	return d
}

// Reviews are a product's visible reviews in a Document: their number and
// the sum of their ratings (1–5 each).
type Reviews struct {
	Count int
	Sum   int
}

// Avg is the average rating in hundredths, rounded half up (4.555 → 456);
// 0 without reviews.
func (r Reviews) Avg() int {
	if r.Count <= 0 {
		return 0
	}
	return (r.Sum*200 + r.Count) / (2 * r.Count)
}

// EnrichName returns the Korean search forms of a product name, as words in
// the 두벌식 key alphabet of package hangul (plain ASCII):
//   - jamo: every tail of every Hangul word that starts at a syllable
//     ("수제맥주" → 수제맥주, 제맥주, 맥주, 주), plus the tails of the name with
//     its spaces removed that start at a word, so '맥주' (a prefix of one
//     tail) finds '수제맥주' and '유기농쌀' finds '유기농 쌀'. In keys, a
//     one-jamo slip is one typo, which the engine's typo tolerance forgives.
//   - choseong: the 초성 of the same tails ('ㄷㅈ' finds '된장').
func EnrichName(name string) (jamo, choseong []string) {
	words := hangul.Syllables(name)
	seen := map[string]bool{}
	add := func(tail string) {
		if seen[tail] {
			return
		}
		seen[tail] = true
		jamo = append(jamo, hangul.Keys(tail))
		if c := hangul.Keys(hangul.Choseong(tail)); c != "" {
			choseong = append(choseong, c)
		}
	}
	for _, w := range words {
		for _, tail := range hangul.Suffixes(w) {
			add(tail)
		}
	}
	for i := 0; i < len(words)-1; i++ {
		joined := strings.Join(words[i:], "")
		add(string([]rune(joined)[:min(utf8.RuneCountInString(joined), hangul.MaxSuffixRunes)]))
	}
	return jamo, choseong
}

// Hit returns the result-list view of the document (without highlighting).
func (d *Document) Hit() Hit {
	return Hit{
		ProductID: d.ID, Name: d.Name, NameHighlight: d.Name, Summary: d.Summary,
		EnterpriseID: d.EnterpriseID, EnterpriseName: d.EnterpriseName, EnterpriseType: d.EnterpriseType,
		Region: d.Region, CategoryID: d.CategoryID, Kind: d.Kind, TaxType: d.TaxType,
		ConsumerPrice: d.ConsumerPrice, PublicPrice: d.PublicPrice, InStock: d.InStock, ImageURL: d.ImageURL,
		RatingAvg: d.RatingAvg, ReviewCount: d.ReviewCount, HasOptions: d.HasOptions,
	}
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return strings.TrimSpace(s[:j])
		}
		i++
	}
	return s
}
