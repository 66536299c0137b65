package web

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// staticFile serves a static file: for a year under its fingerprinted name,
// briefly under its plain name.
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
	return c.Send(f.body)
}

// checkResult is one dependency in the /healthz body.
type checkResult struct {
	Status    string  `json:"status"` // ok | error
	LatencyMS float64 `json:"latency_ms"`
	Error     string  `json:"error,omitempty"`
}

type healthBody struct {
	Status string                 `json:"status"` // ok | degraded | down
	Checks map[string]checkResult `json:"checks"`
	Time   string                 `json:"time"`
}

// criticalCheck is the dependency without which nothing works; any other
// failing check only degrades the service (search falls back to PostgreSQL).
const criticalCheck = "postgres"

// healthz probes every dependency concurrently, each with a short budget.
// 200 when PostgreSQL answers (status "degraded" if another does not), 503
// when PostgreSQL does not.
func (s *core) healthz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	names := make([]string, 0, len(s.Checks))
	for n := range s.Checks {
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
			err := s.Checks[n](ctx)
			r := checkResult{Status: "ok", LatencyMS: float64(time.Since(start).Microseconds()) / 1000}
			if err != nil {
				r.Status, r.Error = "error", err.Error()
			}
			results[i] = r
		}()
	}
	wg.Wait()
	body := healthBody{Status: "ok", Checks: make(map[string]checkResult, len(names)), Time: time.Now().UTC().Format(time.RFC3339)}
	status := fiber.StatusOK
	for i, n := range names {
		body.Checks[n] = results[i]
		if results[i].Status != "ok" {
			if n == criticalCheck {
				body.Status, status = "down", fiber.StatusServiceUnavailable
			} else if body.Status == "ok" {
				body.Status = "degraded"
			}
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(body)
}

// metricsHandler serves the Prometheus registry.
func (s *core) metricsHandler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{Registry: s.Metrics.Registry}))
}
