package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/webtest"
	"github.com/dure-coop/dure/internal/web/webtest/browser"
)

// TestBrowserWalk is issue 9's headless Chromium walk through the three
// audiences, on the real services, running axe-core (WCAG 2.1 A and AA at
// 1280 and 390 px: no serious or critical violation) and the focus-ring
// check on every portal and console page it passes:
//
//	a visitor applies at /join → an operator approves the application in
//	/admin → the applicant signs in and reaches /portal → adds a product
//	and uploads its picture → after the search outbox drains the product
//	is found by its name → the operator acts on behalf of the enterprise
//	and changes the price in the portal → stops acting → /admin/audit shows
//	the change, as whom, with before and after.
func TestBrowserWalk(t *testing.T) {
	e := webtest.NewEnv(t)
	b := browser.New(t, e)
	check := func(what string) { // the page the browser shows now
		t.Helper()
		b.CheckAxeCurrent(t, what)
		b.CheckFocus(t, what)
	}

	// A visitor applies, filling every field; the application signs them in
	// and the portal shows where it stands.
	name, owner := "두레숲 목공 협동조합", webtest.Email("applicant")
	brn := "871820713"
	brn = kr.FormatBusinessNumber(brn + strconv.Itoa(kr.BusinessNumberCheckDigit(brn)))
	b.Open("/join")
	b.Fill(map[string]string{
		"#j-name": name, "#j-business_number": brn, "#j-type": string(catalog.SocialCooperative),
		"#j-cert_number": "2026-사회적협동조합-0713", "#j-cert_valid_until": "2029-12-31", "#j-region": "daegu",
		"#j-representative": "박나무", "#j-phone": "053-123-4567", "#j-email": "hello@durewood.test",
		"#j-address": "대구광역시 중구 동덕로 115", "#j-mission": "버려지는 목재로 생활용품을 만들고 지역 어르신의 일자리를 만듭니다.",
		"#j-bank_name": "농협은행", "#j-bank_account": "301-0123-4567-81", "#j-bank_holder": name,
		"#j-owner_name": "김담당", "#j-owner_email": owner, "#j-owner_password": webtest.Password,
		"#j-owner_password_confirm": webtest.Password,
	})
	if st := b.Submit("apply at /join", `form.join-form button[type="submit"]`); st != http.StatusOK || b.Path() != "/portal" {
		t.Fatalf("the application went to %s (%d): %s", b.Path(), st, b.Text("main"))
	}
	if s := b.Text("main"); !strings.Contains(s, "심사 중") || !strings.Contains(s, name) {
		t.Errorf("the applicant's portal does not say the application is under review: %q", s)
	}
	check("/portal while the application is under review")
	b.SignOut()

	// An operator approves it from the approval queue.
	operator := e.Operator(t)
	if landed := b.SignIn(operator, webtest.Password); landed != "/admin" {
		t.Errorf("the operator's sign-in landed on %s, want /admin", landed)
	}
	b.CheckAxe(t, "/admin")
	b.CheckFocus(t, "/admin")
	entURL := browser.Eval[string](b, fmt.Sprintf(
		`(([...document.querySelectorAll('main a[href^="/admin/enterprises/"]')].find(a => a.textContent.includes(%q))) || {}).pathname || ""`, name))
	m := regexp.MustCompile(`^/admin/enterprises/([0-9]+)$`).FindStringSubmatch(entURL)
	if m == nil {
		t.Fatalf("the approval queue has no link to %s's application: %q", name, b.Text("main"))
	}
	entID := m[1]
	b.CheckAxe(t, entURL)
	b.CheckFocus(t, entURL)
	b.Open(entURL)
	if st := b.Submit("입점 승인", `form[action$="/approve"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("approve: status %d at %s", st, b.Path())
	}
	if s := b.Text("main"); !strings.Contains(s, "승인했습니다") {
		t.Errorf("after approving, the enterprise page says %q", s)
	}
	check(entURL + " after approving")
	b.SignOut()

	// The applicant signs in and reaches the portal.
	if landed := b.SignIn(owner, webtest.Password); landed != "/portal" {
		t.Fatalf("the approved member's sign-in landed on %s, want /portal", landed)
	}
	if s := b.Text(".portal-who"); !strings.Contains(s, name) {
		t.Errorf("the portal's header names %q, want %s", s, name)
	}
	check("/portal")

	// A product, then its picture through the file input.
	product := "두레숲 편백나무 도마"
	b.Open("/portal/products")
	check("/portal/products (empty)")
	b.Open("/portal/products/new")
	check("/portal/products/new")
	category := browser.Eval[string](b, `[...document.querySelectorAll('#f-category option')].map(o => o.value).find(v => v !== "") || ""`)
	if category == "" {
		t.Fatal("the product form offers no category")
	}
	b.Fill(map[string]string{"#f-name": product, "#f-category": category, "#f-code": "DW-0713",
		"#f-consumer-price": "19000", "#f-public-price": "17000", "#f-stock": "12", "#f-unit": "1개 (30×20cm)",
		"#f-summary": "자투리 편백으로 만든 향긋한 도마", "#f-description": "대구 목공방에서 손으로 다듬었습니다."})
	if st := b.Submit("상품 등록", `form.form-panel button.btn-primary[value="save"]`); st != http.StatusOK {
		t.Fatalf("create the product: status %d at %s: %s", st, b.Path(), b.Text("main"))
	}
	m = regexp.MustCompile(`^/portal/products/([0-9]+)/edit\?done=created$`).FindStringSubmatch(b.Path())
	if m == nil {
		t.Fatalf("after creating the product the portal is at %s: %s", b.Path(), b.Text("main"))
	}
	productID := m[1]
	if err := chromedp.Do(b.Ctx, chromedp.SetUploadFiles(chromedp.CSS("#img-file"), []string{browser.PNG(t, 480, 360)})); err != nil {
		t.Fatalf("choose the picture: %v", err)
	}
	b.Fill(map[string]string{"#img-alt": "편백나무 도마 한 개"})
	if st := b.Submit("이미지 올리기", `form[enctype="multipart/form-data"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("upload the picture: status %d at %s: %s", st, b.Path(), b.Text("main"))
	}
	if !b.Has(`.image-item img[src^="/media/u/"]`) {
		t.Fatalf("no uploaded picture on the product's page: %s", b.Text("main"))
	}
	check("the product's edit page with its picture")
	b.Open("/portal/products")
	check("/portal/products")
	b.SignOut()

	// Search finds it once the outbox has been drained into the index.
	e.DrainSearch(t)
	b.Open("/search?q=" + url.QueryEscape(product))
	card := `.results a.card-link[href="/p/` + productID + `"]`
	if !b.Has(card) {
		t.Fatalf("/search?q=%s does not list product %s: %s", product, productID, b.Text("main"))
	}
	if !b.Has(card + ` img[src^="/media/u/"]`) {
		t.Errorf("the search result shows no uploaded picture")
	}

	// The operator acts on behalf of the enterprise and changes the price.
	b.SignIn(operator, webtest.Password)
	b.Open(entURL)
	if st := b.Submit("이 기업으로 대리 작업", `form[action$="/act"] button[type="submit"]`); st != http.StatusOK || b.Path() != "/portal" {
		t.Fatalf("acting on behalf went to %s (%d)", b.Path(), st)
	}
	if s := b.Text(".acting-banner"); !strings.Contains(s, name) {
		t.Errorf("the acting banner says %q, want %s", s, name)
	}
	check("/portal acting on behalf")
	b.Open("/portal/products/" + productID + "/edit")
	if got := b.Value("#f-consumer-price"); got != "19000" && got != "19,000" {
		t.Errorf("the edit form shows the price %q, want 19000", got)
	}
	b.Fill(map[string]string{"#f-consumer-price": "23000"})
	if st := b.Submit("저장 (대리)", `form.form-panel button.btn-primary[value="save"]`); st != http.StatusOK || !strings.HasSuffix(b.Path(), "?done=saved") {
		t.Fatalf("saving the price on behalf went to %s (%d): %s", b.Path(), st, b.Text("main"))
	}
	check("the product's edit page acting on behalf")
	if st := b.Submit("대리 작업 끝내기", `.acting-banner form button[type="submit"]`); st != http.StatusOK ||
		!strings.HasPrefix(b.Path(), "/admin/enterprises/"+entID) {
		t.Fatalf("stopping went to %s (%d)", b.Path(), st)
	}
	if b.Has(".acting-banner") || b.Cookie("dure_session") == "" {
		t.Error("still acting, or signed out, after stopping")
	}

	// The audit log shows the price change, made as the enterprise.
	b.CheckAxe(t, "/admin/audit")
	b.CheckFocus(t, "/admin/audit")
	type change struct{ Label, Before, After string }
	type entry struct {
		Action, OnBehalf string
		Changes          []change
	}
	entries := browser.Eval[[]entry](b, `[...document.querySelectorAll('.audit-entry')].map(li => ({
	  Action: li.querySelector('.audit-head strong')?.textContent.trim() || '',
	  OnBehalf: ([...li.querySelectorAll('.audit-meta dt')].find(dt => dt.textContent.trim() === '누구로')?.nextElementSibling?.textContent || '').trim(),
	  Changes: [...li.querySelectorAll('table.diff tbody tr')].map(tr => ({
	    Label: tr.querySelector('th')?.textContent.trim() || '',
	    Before: tr.querySelector('del')?.textContent.trim() || '',
	    After: tr.querySelector('ins')?.textContent.trim() || '',
	  })),
	}))`)
	var found bool
	for _, en := range entries {
		for _, c := range en.Changes {
			if c.Label == "소비자가" && c.Before == "19,000원" && c.After == "23,000원" {
				found = true
				if !strings.Contains(en.OnBehalf, name) {
					t.Errorf("the price change (%s) is not recorded as made on behalf of %s: %q", en.Action, name, en.OnBehalf)
				}
			}
		}
	}
	if !found {
		t.Errorf("/admin/audit shows no change of 소비자가 from 19,000원 to 23,000원 among %d entries: %+v", len(entries), entries)
	}
}
