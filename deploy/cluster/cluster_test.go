//go:build cluster

// Package cluster runs scripts/cluster (three `dure serve` behind nginx) on
// a database of its own and checks what several instances must keep: a
// buyer's cart, session and checkout continue on whichever instance the
// next request reaches; the order worker acts once across instances; an
// instance stopped by SIGTERM under a checkout load finishes what it
// started and leaves nothing half-written. `make cluster-test` (and so
// `make test`) runs it: go test -tags cluster ./deploy/cluster/.
package cluster

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/testutil"
)

func start(t *testing.T) *stack {
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	s := &stack{t: t, root: testutil.RepoRoot(t), dir: t.TempDir(), port: freeBase(t), size: 3, pool: pool}
	s.env = append(os.Environ(),
		"DURE_ENV=development",
		"DURE_DATABASE_URL="+pool.Config().ConnString(),
		"DURE_MEILI_INDEX="+testutil.NewMeiliIndex(t),
		"DURE_CLUSTER_DIR="+s.dir,
		"DURE_CLUSTER_PORT="+strconv.Itoa(s.port),
		"DURE_UPLOAD_DIR="+s.dir+"/uploads",
		"DURE_ORDER_INTERVAL=100ms",
		"DURE_LOG_LEVEL=info",
	)
	t.Cleanup(func() { s.script("down") })
	s.script("up")
	return s
}

