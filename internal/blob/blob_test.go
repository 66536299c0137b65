package blob_test

import (
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/blob"
)

func TestValidateKey(t *testing.T) {
	t.Parallel()
	long := make([]byte, blob.MaxKeyLen+1)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		key string
		ok  bool
	}{
		{"a.jpg", true},
		{"ab/ab12cd_t.jpg", true},
		{"u/2026/06/A-b_c.1.png", true},
		{string(long[:blob.MaxKeyLen]), true},
		{"", false},
		{string(long), false},
		{"..", false},
		{"../etc/passwd", false},
		{"a/../../b", false},
		{"a/./b", false},
		{"/etc/passwd", false},
		{"a/", false},
		{"a//b", false},
		{".hidden", false},
		{"a/.b.jpg.type", false},
		{`a\b`, false},
		{"a b.jpg", false},
		{"a%2f..", false},
		{"사진.jpg", false},
		{"a\x00b", false},
		{"a:b", false},
		{"C:/x", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			err := blob.ValidateKey(tt.key)
			if tt.ok && err != nil {
				t.Fatalf("ValidateKey(%q) = %v, want nil", tt.key, err)
			}
			if !tt.ok && apperr.Code(err) != apperr.Invalid {
				t.Fatalf("ValidateKey(%q) = %v, want Invalid", tt.key, err)
			}
		})
	}
}
