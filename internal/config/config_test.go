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
