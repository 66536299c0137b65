// Package config reads Dure's configuration from environment variables once,
// into a typed struct that is passed to whoever needs it.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Environments. Production is the default: only an explicit DURE_ENV=development
// (which the Makefile sets for make run, make test and make bench) gets the
// development defaults — a public cookie secret, the local Meilisearch key and
// stripe-mock with its test-card button.
const (
	Production  = "production"
	Development = "development"
)

// Config is Dure's whole configuration. Defaults match scripts/services in
// development; production has no secret defaults at all.
type Config struct {
	// Env is Production or Development (DURE_ENV, default production).
	Env  string
	Addr string // DURE_ADDR
	// AdminAddr is the operators' listen address: /healthz with each
	// dependency's error and latency, and /metrics (DURE_ADMIN_ADDR, default
	// 127.0.0.1:3001 in every mode; set but empty turns it off). Keep it
	// private: the storefront's /healthz says only up or down.
	AdminAddr   string
	DatabaseURL string // DURE_DATABASE_URL
	// DatabaseReplicaURL, when set, is a read replica of DatabaseURL
	// (streaming replication) that the storefront's catalogue pages read
	// (DURE_DATABASE_REPLICA_URL); writes and everything in a cart or a
	// checkout stay on the primary. Default none: all on the primary.
	DatabaseReplicaURL string
	RedisURL           string        // DURE_REDIS_URL
	MeiliURL           string        // DURE_MEILI_URL
	MeiliKey           string        // DURE_MEILI_KEY
	MeiliIndex         string        // DURE_MEILI_INDEX
	StripeKey          string        // DURE_STRIPE_KEY
	StripeAPIBase      string        // DURE_STRIPE_API_BASE ("" = api.stripe.com; stripe-mock's URL only in development)
	StripeWebhookKey   string        // DURE_STRIPE_WEBHOOK_SECRET
	LogFormat          string        // DURE_LOG_FORMAT: text | json
	LogLevel           string        // DURE_LOG_LEVEL: debug | info | warn | error
	DevTemplates       string        // DURE_DEV_TEMPLATES: read templates from this folder on each request
	OutboxInterval     time.Duration // DURE_OUTBOX_INTERVAL: how often the index worker polls
	RunWorker          bool          // DURE_RUN_WORKER: run the outbox worker inside serve
	SearchTimeout      time.Duration // DURE_SEARCH_TIMEOUT: Meilisearch budget before falling back
	ReservationTTL     time.Duration // DURE_RESERVATION_TTL: how long an unpaid order holds its stock
	OrderInterval      time.Duration // DURE_ORDER_INTERVAL: how often the order worker expires reservations
	// ReconcileAfter is how long an order may await payment before the order
	// worker asks Stripe about it, in case its webhook was lost
	// (DURE_RECONCILE_AFTER).
	ReconcileAfter time.Duration
	// ReconcileInterval is how often the order worker does that
	// (DURE_RECONCILE_INTERVAL).
	ReconcileInterval time.Duration
	// CookieSecret signs the cart, order-access and CSRF cookies and tokens
	// (DURE_COOKIE_SECRET, at least 32 bytes). The default is for development
	// only: set a random one in production, the same on every instance.
	CookieSecret string
	// SecureCookies forces the Secure flag on cookies (DURE_SECURE_COOKIES);
	// otherwise it is set when the request came over https (directly or via
	// X-Forwarded-Proto), so http://127.0.0.1 keeps working in development.
	SecureCookies bool
	// StripePublishableKey is the pk_... key the Stripe.js card form on the
	// payment page uses (DURE_STRIPE_PUBLISHABLE_KEY); unused with stripe-mock.
	StripePublishableKey string
	// TrustedProxies are the addresses or CIDR ranges of the reverse proxies in
	// front of serve (DURE_TRUSTED_PROXIES, comma-separated; default none).
	// Only a request from one of them has its client address read from
	// ProxyHeader (and its scheme from X-Forwarded-Proto); from anyone else
	// those headers are ignored, so the checkout rate limit keys on the peer.
	TrustedProxies []string
	// ProxyHeader is the header a trusted proxy puts the client address in
	// (DURE_PROXY_HEADER, default X-Real-IP: one address the proxy sets, not a
	// list the client could have started).
	ProxyHeader string
	// BenchHello serves GET /bench/hello, the benchmark's hello-world floor
	// (DURE_BENCH_HELLO; only `make bench` sets it).
	BenchHello bool
	// BaseURL is the site's public address, for links in e-mails
	// (DURE_BASE_URL; development default http://127.0.0.1:3000).
	BaseURL string
	// FeedToken, when set, protects the product feeds (/feeds/…): a reader
	// must add ?token=… (DURE_FEED_TOKEN; default none: feeds are public,
	// like the storefront they describe).
	FeedToken string
	// UploadDir is the folder of the local blob store for uploaded images
	// (DURE_UPLOAD_DIR, default var/uploads). Every instance must see the
	// same files: a shared volume, or later an S3-compatible store.
	UploadDir string
	// FontDir holds NanumGothic.ttf and NanumGothicBold.ttf, embedded in the
	// documents' PDFs (DURE_FONT_DIR, default Debian's fonts-nanum folder
	// /usr/share/fonts/truetype/nanum; a production image must install
	// fonts-nanum or copy the two files there).
	FontDir string
	// PprofAddr, when set, serves net/http/pprof on this separate loopback
	// address (DURE_PPROF_ADDR), for profiling under `make bench`. Never
	// expose it publicly.
	PprofAddr string
}

