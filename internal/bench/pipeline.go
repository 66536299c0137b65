// Package bench is `make bench`: it loads a synthetic catalogue of N products
// into a database and Meilisearch index of its own, starts the real `dure
// serve` binary, drives it over HTTP with vegeta (fixed concurrency, fixed
// duration per scenario) next to the floors (the same searches straight to
// Meilisearch, the cart's Redis commands straight to Redis, a hello-world
// route in the same binary) and writes a Markdown table of the results.
//
// Speed is reported, never asserted: the test of this package only checks that
// every scenario ran without errors, so the benchmark does not rot.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Config is one benchmark run.
type Config struct {
	// Bin is the dure binary to run (bin/dure).
	Bin string
	// N is the number of synthetic products.
	N int
	// DatabaseURL is the benchmark's own database. With CreateDatabase it is
	// dropped and created first; its data is never the development data.
	DatabaseURL    string
	CreateDatabase bool
	// MeiliURL, MeiliKey: the Meilisearch server; MeiliIndex the benchmark's
	// own index on it.
	MeiliURL, MeiliKey, MeiliIndex string
	// RedisURL is the Redis the server's carts use.
	RedisURL string
	// StripeAPIBase is stripe-mock.
	StripeAPIBase string
	// WorkDir receives the catalogue file and the server log.
	WorkDir string
	// Duration, Workers, CheckoutWorkers: see LoadConfig.
	Duration        time.Duration
	Workers         int
	CheckoutWorkers int
	// ProfileDir, if set, receives a CPU profile of the server
	// (<scenario>.pprof, via DURE_PPROF_ADDR) for each loaded HTTP scenario.
	ProfileDir string
	// Log receives progress lines (nil: quiet).
	Log io.Writer
	// MinRequests: see LoadConfig.
	MinRequests int
	// Only: see LoadConfig.
	Only *regexp.Regexp
	// Stack, if set, is the run's private PostgreSQL, Meilisearch and Redis
	// (the URLs above point at it): only its processes count as services'
	// CPU, and the report gives their memory and disk.
	Stack *Stack
	// SkipBulkAdd leaves out the comparison with Meilisearch's own bulk add
	// (it reads every document back and indexes them again: at 1M that is
	// as long as the reindex itself).
	SkipBulkAdd bool
	// Reuse runs the load on the data already in the database and index
	// (a stack kept by an earlier run with BENCH_KEEP=1): no catalogue, no
	// import, no reindex. Only for partial runs (Only), whose table is
	// printed and not written.
	Reuse bool
}

// Report is what a run measured.
type Report struct {
	N               int
	Date            time.Time
	CPUs            int
	GoVersion       string
	Duration        time.Duration
	Workers         int
	CheckoutWorkers int
	Rows            []Row
	// PeakRSS is the server's VmHWM after the run, in bytes.
	PeakRSS int64
	// StartRSS and StartPeakRSS are the server's VmRSS and VmHWM once it is
	// up and idle, before the load: what start-up (migrations, templates,
	// fonts, the development demo's seeding) costs, apart from the load's
	// own peak.
	StartRSS, StartPeakRSS int64
	// Import, Reindex and BulkAdd are the wall times of `dure import`,
	// `dure reindex` and Meilisearch's own bulk add of the same documents.
	Import, Reindex, BulkAdd time.Duration
	// Documents is how many documents the index holds.
	Documents int
	// LoadBefore and LoadAfter are /proc/loadavg around the load phase:
	// other work on the machine during the run shows there.
	LoadBefore, LoadAfter string
	// Generate is the time to build the catalogue file; LoadImport and
	// LoadReindex are /proc/loadavg when import and reindex ended.
	Generate                time.Duration
	LoadImport, LoadReindex string
	// Enterprises is the number of enterprises in the catalogue.
	Enterprises int
	// Usage is the private stack's memory and disk after the load phase
	// (nil: the run used shared services, whose figures are not its own).
	Usage *Usage
}

