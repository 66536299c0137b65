package blob_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/blob"
)

func newDir(t *testing.T) (*blob.Dir, string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "media")
	d, err := blob.NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d, root
}

func mustRead(t *testing.T, d *blob.Dir, key string) ([]byte, blob.Info) {
	t.Helper()
	rc, info, err := d.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b, info
}

func TestDirPutOpenDelete(t *testing.T) {
	t.Parallel()
	d, root := newDir(t)
	ctx := context.Background()
	const key = "ab/cd/abcdef.jpg"
	if err := d.Put(ctx, key, strings.NewReader("first"), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	b, info := mustRead(t, d, key)
	if string(b) != "first" || info.Size != 5 || info.ContentType != "image/jpeg" || info.ModTime.IsZero() {
		t.Fatalf("got %q %+v", b, info)
	}
	st, err := os.Stat(filepath.Join(root, "ab", "cd", "abcdef.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("file mode = %v, want 0644", st.Mode().Perm())
	}

	// Replacing: the new bytes and type, and no temporary file left over.
	if err := d.Put(ctx, key, strings.NewReader("second, longer"), "image/png"); err != nil {
		t.Fatal(err)
	}
	b, info = mustRead(t, d, key)
	if string(b) != "second, longer" || info.ContentType != "image/png" {
		t.Fatalf("after replace: %q %+v", b, info)
	}
	entries, err := os.ReadDir(filepath.Join(root, "ab", "cd"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 { // the file and its type
		t.Errorf("folder holds %v, want the file and its type only", entries)
	}

	if err := d.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Open(ctx, key); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("Open after Delete = %v, want NotFound", err)
	}
	if err := d.Delete(ctx, key); err != nil {
		t.Fatalf("second Delete = %v, want nil", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(root, "ab", "cd")); len(entries) != 0 {
		t.Errorf("after Delete the folder holds %v", entries)
	}
}

func TestDirMissingKeys(t *testing.T) {
	t.Parallel()
	d, _ := newDir(t)
	ctx := context.Background()
	if err := d.Put(ctx, "ab/x.jpg", strings.NewReader("x"), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	// Missing, a folder rather than a file, and a path through a file.
	for _, key := range []string{"nope.jpg", "ab", "ab/x.jpg/y", "zz/x.jpg"} {
		if _, _, err := d.Open(ctx, key); apperr.Code(err) != apperr.NotFound {
			t.Errorf("Open(%q) = %v, want NotFound", key, err)
		}
		if err := d.Delete(ctx, key); err != nil {
			t.Errorf("Delete(%q) = %v, want nil", key, err)
		}
	}
	if b, _ := mustRead(t, d, "ab/x.jpg"); string(b) != "x" {
		t.Fatal("deleting a folder's key touched a file in it")
	}
}

func TestDirRefusesBadKeysAndTypes(t *testing.T) {
	t.Parallel()
	d, root := newDir(t)
	ctx := context.Background()
	for _, key := range []string{"../escape.jpg", "/etc/passwd", "a/../../escape", ".type", "a\\b", ""} {
		if err := d.Put(ctx, key, strings.NewReader("x"), "image/jpeg"); apperr.Code(err) != apperr.Invalid {
			t.Errorf("Put(%q) = %v, want Invalid", key, err)
		}
		if _, _, err := d.Open(ctx, key); apperr.Code(err) != apperr.Invalid {
			t.Errorf("Open(%q) = %v, want Invalid", key, err)
		}
		if err := d.Delete(ctx, key); apperr.Code(err) != apperr.Invalid {
			t.Errorf("Delete(%q) = %v, want Invalid", key, err)
		}
	}
	for _, ct := range []string{"", "image/jpeg\r\nX-Evil: 1", "not a type", "text/html; charset"} {
		if err := d.Put(ctx, "a.jpg", strings.NewReader("x"), ct); apperr.Code(err) != apperr.Invalid {
			t.Errorf("Put with type %q = %v, want Invalid", ct, err)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(root), "escape.jpg")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file was written outside the folder: %v", err)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Fatalf("refused puts left %v", entries)
	}
}

// A symlink planted in the folder cannot lead a key outside it.
func TestDirDoesNotFollowSymlinksOut(t *testing.T) {
	t.Parallel()
	d, root := newDir(t)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if rc, _, err := d.Open(ctx, "link/secret.txt"); err == nil {
		rc.Close()
		t.Fatal("Open followed a symlink out of the folder")
	}
	if err := d.Put(ctx, "link/planted.txt", strings.NewReader("x"), "text/plain"); err == nil {
		t.Fatal("Put followed a symlink out of the folder")
	}
	if _, err := os.Stat(filepath.Join(outside, "planted.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file was written through the symlink: %v", err)
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), f.n)
	for i := range p[:n] {
		p[i] = 'x'
	}
	f.n -= n
	return n, nil
}

// A failed upload leaves the file as it was and no temporary file behind.
func TestDirFailedPutKeepsTheOldFile(t *testing.T) {
	t.Parallel()
	d, root := newDir(t)
	ctx := context.Background()
	if err := d.Put(ctx, "ab/x.jpg", strings.NewReader("old"), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "ab/x.jpg", &failingReader{n: 100_000}, "image/png"); err == nil {
		t.Fatal("Put from a failing reader succeeded")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := d.Put(cancelled, "ab/x.jpg", strings.NewReader("new"), "image/png"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with a cancelled context = %v", err)
	}
	b, info := mustRead(t, d, "ab/x.jpg")
	if string(b) != "old" || info.ContentType != "image/jpeg" {
		t.Fatalf("after failed puts: %q %+v", b, info)
	}
	entries, _ := os.ReadDir(filepath.Join(root, "ab"))
	if len(entries) != 2 {
		t.Fatalf("folder holds %v, want the file and its type only", entries)
	}
}

// Readers racing writers of one key see one whole version, never a mix.
func TestDirConcurrentPutsAreAtomic(t *testing.T) {
	t.Parallel()
	d, _ := newDir(t)
	ctx := context.Background()
	const key = "race/x.bin"
	version := func(i int) []byte { return bytes.Repeat([]byte{byte('a' + i)}, 256<<10) }
	if err := d.Put(ctx, key, bytes.NewReader(version(0)), "application/octet-stream"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 8 {
		wg.Go(func() {
			for range 4 {
				if err := d.Put(ctx, key, bytes.NewReader(version(i)), "application/octet-stream"); err != nil {
					errs <- err
				}
			}
		})
		wg.Go(func() {
			for range 4 {
				rc, _, err := d.Open(ctx, key)
				if err != nil {
					errs <- err
					continue
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					errs <- err
					continue
				}
				if len(b) != 256<<10 || !bytes.Equal(b, bytes.Repeat(b[:1], len(b))) {
					errs <- fmt.Errorf("read a torn file of %d bytes", len(b))
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
