package app_test

import (
	"testing"

	"github.com/dure-coop/dure/internal/web/app"
	"github.com/dure-coop/dure/storefront"
)

// The embedded storefront has every page every audience renders (serve
// checks the same at start-up).
func TestLoadTemplates(t *testing.T) {
	if _, err := app.LoadTemplates(storefront.FS(), ""); err != nil {
		t.Fatalf("embedded storefront: %v", err)
	}
}
