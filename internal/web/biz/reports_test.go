package biz_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// pageTables reads the report tables of a page: table key → rows of the
// row heading followed by each cell's number (data-value) or text.
func pageTables(doc *goquery.Document) map[string][][]string {
	out := map[string][][]string{}
	doc.Find("table.report-table").Each(func(_ int, tb *goquery.Selection) {
		key, _ := tb.Attr("data-table")
		tb.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
			var row []string
			tr.Children().Each(func(_ int, c *goquery.Selection) {
				if v, ok := c.Attr("data-value"); ok {
					row = append(row, v)
				} else {
					row = append(row, strings.TrimSpace(c.Text()))
				}
			})
			out[key] = append(out[key], row)
		})
	})
	return out
}

// csvTables reads the CSV export back into the same shape, by section title.
func csvTables(t *testing.T, body []byte) map[string][][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Error("the CSV has no BOM")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v", err)
	}
	out := map[string][][]string{}
	var section string
	header := false
	for _, rec := range recs[1:] {
		switch {
		case len(rec) == 1 && strings.HasPrefix(rec[0], "["): // empty lines between sections are skipped by the reader
			section, header = strings.Trim(rec[0], "[]"), true
		case header:
			header = false
		default:
			out[section] = append(out[section], rec)
		}
	}
	return out
}

var sectionTitles = map[string]string{"type": "기업 유형별", "enterprise": "기업별", "month": "월별", "institution": "기관별"}

// sameTables checks that the page's tables and a file's sections hold the
// same rows.
func sameTables(t *testing.T, what string, page, file map[string][][]string) {
	t.Helper()
	if len(page) < 3 {
		t.Fatalf("%s: the page has %d tables", what, len(page))
	}
	for key, rows := range page {
		got := file[sectionTitles[key]]
		if strings.Join(flat(got), "|") != strings.Join(flat(rows), "|") {
			t.Errorf("%s %s:\nfile %v\npage %v", what, key, got, rows)
		}
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, ","))
	}
	return out
}

