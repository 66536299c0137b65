package shop_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/web/webtest"
)

// TestRatingsInSearch: posting, hiding and showing again a review reach the
// product's search document through the outbox (the request itself never
// calls Meilisearch); the API and the cards show the average and count of
// visible reviews, and 평점순 puts the reviewed product first.
func TestRatingsInSearch(t *testing.T) {
	e := webtest.NewEnv(t)
	product, name := e.Goods(t)
	pid := strconv.FormatInt(product, 10)
	buyer := e.Consumer(t)
	var reviews []*review.Review
	for i, rating := range []int{4, 5} {
		o, _ := e.DeliveredOrder(t, product, buyer)
		r, err := e.Reviews.Write(e.As(t, buyer), o.SubOrders[0].Lines[0].ID,
			review.ReviewInput{Rating: rating, Body: "잘 받았습니다. 구매평 " + strconv.Itoa(i+1) + "번째입니다."})
		if err != nil {
			t.Fatal(err)
		}
		reviews = append(reviews, r)
	}
	var queued int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM search_outbox
		WHERE entity = 'product' AND entity_id = $1`, product).Scan(&queued); err != nil || queued == 0 {
		t.Fatalf("writing reviews queued %d outbox rows for the product (err %v)", queued, err)
	}

	type hit struct {
		ID            int64   `json:"id"`
		RatingAverage float64 `json:"rating_average"`
		ReviewCount   int     `json:"review_count"`
	}
	rated := func(query string) hit {
		var out struct{ Data []hit }
		e.JSON(t, "/api/v1/search?"+query, http.StatusOK, &out)
		for _, h := range out.Data {
			if h.ID == product {
				return h
			}
		}
		t.Fatalf("%s: product %d not on the first page", query, product)
		return hit{}
	}
	byName := "q=" + url.QueryEscape(name) + "&per_page=60"
	// expect drains the outbox and polls the API until the product shows
	// count reviews averaging avg.
	expect := func(step string, avg float64, count int) {
		t.Helper()
		e.DrainSearch(t)
		deadline := time.Now().Add(30 * time.Second)
		for {
			h := rated(byName)
			if h.ReviewCount == count && h.RatingAverage == avg {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the API says ★%v (%d), want ★%v (%d)", step, h.RatingAverage, h.ReviewCount, avg, count)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	expect("two reviews", 4.5, 2)

	// The card: the stars and count for the eye, a sentence for a screen reader.
	doc := e.Page(t, "/search?"+byName, http.StatusOK)
	card := doc.Find(`article.card:has(a[href="/p/` + pid + `"])`)
	if got := strings.TrimSpace(card.Find(".card-rating [aria-hidden=true]").Text()); got != "★4.5 (2)" {
		t.Errorf("the card's rating reads %q, want ★4.5 (2)", got)
	}
	if got := card.Find(".card-rating .sr-only").Text(); got != "별점 5점 만점에 4.5점, 구매평 2개" {
		t.Errorf("the card's rating for a screen reader: %q", got)
	}
	// 평점순 on the whole catalogue: the only reviewed product comes first,
	// and the sort is offered on the page.
	var all struct{ Data []hit }
	e.JSON(t, "/api/v1/search?sort=rating", http.StatusOK, &all)
	if len(all.Data) == 0 || all.Data[0].ID != product {
		t.Errorf("평점순 starts with %v, want product %d", all.Data, product)
	}
	if doc.Find(`a[href*="sort=rating"], option[value="rating"]`).Length() == 0 {
		t.Errorf("the search page offers no 평점순")
	}

	operator := e.As(t, e.Operator(t))
	if err := e.Reviews.Hide(operator, reviews[0].ID, "광고성 내용이 담겨 있습니다."); err != nil {
		t.Fatal(err)
	}
	expect("the 4 hidden", 5, 1)
	if err := e.Reviews.Unhide(operator, reviews[0].ID); err != nil {
		t.Fatal(err)
	}
	expect("the 4 shown again", 4.5, 2)
	var audits int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action IN ('review.hide', 'review.unhide')`).
		Scan(&audits); err != nil || audits != 2 {
		t.Errorf("%d audit records of hide and unhide (err %v), want 2", audits, err)
	}
}
