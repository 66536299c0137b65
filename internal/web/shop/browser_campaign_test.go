package shop_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/curation"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserExpo walks an online expo in headless Chromium: the operator
// creates an expo with two booths in the console, a visitor opens a booth
// and sends a 상담 문의 about one of its products, and the enterprise sees
// the inquiry in the portal. axe-core (1280 and 390 px) runs on every new
// page.
func TestBrowserExpo(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()
	ents := e.Enterprises(t, 2)
	var products []string
	var names []string
	for _, ent := range ents {
		var id int64
		var name string
		if err := e.Pool.QueryRow(ctx, `SELECT id, name FROM products WHERE enterprise_id = $1 AND status = 'active' ORDER BY id LIMIT 1`, ent).
			Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		products, names = append(products, strconv.FormatInt(id, 10)), append(names, name)
	}
	b := browser.New(t, e)

	// The operator: a new expo, published, with both enterprises' products.
	b.SignIn(e.Operator(t), webtest.Password)
	b.CheckAxe(t, "/admin/campaigns")
	b.Open("/admin/campaigns/new")
	b.CheckAxeCurrent(t, "/admin/campaigns/new")
	b.Open("/admin/campaigns/new")
	now := time.Now()
	b.Run("expo, published, its period", chromedp.Click(`input[name="kind"][value="expo"]`),
		chromedp.SetValue("#starts", curation.FormatKST(now.Add(-time.Hour))),
		chromedp.SetValue("#ends", curation.FormatKST(now.Add(48*time.Hour))))
	b.Fill(map[string]string{"#title": "사회적경제 온라인 박람회", "#slug": "fair-2026", "#status": "published",
		"#products": strings.Join(products, ", ")})
	if st := b.Submit("create the expo", `form.admin-form button.btn-primary`); st != http.StatusOK {
		t.Fatalf("create: status %d", st)
	}
	admin := b.Path()
	if !strings.HasPrefix(admin, "/admin/campaigns/") {
		t.Fatalf("after creating: %s", admin)
	}
	for i, ent := range ents {
		b.Fill(map[string]string{"#enterprise_id": strconv.FormatInt(ent, 10)})
		if st := b.Submit("add booth "+strconv.Itoa(i+1), `#booths > form button`); st != http.StatusOK {
			t.Fatalf("booth %d: status %d", i+1, st)
		}
	}
	if n := strings.Count(b.Text("#booths ul"), "빼기"); n != 2 {
		t.Fatalf("%d booths listed, want 2", n)
	}
	b.CheckAxeCurrent(t, "/admin/campaigns/:id with two booths")

	// A visitor: the expo, a booth, an inquiry.
	b.SignOut()
	b.SignIn(e.Consumer(t), webtest.Password)
	b.CheckAxe(t, "/campaigns")
	b.Open("/campaigns/fair-2026")
	b.CheckAxeCurrent(t, "/campaigns/:slug")
	b.Open("/campaigns/fair-2026")
	if st := b.Submit("open the first booth", `.booth-list li:first-child a`); st != http.StatusOK {
		t.Fatalf("booth: status %d", st)
	}
	booth := b.Path()
	b.CheckAxeCurrent(t, "a booth")
	b.Open(booth)
	b.Fill(map[string]string{"#inq-body": "단체 주문 상담을 받고 싶습니다. 100개 가능할까요?"})
	if st := b.Submit("send the inquiry", `#inquiry button.btn-primary`); st != http.StatusOK {
		t.Fatalf("inquiry: status %d", st)
	}
	if !strings.Contains(b.Text("#inquiry"), "문의를 보냈습니다") {
		t.Fatal("no confirmation after the inquiry")
	}
	b.CheckAxeCurrent(t, "a booth after an inquiry")

	// The enterprise of that booth sees it in the portal.
	var ent int64
	bid, _ := strconv.ParseInt(booth[strings.LastIndex(booth, "/")+1:], 10, 64)
	if err := e.Pool.QueryRow(ctx, `SELECT enterprise_id FROM campaign_booths WHERE id = $1`, bid).Scan(&ent); err != nil {
		t.Fatal(err)
	}
	b.SignOut()
	b.CheckAxe(t, booth) // as an anonymous visitor: the sign-in invitation
	if !b.Has(`#inquiry a.btn-primary[href^="/account/signin"]`) {
		t.Error("an anonymous visitor is not invited to sign in to ask")
	}
	b.SignIn(e.Member(t, ent, account.Owner), webtest.Password)
	b.Open("/portal/questions")
	if got := b.Text("main"); !strings.Contains(got, "단체 주문 상담") {
		t.Fatalf("the inquiry is not in the portal's questions:\n%s", got)
	}
	b.CheckAxe(t, "/portal/campaigns")
	b.CheckAxe(t, "/portal/campaigns/"+strconv.FormatInt(bid, 10))
}
