package shop_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// The product page lists the volume tiers of both lists, and the cart says
// which consumer tier priced a line and the next one in reach.
func TestTiersOnProductAndCartPages(t *testing.T) {
	e := webtest.NewEnv(t)
	pid, _ := e.Goods(t)
	ctx := context.Background()
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET consumer_price = 10000, public_price = 9500, tax_type = 'taxable' WHERE id = $1`, pid); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pool.Exec(ctx, `INSERT INTO product_price_tiers (product_id, list, min_quantity, unit_price) VALUES
		($1, 'consumer', 10, 9000), ($1, 'consumer', 30, 8500), ($1, 'public', 100, 9000)`, pid); err != nil {
		t.Fatal(err)
	}
	b := e.Shopper()
	doc := b.Page(t, "/p/"+strconv.FormatInt(pid, 10), 200)
	if got := doc.Find(".tier-list li").First().Text(); got != "10개 이상 개당 9,000원" {
		t.Errorf("first consumer tier %q", got)
	}
	if got := doc.Find(".tiers-public").Text(); !strings.Contains(got, "100개 이상 개당 9,000원") {
		t.Errorf("public tiers %q", got)
	}

	addToCart(t, b, pid, "3")
	doc = b.Page(t, "/cart", 200)
	if got := doc.Find(".tier-note").Text(); !strings.Contains(got, "10개 이상 개당 9,000원") || strings.Contains(got, "적용") {
		t.Errorf("3 units: tier note %q, want the next tier and none applied", got)
	}
	addToCart(t, b, pid, "9") // 12 units
	doc = b.Page(t, "/cart", 200)
	line := doc.Find(".cart-line")
	if got := line.Find(".unit-price").Text(); got != "9,000원" {
		t.Errorf("12 units: unit price %q, want 9,000원", got)
	}
	if got := line.Find(".line-total").Text(); got != "108,000원" {
		t.Errorf("12 units: line total %q, want 108,000원", got)
	}
	if got := line.Find(".tier-note").Text(); !strings.Contains(got, "10개 이상 개당 9,000원 적용 (정가 10,000원)") ||
		!strings.Contains(got, "30개 이상 개당 8,500원") {
		t.Errorf("12 units: tier note %q", got)
	}
	if got := line.Find(".line-notice").Text(); got != "" {
		t.Errorf("reaching a tier read as a price change: %q", got)
	}
}