// Run does the whole benchmark: data, index, server, load, report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "bench: "+format+"\n", args...)
		}
	}
	if cfg.N <= 0 {
		return nil, errors.New("bench: N must be positive")
	}
	if err := os.MkdirAll(cfg.WorkDir, 0o755); err != nil {
		return nil, err
	}
	rep := &Report{N: cfg.N, Date: time.Now().UTC(), CPUs: runtime.NumCPU(), GoVersion: runtime.Version(),
		Duration: cfg.Duration, Workers: cfg.Workers, CheckoutWorkers: cfg.CheckoutWorkers}
	if cfg.Reuse && cfg.Only == nil {
		return nil, errors.New("bench: reusing a kept stack is for partial runs (BENCH_ONLY) only")
	}
	if cfg.CreateDatabase && !cfg.Reuse {
		if err := recreateDatabase(ctx, cfg.DatabaseURL); err != nil {
			return nil, err
		}
	}
	file := filepath.Join(cfg.WorkDir, fmt.Sprintf("catalogue-%d.jsonl", cfg.N))
	if !cfg.Reuse {
		genStart := time.Now()
		cat, err := Catalogue(cfg.N)
		if err != nil {
			return nil, err
		}
		rep.Generate, rep.Enterprises = time.Since(genStart), Enterprises(cfg.N)
		if err := os.WriteFile(file, cat, 0o644); err != nil {
			return nil, err
		}
		logf("catalogue of %d products: %s (%d MB)", cfg.N, file, len(cat)>>20)
	}

	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	adminAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"DURE_ENV=development",
		"DURE_DATABASE_URL="+cfg.DatabaseURL,
		"DURE_MEILI_URL="+cfg.MeiliURL,
		"DURE_MEILI_KEY="+cfg.MeiliKey,
		"DURE_MEILI_INDEX="+cfg.MeiliIndex,
		"DURE_REDIS_URL="+cfg.RedisURL,
		"DURE_STRIPE_API_BASE="+cfg.StripeAPIBase,
		"DURE_ADDR="+addr,
		"DURE_ADMIN_ADDR="+adminAddr, // /metrics, for the search result cache's hits
		"DURE_RUN_WORKER=false",
		"DURE_BENCH_HELLO=1",
		"DURE_LOG_FORMAT=json",
		// Uploads (the demo board's attachments) stay in the run's folder,
		// not in the caller's working directory.
		"DURE_UPLOAD_DIR="+filepath.Join(cfg.WorkDir, "uploads"),
	)
	var profile func(string, time.Duration)
	if cfg.ProfileDir != "" {
		paddr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		env = append(env, "DURE_PPROF_ADDR="+paddr)
		profile = profiler(ctx, "http://"+paddr, cfg.ProfileDir, logf)
	}
	logPath := filepath.Join(cfg.WorkDir, "dure.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	dure := func(args ...string) (time.Duration, error) {
		cmd := exec.CommandContext(ctx, cfg.Bin, args...)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, logFile, logFile
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("bench: dure %s: %w (see %s)", strings.Join(args, " "), err, logPath)
		}
		return time.Since(start), nil
	}
	if _, err := dure("migrate"); err != nil {
		return nil, err
	}
	if !cfg.Reuse {
		if rep.Import, err = dure("import", file); err != nil {
			return nil, err
		}
		rep.LoadImport = loadavg()
		logf("import: %s (load %s)", rep.Import.Round(time.Millisecond), rep.LoadImport)
		if rep.Reindex, err = dure("reindex"); err != nil {
			return nil, err
		}
		rep.LoadReindex = loadavg()
		logf("reindex: %s (load %s)", rep.Reindex.Round(time.Millisecond), rep.LoadReindex)
	}
	m := &meili{base: strings.TrimRight(cfg.MeiliURL, "/"), key: cfg.MeiliKey, client: newClient(2)}
	if cfg.SkipBulkAdd || cfg.Reuse {
		if rep.Documents, err = m.count(ctx, cfg.MeiliIndex); err != nil {
			return nil, err
		}
	} else {
		if rep.BulkAdd, rep.Documents, err = m.bulkAdd(ctx, cfg.MeiliIndex); err != nil {
			return nil, err
		}
		logf("Meilisearch bulk add of the same %d documents: %s", rep.Documents, rep.BulkAdd.Round(time.Millisecond))
	}

	serve := exec.Command(cfg.Bin, "serve")
	serve.Env, serve.Stdout, serve.Stderr = env, logFile, logFile
	if err := serve.Start(); err != nil {
		return nil, fmt.Errorf("bench: start dure serve: %w", err)
	}
	defer stopServer(serve)
	base := "http://" + addr
	if err := waitHealthy(ctx, base+"/healthz", 60*time.Second); err != nil {
		return nil, fmt.Errorf("bench: dure serve: %w (see %s)", err, logPath)
	}
	// A second server on the same data whose Redis is stopped: its Redis
	// address is a loopback port nobody listens on, which is what a Redis
	// that died looks like from the app (connection refused).
	downAddr, deadRedis, err := freeAddr2()
	if err != nil {
		return nil, err
	}
	down := exec.Command(cfg.Bin, "serve")
	down.Env = append(env[:len(env):len(env)], "DURE_ADDR="+downAddr, "DURE_ADMIN_ADDR=", "DURE_PPROF_ADDR=",
		"DURE_REDIS_URL=redis://"+deadRedis+"/0")
	down.Stdout, down.Stderr = logFile, logFile
	if err := down.Start(); err != nil {
		return nil, fmt.Errorf("bench: start dure serve (Redis down): %w", err)
	}
	defer stopServer(down)
	if err := waitHealthy(ctx, "http://"+downAddr+"/healthz", 60*time.Second); err != nil {
		return nil, fmt.Errorf("bench: the server without Redis: %w (see %s)", err, logPath)
	}
	logf("dure serve (pid %d) is up on %s; %s per scenario, %d workers", serve.Process.Pid, base, cfg.Duration, cfg.Workers)
	// Meilisearch finishes deleting the copy and the reindex's old index in
	// the background; the first scenario must not pay for that.
	if err := m.idle(ctx); err != nil {
		return nil, err
	}
	if rep.StartRSS, err = procStatus(serve.Process.Pid, "VmRSS"); err != nil {
		return nil, err
	}
	if rep.StartPeakRSS, err = procStatus(serve.Process.Pid, "VmHWM"); err != nil {
		return nil, err
	}
	logf("dure serve after start: RSS %d MiB, peak %d MiB", rep.StartRSS>>20, rep.StartPeakRSS>>20)
	rep.LoadBefore = loadavg()
	var services func(int) bool
	if cfg.Stack != nil {
		services = cfg.Stack.Owns
	}

	rep.Rows, err = Load(ctx, LoadConfig{BaseURL: base, DatabaseURL: cfg.DatabaseURL, MeiliURL: cfg.MeiliURL,
		MeiliKey: cfg.MeiliKey, MeiliIndex: cfg.MeiliIndex, RedisURL: cfg.RedisURL, MetricsURL: "http://" + adminAddr + "/metrics",
		Duration: cfg.Duration, MinRequests: cfg.MinRequests,
		Workers: cfg.Workers, CheckoutWorkers: cfg.CheckoutWorkers, Progress: cfg.Log, Profile: profile,
		ServerPID: serve.Process.Pid, Only: cfg.Only, RedisDownURL: "http://" + downAddr, RedisDownPID: down.Process.Pid, Services: services})
	if err != nil {
		return nil, err
	}
	rep.LoadAfter = loadavg()
	if cfg.Stack != nil {
		u := cfg.Stack.Usage()
		rep.Usage = &u
	}
	rep.PeakRSS, err = procStatus(serve.Process.Pid, "VmHWM")
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// profiler returns a LoadConfig.Profile that saves a CPU profile of the
// server at base (its pprof address) into dir, one file per scenario.
func profiler(ctx context.Context, base, dir string, logf func(string, ...any)) func(string, time.Duration) {
	client := &http.Client{Timeout: 5 * time.Minute}
	clean := strings.NewReplacer("/", "_", " ", "_", ":", "", "(", "", ")", "")
	return func(scenario string, d time.Duration) {
		secs := max(1, int(d.Seconds())-1)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", base, secs), nil)
		if err != nil {
			return
		}
		resp, err := client.Do(req)
		if err != nil {
			logf("profile %s: %v", scenario, err)
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			logf("profile %s: %v %s", scenario, err, resp.Status)
			return
		}
		if err := os.MkdirAll(dir, 0o755); err == nil {
			_ = os.WriteFile(filepath.Join(dir, clean.Replace(scenario)+".pprof"), b, 0o644)
		}
	}
}

