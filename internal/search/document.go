package search

import (
	"strings"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/catalog"
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
}

// BuildDocument is the one place a product becomes a search document; path is
// the product's category and its ancestors, root first (CategoryIndex.Path).
// e must be the product's enterprise.
func BuildDocument(p *catalog.Product, e *catalog.Enterprise, path []*catalog.Category) Document {
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
	return d
}

// Hit returns the result-list view of the document (without highlighting).
func (d *Document) Hit() Hit {
	return Hit{
		ProductID: d.ID, Name: d.Name, NameHighlight: d.Name, Summary: d.Summary,
		EnterpriseID: d.EnterpriseID, EnterpriseName: d.EnterpriseName, EnterpriseType: d.EnterpriseType,
		Region: d.Region, CategoryID: d.CategoryID, Kind: d.Kind, TaxType: d.TaxType,
		ConsumerPrice: d.ConsumerPrice, PublicPrice: d.PublicPrice, InStock: d.InStock, ImageURL: d.ImageURL,
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
