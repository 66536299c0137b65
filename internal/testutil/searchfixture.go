package testutil

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// SearchFixture is a small, hand-made catalogue for search tests, with ids by
// short name. Its products and the queries they answer:
//
//	'사과' → Apple, AppleJuice (sold out), AppleJam; never AppleHidden (hidden)
//	         nor ApplePie (its enterprise is suspended)
//	'세제' → DishSoap, LaundrySoap;  '청소' → OfficeCleaning, Disinfection
type SearchFixture struct {
	Categories  map[string]int64 // food, fruit, processed, household, detergent, services, cleaning, education
	Enterprises map[string]int64 // apple_village, green_coop, clean_coop, hope_self, green_share, moon_craft (suspended)
	Products    map[string]int64
	// Indexable is the number of products that belong in the index.
	Indexable int
}

// SeedSearchFixture inserts the search fixture with plain SQL, plus one
// outbox row per product (as the catalogue's writers do).
func SeedSearchFixture(tb testing.TB, pool *pgxpool.Pool) *SearchFixture {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	f := &SearchFixture{Categories: map[string]int64{}, Enterprises: map[string]int64{}, Products: map[string]int64{}}
	must := func(err error, what string) {
		if err != nil {
			tb.Fatalf("testutil: search fixture: %s: %v", what, err)
		}
	}
	cats := []struct{ key, parent, name string }{
		{"food", "", "식품"}, {"fruit", "food", "과일·채소"}, {"processed", "food", "가공식품"},
		{"household", "", "생활용품"}, {"detergent", "household", "세제·세정"},
		{"services", "", "서비스"}, {"cleaning", "services", "청소·방역"}, {"education", "services", "교육·체험"},
	}
	for i, c := range cats {
		var parent *int64
		if c.parent != "" {
			p := f.Categories[c.parent]
			parent = &p
		}
		var id int64
		must(pool.QueryRow(ctx, `INSERT INTO categories (external_id, slug, parent_id, name, position)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, "cat-"+c.key, c.key, parent, c.name, i).Scan(&id), c.key)
		f.Categories[c.key] = id
	}
	ents := []struct{ key, name, typ, region, status string }{
		{"apple_village", "청송사과마을", "village_enterprise", "gyeongbuk", "active"},
		{"green_coop", "푸른살림협동조합", "cooperative", "daegu", "active"},
		{"clean_coop", "깨끗한세상 사회적협동조합", "social_cooperative", "seoul", "active"},
		{"hope_self", "희망자활센터", "self_sufficiency", "daegu", "active"},
		{"green_share", "초록나눔", "social_enterprise", "busan", "active"},
		{"moon_craft", "달빛공방", "pre_social_enterprise", "jeju", "suspended"},
	}
	for i, e := range ents {
		var id int64
		must(pool.QueryRow(ctx, `INSERT INTO enterprises (external_id, name, type, business_number, region, representative, status)
			VALUES ($1, $2, $3, $4, $5, '대표자', $6) RETURNING id`,
			"ent-"+e.key, e.name, e.typ, fmt.Sprintf("10000000%02d", i), e.region, e.status).Scan(&id), e.key)
		f.Enterprises[e.key] = id
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	prods := []struct {
		key, ent, cat, kind, name, summary, tax, status string
		price, stock, popularity                        int
	}{
		{"Apple", "apple_village", "fruit", "goods", "청송 꿀사과 5kg", "일교차 큰 산지에서 자란 달콤한 과일", "exempt", "active", 39000, 20, 90},
		{"AppleJuice", "apple_village", "processed", "goods", "사과즙 30포", "껍질째 착즙한 주스", "taxable", "active", 25000, 0, 80},
		{"AppleJam", "hope_self", "processed", "goods", "유기농 사과잼", "설탕을 줄인 수제 잼", "taxable", "active", 8900, 15, 40},
		{"DishSoap", "green_coop", "detergent", "goods", "친환경 주방세제 500ml", "식물성 원료의 순한 세정력", "taxable", "active", 6500, 100, 70},
		{"LaundrySoap", "green_share", "detergent", "goods", "천연 세탁세제 2L", "아기 옷도 안심", "taxable", "active", 15000, 30, 60},
		{"OfficeCleaning", "clean_coop", "cleaning", "service", "사무실 정기 청소 서비스", "주 1회 방문 관리", "taxable", "active", 150000, 999, 50},
		{"Disinfection", "clean_coop", "cleaning", "service", "방역 소독 서비스", "학교·관공서 청소와 방역", "taxable", "active", 200000, 999, 30},
		{"Vegetables", "hope_self", "fruit", "goods", "제철 채소 꾸러미", "농가에서 바로 보내는 채소", "exempt", "active", 22000, 10, 20},
		{"Woodwork", "green_share", "education", "service", "목공 체험 교실", "가족이 함께 만드는 도마", "exempt", "active", 30000, 50, 10},
		{"Toothbrush", "green_coop", "household", "goods", "대나무 칫솔", "썩는 칫솔대", "taxable", "active", 3000, 200, 5},
		{"ApplePie", "moon_craft", "processed", "goods", "수제 사과 파이", "버터 향 가득", "taxable", "active", 12000, 5, 99},
		{"AppleHidden", "apple_village", "fruit", "goods", "못난이 사과 10kg", "숨긴 상품", "exempt", "hidden", 20000, 5, 99},
	}
	for i, p := range prods {
		cat := p.cat
		var id int64
		must(pool.QueryRow(ctx, `INSERT INTO products (external_id, enterprise_id, category_id, kind, name, summary,
				description, tax_type, consumer_price, public_price, stock, status, popularity, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
			"prod-"+p.key, f.Enterprises[p.ent], f.Categories[cat], p.kind, p.name, p.summary,
			p.summary+". 사회적경제기업이 만든 "+p.name+"입니다.", p.tax, p.price, p.price*9/10, p.stock, p.status,
			p.popularity, base.Add(time.Duration(i)*time.Hour)).Scan(&id), p.key)
		f.Products[p.key] = id
		if p.status == "active" && p.ent != "moon_craft" {
			f.Indexable++
		}
		_, err := pool.Exec(ctx, `INSERT INTO product_images (product_id, position, url, alt) VALUES ($1, 0, $2, $3)`,
			id, fmt.Sprintf("/static/img/p%d.svg", id), p.name)
		must(err, "image "+p.key)
		_, err = pool.Exec(ctx, `INSERT INTO search_outbox (entity, entity_id) VALUES ('product', $1)`, id)
		must(err, "outbox "+p.key)
	}
	return f
}
