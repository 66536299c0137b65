package web

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dure-coop/dure/internal/metrics"
)

// staticFile serves a static file: for a year under its fingerprinted name,
// briefly under its plain name (old pages and bookmarks), as its brotli or
// gzip copy when the client takes one, with an ETag (the content hash and
// the coding) that a conditional request is answered 304 on.
func (s *core) staticFile(c *fiber.Ctx) error {
	f, ok := s.Templates.static(c.Params("name"))
	if !ok {
		return fiber.ErrNotFound
	}
	if f.immutable {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	c.Set(fiber.HeaderContentType, f.contentType)
	body, coding := f.body, ""
	if f.gzip != nil || f.br != nil {
		c.Vary(fiber.HeaderAcceptEncoding)
		switch ae := c.Get(fiber.HeaderAcceptEncoding); {
		case f.br != nil && accepts(ae, "br"):
			body, coding = f.br, "br"
		case f.gzip != nil && accepts(ae, "gzip"):
			body, coding = f.gzip, "gzip"
		}
	}
	etag := f.etag
	if coding != "" {
		etag = strings.TrimSuffix(etag, `"`) + "-" + coding + `"`
	}
	c.Set(fiber.HeaderETag, etag)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), f.etag) {
		c.Status(fiber.StatusNotModified)
		return nil
	}
	if coding != "" {
		c.Set(fiber.HeaderContentEncoding, coding)
	}
	return c.Send(body)
}

// etagMatches reports whether an If-None-Match value names the entity tag
// etag, in any of its codings ("<hash>-gzip", "<hash>-br") or weakly
// (W/"<hash>", as a proxy that recompressed it may send), or is "*".
func etagMatches(header, etag string) bool {
	want := strings.Trim(etag, `"`)
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" {
			return true
		}
		t = strings.Trim(t, `"`)
		t = strings.TrimSuffix(strings.TrimSuffix(t, "-gzip"), "-br")
		if t != "" && t == want {
			return true
		}
	}
	return false
}

// checkResult is one dependency in the admin /healthz body.
type checkResult struct {
	Status    string  `json:"status"` // up | down
	LatencyMS float64 `json:"latency_ms"`
	Error     string  `json:"error,omitempty"`
}

type healthBody struct {
	Status string                 `json:"status"` // ok | degraded | down
	Checks map[string]checkResult `json:"checks"`
	Time   string                 `json:"time"`
}

// publicHealthBody is what anyone may read: a state per dependency and
// nothing else (no driver error, which names the database user, host and
// port).
type publicHealthBody struct {
	Status string            `json:"status"` // ok | degraded | down
	Checks map[string]string `json:"checks"` // up | down
}

// criticalCheck is the dependency without which nothing works; any other
// failing check only degrades the service (search falls back to PostgreSQL).
const criticalCheck = "postgres"

// probe runs every check concurrently, each within a short budget, and
// returns the overall state with its status code: 200 when PostgreSQL
// answers ("degraded" if another does not), 503 when it does not.
func probe(ctx context.Context, checks map[string]func(context.Context) error) (healthBody, int) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	names := make([]string, 0, len(checks))
	for n := range checks {
		names = append(names, n)
	}
	sort.Strings(names)
	results := make([]checkResult, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			err := checks[n](ctx)
			r := checkResult{Status: "up", LatencyMS: float64(time.Since(start).Microseconds()) / 1000}
			if err != nil {
				r.Status, r.Error = "down", err.Error()
			}
			results[i] = r
		}()
	}
	wg.Wait()
	body := healthBody{Status: "ok", Checks: make(map[string]checkResult, len(names)), Time: time.Now().UTC().Format(time.RFC3339)}
	status := fiber.StatusOK
	for i, n := range names {
		body.Checks[n] = results[i]
		if results[i].Status != "up" {
			if n == criticalCheck {
				body.Status, status = "down", fiber.StatusServiceUnavailable
			} else if body.Status == "ok" {
				body.Status = "degraded"
			}
		}
	}
	return body, status
}

// livez is the liveness probe: 200 while the process serves HTTP, asking
// no dependency, so that an outage of PostgreSQL or Redis never makes an
// orchestrator restart every instance (readiness is /healthz).
func livez(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

// healthz is the public health answer, for load balancers and probes: the
// overall state and up/down per dependency. The details are on the admin
// address (adminHealthz).
func (s *core) healthz(c *fiber.Ctx) error {
	h, status := probe(c.UserContext(), s.Checks)
	body := publicHealthBody{Status: h.Status, Checks: make(map[string]string, len(h.Checks))}
	for n, r := range h.Checks {
		body.Checks[n] = r.Status
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(body)
}

// adminHealthz is healthz with each probe's latency and error, for
// operators only.
func (s *core) adminHealthz(c *fiber.Ctx) error {
	body, status := probe(c.UserContext(), s.Checks)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(body)
}

// metricsHandler serves the Prometheus registry.
func (s *core) metricsHandler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{Registry: s.Metrics.Registry}))
}

// NewAdmin builds the operators' app, served on its own (loopback) address
// (config.Config.AdminAddr) and never through the storefront's port:
// GET /healthz with each dependency's latency and error, and GET /metrics.
// cfg.Metrics must be the registry the storefront's app records into.
func NewAdmin(cfg Config) *fiber.App {
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	s := &core{Config: cfg}
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		AppName:               "dure-admin",
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           90 * time.Second,
	})
	app.Get("/healthz", s.adminHealthz)
	app.Get("/metrics", s.metricsHandler())
	return app
}
