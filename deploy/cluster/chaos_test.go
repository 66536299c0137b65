//go:build chaos

package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/testutil"
)

// TestChaos is the fault suite (`make chaos`; a short run in `make test`):
// a stack of its own — PostgreSQL, Redis (AOF everysec), Meilisearch and
// stripe-mock on private ports and data, DURE_CLUSTER_SIZE (2) `dure
// serve` behind nginx (scripts/cluster) — under a bounded mixed load
// (browse, category, search, cart, checkout, pay, cancel), while Redis,
// Meilisearch, PostgreSQL, stripe-mock and one instance are killed in
// turn and brought back. It fails on any broken invariant: a 5xx outside
// the 503s of an outage, an order, payment or cancellation the buyer saw
// and the database lost, a charge without its order, stock that moved by
// other than what orders hold, a cart write lost beyond the AOF's last
// second, a panic; money and stock are checked in SQL after the run.
// Times (how long each part took to come back) are reported, never
// asserted. CHAOS_OUTAGE (4s), CHAOS_CALM (3s), CHAOS_WORKERS (3) and
// CHAOS_PAUSE (20ms between a worker's requests) size the run; with
// CHAOS_OUT set the table is also written to that file.
func TestChaos(t *testing.T) {
	c := startChaos(t)
	c.initial = c.stock()
	c.lastOrder = int64(c.s.count(`SELECT coalesce(max(id), 0) FROM orders`))
	if n := c.s.count(optionDrift); n != 0 {
		t.Fatalf("%d products whose options do not sum to their stock before the run", n)
	}

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range envInt("CHAOS_WORKERS", 3) {
		wg.Add(1)
		go func() { defer wg.Done(); c.work(ctx, w) }()
	}
	c.began = time.Now()
	calm, outage := envDuration("CHAOS_CALM", 3*time.Second), envDuration("CHAOS_OUTAGE", 4*time.Second)
	time.Sleep(calm)
	for _, f := range c.faults() {
		c.inject(f, outage)
		time.Sleep(calm)
	}
	stop()
	wg.Wait()
	c.ended = time.Now()
	c.settle()
	c.report()
}

// chaos is the stack under faults and what the load saw.
type chaos struct {
	s      *stack
	pg     *testutil.PrivatePostgres
	redis  *testutil.PrivateRedis
	meili  *testutil.MeiliServer
	stripe *testutil.PrivateStripe

	products   []int64
	categories []string
	words      []string
	initial    map[int64]int
	lastOrder  int64 // the last order before the run: the demo history's invoice orders

	mu         sync.Mutex
	requests   []request
	orders     map[string]*seen // order number → what its buyer was told
	keepers    []*keeper
	faultsDone []*fault
	redisKill  time.Time
	health     *http.Client // for the instances' /healthz

	began, ended time.Time
}

// request is one answer the load got (status 0: no answer).
type request struct {
	start, end   time.Time
	method, path string
	status       int
	err          error
}

// seen is what a buyer was told about an order.
type seen struct{ paid, cancelled bool }

// keeper is a buyer who only adds to a cart: every 201 is one unit the
// cart must still hold at the end.
type keeper struct {
	b    *buyer
	acks []time.Time
}

// fault is one part killed and brought back; from/back/ok are when it was
// killed, running again, and seen working again through the shop.
type fault struct {
	name          string
	kill, start   func()
	probe         func() bool
	from, back    time.Time
	ok            time.Time
	recoverFailed bool
}

