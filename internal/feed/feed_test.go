package feed_test

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/feed"
	"github.com/dure-coop/dure/internal/kr"
)

var links = feed.Links{
	Base:           "https://dure.example/",
	Product:        func(id int64) string { return "/p/" + itoa(id) },
	GeneratedImage: func(id int64) string { return "/media/products/" + itoa(id) + ".svg" },
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestShippingFeeAndListed(t *testing.T) {
	t.Parallel()
	e := &catalog.Enterprise{Status: catalog.EnterpriseActive, Shipping: catalog.ShippingPolicy{Fee: 3000, FreeThreshold: 30000}}
	tests := []struct {
		name  string
		kind  catalog.Kind
		price int64
		want  int64
	}{
		{"under the threshold", catalog.Goods, 12000, 3000},
		{"at the threshold", catalog.Goods, 30000, 0},
		{"service", catalog.Service, 12000, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &catalog.Product{Kind: tc.kind, ConsumerPrice: tc.price}
			if got := feed.ShippingFee(p, e, tc.price); got != tc.want {
				t.Errorf("ShippingFee = %d, want %d", got, tc.want)
			}
		})
	}
	p := &catalog.Product{Status: catalog.StatusActive, Stock: 1}
	if !feed.Listed(p, e) {
		t.Error("active, in stock, active enterprise: not listed")
	}
	for name, mod := range map[string]func(p *catalog.Product, e *catalog.Enterprise){
		"sold out":  func(p *catalog.Product, _ *catalog.Enterprise) { p.Stock = 0 },
		"hidden":    func(p *catalog.Product, _ *catalog.Enterprise) { p.Status = catalog.StatusHidden },
		"suspended": func(_ *catalog.Product, e *catalog.Enterprise) { e.Status = catalog.EnterpriseSuspended },
	} {
		pp, ee := *p, *e
		mod(&pp, &ee)
		if feed.Listed(&pp, &ee) {
			t.Errorf("%s: listed", name)
		}
	}
}

func TestNaverEscapesTabsAndLineBreaks(t *testing.T) {
	t.Parallel()
	p := &catalog.Product{ID: 7, Name: "유기농\t사과\r\n5kg", Summary: "달고\n아삭한", Kind: catalog.Goods,
		ConsumerPrice: 12000, Images: []catalog.Image{{URL: "/media/u/a.jpg"}, {URL: "https://cdn.example/b.jpg"}}}
	e := &catalog.Enterprise{Name: "햇살\t농원", Type: catalog.EnterpriseType("cooperative"), Region: catalog.Region("daegu"),
		Shipping: catalog.ShippingPolicy{Fee: 3000}}
	it := feed.NewItem(p, e, []*catalog.Category{{Name: "식품"}, {Name: "과일\n채소"}})
	var buf bytes.Buffer
	nw, err := feed.NewNaverWriter(&buf, links, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := nw.Item(it); err != nil {
		t.Fatal(err)
	}
	if err := nw.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want header + 1:\n%s", len(lines), buf.String())
	}
	if lines[0] != strings.Join(feed.NaverColumns, "\t") {
		t.Errorf("header %q", lines[0])
	}
	row := strings.Split(lines[1], "\t")
	if len(row) != len(feed.NaverColumns) {
		t.Fatalf("%d fields, want %d: %q", len(row), len(feed.NaverColumns), lines[1])
	}
	col := func(name string) string {
		for i, c := range feed.NaverColumns {
			if c == name {
				return row[i]
			}
		}
		t.Fatalf("no column %s", name)
		return ""
	}
	want := map[string]string{
		"id": "7", "title": "유기농 사과 5kg", "price_pc": "12000", "price_mobile": "12000", "normal_price": "12000",
		"link": "https://dure.example/p/7", "mobile_link": "https://dure.example/p/7",
		"image_link": "https://dure.example/media/u/a.jpg", "add_image_link": "https://cdn.example/b.jpg",
		"category_name1": "식품", "category_name2": "과일 채소", "brand": "햇살 농원", "shipping": "3000", "condition": "신상품",
	}
	for k, v := range want {
		if got := col(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestNaverSummaryDeletedLine(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	nw, _ := feed.NewNaverWriter(&buf, links, true)
	at := time.Date(2026, 3, 1, 0, 30, 0, 0, time.UTC)
	if err := nw.Change(feed.Change{Class: feed.Deleted, Item: feed.Item{ID: 9, Title: "x"}, At: at}); err != nil {
		t.Fatal(err)
	}
	nw.Flush()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	row := strings.Split(lines[1], "\t")
	if len(row) != len(feed.NaverSummaryColumns) || row[0] != "9" || row[1] != "" ||
		row[len(row)-2] != "D" || row[len(row)-1] != "2026-03-01 09:30:00" {
		t.Errorf("deleted line %q", lines[1])
	}
}

func TestGoogleXMLNamespace(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	gw, err := feed.NewGoogleXMLWriter(&buf, links, feed.Channel{Title: "두레 <몰> & co"})
	if err != nil {
		t.Fatal(err)
	}
	gw.Item(feed.Item{ID: 3, Title: "A & B <c>", Price: 12000, Shipping: 0, Brand: "b", Categories: []string{"식품", "과자"}})
	if err := gw.Close(); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Channel struct {
			Title string `xml:"title"`
			Items []struct {
				ID    string `xml:"http://base.google.com/ns/1.0 id"`
				Title string `xml:"http://base.google.com/ns/1.0 title"`
				Price string `xml:"http://base.google.com/ns/1.0 price"`
				Type  string `xml:"http://base.google.com/ns/1.0 product_type"`
				Ship  []struct {
					Price string `xml:"http://base.google.com/ns/1.0 price"`
				} `xml:"http://base.google.com/ns/1.0 shipping"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if doc.Channel.Title != "두레 <몰> & co" || len(doc.Channel.Items) != 1 {
		t.Fatalf("parsed %+v\n%s", doc, buf.String())
	}
	it := doc.Channel.Items[0]
	if it.ID != "3" || it.Title != "A & B <c>" || it.Price != "12000 KRW" || it.Type != "식품 > 과자" ||
		len(it.Ship) != 1 || it.Ship[0].Price != "0 KRW" {
		t.Errorf("item %+v", it)
	}
}

func TestParseSince(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	kst := time.Date(2026, 3, 1, 9, 0, 0, 0, kr.Seoul())
	tests := []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{"", now.Add(-24 * time.Hour), false},
		{"2026-03-01 09:00:00", kst, false},
		{"2026-03-01T09:00:00", kst, false},
		{"20260301090000", kst, false},
		{"2026-03-01T00:00:00Z", kst, false},
		{"1772323200", kst, false},
		{"어제", time.Time{}, true},
		{"2026-03-02 00:00:00", time.Time{}, true}, // future
	}
	for _, tc := range tests {
		got, err := feed.ParseSince(tc.in, now)
		if tc.bad {
			if apperr.Code(err) != apperr.Invalid {
				t.Errorf("ParseSince(%q) err = %v, want Invalid", tc.in, err)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseSince(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}
