package backup_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/backup"
	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/payment"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/stripe"
	"github.com/dure-coop/dure/internal/testutil"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/migrations"
)

// A stack with paid, cancelled and refunded orders and an uploaded file is
// backed up, changed afterwards, and restored into a fresh database: every
// table has the backup's rows and checksum (not the later state), the file
// comes back byte for byte, and the order service reads the orders from the
// restored copy as they were.
func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	e := webtest.NewEnv(t)
	product, _ := e.Goods(t)
	paid := e.PaidOrder(t, product, 2)
	refunded := e.PaidOrder(t, product, 1)
	if err := e.Orders.Cancel(ctx, refunded.Number, "010-1234-5678"); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	uploads := t.TempDir()
	store, err := blob.NewDir(uploads)
	if err != nil {
		t.Fatal(err)
	}
	picture := bytes.Repeat([]byte("사과"), 1000)
	if err := store.Put(ctx, "ab/ab12.jpg", bytes.NewReader(picture), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	store.Close()

	src := e.Pool.Config().ConnString()
	dir := filepath.Join(t.TempDir(), "backup")
	var log bytes.Buffer
	m, err := backup.Backup(ctx, backup.Options{DatabaseURL: src, UploadDir: uploads, Log: &log}, dir)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, log.String())
	}
	if want := latestMigration(t); m.MigrationVersion != want {
		t.Errorf("manifest migration version %d, want %d", m.MigrationVersion, want)
	}
	rows := map[string]int64{}
	for _, tb := range m.Tables {
		rows[tb.Name] = tb.Rows
	}
	for name, want := range map[string]int64{"public.orders": 2, "public.payments": 2, "public.refunds": 1} {
		if rows[name] != want {
			t.Errorf("manifest: %s has %d rows, want %d", name, rows[name], want)
		}
	}
	if rows["public.products"] == 0 || rows["public.goose_db_version"] == 0 {
		t.Errorf("manifest misses the catalogue or the migrations: %v", rows)
	}
	if len(m.Files) != 2 { // the picture and its content type
		t.Errorf("manifest files = %+v, want the picture and its type file", m.Files)
	}
	again, err := backup.ReadManifest(dir)
	if err != nil || !reflect.DeepEqual(again.Tables, m.Tables) {
		t.Fatalf("manifest on disk = %+v, %v", again, err)
	}

	// Changes after the backup must not be in it.
	if _, err := e.Pool.Exec(ctx, `UPDATE products SET stock = stock + 1 WHERE id = $1`, product); err != nil {
		t.Fatal(err)
	}
	e.PaidOrder(t, product, 1)

	if _, err := backup.Restore(ctx, backup.Options{DatabaseURL: src, UploadDir: t.TempDir()}, dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore into the live database = %v, want a refusal (not empty)", err)
	}
	fresh := emptyDatabase(t, src)
	restoredUploads := filepath.Join(t.TempDir(), "uploads")
	log.Reset()
	if _, err := backup.Restore(ctx, backup.Options{DatabaseURL: fresh, UploadDir: restoredUploads, Log: &log}, dir); err != nil {
		t.Fatalf("restore: %v\n%s", err, log.String())
	}

	conn, err := pgx.Connect(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := backup.Verify(ctx, conn, m); err != nil {
		t.Errorf("restored database: %v", err)
	}
	var orders int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM orders`).Scan(&orders); err != nil || orders != 2 {
		t.Errorf("restored orders = %d (%v), want the backup's 2, not the 3 of now", orders, err)
	}
	// Verify can fail: one changed value in one row is caught.
	if _, err := conn.Exec(ctx, `UPDATE refunds SET amount = amount - 1`); err != nil {
		t.Fatal(err)
	}
	if err := backup.Verify(ctx, conn, m); err == nil || !strings.Contains(err.Error(), "public.refunds: checksum") {
		t.Errorf("Verify after changing a refund = %v, want a checksum mismatch on public.refunds", err)
	}
	if _, err := conn.Exec(ctx, `UPDATE refunds SET amount = amount + 1`); err != nil {
		t.Fatal(err)
	}

	restoredStore, err := blob.NewDir(restoredUploads)
	if err != nil {
		t.Fatal(err)
	}
	defer restoredStore.Close()
	f, info, err := restoredStore.Open(ctx, "ab/ab12.jpg")
	if err != nil {
		t.Fatalf("restored picture: %v", err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, picture) || info.ContentType != "image/jpeg" {
		t.Errorf("restored picture: %d bytes of type %q, want %d of image/jpeg", len(got), info.ContentType, len(picture))
	}

	// The order service reads the orders from the restored copy as the
	// original answered them at backup time.
	pool, err := pgxpool.New(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	cfg := testutil.Config(t)
	provider, err := stripe.New(stripe.Config{Key: cfg.StripeKey, APIBase: cfg.StripeAPIBase, WebhookSecret: cfg.StripeWebhookKey})
	if err != nil {
		t.Fatal(err)
	}
	restored := order.NewService(postgres.NewOrderStore(pool), e.Carts, payment.NewRegistry(provider), order.Config{})
	for _, o := range []*order.Order{paid, refunded} {
		want, err := e.Orders.FindOrder(ctx, o.Number)
		if err != nil {
			t.Fatal(err)
		}
		have, err := restored.FindOrder(ctx, o.Number)
		if err != nil {
			t.Fatalf("restored order %s: %v", o.Number, err)
		}
		if !reflect.DeepEqual(have, want) {
			t.Errorf("restored order %s:\n%+v\nwant\n%+v", o.Number, have, want)
		}
	}
	if o, _ := restored.FindOrder(ctx, refunded.Number); o.Status != order.Cancelled || o.Payment == nil || o.Payment.RefundsTotal != o.Payment.Amount {
		t.Errorf("restored refunded order: status %s, payment %+v", o.Status, o.Payment)
	}
}

// A damaged backup is refused before anything is written.
func TestRestoreRefusesDamagedBackup(t *testing.T) {
	ctx := context.Background()
	pool := testutil.NewDB(t)
	src := pool.Config().ConnString()
	dir := filepath.Join(t.TempDir(), "backup")
	if _, err := backup.Backup(ctx, backup.Options{DatabaseURL: src, UploadDir: filepath.Join(t.TempDir(), "none")}, dir); err != nil {
		t.Fatalf("backup: %v", err)
	}
	dump := filepath.Join(dir, backup.DumpFile)
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(dump, b, 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := emptyDatabase(t, src)
	if _, err := backup.Restore(ctx, backup.Options{DatabaseURL: fresh, UploadDir: t.TempDir()}, dir); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("restore of a damaged dump = %v, want a refusal", err)
	}
	conn, err := pgx.Connect(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var tables int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil || tables != 0 {
		t.Errorf("after a refused restore the database has %d tables (%v), want 0", tables, err)
	}
	if _, err := backup.Restore(ctx, backup.Options{DatabaseURL: fresh, UploadDir: t.TempDir()}, t.TempDir()); err == nil || !strings.Contains(err.Error(), "manifest.json") {
		t.Errorf("restore of a folder without a manifest = %v, want a refusal naming manifest.json", err)
	}
}

// emptyDatabase creates a database with nothing in it on the server of src
// and drops it when the test ends.
func emptyDatabase(t *testing.T, src string) string {
	t.Helper()
	ctx := context.Background()
	u, err := url.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	admin := *u
	admin.Path = "/postgres"
	conn, err := pgx.Connect(ctx, admin.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := testutil.Name("dure_restore")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, admin.String()); err == nil {
			_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// latestMigration is the newest migration's number in the binary.
func latestMigration(t *testing.T) int64 {
	t.Helper()
	names, err := migrations.FS.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var latest int64
	for _, n := range names {
		var v int64
		if _, err := fmt.Sscanf(n.Name(), "%d", &v); err == nil && v > latest {
			latest = v
		}
	}
	return latest
}
