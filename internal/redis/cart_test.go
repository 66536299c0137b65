package redis_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/cart"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"
)

// fixed is the limits of a merge: the same map whatever the lines.
func fixed(limits map[cart.Key]int) cart.MergeLimits {
	return func(context.Context, []cart.Line) (map[cart.Key]int, error) { return limits, nil }
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
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		s := redis.NewCartStore(rdb, prefix)
		ctx := context.Background()
		put(t, s, "user", line(1, 3, 100), line(2, 1, 200))
		put(t, s, "guest", line(1, 2, 90), line(3, 5, 50), line(4, 1, 40), line(5, 4, 60),
			cart.Line{Key: cart.Key{ProductID: 6, OptionID: 7}, Quantity: 1, PriceAtAdd: 70})
		// A field this code never writes is ignored, as Lines ignores it.
		rdb.HSet(ctx, prefix+"cart:guest", "junk", "x")
		rdb.Expire(ctx, prefix+"cart:user", time.Minute)

		limits := map[cart.Key]int{{ProductID: 1}: 10, {ProductID: 3}: 99, {ProductID: 4}: 0, {ProductID: 5}: 2,
			{ProductID: 6, OptionID: 7}: 3}
		got, err := s.Merge(ctx, "guest", "user", fixed(limits), cart.MaxLines)
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
		got, err = s.Merge(ctx, "guest", "user", fixed(limits), cart.MaxLines)
		if err != nil || len(got) != 0 {
			t.Fatalf("second Merge = %+v, %v; want nothing", got, err)
		}
		if got := lines(t, s, "user"); !reflect.DeepEqual(got, wantLines) {
			t.Fatalf("user cart after the second merge = %+v", got)
		}
	})
}

func TestCartStoreMergeKeepsTheLineCap(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		s := redis.NewCartStore(rdb, prefix)
		ctx := context.Background()
		put(t, s, "user", line(1, 1, 10), line(2, 1, 10))
		put(t, s, "guest", line(2, 1, 10), line(3, 1, 10), line(4, 1, 10), line(5, 1, 10))
		limits := map[cart.Key]int{{ProductID: 2}: 9, {ProductID: 3}: 9, {ProductID: 4}: 9, {ProductID: 5}: 9}
		got, err := s.Merge(ctx, "guest", "user", fixed(limits), 3)
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
	})
}

// Merging an empty or missing cart creates no cart.
func TestCartStoreMergeOfNothing(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		s := redis.NewCartStore(rdb, prefix)
		got, err := s.Merge(context.Background(), "guest", "user", fixed(nil), cart.MaxLines)
		if err != nil || len(got) != 0 {
			t.Fatalf("Merge = %+v, %v", got, err)
		}
		if n := rdb.Exists(context.Background(), prefix+"cart:user").Val(); n != 0 {
			t.Fatal("an empty user cart was created")
		}
	})
}

func TestCartStoreAdd(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		s := redis.NewCartStore(rdb, prefix)
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
	})
}

func TestCartStoreSetAndSeePrice(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		s := redis.NewCartStore(rdb, prefix)
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
	})
}

// failScript is a go-redis hook that fails the scripts whose keys match
// while on is set, to stop a merge between its steps.
type failScript struct {
	on    *atomic.Bool
	match func(keys []string) bool
}

func (failScript) DialHook(next goredis.DialHook) goredis.DialHook { return next }

func (f failScript) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		args := cmd.Args()
		if name := cmd.Name(); (name == "evalsha" || name == "eval") && len(args) > 2 {
			n, _ := args[2].(int)
			keys := make([]string, 0, n)
			for i := 3; i < 3+n && i < len(args); i++ {
				k, _ := args[i].(string)
				keys = append(keys, k)
			}
			if f.on.Load() && f.match(keys) {
				err := errors.New("injected failure")
				cmd.SetErr(err)
				return err
			}
		}
		return next(ctx, cmd)
	}
}

func (failScript) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return next
}

