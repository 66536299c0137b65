package view

import (
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

// ImageOf returns the product's first picture, or its generated SVG.
func ImageOf(p *catalog.Product) string {
	if len(p.Images) > 0 && p.Images[0].URL != "" {
		return p.Images[0].URL
	}
	return ProductImageURL(p.ID)
}
