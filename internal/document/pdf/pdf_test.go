package pdf_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/document"
	"github.com/dure-coop/dure/internal/document/doctest"
	"github.com/dure-coop/dure/internal/document/pdf"
	"github.com/dure-coop/dure/internal/kr"
)

// renderer uses the fonts scripts/docs-deps installs (DURE_FONT_DIR or
// Debian's folder); a missing font fails the test with what to run.
func renderer(t *testing.T) *pdf.Renderer {
	t.Helper()
	r, err := pdf.New(os.Getenv("DURE_FONT_DIR"))
	if err != nil {
		t.Fatalf("%v\nrun scripts/docs-deps (make test does)", err)
	}
	return r
}

// pdfText writes b to a file and returns pdftotext's text of it and its
// page count (pdfinfo).
func pdfText(t *testing.T, b []byte) (string, int) {
	t.Helper()
	name := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", name, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v (poppler-utils is installed by scripts/docs-deps)", err)
	}
	info, err := exec.Command("pdfinfo", name).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo: no page count in %s", info)
	}
	pages, _ := strconv.Atoi(string(m[1]))
	return string(out), pages
}

func TestConsortiumQuote(t *testing.T) {
	d := doctest.Consortium(document.Quote, 33)
	b, err := renderer(t).Bytes(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("not a PDF: %q", b[:20])
	}
	text, pages := pdfText(t, b)
	if pages < 2 {
		t.Errorf("%d page(s) for %d lines, want a page break", pages, len(d.Lines))
	}
	if got := strings.Count(text, "품명 / 규격"); got != pages {
		t.Errorf("the table header appears %d times on %d pages, want once per page", got, pages)
	}
	want := []string{"견적서", d.Number, "2026.11.23", "2026.12.23", d.Issuer.Name, d.Issuer.IDText(), d.Buyer.Name, "총무과 이구매",
		d.AmountInWords(), kr.Won(d.Totals.Total), kr.Won(d.Totals.Supply), kr.Won(d.Totals.VAT), kr.Won(d.Totals.Exempt),
		"공동수급", "공급 불가", "행사장 음향 장비 대여", "유기농 사과 33", "명절 선물세트 31호"}
	if !regexp.MustCompile(`1\s*/\s*` + strconv.Itoa(pages)).MatchString(text) {
		t.Errorf("no page number 1 / %d", pages)
	}
	for _, g := range d.Groups() {
		if g.Supplier.ID == 0 {
			continue
		}
		want = append(want, g.Supplier.Name, g.Supplier.IDText(), g.Supplier.Representative, kr.Won(g.Totals.Total), g.Share())
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF's text lacks %q", w)
		}
	}
	for _, s := range d.Suppliers {
		if !regexp.MustCompile(`^\d{3}-\d{2}-\d{5}$`).MatchString(s.IDText()) {
			t.Errorf("%s: 사업자등록번호 shown as %q", s.Name, s.IDText())
		}
	}
	// Every supplied line's 공급가액 is in the table.
	for _, l := range d.Lines {
		if !l.Unavailable && !strings.Contains(text, kr.Comma(l.Supply)) {
			t.Errorf("line %s: 공급가액 %s missing", l.Name, kr.Comma(l.Supply))
		}
	}
	if t.Failed() {
		t.Logf("pdftotext:\n%s", text)
	}
}

func TestInvoiceAndStatement(t *testing.T) {
	r := renderer(t)
	inv := doctest.Consortium(document.Invoice, 4)
	b, err := r.Bytes(inv)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := pdfText(t, b)
	for _, w := range []string{"청구서", "입금 계좌", inv.Bank.Number, inv.Bank.Holder, "납부기한 2026.11.30", inv.AmountInWords()} {
		if !strings.Contains(text, w) {
			t.Errorf("invoice lacks %q", w)
		}
	}
	st := doctest.Consortium(document.Statement, 2)
	if b, err = r.Bytes(st); err != nil {
		t.Fatal(err)
	}
	if text, _ = pdfText(t, b); !strings.Contains(text, "거래명세서") || strings.Contains(text, "유효기간") || strings.Contains(text, "입금 계좌") {
		t.Errorf("statement text:\n%s", text)
	}
}

func TestRefusesInconsistentDocument(t *testing.T) {
	d := doctest.Consortium(document.Statement, 5)
	d.Totals.Total += 10
	var sb strings.Builder
	err := renderer(t).Render(&sb, d)
	if !errors.Is(err, document.ErrInvalid) || sb.Len() != 0 {
		t.Errorf("Render of a document whose totals are off: err %v, %d bytes written", err, sb.Len())
	}
}

func TestMissingFont(t *testing.T) {
	dir := t.TempDir()
	_, err := pdf.New(dir)
	if !errors.Is(err, pdf.ErrFont) || !strings.Contains(err.Error(), "fonts-nanum") {
		t.Errorf("New with no fonts: %v, want ErrFont naming fonts-nanum", err)
	}
	for _, f := range []string{pdf.RegularFont, pdf.BoldFont} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("not a font"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pdf.New(dir); !errors.Is(err, pdf.ErrFont) {
		t.Errorf("New with broken font files: %v, want ErrFont", err)
	}
}
