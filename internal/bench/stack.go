package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// pgBin is Debian's postgresql-15 (scripts/services installs it).
const pgBin = "/usr/lib/postgresql/15/bin/"

// Stack is a private PostgreSQL, Meilisearch and Redis for one benchmark
// run: indexing a large catalogue on the shared Meilisearch would hold up
// every other index's tasks (Meilisearch runs them one after another), and
// only processes of the run's own can be measured (CPU, RSS, disk) without
// counting other people's work. The servers are configured like
// scripts/services' (PostgreSQL: fsync on, shared_buffers 256MB; Redis: AOF
// everysec). Close stops them and removes their data.
type Stack struct {
	Dir                         string
	DatabaseURL, MeiliURL, Key  string
	RedisURL                    string
	pgData                      string
	pgPort                      int
	meili, redis                *exec.Cmd
	meiliData, redisData, pgLog string
}

// StartStack starts the three servers on free loopback ports with their data
// under dir (PostgreSQL's in a folder the postgres user can enter when run as
// root). meiliBin is the Meilisearch binary (DURE_MEILI_BIN).
func StartStack(ctx context.Context, dir, meiliBin string) (s *Stack, err error) {
	if meiliBin == "" {
		return nil, errors.New("bench: a private stack needs the Meilisearch binary (DURE_MEILI_BIN)")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if b, err := os.ReadFile(filepath.Join(abs, "urls")); err == nil {
		// A stack a BENCH_KEEP=1 run left here would lose its data under
		// its running servers.
		if f := strings.Fields(string(b)); len(f) == 4 && healthy(ctx, f[1]+"/health") {
			return nil, fmt.Errorf("bench: a kept stack (BENCH_KEEP=1) still runs in %s (Meilisearch on %s): stop it first, or give this run another -workdir", abs, f[1])
		}
	}
	_ = os.RemoveAll(abs)
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, err
	}
	s = &Stack{Dir: abs, Key: "dure-bench-master-key-0123456789"}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if err := s.startPostgres(ctx); err != nil {
		return s, err
	}
	if err := s.startMeili(ctx, meiliBin); err != nil {
		return s, err
	}
	if err := s.startRedis(ctx); err != nil {
		return s, err
	}
	return s, nil
}

func (s *Stack) startPostgres(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	s.pgPort = port
	pgDir := filepath.Join(s.Dir, "pg")
	if err := os.MkdirAll(pgDir, 0o700); err != nil {
		return err
	}
	if os.Getuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("bench: no postgres user to run a private server as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(pgDir, uid, gid); err != nil {
			return err
		}
		if out, err := exec.Command("runuser", "-u", "postgres", "--", "test", "-w", pgDir).CombinedOutput(); err != nil {
			// The postgres user cannot enter the checkout (e.g. under /root):
			// keep the data in /var/tmp, as scripts/services does.
			tmp, terr := os.MkdirTemp("/var/tmp", "dure-bench-pg-")
			if terr != nil {
				return fmt.Errorf("bench: %s is not writable by postgres (%s) and no /var/tmp: %w", pgDir, out, terr)
			}
			if err := os.Chown(tmp, uid, gid); err != nil {
				return err
			}
			pgDir = tmp
		}
	}
	s.pgData, s.pgLog = filepath.Join(pgDir, "data"), filepath.Join(pgDir, "server.log")
	if err := pgRun(ctx, pgBin+"initdb", "-D", s.pgData, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"); err != nil {
		return err
	}
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 -c shared_buffers=256MB -c fsync=on -c synchronous_commit=on", port)
	if err := pgRun(ctx, pgBin+"pg_ctl", "-D", s.pgData, "-l", s.pgLog, "-w", "-t", "60", "-o", opts, "start"); err != nil {
		return err
	}
	s.DatabaseURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/dure_bench?sslmode=disable", port)
	return nil
}

