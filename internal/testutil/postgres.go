package testutil

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/postgres"
)

// pgBin is Debian's postgresql-15 (scripts/services installs it).
const pgBin = "/usr/lib/postgresql/15/bin/"

// PrivatePostgres is a PostgreSQL server of the test's own (initdb in a
// temp folder, fsync off), for tests that stop and restart it.
type PrivatePostgres struct {
	tb   testing.TB
	Port int
	dir  string
}

// StartPostgres initialises and starts a private PostgreSQL 15 on a free
// loopback port; it is stopped and removed when the test ends. As root the
// server runs as the postgres user (it refuses root).
func StartPostgres(tb testing.TB) *PrivatePostgres {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	dir, err := os.MkdirTemp("", "dure-pg-")
	if err != nil {
		tb.Fatal(err)
	}
	p := &PrivatePostgres{tb: tb, Port: port, dir: dir}
	tb.Cleanup(func() { p.Stop(); _ = os.RemoveAll(dir) })
	if os.Getuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			tb.Fatalf("testutil: no postgres user to run a private server as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			tb.Fatal(err)
		}
	}
	p.run(pgBin+"initdb", "-D", dir+"/data", "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
	p.Start()
	return p
}

// run runs a PostgreSQL program, as the postgres user when root.
func (p *PrivatePostgres) run(args ...string) {
	p.tb.Helper()
	if os.Getuid() == 0 {
		args = append([]string{"runuser", "-u", "postgres", "--"}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = "/"
	if out, err := cmd.CombinedOutput(); err != nil {
		p.tb.Fatalf("testutil: %v: %v\n%s", args, err, out)
	}
}

// URL is the address of database db on the server.
func (p *PrivatePostgres) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", p.Port, db)
}

// Start (re)starts the server on the same port and data and waits until
// it takes connections.
func (p *PrivatePostgres) Start() {
	p.tb.Helper()
	p.run(pgBin+"pg_ctl", "-D", p.dir+"/data", "-l", p.dir+"/server.log", "-w", "-t", "60", "-o",
		fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=60", p.Port), "start")
}

// Stop stops the server at once (as a crash or a killed host would: no
// checkpoint), if it runs.
func (p *PrivatePostgres) Stop() {
	if _, err := os.Stat(p.dir + "/data/postmaster.pid"); err != nil {
		return
	}
	p.run(pgBin+"pg_ctl", "-D", p.dir+"/data", "-m", "immediate", "-w", "stop")
}

// NewDB creates and migrates a database on the server and returns a pool
// on it (closed when the test ends).
func (p *PrivatePostgres) NewDB(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	admin, err := postgres.Open(ctx, p.URL("postgres"))
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	name := Name("dure_t")
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatal(err)
	}
	pool, err := postgres.Open(ctx, p.URL(name))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	if err := postgres.Migrate(ctx, pool); err != nil {
		tb.Fatal(err)
	}
	return pool
}
