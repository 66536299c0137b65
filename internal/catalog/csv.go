package catalog

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/korean"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
)

// An enterprise uploads its catalogue as a CSV file, as spreadsheets save
// it: one product per row under a header row of Korean column names
// (docs/catalogue-format.md). Rows are matched to the enterprise's products
// by 상품코드; every row is for the uploader's enterprise (no column names
// another). The file may be UTF-8, with or without a byte-order mark, or
// CP949/EUC-KR as Korean Excel saves "CSV (쉼표로 분리)".

// Limits of an uploaded file.
const (
	MaxUploadBytes = 10 << 20
	MaxUploadRows  = 5000
)

// csvColumn is a column of the upload file.
type csvColumn struct {
	field  string // the form field it fills
	header string // its Korean name
	hint   string // the values it takes, written after the name in the template
}

var csvColumns = []csvColumn{
	{"code", "상품코드", ""},
	{"name", "상품명", ""},
	{"category_id", "카테고리", "상위 > 하위"},
	{"kind", "구분", "상품/서비스"},
	{"tax_type", "과세구분", "과세/면세"},
	{"consumer_price", "소비자가", ""},
	{"public_price", "공공기관가", ""},
	{"consumer_tiers", "소비자수량별단가", "수량:단가;"},
	{"public_tiers", "공공기관수량별단가", "수량:단가;"},
	{"stock", "재고", ""},
	{"unit", "단위", ""},
	{"summary", "요약", ""},
	{"description", "설명", ""},
	{"options", "옵션", "이름:추가금액:재고;"},
	{"images", "이미지", "주소;"},
	{"status", "상태", "판매중/판매중지"},
}

// CSVColumnLabel returns the Korean column name of a form field ("name" →
// "상품명"), for showing an upload's problems; field itself when no column
// fills it.
func CSVColumnLabel(field string) string {
	top := field
	if i := strings.IndexAny(field, ".["); i >= 0 {
		top = field[:i]
	}
	for _, c := range csvColumns {
		if c.field == top {
			return c.header
		}
	}
	return field
}

// csvHeaders maps a header, as normalizeHeader leaves it, to its field.
var csvHeaders = func() map[string]string {
	m := map[string]string{}
	for _, c := range csvColumns {
		m[c.header] = c.field
		m[c.field] = c.field
	}
	m["category"] = "category_id"
	m["공공기관가격"] = "public_price"
	m["판매상태"] = "status"
	return m
}()

// normalizeHeader drops what the template writes after a column's name (a
// parenthesised hint), a required-marker star and spaces.
func normalizeHeader(h string) string {
	if i := strings.IndexAny(h, "(（"); i >= 0 {
		h = h[:i]
	}
	return strings.ToLower(strings.NewReplacer(" ", "", "*", "", "\u00a0", "", "\ufeff", "").Replace(h))
}

// utf8BOM marks a file as UTF-8 for Excel, which otherwise reads it as CP949.
const utf8BOM = "\xef\xbb\xbf"

// CSVTemplate returns an empty upload file: the header row, in UTF-8 with a
// byte-order mark so that Excel opens it with the Korean intact.
func CSVTemplate() []byte {
	var b bytes.Buffer
	b.WriteString(utf8BOM)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	header := make([]string, len(csvColumns))
	for i, c := range csvColumns {
		header[i] = c.header
		if c.hint != "" {
			header[i] += "(" + c.hint + ")"
		}
	}
	_ = w.Write(header) // a bytes.Buffer does not fail
	w.Flush()
	return b.Bytes()
}

// csvFile is a decoded upload: the columns present and the data rows.
type csvFile struct {
	cols map[string]bool // form fields that have a column
	rows []csvRow
	errs []RowError // problems of the file itself: encoding, header, quoting
}

// csvRow is one data row: its line in the file (the first, when a quoted
// cell spans several) and its cells by form field.
type csvRow struct {
	line  int
	cells map[string]string
}

// decodeText returns the file's text: UTF-8 as it is (without a byte-order
// mark), anything else decoded as CP949 (a superset of EUC-KR).
func decodeText(b []byte) (string, error) {
	if bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff}) {
		return "", apperr.Errorf(apperr.Invalid, "유니코드(UTF-16) 텍스트 파일은 읽을 수 없습니다. 'CSV UTF-8' 또는 'CSV (쉼표로 분리)'로 저장해 주세요.")
	}
	b = bytes.TrimPrefix(b, []byte(utf8BOM))
	if utf8.Valid(b) {
		return string(b), nil
	}
	d, err := korean.EUCKR.NewDecoder().Bytes(b)
	if err != nil || !utf8.Valid(d) {
		return "", apperr.Errorf(apperr.Invalid, "파일의 문자 인코딩을 알 수 없습니다. UTF-8 또는 EUC-KR(CP949)로 저장해 주세요.")
	}
	return string(d), nil
}

