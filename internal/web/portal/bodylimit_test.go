package portal_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestBodyLimits: an upload over MaxUploadBody is refused from its
// Content-Length before its body is read; every route but the portal's
// uploads keeps the 1 MB limit; the upload routes take more.
func TestBodyLimits(t *testing.T) {
	t.Parallel()
	e := webtest.NewEnv(t)

	t.Run("50 MB image refused before it is read", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		served := make(chan error, 1)
		go func() { served <- e.App.Listener(ln) }()
		defer func() {
			_ = e.App.ShutdownWithTimeout(5 * time.Second)
			<-served
		}()
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		// Only the headers and the first kilobyte of a 50 MB body are sent:
		// an answer proves the server did not wait for the rest.
		head := "POST /portal/products/1/images HTTP/1.1\r\nHost: dure.test\r\n" +
			"Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: " + fmt.Sprint(50<<20) + "\r\n\r\n"
		if _, err := conn.Write([]byte(head + "--xyz\r\n" + strings.Repeat("a", 1024))); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("no answer before the body was sent: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", resp.StatusCode)
		}
	})

	post := func(t *testing.T, target string, size int) int {
		body := "_csrf=x&pad=" + strings.Repeat("a", size)
		req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := e.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	t.Run("2 MB to another route", func(t *testing.T) {
		for _, target := range []string{"/cart/items", "/portal/products", "/portal/stock", "/portal/products/upload/apply"} {
			if got := post(t, target, 2<<20); got != http.StatusRequestEntityTooLarge {
				t.Errorf("POST %s: status %d, want 413", target, got)
			}
		}
	})
	t.Run("2 MB to an upload route passes the limit", func(t *testing.T) {
		// Anonymous, so the portal's guard answers: not the body limit.
		for _, target := range []string{"/portal/products/upload", "/portal/products/12/images"} {
			if got := post(t, target, 2<<20); got != http.StatusUnauthorized {
				t.Errorf("POST %s: status %d, want 401 (past the body limit)", target, got)
			}
		}
	})
}
