package admin_test

import (
	"bytes"
	"context"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// postForm sends a multipart form with files (name → content) to target.
func postForm(t *testing.T, b *webtest.Shopper, target string, fields url.Values, files map[string][]byte) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		fw, err := mw.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	return b.Do(t, http.MethodPost, target, mw.FormDataContentType(), &body)
}

// The operator writes notices in the console: bad input comes back in
// Korean with the form kept and nothing written; a pinned, published
// notice with a PDF shows on the home page and at /notices with its link
// made clickable and its file downloadable under a safe name; a draft is
// not found by anyone else; unpublishing and deleting take it away; every
// write is audited. Shoppers and enterprise members find no console.
func TestBoardConsole(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	op := e.Shopper()
	op.SignIn(t, e.Operator(t), webtest.Password)
	tok := op.CSRF(t, "/admin/board/new")
	posts := func() int {
		var n int
		if err := e.Pool.QueryRow(ctx, `SELECT count(*) FROM board_posts`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Bad input: no title, a file that is neither a picture nor a PDF.
	resp, body := postForm(t, op, "/admin/board/new", url.Values{"_csrf": {tok}, "kind": {"notice"}, "title": {" "},
		"body": {"본문은 남아 있어야 합니다."}, "status": {"published"}}, map[string][]byte{"run.exe": []byte("MZ\x90\x00binary")})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d\n%s", resp.StatusCode, webtest.Truncate(body, 2000))
	}
	doc := webtest.Parse(t, body)
	if doc.Find("#title-error").Text() == "" || !strings.Contains(doc.Find("#post-files-err").Text(), "붙일 수 없는 형식") {
		t.Fatalf("messages: title %q files %q", doc.Find("#title-error").Text(), doc.Find("#post-files-err").Text())
	}
	if doc.Find("#body").Text() != "본문은 남아 있어야 합니다." {
		t.Fatalf("body not kept: %q", doc.Find("#body").Text())
	}
	if _, ok := doc.Find(`#status option[value=published]`).Attr("selected"); !ok {
		t.Fatal("status not kept")
	}
	if posts() != 0 {
		t.Fatal("a refused post was written")
	}

	// A pinned, published notice with a PDF.
	body1 := "12월 운영 시간을 알려 드립니다.\n\n자세한 내용: https://dure.example/hours?m=12.\n<script>alert(1)</script> javascript:alert(1)"
	resp, body = postForm(t, op, "/admin/board/new", url.Values{"_csrf": {tok}, "kind": {"notice"}, "title": {"연말 운영 안내"},
		"body": {body1}, "pinned": {"1"}, "status": {"published"}}, map[string][]byte{"운영 시간 \"안내\".pdf": []byte("%PDF-1.4\n%%EOF\n")})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", resp.StatusCode, webtest.Truncate(body, 2000))
	}
	loc := resp.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.Split(loc, "?")[0], "/admin/board/"), 10, 64)
	if err != nil {
		t.Fatalf("location %q", loc)
	}
	sid := strconv.FormatInt(id, 10)
	var fileID int64
	if err := e.Pool.QueryRow(ctx, `SELECT id FROM board_files WHERE post_id = $1`, id).Scan(&fileID); err != nil {
		t.Fatal(err)
	}

	visitor := e.Shopper()
	home := visitor.Page(t, "/", 200)
	if a := home.Find(`.board-home a[href="/notices/` + sid + `"]`); a.Text() != "연말 운영 안내" || a.Parent().Find(".pin-badge").Length() != 1 {
		t.Fatalf("home page: %q", home.Find(".board-home").Text())
	}
	list := visitor.Page(t, "/notices", 200)
	if list.Find(`.board-list a[href="/notices/`+sid+`"]`).Length() != 1 {
		t.Fatal("not on /notices")
	}
	page := visitor.Page(t, "/notices/"+sid, 200)
	link := page.Find(`.post-body a`)
	if href, _ := link.Attr("href"); link.Length() != 1 || href != "https://dure.example/hours?m=12" {
		t.Fatalf("links in the body: %d %q", link.Length(), href)
	}
	if page.Find(".post-body script").Length() != 0 || !strings.Contains(page.Find(".post-body").Text(), "<script>alert(1)</script>") {
		t.Fatal("the body's markup was not escaped")
	}
	fileURL := "/notices/" + sid + "/files/" + strconv.FormatInt(fileID, 10)
	if href, _ := page.Find(".post-files a").Attr("href"); href != fileURL {
		t.Fatalf("file link %q, want %q", href, fileURL)
	}
	resp, data := visitor.Do(t, http.MethodGet, fileURL, "", nil)
	if resp.StatusCode != 200 || data != "%PDF-1.4\n%%EOF\n" || resp.Header.Get("Content-Type") != "application/pdf" ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("download: %d %q %v", resp.StatusCode, data, resp.Header)
	}
	disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != "운영 시간 \"안내\".pdf" {
		t.Fatalf("Content-Disposition %q: %v %v", resp.Header.Get("Content-Disposition"), params, err)
	}
	// The notice is not a download.
	visitor.Page(t, "/downloads/"+sid, 404)
	if resp, _ := visitor.Do(t, http.MethodGet, "/downloads/"+sid+"/files/"+strconv.FormatInt(fileID, 10), "", nil); resp.StatusCode != 404 {
		t.Fatalf("file under the other kind: %d", resp.StatusCode)
	}

	// A draft download: nobody else sees it, the console does.
	resp, _ = postForm(t, op, "/admin/board/new", url.Values{"_csrf": {tok}, "kind": {"download"}, "title": {"작성 중인 자료"},
		"status": {"draft"}}, map[string][]byte{"draft.pdf": []byte("%PDF-1.4\n")})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d", resp.StatusCode)
	}
	var draftID, draftFile int64
	if err := e.Pool.QueryRow(ctx, `SELECT p.id, f.id FROM board_posts p JOIN board_files f ON f.post_id = p.id WHERE p.title = '작성 중인 자료'`).Scan(&draftID, &draftFile); err != nil {
		t.Fatal(err)
	}
	dsid := strconv.FormatInt(draftID, 10)
	visitor.Page(t, "/downloads/"+dsid, 404)
	if resp, _ := visitor.Do(t, http.MethodGet, "/downloads/"+dsid+"/files/"+strconv.FormatInt(draftFile, 10), "", nil); resp.StatusCode != 404 {
		t.Fatalf("draft's file: %d", resp.StatusCode)
	}
	if strings.Contains(visitor.Page(t, "/downloads", 200).Text(), "작성 중인 자료") || strings.Contains(visitor.Page(t, "/", 200).Text(), "작성 중인 자료") {
		t.Fatal("a draft is listed")
	}
	if resp, _ := op.Do(t, http.MethodGet, "/admin/board/"+dsid+"/files/"+strconv.FormatInt(draftFile, 10), "", nil); resp.StatusCode != 200 {
		t.Fatalf("console, draft's file: %d", resp.StatusCode)
	}
	console := op.Page(t, "/admin/board", 200)
	if !strings.Contains(console.Find("table").Text(), "작성 중인 자료") || !strings.Contains(console.Find("table").Text(), "임시 저장") {
		t.Fatalf("console list: %q", console.Find("table").Text())
	}

	// Edit: an empty title is refused with the form kept, nothing changed.
	resp, body = postForm(t, op, "/admin/board/"+sid, url.Values{"_csrf": {tok}, "kind": {"notice"}, "title": {""},
		"body": {"고친 본문"}, "status": {"published"}}, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || webtest.Parse(t, body).Find("#body").Text() != "고친 본문" {
		t.Fatalf("edit refused: %d", resp.StatusCode)
	}
	if !strings.Contains(visitor.Page(t, "/notices/"+sid, 200).Find("h1").Text(), "연말 운영 안내") {
		t.Fatal("a refused edit changed the post")
	}
	// Unpublish: gone from the shop.
	if loc, _, _ := op.Post(t, "/admin/board/"+sid+"/unpublish", url.Values{"_csrf": {tok}, "back": {"/admin/board"}}, http.StatusSeeOther); !strings.HasPrefix(loc, "/admin/board?done=post_unpublished") {
		t.Fatalf("unpublish → %q", loc)
	}
	visitor.Page(t, "/notices/"+sid, 404)
	// Publish again and delete: the post and its file are gone.
	op.Post(t, "/admin/board/"+sid+"/publish", url.Values{"_csrf": {tok}}, http.StatusSeeOther)
	visitor.Page(t, "/notices/"+sid, 200)
	op.Post(t, "/admin/board/"+sid+"/delete", url.Values{"_csrf": {tok}}, http.StatusSeeOther)
	visitor.Page(t, "/notices/"+sid, 404)
	op.Page(t, "/admin/board/"+sid, 404)

	var audited int
	if err := e.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'board_post' AND actor_role = 'operator'`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 5 { // create, create (draft), unpublish, publish, delete
		t.Fatalf("audited %d board writes, want 5", audited)
	}

	// No console for a shopper or an enterprise member: 404, nothing written.
	ents := e.Enterprises(t, 1)
	for _, email := range []string{e.Consumer(t), e.Member(t, ents[0], account.Owner)} {
		b := e.Shopper()
		b.SignIn(t, email, webtest.Password)
		btok := b.CSRF(t, "/account")
		b.Page(t, "/admin/board", 404)
		b.Page(t, "/admin/board/"+dsid, 404)
		resp, _ := postForm(t, b, "/admin/board/new", url.Values{"_csrf": {btok}, "kind": {"notice"}, "title": {"몰래"}, "status": {"published"}}, nil)
		if resp.StatusCode != 404 {
			t.Fatalf("%s posting: %d", email, resp.StatusCode)
		}
		b.Post(t, "/admin/board/"+dsid+"/publish", url.Values{"_csrf": {btok}}, 404)
	}
	visitor.Page(t, "/downloads/"+dsid, 404)
	if n := posts(); n != 1 {
		t.Fatalf("%d posts, want the draft alone", n)
	}
}
