package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/demo"
	"github.com/dure-coop/dure/internal/testutil"
)

func TestImportCommandOutput(t *testing.T) {
	t.Parallel()
	pool := testutil.NewDB(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()

	bad := `{"type":"category","id":"food","slug":"food","name":"식품"}
{"type":"product","id":"p","enterprise":"nobody","category":"food","kind":"goods","name":"사과","tax_type":"exempt","consumer_price":"45000","public_price":42000,"stock":1}
`
	var out, errOut bytes.Buffer
	if err := importCatalogue(ctx, pool, log, &out, &errOut, "bad.jsonl", strings.NewReader(bad)); err == nil {
		t.Fatal("a bad file imported without error")
	}
	want := `line 2: consumer_price: 따옴표나 소수점 없는 정수여야 합니다 (must be a JSON integer (no quotes, no decimals))
line 2: enterprise: 기업 "nobody"가 파일에도 데이터베이스에도 없습니다 (unknown enterprise "nobody" (neither in the file nor in the database))
bad.jsonl: 2 problem(s); nothing was imported.
`
	if errOut.String() != want || out.Len() != 0 {
		t.Errorf("stderr:\n%s\nwant:\n%s\nstdout: %q", errOut.String(), want, out.String())
	}

	out.Reset()
	errOut.Reset()
	if err := importCatalogue(ctx, pool, log, &out, &errOut, "demo catalogue", bytes.NewReader(demo.Catalogue())); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "demo catalogue imported:\n  categories   created    25") || errOut.Len() != 0 {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
	}
}
