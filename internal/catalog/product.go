package catalog

import (
	"slices"
	"strconv"
)

// Clone returns a copy of p with its own options, images and tiers; Enterprise and
// Category are shared.
func (p *Product) Clone() *Product {
	c := *p
	c.Options = slices.Clone(p.Options)
	c.Images = slices.Clone(p.Images)
	c.ConsumerTiers = slices.Clone(p.ConsumerTiers)
	c.PublicTiers = slices.Clone(p.PublicTiers)
	return &c
}

// ProductChanges lists the form fields whose values differ between before
// and after, in form order: "category_id", "kind", "name", "code",
// "summary", "description", "unit", "tax_type", "consumer_price",
// "public_price", "consumer_tiers", "public_tiers", "stock", "status", "featured", "popularity", "options",
// "images". Options differ when their ids, codes, names, extra prices, stock
// or order differ; images when their addresses, descriptions or order do.
// Ids, timestamps and the external id are not compared.
func ProductChanges(before, after *Product) []string {
	var out []string
	add := func(field string, changed bool) {
		if changed {
			out = append(out, field)
		}
	}
	add("category_id", before.CategoryID != after.CategoryID)
	add("kind", before.Kind != after.Kind)
	add("name", before.Name != after.Name)
	add("code", before.Code != after.Code)
	add("summary", before.Summary != after.Summary)
	add("description", before.Description != after.Description)
	add("unit", before.Unit != after.Unit)
	add("tax_type", before.TaxType != after.TaxType)
	add("consumer_price", before.ConsumerPrice != after.ConsumerPrice)
	add("public_price", before.PublicPrice != after.PublicPrice)
	add("consumer_tiers", !slices.Equal(before.ConsumerTiers, after.ConsumerTiers))
	add("public_tiers", !slices.Equal(before.PublicTiers, after.PublicTiers))
	add("stock", before.Stock != after.Stock)
	add("status", before.Status != after.Status)
	add("featured", before.Featured != after.Featured)
	add("popularity", before.Popularity != after.Popularity)
	add("options", !slices.Equal(before.Options, after.Options))
	add("images", !slices.Equal(before.Images, after.Images))
	return out
}

// contentChanged reports whether after differs from before in more than
// stock and status: what an operator reviews.
func contentChanged(before, after *Product) bool {
	b, a := before.Clone(), after.Clone()
	for _, p := range []*Product{b, a} {
		p.Stock, p.Status = 0, ""
		for i := range p.Options {
			p.Options[i].Stock = 0
		}
	}
	return len(ProductChanges(b, a)) > 0
}

// publishedStatus is the status of a product its enterprise publishes:
// active, or pending review when the enterprise's products are reviewed.
func publishedStatus(e *Enterprise) string {
	if e != nil && e.ReviewProducts {
		return StatusPendingReview
	}
	return StatusActive
}

// reviewedStatus is after's status once its enterprise edited it: an active
// product of an enterprise whose products are reviewed goes back to review
// when more than its stock changed.
func reviewedStatus(e *Enterprise, before, after *Product) string {
	if after.Status == StatusActive && e != nil && e.ReviewProducts && contentChanged(before, after) {
		return StatusPendingReview
	}
	return after.Status
}

func sumStock(opts []Option) int {
	n := 0
	for _, o := range opts {
		n += o.Stock
	}
	return n
}

// fillOptionCodes gives the options without a code one ("opt1", "opt2", …)
// that none of them has: forms do not ask for option codes.
func fillOptionCodes(opts []Option) {
	used := map[string]bool{}
	for _, o := range opts {
		used[o.Code] = true
	}
	n := 0
	for i := range opts {
		if opts[i].Code != "" {
			continue
		}
		for {
			n++
			if c := "opt" + strconv.Itoa(n); !used[c] {
				opts[i].Code, used[c] = c, true
				break
			}
		}
	}
}
