package account_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"
)

// testParams keeps argon2id cheap in service tests; the hashing itself is
// tested with the real parameters in password_test.go.
var testParams = account.PasswordParams{Memory: 64, Time: 1, Threads: 1}

const pw = "두레-비밀번호-2026!"

// clock is the services' clock, moved by tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a service on a fresh database and Redis prefix, with the real
// PostgreSQL store, Redis session store and Redis rate limiter.
type env struct {
	t      *testing.T
	pool   *pgxpool.Pool
	rdb    *goredis.Client
	prefix string
	svc    *account.Service
	mail   *mail.Outbox
	clock  *clock
	ips    atomic.Int64
	bns    atomic.Int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := testutil.NewDB(t)
	rdb, prefix := testutil.NewRedis(t)
	e := &env{t: t, pool: pool, rdb: rdb, prefix: prefix, mail: &mail.Outbox{},
		clock: &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	svc, err := account.NewService(postgres.NewAccountStore(pool), redis.NewSessionStore(rdb, prefix), e.mail,
		redis.NewRateLimiter(rdb, prefix), account.Config{BaseURL: "https://dure.test/", Now: e.clock.Now, Password: testParams})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return e
}

// ip returns a client address no other sign-in of the test used, so tests
// that sign in often stay under the per-IP limit.
func (e *env) ip() string {
	n := e.ips.Add(1)
	return fmt.Sprintf("198.51.%d.%d", n/250, n%250+1)
}

// signUp creates a consumer with password pw.
func (e *env) signUp(email string) *account.User {
	e.t.Helper()
	u, err := e.svc.SignUp(context.Background(), account.SignUpInput{Name: "김두레", Email: email, Phone: "010-1234-5678",
		Password: pw, PasswordConfirm: pw})
	if err != nil {
		e.t.Fatalf("SignUp(%s): %v", email, err)
	}
	return u
}

func (e *env) signIn(email, password string) (*account.Actor, string) {
	e.t.Helper()
	a, sid, err := e.svc.SignIn(context.Background(), email, password, e.ip())
	if err != nil {
		e.t.Fatalf("SignIn(%s): %v", email, err)
	}
	return a, sid
}

// session returns the actor of a session, failing the test if it has none.
func (e *env) session(sid string) *account.Actor {
	e.t.Helper()
	a, err := e.svc.ActorForSession(context.Background(), sid)
	if err != nil {
		e.t.Fatalf("ActorForSession: %v", err)
	}
	return a
}

// ended asserts the session no longer signs anyone in.
func (e *env) ended(sid, why string) {
	e.t.Helper()
	a, err := e.svc.ActorForSession(context.Background(), sid)
	if a != nil || apperr.Code(err) != apperr.Unauthorized {
		e.t.Errorf("%s: ActorForSession = %+v, %v; want nil, Unauthorized", why, a, err)
	}
}

func as(a *account.Actor) context.Context { return account.NewContext(context.Background(), a) }

// enterprise inserts an enterprise with status and returns its id.
func (e *env) enterprise(name, status string) int64 {
	e.t.Helper()
	n := e.bns.Add(1)
	d9 := fmt.Sprintf("%09d", 220810000+n)
	bn := fmt.Sprintf("%s%d", d9, kr.BusinessNumberCheckDigit(d9))
	var id int64
	err := e.pool.QueryRow(context.Background(), `INSERT INTO enterprises (external_id, name, type, business_number, region, representative, status)
		VALUES ($1, $2, 'cooperative', $3, 'daegu', '대표', $4) RETURNING id`, "ent-"+bn, name, bn, status).Scan(&id)
	if err != nil {
		e.t.Fatalf("insert enterprise: %v", err)
	}
	return id
}

// member creates a member of enterprise and signs them in.
func (e *env) member(enterpriseID int64, email string, role account.MemberRole) (*account.Actor, string) {
	e.t.Helper()
	if _, err := e.svc.CreateEnterpriseMember(context.Background(), enterpriseID, email, "구성원", pw, role); err != nil {
		e.t.Fatalf("CreateEnterpriseMember(%s): %v", email, err)
	}
	return e.signIn(email, pw)
}

// operator creates an operator and signs them in.
func (e *env) operator(email string) (*account.Actor, string) {
	e.t.Helper()
	if _, err := e.svc.CreateOperator(context.Background(), email, "운영자", pw); err != nil {
		e.t.Fatalf("CreateOperator: %v", err)
	}
	return e.signIn(email, pw)
}

var linkRE = regexp.MustCompile(`https://dure\.test(/[a-z/]+)\?token=([A-Za-z0-9_%-]+)`)

// token returns the path and token of the link in the newest mail to addr.
func (e *env) token(addr string) (string, string) {
	e.t.Helper()
	m, ok := e.mail.Last(addr)
	if !ok {
		e.t.Fatalf("no mail to %s", addr)
	}
	g := linkRE.FindStringSubmatch(m.Body)
	if g == nil {
		e.t.Fatalf("no link in the mail to %s: %q", addr, m.Body)
	}
	tok, err := url.QueryUnescape(g[2])
	if err != nil {
		e.t.Fatal(err)
	}
	return g[1], tok
}

func code(err error) string { return apperr.Code(err) }

// fieldsOf returns the field errors of err.
func fieldsOf(err error) map[string]string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func korean(t *testing.T, what, msg string) {
	t.Helper()
	if !regexp.MustCompile(`\p{Hangul}`).MatchString(msg) {
		t.Errorf("%s: message %q is not Korean", what, msg)
	}
}

func keys(m map[string]string) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return strings.Join(ks, ",")
}

// audit returns the audit records matching filter, newest first, as an operator sees them.
func (e *env) audit(filter account.AuditFilter) []*account.AuditRecord {
	e.t.Helper()
	op, _ := e.operator(fmt.Sprintf("auditor%d@dure.test", e.ips.Add(1)))
	recs, _, err := e.svc.FindAuditLog(as(op), filter)
	if err != nil {
		e.t.Fatalf("FindAuditLog: %v", err)
	}
	return recs
}

func sha256hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// jsonIs reports whether the JSON document got equals want semantically
// (jsonb reformats what it stores).
func jsonIs(got json.RawMessage, want string) bool {
	if got == nil {
		return want == ""
	}
	var g, w any
	if json.Unmarshal(got, &g) != nil || json.Unmarshal([]byte(want), &w) != nil {
		return false
	}
	return reflect.DeepEqual(g, w)
}

// jsonField returns field key of a JSON object.
func jsonField(doc json.RawMessage, key string) any {
	var m map[string]any
	if json.Unmarshal(doc, &m) != nil {
		return nil
	}
	return m[key]
}
