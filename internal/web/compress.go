package web

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Response compression. Pages and API answers are gzipped as they are sent;
// static files are compressed once, at start-up, into gzip and brotli copies
// (templates.go) and served as they are (ops.go).
//
// Fiber's compress middleware is not used: it runs fasthttp's compressor,
// which matches "gzip" anywhere in Accept-Encoding (so "gzip;q=0" counts as
// yes), prefers brotli at level 6 on every answer (three to four times the
// CPU of gzip for about 10% fewer bytes on our pages, docs/bench.md), treats
// every application/* type as compressible (PDF, zip, octet-stream), wraps
// streamed bodies in a streaming compressor, compresses from 200 bytes, and
// sets no Vary.

// dynamicGzipLevel is the gzip level of pages and API answers, chosen by
// measurement on the 2-core machine (`make bench`, docs/bench.md): level 5
// (klauspost/compress, through fasthttp) takes a product page from 6.3 KB
// to 2.6 KB and a search page from 23 KB to 3.6 KB for some 50–90 µs; level 1
// saves 10–15% fewer bytes for little less CPU, levels 6–9 a few bytes more
// for up to three times the CPU.
const dynamicGzipLevel = 5

// minCompressSize is the smallest body worth compressing: below about one
// TCP segment the answer takes the same round trip either way.
const minCompressSize = 1024

// compress gzips the response body in place when the client accepts gzip
// and the answer is worth it: a complete (not streamed) body of at least
// minCompressSize bytes, of a text type, not already encoded, with a status
// that has a body. Every answer that could be compressed says
// Vary: Accept-Encoding, whichever the client gets, so a shared cache keeps
// the two apart. A strong ETag becomes weak, since the bytes differ.
func (s *core) compress(c *fiber.Ctx) {
	resp := c.Response()
	switch status := resp.StatusCode(); {
	case status < 200, status == fiber.StatusNoContent, status == fiber.StatusNotModified, status == fiber.StatusPartialContent:
		return
	}
	if resp.IsBodyStream() || len(resp.Header.ContentEncoding()) > 0 || len(resp.Body()) < minCompressSize ||
		!compressible(resp.Header.ContentType()) {
		return
	}
	c.Vary(fiber.HeaderAcceptEncoding)
	if !accepts(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		return
	}
	buf, _ := s.gzipBufs.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	*buf = fasthttp.AppendGzipBytesLevel((*buf)[:0], resp.Body(), dynamicGzipLevel)
	resp.SetBody(*buf) // copies
	if cap(*buf) <= 1<<20 {
		s.gzipBufs.Put(buf)
	}
	resp.Header.SetContentEncoding("gzip")
	if etag := resp.Header.Peek(fiber.HeaderETag); len(etag) > 0 && !bytes.HasPrefix(etag, []byte("W/")) {
		resp.Header.Set(fiber.HeaderETag, "W/"+string(etag))
	}
}

// compressible reports whether a Content-Type is text that gzip shrinks:
// text/* (HTML, CSS, CSV, plain), JSON, JavaScript, XML and SVG. Images,
// PDF, archives and octet streams are compressed already or opaque.
func compressible(ct []byte) bool {
	if i := bytes.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	t := strings.ToLower(strings.TrimSpace(string(ct)))
	switch {
	case strings.HasPrefix(t, "text/"):
		return true
	case t == "image/svg+xml", t == "application/javascript", t == "application/xml":
		return true
	case strings.HasPrefix(t, "application/") && (strings.HasSuffix(t, "json") || strings.HasSuffix(t, "+xml")):
		return true
	}
	return false
}

// AcceptsGzip reports whether the request accepts a gzip-encoded answer
// (for handlers that keep a body gzipped, such as the product feeds).
func AcceptsGzip(c *fiber.Ctx) bool { return accepts(c.Get(fiber.HeaderAcceptEncoding), "gzip") }

// accepts reports whether an Accept-Encoding header value accepts coding:
// named with a q-value above 0, or "*" above 0 with coding not named. Each
// element is a coding with optional parameters (RFC 9110 §12.5.3).
func accepts(header, coding string) bool {
	star := false
	for len(header) > 0 {
		var elem string
		elem, header, _ = strings.Cut(header, ",")
		name, params, _ := strings.Cut(elem, ";")
		name = strings.TrimSpace(name)
		q := 1.0
		for params != "" {
			var p string
			p, params, _ = strings.Cut(params, ";")
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch {
		case strings.EqualFold(name, coding):
			return q > 0
		case name == "*":
			star = q > 0
		}
	}
	return star
}