// buyer is one browser: a cookie jar and a loopback source address of its
func TestCluster(t *testing.T) {
	s := start(t)

	// A cart filled on instance 1 is the cart instance 2 shows and
	// instance 3 checks out; the payment page opened on instance 1 is paid
	// on instance 2 and its order shown on instance 3. A session begun on
	// instance 1 is signed in on 2 and 3.
	t.Run("a buyer moves between instances", func(t *testing.T) {
		b := newBuyer(t)
		p := s.products(1)[0]
		b.must("POST", s.instance(1)+"/api/v1/cart/items", "application/json", fmt.Sprintf(`{"product_id":%d,"quantity":2}`, p), http.StatusCreated)
		_, cart := b.must("GET", s.instance(2)+"/api/v1/cart", "", "", http.StatusOK)
		if !strings.Contains(cart, fmt.Sprintf(`"product_id":%d`, p)) || !strings.Contains(cart, `"quantity":2`) {
			t.Fatalf("instance 2's cart: %s", cart)
		}
		pay := s.checkout(b, p, s.instance(3), s.instance(1), s.instance(2)) // adds one more: 3 in all
		_, page := b.must("GET", s.instance(1)+pay, "", "", http.StatusOK)
		form := hidden(t, page, `form[action="`+pay+`/test"]`)
		resp, _ := b.must("POST", s.instance(2)+pay+"/test", formType, form.Encode(), http.StatusSeeOther)
		done := resp.Header.Get("Location")
		if !strings.HasSuffix(done, "/complete") {
			t.Fatalf("payment went to %q", done)
		}
		b.must("GET", s.instance(3)+done, "", "", http.StatusOK)
		number := strings.Split(pay, "/")[2]
		if n := s.count(`SELECT count(*) FROM orders o JOIN order_lines l ON l.order_id = o.id
			WHERE o.number = $1 AND o.status = 'paid' AND l.product_id = $2 AND l.quantity = 3`, number, p); n != 1 {
			t.Errorf("order %s: %d paid lines of 3 × product %d, want 1", number, n, p)
		}

		op := newBuyer(t)
		_, page = op.must("GET", s.instance(1)+"/account/signin", "", "", http.StatusOK)
		form = hidden(t, page, `form[action="/account/signin"]`)
		form.Set("email", "operator@dure.test")
		form.Set("password", "dure-demo-2026")
		op.must("POST", s.instance(1)+"/account/signin", formType, form.Encode(), http.StatusSeeOther)
		for _, i := range []int{2, 3} {
			op.must("GET", s.instance(i)+"/admin", "", "", http.StatusOK)
		}
		anon := newBuyer(t)
		if resp, _, err := anon.do("GET", s.instance(2)+"/admin", "", ""); err != nil || resp.StatusCode == http.StatusOK {
			t.Errorf("/admin without a session: %v %v, want a refusal", resp.StatusCode, err)
		}
	})

	// Eight orders left unpaid on different instances run out of time:
	// the three workers cancel each once, the stock comes back once, and
	// the instances' logs add up to eight expiries.
	t.Run("the order worker acts once across instances", func(t *testing.T) {
		ps := s.products(2)
		before := s.count(`SELECT sum(stock) FROM products WHERE id = ANY($1)`, ps)
		var numbers []string
		for i := range 8 {
			b := newBuyer(t)
			inst := s.instance(1 + i%3)
			pay := s.checkout(b, ps[i%2], inst, inst, inst)
			numbers = append(numbers, strings.Split(pay, "/")[2])
		}
		if got := s.count(`SELECT sum(stock) FROM products WHERE id = ANY($1)`, ps); got != before-8 {
			t.Fatalf("stock %d after 8 reservations, want %d", got, before-8)
		}
		if _, err := s.pool.Exec(context.Background(), `UPDATE orders SET reserved_until = now() - interval '1 minute' WHERE number = ANY($1)`, numbers); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for s.count(`SELECT count(*) FROM orders WHERE number = ANY($1) AND status = 'cancelled'`, numbers) < 8 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(500 * time.Millisecond) // a few more passes: none may act again
		if n := s.count(`SELECT count(*) FROM orders WHERE number = ANY($1) AND status = 'cancelled'`, numbers); n != 8 {
			t.Fatalf("%d of 8 expired orders cancelled", n)
		}
		if n := s.count(`SELECT count(*) FROM order_events v JOIN orders o ON o.id = v.order_id
			WHERE o.number = ANY($1) AND v.to_status = 'cancelled' AND v.sub_order_id IS NULL`, numbers); n != 8 {
			t.Errorf("%d cancellation events, want 8", n)
		}
		if got := s.count(`SELECT sum(stock) FROM products WHERE id = ANY($1)`, ps); got != before {
			t.Errorf("stock %d after expiry, want %d (returned once)", got, before)
		}
		if n := s.logged(regexp.MustCompile(`reservations expired.* count=(\d+)`)); n != 8 {
			t.Errorf("the instances' logs count %d expiries, want 8", n)
		}
	})

	// Sixty buyers check out and pay through nginx while instance 2
	// gets SIGTERM: every request is answered below 500, the instance
	// drains and exits cleanly, and afterwards every order is whole: paid
	// with its payment succeeded, or awaiting with its reservation; stock
	// moved by exactly the quantities ordered.
	t.Run("SIGTERM under a checkout load", func(t *testing.T) {
		ps := s.products(4)
		before := s.count(`SELECT sum(stock) FROM products WHERE id = ANY($1)`, ps)
		lastID := s.count(`SELECT coalesce(max(id), 0) FROM orders`)
		var wg sync.WaitGroup
		var paid, failed atomic.Int32
		var mu sync.Mutex
		var errs []string
		for i := range 60 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.buy(newBuyer(t), ps[i%4]); err != nil {
					failed.Add(1)
					mu.Lock()
					errs = append(errs, err.Error())
					mu.Unlock()
					return
				}
				paid.Add(1)
			}()
			if i == 20 {
				go s.script("stop", "2")
			}
			time.Sleep(40 * time.Millisecond)
		}
		wg.Wait()
		for _, e := range errs {
			t.Errorf("buyer: %s", e)
		}
		log, _ := os.ReadFile(s.dir + "/app-2.log")
		if served := strings.Count(string(log), "path=/checkout"); served == 0 {
			t.Errorf("instance 2 served no checkout before it stopped: the load missed it")
		}
		if !strings.Contains(string(log), "msg=stopped") || strings.Contains(string(log), "panic") {
			t.Errorf("instance 2 did not stop cleanly:\n%s", tail(string(log), 10))
		}
		orders := s.count(`SELECT count(*) FROM orders WHERE id > $1`, lastID)
		if orders != int(paid.Load()) {
			t.Errorf("%d new orders, %d buyers paid, %d failed: an order without its buyer or a buyer without an order", orders, paid.Load(), failed.Load())
		}
		if n := s.count(`SELECT count(*) FROM orders o WHERE o.status = 'paid' AND NOT EXISTS
			(SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'succeeded')`); n != 0 {
			t.Errorf("%d paid orders without a succeeded payment", n)
		}
		if n := s.count(`SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id
			WHERE p.status = 'succeeded' AND o.status NOT IN ('paid', 'cancelled')`); n != 0 {
			t.Errorf("%d succeeded payments of orders neither paid nor cancelled (refunded)", n)
		}
		if n := s.count(`SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)`); n != 0 {
			t.Errorf("%d orders without lines", n)
		}
		held := s.count(`SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
			WHERE l.product_id = ANY($1) AND o.status <> 'cancelled' AND o.id > $2`, ps, lastID)
		if got := s.count(`SELECT sum(stock) FROM products WHERE id = ANY($1)`, ps); got != before-held {
			t.Errorf("stock %d, want %d - %d held by the new orders", got, before, held)
		}
		s.script("start", "2")
	})
}
