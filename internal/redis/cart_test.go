package redis_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"
)

func newCartStore(t *testing.T) (*redis.CartStore, *goredis.Client, string) {
	t.Helper()
	rdb, prefix := testutil.NewRedis(t)
	return redis.NewCartStore(rdb, prefix), rdb, prefix
}

func put(t *testing.T, s *redis.CartStore, id string, lines ...cart.Line) {
	t.Helper()
	for _, l := range lines {
		if err := s.Put(context.Background(), id, l); err != nil {
			t.Fatal(err)
		}
	}
}

func line(p int64, q int, price int64) cart.Line {
	return cart.Line{Key: cart.Key{ProductID: p}, Quantity: q, PriceAtAdd: price}
}

func lines(t *testing.T, s *redis.CartStore, id string) []cart.Line {
	t.Helper()
	ls, err := s.Lines(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func TestCartStoreMerge(t *testing.T) {
	t.Parallel()
	s, rdb, prefix := newCartStore(t)
	ctx := context.Background()
	put(t, s, "user", line(1, 3, 100), line(2, 1, 200))
	put(t, s, "guest", line(1, 2, 90), line(3, 5, 50), line(4, 1, 40), line(5, 4, 60),
		cart.Line{Key: cart.Key{ProductID: 6, OptionID: 7}, Quantity: 1, PriceAtAdd: 70})
	// A field this code never writes is ignored, as Lines ignores it.
	rdb.HSet(ctx, prefix+"cart:guest", "junk", "x")
	rdb.Expire(ctx, prefix+"cart:user", time.Minute)

	limits := map[cart.Key]int{{ProductID: 1}: 10, {ProductID: 3}: 99, {ProductID: 4}: 0, {ProductID: 5}: 2,
		{ProductID: 6, OptionID: 7}: 3}
	got, err := s.Merge(ctx, "guest", "user", limits, cart.MaxLines)
	if err != nil {
		t.Fatal(err)
	}
	want := []cart.Merged{
		{Line: line(1, 2, 90), Before: 3, After: 5},
		{Line: line(3, 5, 50), Before: 0, After: 5},
		{Line: line(4, 1, 40), Before: 0, After: 0},
		{Line: line(5, 4, 60), Before: 0, After: 2},
		{Line: cart.Line{Key: cart.Key{ProductID: 6, OptionID: 7}, Quantity: 1, PriceAtAdd: 70}, Before: 0, After: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Merge =\n%+v\nwant\n%+v", got, want)
	}
	// The user's price seen stays; a new line keeps the guest's.
	wantLines := []cart.Line{line(1, 5, 100), line(2, 1, 200), line(3, 5, 50), line(5, 2, 60),
		{Key: cart.Key{ProductID: 6, OptionID: 7}, Quantity: 1, PriceAtAdd: 70}}
	if got := lines(t, s, "user"); !reflect.DeepEqual(got, wantLines) {
		t.Fatalf("user cart = %+v, want %+v", got, wantLines)
	}
	if n := rdb.Exists(ctx, prefix+"cart:guest").Val(); n != 0 {
		t.Fatal("the guest cart is still there")
	}
	if ttl := rdb.TTL(ctx, prefix+"cart:user").Val(); ttl < cart.TTL-time.Minute {
		t.Errorf("user cart TTL = %v, want about %v", ttl, cart.TTL)
	}

	// Again: the guest cart is gone, nothing happens.
	got, err = s.Merge(ctx, "guest", "user", limits, cart.MaxLines)
	if err != nil || len(got) != 0 {
		t.Fatalf("second Merge = %+v, %v; want nothing", got, err)
	}
	if got := lines(t, s, "user"); !reflect.DeepEqual(got, wantLines) {
		t.Fatalf("user cart after the second merge = %+v", got)
	}
}

func TestCartStoreMergeKeepsTheLineCap(t *testing.T) {
	t.Parallel()
	s, _, _ := newCartStore(t)
	ctx := context.Background()
	put(t, s, "user", line(1, 1, 10), line(2, 1, 10))
	put(t, s, "guest", line(2, 1, 10), line(3, 1, 10), line(4, 1, 10), line(5, 1, 10))
	limits := map[cart.Key]int{{ProductID: 2}: 9, {ProductID: 3}: 9, {ProductID: 4}: 9, {ProductID: 5}: 9}
	got, err := s.Merge(ctx, "guest", "user", limits, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []cart.Merged{
		{Line: line(2, 1, 10), Before: 1, After: 2},
		{Line: line(3, 1, 10), Before: 0, After: 1},
		{Line: line(4, 1, 10), Full: true},
		{Line: line(5, 1, 10), Full: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Merge =\n%+v\nwant\n%+v", got, want)
	}
	if n, _ := s.Count(ctx, "user"); n != 3 {
		t.Fatalf("user cart has %d lines, want 3", n)
	}
}

// A guest cart that gained a line since it was read is not merged: Conflict,
// and both carts as they were.
func TestCartStoreMergeRefusesAChangedGuestCart(t *testing.T) {
	t.Parallel()
	s, _, _ := newCartStore(t)
	ctx := context.Background()
	put(t, s, "user", line(1, 1, 10))
	put(t, s, "guest", line(1, 1, 10), line(2, 1, 10))
	_, err := s.Merge(ctx, "guest", "user", map[cart.Key]int{{ProductID: 1}: 9}, cart.MaxLines)
	if apperr.Code(err) != apperr.Conflict {
		t.Fatalf("Merge = %v, want Conflict", err)
	}
	if got := lines(t, s, "user"); !reflect.DeepEqual(got, []cart.Line{line(1, 1, 10)}) {
		t.Errorf("user cart = %+v", got)
	}
	if got := lines(t, s, "guest"); len(got) != 2 {
		t.Errorf("guest cart = %+v", got)
	}
}

// Merging an empty or missing cart creates no cart.
func TestCartStoreMergeOfNothing(t *testing.T) {
	t.Parallel()
	s, rdb, prefix := newCartStore(t)
	got, err := s.Merge(context.Background(), "guest", "user", nil, cart.MaxLines)
	if err != nil || len(got) != 0 {
		t.Fatalf("Merge = %+v, %v", got, err)
	}
	if n := rdb.Exists(context.Background(), prefix+"cart:user").Val(); n != 0 {
		t.Fatal("an empty user cart was created")
	}
}

func TestCartStoreAdd(t *testing.T) {
	t.Parallel()
	s, rdb, prefix := newCartStore(t)
	ctx := context.Background()
	put(t, s, "c", line(1, 3, 100), line(2, 1, 200))
	rdb.Expire(ctx, prefix+"cart:c", time.Minute)
	steps := []struct {
		name     string
		l        cart.Line
		limit    int
		maxLines int
		want     cart.Added
	}{
		{"grow a line, new price seen", line(1, 2, 110), 10, 3, cart.Added{Before: 3, After: 5}},
		{"grow it to its limit", line(1, 5, 110), 10, 3, cart.Added{Before: 5, After: 10}},
		{"past its limit", line(1, 1, 120), 10, 3, cart.Added{Before: 10, After: 10}},
		{"a new line", line(3, 2, 50), 9, 3, cart.Added{Before: 0, After: 2}},
		{"a new line past the cap", line(4, 1, 40), 9, 3, cart.Added{Full: true}},
		{"a held line of a full cart", line(2, 1, 200), 9, 3, cart.Added{Before: 1, After: 2}},
		{"a new line past its limit", line(5, 4, 60), 3, 9, cart.Added{}},
	}
	for _, st := range steps {
		got, err := s.Add(ctx, "c", st.l, st.limit, st.maxLines)
		if err != nil || got != st.want {
			t.Fatalf("%s: Add = %+v, %v; want %+v", st.name, got, err, st.want)
		}
	}
	want := []cart.Line{line(1, 10, 110), line(2, 2, 200), line(3, 2, 50)}
	if got := lines(t, s, "c"); !reflect.DeepEqual(got, want) {
		t.Fatalf("cart = %+v, want %+v", got, want)
	}
	if ttl := rdb.TTL(ctx, prefix+"cart:c").Val(); ttl < cart.TTL-time.Minute {
		t.Errorf("TTL = %v, want about %v", ttl, cart.TTL)
	}
	// A refused add to an empty cart creates no cart.
	if got, err := s.Add(ctx, "empty", line(1, 5, 10), 3, 9); err != nil || got != (cart.Added{}) {
		t.Fatalf("Add past the limit to an empty cart = %+v, %v", got, err)
	}
	if n := rdb.Exists(ctx, prefix+"cart:empty").Val(); n != 0 {
		t.Fatal("a refused add created a cart")
	}
}

func TestCartStoreSetAndSeePrice(t *testing.T) {
	t.Parallel()
	s, rdb, prefix := newCartStore(t)
	ctx := context.Background()
	put(t, s, "c", line(1, 3, 100))
	rdb.Expire(ctx, prefix+"cart:c", time.Minute)
	if held, err := s.Set(ctx, "c", line(1, 7, 90)); err != nil || !held {
		t.Fatalf("Set of a held line = %v, %v", held, err)
	}
	if held, err := s.Set(ctx, "c", line(2, 1, 10)); err != nil || held {
		t.Fatalf("Set of a line not held = %v, %v; want false", held, err)
	}
	if err := s.SeePrice(ctx, "c", cart.Key{ProductID: 1}, 95); err != nil {
		t.Fatal(err)
	}
	if err := s.SeePrice(ctx, "c", cart.Key{ProductID: 2}, 10); err != nil {
		t.Fatal(err)
	}
	if got, want := lines(t, s, "c"), []cart.Line{line(1, 7, 95)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("cart = %+v, want %+v", got, want)
	}
	if ttl := rdb.TTL(ctx, prefix+"cart:c").Val(); ttl < cart.TTL-time.Minute {
		t.Errorf("TTL = %v, want about %v", ttl, cart.TTL)
	}
	// Neither creates a cart that is not there.
	if held, err := s.Set(ctx, "none", line(1, 1, 10)); err != nil || held {
		t.Fatalf("Set on no cart = %v, %v", held, err)
	}
	if err := s.SeePrice(ctx, "none", cart.Key{ProductID: 1}, 10); err != nil {
		t.Fatal(err)
	}
	if n := rdb.Exists(ctx, prefix+"cart:none").Val(); n != 0 {
		t.Fatal("a cart was created")
	}
}
