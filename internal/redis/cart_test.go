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
