// Command dure-bench is `make bench`: it loads N synthetic products into a
// database and Meilisearch index of its own (dure_bench, products_bench: the
// development data is untouched), starts bin/dure serve, drives it with
// vegeta next to the floors and prints the table. The table is also written
// to bench/results.md, one section per N, so a 10k and a 100k run sit side by
// side.
//
// Flags: -n products (N, default 10000), -duration per scenario
// (BENCH_DURATION, default 10s), -workers (BENCH_WORKERS, default 8),
// -checkout-workers (default 4), -only REGEXP (BENCH_ONLY: just the matching
// scenarios, printed and not written), -pprof DIR (BENCH_PPROF: a CPU profile of
// the server per loaded scenario), -reuse (BENCH_REUSE=1: a partial run on the
// stack a BENCH_KEEP=1 run left running, without importing again), -bin, -out. Service addresses come from the
// same DURE_* variables as dure itself; BENCH_DB and BENCH_INDEX rename the
// benchmark's database and index.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dure-coop/dure/internal/bench"
	"github.com/dure-coop/dure/internal/config"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "dure-bench: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	n := flag.Int("n", envInt("N", 10000), "number of synthetic products")
	dur := flag.Duration("duration", envDuration("BENCH_DURATION", 10*time.Second), "duration of each scenario")
	workers := flag.Int("workers", envInt("BENCH_WORKERS", 8), "concurrent workers per scenario")
	coWorkers := flag.Int("checkout-workers", envInt("BENCH_CHECKOUT_WORKERS", 4), "concurrent buyers in the checkout scenario")
	bin := flag.String("bin", "bin/dure", "the dure binary")
	out := flag.String("out", "bench/results.md", "Markdown file to update with this run's section")
	only := flag.String("only", os.Getenv("BENCH_ONLY"), "run just the scenarios whose names match this regular expression (BENCH_ONLY); the table is printed, not written to -out")
	profiles := flag.String("pprof", os.Getenv("BENCH_PPROF"), "folder for CPU profiles of the server, one per loaded scenario (empty: off)")
	workDir := flag.String("workdir", filepath.Join("var", "bench"), "folder for the catalogue file, the server log and the private stack")
	shared := flag.Bool("shared", os.Getenv("BENCH_SHARED") == "1", "use the shared services (DURE_*) instead of a private stack")
	reuse := flag.Bool("reuse", os.Getenv("BENCH_REUSE") == "1", "run the load (with -only) on the stack a BENCH_KEEP=1 run left, without importing again (BENCH_REUSE)")
	bulk := flag.Bool("bulk", os.Getenv("BENCH_BULK") != "0" && envInt("N", 10000) <= 100000, "time Meilisearch's own bulk add of the documents (default: up to 100k)")
	flag.Parse()

	var onlyRE *regexp.Regexp
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			return fmt.Errorf("-only: %w", err)
		}
		onlyRE = re
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	dbURL, err := url.Parse(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	dbURL.Path = "/" + envString("BENCH_DB", "dure_bench")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bc := bench.Config{
		Bin: *bin, N: *n,
		DatabaseURL: dbURL.String(), CreateDatabase: true,
		MeiliURL: cfg.MeiliURL, MeiliKey: cfg.MeiliKey, MeiliIndex: envString("BENCH_INDEX", "products_bench"),
		RedisURL: cfg.RedisURL, StripeAPIBase: cfg.StripeAPIBase,
		WorkDir:  *workDir,
		Duration: *dur, Workers: *workers, CheckoutWorkers: *coWorkers,
		ProfileDir: *profiles, Log: os.Stderr, Only: onlyRE, SkipBulkAdd: !*bulk,
	}
	stackEnv := filepath.Join(*workDir, "stack", "urls")
	switch {
	case *reuse:
		// The URLs a BENCH_KEEP=1 run wrote next to its stack.
		b, err := os.ReadFile(stackEnv)
		if err != nil {
			return fmt.Errorf("-reuse: no kept stack (run once with BENCH_KEEP=1): %w", err)
		}
		f := strings.Fields(string(b))
		if len(f) != 4 {
			return fmt.Errorf("-reuse: %s: want four fields", stackEnv)
		}
		bc.DatabaseURL, bc.MeiliURL, bc.MeiliKey, bc.RedisURL, bc.Reuse = f[0], f[1], f[2], f[3], true
		fmt.Fprintf(os.Stderr, "dure-bench: reusing the kept stack in %s (services' CPU counted machine-wide)\n", filepath.Dir(stackEnv))
	case !*shared:
		// A private PostgreSQL, Meilisearch and Redis: indexing the bench
		// catalogue on the shared Meilisearch would hold up every other
		// index's tasks, and only the run's own processes can be measured.
		st, err := bench.StartStack(ctx, filepath.Join(*workDir, "stack"), os.Getenv("DURE_MEILI_BIN"))
		if err != nil {
			return err
		}
		if os.Getenv("BENCH_KEEP") == "1" {
			// Left running for a look at the data (EXPLAIN on the big
			// catalogue) or for more partial runs on it (-reuse); stop
			// them by pid and remove the folder after.
			if err := os.WriteFile(stackEnv, []byte(strings.Join([]string{st.DatabaseURL, st.MeiliURL, st.Key, st.RedisURL}, "\n")+"\n"), 0o600); err != nil {
				return err
			}
			defer fmt.Fprintf(os.Stderr, "dure-bench: BENCH_KEEP=1: the private stack keeps running in %s (meilisearch pid %d, redis pid %d, postgres %s)\n",
				st.Dir, st.MeiliPID(), st.RedisPID(), st.PostgresData())
		} else {
			defer st.Close()
		}
		fmt.Fprintf(os.Stderr, "dure-bench: private stack in %s: %s, %s, %s\n", st.Dir, st.DatabaseURL, st.MeiliURL, st.RedisURL)
		bc.Stack, bc.DatabaseURL, bc.MeiliURL, bc.MeiliKey, bc.RedisURL = st, st.DatabaseURL, st.MeiliURL, st.Key, st.RedisURL
	}
	rep, err := bench.Run(ctx, bc)
	if err != nil {
		return err
	}
	section := rep.Markdown()
	fmt.Println(section)
	if onlyRE != nil {
		return nil // a partial table would replace the full one
	}
	return writeSection(*out, rep.N, section)
}

// writeSection replaces this N's section of the results file (or adds it),
// keeping the sections of other N in ascending order.
func writeSection(path string, n int, section string) error {
	const head = "# Benchmark results\n\nWritten by `make bench` (`N=100000 make bench` for 100k); see docs/bench.md for what is measured.\n\n"
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	sections := map[int]string{}
	re := regexp.MustCompile(`(?m)^## (\d+) products\n`)
	idx := re.FindAllStringSubmatchIndex(string(old), -1)
	for i, m := range idx {
		end := len(old)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		k, _ := strconv.Atoi(string(old[m[2]:m[3]]))
		sections[k] = strings.TrimSpace(string(old[m[0]:end])) + "\n"
	}
	sections[n] = strings.TrimSpace(section) + "\n"
	var keys []int
	for k := range sections {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	var b strings.Builder
	b.WriteString(head)
	for i, k := range keys {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(sections[k])
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func envString(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

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
