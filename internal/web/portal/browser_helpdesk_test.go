package portal_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserHelpdesk walks the help desk in headless Chromium: a member
// sends the new-request form wrong (kept, errors beside the fields), then
// opens a request with a photo attached; the operator finds it in the
// console's inbox, notes, replies and marks it done; the member sees the
// reply and not the note. axe-core (desktop and 390 px) runs on every page.
func TestBrowserHelpdesk(t *testing.T) {
	e := webtest.NewEnv(t)
	ent := e.Enterprises(t, 1)[0]
	member := e.Member(t, ent, account.Owner)
	b := browser.New(t, e)
	b.SignIn(member, webtest.Password)

	b.CheckAxe(t, "/portal/help")
	b.Open("/portal/help/new")
	b.CheckAxeCurrent(t, "/portal/help/new")
	b.Fill(map[string]string{"#h-title": "사진 촬영을 도와주세요"})
	if st := b.Submit("send the form without category and text", `form button.btn-primary`); st != http.StatusUnprocessableEntity {
		t.Fatalf("wrong form: status %d", st)
	}
	if !b.Has("#h-category-err") || !b.Has("#h-body-err") || b.Value("#h-title") != "사진 촬영을 도와주세요" {
		t.Fatal("errors not beside the fields, or the title not kept")
	}
	b.CheckAxeCurrent(t, "/portal/help/new with errors")

	img := browser.PNG(t, 320, 240)
	b.Run("attach a photo and choose 사진", chromedp.SetUploadFiles(chromedp.CSS("#h-files"), []string{img}),
		chromedp.SetValue(`#h-category`, "photo"))
	b.Fill(map[string]string{"#h-body": "상품 사진이 어둡게 나옵니다.\n다시 찍어 주실 수 있나요?"})
	if st := b.Submit("open the request", `form button.btn-primary`); st != http.StatusOK {
		t.Fatalf("open: status %d", st)
	}
	reqPath := b.Path()
	if !strings.HasPrefix(reqPath, "/portal/help/") || !b.Has(`.help-files img[src*="/files/"]`) {
		t.Fatalf("after opening: %s, attachment shown %v", reqPath, b.Has(".help-files img"))
	}
	b.CheckAxeCurrent(t, "the request page")
	id := strings.TrimPrefix(reqPath, "/portal/help/")

	// The operator.
	b.SignOut()
	b.SignIn(e.Operator(t), webtest.Password)
	b.CheckAxe(t, "/admin/help")
	if !strings.Contains(b.Text("table"), "사진 촬영을 도와주세요") {
		t.Fatal("the request is not in the inbox")
	}
	b.CheckAxe(t, "/admin/help/stats")
	b.Open("/admin/help/" + id)
	b.CheckAxeCurrent(t, "/admin/help/:id")
	b.Run("choose note", chromedp.Click(`input[name="kind"][value="note"]`))
	b.Fill(map[string]string{"#a-body": "내부 메모: 촬영 기사 일정 확인"})
	if st := b.Submit("note", `#reply button.btn-primary`); st != http.StatusOK {
		t.Fatalf("note: status %d", st)
	}
	b.Run("choose reply", chromedp.Click(`input[name="kind"][value="reply"]`),
		chromedp.SetValue("#a-status", "done"))
	b.Fill(map[string]string{"#a-body": "다음 주 화요일에 방문해 촬영하겠습니다."})
	if st := b.Submit("reply", `#reply button.btn-primary`); st != http.StatusOK {
		t.Fatalf("reply: status %d", st)
	}
	if !strings.Contains(b.Text(".admin-facts"), "완료") {
		t.Error("status not 완료 after the reply")
	}
	b.CheckAxeCurrent(t, "/admin/help/:id with a thread")
	if m, ok := e.Mail.Last(member); !ok || !strings.Contains(m.Body, "화요일") {
		t.Errorf("member not mailed: %+v", m)
	}

	// The member sees the reply, not the note.
	b.SignOut()
	b.SignIn(member, webtest.Password)
	b.Open(reqPath)
	thread := b.Text(".help-thread")
	if !strings.Contains(thread, "화요일에 방문") || strings.Contains(thread, "내부 메모") {
		t.Fatalf("member's thread: %q", thread)
	}
	if !strings.Contains(b.Text(".facts"), "완료") {
		t.Error("member does not see 완료")
	}
	b.CheckAxeCurrent(t, "the request page with the reply")

	// A file that is not an image or PDF: refused beside the field.
	bad := filepath.Join(t.TempDir(), "memo.txt")
	if err := os.WriteFile(bad, []byte("plain text"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Run("attach a text file", chromedp.SetUploadFiles(chromedp.CSS("#r-files"), []string{bad}))
	b.Fill(map[string]string{"#r-body": "메모 파일을 붙입니다"})
	if st := b.Submit("reply with a text file", `#reply button.btn-primary`); st != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: status %d", st)
	}
	if !strings.Contains(b.Text("#r-files-err"), "PDF만") || b.Value("#r-body") != "메모 파일을 붙입니다" {
		t.Error("bad file: no message beside the field, or the text not kept")
	}
}
