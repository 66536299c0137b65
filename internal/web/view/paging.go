package view

import (
	"net/url"
	"strconv"
)

// Pager is a bounded list of page links: first, last and two either side
// of the current page, with gaps between.
type Pager struct {
	Page, Pages int
	Prev, Next  string
	Items       []PagerItem
}

// PagerItem is one entry of a Pager: a page link or a gap.
type PagerItem struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// BuildPager makes the pager of page out of pages; link gives the URL of a
// page number.
func BuildPager(page, pages int, link func(int) string) Pager {
	p := Pager{Page: page, Pages: pages}
	if pages <= 1 {
		return p
	}
	if page > 1 {
		p.Prev = link(min(page-1, pages))
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < page-2 || n > page+2) {
			continue
		}
		if last != 0 && n > last+1 {
			p.Items = append(p.Items, PagerItem{Gap: true})
		}
		p.Items = append(p.Items, PagerItem{N: n, URL: link(n), Current: n == page})
		last = n
	}
	return p
}

// TotalPages is the number of pages for total items, at least 1 and at most limit.
func TotalPages(total, per, limit int) int {
	if per <= 0 {
		return 1
	}
	n := (total + per - 1) / per
	if n < 1 {
		n = 1
	}
	if limit > 0 && n > limit {
		n = limit
	}
	return n
}

// PageURL is path with the filters of qv (each one's first value, the
// empty ones, page and done left out) and page n (none for the first).
func PageURL(path string, qv url.Values, n int) string {
	q := url.Values{}
	for k, vs := range qv {
		if k != "page" && k != "done" && len(vs) > 0 && vs[0] != "" {
			q.Set(k, vs[0])
		}
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