// DevCookieSecret is DURE_COOKIE_SECRET's default, fit for development only.
const DevCookieSecret = "dure-dev-cookie-secret-change-me-0123456789"

// DevStripeMock is DURE_STRIPE_API_BASE's development default: stripe-mock as
// scripts/services starts it.
const DevStripeMock = "http://127.0.0.1:12111"

// Variables is every environment variable FromLookup reads: the one list of
// what a deployment may set (deploy/ checks its manifests and the Dockerfile
// against it; a test checks it against FromLookup).
var Variables = []string{
	"DURE_ENV", "DURE_ADDR", "DURE_ADMIN_ADDR", "DURE_DATABASE_URL", "DURE_DATABASE_REPLICA_URL", "DURE_REDIS_URL",
	"DURE_MEILI_URL", "DURE_MEILI_KEY", "DURE_MEILI_INDEX",
	"DURE_STRIPE_KEY", "DURE_STRIPE_API_BASE", "DURE_STRIPE_WEBHOOK_SECRET", "DURE_STRIPE_PUBLISHABLE_KEY",
	"DURE_LOG_FORMAT", "DURE_LOG_LEVEL", "DURE_DEV_TEMPLATES",
	"DURE_OUTBOX_INTERVAL", "DURE_RUN_WORKER", "DURE_SEARCH_TIMEOUT",
	"DURE_RESERVATION_TTL", "DURE_ORDER_INTERVAL", "DURE_RECONCILE_AFTER", "DURE_RECONCILE_INTERVAL",
	"DURE_COOKIE_SECRET", "DURE_SECURE_COOKIES", "DURE_TRUSTED_PROXIES", "DURE_PROXY_HEADER",
	"DURE_BENCH_HELLO", "DURE_BASE_URL", "DURE_FEED_TOKEN", "DURE_UPLOAD_DIR", "DURE_FONT_DIR", "DURE_PPROF_ADDR",
}

// FromEnv reads the configuration from the environment and validates it.
func FromEnv() (Config, error) { return FromLookup(os.LookupEnv) }