func startChaos(t *testing.T) *chaos {
	c := &chaos{orders: map[string]*seen{}, health: &http.Client{Timeout: 3 * time.Second}}
	c.pg = testutil.StartPostgres(t)
	c.redis = testutil.StartRedis(t)
	c.meili = testutil.StartMeili(t)
	c.stripe = testutil.StartStripeMock(t)
	pool := c.pg.NewDB(t)
	testutil.SeedDemo(t, pool)
	s := &stack{t: t, root: testutil.RepoRoot(t), dir: t.TempDir(), port: freeBase(t), size: 2, pool: pool}
	s.env = append(os.Environ(),
		"DURE_ENV=development",
		"DURE_CLUSTER_SIZE="+strconv.Itoa(s.size),
		"DURE_DATABASE_URL="+pool.Config().ConnString(),
		"DURE_REDIS_URL=redis://"+c.redis.Addr+"/0",
		"DURE_MEILI_URL="+c.meili.URL,
		"DURE_MEILI_KEY="+c.meili.Key,
		"DURE_MEILI_INDEX=products",
		"DURE_STRIPE_API_BASE="+c.stripe.URL,
		"DURE_CLUSTER_DIR="+s.dir,
		"DURE_CLUSTER_PORT="+strconv.Itoa(s.port),
		"DURE_UPLOAD_DIR="+s.dir+"/uploads",
		"DURE_ORDER_INTERVAL=200ms",
		"DURE_RECONCILE_AFTER=2s",
		"DURE_RECONCILE_INTERVAL=1s",
		"DURE_LOG_LEVEL=info",
	)
	c.s = s
	t.Cleanup(func() { s.script("down") })
	s.script("up")

	c.products = s.products(6)
	// Enough stock for the longest run: a product sold out would fail every
	// purchase of it, fault or none (the 15 s run sold ~300 units of each).
	if _, err := s.pool.Exec(context.Background(), `UPDATE products SET stock = 100000 WHERE id = ANY($1)`, c.products); err != nil {
		t.Fatal(err)
	}
	c.categories = c.strings(`SELECT slug FROM categories ORDER BY id LIMIT 8`)
	c.words = c.strings(`SELECT DISTINCT split_part(name, ' ', 1) FROM products WHERE status = 'active' ORDER BY 1 LIMIT 12`)
	if len(c.categories) == 0 || len(c.words) == 0 {
		t.Fatalf("demo catalogue: %d categories, %d search words", len(c.categories), len(c.words))
	}
	return c
}

func (c *chaos) strings(sql string) []string {
	rows, err := c.s.pool.Query(context.Background(), sql)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			c.s.t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// stock is every product's stock.
func (c *chaos) stock() map[int64]int {
	rows, err := c.s.pool.Query(context.Background(), `SELECT id, stock FROM products`)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer rows.Close()
	m := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			c.s.t.Fatal(err)
		}
		m[id] = n
	}
	return m
}

// buyer returns a new browser whose requests are counted.
func (c *chaos) buyer() *buyer {
	b := newBuyer(c.s.t)
	b.client.Timeout = 20 * time.Second
	b.rec = func(start time.Time, method, path string, status int, err error) {
		c.mu.Lock()
		c.requests = append(c.requests, request{start: start, end: time.Now(), method: method, path: path, status: status, err: err})
		c.mu.Unlock()
	}
	return b
}

// work is one worker's loop until ctx ends: mostly browsing, some cart
// adds (a keeper's), some whole purchases, a third of them cancelled.
func (c *chaos) work(ctx context.Context, w int) {
	rng := rand.New(rand.NewPCG(uint64(w), 42))
	pause := envDuration("CHAOS_PAUSE", 20*time.Millisecond)
	browser := c.buyer()
	get := func(path string) { _, _, _ = browser.do("GET", c.s.nginx()+path, "", "") }
	var k *keeper
	for ctx.Err() == nil {
		switch r := rng.IntN(100); {
		case r < 35:
			get(fmt.Sprintf("/p/%d", c.products[rng.IntN(len(c.products))]))
		case r < 50:
			get("/c/" + c.categories[rng.IntN(len(c.categories))])
		case r < 65:
			get("/search?q=" + c.words[rng.IntN(len(c.words))])
		case r < 88:
			if k == nil || len(k.acks) >= 24 {
				if k != nil {
					k.b.client.CloseIdleConnections()
				}
				k = &keeper{b: c.buyer()}
				c.mu.Lock()
				c.keepers = append(c.keepers, k)
				c.mu.Unlock()
			}
			c.keep(k)
		default:
			c.purchase(rng.IntN(3) == 0, c.products[rng.IntN(len(c.products))])
		}
		time.Sleep(pause)
	}
}

