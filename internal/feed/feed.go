// Package feed publishes the catalogue to other malls and price-comparison
// engines: the Naver Shopping EP (엔진페이지, TSV: a full feed and a summary
// feed of changes) and a Google Merchant-style feed (RSS 2.0 with the g:
// namespace, and the same as JSON).
//
// The feeds list only products a buyer can order now: active, of an active
// enterprise, in stock (a service: bookable, i.e. with places left), at the
// current consumer price for one unit. They are served from a snapshot
// (Store) that a Worker keeps in step with the catalogue from an outbox, so a
// request never scans the catalogue.
package feed

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/pricing"
)

// MaxImages is how many pictures an item carries (the first and up to nine
// more: Naver's add_image_link and Google's additional_image_link take 10).
const MaxImages = 10

// maxDescription is Google's limit on a description, in characters.
const maxDescription = 5000

// Item is one product as the feeds list it. Links are kept relative (a
// path on the storefront) or as stored (an absolute image address) and made
// absolute with Links when a feed is written, so a new DURE_BASE_URL needs no
// rebuild.
type Item struct {
	ID          int64  `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// Price is what a buyer pays now for one unit, VAT included (CurrentPrice).
	Price int64 `json:"price"`
	// NormalPrice is the list price before any discount (Naver's
	// normal_price); equal to Price while there is none.
	NormalPrice int64 `json:"normal_price"`
	// Images are the product's pictures in order; empty when it has none
	// (the storefront's generated picture is used then).
	Images         []string `json:"images,omitempty"`
	Categories     []string `json:"categories"` // category names, root first
	Brand          string   `json:"brand"`      // the enterprise's name
	EnterpriseType string   `json:"enterprise_type"`
	Region         string   `json:"region"`
	Service        bool     `json:"service,omitempty"`
	// Shipping is the delivery charge for one unit (0: free or not shipped).
	Shipping int64 `json:"shipping"`
}

// Class says what a summary-feed line means (Naver's class column).
type Class string

// Summary classes.
const (
	Inserted Class = "I" // new in the feed since the given time
	Updated  Class = "U" // listed before and after, changed
	Deleted  Class = "D" // no longer listed (hidden, sold out, suspended, deleted)
)

// Change is a line of the summary feed: an item that changed after a given
// time. For Deleted, Item holds the last listed values (only its ID matters).
type Change struct {
	Class Class
	Item  Item
	At    time.Time
}

// State is a feed's version: it grows with every change, so it is the
// ETag; Modified is the time of the last change (zero when the feed is
// empty and never changed).
type State struct {
	Version  int64
	Modified time.Time
	// Prices is when the campaign prices last changed (a discount
	// campaign started, ended or was edited), zero without campaigns: the
	// snapshot keeps list prices and the feeds are priced when written,
	// so a reader's copy is current only if this has not moved either.
	Prices time.Time
}

// Tag is the state as a validator: the snapshot's version and the prices'
// moment.
func (st State) Tag() string {
	t := strconv.FormatInt(st.Version, 10)
	if !st.Prices.IsZero() {
		t += "-" + strconv.FormatInt(st.Prices.Unix(), 10)
	}
	return t
}

// Store is the feed snapshot on the system of record.
type Store interface {
	// ProcessOutbox applies up to limit queued catalogue changes to the
	// snapshot (items added, changed or marked deleted) and returns how
	// many it applied; 0 when nothing is queued or another instance holds
	// the queue. Applied rows are removed in the same transaction, so each
	// change is applied exactly once across instances.
	ProcessOutbox(ctx context.Context, limit int) (int, error)
	// EachItem calls fn for every listed item, by product id.
	EachItem(ctx context.Context, fn func(Item) error) error
	// EachChange calls fn for every item that changed after since, oldest
	// change first.
	EachChange(ctx context.Context, since time.Time, fn func(Change) error) error
	// State returns the snapshot's version and last change.
	State(ctx context.Context) (State, error)
	// Requeue queues every product for the next ProcessOutbox: a full
	// rebuild of the snapshot.
	Requeue(ctx context.Context) error
}

// Listed reports whether p belongs in the feeds: published (active, of an
// active enterprise) and orderable now. A service's stock is its places
// left, so the same test says it is bookable.
func Listed(p *catalog.Product, e *catalog.Enterprise) bool {
	return p.Status == catalog.StatusActive && e != nil && e.Status == catalog.EnterpriseActive && p.InStock()
}

// CurrentPrice is the price a consumer pays now for one unit of p with the
// campaign discounts ds that apply to it now: the one place the feeds take
// a price from, and the same function the cart prices with
// (pricing.Offer).
func CurrentPrice(p *catalog.Product, ds []pricing.Discount) int64 {
	price, _ := pricing.Offer(p, nil, ds)
	return price
}

// ShippingFee is the delivery charge of an order of one unit at price: none
// for a service or when the price reaches the enterprise's free-shipping
// threshold, else its fee (the 제주/도서산간 surcharge is not in a feed's one
// number).
func ShippingFee(p *catalog.Product, e *catalog.Enterprise, price int64) int64 {
	if p.Kind == catalog.Service {
		return 0
	}
	sp := e.Shipping
	if sp.FreeThreshold > 0 && price >= sp.FreeThreshold {
		return 0
	}
	return sp.Fee
}

// NewItem is p's feed item; path is its category path, root first.
func NewItem(p *catalog.Product, e *catalog.Enterprise, path []*catalog.Category) Item {
	price := CurrentPrice(p, nil)
	it := Item{
		ID:             p.ID,
		Title:          OneLine(p.Name),
		Description:    describe(p),
		Price:          price,
		NormalPrice:    p.ConsumerPrice,
		Categories:     make([]string, 0, len(path)),
		Brand:          OneLine(e.Name),
		EnterpriseType: e.Type.Label(),
		Region:         e.Region.Label(),
		Service:        p.Kind == catalog.Service,
		Shipping:       ShippingFee(p, e, price),
	}
	for _, c := range path {
		it.Categories = append(it.Categories, OneLine(c.Name))
	}
	for _, img := range p.Images {
		if img.URL != "" && len(it.Images) < MaxImages {
			it.Images = append(it.Images, img.URL)
		}
	}
	return it
}

// describe is p's summary, or its description when it has none, on one line
// and within Google's limit.
func describe(p *catalog.Product) string {
	d := OneLine(p.Summary)
	if d == "" {
		d = OneLine(p.Description)
	}
	if d == "" {
		d = OneLine(p.Name)
	}
	if utf8.RuneCountInString(d) > maxDescription {
		d = string([]rune(d)[:maxDescription-1]) + "…"
	}
	return d
}

// OneLine collapses every run of white space (tabs and line breaks
// included) to one space and trims the ends: a TSV feed has no quoting, so a
// tab or line break inside a value would break the row.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Links makes an item's links absolute.
type Links struct {
	// Base is the site's public address (DURE_BASE_URL), without a
	// trailing slash.
	Base string
	// Product is the path of a product's page (view.ProductURL).
	Product func(id int64) string
	// GeneratedImage is the path of the picture shown for a product
	// without one (view.ProductImageURL).
	GeneratedImage func(id int64) string
}

// Abs is ref made absolute: an address with a scheme stays as it is, a path
// is put under Base.
func (l Links) Abs(ref string) string {
	if strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") {
		return ref
	}
	if !strings.HasPrefix(ref, "/") {
		ref = "/" + ref
	}
	return strings.TrimRight(l.Base, "/") + ref
}

// Link is the absolute address of it's product page.
func (l Links) Link(it Item) string { return l.Abs(l.Product(it.ID)) }

// Image is the absolute address of it's first picture.
func (l Links) Image(it Item) string {
	if len(it.Images) == 0 {
		return l.Abs(l.GeneratedImage(it.ID))
	}
	return l.Abs(it.Images[0])
}

// MoreImages are the absolute addresses of it's other pictures.
func (l Links) MoreImages(it Item) []string {
	if len(it.Images) < 2 {
		return nil
	}
	out := make([]string, 0, len(it.Images)-1)
	for _, img := range it.Images[1:] {
		out = append(out, l.Abs(img))
	}
	return out
}
