// Package blob stores uploaded files (product images, documents) under keys
// such as "ab/ab12….jpg". The web layer serves them at /media/u/<key>.
//
// Store is the whole contract; Dir keeps files in a local folder. An
// S3-compatible implementation (object storage) can come later behind the
// same interface without touching its callers, which is why the interface
// asks no more than object storage gives: whole-object writes, reads with a
// size and content type, and deletes that do not report a missing key.
package blob

import (
	"context"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
)

// MaxKeyLen is the longest key accepted, in bytes.
const MaxKeyLen = 256

// Info describes a stored file.
type Info struct {
	Size        int64
	ContentType string
	ModTime     time.Time
}

// Store keeps files under keys. A key is one or more segments of ASCII
// letters, digits, '.', '_' and '-' joined by '/'; no segment is empty or
// begins with '.' (so no "..", no hidden files, no absolute paths). Every
// method returns apperr.Invalid for a key that breaks these rules.
type Store interface {
	// Put stores what r yields under key, replacing any file there, with
	// contentType recorded for serving. contentType must be one the caller
	// determined itself (imageproc's output type), never the client's claim.
	// A reader sees either the old file or the whole new one, never a part.
	// It returns apperr.Invalid for a bad key or content type.
	Put(ctx context.Context, key string, r io.Reader, contentType string) error
	// Open returns the file under key and its Info; the caller closes it.
	// It returns apperr.NotFound when there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Delete removes the file under key. Deleting a missing key is not an
	// error: object stores do not tell, and a retried delete must succeed.
	Delete(ctx context.Context, key string) error
}

// ValidateKey returns apperr.Invalid unless key follows Store's key rules.
func ValidateKey(key string) error {
	if key == "" || len(key) > MaxKeyLen {
		return errBadKey()
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg[0] == '.' {
			return errBadKey()
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			switch {
			case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
			default:
				return errBadKey()
			}
		}
	}
	return nil
}

func errBadKey() error {
	return apperr.Errorf(apperr.Invalid, "파일 이름이 올바르지 않습니다.")
}

// validateContentType accepts a well-formed media type on one line, the
// only kind that is safe to send back as a Content-Type header.
func validateContentType(ct string) error {
	if ct == "" || len(ct) > 255 || strings.ContainsAny(ct, "\r\n") {
		return apperr.Errorf(apperr.Invalid, "파일 형식이 올바르지 않습니다.")
	}
	if _, _, err := mime.ParseMediaType(ct); err != nil {
		return apperr.Errorf(apperr.Invalid, "파일 형식이 올바르지 않습니다.")
	}
	return nil
}
