package feed

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/dure-coop/dure/internal/kr"
)

// The Naver Shopping EP (엔진페이지) 3.0 is a UTF-8 TSV file: a header line
// of column names, then one product per line, values separated by tabs, no
// quoting (so no value may hold a tab or a line break: OneLine). The full
// feed lists every product; the summary feed (요약 EP) lists only what
// changed, with two more columns: class (I new, U changed, D removed) and
// update_time. Of the guide's optional columns, Dure fills those it knows;
// shipping is the fee in won, 0 for free (-1, 착불, is never used: the co-op
// collects the fee at checkout).
//
// Column names and rules follow Naver's "상품 EP 가이드" (쇼핑파트너센터 >
// 상품관리 > 상품정보 수신현황 > DB URL 작성요령), cross-checked against
// published shop generators; see README.

// NaverColumns are the full feed's columns, in order.
var NaverColumns = []string{
	"id", "title", "price_pc", "price_mobile", "normal_price", "link", "mobile_link",
	"image_link", "add_image_link", "category_name1", "category_name2", "category_name3", "category_name4",
	"naver_category", "condition", "brand", "maker", "search_tag", "shipping",
}

// NaverSummaryColumns are the summary feed's columns, in order.
var NaverSummaryColumns = append(append([]string(nil), NaverColumns...), "class", "update_time")

// naverTimeLayout is update_time's form, in KST.
const naverTimeLayout = "2006-01-02 15:04:05"

// NaverWriter writes an EP file.
type NaverWriter struct {
	w       *bufio.Writer
	links   Links
	summary bool
	row     []string
}

// NewNaverWriter writes the full feed's header to w and returns the writer
// of its lines; summary selects the summary feed's columns.
func NewNaverWriter(w io.Writer, links Links, summary bool) (*NaverWriter, error) {
	nw := &NaverWriter{w: bufio.NewWriterSize(w, 64<<10), links: links, summary: summary}
	cols := NaverColumns
	if summary {
		cols = NaverSummaryColumns
	}
	nw.row = make([]string, len(cols))
	return nw, nw.line(cols)
}

// Item writes a full-feed line.
func (nw *NaverWriter) Item(it Item) error {
	return nw.line(nw.fill(it))
}

// Change writes a summary-feed line: a deleted item carries only its id,
// class and time.
func (nw *NaverWriter) Change(c Change) error {
	var row []string
	if c.Class == Deleted {
		row = nw.row[:len(NaverSummaryColumns)]
		clear(row)
		row[0] = strconv.FormatInt(c.Item.ID, 10)
	} else {
		row = nw.fill(c.Item)
	}
	row[len(row)-2] = string(c.Class)
	row[len(row)-1] = c.At.In(kr.Seoul()).Format(naverTimeLayout)
	return nw.line(row)
}

// Flush writes what is buffered.
func (nw *NaverWriter) Flush() error { return nw.w.Flush() }

func (nw *NaverWriter) fill(it Item) []string {
	r := nw.row
	clear(r)
	link := nw.links.Link(it)
	r[0] = strconv.FormatInt(it.ID, 10)
	r[1] = it.Title
	r[2] = strconv.FormatInt(it.Price, 10)
	r[3] = r[2]
	r[4] = strconv.FormatInt(it.NormalPrice, 10)
	r[5], r[6] = link, link
	r[7] = nw.links.Image(it)
	r[8] = strings.Join(nw.links.MoreImages(it), "|")
	for i := 0; i < 4 && i < len(it.Categories); i++ {
		r[9+i] = it.Categories[i]
	}
	// r[13] naver_category: Naver's own category id, unknown to Dure.
	r[14] = "신상품"
	r[15], r[16] = it.Brand, it.Brand
	r[17] = strings.Join(nonEmpty(it.EnterpriseType, it.Region, "사회적경제"), "|")
	r[18] = strconv.FormatInt(it.Shipping, 10)
	return r
}

func (nw *NaverWriter) line(vals []string) error {
	for i, v := range vals {
		if i > 0 {
			nw.w.WriteByte('\t')
		}
		nw.w.WriteString(OneLine(v))
	}
	_, err := nw.w.WriteString("\n")
	return err
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
