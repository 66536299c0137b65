package web

import "testing"

func TestAccepts(t *testing.T) {
	for _, tt := range []struct {
		header, coding string
		want           bool
	}{
		{"", "gzip", false},
		{"gzip", "gzip", true},
		{"deflate, gzip;q=1.0, *;q=0.5", "gzip", true},
		{"GZIP", "gzip", true},
		{"gzip;q=0", "gzip", false},
		{"gzip; q=0.000", "gzip", false},
		{"*", "gzip", true},
		{"*;q=0", "gzip", false},
		{"*, gzip;q=0", "gzip", false},
		{"br, gzip", "br", true},
		{"gzip, deflate", "br", false},
		{"xgzip", "gzip", false},
		{"identity", "gzip", false},
	} {
		if got := accepts(tt.header, tt.coding); got != tt.want {
			t.Errorf("accepts(%q, %q) = %v, want %v", tt.header, tt.coding, got, tt.want)
		}
	}
}

func TestCompressible(t *testing.T) {
	for ct, want := range map[string]bool{
		"text/html; charset=utf-8": true, "application/json": true, "application/problem+json": true,
		"text/csv; charset=utf-8": true, "text/css": true, "application/javascript": true, "image/svg+xml": true,
		"application/pdf": false, "image/png": false, "application/zip": false, "application/octet-stream": false, "": false,
	} {
		if got := compressible([]byte(ct)); got != want {
			t.Errorf("compressible(%q) = %v, want %v", ct, got, want)
		}
	}
}

func TestETagMatches(t *testing.T) {
	const etag = `"abc123"`
	for header, want := range map[string]bool{
		`"abc123"`: true, `"abc123-gzip"`: true, `"abc123-br"`: true, `W/"abc123"`: true, `W/"abc123-gzip"`: true,
		`"x", "abc123-br"`: true, `*`: true,
		``: false, `"abc12"`: false, `"abc1234"`: false, `"abc123-zstd"`: false, `""`: false,
	} {
		if got := etagMatches(header, etag); got != want {
			t.Errorf("etagMatches(%q) = %v, want %v", header, got, want)
		}
	}
}