// recreateDatabase drops and creates the database that raw names.
func recreateDatabase(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("bench: database url: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" || strings.ContainsAny(name, `"; `) {
		return fmt.Errorf("bench: bad database name %q", name)
	}
	u.Path = "/postgres"
	admin, err := pgxpool.New(ctx, u.String())
	if err != nil {
		return fmt.Errorf("bench: open postgres: %w", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(ctx, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`); err != nil {
		return fmt.Errorf("bench: drop %s: %w", name, err)
	}
	if _, err := admin.Exec(ctx, `CREATE DATABASE "`+name+`"`); err != nil {
		return fmt.Errorf("bench: create %s: %w", name, err)
	}
	return nil
}

// stopServer sends a started `dure serve` SIGTERM and waits (15 s at most,
// then kills it).
func stopServer(serve *exec.Cmd) {
	_ = serve.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = serve.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = serve.Process.Kill()
	}
}

// freeAddr2 returns two distinct free loopback addresses.
func freeAddr2() (string, string, error) {
	a, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", err
	}
	defer a.Close()
	b, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", err
	}
	defer b.Close()
	return a.Addr().String(), b.Addr().String(), nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitHealthy polls url until it answers 200 OK (healthy), for up to limit.
func waitHealthy(ctx context.Context, url string, limit time.Duration) error {
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); {
		if healthy(ctx, url) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not answer 200 within %s", url, limit)
}

// healthy reports whether url answers a GET with 200 OK within two seconds.
func healthy(ctx context.Context, url string) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// loadavg returns the first three fields of /proc/loadavg.
func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// procStatus reads a size field of /proc/PID/status ("VmHWM", the resident
// set's high-water mark; "VmRSS", the resident set now), in bytes.
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("bench: read server status: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				break
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("bench: %s %q: %w", field, rest, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("bench: no %s in /proc status", field)
}

// meili is the little of Meilisearch's HTTP API the bulk-add comparison needs.
type meili struct {
	base, key string
	client    *http.Client
}

func (m *meili) do(ctx context.Context, method, path, ctype string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, m.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+m.key)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return fmt.Errorf("bench: meilisearch %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("bench: meilisearch %s %s: %s: %s", method, path, resp.Status, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// wait polls a task until it succeeds.
func (m *meili) wait(ctx context.Context, task int64) error {
	for {
		var t struct {
			Status string          `json:"status"`
			Error  json.RawMessage `json:"error"`
		}
		if err := m.do(ctx, http.MethodGet, fmt.Sprintf("/tasks/%d", task), "", nil, &t); err != nil {
			return err
		}
		switch t.Status {
		case "succeeded":
			return nil
		case "failed", "canceled":
			return fmt.Errorf("bench: meilisearch task %d %s: %s", task, t.Status, t.Error)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// idle waits until Meilisearch has no enqueued or processing task.
func (m *meili) idle(ctx context.Context) error {
	for {
		var page struct {
			Total int `json:"total"`
		}
		if err := m.do(ctx, http.MethodGet, "/tasks?statuses=enqueued,processing&limit=1", "", nil, &page); err != nil {
			return err
		}
		if page.Total == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// bulkPayload is the largest document payload bulkAdd sends at once.
const bulkPayload = 64 << 20

type taskRef struct {
	TaskUID int64 `json:"taskUid"`
}

// bulkAdd copies the documents of index into a new index with the same
// settings the way Meilisearch is fastest fed (settings on the empty index,
// then every document in one NDJSON payload) and times that, from creating
// the index to the documents task succeeding. The copy is deleted after.
func (m *meili) bulkAdd(ctx context.Context, index string) (time.Duration, int, error) {
	var info struct {
		PrimaryKey string `json:"primaryKey"`
	}
	if err := m.do(ctx, http.MethodGet, "/indexes/"+index, "", nil, &info); err != nil {
		return 0, 0, err
	}
	var settings json.RawMessage
	if err := m.do(ctx, http.MethodGet, "/indexes/"+index+"/settings", "", nil, &settings); err != nil {
		return 0, 0, err
	}
	var docs bytes.Buffer
	n := 0
	for offset := 0; ; offset += 5000 {
		var page struct {
			Results []json.RawMessage `json:"results"`
		}
		if err := m.do(ctx, http.MethodGet, fmt.Sprintf("/indexes/%s/documents?limit=5000&offset=%d", index, offset), "", nil, &page); err != nil {
			return 0, 0, err
		}
		for _, d := range page.Results {
			docs.Write(d)
			docs.WriteByte('\n')
		}
		n += len(page.Results)
		if len(page.Results) < 5000 {
			break
		}
	}
	copyIndex := index + "__bulk"
	_ = m.dropIndex(ctx, copyIndex)
	defer func() { _ = m.dropIndex(context.WithoutCancel(ctx), copyIndex) }()

	start := time.Now()
	var t taskRef
	body, _ := json.Marshal(map[string]string{"uid": copyIndex, "primaryKey": info.PrimaryKey})
	if err := m.do(ctx, http.MethodPost, "/indexes", "application/json", body, &t); err != nil {
		return 0, 0, err
	}
	if err := m.do(ctx, http.MethodPatch, "/indexes/"+copyIndex+"/settings", "application/json", settings, &t); err != nil {
		return 0, 0, err
	}
	// Payloads stay under Meilisearch's 100 MB default limit; consecutive
	// additions are batched together by Meilisearch itself.
	for rest := docs.Bytes(); len(rest) > 0; {
		cut := len(rest)
		if cut > bulkPayload {
			cut = bytes.LastIndexByte(rest[:bulkPayload], '\n') + 1
		}
		if err := m.do(ctx, http.MethodPost, "/indexes/"+copyIndex+"/documents", "application/x-ndjson", rest[:cut], &t); err != nil {
			return 0, 0, err
		}
		rest = rest[cut:]
	}
	if err := m.wait(ctx, t.TaskUID); err != nil {
		return 0, 0, err
	}
	return time.Since(start), n, nil
}

// count is the number of documents in index.
func (m *meili) count(ctx context.Context, index string) (int, error) {
	var st struct {
		NumberOfDocuments int `json:"numberOfDocuments"`
	}
	err := m.do(ctx, http.MethodGet, "/indexes/"+index+"/stats", "", nil, &st)
	return st.NumberOfDocuments, err
}

func (m *meili) dropIndex(ctx context.Context, uid string) error {
	var t taskRef
	if err := m.do(ctx, http.MethodDelete, "/indexes/"+uid, "", nil, &t); err != nil {
		return err
	}
	return m.wait(ctx, t.TaskUID)
}
