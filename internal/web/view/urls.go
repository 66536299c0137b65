package view

import (
	"hash/fnv"
	"net/url"
	"strconv"

	"github.com/dure-coop/dure/internal/catalog"
)

// ProductURL is the product page of id.
func ProductURL(id int64) string { return "/p/" + strconv.FormatInt(id, 10) }

// EnterpriseURL is the enterprise page of id.
func EnterpriseURL(id int64) string { return "/e/" + strconv.FormatInt(id, 10) }

// CategoryURL is the category page of slug.
func CategoryURL(slug string) string {
	return "/c/" + url.PathEscape(slug)
}

// ProductImageURL is the generated picture of product id.
func ProductImageURL(id int64) string {
	return "/media/products/" + strconv.FormatInt(id, 10) + ".svg"
}

// CategoryImageURL is the generated picture of category slug.
func CategoryImageURL(slug string) string {
	return "/media/categories/" + url.PathEscape(slug) + ".svg"
}

// drawingVersion changes whenever the generated pictures are drawn
// differently, so that every cached one is fetched again.
const drawingVersion = "2"

// GeneratedImageURL is the generated picture of a product with a version
// of what it shows (its name and category) in the query: the picture is
// cached for long, and a renamed or moved product gets a new address
// instead of its old picture. Stock and price changes keep the address.
func GeneratedImageURL(id int64, name string, categoryID int64) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(drawingVersion + "\x00" + name + "\x00" + strconv.FormatInt(categoryID, 10)))
	return ProductImageURL(id) + "?v=" + strconv.FormatUint(uint64(h.Sum32()), 36)
}

// ImageOf returns the product's first picture, or its generated SVG.
func ImageOf(p *catalog.Product) string {
	if len(p.Images) > 0 && p.Images[0].URL != "" {
		return p.Images[0].URL
	}
	return GeneratedImageURL(p.ID, p.Name, p.CategoryID)
}
