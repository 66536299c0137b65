// Package search is product search: the query a shopper makes, the result page
// with facet counts, and the document the search engine indexes. Engines
// (Meilisearch, and PostgreSQL as the fallback) implement Searcher.
package search

import (
	"context"

	"github.com/dure-coop/dure/internal/catalog"
)

// Sort orders search results.
type Sort string

// Sort orders. Relevance is the default.
const (
	SortRelevance Sort = ""
	SortPriceAsc  Sort = "price_asc"
	SortPriceDesc Sort = "price_desc"
	SortNewest    Sort = "newest"
	SortPopular   Sort = "popular"
	// SortRating is 평점순: the average rating of visible reviews, then the
	// number of them (4.8 of 30 before 4.8 of 2); unreviewed products last.
	SortRating Sort = "rating"
)

// Limits on a query, so a crafted URL cannot make the engines do absurd work.
const (
	DefaultPerPage = 24
	MaxPerPage     = 60
	MaxPage        = 400
	MaxTextLen     = 100
)

// HighlightPre and HighlightPost surround matched text in Hit.NameHighlight.
// They are control characters no product name contains; the web layer escapes
// the name and then turns them into <mark> tags.
const (
	HighlightPre  = "\x02"
	HighlightPost = "\x03"
)

// Query is one search request. Zero values mean "no filter".
type Query struct {
	Text            string
	CategoryID      int64 // matches the category and everything below it
	EnterpriseID    int64
	EnterpriseTypes []catalog.EnterpriseType // any of
	Regions         []catalog.Region         // any of
	TaxType         catalog.TaxType
	Kind            catalog.Kind
	MinPrice        int64 // consumer price, 원, inclusive
	MaxPrice        int64 // consumer price, 원, inclusive; 0 = no bound
	InStock         bool
	Sort            Sort
	Page            int // 1-based
	PerPage         int
	// Variants are the readings of Text to search (Analyze), set by Service;
	// empty means Text alone on the real attributes.
	Variants []Variant
	// CountWords, set by Service for a query of several words as typed,
	// asks an engine that can to count each word on its own (Result.
	// WordCounts) in the same round trip as its other readings when the
	// first reading finds nothing: the counts the Service then needs to
	// leave words out cost no round trip of their own.
	CountWords bool
}

// Hit is one product in a result page.
type Hit struct {
	ProductID      int64
	Name           string
	NameHighlight  string // Name with HighlightPre/HighlightPost around matches
	Summary        string
	EnterpriseID   int64
	EnterpriseName string
	EnterpriseType catalog.EnterpriseType
	Region         catalog.Region
	CategoryID     int64
	Kind           catalog.Kind
	TaxType        catalog.TaxType
	ConsumerPrice  int64
	PublicPrice    int64
	InStock        bool
	ImageURL       string
	// RatingAvg is the average rating of the product's visible reviews in
	// hundredths (460 is ★4.6); 0 with ReviewCount 0 when it has none.
	RatingAvg   int
	ReviewCount int
	// HasOptions: see Document.HasOptions (nil: not known).
	HasOptions *bool
}

// FacetValue is one value of a facet with the number of matching products.
type FacetValue struct {
	Value string
	Count int
}

// Facet names in Result.Facets.
const (
	FacetCategory       = "category_ids"
	FacetEnterpriseType = "enterprise_type"
	FacetRegion         = "region"
	FacetTaxType        = "tax_type"
	FacetKind           = "kind"
)

// Result is one page of search results.
type Result struct {
	Hits    []Hit
	Total   int // estimated or exact number of matches
	Page    int
	PerPage int
	// Facets maps a facet name to its values with counts, for the query's
	// matches (counts ignore the query's own filter on that facet only where the
	// engine supports it; see the engine).
	Facets map[string][]FacetValue
	// Degraded is true when the fallback engine answered because the primary
	// one was unavailable.
	Degraded bool
	// Reading is what the results were read as when it is not the text as
	// typed: the Hangul of a 한/영 slip, the word a typo or 초성 stood for, or
	// the synonym that matched. A page says so and links to the literal search.
	Reading Reading
	// Ignored are the words of the query left out because the query as a
	// whole found nothing (Service): words the catalogue does not know, then
	// modifiers furthest from the head noun. Empty when every word counted.
	Ignored []string
	// WordCounts, when the query has several words and found nothing, may
	// hold how many products each word finds on its own with the query's
	// filters (as WordCounter counts them): an engine that counted them in
	// the round trip it made anyway sets them, so the Service need not ask.
	// Nil otherwise; never stored or shown.
	WordCounts []int `json:"-"`
}

// ReadingKind says how a query's text was read.
type ReadingKind string

// Reading kinds; the zero value is the text as typed.
const (
	ReadAsTyped  ReadingKind = ""
	ReadHanYeong ReadingKind = "hanyeong" // typed with the keyboard in English mode: 'tkrhk' is 사과
	ReadTypo     ReadingKind = "typo"     // one jamo off: '됀장' is 된장
	ReadChoseong ReadingKind = "choseong" // initial consonants: 'ㄷㅈ' is 된장
	ReadSynonym  ReadingKind = "synonym"  // a word of the dictionary: '플래카드' is 현수막
)

// Reading is the text the results are for, when not the text as typed.
type Reading struct {
	Kind ReadingKind
	Text string
}

// WordCounter is an engine that can tell, in one round trip, how many
// products each word of a query finds on its own (read as Analyze reads it,
// with the query's filters): how the Service finds the words the catalogue
// does not know.
type WordCounter interface {
	CountWords(ctx context.Context, q Query, words []string) ([]int, error)
}

// Searcher runs product searches. Search returns apperr.Invalid for a query
// that fails Validate and apperr.Unavailable when no engine can answer.
type Searcher interface {
	Search(ctx context.Context, q Query) (*Result, error)
}