// decodeCSV reads an upload file. Problems of the file as a whole (not one
// of its rows) are in errs; an error is returned only for a file that
// cannot be read at all.
func decodeCSV(r io.Reader) (*csvFile, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxUploadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("catalog: read upload: %w", err)
	}
	if len(b) > MaxUploadBytes {
		return nil, apperr.Errorf(apperr.Invalid, "파일이 너무 큽니다. %dMB 이하로 나누어 올려 주세요.", MaxUploadBytes>>20)
	}
	text, err := decodeText(b)
	if err != nil {
		return nil, err
	}
	f := &csvFile{cols: map[string]bool{}}
	fail := func(line int, field, ko, en string) {
		f.errs = append(f.errs, RowError{Line: line, Field: field, Message: ko, English: en})
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		fail(1, "", "빈 파일입니다. 첫 줄에 열 이름을 적어 주세요.", "the file is empty")
		return f, nil
	}
	if err != nil {
		fail(csvErrLine(err, 1), "", "CSV 형식이 올바르지 않습니다. 큰따옴표(\")를 확인해 주세요.", "malformed CSV: "+err.Error())
		return f, nil
	}
	index := make([]string, len(header))
	for i, h := range header {
		field, ok := csvHeaders[normalizeHeader(h)]
		switch {
		case strings.TrimSpace(h) == "":
			continue
		case !ok:
			fail(1, "", fmt.Sprintf("알 수 없는 열 %q입니다. 양식의 열 이름을 써 주세요.", strings.TrimSpace(h)), fmt.Sprintf("unknown column %q", h))
		case f.cols[field]:
			fail(1, field, fmt.Sprintf("%q 열이 두 번 있습니다.", strings.TrimSpace(h)), fmt.Sprintf("column %q appears twice", h))
		default:
			f.cols[field], index[i] = true, field
		}
	}
	if !f.cols["code"] {
		fail(1, "code", "'상품코드' 열이 필요합니다. 행마다 상품코드로 상품을 찾습니다.", "the 상품코드 column is required")
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil { // FieldPos would panic: the reader has no record
			fail(csvErrLine(err, 0), "", "CSV 형식이 올바르지 않습니다. 큰따옴표(\")를 확인해 주세요. 이 줄부터는 읽지 않았습니다.", "malformed CSV: "+err.Error())
			break
		}
		line, _ := cr.FieldPos(0)
		row := csvRow{line: line, cells: map[string]string{}}
		empty := true
		for i, v := range rec {
			if strings.TrimSpace(v) != "" {
				empty = false
			}
			switch {
			case i >= len(index):
				if strings.TrimSpace(v) != "" {
					fail(line, "", "머리글에 없는 열에 값이 있습니다.", "a cell beyond the header's columns has a value")
				}
			case index[i] != "":
				row.cells[index[i]] = v
			}
		}
		if empty {
			continue // spreadsheets leave rows of empty cells behind
		}
		if len(f.rows) == MaxUploadRows {
			fail(line, "", fmt.Sprintf("한 번에 %s행까지 올릴 수 있습니다. 파일을 나누어 주세요.", kr.Comma(MaxUploadRows)),
				fmt.Sprintf("at most %d rows per upload", MaxUploadRows))
			break
		}
		f.rows = append(f.rows, row)
	}
	return f, nil
}

func csvErrLine(err error, fallback int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		return pe.Line
	}
	return fallback
}

var wonRe = regexp.MustCompile(`^-?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)$`)

// parseWon reads a whole number as spreadsheets write it: 45000 or 45,000,
// optionally followed by 원 or 개.
func parseWon(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "원"), "개"))
	if !wonRe.MatchString(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	return n, err == nil
}

// csvKinds, csvTaxTypes and csvStatuses read the columns' values, Korean
// or as the importer writes them.
var (
	csvKinds    = map[string]Kind{"상품": Goods, "goods": Goods, "서비스": Service, "service": Service}
	csvTaxTypes = map[string]TaxType{"과세": Taxable, "taxable": Taxable, "면세": Exempt, "exempt": Exempt}
	csvStatuses = func() map[string]string {
		m := map[string]string{}
		for s, label := range productStatusLabels {
			if s != StatusArchived {
				m[s], m[strings.ReplaceAll(label, " ", "")] = s, s
			}
		}
		return m
	}()
)

// formatOptions writes options as the 옵션 column takes them.
func formatOptions(opts []Option) string {
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = fmt.Sprintf("%s:%d:%d", o.Name, o.ExtraPrice, o.Stock)
	}
	return strings.Join(parts, "; ")
}

// parseOptions reads the 옵션 column: options separated by ; or line
// breaks, each 이름:추가금액:재고 (the name may itself hold a colon).
func parseOptions(s string) ([]Option, bool) {
	var out []Option
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' || r == '\r' }) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		parts := strings.Split(item, ":")
		if len(parts) < 3 {
			return nil, false
		}
		n := len(parts)
		extra, ok1 := parseWon(parts[n-2])
		stock, ok2 := parseWon(parts[n-1])
		if !ok1 || !ok2 {
			return nil, false
		}
		out = append(out, Option{Name: strings.TrimSpace(strings.Join(parts[:n-2], ":")), ExtraPrice: extra, Stock: int(max(min(stock, 1<<31-1), -1<<31))})
	}
	return out, true
}

// parseImages reads the 이미지 column: addresses separated by ;, spaces or
// line breaks.
func parseImages(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}
