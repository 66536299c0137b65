package settlement

import (
	"bytes"
	"encoding/csv"
	"strings"

	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/report"
)

func text(s string) report.Cell { return report.Cell{Text: s} }
func num(n int64) report.Cell   { return report.Cell{Num: n, IsNum: true} }

// Tables are the statement's sections, the same on the page, in the CSV,
// the XLSX and the PDF: the summary, then every entry.
func (s *Statement) Tables(entries []Entry) []report.Table {
	sum := report.Table{Key: "summary", Title: "정산 요약", Header: []string{"항목", "금액(원)"}, Rows: [][]report.Cell{
		{text("기업"), text(s.EnterpriseName)},
		{text("정산 기간"), text(s.PeriodLabel() + " (" + s.From.Format("2006.01.02") + " ~ " + s.To.Format("2006.01.02") + ")")},
		{text("상태"), text(s.Status.Label())},
		{text("일반 소비자 판매액"), num(s.SalesConsumer)},
		{text("공공기관 판매액"), num(s.SalesPublic)},
		{text("배송비"), num(s.Shipping)},
		{text("협동조합 부담 할인 보전"), num(s.CoopDiscount)},
		{text("환불"), num(-s.Refunds)},
		{text("수수료"), num(-s.Commission)},
		{text("지급액"), num(s.Payout)},
	}}
	if s.BankAccount != "" {
		sum.Rows = append(sum.Rows, []report.Cell{text("지급 계좌"), text(Bank{Name: s.BankName, Account: s.BankAccount, Holder: s.BankHolder}.Label())})
	}
	if s.TransferReference != "" {
		sum.Rows = append(sum.Rows, []report.Cell{text("이체 참조번호"), text(s.TransferReference)})
	}
	list := report.Table{Key: "entries", Title: "정산 내역",
		Header: []string{"일자", "구분", "채널", "주문번호", "상품(원)", "배송비(원)", "할인 보전(원)", "수수료율", "수수료(원)", "지급액(원)"}}
	for _, e := range entries {
		list.Rows = append(list.Rows, []report.Cell{text(e.Day.Format("2006.01.02")), text(e.Kind.Label()), text(e.Channel.Label()),
			text(e.OrderNumber), num(e.Goods), num(e.Shipping), num(e.CoopDiscount), text(Percent(e.RateBP)), num(e.Commission), num(e.Payout())})
	}
	return []report.Table{sum, list}
}

// Title is the statement's document title.
func (s *Statement) Title() string { return "정산서 " + s.EnterpriseName + " " + s.PeriodLabel() }

// FileName is the statement's file name without extension.
func (s *Statement) FileName() string {
	return "dure-settlement-" + s.Slug() + "-" + itoa(s.EnterpriseID)
}

// PayoutCSV is the bank's bulk-transfer file: 은행, 계좌번호, 예금주, 금액,
// 메모 (UTF-8 with BOM, one transfer a row).
func PayoutCSV(rows []PayoutRow) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"은행", "계좌번호", "예금주", "금액", "메모"})
	for _, r := range rows {
		_ = w.Write([]string{safe(r.Bank), safe(r.Account), safe(r.Holder), itoa(r.Amount), safe(r.Memo)})
	}
	w.Flush()
	return buf.Bytes()
}

// safe keeps a spreadsheet from reading a cell as a formula.
func safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Won is n as 12,000원.
func Won(n int64) string { return kr.Won(n) }
