package catalog

import (
	"context"
	"time"

	"github.com/dure-coop/dure/internal/impact"
)

// PageFacts are what a product's page shows besides the product, read in
// the same query as the product (postgres.CatalogStore.FindProductPage):
// the page is one read however many blocks it has.
type PageFacts struct {
	// ReviewCount and ReviewSum summarise the visible reviews; the list
	// is read only when there are some.
	ReviewCount, ReviewSum int
	// QuestionCount is every question about the product; the list is read
	// only when there are some.
	QuestionCount int
	// ConsumerRateBP is the enterprise's consumer commission on Day.
	ConsumerRateBP int
	Day            time.Time
	// Figures are the enterprise's declared impact figures.
	Figures []impact.Figure
}

// PageReader is implemented by stores that read a product and its
// PageFacts in one query.
type PageReader interface {
	// FindProductPage returns the active product id (FindProductByID's
	// rules: NotFound otherwise) with its facts as of day (a KST date).
	FindProductPage(ctx context.Context, id int64, day time.Time) (*Product, *PageFacts, error)
}
