package view

import (
	"net/url"
	"testing"
)

func TestPageURL(t *testing.T) {
	for _, c := range []struct {
		qv   url.Values
		n    int
		want string
	}{
		{nil, 1, "/x"},
		{url.Values{"q": {""}}, 1, "/x"},
		{url.Values{"q": {"사과"}}, 1, "/x?q=%EC%82%AC%EA%B3%BC"},
		{url.Values{"status": {"quoted"}, "page": {"3"}, "done": {"saved"}}, 2, "/x?page=2&status=quoted"},
		{url.Values{"status": {"a", "b"}}, 1, "/x?status=a"},
	} {
		if got := PageURL("/x", c.qv, c.n); got != c.want {
			t.Errorf("PageURL(/x, %v, %d) = %q, want %q", c.qv, c.n, got, c.want)
		}
	}
}

func TestRefusalAndStars(t *testing.T) {
	if d, m := (Refusal{}).Of(1); d != "" || m != "" {
		t.Errorf("no refusal: %q %q", d, m)
	}
	if Stars(3) != "★★★☆☆" || Stars(0) != "☆☆☆☆☆" || Stars(9) != "★★★★★" {
		t.Errorf("Stars: %q %q %q", Stars(3), Stars(0), Stars(9))
	}
}
