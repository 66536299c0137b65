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
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/testutil"
)

// stack is the running cluster: nginx on port, instance i on port+i.
type stack struct {
	t    *testing.T
	root string
	env  []string
	dir  string
	port int
	pool *pgxpool.Pool
}

func (s *stack) script(args ...string) {
	s.t.Helper()
	cmd := exec.Command(s.root+"/scripts/cluster", args...)
	cmd.Env = s.env
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Fatalf("scripts/cluster %v: %v\n%s", args, err, out)
	}
}

func (s *stack) nginx() string         { return "http://127.0.0.1:" + strconv.Itoa(s.port) }
func (s *stack) instance(i int) string { return "http://127.0.0.1:" + strconv.Itoa(s.port+i) }

func (s *stack) count(sql string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		s.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// freeBase finds a port base with base..base+13 free on loopback.
func freeBase(t *testing.T) int {
	for range 50 {
		base := 20000 + rand.IntN(20000)
		ok := true
		for i := 0; i <= 13 && ok; i++ {
			ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(base+i))
			if err != nil {
				ok = false
				continue
			}
			ln.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatal("no free port range")
	return 0
}

func start(t *testing.T) *stack {
	pool := testutil.NewDB(t)
	testutil.SeedDemo(t, pool)
	s := &stack{t: t, root: testutil.RepoRoot(t), dir: t.TempDir(), port: freeBase(t), pool: pool}
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
// own (the shop limits checkouts per client address).
type buyer struct {
	t      *testing.T
	client *http.Client
}

var buyers atomic.Int32

func newBuyer(t *testing.T) *buyer {
	jar, _ := cookiejar.New(nil)
	i := int(buyers.Add(1))
	ip := net.IPv4(127, 3, byte(i/250%250), byte(1+i%250))
	return &buyer{t: t, client: &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		Transport: &http.Transport{DisableCompression: true,
			DialContext: (&net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: ip}}).DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends one request; the cookies are per host and port, so the jar is
// told about every instance's address at once (one site for a browser
// behind one name).
func (b *buyer) do(method, u, ctype, body string) (*http.Response, string, error) {
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		return nil, "", err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		b.share(req.URL, c)
	}
	return resp, string(raw), err
}

// share gives every loopback port the cookie one of them set: cookies do
// not depend on the port, but Go's jar keys them by host only when asked
// by host, so this copies them to 127.0.0.1 whatever the port was.
func (b *buyer) share(from *url.URL, c *http.Cookie) {
	b.client.Jar.SetCookies(&url.URL{Scheme: "http", Host: from.Hostname()}, []*http.Cookie{c})
}

// must is do expecting status want.
func (b *buyer) must(method, u, ctype, body string, want int) (*http.Response, string) {
	b.t.Helper()
	resp, text, err := b.do(method, u, ctype, body)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, u, err)
	}
	if resp.StatusCode != want {
		b.t.Fatalf("%s %s: %d, want %d: %.300s", method, u, resp.StatusCode, want, strings.Join(strings.Fields(text), " "))
	}
	return resp, text
}

// hidden returns the hidden fields of the first form matching sel.
func hidden(t *testing.T, page, sel string) url.Values {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	doc.Find(sel).First().Find(`input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	return form
}

func fillCheckout(form url.Values) {
	for k, v := range map[string]string{"buyer_name": "김두레", "buyer_phone": "010-1234-5678", "buyer_email": "cluster@example.kr",
		"recipient": "박수령", "phone": "010-2222-3333", "postcode": "41940", "road": "대구광역시 중구 동덕로 115", "detail": "3층",
		"agree_terms": "1", "agree_privacy": "1"} {
		form.Set(k, v)
	}
}

const formType = "application/x-www-form-urlencoded"

// products returns n in-stock goods without options of active enterprises.
func (s *stack) products(n int) []int64 {
	rows, err := s.pool.Query(context.Background(), `SELECT p.id FROM products p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.status = 'active' AND e.status = 'active' AND p.kind = 'goods' AND p.stock >= 20
		  AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
		ORDER BY p.id LIMIT $1`, n)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			s.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) < n {
		s.t.Fatalf("%d cartable products, want %d", len(ids), n)
	}
	return ids
}

// checkout puts product in the cart on instance a, opens the checkout
// form on b and submits it on c; it returns the payment page's path.
func (s *stack) checkout(b *buyer, product int64, a, fb, c string) string {
	b.t.Helper()
	b.must("POST", a+"/api/v1/cart/items", "application/json", fmt.Sprintf(`{"product_id":%d,"quantity":1}`, product), http.StatusCreated)
	_, page := b.must("GET", fb+"/checkout", "", "", http.StatusOK)
	form := hidden(b.t, page, "form.checkout-form")
	if form.Get("_csrf") == "" || form.Get("checkout_key") == "" {
		b.t.Fatalf("GET %s/checkout: no hidden fields (the cart did not follow?)", fb)
	}
	fillCheckout(form)
	resp, _ := b.must("POST", c+"/checkout", formType, form.Encode(), http.StatusSeeOther)
	pay := resp.Header.Get("Location")
	if !strings.HasPrefix(pay, "/orders/") || !strings.HasSuffix(pay, "/pay") {
		b.t.Fatalf("POST /checkout went to %q", pay)
	}
	return pay
}

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
				if err := s.buy(newBuyer(t), ps[i%4]); err != nil {
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

// buy is one whole purchase through nginx: cart, checkout, test card.
func (s *stack) buy(b *buyer, product int64) error {
	step := func(method, path, ctype, body string, want int) (*http.Response, string, error) {
		resp, text, err := b.do(method, s.nginx()+path, ctype, body)
		if err != nil {
			return nil, "", fmt.Errorf("%s %s: %w", method, path, err)
		}
		if resp.StatusCode != want {
			return nil, "", fmt.Errorf("%s %s: %d, want %d: %.200s", method, path, resp.StatusCode, want, strings.Join(strings.Fields(text), " "))
		}
		return resp, text, nil
	}
	if _, _, err := step("POST", "/api/v1/cart/items", "application/json", fmt.Sprintf(`{"product_id":%d,"quantity":1}`, product), http.StatusCreated); err != nil {
		return err
	}
	_, page, err := step("GET", "/checkout", "", "", http.StatusOK)
	if err != nil {
		return err
	}
	form := hidden(b.t, page, "form.checkout-form")
	fillCheckout(form)
	resp, _, err := step("POST", "/checkout", formType, form.Encode(), http.StatusSeeOther)
	if err != nil {
		return err
	}
	pay := resp.Header.Get("Location")
	if _, page, err = step("GET", pay, "", "", http.StatusOK); err != nil {
		return err
	}
	resp, _, err = step("POST", pay+"/test", formType, hidden(b.t, page, `form[action="`+pay+`/test"]`).Encode(), http.StatusSeeOther)
	if err != nil {
		return err
	}
	if !strings.HasSuffix(resp.Header.Get("Location"), "/complete") {
		return fmt.Errorf("payment went to %q", resp.Header.Get("Location"))
	}
	return nil
}

// logged adds up the first group of re over every instance's log.
func (s *stack) logged(re *regexp.Regexp) int {
	n := 0
	for i := 1; i <= 3; i++ {
		b, _ := os.ReadFile(fmt.Sprintf("%s/app-%d.log", s.dir, i))
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			v, _ := strconv.Atoi(m[1])
			n += v
		}
	}
	return n
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
