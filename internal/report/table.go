package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/dure-coop/dure/internal/kr"
)

// Cell is one cell of a report table: a text, or a number (won, counts)
// that the page shows with commas and the exports keep as a number.
type Cell struct {
	Text  string
	Num   int64
	IsNum bool
}

// String is the cell as the page shows it: 1,234,000 for numbers.
func (c Cell) String() string {
	if c.IsNum {
		return kr.Comma(c.Num)
	}
	return c.Text
}

// Table is one section of a report, the same on the page, in the CSV and
// in the XLSX (one sheet each).
type Table struct {
	Key    string // summary, type, enterprise, month, institution
	Title  string
	Header []string
	Rows   [][]Cell
}

func text(s string) Cell { return Cell{Text: s} }
func num(n int64) Cell   { return Cell{Num: n, IsNum: true} }

var figureHeader = []string{"주문 수", "품목 수", "수량", "공급가액(원)", "부가세(원)", "합계(원)"}

func (f Figures) cells() []Cell {
	return []Cell{num(f.Orders), num(f.Lines), num(f.Quantity), num(f.Supply), num(f.VAT), num(f.Amount)}
}

// Percent is basis points as a percentage with one decimal: 1234 → "12.3%".
func Percent(bp int) string {
	return strconv.Itoa(bp/100) + "." + strconv.Itoa(bp%100/10) + "%"
}

// Tables are the report's sections, in order: the summary, by type, by
// enterprise, by month, and (every institution) by institution.
func (r *Procurement) Tables() []Table {
	summary := Table{Key: "summary", Title: "요약", Header: []string{"항목", "값"}, Rows: [][]Cell{
		{text("기관"), text(r.Scope())},
		{text("기간"), text(r.Period.Label())},
		{text("시작일"), text(r.Period.From.Format("2006.01.02"))},
		{text("종료일"), text(r.Period.To.Format("2006.01.02"))},
		{text("집계 기준"), text(r.Basis.Label())},
		{text("주문 수"), num(r.Total.Orders)},
		{text("품목 수"), num(r.Total.Lines)},
		{text("수량"), num(r.Total.Quantity)},
		{text("공급가액(원)"), num(r.Total.Supply)},
		{text("부가세(원)"), num(r.Total.VAT)},
		{text("합계(원)"), num(r.Total.Amount)},
	}}
	byType := Table{Key: "type", Title: "기업 유형별", Header: append(append([]string{"기업 유형"}, figureHeader...), "비중")}
	for _, t := range r.ByType {
		byType.Rows = append(byType.Rows, append(append([]Cell{text(t.Type.Label())}, t.cells()...), text(Percent(t.Share))))
	}
	byType.Rows = append(byType.Rows, append(append([]Cell{text("합계")}, r.Total.cells()...), text(Percent(total(r.Total)))))
	byEnt := Table{Key: "enterprise", Title: "기업별", Header: append([]string{"기업", "기업 유형(주문 당시)"}, figureHeader...)}
	for _, e := range r.ByEnterprise {
		byEnt.Rows = append(byEnt.Rows, append([]Cell{text(e.Name), text(e.Type.Label())}, e.cells()...))
	}
	byMonth := Table{Key: "month", Title: "월별", Header: append([]string{"월"}, figureHeader...)}
	for _, m := range r.ByMonth {
		byMonth.Rows = append(byMonth.Rows, append([]Cell{text(m.Month.Format("2006.01"))}, m.cells()...))
	}
	out := []Table{summary, byType, byEnt, byMonth}
	if r.Institution == nil {
		byInst := Table{Key: "institution", Title: "기관별", Header: append([]string{"기관"}, figureHeader...)}
		for _, in := range r.ByInstitution {
			byInst.Rows = append(byInst.Rows, append([]Cell{text(in.Name)}, in.cells()...))
		}
		out = append(out, byInst)
	}
	return out
}

func total(f Figures) int {
	if f.Amount > 0 {
		return 10000
	}
	return 0
}

// csvSafe keeps a spreadsheet from reading a name as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

// CSV writes the tables one after another, each under its title and
// separated by an empty line, numbers as plain digits, in UTF-8 with a BOM
// so that Excel reads the Korean.
func CSV(title string, tables []Table) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	_ = w.Write([]string{title})
	for _, t := range tables {
		_ = w.Write(nil)
		_ = w.Write([]string{"[" + t.Title + "]"})
		_ = w.Write(t.Header)
		for _, row := range t.Rows {
			rec := make([]string, len(row))
			for i, c := range row {
				if c.IsNum {
					rec[i] = strconv.FormatInt(c.Num, 10)
				} else {
					rec[i] = csvSafe(c.Text)
				}
			}
			_ = w.Write(rec)
		}
	}
	w.Flush()
	return b.Bytes()
}

// XLSX writes one sheet per table (named by its title), the header in bold,
// numbers as numbers with a thousands separator.
func XLSX(tables []Table) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, fmt.Errorf("report: xlsx style: %w", err)
	}
	numFmt := "#,##0"
	number, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		return nil, fmt.Errorf("report: xlsx style: %w", err)
	}
	for i, t := range tables {
		sheet := t.Title
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return nil, fmt.Errorf("report: xlsx sheet: %w", err)
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return nil, fmt.Errorf("report: xlsx sheet: %w", err)
		}
		for c, h := range t.Header {
			cell, _ := excelize.CoordinatesToCellName(c+1, 1)
			if err := f.SetCellStr(sheet, cell, h); err != nil {
				return nil, fmt.Errorf("report: xlsx: %w", err)
			}
			_ = f.SetCellStyle(sheet, cell, cell, bold)
		}
		for r, row := range t.Rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
				if v.IsNum {
					err = f.SetCellInt(sheet, cell, v.Num)
					_ = f.SetCellStyle(sheet, cell, cell, number)
				} else {
					err = f.SetCellStr(sheet, cell, v.Text)
				}
				if err != nil {
					return nil, fmt.Errorf("report: xlsx: %w", err)
				}
			}
		}
		_ = f.SetColWidth(sheet, "A", "B", 22)
		_ = f.SetColWidth(sheet, "C", "I", 14)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, fmt.Errorf("report: xlsx: %w", err)
	}
	return b.Bytes(), nil
}