// FromLookup is FromEnv reading variables through lookup (tests pass their own).
func FromLookup(lookup func(string) (string, bool)) (Config, error) {
	env := func(name, def string) string {
		if v, ok := lookup(name); ok && v != "" {
			return v
		}
		return def
	}
	mode := env("DURE_ENV", Production)
	dev := func(v string) string {
		if mode == Development {
			return v
		}
		return ""
	}
	c := Config{
		Env:              mode,
		Addr:             env("DURE_ADDR", "127.0.0.1:3000"),
		DatabaseURL:      env("DURE_DATABASE_URL", "postgres://postgres@127.0.0.1:55432/dure?sslmode=disable"),
		RedisURL:         env("DURE_REDIS_URL", "redis://127.0.0.1:56379/0"),
		MeiliURL:         env("DURE_MEILI_URL", "http://127.0.0.1:57700"),
		MeiliKey:         env("DURE_MEILI_KEY", dev("dure-dev-master-key-0123456789")),
		MeiliIndex:       env("DURE_MEILI_INDEX", "products"),
		StripeKey:        env("DURE_STRIPE_KEY", dev("sk_test_123")),
		StripeWebhookKey: env("DURE_STRIPE_WEBHOOK_SECRET", dev("whsec_dure_dev")),
		LogFormat:        env("DURE_LOG_FORMAT", "text"),
		LogLevel:         env("DURE_LOG_LEVEL", "info"),
		DevTemplates:     env("DURE_DEV_TEMPLATES", ""),
		CookieSecret:     env("DURE_COOKIE_SECRET", dev(DevCookieSecret)),

		StripePublishableKey: env("DURE_STRIPE_PUBLISHABLE_KEY", ""),
		PprofAddr:            env("DURE_PPROF_ADDR", ""),
		BaseURL:              env("DURE_BASE_URL", dev("http://127.0.0.1:3000")),
		FeedToken:            env("DURE_FEED_TOKEN", ""),
		DatabaseReplicaURL:   env("DURE_DATABASE_REPLICA_URL", ""),
		UploadDir:            env("DURE_UPLOAD_DIR", "var/uploads"),
		FontDir:              env("DURE_FONT_DIR", "/usr/share/fonts/truetype/nanum"),
		ProxyHeader:          env("DURE_PROXY_HEADER", "X-Real-IP"),
	}
	// Set but empty means the real Stripe API, in every mode; unset means
	// stripe-mock in development only.
	if v, ok := lookup("DURE_STRIPE_API_BASE"); ok {
		c.StripeAPIBase = strings.TrimSpace(v)
	} else {
		c.StripeAPIBase = dev(DevStripeMock)
	}
	c.AdminAddr = "127.0.0.1:3001"
	if v, ok := lookup("DURE_ADMIN_ADDR"); ok {
		c.AdminAddr = strings.TrimSpace(v)
	}
	for _, p := range strings.Split(env("DURE_TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	var errs []error
	duration := func(name string, def time.Duration, errs *[]error) time.Duration {
		return parseDuration(name, env(name, ""), def, errs)
	}
	boolean := func(name string, def bool, errs *[]error) bool {
		return parseBool(name, env(name, ""), def, errs)
	}
	c.OutboxInterval = duration("DURE_OUTBOX_INTERVAL", 200*time.Millisecond, &errs)
	c.SearchTimeout = duration("DURE_SEARCH_TIMEOUT", 500*time.Millisecond, &errs)
	c.RunWorker = boolean("DURE_RUN_WORKER", true, &errs)
	c.ReservationTTL = duration("DURE_RESERVATION_TTL", 15*time.Minute, &errs)
	c.OrderInterval = duration("DURE_ORDER_INTERVAL", 30*time.Second, &errs)
	c.ReconcileAfter = duration("DURE_RECONCILE_AFTER", 5*time.Minute, &errs)
	c.ReconcileInterval = duration("DURE_RECONCILE_INTERVAL", time.Minute, &errs)
	c.SecureCookies = boolean("DURE_SECURE_COOKIES", false, &errs)
	c.BenchHello = boolean("DURE_BENCH_HELLO", false, &errs)
	errs = append(errs, c.Validate())
	return c, errors.Join(errs...)
}

// Validate reports every setting that cannot work.
func (c Config) Validate() error {
	var errs []error
	for name, u := range map[string]string{"DURE_DATABASE_URL": c.DatabaseURL, "DURE_REDIS_URL": c.RedisURL, "DURE_MEILI_URL": c.MeiliURL} {
		if p, err := url.Parse(u); err != nil || p.Scheme == "" || p.Host == "" {
			errs = append(errs, fmt.Errorf("%s: not a URL: %q", name, u))
		}
	}
	if c.DatabaseReplicaURL != "" {
		if p, err := url.Parse(c.DatabaseReplicaURL); err != nil || p.Scheme == "" || p.Host == "" {
			errs = append(errs, fmt.Errorf("DURE_DATABASE_REPLICA_URL: not a URL: %q", c.DatabaseReplicaURL))
		}
	}
	if c.StripeAPIBase != "" {
		if p, err := url.Parse(c.StripeAPIBase); err != nil || p.Host == "" {
			errs = append(errs, fmt.Errorf("DURE_STRIPE_API_BASE: not a URL: %q", c.StripeAPIBase))
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("DURE_LOG_FORMAT: want text or json, got %q", c.LogFormat))
	}
	if c.MeiliIndex == "" {
		errs = append(errs, errors.New("DURE_MEILI_INDEX: empty"))
	}
	if c.OutboxInterval <= 0 || c.SearchTimeout <= 0 {
		errs = append(errs, errors.New("DURE_OUTBOX_INTERVAL and DURE_SEARCH_TIMEOUT must be positive"))
	}
	if c.ReservationTTL < time.Minute || c.OrderInterval <= 0 {
		errs = append(errs, errors.New("DURE_RESERVATION_TTL must be at least 1m and DURE_ORDER_INTERVAL positive"))
	}
	if c.ReconcileAfter <= 0 || c.ReconcileInterval <= 0 {
		errs = append(errs, errors.New("DURE_RECONCILE_AFTER and DURE_RECONCILE_INTERVAL must be positive"))
	}
	for _, p := range c.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			errs = append(errs, fmt.Errorf("DURE_TRUSTED_PROXIES: %q is neither an IP address nor a CIDR range", p))
		}
	}
	if len(c.TrustedProxies) > 0 && strings.TrimSpace(c.ProxyHeader) == "" {
		errs = append(errs, errors.New("DURE_PROXY_HEADER: empty while DURE_TRUSTED_PROXIES is set"))
	}
	if c.AdminAddr != "" {
		if _, _, err := net.SplitHostPort(c.AdminAddr); err != nil {
			errs = append(errs, fmt.Errorf("DURE_ADMIN_ADDR: %q is not host:port", c.AdminAddr))
		}
	}
	if c.Env != Production && c.Env != Development {
		errs = append(errs, fmt.Errorf("DURE_ENV: want production or development, got %q", c.Env))
	}
	if c.CookieSecret != "" && len(c.CookieSecret) < 32 {
		errs = append(errs, errors.New("DURE_COOKIE_SECRET: must be at least 32 bytes"))
	}
	return errors.Join(errs...)
}

