// Package feeds serves the product feeds other malls and price-comparison
// engines fetch: GET /feeds/naver.tsv (Naver Shopping EP),
// /feeds/naver-summary.tsv?since=… (its summary EP), /feeds/google.xml and
// /feeds/google.json (Google Merchant-style). They are public like the
// storefront unless a token is set (Deps.Token), cacheable (ETag from the
// snapshot's version, Last-Modified, 304 on a match) and gzipped by the app's
// compression.
package feeds

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/subtle"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/feed"
	"github.com/dure-coop/dure/internal/web"
)

// Deps is what the feeds need; internal/web/app builds it.
type Deps struct {
	// Feeds writes the feeds (nil: every feed route answers 503).
	Feeds *feed.Publisher
	// Token, when set, must be given as ?token=… (DURE_FEED_TOKEN): for
	// partner malls that should not share a feed with everyone.
	Token string
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
}

// maxAge is how long a reader may reuse a feed without asking again;
// engines fetch hourly to daily.
const maxAge = "max-age=300"

type server struct {
	Deps
	// bodies holds each full feed gzipped, for the snapshot version it was
	// written from: a feed of the whole catalogue is written once per
	// version, not once per request (at 1M products that is hundreds of MB
	// and seconds of CPU), and readers share it.
	mu     sync.Mutex
	bodies map[string]*feedBody
}

// feedBody is one full feed, gzipped, of the version etag names.
type feedBody struct {
	etag string
	gz   []byte
	err  error
	done chan struct{}
}

// Mount registers the feed routes on r.
func Mount(r fiber.Router, k *web.Kit, d Deps) {
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &server{Deps: d, bodies: map[string]*feedBody{}}
	k.PlainErrors("/feeds/")
	r.Get("/feeds/naver.tsv", s.serve("text/tab-separated-values; charset=utf-8", "naver",
		func(ctx context.Context, w io.Writer) error { return s.Feeds.Naver(ctx, w) }))
	r.Get("/feeds/google.xml", s.serve("application/xml; charset=utf-8", "google-xml",
		func(ctx context.Context, w io.Writer) error { return s.Feeds.GoogleXML(ctx, w) }))
	r.Get("/feeds/google.json", s.serve("application/json; charset=utf-8", "google-json",
		func(ctx context.Context, w io.Writer) error { return s.Feeds.GoogleJSON(ctx, w) }))
	r.Get("/feeds/naver-summary.tsv", s.summary)
}

type writeFunc func(ctx context.Context, w io.Writer) error

// serve answers a full feed: 304 when the reader's copy is current, else
// the feed written from the snapshot.
func (s *server) serve(contentType, name string, write writeFunc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		st, err := s.ready(c)
		if err != nil {
			return err
		}
		etag := `"` + name + "-" + st.Tag() + `"`
		if s.header(c, etag, st) {
			return c.SendStatus(fiber.StatusNotModified)
		}
		gz, err := s.body(c.UserContext(), name, etag, write)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, contentType)
		c.Vary(fiber.HeaderAcceptEncoding)
		if web.AcceptsGzip(c) {
			c.Set(fiber.HeaderContentEncoding, "gzip")
			c.Set(fiber.HeaderETag, "W/"+etag)
			return c.Send(gz)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			return err
		}
		return c.SendStream(zr)
	}
}

// body returns the gzipped feed name of version etag, writing it when the
// version is new; requests that come while it is written wait for it.
func (s *server) body(ctx context.Context, name, etag string, write writeFunc) ([]byte, error) {
	s.mu.Lock()
	b := s.bodies[name]
	// b.err is read only once done is closed: the writer sets it before.
	if b == nil || b.etag != etag || (isDone(b.done) && b.err != nil) {
		b = &feedBody{etag: etag, done: make(chan struct{})}
		s.bodies[name] = b
		go func() {
			defer close(b.done)
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
			// Not the request's context: a reader that goes away must not
			// spoil the body for the others waiting on it.
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
			defer cancel()
			if b.err = write(wctx, zw); b.err == nil {
				b.err = zw.Close()
			}
			b.gz = buf.Bytes()
		}()
	}
	s.mu.Unlock()
	select {
	case <-b.done:
		return b.gz, b.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func isDone(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// summary answers the summary EP of the changes after ?since (default: the
// last day).
func (s *server) summary(c *fiber.Ctx) error {
	st, err := s.ready(c)
	if err != nil {
		return err
	}
	since, err := feed.ParseSince(c.Query("since"), s.Now())
	if err != nil {
		return err
	}
	etag := `"naver-summary-` + st.Tag() + "-" + strconv.FormatInt(since.Unix(), 10) + `"`
	return s.send(c, "text/tab-separated-values; charset=utf-8", etag, st,
		func(ctx context.Context, w io.Writer) error { return s.Feeds.NaverSummary(ctx, w, since) })
}

// ready checks the service and the token and returns the snapshot's state.
func (s *server) ready(c *fiber.Ctx) (feed.State, error) {
	if s.Feeds == nil {
		return feed.State{}, fiber.ErrServiceUnavailable
	}
	if s.Token != "" && subtle.ConstantTimeCompare([]byte(c.Query("token")), []byte(s.Token)) != 1 {
		return feed.State{}, apperr.Errorf(apperr.Forbidden, "피드 토큰이 맞지 않습니다. 운영자에게 받은 주소를 그대로 쓰세요.")
	}
	return s.Feeds.State(c.UserContext())
}

// header sets the caching headers of a feed of version etag and reports
// whether the reader's copy is current (answer 304).
func (s *server) header(c *fiber.Ctx, etag string, st feed.State) bool {
	cache := "public, "
	if s.Token != "" {
		cache = "private, "
	}
	c.Set(fiber.HeaderCacheControl, cache+maxAge)
	c.Set(fiber.HeaderETag, etag)
	if !st.Modified.IsZero() {
		c.Set(fiber.HeaderLastModified, st.Modified.UTC().Format(http.TimeFormat))
	}
	return notModified(c, etag, st.Modified)
}

// send answers the summary feed, written for each request (it holds only
// the changes after since).
func (s *server) send(c *fiber.Ctx, contentType, etag string, st feed.State, write writeFunc) error {
	if s.header(c, etag, st) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	// A complete body, not a stream: the app gzips only complete bodies.
	var buf bytes.Buffer
	if err := write(c.UserContext(), &buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, contentType)
	return c.Send(buf.Bytes())
}

// notModified reports whether the reader's copy is current: If-None-Match
// names etag (weakly too: compression weakens it), or, without
// If-None-Match, If-Modified-Since is at or after the last change.
func notModified(c *fiber.Ctx, etag string, modified time.Time) bool {
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == etag {
				return true
			}
		}
		return false
	}
	if ims := c.Get(fiber.HeaderIfModifiedSince); ims != "" && !modified.IsZero() {
		if t, err := http.ParseTime(ims); err == nil {
			return !modified.Truncate(time.Second).After(t)
		}
	}
	return false
}