func TestProcurementReportPages(t *testing.T) {
	e := webtest.NewEnv(t)
	y := e.GenerateReportYear(t)
	yr := strconv.Itoa(y.Year)

	a := e.Shopper()
	a.SignIn(t, y.A.Buyer, webtest.Password)
	doc := a.Page(t, "/biz/reports?kind=year&year="+yr, http.StatusOK)
	wantA := y.Want[y.A.ID]
	t.Run("the page's figures are the institution's", func(t *testing.T) {
		if got := doc.Find(`[data-figure="amount"]`).Text(); got != kr.Won(wantA.Total.Amount) {
			t.Errorf("amount card %q, want %s", got, kr.Won(wantA.Total.Amount))
		}
		if got := doc.Find(`[data-figure="orders"]`).Text(); got != kr.Comma(wantA.Total.Orders)+"건" {
			t.Errorf("orders card %q", got)
		}
		if doc.Find(`svg[role="img"] title`).Length() != 2 || doc.Find(`svg[role="img"] desc`).Length() != 2 {
			t.Error("the charts lack their <title> and <desc>")
		}
		if n := doc.Find(`svg rect`).Length(); n < 12 {
			t.Errorf("%d bars, want the months and the types", n)
		}
		if !strings.Contains(doc.Find(".report-scope").Text(), y.A.Name) || strings.Contains(doc.Text(), y.B.Name) {
			t.Errorf("scope %q", doc.Find(".report-scope").Text())
		}
		if doc.Find(`a[aria-current="page"][href="/biz/reports"]`).Length() != 1 {
			t.Error("the menu does not mark 우선구매 실적")
		}
	})
	page := pageTables(doc)

	t.Run("CSV and XLSX hold the page's figures", func(t *testing.T) {
		resp, body := a.Do(t, http.MethodGet, "/biz/reports.csv?kind=year&year="+yr, "", nil)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), ".csv") {
			t.Fatalf("CSV: %d %v", resp.StatusCode, resp.Header)
		}
		sameTables(t, "CSV", page, csvTables(t, []byte(body)))

		resp, body = a.Do(t, http.MethodGet, "/biz/reports.xlsx?kind=year&year="+yr, "", nil)
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("XLSX: %d %v", resp.StatusCode, resp.Header)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatalf("open XLSX: %v", err)
		}
		defer f.Close()
		file := map[string][][]string{}
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			file[sheet] = rows[1:]
		}
		sameTables(t, "XLSX", page, file)
		total, err := f.GetCellValue("요약", "B12", excelize.Options{RawCellValue: true})
		if err != nil || total != strconv.FormatInt(wantA.Total.Amount, 10) {
			t.Errorf("XLSX total %q (%v), want %d", total, err, wantA.Total.Amount)
		}
	})

	t.Run("B's buyer sees B only, and never A", func(t *testing.T) {
		b := e.Shopper()
		b.SignIn(t, y.B.Buyer, webtest.Password)
		doc := b.Page(t, "/biz/reports?kind=year&year="+yr, http.StatusOK)
		if got := doc.Find(`[data-figure="amount"]`).Text(); got != kr.Won(y.Want[y.B.ID].Total.Amount) {
			t.Errorf("B's amount %q, want %s", got, kr.Won(y.Want[y.B.ID].Total.Amount))
		}
		if strings.Contains(doc.Text(), y.A.Name) {
			t.Error("B's page names A")
		}
		for _, path := range []string{"/biz/reports", "/biz/reports.csv", "/biz/reports.xlsx"} {
			resp, body := b.Do(t, http.MethodGet, path+"?kind=year&year="+yr+"&institution="+strconv.FormatInt(y.A.ID, 10), "", nil)
			if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "소속 기관의 실적만") {
				t.Errorf("B asking %s for A: %d %s", path, resp.StatusCode, webtest.Truncate(body, 200))
			}
		}
	})

	t.Run("bad input: the form comes back with the reason", func(t *testing.T) {
		doc := a.Page(t, "/biz/reports?kind=range&from=2026-05-01&to=2026-01-01", http.StatusUnprocessableEntity)
		if msg := doc.Find(`[role="alert"]`).Text(); !strings.Contains(msg, "종료일이 시작일보다 앞섭니다") {
			t.Errorf("reversed range: %q", msg)
		}
		if v, _ := doc.Find("#r-from").Attr("value"); v != "2026-05-01" {
			t.Errorf("the form lost its start: %q", v)
		}
		if inv, _ := doc.Find("#r-to").Attr("aria-invalid"); inv != "true" {
			t.Error("the end date is not marked invalid")
		}
		doc = a.Page(t, "/biz/reports?kind=range&from=2020-01-01&to=2026-01-01", http.StatusUnprocessableEntity)
		if msg := doc.Find(`[role="alert"]`).Text(); !strings.Contains(msg, "최대 3년") {
			t.Errorf("a range over 3 years: %q", msg)
		}
		resp, body := a.Do(t, http.MethodGet, "/biz/reports.csv?kind=range&from=2026-05-01&to=2026-01-01", "", nil)
		if resp.StatusCode/100 != 4 || !strings.Contains(body, "종료일") {
			t.Errorf("CSV with a reversed range: %d %s", resp.StatusCode, webtest.Truncate(body, 200))
		}
	})

	opEmail := e.Operator(t)
	op := e.Shopper()
	op.SignIn(t, opEmail, webtest.Password)
	t.Run("the operator sees every institution, or one", func(t *testing.T) {
		doc := op.Page(t, "/admin/reports/procurement?kind=year&year="+yr, http.StatusOK)
		if got := doc.Find(`[data-figure="amount"]`).Text(); got != kr.Won(y.Want[0].Total.Amount) {
			t.Errorf("all institutions %q, want %s", got, kr.Won(y.Want[0].Total.Amount))
		}
		if n := len(pageTables(doc)["institution"]); n != 2 {
			t.Errorf("%d institution rows, want 2", n)
		}
		if doc.Find(`#r-inst option`).Length() < 3 {
			t.Error("no institution filter")
		}
		one := "/admin/reports/procurement?kind=year&year=" + yr + "&institution=" + strconv.FormatInt(y.A.ID, 10)
		doc = op.Page(t, one, http.StatusOK)
		if got := doc.Find(`[data-figure="amount"]`).Text(); got != kr.Won(wantA.Total.Amount) {
			t.Errorf("A in the console %q, want %s", got, kr.Won(wantA.Total.Amount))
		}
		resp, body := op.Do(t, http.MethodGet, strings.Replace(one, "procurement?", "procurement.csv?", 1), "", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("console CSV: %d", resp.StatusCode)
		}
		sameTables(t, "console CSV", pageTables(doc), csvTables(t, []byte(body)))
	})

	t.Run("axe on the report pages", func(t *testing.T) {
		br := browser.New(t, e)
		br.SignIn(y.A.Buyer, webtest.Password)
		br.CheckAxe(t, "/biz/reports?kind=year&year="+yr)
		if st := br.Open("/biz/reports?kind=range&from=2026-05-01&to=2026-01-01"); st != http.StatusUnprocessableEntity {
			t.Errorf("reversed range in the browser: %d", st)
		}
		br.CheckAxeCurrent(t, "/biz/reports with a reversed range")
		br.SignOut()
		br.SignIn(opEmail, webtest.Password)
		br.CheckAxe(t, "/admin/reports/procurement?kind=year&year="+yr)
	})
}
