package view

import (
	"strings"
	"testing"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs and lines", "첫 줄\n둘째 줄\n\n\n새 문단", "<p>첫 줄<br>\n둘째 줄</p>\n<p>새 문단</p>\n"},
		{"escaped", `<script>alert("x")</script> & 'y'`, "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;y&#39;</p>\n"},
		{"link", "신청: https://dure.example/apply?a=1&b=2.",
			`<p>신청: <a href="https://dure.example/apply?a=1&amp;b=2" rel="nofollow noopener noreferrer">https://dure.example/apply?a=1&amp;b=2</a>.</p>` + "\n"},
		{"link in parentheses", "(http://a.example/x)", `<p>(<a href="http://a.example/x" rel="nofollow noopener noreferrer">http://a.example/x</a>)</p>` + "\n"},
		{"no other scheme", "javascript:alert(1) data:text/html,x", "<p>javascript:alert(1) data:text/html,x</p>\n"},
		{"no host", "https:///x", "<p>https:///x</p>\n"},
		{"quote ends the address", `https://a.example/"onmouseover="x`,
			`<p><a href="https://a.example/" rel="nofollow noopener noreferrer">https://a.example/</a>&#34;onmouseover=&#34;x</p>` + "\n"},
		{"controls dropped", "a\x00b\r\nc", "<p>ab<br>\nc</p>\n"},
		{"empty", "\n\n  \n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(PlainText(tt.in)); got != tt.want {
				t.Errorf("PlainText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"https://a.example/<x>", "a\n\nb", "javascript:https://x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := string(PlainText(s))
		// Every tag written is one of ours; a link is always http(s).
		for _, part := range strings.Split(out, "<")[1:] {
			ok := false
			for _, p := range []string{"p>", "/p>", "br>", "/a>", `a href="http://`, `a href="https://`} {
				ok = ok || strings.HasPrefix(part, p)
			}
			if !ok {
				t.Fatalf("PlainText(%q) wrote <%s", s, part)
			}
		}
	})
}
