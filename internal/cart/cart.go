// Package cart is the shopping cart: a list of (product, option, quantity)
// kept in Redis under an id the browser holds in a signed cookie. Prices and
// stock are never trusted from the cart: every view and every checkout reads
// them from the catalogue again and says plainly what changed.
package cart

import (
	"context"
	"time"

	"github.com/dure-coop/dure/internal/catalog"
)

// Limits on a cart.
const (
	MaxQuantity = 99 // per line
	MaxLines    = 50 // distinct lines per cart
	TTL         = 30 * 24 * time.Hour
)

// Key identifies a line: a product, and its option when it has options.
type Key struct {
	ProductID int64
	OptionID  int64
}

// Line is what the cart stores for one key.
type Line struct {
	Key
	Quantity int
	// PriceAtAdd is the unit price shown when the line was added or last
	// changed, kept only to tell the shopper that the price has changed since.
	PriceAtAdd int64
}

// Store keeps carts. Every call refreshes the cart's TTL.
type Store interface {
	// Lines returns the cart's lines (none for an unknown or expired cart).
	Lines(ctx context.Context, cartID string) ([]Line, error)
	// Add raises line l.Key by l.Quantity and sets its price seen to
	// l.PriceAtAdd, adding the line if new, in one atomic step, unless the
	// line would then hold more than limit, or it is new and the cart
	// already holds maxLines lines: then nothing changes. It says which in
	// Added.
	Add(ctx context.Context, cartID string, l Line, limit, maxLines int) (Added, error)
	// Set sets the quantity and price seen of a line the cart holds, in one
	// atomic step; it returns false and changes nothing when the cart does
	// not hold it.
	Set(ctx context.Context, cartID string, l Line) (bool, error)
	// SeePrice sets the price seen of a line, keeping its quantity as it is
	// then; a line no longer there stays out.
	SeePrice(ctx context.Context, cartID string, k Key, price int64) error
	// Remove deletes a line; removing a missing line is not an error.
	Remove(ctx context.Context, cartID string, k Key) error
	// Clear deletes the whole cart.
	Clear(ctx context.Context, cartID string) error
	// Count returns the number of lines, for the page header.
	Count(ctx context.Context, cartID string) (int, error)
	// Merge moves the lines of cart fromID into cart intoID and empties
	// fromID. The carts may live on different servers (a Redis Cluster), so
	// it need not be one atomic step, but a change to either cart made
	// meanwhile is neither lost nor half-applied, and a Merge that failed
	// midway is finished by the next Merge from fromID with no line lost or
	// moved twice. limits gives the most each line of fromID may hold in
	// intoID; a line's quantity in intoID becomes max(before,
	// min(before+moved, limit)), and its price seen stays intoID's when it
	// was there; a line with a limit of 0 or less is not moved; a key intoID
	// does not hold is added only while intoID has fewer than maxLines
	// lines. Lines are taken by product then option. It returns what
	// happened to each line it moved, none when fromID is empty or gone or
	// another Merge moved its lines.
	Merge(ctx context.Context, fromID, intoID string, limits MergeLimits, maxLines int) ([]Merged, error)
	// SetNotices keeps messages for the cart's next page (what a 재주문
	// left out), replacing any kept before, for NoticeTTL.
	SetNotices(ctx context.Context, cartID string, notices []string) error
	// TakeNotices returns the kept messages and forgets them, so a reload
	// shows them no more.
	TakeNotices(ctx context.Context, cartID string) ([]string, error)
}

// NoticeTTL is how long messages kept for a cart's next page live.
const NoticeTTL = 10 * time.Minute

// MergeLimits returns, for lines of a cart being merged, the most each may
// hold in the cart merged into. Store.Merge may call it more than once.
type MergeLimits func(ctx context.Context, lines []Line) (map[Key]int, error)

// Added is what Store.Add did.
type Added struct {
	// Before and After are the line's quantity before and after (0: not
	// there); After == Before when the add was refused.
	Before, After int
	// Full is set when the line was new and the cart already held maxLines
	// lines.
	Full bool
}

// Merged is what Store.Merge did with one line of the cart merged from.
type Merged struct {
	// Line is the line as it was in the cart merged from.
	Line
	// Before and After are the line's quantity in the cart merged into,
	// before and after (0: not there); After == Before when nothing was
	// added.
	Before, After int
	// Full is set when the line was not added because the cart merged into
	// already held maxLines lines.
	Full bool
}

// Catalog is what the cart needs from the catalogue: the current state of the
// products it holds, with their enterprises and options.
type Catalog interface {
	// FindCartProducts returns the active products of active enterprises
	// among ids (others are simply absent; ids may repeat), read together.
	// Each has what a cart shows and an order snapshots: ID, EnterpriseID,
	// Kind, Name, TaxType, ConsumerPrice, Stock, Status, Options, and an
	// Enterprise with ID, Name, Type, CertNumber, CertValidUntil,
	// BusinessNumber, Region and Shipping; other fields may be empty.
	FindCartProducts(ctx context.Context, ids []int64) (map[int64]*catalog.Product, error)
}
