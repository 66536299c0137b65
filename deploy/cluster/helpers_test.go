//go:build cluster || chaos

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
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"
)

// stack is the running cluster: nginx on port, instance i on port+i.
type stack struct {
	t    *testing.T
	root string
	env  []string
	dir  string
	port int
	size int // instances (DURE_CLUSTER_SIZE)
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

// buyer is one browser: a cookie jar and a loopback source address of its
// own (the shop limits checkouts per client address). rec, when set, is
// told of every request's outcome (the chaos test counts them).
type buyer struct {
	t      *testing.T
	client *http.Client
	rec    func(start time.Time, method, path string, status int, err error)
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
	start := time.Now()
	resp, err := b.client.Do(req)
	if err != nil {
		if b.rec != nil {
			b.rec(start, method, req.URL.Path, 0, err)
		}
		return nil, "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if b.rec != nil {
		b.rec(start, method, req.URL.Path, resp.StatusCode, err)
	}
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

// buy is one whole purchase through nginx: cart, checkout, test card. It
// returns the order's number once the checkout made one (also with the
// error of a later step).
func (s *stack) buy(b *buyer, product int64) (number string, err error) {
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
		return "", err
	}
	_, page, err := step("GET", "/checkout", "", "", http.StatusOK)
	if err != nil {
		return "", err
	}
	form := hidden(b.t, page, "form.checkout-form")
	fillCheckout(form)
	resp, _, err := step("POST", "/checkout", formType, form.Encode(), http.StatusSeeOther)
	if err != nil {
		return "", err
	}
	pay := resp.Header.Get("Location")
	if !strings.HasPrefix(pay, "/orders/") || !strings.HasSuffix(pay, "/pay") {
		return "", fmt.Errorf("POST /checkout went to %q", pay)
	}
	number = strings.Split(pay, "/")[2]
	if _, page, err = step("GET", pay, "", "", http.StatusOK); err != nil {
		return number, err
	}
	resp, _, err = step("POST", pay+"/test", formType, hidden(b.t, page, `form[action="`+pay+`/test"]`).Encode(), http.StatusSeeOther)
	if err != nil {
		return number, err
	}
	if !strings.HasSuffix(resp.Header.Get("Location"), "/complete") {
		return number, fmt.Errorf("payment went to %q", resp.Header.Get("Location"))
	}
	return number, nil
}

// logged adds up the first group of re over every instance's log.
func (s *stack) logged(re *regexp.Regexp) int {
	n := 0
	for i := 1; i <= s.size; i++ {
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
