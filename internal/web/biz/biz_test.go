package biz_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/web/webtest"
)

func form(t *testing.T, b *webtest.Shopper, page string, v url.Values) url.Values {
	t.Helper()
	v.Set("_csrf", b.CSRF(t, page))
	return v
}

// TestRegisterJoinAndMembers walks /biz through its forms: a wrong
// 사업자등록번호 is refused beside the field with the form kept; the
// registration signs the admin in to a pending dashboard; a colleague
// joins; the admin approves them on /biz/members; after the operator's
// approval the colleague sees public prices split into 공급가액/부가세/합계.
func TestRegisterJoinAndMembers(t *testing.T) {
	e := webtest.NewEnv(t)
	ctx := context.Background()

	anon := e.Shopper()
	doc := anon.Page(t, "/biz", http.StatusOK)
	if doc.Find(`a[href="/biz/register"]`).Length() == 0 || doc.Find(`a[href="/biz/join"]`).Length() == 0 {
		t.Fatal("landing page without register/join links")
	}

	in := webtest.RegisterInput("대구광역시 테스트구청")
	good := in.IDNumber
	bad := good[:9] + string(rune('0'+(int(good[9]-'0')+1)%10))
	v := url.Values{"name": {in.Name}, "kind": {"local"}, "id_kind": {"business"}, "id_number": {bad},
		"postcode": {"41911"}, "road_address": {in.RoadAddress}, "phone": {in.Phone}, "department": {"회계과"},
		"user_name": {"박관리"}, "email": {in.Email}, "password": {webtest.Password}, "password_confirm": {webtest.Password}}
	b := e.Shopper()
	_, doc, _ = b.Post(t, "/biz/register", form(t, b, "/biz/register", v), http.StatusUnprocessableEntity)
	if msg := doc.Find("#f-id_number-error").Text(); !strings.Contains(msg, "검증 숫자") {
		t.Errorf("checksum error %q", msg)
	}
	if got := doc.Find("#f-name").AttrOr("value", ""); got != in.Name {
		t.Errorf("name kept as %q", got)
	}
	if got := doc.Find("#f-password").AttrOr("value", "x"); got != "" {
		t.Errorf("password sent back: %q", got)
	}
	var n int
	if err := e.Pool.QueryRow(ctx, `SELECT count(*) FROM institutions`).Scan(&n); err != nil || n != 0 {
		t.Errorf("a refused registration wrote %d institutions (%v)", n, err)
	}

	v.Set("id_number", good[:3]+"-"+good[3:5]+"-"+good[5:])
	loc, _, _ := b.Post(t, "/biz/register", form(t, b, "/biz/register", v), http.StatusSeeOther)
	if loc != "/biz?done=registered" {
		t.Fatalf("after registering: %q", loc)
	}
	doc = b.Page(t, loc, http.StatusOK)
	if !strings.Contains(doc.Find("main").Text(), "심사하고 있습니다") || doc.Find(`main a[href="/biz/products"]`).Length() != 0 {
		t.Errorf("pending dashboard: %s", doc.Find("main").Text())
	}
	if resp, _ := b.Do(t, http.MethodGet, "/biz/products", "", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("pending institution's products: %d", resp.StatusCode)
	}
	var instID int64
	if err := e.Pool.QueryRow(ctx, `SELECT id FROM institutions WHERE id_number = $1`, good).Scan(&instID); err != nil {
		t.Fatal(err)
	}

	// A colleague joins with the number and the name.
	colleague := webtest.Email("colleague")
	c := e.Shopper()
	jv := url.Values{"id_number": {good}, "institution_name": {in.Name}, "department": {"총무과"}, "user_name": {"이동료"},
		"email": {colleague}, "password": {webtest.Password}, "password_confirm": {webtest.Password}}
	wrong := url.Values{}
	for k, vs := range jv {
		wrong[k] = vs
	}
	wrong.Set("institution_name", "엉뚱한 기관")
	_, doc, _ = c.Post(t, "/biz/join", form(t, c, "/biz/join", wrong), http.StatusUnprocessableEntity)
	if msg := doc.Find("#f-id_number-error").Text(); !strings.Contains(msg, "등록된 기관이 없습니다") {
		t.Errorf("wrong name: %q", msg)
	}
	loc, _, _ = c.Post(t, "/biz/join", form(t, c, "/biz/join", jv), http.StatusSeeOther)
	doc = c.Page(t, loc, http.StatusOK)
	if !strings.Contains(doc.Find("main").Text(), "심사") {
		t.Errorf("colleague's dashboard: %s", doc.Find("main").Text())
	}
	if resp, _ := c.Do(t, http.MethodGet, "/biz/members", "", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a buyer's /biz/members: %d", resp.StatusCode)
	}

	// The admin approves the colleague.
	doc = b.Page(t, "/biz/members", http.StatusOK)
	if !strings.Contains(doc.Find("tbody").Text(), colleague) || !strings.Contains(doc.Find("tbody").Text(), "승인 대기") {
		t.Fatalf("members: %s", doc.Find("tbody").Text())
	}
	var cid string
	if err := e.Pool.QueryRow(ctx, `SELECT id::text FROM users WHERE email = $1`, colleague).Scan(&cid); err != nil {
		t.Fatal(err)
	}
	tok := webtest.CSRFOf(t, doc)
	loc, _, _ = b.Post(t, "/biz/members/"+cid+"/approve", url.Values{"_csrf": {tok}}, http.StatusSeeOther)
	if loc != "/biz/members?done=approved" {
		t.Errorf("after approving: %q", loc)
	}
	// Removing the admin themselves is refused on the page.
	var aid string
	if err := e.Pool.QueryRow(ctx, `SELECT id::text FROM users WHERE email = $1`, in.Email).Scan(&aid); err != nil {
		t.Fatal(err)
	}
	_, doc, _ = b.Post(t, "/biz/members/"+aid+"/remove", url.Values{"_csrf": {tok}}, http.StatusConflict)
	if !strings.Contains(doc.Find(".notice-warn").Text(), "관리자 역할을 먼저 넘겨") {
		t.Errorf("admin removal: %q", doc.Find(".notice-warn").Text())
	}

	// The operator approves the institution in the console.
	op := e.Shopper()
	op.SignIn(t, e.Operator(t), webtest.Password)
	doc = op.Page(t, "/admin/institutions?status=pending", http.StatusOK)
	if !strings.Contains(doc.Find("main").Text(), in.Name) {
		t.Fatalf("console list: %s", doc.Find("main").Text())
	}
	instURL := "/admin/institutions/" + itoa(instID)
	doc = op.Page(t, instURL, http.StatusOK)
	otok := webtest.CSRFOf(t, doc)
	_, doc, _ = op.Post(t, instURL+"/reject", url.Values{"_csrf": {otok}, "reason": {" "}}, http.StatusUnprocessableEntity)
	if doc.Find("#reason-error").Text() == "" {
		t.Error("reject without reason: no error")
	}
	_, doc, _ = op.Post(t, instURL+"/limit", url.Values{"_csrf": {otok}, "limit": {"이천만"}}, http.StatusUnprocessableEntity)
	if doc.Find("#limit-error").Text() == "" || doc.Find("#limit").AttrOr("value", "") != "이천만" {
		t.Error("bad limit: no error or not kept")
	}
	op.Post(t, instURL+"/limit", url.Values{"_csrf": {otok}, "limit": {"22,000,000"}}, http.StatusSeeOther)
	op.Post(t, instURL+"/approve", url.Values{"_csrf": {otok}}, http.StatusSeeOther)

	doc = c.Page(t, "/biz/products", http.StatusOK)
	rows := doc.Find(".biz-products tbody tr")
	if rows.Length() == 0 {
		t.Fatal("no products at public prices")
	}
	// Every row: 공급가액 + 부가세 = 합계, 면세 rows without 부가세.
	var exempt int
	rows.Each(func(_ int, r *goquery.Selection) {
		cells := r.Find("td")
		supply, vat, total := won(cells.Eq(1).Text()), cells.Eq(2).Text(), won(cells.Eq(3).Text())
		if strings.TrimSpace(vat) == "면세" {
			exempt++
			if supply != total {
				t.Errorf("면세 row: %d ≠ %d", supply, total)
			}
		} else if supply+won(vat) != total || supply != total*10/11 {
			t.Errorf("row %q: %d + %s ≠ %d", r.Find("th").Text(), supply, vat, total)
		}
	})
	doc = c.Page(t, "/biz/institution", http.StatusOK)
	if !strings.Contains(doc.Find("main").Text(), "22,000,000원") {
		t.Errorf("institution page without the limit: %s", doc.Find("main").Text())
	}
}

// won reads "12,000원".
func won(s string) int64 {
	n, err := strconv.ParseInt(strings.NewReplacer(",", "", "원", "", " ", "", "\n", "").Replace(strings.TrimSpace(s)), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestAccountPageLinksToBiz: an institution buyer's 내 계정 leads to the
// institution's purchasing pages under their own name (it once said
// 입점기업 화면, the enterprise portal's).
func TestAccountPageLinksToBiz(t *testing.T) {
	e := webtest.NewEnv(t)
	inst := e.Institution(t, "대구광역시 계정구청")
	b := e.Shopper()
	b.SignIn(t, inst.Buyer, webtest.Password)
	link := b.Page(t, "/account", http.StatusOK).Find(`.account-links a[href="/biz"]`)
	if got := strings.TrimSpace(link.Text()); got != "기관 구매 화면으로 가기" {
		t.Errorf("link to /biz reads %q", got)
	}
}
