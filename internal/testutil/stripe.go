package testutil

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// StripeMockBinary returns the stripe-mock binary scripts/services built
// (var/bin/stripe-mock), or DURE_STRIPE_MOCK_BIN.
func StripeMockBinary(tb testing.TB) string {
	tb.Helper()
	p := os.Getenv("DURE_STRIPE_MOCK_BIN")
	if p == "" {
		p = RepoRoot(tb) + "/var/bin/stripe-mock"
	}
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("testutil: stripe-mock binary missing (run `make test`, whose scripts/services builds it): %v", err)
	}
	return p
}

// PrivateStripe is a stripe-mock of the test's own, for tests that stop
// and restart it.
type PrivateStripe struct {
	// URL is the API base to give DURE_STRIPE_API_BASE.
	URL string

	tb   testing.TB
	bin  string
	port int
	dir  string
	cmd  *exec.Cmd
}

// StartStripeMock starts a private stripe-mock on a free loopback port
// (and the next one, its HTTPS port); it is stopped when the test ends.
func StartStripeMock(tb testing.TB) *PrivateStripe {
	tb.Helper()
	var port int
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		port = l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
		if l2, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+1)); err == nil {
			_ = l2.Close()
			break
		}
	}
	s := &PrivateStripe{URL: "http://127.0.0.1:" + strconv.Itoa(port), tb: tb, bin: StripeMockBinary(tb), port: port, dir: tb.TempDir()}
	s.Start()
	tb.Cleanup(s.Stop)
	return s
}

// Start (re)starts stripe-mock on the same port and waits until it answers.
func (s *PrivateStripe) Start() {
	s.tb.Helper()
	logf, err := os.OpenFile(filepath.Join(s.dir, "stripe-mock.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.tb.Fatal(err)
	}
	defer logf.Close()
	s.cmd = exec.Command(s.bin, "-http-addr", "127.0.0.1:"+strconv.Itoa(s.port), "-https-addr", "127.0.0.1:"+strconv.Itoa(s.port+1))
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		s.tb.Fatalf("testutil: start stripe-mock: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/v1/customers", nil)
		req.Header.Set("Authorization", "Bearer sk_test_123")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.tb.Fatalf("testutil: private stripe-mock on %s did not answer", s.URL)
}

// Stop kills stripe-mock (it keeps no state) and waits for it to exit.
func (s *PrivateStripe) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}
