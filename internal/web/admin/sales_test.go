package admin_test

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
	"github.com/dure-coop/dure/internal/report"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// salesTables reads the page's report tables by key: each row's cells,
// numbers as their raw value.
func salesTables(doc *goquery.Document) map[string][]string {
	out := map[string][]string{}
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
			out[key] = append(out[key], strings.Join(row, ","))
		})
	})
	return out
}

// csvSections reads the CSV export back by section title.
func csvSections(t *testing.T, body []byte) map[string][]string {
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
	out := map[string][]string{}
	var section string
	header := false
	for _, rec := range recs[1:] {
		switch {
		case len(rec) == 1 && strings.HasPrefix(rec[0], "["):
			section, header = strings.Trim(rec[0], "[]"), true
		case header:
			header = false
		default:
			out[section] = append(out[section], strings.Join(rec, ","))
		}
	}
	return out
}

// TestSalesReportPages checks the operators' sales report in the console:
// its figures are the generated lines' sums, the CSV and XLSX hold the
// page's tables, a reversed range answers 400 in Korean with the form
// kept, only operators reach it, and axe finds nothing serious at either
// width; the keyboard reaches the form, the exports and every table.
func TestSalesReportPages(t *testing.T) {
	e := webtest.NewEnv(t)
	y := e.GenerateSalesYear(t)
	yr := strconv.Itoa(y.Year)
	var want, consumer int64
	for _, l := range y.Lines {
		if l.Day.Year() == y.Year {
			want += l.Amount()
			if l.Channel == report.Consumer {
				consumer += l.Amount()
			}
		}
	}
	opEmail := e.Operator(t)
	op := e.Shopper()
	op.SignIn(t, opEmail, webtest.Password)
	page := "/admin/reports/sales?kind=year&year=" + yr

	doc := op.Page(t, page, http.StatusOK)
	t.Run("a period without sales shows zeros", func(t *testing.T) {
		empty := op.Page(t, "/admin/reports/sales?kind=year&year="+strconv.Itoa(y.Year-5), http.StatusOK)
		if got := empty.Find(`[data-figure="amount"]`).Text(); got != kr.Won(0) {
			t.Errorf("amount of a year without sales %q, want %s", got, kr.Won(0))
		}
	})
	t.Run("the page's figures are the lines' sums", func(t *testing.T) {
		if got := doc.Find(`[data-figure="amount"]`).Text(); got != kr.Won(want) {
			t.Errorf("amount %q, want %s", got, kr.Won(want))
		}
		if got := doc.Find(`[data-figure="consumer"]`).Text(); got != kr.Won(consumer) {
			t.Errorf("consumer %q, want %s", got, kr.Won(consumer))
		}
		tables := salesTables(doc)
		for _, key := range []string{"month", "channel", "type", "region", "category", "enterprise", "product", "institution"} {
			if len(tables[key]) == 0 {
				t.Errorf("no %s table", key)
			}
		}
		if n := len(tables["month"]); n != 13 {
			t.Errorf("%d month rows, want 12 and the total", n)
		}
		if doc.Find("svg[role=img] title").Length() < 4 || !strings.Contains(doc.Find("#sales-basis").Parent().Text(), "숫자만") {
			t.Error("the charts or the counting rules are missing")
		}
		if doc.Find(`nav a[href="/admin/reports/sales"][aria-current="page"]`).Length() != 1 {
			t.Error("the menu does not mark 판매 실적")
		}
	})

	t.Run("CSV and XLSX hold the page's tables", func(t *testing.T) {
		resp, body := op.Do(t, http.MethodGet, strings.Replace(page, "sales?", "sales.csv?", 1), "", nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Disposition") != `attachment; filename="dure-sales-`+yr+`.csv"` {
			t.Fatalf("CSV: %d %v", resp.StatusCode, resp.Header)
		}
		file := csvSections(t, []byte(body))
		titles := map[string]string{"month": "월별", "channel": "채널별", "type": "기업 유형별", "region": "지역별",
			"category": "분류별", "enterprise": "기업별", "product": "상위 상품", "institution": "기관별 공공구매"}
		for key, rows := range salesTables(doc) {
			if got := file[titles[key]]; strings.Join(got, "|") != strings.Join(rows, "|") {
				t.Errorf("CSV %s:\nfile %v\npage %v", key, got, rows)
			}
		}
		resp, body = op.Do(t, http.MethodGet, strings.Replace(page, "sales?", "sales.xlsx?", 1), "", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("XLSX: %d", resp.StatusCode)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		total, err := f.GetCellValue("요약", "B13", excelize.Options{RawCellValue: true})
		if err != nil || total != strconv.FormatInt(want, 10) {
			t.Errorf("XLSX total %q (%v), want %d", total, err, want)
		}
	})

	t.Run("a reversed range: 400, the reason in Korean, the form kept", func(t *testing.T) {
		bad := "/admin/reports/sales?kind=range&from=" + yr + "-05-01&to=" + yr + "-01-01"
		doc := op.Page(t, bad, http.StatusBadRequest)
		if msg := doc.Find(`[role="alert"]`).Text(); !strings.Contains(msg, "종료일이 시작일보다 앞섭니다") {
			t.Errorf("reversed range: %q", msg)
		}
		if v, _ := doc.Find("#r-from").Attr("value"); v != yr+"-05-01" {
			t.Errorf("the form lost its start: %q", v)
		}
		if inv, _ := doc.Find("#r-to").Attr("aria-invalid"); inv != "true" {
			t.Error("the end date is not marked invalid")
		}
		resp, body := op.Do(t, http.MethodGet, strings.Replace(bad, "sales?", "sales.csv?", 1), "", nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "종료일") {
			t.Errorf("CSV with a reversed range: %d %s", resp.StatusCode, webtest.Truncate(body, 200))
		}
		doc = op.Page(t, "/admin/reports/sales?kind=month&year="+yr+"&month=5", http.StatusOK)
		if got := doc.Find(".report-scope strong").Text(); got != yr+"년 5월" {
			t.Errorf("month period %q", got)
		}
	})

	t.Run("nobody else", func(t *testing.T) {
		consumerB := e.Shopper()
		consumerB.SignIn(t, e.Consumer(t), webtest.Password)
		buyer := e.Shopper()
		buyer.SignIn(t, y.A.Buyer, webtest.Password)
		for _, path := range []string{page, strings.Replace(page, "sales?", "sales.csv?", 1), strings.Replace(page, "sales?", "sales.xlsx?", 1)} {
			for name, b := range map[string]*webtest.Shopper{"consumer": consumerB, "institution buyer": buyer} {
				if resp, body := b.Do(t, http.MethodGet, path, "", nil); resp.StatusCode != http.StatusNotFound || strings.Contains(body, kr.Won(want)) {
					t.Errorf("%s %s: %d", name, path, resp.StatusCode)
				}
			}
			if resp, _ := e.Shopper().Do(t, http.MethodGet, path, "", nil); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("anonymous %s: %d, want the sign-in redirect", path, resp.StatusCode)
			}
		}
	})

	t.Run("axe and the keyboard", func(t *testing.T) {
		br := browser.New(t, e)
		br.SignIn(opEmail, webtest.Password)
		br.CheckAxe(t, page)
		stops := br.CheckFocus(t, page)
		reached := map[string]bool{}
		for _, s := range stops {
			for _, want := range []string{"r-kind", "r-to", "report-exports", "report-table-wrap"} {
				if strings.Contains(s.Target, want) {
					reached[want] = true
				}
			}
		}
		if len(reached) != 4 {
			t.Errorf("Tab reached %v of the form, the exports and the tables", reached)
		}
		if st := br.Open("/admin/reports/sales?kind=range&from=" + yr + "-05-01&to=" + yr + "-01-01"); st != http.StatusBadRequest {
			t.Errorf("reversed range in the browser: %d", st)
		}
		br.CheckAxeCurrent(t, "the sales report with a reversed range")
	})
}
