// Package view holds what every audience's pages and JSON share: the URLs
// of products, enterprises and categories, product cards, the pager, display
// labels (money, dates, highlighted names, shipping), the readers of URL
// parameters and the short-lived category tree. It knows nothing of fiber
// apps, templates or layouts; internal/web and the audience packages use it.
package view
