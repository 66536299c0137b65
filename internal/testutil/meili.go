package testutil

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// NewMeiliIndex returns a unique Meilisearch index name for the test on the
// shared server and deletes that index (and any reindex build of it) when the
// test ends.
func NewMeiliIndex(tb testing.TB) string {
	tb.Helper()
	cfg := Config(tb)
	name := Name("t_products")
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, uid := range meiliIndexes(ctx, cfg.MeiliURL, cfg.MeiliKey) {
			if uid == name || strings.HasPrefix(uid, name+"__build_") {
				_ = meiliDo(ctx, http.MethodDelete, cfg.MeiliURL+"/indexes/"+url.PathEscape(uid), cfg.MeiliKey, nil)
			}
		}
	})
	return name
}

// MeiliIndexes lists the index names on the server at base, for tests that
// check a reindex left no temporary index behind.
func MeiliIndexes(tb testing.TB, base, key string) []string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return meiliIndexes(ctx, base, key)
}

func meiliIndexes(ctx context.Context, base, key string) []string {
	var out struct {
		Results []struct {
			UID string `json:"uid"`
		} `json:"results"`
	}
	if err := meiliDo(ctx, http.MethodGet, base+"/indexes?limit=10000", key, &out); err != nil {
		return nil
	}
	names := make([]string, len(out.Results))
	for i, r := range out.Results {
		names[i] = r.UID
	}
	return names
}

func meiliDo(ctx context.Context, method, u, key string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s", method, u, resp.Status)
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	return nil
}

// MeiliServer is a private Meilisearch instance for a test that stops and
// restarts it (the fallback and recovery tests); tests that kill Meilisearch
// must never touch the shared one, which other packages use in parallel.
type MeiliServer struct {
	URL string
	Key string

	tb   testing.TB
	bin  string
	addr string
	dir  string

	mu  sync.Mutex
	cmd *exec.Cmd
}

// StartMeili starts a private Meilisearch on a free loopback port with its own
// data folder and waits until it is healthy. It is stopped when the test ends.
func StartMeili(tb testing.TB) *MeiliServer {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("testutil: free port: %v", err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	s := &MeiliServer{
		URL: "http://" + addr, Key: "dure-test-master-key-0123456789",
		tb: tb, bin: MeiliBinary(tb), addr: addr, dir: tb.TempDir(),
	}
	tb.Cleanup(s.Stop)
	s.Start()
	return s
}

// Start (re)starts the instance on the same address and data folder and waits
// until it answers /health. Starting a running instance does nothing.
func (s *MeiliServer) Start() {
	s.tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return
	}
	logf, err := os.OpenFile(filepath.Join(s.dir, "meili.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.tb.Fatalf("testutil: meilisearch log: %v", err)
	}
	defer logf.Close()
	cmd := exec.Command(s.bin, "--db-path", filepath.Join(s.dir, "data.ms"), "--http-addr", s.addr,
		"--master-key", s.Key, "--no-analytics", "--env", "development",
		"--dump-dir", filepath.Join(s.dir, "dumps"), "--snapshot-dir", filepath.Join(s.dir, "snapshots"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		s.tb.Fatalf("testutil: start meilisearch: %v", err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		var h struct {
			Status string `json:"status"`
		}
		err := meiliDo(ctx, http.MethodGet, s.URL+"/health", s.Key, &h)
		cancel()
		if err == nil && h.Status == "available" {
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(s.dir, "meili.log"))
			s.tb.Fatalf("testutil: private meilisearch on %s did not become healthy: %v\n%s", s.addr, err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop kills the instance and waits for it to exit; its data stays for Start.
func (s *MeiliServer) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// PID is the running instance's process id (0 when stopped), for tests that
// measure its CPU time.
func (s *MeiliServer) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}
