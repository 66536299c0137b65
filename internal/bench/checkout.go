package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// checkout is one buyer's whole purchase, start to paid, repeated by the
// checkout scenario. Each iteration is a new buyer: a new cookie jar and a new
// loopback source address (127.1.x.y), because the shop limits checkout
// attempts per client IP and real buyers do not share one.
type checkout struct {
	base     string
	products []int64
}

func newCheckout(base string, products []int64) *checkout {
	return &checkout{base: base, products: products}
}

// run buys one unit of a product through the storefront's forms and pays it
// with the stripe-mock test card.
func (co *checkout) run(ctx context.Context, _, i int) error {
	jar, _ := cookiejar.New(nil)
	ip := net.IPv4(127, 1, byte(i/250%250), byte(1+i%250))
	client := &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DisableCompression: true,
			DialContext:        (&net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: ip}}).DialContext,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	do := func(method, path, ctype string, body string, want int) (*http.Response, *goquery.Document, error) {
		req, err := http.NewRequestWithContext(ctx, method, co.base+path, strings.NewReader(body))
		if err != nil {
			return nil, nil, err
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != want {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
			return nil, nil, fmt.Errorf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, strings.Join(strings.Fields(string(b)), " "))
		}
		if want != http.StatusOK {
			_, _ = io.Copy(io.Discard, resp.Body)
			return resp, nil, nil
		}
		doc, err := goquery.NewDocumentFromReader(resp.Body)
		return resp, doc, err
	}

	p := co.products[i%len(co.products)]
	if _, _, err := do(http.MethodPost, "/api/v1/cart/items", "application/json", fmt.Sprintf(`{"product_id":%d,"quantity":1}`, p), http.StatusCreated); err != nil {
		return err
	}
	_, doc, err := do(http.MethodGet, "/checkout", "", "", http.StatusOK)
	if err != nil {
		return err
	}
	form := url.Values{}
	doc.Find(`form.checkout-form input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	if form.Get("_csrf") == "" || form.Get("checkout_key") == "" || form.Get("expected_total") == "" {
		return fmt.Errorf("GET /checkout: the form lacks its hidden fields")
	}
	for k, v := range map[string]string{"buyer_name": "김두레", "buyer_phone": "010-1234-5678", "buyer_email": "bench@example.kr",
		"recipient": "박수령", "phone": "010-2222-3333", "postcode": "41940", "road": "대구광역시 중구 동덕로 115", "detail": "3층",
		"agree_terms": "1", "agree_privacy": "1"} {
		form.Set(k, v)
	}
	resp, _, err := do(http.MethodPost, "/checkout", "application/x-www-form-urlencoded", form.Encode(), http.StatusSeeOther)
	if err != nil {
		return err
	}
	pay := resp.Header.Get("Location")
	if !strings.HasPrefix(pay, "/orders/") || !strings.HasSuffix(pay, "/pay") {
		return fmt.Errorf("POST /checkout went to %q", pay)
	}
	_, doc, err = do(http.MethodGet, pay, "", "", http.StatusOK)
	if err != nil {
		return err
	}
	token := doc.Find(`form[action="`+pay+`/test"] input[name="_csrf"]`).AttrOr("value", "")
	if token == "" {
		return fmt.Errorf("GET %s: no test-card form", pay)
	}
	resp, _, err = do(http.MethodPost, pay+"/test", "application/x-www-form-urlencoded", url.Values{"_csrf": {token}}.Encode(), http.StatusSeeOther)
	if err != nil {
		return err
	}
	if done := resp.Header.Get("Location"); !strings.HasSuffix(done, "/complete") {
		return fmt.Errorf("payment went to %q", done)
	}
	return nil
}
