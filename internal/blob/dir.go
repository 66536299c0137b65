package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"

	"github.com/dure-coop/dure/internal/apperr"
)

// Dir is a Store in a local folder: the file of key "ab/cd.jpg" is
// <root>/ab/cd.jpg, and its content type is kept next to it in
// <root>/ab/.cd.jpg.type (keys cannot begin a segment with '.', so no key
// names it). Files are written to a temporary file in the same folder and
// renamed into place. All access goes through an os.Root, so even a symlink
// planted in the folder cannot lead outside it.
type Dir struct {
	root *os.Root
}

var _ Store = (*Dir)(nil)

// File and folder permissions: readable by the web server's user and group.
const (
	fileMode = 0o644
	dirMode  = 0o755
)

// NewDir opens (creating it if needed) the folder at dir as a Store. Close
// it when done.
func NewDir(dir string) (*Dir, error) {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", dir, err)
	}
	return &Dir{root: root}, nil
}

// Close releases the folder.
func (d *Dir) Close() error { return d.root.Close() }

// typeFile names the file holding key's content type.
func typeFile(key string) string {
	dir, name := path.Split(key)
	return dir + "." + name + ".type"
}

// Put stores r under key through a temporary file renamed into place.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader, contentType string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if err := validateContentType(contentType); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if parent := path.Dir(key); parent != "." {
		if err := d.root.MkdirAll(parent, dirMode); err != nil {
			return fmt.Errorf("blob: put %s: %w", key, err)
		}
	}
	data, err := d.writeTemp(path.Dir(key), r)
	if err != nil {
		return fmt.Errorf("blob: put %s: %w", key, err)
	}
	defer d.root.Remove(data) //nolint:errcheck // gone after the rename; removes the leftover otherwise
	ct, err := d.writeTemp(path.Dir(key), strings.NewReader(contentType))
	if err != nil {
		return fmt.Errorf("blob: put %s: %w", key, err)
	}
	defer d.root.Remove(ct) //nolint:errcheck // as above
	if err := ctx.Err(); err != nil {
		return err
	}
	// The type first: a reader between the two renames sees the old bytes
	// with the new type, harmless for content-addressed keys (the usual
	// ones), where both are the same.
	if err := d.root.Rename(ct, typeFile(key)); err != nil {
		return fmt.Errorf("blob: put %s: %w", key, err)
	}
	if err := d.root.Rename(data, key); err != nil {
		return fmt.Errorf("blob: put %s: %w", key, err)
	}
	return nil
}

// writeTemp copies r into a new temporary file in dir, synced to disk, and
// returns its name. On error nothing is left behind.
func (d *Dir) writeTemp(dir string, r io.Reader) (_ string, err error) {
	var b [12]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents it)
	name := path.Join(dir, ".tmp-"+hex.EncodeToString(b[:]))
	f, err := d.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = d.root.Remove(name)
		}
	}()
	if _, err = io.Copy(f, r); err != nil {
		return "", err
	}
	// The umask may have narrowed the mode given to OpenFile.
	if err = f.Chmod(fileMode); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	return name, nil
}

// Open opens the file under key.
func (d *Dir) Open(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, Info{}, err
	}
	f, err := d.root.Open(key)
	if err != nil {
		if missing(err) {
			return nil, Info{}, errNotFound()
		}
		return nil, Info{}, fmt.Errorf("blob: open %s: %w", key, err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, Info{}, fmt.Errorf("blob: open %s: %w", key, err)
	}
	if !st.Mode().IsRegular() {
		_ = f.Close()
		return nil, Info{}, errNotFound()
	}
	info := Info{Size: st.Size(), ModTime: st.ModTime(), ContentType: "application/octet-stream"}
	if ct, err := d.root.ReadFile(typeFile(key)); err == nil && validateContentType(string(ct)) == nil {
		info.ContentType = string(ct)
	} else if err != nil && !missing(err) {
		_ = f.Close()
		return nil, Info{}, fmt.Errorf("blob: open %s: %w", key, err)
	}
	return f, info, nil
}

// Delete removes the file under key and its content type.
func (d *Dir) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	st, err := d.root.Lstat(key)
	switch {
	case missing(err):
		return nil
	case err != nil:
		return fmt.Errorf("blob: delete %s: %w", key, err)
	case st.IsDir():
		return nil // a folder of other keys, not a file of this one
	}
	if err := d.root.Remove(key); err != nil && !missing(err) {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	if err := d.root.Remove(typeFile(key)); err != nil && !missing(err) {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}

// missing reports whether err means there is no file at the name: none
// there, or a file where the name needs a folder ("a.jpg/b").
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

func errNotFound() error {
	return apperr.Errorf(apperr.NotFound, "파일을 찾을 수 없습니다.")
}
