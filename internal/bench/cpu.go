package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// clockTick is the unit of utime/stime in /proc/<pid>/stat (USER_HZ, 100 on
// Linux for every architecture Go runs the benchmark on).
const clockTick = 10 * time.Millisecond

// serviceNames are the processes, besides the server, that a request costs
// CPU in (by /proc/<pid>/comm).
var serviceNames = map[string]bool{"postgres": true, "redis-server": true, "meilisearch": true}

// cpuSample is the CPU time (user + system) used so far by the server and by
// each process of the services it calls, by pid. The load generator shares
// the machine; leaving its CPU out tells what a request costs the serving
// side, and so what the machine could serve with the load generator elsewhere.
type cpuSample struct {
	server   time.Duration
	services map[int]time.Duration
}

// sampleCPU reads /proc for the server's pid and every service process.
// Processes it cannot read (gone, or no /proc) count as zero. only, if set,
// narrows the services to the processes it accepts.
func sampleCPU(serverPID int, only func(pid int) bool) cpuSample {
	s := cpuSample{services: map[int]time.Duration{}}
	if serverPID > 0 {
		s.server, _ = procCPU(filepath.Join("/proc", strconv.Itoa(serverPID), "stat"))
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		dir := filepath.Dir(path)
		pid, err := strconv.Atoi(filepath.Base(dir))
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join(dir, "comm"))
		if err != nil || !serviceNames[string(bytes.TrimSpace(comm))] || (only != nil && !only(pid)) {
			continue
		}
		if d, ok := procCPU(path); ok {
			s.services[pid] = d
		}
	}
	return s
}

// since returns the server's and the services' CPU time between before and
// s. A service process that started in between counts whole; one that ended
// in between is lost (PostgreSQL's pooled backends and the other services
// live for the whole run).
func (s cpuSample) since(before cpuSample) (server, services time.Duration) {
	for pid, d := range s.services {
		services += d - before.services[pid]
	}
	return s.server - before.server, services
}

// procCPU returns utime + stime from a /proc/<pid>/stat file.
func procCPU(path string) (time.Duration, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	// The command name (field 2) is in parentheses and may hold spaces;
	// fields are counted after its closing parenthesis.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 { // state is field 3; utime 14, stime 15
		return 0, false
	}
	ut, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	st, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(ut+st) * clockTick, true
}
