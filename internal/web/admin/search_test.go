package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestSearchAnalyticsAndSynonyms: what shoppers search is counted (once per
// search, zero results and results opened apart, nothing personal), the
// operator sees it per week and exports it, and adds a synonym from a
// zero-result query that then finds products in the live index.
func TestSearchAnalyticsAndSynonyms(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	e := c.e
	ctx := context.Background()

	shopper := e.Shopper()
	shopper.Page(t, "/search?q="+url.QueryEscape("사과"), http.StatusOK)
	shopper.Page(t, "/search?q="+url.QueryEscape("사과")+"&page=2", http.StatusOK) // the same search, paged: not counted again
	shopper.Page(t, "/search?q="+url.QueryEscape("쀍뷁"), http.StatusOK)
	shopper.Page(t, "/search?q="+url.QueryEscape("쀍뷁"), http.StatusOK)
	shopper.Page(t, "/search?q="+url.QueryEscape("010-1234-5678"), http.StatusOK) // looks like a phone: never kept
	id, _ := e.Goods(t)
	// A product opened from the search page is a click on that query; from
	// elsewhere, or another site's search page, it is not.
	e.Get(t, "/p/"+strconv.FormatInt(id, 10), "Referer", "http://example.com/search?q="+url.QueryEscape("사과"))
	e.Get(t, "/p/"+strconv.FormatInt(id, 10), "Referer", "http://example.com/")
	e.Get(t, "/p/"+strconv.FormatInt(id, 10), "Referer", "http://evil.test/search?q="+url.QueryEscape("사과"))
	if err := e.SearchStats.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	doc := c.op.Page(t, "/admin/search", http.StatusOK)
	rows := map[string][]string{}
	doc.Find("section[aria-labelledby=stats-title] tbody tr").Each(func(_ int, s *goquery.Selection) {
		var cells []string
		s.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
		rows[strings.TrimSpace(s.Find("th").Text())] = cells
	})
	if got := rows["사과"]; len(got) < 3 || got[0] != "1" || got[1] != "0" || got[2] != "1" {
		t.Errorf("사과 row = %q, want 1 search, 0 zero, 1 opened", got)
	}
	if got := rows["쀍뷁"]; len(got) < 3 || got[0] != "2" || got[1] != "2" {
		t.Errorf("쀍뷁 row = %q, want 2 searches, both without results", got)
	}
	for q := range rows {
		if strings.Contains(q, "010") {
			t.Errorf("a phone-like query was kept: %q", q)
		}
	}
	zero := c.op.Page(t, "/admin/search?view=zero", http.StatusOK)
	if got := zero.Find("section[aria-labelledby=stats-title] tbody th").Text(); !strings.Contains(got, "쀍뷁") || strings.Contains(got, "사과") {
		t.Errorf("zero-result list = %q, want 쀍뷁 only", got)
	}
	resp, body := c.op.Do(t, http.MethodGet, "/admin/search/queries.csv?view=zero", "", nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(body, "\ufeff주 시작일,검색어") || !strings.Contains(body, ",쀍뷁,2,2,0") {
		t.Errorf("CSV: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if _, body := c.op.Do(t, http.MethodGet, "/admin/search?view=nonsense", "", nil); !strings.Contains(body, "보기를 목록에서 골라 주세요") {
		t.Errorf("a bad view: no Korean message\n%s", webtest.Truncate(body, 500))
	}

	// A group of one word is refused next to the field, as typed.
	_, bad := submit(t, c.op, "/admin/search", "/admin/search/synonyms", url.Values{"group": {"쀍뷁"}}, http.StatusUnprocessableEntity)
	if v, _ := bad.Find("#group").Attr("value"); v != "쀍뷁" || !strings.Contains(bad.Find("#group-error").Text(), "두 개 이상") {
		t.Errorf("refused group: value %q, error %q", v, bad.Find("#group-error").Text())
	}
	// 쀍뷁 becomes a synonym of 사과: the search that found nothing finds apples.
	loc, _ := submit(t, c.op, "/admin/search", "/admin/search/synonyms", url.Values{"group": {"쀍뷁, 사과"}}, http.StatusSeeOther)
	if !strings.Contains(loc, "done=synonyms_added") {
		t.Fatalf("add synonyms redirected to %q", loc)
	}
	// The push returns once Meilisearch has accepted the task; it runs after
	// whatever other indexes queued before it, so the shop sees it shortly.
	found := e.Page(t, "/search?q="+url.QueryEscape("쀍뷁"), http.StatusOK)
	for end := time.Now().Add(60 * time.Second); found.Find("article.card").Length() == 0 && time.Now().Before(end); {
		time.Sleep(250 * time.Millisecond)
		found = e.Page(t, "/search?q="+url.QueryEscape("쀍뷁"), http.StatusOK)
	}
	if n := found.Find("article.card").Length(); n == 0 {
		t.Errorf("쀍뷁 finds nothing after it became a synonym of 사과:\n%s", webtest.Truncate(found.Find("main").Text(), 600))
	}
	list := c.op.Page(t, "/admin/search?q="+url.QueryEscape("쀍뷁"), http.StatusOK)
	if got := list.Find("section[aria-labelledby=synonyms] tbody").Text(); !strings.Contains(got, "사과") {
		t.Errorf("the dictionary filtered by 쀍뷁 = %q", got)
	}
	loc, _ = submit(t, c.op, "/admin/search", "/admin/search/synonyms/remove", url.Values{"word": {"쀍뷁"}}, http.StatusSeeOther)
	if !strings.Contains(loc, "done=synonym_removed") {
		t.Fatalf("remove redirected to %q", loc)
	}
	after := c.op.Page(t, "/admin/search?q="+url.QueryEscape("쀍뷁"), http.StatusOK)
	if after.Find("section[aria-labelledby=synonyms] tbody tr").Length() != 0 {
		t.Errorf("쀍뷁 still in the dictionary after removing it")
	}
	// Every change is in the audit log.
	audit := c.op.Page(t, "/admin/audit?entity=synonym", http.StatusOK)
	if got := audit.Find(".audit-list").Text(); !strings.Contains(got, "동의어 추가") || !strings.Contains(got, "동의어 삭제") {
		t.Errorf("the audit log lacks the synonym changes:\n%s", webtest.Truncate(got, 800))
	}
}