// IsDevelopment reports whether development defaults and tools (stripe-mock,
// the test-card button, demo accounts) are allowed.
func (c Config) IsDevelopment() bool { return c.Env == Development }

// CheckServe is what serve (and the worker) need beyond Validate: outside
// development it refuses, naming the variable to set, every secret left at a
// development value or unset, and a Stripe API base other than the real one
// (the mock is for development only).
func (c Config) CheckServe() error {
	var errs []error
	if c.CookieSecret == "" {
		errs = append(errs, errors.New("DURE_COOKIE_SECRET: unset; set a random secret of at least 32 bytes (e.g. `openssl rand -base64 48`), the same on every instance"))
	}
	if c.IsDevelopment() {
		return errors.Join(errs...)
	}
	if c.CookieSecret == DevCookieSecret {
		errs = append(errs, errors.New("DURE_COOKIE_SECRET: the public development secret; set a random one of at least 32 bytes"))
	}
	if c.MeiliKey == "" || c.MeiliKey == "dure-dev-master-key-0123456789" {
		errs = append(errs, errors.New("DURE_MEILI_KEY: unset or the development key; set your Meilisearch API key"))
	}
	if c.StripeKey == "" || c.StripeKey == "sk_test_123" {
		errs = append(errs, errors.New("DURE_STRIPE_KEY: unset or the development key; set your Stripe secret key"))
	}
	if c.StripeWebhookKey == "" || c.StripeWebhookKey == "whsec_dure_dev" {
		errs = append(errs, errors.New("DURE_STRIPE_WEBHOOK_SECRET: unset or the development secret; set the webhook endpoint's signing secret"))
	}
	if !strings.HasPrefix(c.BaseURL, "https://") {
		errs = append(errs, fmt.Errorf("DURE_BASE_URL: %q; set the site's public https address (links in e-mails use it)", c.BaseURL))
	}
	if c.StripeAPIBase != "" {
		errs = append(errs, fmt.Errorf("DURE_STRIPE_API_BASE: %q outside development; leave it unset (api.stripe.com) or set DURE_ENV=development to use stripe-mock", c.StripeAPIBase))
	}
	if len(errs) > 0 {
		errs = append([]error{errors.New("refusing to serve in production (DURE_ENV is not development)")}, errs...)
	}
	return errors.Join(errs...)
}

func parseDuration(name, v string, def time.Duration, errs *[]error) time.Duration {
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("%s: %w", name, err))
		return def
	}
	return d
}

func parseBool(name, v string, def bool, errs *[]error) bool {
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("%s: %w", name, err))
		return def
	}
	return b
}