// pgRun runs a PostgreSQL program, as the postgres user when root (the
// server refuses root).
func pgRun(ctx context.Context, args ...string) error {
	if os.Getuid() == 0 {
		args = append([]string{"runuser", "-u", "postgres", "--"}, args...)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = "/"
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("bench: %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func (s *Stack) startMeili(ctx context.Context, bin string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	s.meiliData = filepath.Join(s.Dir, "meili")
	logf, err := os.Create(filepath.Join(s.Dir, "meili.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	s.meili = exec.Command(bin, "--db-path", filepath.Join(s.meiliData, "data.ms"), "--http-addr", addr,
		"--master-key", s.Key, "--no-analytics", "--env", "development",
		"--dump-dir", filepath.Join(s.meiliData, "dumps"), "--snapshot-dir", filepath.Join(s.meiliData, "snapshots"))
	s.meili.Stdout, s.meili.Stderr = logf, logf
	if err := s.meili.Start(); err != nil {
		return fmt.Errorf("bench: start meilisearch: %w", err)
	}
	s.MeiliURL = "http://" + addr
	if err := waitHealthy(ctx, s.MeiliURL+"/health", 60*time.Second); err != nil {
		return fmt.Errorf("bench: private meilisearch on %s did not become healthy (see %s): %w", addr, logf.Name(), err)
	}
	return nil
}

func (s *Stack) startRedis(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	s.redisData = filepath.Join(s.Dir, "redis")
	if err := os.MkdirAll(s.redisData, 0o755); err != nil {
		return err
	}
	s.redis = exec.Command("redis-server", "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--dir", s.redisData,
		"--appendonly", "yes", "--appendfsync", "everysec", "--save", "")
	if err := s.redis.Start(); err != nil {
		return fmt.Errorf("bench: start redis-server: %w", err)
	}
	s.RedisURL = fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	rdb := goredis.NewClient(&goredis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
	defer rdb.Close()
	for range 200 {
		if rdb.Ping(ctx).Err() == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("bench: private redis on :%d did not answer", port)
}

// postmasterPID reads the server's pid from its data folder (0: none).
func (s *Stack) postmasterPID() int {
	b, err := os.ReadFile(filepath.Join(s.pgData, "postmaster.pid"))
	if err != nil {
		return 0
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	pid, _ := strconv.Atoi(string(bytes.TrimSpace(line)))
	return pid
}

// Owns reports whether pid is one of the stack's server processes
// (PostgreSQL's postmaster and its children, Meilisearch, Redis): the
// services whose CPU a request of this run costs.
func (s *Stack) Owns(pid int) bool {
	if s.meili != nil && s.meili.Process != nil && pid == s.meili.Process.Pid {
		return true
	}
	if s.redis != nil && s.redis.Process != nil && pid == s.redis.Process.Pid {
		return true
	}
	pm := s.postmasterPID()
	return pm > 0 && (pid == pm || parentPID(pid) == pm)
}

// Usage is the memory and disk of each service of the stack.
type Usage struct {
	// PostgresPSS is the proportional set size of the postmaster and all its
	// children (shared buffers counted once); MeiliRSS and RedisRSS are
	// VmHWM, the peak resident set.
	PostgresPSS, MeiliRSS, RedisRSS int64
	// PostgresDisk and MeiliDisk are the bytes of their data folders.
	PostgresDisk, MeiliDisk int64
}

// Usage measures the services now.
func (s *Stack) Usage() Usage {
	var u Usage
	if pm := s.postmasterPID(); pm > 0 {
		u.PostgresPSS = procField(pm, "smaps_rollup", "Pss:")
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			if pid, err := strconv.Atoi(e.Name()); err == nil && parentPID(pid) == pm {
				u.PostgresPSS += procField(pid, "smaps_rollup", "Pss:")
			}
		}
	}
	if s.meili != nil && s.meili.Process != nil {
		u.MeiliRSS = procField(s.meili.Process.Pid, "status", "VmHWM:")
	}
	if s.redis != nil && s.redis.Process != nil {
		u.RedisRSS = procField(s.redis.Process.Pid, "status", "VmHWM:")
	}
	u.PostgresDisk = duBytes(s.pgData)
	u.MeiliDisk = duBytes(s.meiliData)
	return u
}

// MeiliPID, RedisPID and PostgresData name the servers for whoever stops a
// kept stack by hand.
func (s *Stack) MeiliPID() int        { return s.meili.Process.Pid }
func (s *Stack) RedisPID() int        { return s.redis.Process.Pid }
func (s *Stack) PostgresData() string { return s.pgData }

// Close stops the servers and removes their data.
func (s *Stack) Close() {
	if s.redis != nil && s.redis.Process != nil {
		_ = s.redis.Process.Kill()
		_ = s.redis.Wait()
	}
	if s.meili != nil && s.meili.Process != nil {
		_ = s.meili.Process.Kill()
		_ = s.meili.Wait()
	}
	if s.pgData != "" {
		if _, err := os.Stat(filepath.Join(s.pgData, "postmaster.pid")); err == nil {
			_ = pgRun(context.Background(), pgBin+"pg_ctl", "-D", s.pgData, "-m", "immediate", "-w", "stop")
		}
		_ = os.RemoveAll(filepath.Dir(s.pgData))
	}
	_ = os.RemoveAll(s.Dir)
}

// parentPID is field 4 of /proc/<pid>/stat (0 when unreadable).
func parentPID(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(string(f[1]))
	return ppid
}

// procField reads a "Name:  123 kB" line of /proc/<pid>/<file>, in bytes.
func procField(pid int, file, name string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/%s", pid, file))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), name); ok {
			if fs := strings.Fields(rest); len(fs) > 0 {
				kb, _ := strconv.ParseInt(fs[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

// duBytes is the allocated size of the files under dir.
func duBytes(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			n += info.Size()
		}
		return nil
	})
	return n
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
