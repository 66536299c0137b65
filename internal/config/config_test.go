package config

import (
	"slices"
	"strings"
	"testing"
)

func TestTrustedProxies(t *testing.T) {
	t.Setenv("DURE_TRUSTED_PROXIES", " 10.0.0.0/8, 192.168.1.5 ,,")
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.TrustedProxies, []string{"10.0.0.0/8", "192.168.1.5"}) || c.ProxyHeader != "X-Real-IP" {
		t.Errorf("TrustedProxies %q, ProxyHeader %q", c.TrustedProxies, c.ProxyHeader)
	}

	t.Setenv("DURE_TRUSTED_PROXIES", "10.0.0.0/8,proxy.local")
	if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), `"proxy.local"`) {
		t.Errorf("FromEnv with a host name as proxy = %v, want an error naming it", err)
	}

	t.Setenv("DURE_TRUSTED_PROXIES", "")
	c, err = FromEnv()
	if err != nil || c.TrustedProxies != nil {
		t.Errorf("no proxies: %q, %v", c.TrustedProxies, err)
	}
}

func lookup(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
}

// Production is the default and has no secret defaults: serve refuses to
// start, naming each variable to set (a deployment could otherwise sign
// cookies with the public development secret).
func TestProductionFailsClosed(t *testing.T) {
	c, err := FromLookup(lookup(map[string]string{"DURE_STRIPE_PUBLISHABLE_KEY": "pk_live_x"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != Production || c.CookieSecret != "" || c.MeiliKey != "" || c.StripeKey != "" || c.StripeAPIBase != "" {
		t.Fatalf("production defaults leak development values: %+v", c)
	}
	err = c.CheckServe()
	for _, name := range []string{"DURE_COOKIE_SECRET", "DURE_MEILI_KEY", "DURE_STRIPE_KEY", "DURE_STRIPE_WEBHOOK_SECRET"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("CheckServe = %v, want it to name %s", err, name)
		}
	}

	// The development secrets set explicitly are refused too, and so is the mock.
	c, err = FromLookup(lookup(map[string]string{
		"DURE_COOKIE_SECRET": DevCookieSecret, "DURE_MEILI_KEY": "k", "DURE_STRIPE_KEY": "sk_live_x",
		"DURE_STRIPE_WEBHOOK_SECRET": "whsec_x", "DURE_STRIPE_API_BASE": DevStripeMock,
	}))
	if err != nil {
		t.Fatal(err)
	}
	err = c.CheckServe()
	if err == nil || !strings.Contains(err.Error(), "DURE_COOKIE_SECRET") || !strings.Contains(err.Error(), "DURE_STRIPE_API_BASE") {
		t.Errorf("CheckServe with the development secret and stripe-mock = %v", err)
	}

	// A complete production configuration serves.
	c, err = FromLookup(lookup(map[string]string{"DURE_BASE_URL": "https://dure.example",
		"DURE_COOKIE_SECRET": strings.Repeat("s3cr3t", 8), "DURE_MEILI_KEY": "k", "DURE_STRIPE_KEY": "sk_live_x",
		"DURE_STRIPE_WEBHOOK_SECRET": "whsec_x",
	}))
	if err != nil || c.CheckServe() != nil {
		t.Errorf("complete production configuration: %v / %v", err, c.CheckServe())
	}
}

// In development the defaults work as before; DURE_STRIPE_API_BASE set but
// empty means the real API there too (it used to select stripe-mock).
func TestDevelopmentDefaultsAndEmptyStripeBase(t *testing.T) {
	c, err := FromLookup(lookup(map[string]string{"DURE_ENV": "development"}))
	if err != nil || c.CheckServe() != nil {
		t.Fatalf("development defaults: %v / %v", err, c.CheckServe())
	}
	if c.StripeAPIBase != DevStripeMock || c.CookieSecret != DevCookieSecret {
		t.Errorf("development defaults: base %q, secret %q", c.StripeAPIBase, c.CookieSecret)
	}
	c, _ = FromLookup(lookup(map[string]string{"DURE_ENV": "development", "DURE_STRIPE_API_BASE": ""}))
	if c.StripeAPIBase != "" {
		t.Errorf("DURE_STRIPE_API_BASE= in development = %q, want the real API (empty)", c.StripeAPIBase)
	}
	if _, err := FromLookup(lookup(map[string]string{"DURE_ENV": "staging"})); err == nil {
		t.Error("DURE_ENV=staging accepted")
	}
}

// The operators' address (detailed health, metrics) is loopback by default
// in every mode, and set but empty turns it off.
func TestAdminAddr(t *testing.T) {
	for _, tt := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{}, "127.0.0.1:3001"},
		{map[string]string{"DURE_ENV": "development"}, "127.0.0.1:3001"},
		{map[string]string{"DURE_ADMIN_ADDR": ""}, ""},
		{map[string]string{"DURE_ADMIN_ADDR": "10.0.0.5:9090"}, "10.0.0.5:9090"},
	} {
		c, err := FromLookup(lookup(tt.vars))
		if err != nil || c.AdminAddr != tt.want {
			t.Errorf("%v: AdminAddr %q, %v; want %q", tt.vars, c.AdminAddr, err, tt.want)
		}
	}
	if _, err := FromLookup(lookup(map[string]string{"DURE_ADMIN_ADDR": "3001"})); err == nil || !strings.Contains(err.Error(), "DURE_ADMIN_ADDR") {
		t.Errorf("DURE_ADMIN_ADDR=3001: %v, want an error naming it", err)
	}
}

// Variables is the list deploy/ checks its manifests against: it must name
// exactly what FromLookup reads, no more and no less.
func TestVariablesIsWhatFromLookupReads(t *testing.T) {
	read := map[string]bool{}
	_, _ = FromLookup(func(name string) (string, bool) { read[name] = true; return "", false })
	for _, name := range Variables {
		if !read[name] {
			t.Errorf("Variables lists %s, which FromLookup never reads", name)
		}
		delete(read, name)
	}
	for name := range read {
		t.Errorf("FromLookup reads %s, missing from Variables", name)
	}
}
