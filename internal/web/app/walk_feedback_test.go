package app_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserReviewWalk is issue 14's walk in headless Chromium, with
// axe-core (1280 and 390 px) on every new page and state: a buyer with a
// delivered order is refused a too short review (the text kept), writes it
// with a photo → it shows on the product page with the average → asks a
// private question → the enterprise replies in the portal and answers the
// question → the buyer sees the unread count in the header and the
// notification, which leads back to the reply → an operator hides the
// review with a reason and the product page no longer shows it.
func TestBrowserReviewWalk(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)
	check := func(what string) { t.Helper(); b.CheckAxeCurrent(t, what) }

	product, productName := e.Goods(t)
	buyer := e.Consumer(t)
	o, owner := e.DeliveredOrder(t, product, buyer)
	line := o.SubOrders[0].Lines[0].ID
	productURL := "/p/" + strconv.FormatInt(product, 10)

	b.SignIn(buyer, webtest.Password)
	b.Open("/account/reviews")
	check("/account/reviews with a line to review")
	form := `a[href="/account/reviews/new?line=` + strconv.FormatInt(line, 10) + `"]`
	if !b.Has(form) {
		t.Fatalf("/account/reviews offers no review of the delivered line: %s", b.Text("main"))
	}
	b.Submit("open the review form", form)
	check("the review form")

	// Too short: refused, the text and the rating kept.
	b.Run("rate 5", chromedp.Click(chromedp.CSS(`input[name="rating"][value="5"]`)))
	b.Fill(map[string]string{"#review-body": "좋아요"})
	if st := b.Submit("a too short review", `form.review-form button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("a too short review: status %d", st)
	}
	if b.Value("#review-body") != "좋아요" || !b.Has(`input[name="rating"][value="5"]:checked`) || !b.Has("#review-body-err") {
		t.Errorf("the refused review form lost what was typed or shows no error: %s", b.Text("main"))
	}
	check("the review form with errors")

	body := "향이 좋고 포장이 꼼꼼했습니다. 선물용으로 또 사겠습니다."
	b.Fill(map[string]string{"#review-body": body})
	if err := chromedp.Do(b.Ctx, chromedp.SetUploadFiles(chromedp.CSS("#review-photos"), []string{browser.PNG(t, 640, 480)})); err != nil {
		t.Fatalf("choose the photo: %v", err)
	}
	if st := b.Submit("post the review", `form.review-form button[type="submit"]`); st != http.StatusOK || b.Path() != productURL {
		t.Fatalf("posting the review went to %s (%d): %s", b.Path(), st, b.Text("main"))
	}
	if s := b.Text("#reviews"); !strings.Contains(s, body) || !strings.Contains(s, "평균 5.0점") || !strings.Contains(s, "구매평 1개") {
		t.Errorf("the product page's reviews say %q", s)
	}
	if !b.Has(`#reviews .review-photos img[src^="/media/u/"]`) {
		t.Error("the review's photo is not on the product page")
	}

	// A private question.
	b.Fill(map[string]string{"#ask-body": "선물 포장과 카드 동봉이 되나요? 받는 분 연락처는 010-1111-2222입니다."})
	b.Run("tick private", chromedp.Click(chromedp.CSS(`input[name="private"]`)))
	if st := b.Submit("ask", `form.ask-form button[type="submit"]`); st != http.StatusOK || !strings.Contains(b.Text("#questions"), "010-1111-2222") {
		t.Fatalf("asking: %d, questions: %s", st, b.Text("#questions"))
	}
	check("the product page with a review and a question")
	b.SignOut()
	b.Open(productURL)
	if s := b.Text("#questions"); strings.Contains(s, "010-1111-2222") || !strings.Contains(s, "비밀글") {
		t.Errorf("an anonymous visitor reads the private question: %q", s)
	}

	// The enterprise hears of both, replies and answers.
	if err := e.Notify.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	b.SignIn(owner, webtest.Password)
	b.Open("/portal/reviews")
	check("/portal/reviews")
	reply := "따뜻한 구매평 감사합니다. 다음에도 정성껏 보내 드릴게요."
	b.Fill(map[string]string{`textarea[name="reply"]`: reply})
	if st := b.Submit("reply", `form[action$="/reply"] button[type="submit"]`); st != http.StatusOK || !strings.Contains(b.Text("main"), reply) {
		t.Fatalf("replying: %d: %s", st, b.Text("main"))
	}
	b.Open("/portal/questions")
	check("/portal/questions with an unanswered question")
	b.Fill(map[string]string{`textarea[name="answer"]`: "네, 선물 포장과 카드 동봉 모두 됩니다."})
	if st := b.Submit("answer", `form[action$="/answer"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("answering: %d", st)
	}
	b.SignOut()

	// The buyer is told.
	if err := e.Notify.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	b.SignIn(buyer, webtest.Password)
	b.Open("/")
	unread, _ := strconv.Atoi(b.Text(".notify-link .cart-count"))
	if unread < 5 { // paid, shipped, delivered, reply, answer
		t.Errorf("the header shows %d unread notifications, want at least 5", unread)
	}
	b.Open("/account/notifications")
	check("/account/notifications")
	replyNote := `//li[contains(@class,"notification")][.//button[contains(., "답글")]]//button`
	if !strings.Contains(b.Text("main"), "구매평에 답글이 달렸습니다") {
		t.Fatalf("no notification of the reply: %s", b.Text("main"))
	}
	if _, err := chromedp.RunResponse(b.Ctx, chromedp.Click(chromedp.Search(replyNote))); err != nil {
		t.Fatalf("open the reply's notification: %v", err)
	}
	if b.Path() != productURL || !strings.Contains(b.Text("#reviews"), reply) {
		t.Errorf("the notification led to %s without the reply", b.Path())
	}
	b.Open("/")
	if after, _ := strconv.Atoi(b.Text(".notify-link .cart-count")); after != unread-1 {
		t.Errorf("after opening one, the header shows %d unread, want %d", after, unread-1)
	}
	b.Open("/account/notifications/settings")
	check("/account/notifications/settings")
	b.SignOut()

	// An operator hides it.
	b.SignIn(e.Operator(t), webtest.Password)
	b.Open("/admin/reviews")
	check("/admin/reviews")
	b.Fill(map[string]string{`input[name="reason"]`: "연락처(개인정보)가 들어 있음"})
	if st := b.Submit("hide", `form[action$="/hide"] button[type="submit"]`); st != http.StatusOK || !strings.Contains(b.Text("main"), "숨겼습니다") {
		t.Fatalf("hiding: %d: %s", st, b.Text("main"))
	}
	b.Open(productURL)
	if s := b.Text("#reviews"); strings.Contains(s, body) {
		t.Errorf("the hidden review is still on the product page of %s", productName)
	}
	if !regexp.MustCompile(`구매평\s*0`).MatchString(b.Text("#reviews-h")) {
		t.Errorf("the review count after hiding: %q", b.Text("#reviews-h"))
	}
}
