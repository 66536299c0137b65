package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProcCPU(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "stat")
	// A command name with a space and a parenthesis; utime 250, stime 50 ticks.
	stat := "4242 (dure (x) y) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 50 0 0 20 0 9 0 100 2000000 3000 18446744073709551615\n"
	if err := os.WriteFile(path, []byte(stat), 0o600); err != nil {
		t.Fatal(err)
	}
	got, ok := procCPU(path)
	if !ok || got != 3*time.Second {
		t.Errorf("procCPU = %v, %v; want 3s, true", got, ok)
	}
	if _, ok := procCPU(filepath.Join(t.TempDir(), "missing")); ok {
		t.Error("procCPU of a missing file succeeded")
	}
	// This process, spinning, shows CPU time within a few clock ticks.
	deadline := time.Now().Add(5 * time.Second)
	x := 0
	for sampleCPU(os.Getpid(), nil).server <= 0 {
		if time.Now().After(deadline) {
			t.Fatal("sampleCPU(self).server stayed 0 for 5 s of spinning")
		}
		for i := range 1_000_000 {
			x += i
		}
	}
	_ = x
}

// Without Meilisearch's bulk add (BENCH_BULK=0, or above its cap) there is
// nothing to compare the reindex with: no target line (it said "0.00×, met").
func TestReindexTargetNeedsTheBulkAdd(t *testing.T) {
	r := &Report{N: 1000, Reindex: 10 * time.Second}
	if strings.Contains(r.targets(), "reindex within") {
		t.Errorf("a reindex target without a bulk add:\n%s", r.targets())
	}
	r.BulkAdd = 8 * time.Second
	if got := r.targets(); !strings.Contains(got, "reindex within") || !strings.Contains(got, "1.25×") {
		t.Errorf("with a bulk add of 8 s for a reindex of 10 s:\n%s", got)
	}
}