// keep adds one unit to one of 8 lines of the keeper's cart.
func (c *chaos) keep(k *keeper) {
	p := c.products[len(k.acks)%len(c.products)]
	resp, _, err := k.b.do("POST", c.s.nginx()+"/api/v1/cart/items", "application/json", fmt.Sprintf(`{"product_id":%d,"quantity":1}`, p))
	if err == nil && resp.StatusCode == http.StatusCreated {
		c.mu.Lock()
		k.acks = append(k.acks, time.Now())
		c.mu.Unlock()
	}
}

// purchase buys one unit and, if cancel, cancels the paid order.
func (c *chaos) purchase(cancel bool, product int64) bool {
	b := c.buyer()
	defer b.client.CloseIdleConnections()
	number, err := c.s.buy(b, product)
	if number != "" {
		c.mu.Lock()
		c.orders[number] = &seen{paid: err == nil}
		c.mu.Unlock()
	}
	if err != nil || !cancel {
		return err == nil
	}
	resp, page, err := b.do("GET", c.s.nginx()+"/orders/"+number, "", "")
	if err != nil || resp.StatusCode != http.StatusOK {
		return true
	}
	form := hidden(c.s.t, page, "form.cancel-form")
	form.Set("phone", "010-1234-5678")
	resp, _, err = b.do("POST", c.s.nginx()+"/orders/"+number+"/cancel", formType, form.Encode())
	if err == nil && resp.StatusCode == http.StatusSeeOther {
		c.mu.Lock()
		c.orders[number].cancelled = true
		c.mu.Unlock()
	}
	return true
}

