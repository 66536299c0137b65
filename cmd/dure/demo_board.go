package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/board"
	"github.com/dure-coop/dure/internal/helpdesk"
)

// demoPosts are the development demo's notices and download.
var demoPosts = []board.Input{
	{Kind: board.Notice, Pinned: true, Published: true, Title: "연말 배송 일정 안내",
		Body: "12월 24일(수)부터 1월 1일(목)까지는 택배사 물량이 많아 배송이 1~2일 늦어질 수 있습니다.\n\n" +
			"신선식품은 12월 22일(월) 오후 2시 주문까지 연내에 받으실 수 있습니다. 입점기업별 발송 일정은 각 상품 페이지를 확인해 주세요."},
	{Kind: board.Notice, Published: true, Title: "2027년 신규 입점기업 모집",
		Body: "사회적기업·예비사회적기업·마을기업·자활기업·협동조합의 입점 신청을 받습니다.\n" +
			"입점 안내서는 자료실에서 내려받을 수 있고, 신청은 입점 신청 화면에서 하실 수 있습니다.\n\n" +
			"사회적기업 인증 제도 안내: https://www.socialenterprise.or.kr"},
	{Kind: board.Notice, Published: true, Title: "공공기관 견적 요청 기능을 열었습니다",
		Body: "공공기관 구매담당자는 여러 기업의 상품을 한 번에 견적 요청하고, 견적서와 거래명세서를 받을 수 있습니다."},
}

// demoGuide is a one-page PDF for the demo download.
func demoGuide() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"", // the content stream, below
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	text := "BT /F1 20 Tf 72 760 Td (Dure 2027 - guide for new member enterprises) Tj ET"
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(text), text)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// ensureDemoBoard writes the demo notices and one download while the
// board is empty. Development only.
func ensureDemoBoard(ctx context.Context, acc *account.Service, posts *board.Service) error {
	op, err := acc.SetupActor(ctx, demoOperatorEmail)
	if err != nil {
		return fmt.Errorf("demo board: operator: %w", err)
	}
	octx := account.NewContext(ctx, op)
	if _, n, err := posts.Posts(octx, board.Filter{Limit: 1}); err != nil || n > 0 {
		return err
	}
	all := append([]board.Input{{Kind: board.Download, Published: true, Title: "2027년 입점 안내서",
		Body:  "입점 자격, 필요한 서류, 수수료와 정산 일정을 정리했습니다. 궁금한 점은 애로 상담으로 물어봐 주세요.",
		Files: []helpdesk.Upload{{Name: "2027 입점 안내서.pdf", Data: demoGuide()}}}}, demoPosts...)
	for i := len(all) - 1; i >= 0; i-- { // the first listed is written last: newest
		if _, err := posts.Create(octx, all[i]); err != nil {
			return fmt.Errorf("demo board: %s: %w", all[i].Title, err)
		}
	}
	return nil
}