// A merge that stops between its steps — after the guest's lines were
// taken aside, or after they were added to the user's cart — is finished by
// the next Merge: every guest line arrives once, and the guest keys are
// gone. A guest line added while the first merge was stopped arrives too.
func TestCartStoreMergeFinishesAStoppedMerge(t *testing.T) {
	t.Parallel()
	stops := []struct {
		name string
		at   func(keys []string) bool
	}{
		{"after take", func(keys []string) bool { return len(keys) == 2 && strings.Contains(keys[1], ":merged:") }},
		{"after apply", func(keys []string) bool { return len(keys) == 1 && strings.HasSuffix(keys[0], ":merging") }},
	}
	for _, stop := range stops {
		t.Run(stop.name, func(t *testing.T) {
			t.Parallel()
			eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
				ctx := context.Background()
				s := redis.NewCartStore(rdb, prefix)
				put(t, s, "user", line(1, 1, 10))
				put(t, s, "guest", line(1, 2, 10), line(2, 1, 20))
				limits := fixed(map[cart.Key]int{{ProductID: 1}: 9, {ProductID: 2}: 9, {ProductID: 3}: 9})

				var on atomic.Bool
				rdb.AddHook(failScript{on: &on, match: stop.at})
				on.Store(true)
				_, err := s.Merge(ctx, "guest", "user", limits, cart.MaxLines)
				on.Store(false)
				if err == nil {
					t.Fatal("the stopped merge answered no error")
				}
				if n, _ := s.Count(ctx, "guest"); n != 0 {
					t.Fatalf("the guest cart shows %d lines while its merge is pending, want them taken aside", n)
				}
				put(t, s, "guest", line(3, 1, 30)) // another tab adds meanwhile

				got, err := s.Merge(ctx, "guest", "user", limits, cart.MaxLines)
				if err != nil {
					t.Fatal(err)
				}
				moved := 0
				for _, m := range got {
					if m.After > m.Before {
						moved++
					}
				}
				want := []cart.Line{line(1, 3, 10), line(2, 1, 20), line(3, 1, 30)}
				if l := lines(t, s, "user"); !reflect.DeepEqual(l, want) {
					t.Fatalf("user cart = %+v, want %+v (no line lost or doubled)", l, want)
				}
				if stop.name == "after take" && moved != 3 || stop.name == "after apply" && moved != 1 {
					t.Errorf("the second merge reports %d lines moved (%+v)", moved, got)
				}
				keys, _ := testutil.RedisKeys(ctx, rdb, "*"+prefix+"cart:guest*")
				if len(keys) != 0 {
					t.Errorf("guest keys left: %v", keys)
				}
				// Again: nothing.
				if got, err := s.Merge(ctx, "guest", "user", limits, cart.MaxLines); err != nil || len(got) != 0 {
					t.Fatalf("third Merge = %+v, %v", got, err)
				}
			})
		})
	}
}

// The guest's lines merged twice at once (two sign-ins) arrive once.
func TestCartStoreMergeTwiceAtOnce(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		ctx := context.Background()
		s := redis.NewCartStore(rdb, prefix)
		limits := fixed(map[cart.Key]int{{ProductID: 1}: 99, {ProductID: 2}: 99})
		for round := range 10 {
			put(t, s, "guest", line(1, 1, 10), line(2, 2, 20))
			var wg sync.WaitGroup
			var moved atomic.Int64
			for range 2 {
				wg.Go(func() {
					got, err := s.Merge(ctx, "guest", "user", limits, cart.MaxLines)
					if err != nil {
						t.Error(err)
					}
					moved.Add(int64(len(got)))
				})
			}
			wg.Wait()
			if moved.Load() != 2 {
				t.Fatalf("round %d: the merges reported %d lines, want 2 in all", round, moved.Load())
			}
			want := []cart.Line{line(1, round+1, 10), line(2, 2*(round+1), 20)}
			if got := lines(t, s, "user"); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d: user cart = %+v, want %+v", round, got, want)
			}
		}
	})
}

// Adds made at once all count, and none passes the line's limit or the
// line cap (issue 12: 20 "+1" left 2–7; 79 adds left 80 lines).
func TestCartStoreConcurrentAdds(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		ctx := context.Background()
		s := redis.NewCartStore(rdb, prefix)
		put(t, s, "c", line(1, 1, 10))
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				if _, err := s.Add(ctx, "c", line(1, 1, 10), 30, cart.MaxLines); err != nil {
					t.Error(err)
				}
			})
		}
		for p := range 79 {
			wg.Go(func() {
				if _, err := s.Add(ctx, "c", line(int64(100+p), 1, 10), 9, cart.MaxLines); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		ls := lines(t, s, "c")
		if len(ls) != cart.MaxLines {
			t.Fatalf("cart has %d lines after 80 adds at once, want the cap %d", len(ls), cart.MaxLines)
		}
		if ls[0].ProductID != 1 || ls[0].Quantity != 21 {
			t.Errorf("20 adds of 1 to a line of 1 left %+v, want 21", ls[0])
		}
	})
}

// TestCartStoreNotices: notices kept for a cart are read once, expire with
// cart.NoticeTTL, and an empty set forgets what was kept; on a Cluster the
// key shares the cart's slot.
func TestCartStoreNotices(t *testing.T) {
	t.Parallel()
	eachRedis(t, func(t *testing.T, rdb goredis.UniversalClient, prefix string) {
		ctx := context.Background()
		s := redis.NewCartStore(rdb, prefix)
		if got, err := s.TakeNotices(ctx, "c1"); err != nil || got != nil {
			t.Fatalf("nothing kept: %q, %v", got, err)
		}
		want := []string{"'사과'은(는) 품절되어 담지 못했습니다.", "두 번째"}
		if err := s.SetNotices(ctx, "c1", want); err != nil {
			t.Fatal(err)
		}
		key := "{" + prefix + "cart:c1}:notices"
		if ttl := rdb.TTL(ctx, key).Val(); ttl <= 0 || ttl > cart.NoticeTTL {
			t.Errorf("TTL %v, want up to %v", ttl, cart.NoticeTTL)
		}
		if got, err := s.TakeNotices(ctx, "c1"); err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("first take: %q, %v", got, err)
		}
		if got, err := s.TakeNotices(ctx, "c1"); err != nil || got != nil {
			t.Fatalf("second take: %q, %v (want none: a reload shows them no more)", got, err)
		}
		if err := s.SetNotices(ctx, "c1", want); err != nil {
			t.Fatal(err)
		}
		if err := s.SetNotices(ctx, "c1", nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.TakeNotices(ctx, "c1"); got != nil {
			t.Errorf("after an empty set: %q", got)
		}
	})
}
