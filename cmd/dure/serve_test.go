package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/config"
)

func TestCheckPayments(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		base, pk   string
		wantRefuse bool
	}{
		{"stripe-mock without a publishable key", "http://127.0.0.1:12111", "", false},
		{"Stripe with a publishable key", "", "pk_live_x", false},
		{"Stripe without a publishable key", "", "", true},
		{"Stripe by its URL without a key", "https://api.stripe.com", "", true},
	} {
		cfg := config.Config{StripeKey: "sk_test_x", StripeAPIBase: tt.base, StripePublishableKey: tt.pk, StripeWebhookKey: "whsec_x"}
		err := checkPayments(cfg)
		if refused := err != nil && strings.Contains(err.Error(), "DURE_STRIPE_PUBLISHABLE_KEY"); refused != tt.wantRefuse {
			t.Errorf("%s: checkPayments = %v, want refused %v", tt.name, err, tt.wantRefuse)
		}
	}
}

// serve in production refuses to start without its secrets, before it
// connects to anything, and says which variables to set.
func TestServeRefusesProductionWithoutSecrets(t *testing.T) {
	t.Parallel()
	cfg, err := config.FromLookup(func(name string) (string, bool) {
		if name == "DURE_DATABASE_URL" {
			return "postgres://nobody@127.0.0.1:1/none", true // never reached
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	err = runServe(t.Context(), cfg, slog.New(slog.DiscardHandler), nil)
	if err == nil || !strings.Contains(err.Error(), "DURE_COOKIE_SECRET") || strings.Contains(err.Error(), "connect") {
		t.Fatalf("runServe in production without secrets = %v, want a refusal naming DURE_COOKIE_SECRET", err)
	}
}

// The test-card button needs development mode as well as stripe-mock.
func TestTestPaymentsOnlyInDevelopment(t *testing.T) {
	t.Parallel()
	for env, want := range map[string]bool{config.Development: true, config.Production: false} {
		cfg := config.Config{Env: env, StripeKey: "sk_test_x", StripeAPIBase: config.DevStripeMock, StripeWebhookKey: "whsec_x"}
		_, test, err := openOrders(t.Context(), cfg, nil, nil, nil, nil, nil, slog.New(slog.DiscardHandler))
		if err != nil || test != want {
			t.Errorf("%s with stripe-mock: test payments %v (%v), want %v", env, test, err, want)
		}
	}
}

// serve answers on the storefront's and the admin's address at once, each
// with only its own routes, and shuts both down (then the workers) when ctx
// ends.
func TestServeAllAdminApart(t *testing.T) {
	t.Parallel()
	front, admin := fiber.New(fiber.Config{DisableStartupMessage: true}), fiber.New(fiber.Config{DisableStartupMessage: true})
	front.Get("/", func(c *fiber.Ctx) error { return c.SendString("front") })
	admin.Get("/metrics", func(c *fiber.Ctx) error { return c.SendString("metrics") })
	ls := []listener{{name: "front", app: front}, {name: "admin", app: admin}}
	for i := range ls {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls[i].ln = ln
	}
	ctx, cancel := context.WithCancel(t.Context())
	stopped := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- serveAll(ctx, slog.New(slog.DiscardHandler), ls, func() { close(stopped) }) }()
	get := func(ln net.Listener, path string) int {
		resp, err := http.Get("http://" + ln.Addr().String() + path)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(ls[0].ln, "/"); got != 200 {
		t.Errorf("storefront /: %d", got)
	}
	if got := get(ls[0].ln, "/metrics"); got != 404 {
		t.Errorf("storefront /metrics: %d, want 404", got)
	}
	if got := get(ls[1].ln, "/metrics"); got != 200 {
		t.Errorf("admin /metrics: %d", got)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serveAll: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serveAll did not return after ctx ended")
	}
	select {
	case <-stopped:
	default:
		t.Error("workers not stopped")
	}
	if got := get(ls[1].ln, "/metrics"); got != 0 {
		t.Errorf("admin still answers after shutdown: %d", got)
	}
}

// Start-up runs at Go's default GOGC; serving at serveGCPercent, unless
// GOGC is set in the environment. Not parallel: it sets the process's GOGC.
func TestStartedGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	t.Setenv("GOGC", "")
	startedGC()
	if got := debug.SetGCPercent(100); got != serveGCPercent {
		t.Errorf("GOGC unset: serving at %d, want %d", got, serveGCPercent)
	}
	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	startedGC()
	if got := debug.SetGCPercent(100); got != 150 {
		t.Errorf("GOGC=150: serving at %d, want the environment's 150", got)
	}
}
