// Package backup writes and restores a consistent copy of what Dure cannot
// rebuild: the PostgreSQL database (pg_dump's custom format) and the blob
// store's uploaded files, with a manifest to check a restore against.
// Meilisearch is derived data (reindex rebuilds it) and Redis holds carts and
// sessions, which are disposable: neither is backed up.
//
// A backup is a folder:
//
//	manifest.json   time, migration version, rows and a checksum per table,
//	                and a SHA-256 of every file below (written last: a
//	                folder without it is an unfinished backup)
//	db.dump         pg_dump --format=custom
//	uploads/        the upload folder's files, as the blob store keeps them
//
// The row counts and checksums are computed in the same snapshot pg_dump
// dumps (a repeatable-read transaction exports it with pg_export_snapshot and
// pg_dump --snapshot imports it), so a restore must reproduce them exactly.
package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Format is the manifest's format version.
const Format = 1

// File names inside a backup folder.
const (
	ManifestFile = "manifest.json"
	DumpFile     = "db.dump"
	UploadsDir   = "uploads"
)

// Manifest describes one backup.
type Manifest struct {
	Format    int       `json:"format"`
	CreatedAt time.Time `json:"created_at"`
	// MigrationVersion is the newest goose migration applied to the database.
	MigrationVersion int64 `json:"migration_version"`
	// ServerVersion is PostgreSQL's server_version at backup time.
	ServerVersion string  `json:"server_version"`
	Tables        []Table `json:"tables"`
	// Dump is the SHA-256 of db.dump.
	Dump  string `json:"dump_sha256"`
	Files []File `json:"files"`
}

// Table is one table's row count and checksum in the backup's snapshot.
type Table struct {
	Name     string `json:"name"` // schema.table
	Rows     int64  `json:"rows"`
	Checksum string `json:"checksum"`
}

// File is one file of the upload folder, by its path inside it.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Options say where the database, the upload folder and the PostgreSQL client
// programs are.
type Options struct {
	DatabaseURL string
	UploadDir   string
	// PGBin is the folder holding pg_dump and pg_restore; empty: PGBin().
	PGBin string
	// Log receives the client programs' messages (default: discarded).
	Log io.Writer
}

func (o Options) tool(name string) string {
	if o.PGBin == "" {
		o.PGBin = PGBin()
	}
	if o.PGBin == "" {
		return name
	}
	return filepath.Join(o.PGBin, name)
}

func (o Options) log() io.Writer {
	if o.Log == nil {
		return io.Discard
	}
	return o.Log
}

// PGBin returns the newest /usr/lib/postgresql/N/bin holding pg_dump (Debian
// installs each major version there; pg_dump must be at least the server's
// version), or "" to use PATH.
func PGBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	best, bestN := "", -1
	for _, d := range dirs {
		var n int
		if _, err := fmt.Sscanf(filepath.Base(filepath.Dir(filepath.Dir(d))), "%d", &n); err == nil && n > bestN {
			best, bestN = filepath.Dir(d), n
		}
	}
	return best
}

