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
	"context"
	"crypto/subtle"
	"io"
	"net/http"
	"strconv"
	"strings"
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

type server struct{ Deps }

// Mount registers the feed routes on r.
func Mount(r fiber.Router, k *web.Kit, d Deps) {
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &server{Deps: d}
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
		return s.send(c, contentType, `"`+name+"-"+st.Tag()+`"`, st, write)
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

func (s *server) send(c *fiber.Ctx, contentType, etag string, st feed.State, write writeFunc) error {
	cache := "public, "
	if s.Token != "" {
		cache = "private, "
	}
	c.Set(fiber.HeaderCacheControl, cache+maxAge)
	c.Set(fiber.HeaderETag, etag)
	if !st.Modified.IsZero() {
		c.Set(fiber.HeaderLastModified, st.Modified.UTC().Format(http.TimeFormat))
	}
	if notModified(c, etag, st.Modified) {
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