// faults are the parts killed in turn, each with what shows it is back.
func (c *chaos) faults() []*fault {
	healthy := func(dep string) func() bool {
		return func() bool {
			for i := 1; i <= c.s.size; i++ {
				if c.checks(i)[dep] != "up" {
					return false
				}
			}
			return true
		}
	}
	probeCart := func() bool {
		b := newBuyer(c.s.t)
		defer b.client.CloseIdleConnections()
		resp, _, err := b.do("POST", c.s.nginx()+"/api/v1/cart/items", "application/json", fmt.Sprintf(`{"product_id":%d,"quantity":1}`, c.products[0]))
		return err == nil && resp.StatusCode == http.StatusCreated
	}
	const victim = 2
	return []*fault{
		{name: "Redis (SIGKILL, AOF everysec)", kill: func() {
			c.mu.Lock()
			c.redisKill = time.Now()
			c.mu.Unlock()
			c.redis.Kill()
		}, start: c.redis.Start, probe: func() bool { return healthy("redis")() && probeCart() }},
		{name: "Meilisearch (SIGKILL)", kill: c.meili.Stop, start: c.meili.Start, probe: healthy("meilisearch")},
		{name: "PostgreSQL (immediate stop)", kill: c.pg.Stop, start: c.pg.Start, probe: func() bool {
			if !healthy("postgres")() {
				return false
			}
			b := newBuyer(c.s.t)
			defer b.client.CloseIdleConnections()
			resp, _, err := b.do("GET", fmt.Sprintf("%s/p/%d", c.s.nginx(), c.products[0]), "", "")
			return err == nil && resp.StatusCode == http.StatusOK
		}},
		{name: "stripe-mock (SIGKILL)", kill: c.stripe.Stop, start: c.stripe.Start, probe: func() bool {
			return healthy("stripe-mock")() && c.purchase(false, c.products[1])
		}},
		{name: fmt.Sprintf("app instance %d of %d (SIGKILL)", victim, c.s.size), kill: func() {
			raw, err := os.ReadFile(fmt.Sprintf("%s/app-%d.pid", c.s.dir, victim))
			if err != nil {
				c.s.t.Fatal(err)
			}
			pid, _ := strconv.Atoi(strings.TrimSpace(string(raw)))
			_ = syscall.Kill(pid, syscall.SIGKILL)
			for syscall.Kill(pid, 0) == nil {
				time.Sleep(20 * time.Millisecond)
			}
		}, start: func() { c.s.script("start", strconv.Itoa(victim)) }, probe: func() bool {
			resp, err := (&http.Client{Timeout: 3 * time.Second}).Get(c.s.instance(victim) + "/healthz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		}},
	}
}

// checks is instance i's public /healthz: up or down per dependency.
func (c *chaos) checks(i int) map[string]string {
	resp, err := c.health.Get(c.s.instance(i) + "/healthz")
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var h struct {
		Checks map[string]string `json:"checks"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&h)
	return h.Checks
}

// inject kills f's part, keeps it down for outage, starts it again and
// waits (up to a minute) until its probe passes.
func (c *chaos) inject(f *fault, outage time.Duration) {
	c.s.t.Logf("chaos: killing %s", f.name)
	f.from = time.Now()
	f.kill()
	time.Sleep(outage)
	f.start()
	f.back = time.Now()
	deadline := f.back.Add(time.Minute)
	for !f.probe() {
		if time.Now().After(deadline) {
			f.recoverFailed = true
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	f.ok = time.Now()
	c.s.t.Logf("chaos: %s back after %v, working after %v more", f.name, f.back.Sub(f.from).Round(time.Millisecond), f.ok.Sub(f.back).Round(time.Millisecond))
	c.mu.Lock()
	c.faultsDone = append(c.faultsDone, f)
	c.mu.Unlock()
}

// settle waits (up to a minute) for the order worker to confirm every
// refund a cancellation asked for while stripe-mock or PostgreSQL was down.
func (c *chaos) settle() {
	deadline := time.Now().Add(time.Minute)
	for c.s.count(`SELECT count(*) FROM refunds WHERE provider_ref IS NULL`) > 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
}

// optionDrift counts products with options whose options' stock does not
// add up to the product's.
const optionDrift = `SELECT count(*) FROM products p
	WHERE EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)
	  AND p.stock <> (SELECT sum(o.stock) FROM product_options o WHERE o.product_id = p.id)`

// invariants are the money and stock rules checked in SQL after the run;
// each query counts the rows that break its rule.
var invariants = []struct{ name, sql string }{
	{"negative stock", `SELECT (SELECT count(*) FROM products WHERE stock < 0) + (SELECT count(*) FROM product_options WHERE stock < 0)`},
	{"options not summing to the product's stock", optionDrift},
	{"payments refunded more than once", `SELECT count(*) FROM (SELECT payment_id FROM refunds GROUP BY payment_id HAVING count(*) > 1) x`},
	{"payments refunded more than paid", `SELECT count(*) FROM payments p WHERE p.refunded_amount > p.amount
		OR (SELECT coalesce(sum(r.amount), 0) FROM refunds r WHERE r.payment_id = p.id) > p.amount`},
	{"cancelled orders still holding money", `SELECT count(*) FROM orders o JOIN payments p ON p.order_id = o.id
		WHERE o.status = 'cancelled' AND p.status = 'succeeded' AND p.refunded_amount < p.amount`},
	{"refunds never confirmed", `SELECT count(*) FROM refunds WHERE provider_ref IS NULL`},
	{"card orders paid without a charge", `SELECT count(*) FROM orders o WHERE o.payment_terms = 'card' AND o.status IN ('paid', 'completed')
		AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status IN ('succeeded', 'refunded'))`},
	{"charges without a paid order", `SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id
		WHERE p.status = 'succeeded' AND o.status NOT IN ('paid', 'completed', 'cancelled')`},
	{"orders without lines", `SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)`},
}

// report checks every invariant, prints the table and fails the test on
// any broken one.
func (c *chaos) report() {
	t := c.s.t
	var fails []string
	fail := func(format string, args ...any) { fails = append(fails, fmt.Sprintf(format, args...)) }

	// Requests: 5xx and transport errors inside a fault's window (its kill
	// to 2 s after it worked again) are the outage's; outside, none.
	per := make([]tally, len(c.faultsDone))
	var total, outside tally
	shown := map[int]int{} // examples told per window
	for _, r := range c.requests {
		total.requests++
		in := -1
		for i, f := range c.faultsDone {
			if !r.end.Before(f.from) && !r.start.After(f.ok.Add(2*time.Second)) {
				in = i
				break
			}
		}
		tl := &outside
		if in >= 0 {
			tl = &per[in]
		}
		tl.requests++
		switch {
		case r.status == 0:
			tl.noAnswer++
		case r.status == http.StatusServiceUnavailable:
			tl.s503++
		case r.status >= 500:
			tl.s5xx++
			total.s5xx++
			if shown[in]++; shown[in] <= 5 {
				fail("%s %s answered %d (%s)", r.method, r.path, r.status, c.window(in))
			}
		}
		if r.status == 0 && in < 0 {
			fail("%s %s: no answer outside any outage: %v", r.method, r.path, r.err)
		}
	}
	if outside.s503 > 0 {
		fail("%d answers 503 outside any outage", outside.s503)
	}

	// Orders: every one a buyer was shown exists, paid ones are paid (or
	// cancelled by their buyer), cancelled ones are cancelled.
	var lost, paid, cancelled int
	for number, sw := range c.orders {
		var status string
		err := c.s.pool.QueryRow(context.Background(), `SELECT status FROM orders WHERE number = $1`, number).Scan(&status)
		switch {
		case err != nil:
			lost++
			fail("order %s shown to its buyer is not in the database: %v", number, err)
		case sw.cancelled && status != "cancelled":
			lost++
			fail("order %s: its buyer was told it was cancelled; it is %s", number, status)
		case sw.paid && status != "paid" && status != "completed" && status != "cancelled":
			lost++
			fail("order %s: its buyer was told it was paid; it is %s", number, status)
		}
		if sw.paid {
			paid++
		}
		if sw.cancelled {
			cancelled++
		}
	}

	// Carts: every acknowledged unit is still in its cart, but for the
	// writes of the last seconds before Redis was killed (AOF everysec).
	var units, unitsLost, cartsLost, inWindow int
	for _, k := range c.keepers {
		resp, body, err := k.b.do("GET", c.s.nginx()+"/api/v1/cart", "", "")
		if err != nil || resp.StatusCode != http.StatusOK {
			fail("GET /api/v1/cart after the run: %v %v", err, resp)
			continue
		}
		var cart struct {
			Data struct {
				Lines []struct {
					Quantity int `json:"quantity"`
				} `json:"lines"`
			} `json:"data"`
		}
		_ = json.Unmarshal([]byte(body), &cart)
		held := 0
		for _, l := range cart.Data.Lines {
			held += l.Quantity
		}
		units += len(k.acks)
		if held >= len(k.acks) {
			continue
		}
		cartsLost++
		unitsLost += len(k.acks) - held
		recent := 0
		for _, a := range k.acks {
			if a.Before(c.redisKill) && c.redisKill.Sub(a) <= 2*time.Second {
				recent++
			}
		}
		inWindow += min(recent, len(k.acks)-held)
		if len(k.acks)-held > recent {
			fail("a cart lost %d of %d acknowledged units, only %d of them written in the 2 s before Redis was killed", len(k.acks)-held, len(k.acks), recent)
		}
	}

	// Stock: each product's stock moved by exactly what the run's orders
	// hold (the demo history's orders were made before c.initial).
	held := map[int64]int{}
	rows, err := c.s.pool.Query(context.Background(), `SELECT l.product_id, sum(l.quantity) FROM order_lines l
		JOIN orders o ON o.id = l.order_id WHERE o.status <> 'cancelled' AND o.id > $1 GROUP BY l.product_id`, c.lastOrder)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		held[id] = n
	}
	rows.Close()
	drift := 0
	for id, now := range c.stock() {
		if want := c.initial[id] - held[id]; now != want {
			drift++
			fail("product %d: stock %d, want %d (%d before, %d held by orders)", id, now, want, c.initial[id], held[id])
		}
	}
	money := map[string]int{}
	for _, inv := range invariants {
		n := c.s.count(inv.sql)
		money[inv.name] = n
		if n != 0 {
			fail("%s: %d", inv.name, n)
		}
	}

	// The instances' logs are kept in var/chaos for a look after the run.
	panics := 0
	_ = os.MkdirAll(c.s.root+"/var/chaos", 0o755)
	for i := 1; i <= c.s.size; i++ {
		b, _ := os.ReadFile(fmt.Sprintf("%s/app-%d.log", c.s.dir, i))
		panics += len(regexp.MustCompile(`(?i)panic`).FindAll(b, -1))
		_ = os.WriteFile(fmt.Sprintf("%s/var/chaos/app-%d.log", c.s.root, i), b, 0o644)
	}
	if panics > 0 {
		fail("%d panics in the instances' logs", panics)
	}
	for _, f := range c.faultsDone {
		if f.recoverFailed {
			fail("%s: not working again a minute after it was back", f.name)
		}
	}
	orders := c.s.count(`SELECT count(*) FROM orders`)

	var b strings.Builder
	fmt.Fprintf(&b, "Run %s on %d CPUs, load average %s; %s of load (%d workers), outages of %s; %d app instances behind nginx.\n\n",
		c.began.UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), loadavg(), c.ended.Sub(c.began).Round(time.Second),
		envInt("CHAOS_WORKERS", 3), envDuration("CHAOS_OUTAGE", 4*time.Second), c.s.size)
	b.WriteString("| fault | down for | working again after restart | requests in window | 503 | other 5xx | no answer |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for i, f := range c.faultsDone {
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %d | %d | %d |\n", f.name, secs(f.back.Sub(f.from)), secs(f.ok.Sub(f.back)),
			per[i].requests, per[i].s503, per[i].s5xx, per[i].noAnswer)
	}
	fmt.Fprintf(&b, "| (outside any fault) |  |  | %d | %d | %d | %d |\n\n", outside.requests, outside.s503, outside.s5xx, outside.noAnswer)
	b.WriteString("| check | result |\n| --- | ---: |\n")
	row := func(name string, v any) { fmt.Fprintf(&b, "| %s | %v |\n", name, v) }
	row("requests", total.requests)
	row("5xx outside the 503s of an outage", total.s5xx)
	row("orders made (paid by their buyer / then cancelled)", fmt.Sprintf("%d (%d / %d)", orders, paid, cancelled))
	row("orders lost (shown to a buyer, missing or in another state)", lost)
	row("charges without a paid order", money["charges without a paid order"])
	row("card orders paid without a charge", money["card orders paid without a charge"])
	row("cancelled orders still holding money", money["cancelled orders still holding money"])
	row("payments refunded more than once / more than paid", fmt.Sprintf("%d / %d", money["payments refunded more than once"], money["payments refunded more than paid"]))
	row("carts lost (units lost of acknowledged; of them in the 2 s before the Redis kill)", fmt.Sprintf("%d (%d of %d; %d)", cartsLost, unitsLost, units, inWindow))
	row("stock drift (products) / negative stock / options not summing", fmt.Sprintf("%d / %d / %d", drift, money["negative stock"], money["options not summing to the product's stock"]))
	row("panics", panics)
	table := b.String()
	t.Log("\n" + table)
	if out := os.Getenv("CHAOS_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(table), 0o644); err != nil {
			t.Error(err)
		}
	}
	for _, f := range fails {
		t.Error(f)
	}
}

// tally counts the answers of one window.
type tally struct{ requests, s503, s5xx, noAnswer int }

// window names fault i's window (-1: outside every fault).
func (c *chaos) window(i int) string {
	if i < 0 {
		return "outside any fault"
	}
	return "during " + c.faultsDone[i].name
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