// Backup writes a backup of the database and the upload folder into dir,
// which must not exist or be empty, and returns its manifest.
func Backup(ctx context.Context, o Options, dir string) (*Manifest, error) {
	if err := emptyDir(dir); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	conn, err := pgx.Connect(ctx, o.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("backup: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// The transaction that exports the snapshot must stay open until
	// pg_dump has imported it; it stays open until the dump is written.
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("backup: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only; ends the snapshot
	var snapshot string
	if err := tx.QueryRow(ctx, `SELECT pg_export_snapshot()`).Scan(&snapshot); err != nil {
		return nil, fmt.Errorf("backup: export snapshot: %w", err)
	}
	m := &Manifest{Format: Format, CreatedAt: time.Now().UTC()}
	dump := filepath.Join(dir, DumpFile)
	cmd := exec.CommandContext(ctx, o.tool("pg_dump"), "--format=custom", "--snapshot="+snapshot,
		"--file="+dump, "--dbname="+o.DatabaseURL)
	cmd.Stdout, cmd.Stderr = o.log(), o.log()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("backup: pg_dump: %w", err)
	}
	if err := describe(ctx, tx, m); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if m.Dump, _, err = hashFile(dump); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if m.Files, err = copyTree(ctx, o.UploadDir, filepath.Join(dir, UploadsDir)); err != nil {
		return nil, fmt.Errorf("backup: uploads: %w", err)
	}
	if err := writeManifest(dir, m); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

// describe fills in the migration version, the server version and every
// table's rows and checksum, as seen by q's snapshot.
func describe(ctx context.Context, q pgx.Tx, m *Manifest) error {
	// Row text depends on these settings (timestamptz is shown in the
	// session's time zone); fix them so that both ends compute alike.
	for _, set := range []string{`SET LOCAL TimeZone = 'UTC'`, `SET LOCAL DateStyle = 'ISO, YMD'`,
		`SET LOCAL IntervalStyle = 'postgres'`, `SET LOCAL extra_float_digits = 3`, `SET LOCAL bytea_output = 'hex'`} {
		if _, err := q.Exec(ctx, set); err != nil {
			return fmt.Errorf("describe: %w", err)
		}
	}
	if err := q.QueryRow(ctx, `SELECT current_setting('server_version')`).Scan(&m.ServerVersion); err != nil {
		return fmt.Errorf("describe: server version: %w", err)
	}
	if err := q.QueryRow(ctx, `SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&m.MigrationVersion); err != nil {
		return fmt.Errorf("describe: migration version: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT schemaname, tablename FROM pg_tables
		WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`)
	if err != nil {
		return fmt.Errorf("describe: tables: %w", err)
	}
	names, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pgx.Identifier, error) {
		var schema, name string
		err := r.Scan(&schema, &name)
		return pgx.Identifier{schema, name}, err
	})
	if err != nil {
		return fmt.Errorf("describe: tables: %w", err)
	}
	m.Tables = make([]Table, 0, len(names))
	for _, id := range names {
		t := Table{Name: id[0] + "." + id[1]}
		// An order-independent checksum in constant memory: the sum (as
		// numeric, which does not overflow) of the first 64 bits of each
		// row's MD5. Equal multisets of rows give equal sums.
		err := q.QueryRow(ctx, `SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint), 0)::text
			FROM `+id.Sanitize()+` t`).Scan(&t.Rows, &t.Checksum)
		if err != nil {
			return fmt.Errorf("describe: %s: %w", t.Name, err)
		}
		m.Tables = append(m.Tables, t)
	}
	return nil
}

// Restore loads the backup in dir into the database, which must be empty
// (no tables, views or sequences outside the system schemas), checks every
// table against the manifest and copies the files into the upload folder,
// which must not exist or be empty. The search index is not touched: the
// caller rebuilds it (reindex).
func Restore(ctx context.Context, o Options, dir string) (*Manifest, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	dump := filepath.Join(dir, DumpFile)
	if sum, _, err := hashFile(dump); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	} else if sum != m.Dump {
		return nil, fmt.Errorf("restore: %s does not match the manifest's checksum: the backup is damaged", dump)
	}
	if err := checkFiles(filepath.Join(dir, UploadsDir), m.Files); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if err := emptyDir(o.UploadDir); err != nil {
		return nil, fmt.Errorf("restore: upload folder: %w", err)
	}
	conn, err := pgx.Connect(ctx, o.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("restore: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var objects int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
		  AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`).Scan(&objects); err != nil {
		return nil, fmt.Errorf("restore: inspect the database: %w", err)
	}
	if objects > 0 {
		return nil, fmt.Errorf("restore: the database is not empty (%d tables, views or sequences); restore only into a new database (createdb)", objects)
	}
	// One transaction: a failure leaves the database empty, as it was.
	cmd := exec.CommandContext(ctx, o.tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
		"--single-transaction", "--dbname="+o.DatabaseURL, dump)
	cmd.Stdout, cmd.Stderr = o.log(), o.log()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("restore: pg_restore: %w", err)
	}
	if err := Verify(ctx, conn, m); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if _, err := copyTree(ctx, filepath.Join(dir, UploadsDir), o.UploadDir); err != nil {
		return nil, fmt.Errorf("restore: uploads: %w", err)
	}
	return m, nil
}

// Verify compares the database conn is connected to with the manifest:
// migration version, the set of tables, and each table's rows and checksum.
func Verify(ctx context.Context, conn *pgx.Conn, want *Manifest) error {
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only
	var got Manifest
	if err := describe(ctx, tx, &got); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	return Compare(want, &got)
}

// Compare reports every difference in migration version and tables between
// want and got.
func Compare(want, got *Manifest) error {
	var errs []error
	if got.MigrationVersion != want.MigrationVersion {
		errs = append(errs, fmt.Errorf("migration version %d, the backup has %d", got.MigrationVersion, want.MigrationVersion))
	}
	have := make(map[string]Table, len(got.Tables))
	for _, t := range got.Tables {
		have[t.Name] = t
	}
	for _, w := range want.Tables {
		g, ok := have[w.Name]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("table %s missing", w.Name))
		case g.Rows != w.Rows:
			errs = append(errs, fmt.Errorf("table %s: %d rows, the backup has %d", w.Name, g.Rows, w.Rows))
		case g.Checksum != w.Checksum:
			errs = append(errs, fmt.Errorf("table %s: checksum %s, the backup has %s", w.Name, g.Checksum, w.Checksum))
		}
		delete(have, w.Name)
	}
	for name := range have {
		errs = append(errs, fmt.Errorf("table %s is not in the backup", name))
	}
	if len(errs) > 0 {
		return fmt.Errorf("the database does not match the backup's manifest: %w", errors.Join(errs...))
	}
	return nil
}

// ReadManifest reads dir's manifest.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: not a backup, or an unfinished one", dir, ManifestFile)
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestFile, err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("%s: format %d, this program reads %d", ManifestFile, m.Format, Format)
	}
	return &m, nil
}

func writeManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "."+ManifestFile)
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, ManifestFile))
}

// emptyDir returns nil when dir does not exist or holds nothing.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	return nil
}

// copyTree copies every regular file under src (a missing src is an empty
// one) to the same path under dst and returns them with their checksums,
// sorted by path. The blob store's unfinished writes (".tmp-…") are left out.
func copyTree(ctx context.Context, src, dst string) ([]File, error) {
	var files []File
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == src {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		f, err := copyFile(p, filepath.Join(dst, rel))
		if err != nil {
			return err
		}
		f.Path = filepath.ToSlash(rel)
		files = append(files, f)
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, err
}

// copyFile copies src to dst (through a temporary file renamed into place),
// hashing what it copies.
func copyFile(src, dst string) (File, error) {
	in, err := os.Open(src)
	if err != nil {
		return File{}, err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return File{}, err
	}
	tmp := dst + ".partial"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return File{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return File{}, err
	}
	return File{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// checkFiles checks that dir holds exactly the manifest's files, each with
// its size and checksum.
func checkFiles(dir string, want []File) error {
	var errs []error
	seen := map[string]bool{}
	for _, f := range want {
		seen[f.Path] = true
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
			errs = append(errs, fmt.Errorf("file %q: not a path inside the backup", f.Path))
			continue
		}
		sum, n, err := hashFile(p)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("file %s: %w", f.Path, err))
		case n != f.Size || sum != f.SHA256:
			errs = append(errs, fmt.Errorf("file %s does not match the manifest", f.Path))
		}
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return fs.SkipAll
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err == nil && !seen[filepath.ToSlash(rel)] {
			errs = append(errs, fmt.Errorf("file %s is not in the manifest", rel))
		}
		return err
	})
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("the backup's files do not match its manifest: %w", errors.Join(errs...))
	}
	return nil
}
