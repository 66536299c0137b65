package helpdesk_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/helpdesk"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/redis"
	"github.com/dure-coop/dure/internal/testutil"
)

type env struct {
	t     *testing.T
	pool  *pgxpool.Pool
	svc   *helpdesk.Service
	acc   *account.Service
	mail  *mail.Outbox
	blobs *blob.Dir
	dir   string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := testutil.NewDB(t)
	rdb, prefix := testutil.NewRedis(t)
	e := &env{t: t, pool: pool, mail: &mail.Outbox{}, dir: t.TempDir()}
	acc, err := account.NewService(postgres.NewAccountStore(pool), redis.NewSessionStore(rdb, prefix), e.mail,
		redis.NewRateLimiter(rdb, prefix), account.Config{BaseURL: "https://dure.test", Password: account.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if e.blobs, err = blob.NewDir(e.dir); err != nil {
		t.Fatal(err)
	}
	e.acc = acc
	e.svc = &helpdesk.Service{Store: postgres.NewHelpdeskStore(pool), Blobs: e.blobs, Audit: acc, Mailer: e.mail, BaseURL: "https://dure.test"}
	return e
}

func (e *env) exec(sql string, args ...any) int64 {
	e.t.Helper()
	var id int64
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return id
}

// enterprise inserts an active enterprise with one owner and one product.
func (e *env) enterprise(n int) (ent, product int64, owner *account.Actor) {
	ent = e.exec(`INSERT INTO enterprises (external_id, name, type, business_number, region, representative, status)
		VALUES ($1, $2, 'cooperative', $3, 'daegu', '김대표', 'active') RETURNING id`,
		fmt.Sprintf("hd-%d", n), fmt.Sprintf("두레기업 %d", n), fmt.Sprintf("%010d", 1234500000+n))
	cat := e.exec(`INSERT INTO categories (external_id, slug, name) VALUES ($1, $1, '식품') ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id`, "hd-food")
	product = e.exec(`INSERT INTO products (external_id, enterprise_id, category_id, kind, name, consumer_price, public_price, tax_type, stock)
		VALUES ($1, $2, $3, 'goods', $4, 10000, 9000, 'taxable', 5) RETURNING id`,
		fmt.Sprintf("hd-p-%d", n), ent, cat, fmt.Sprintf("사과 %d", n))
	uid := e.user(fmt.Sprintf("member%d@dure.test", n), "enterprise")
	e.exec(`INSERT INTO enterprise_members (user_id, enterprise_id, role) VALUES ($1, $2, 'owner') RETURNING user_id`, uid, ent)
	return ent, product, &account.Actor{UserID: uid, Name: "김구성", Role: account.EnterpriseStaff, EnterpriseID: ent,
		EnterpriseStatus: account.EnterpriseActive, MemberRole: account.Owner}
}

func (e *env) user(email, role string) int64 {
	return e.exec(`INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, '$argon2id$test', $3) RETURNING id`,
		email, strings.Split(email, "@")[0], role)
}

func (e *env) operator(n int) *account.Actor {
	id := e.user(fmt.Sprintf("op%d@dure.test", n), "operator")
	return &account.Actor{UserID: id, Name: "운영자", Role: account.Operator}
}

func as(a *account.Actor) context.Context { return account.NewContext(context.Background(), a) }

func pngBytes(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, x%30, color.NRGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fieldErr(t *testing.T, err error, field string) string {
	t.Helper()
	var ae *apperr.Error
	if !errorsAs(err, &ae) || ae.Code != apperr.Invalid || ae.Fields[field] == "" {
		t.Fatalf("want Invalid on %s, got %v", field, err)
	}
	return ae.Fields[field]
}

func (e *env) count(table string) int {
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestRequestFlow(t *testing.T) {
	e := newEnv(t)
	ent, product, member := e.enterprise(1)
	_, otherProduct, other := e.enterprise(2)
	op := e.operator(1)

	req, err := e.svc.Open(as(member), helpdesk.OpenInput{Category: helpdesk.Photo, Title: "사진을 찍어 주세요",
		Body: "사과 사진이 어둡습니다.\r\n도와주세요.", ProductID: product,
		Attachments: []helpdesk.Upload{{Name: "사과.png", Data: pngBytes(t)}, {Name: "견적.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}}})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if req.Status != helpdesk.Received || req.EnterpriseID != ent {
		t.Fatalf("opened %+v", req)
	}
	if m, ok := e.mail.Last("op1@dure.test"); !ok || !strings.Contains(m.Body, fmt.Sprintf("/admin/help/%d", req.ID)) {
		t.Errorf("operator not mailed: %+v", m)
	}

	// Another enterprise: its product is refused, and this request is not found.
	if _, err := e.svc.Open(as(member), helpdesk.OpenInput{Category: helpdesk.Price, Title: "가격", Body: "x", ProductID: otherProduct}); err == nil {
		t.Fatal("another enterprise's product accepted")
	} else {
		fieldErr(t, err, "product_id")
	}
	if _, err := e.svc.FindRequest(as(other), req.ID, true); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("other enterprise reads request: %v", err)
	}
	if _, err := e.svc.Reply(as(other), req.ID, helpdesk.ReplyInput{Body: "끼어들기"}, true); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("other enterprise replies: %v", err)
	}
	if list, total, err := e.svc.FindRequests(as(other), helpdesk.Filter{}, true); err != nil || total != 0 || len(list) != 0 {
		t.Fatalf("other enterprise's list: %d %v", total, err)
	}
	// The console is the operators'.
	if _, err := e.svc.FindRequest(as(member), req.ID, false); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("member in the console: %v", err)
	}

	// The operator notes, assigns, replies.
	if _, err := e.svc.Reply(as(op), req.ID, helpdesk.ReplyInput{Body: "내부 메모: 촬영팀 일정 확인", Note: true}, false); err != nil {
		t.Fatalf("note: %v", err)
	}
	if err := e.svc.Update(as(op), req.ID, helpdesk.InProgress, op.UserID); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if err := e.svc.Update(as(op), req.ID, helpdesk.Received, op.UserID); apperr.Code(err) != apperr.Invalid {
		t.Fatalf("back to 접수: %v", err)
	}
	if err := e.svc.Update(as(op), req.ID, helpdesk.InProgress, member.UserID); err == nil {
		t.Fatal("a member as assignee")
	} else {
		fieldErr(t, err, "assignee_id")
	}
	if _, err := e.svc.Reply(as(op), req.ID, helpdesk.ReplyInput{Body: "다음 주 화요일에 촬영합니다.", Status: helpdesk.Done}, false); err != nil {
		t.Fatalf("reply: %v", err)
	}
	if m, ok := e.mail.Last("member1@dure.test"); !ok || !strings.Contains(m.Body, "화요일") || strings.Contains(m.Body, "내부 메모") {
		t.Errorf("member mail: %+v", m)
	}
	if _, ok := e.mail.Last("member2@dure.test"); ok {
		t.Error("the other enterprise was mailed")
	}

	// The member sees the reply, not the note; the operator both.
	mine, err := e.svc.FindRequest(as(member), req.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if mine.Status != helpdesk.Done || mine.ClosedAt == nil || mine.AssigneeID != op.UserID || len(mine.Messages) != 2 {
		t.Fatalf("member's view: %+v (%d messages)", mine, len(mine.Messages))
	}
	for _, m := range mine.Messages {
		if m.Kind == helpdesk.Note || strings.Contains(m.Body, "내부 메모") {
			t.Fatal("the member sees the note")
		}
	}
	if mine.Messages[0].Body != "사과 사진이 어둡습니다.\n도와주세요." || len(mine.Messages[0].Attachments) != 2 ||
		mine.Messages[0].Attachments[1].ContentType != "application/pdf" || !strings.HasPrefix(mine.Subject, "상품: 사과 1") {
		t.Fatalf("first message: %+v", mine.Messages[0])
	}
	full, err := e.svc.FindRequest(as(op), req.ID, false)
	if err != nil || len(full.Messages) != 3 || full.Messages[1].Kind != helpdesk.Note {
		t.Fatalf("operator's view: %v %+v", err, full)
	}
	// An attachment opens for the member; the other enterprise gets not found.
	at := mine.Messages[0].Attachments[0]
	_, rc, err := e.svc.OpenAttachment(as(member), req.ID, at.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if _, _, err := e.svc.OpenAttachment(as(other), req.ID, at.ID, true); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("other enterprise opens attachment: %v", err)
	}

	// A member's reply reopens the done request; a member cannot note.
	if _, err := e.svc.Reply(as(member), req.ID, helpdesk.ReplyInput{Body: "메모", Note: true}, true); apperr.Code(err) != apperr.Forbidden {
		t.Fatalf("member note: %v", err)
	}
	if _, err := e.svc.Reply(as(member), req.ID, helpdesk.ReplyInput{Body: "하나 더 있어요"}, true); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.svc.FindRequest(as(member), req.ID, true); r.Status != helpdesk.Received || r.ClosedAt != nil {
		t.Fatalf("not reopened: %+v", r)
	}

	// The audit log holds the operator's actions, tied to the request.
	recs, _, err := e.acc.FindAuditLog(as(op), account.AuditFilter{HelpRequestID: req.ID})
	if err != nil || len(recs) != 3 {
		t.Fatalf("audit: %v %d", err, len(recs))
	}

	// Monthly counts: this month has one 사진 request.
	months, err := e.svc.MonthlyCounts(as(op), 12)
	if err != nil || len(months) != 12 || months[11].Counts[helpdesk.Photo] != 1 || months[11].Total != 1 || months[0].Total != 0 {
		t.Fatalf("months: %v %+v", err, months)
	}
	if _, err := e.svc.MonthlyCounts(as(member), 12); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("member reads the counts: %v", err)
	}
}

func TestAttachmentsRefused(t *testing.T) {
	e := newEnv(t)
	_, _, member := e.enterprise(1)
	e.operator(1)
	big := append([]byte("%PDF-1.4\n"), make([]byte, helpdesk.MaxAttachmentSize)...)
	cases := []struct {
		name string
		ups  []helpdesk.Upload
		want string
	}{
		{"exe", []helpdesk.Upload{{Name: "setup.exe", Data: []byte("MZ\x90\x00binary")}}, "사진(JPG, PNG, GIF, WebP)이나 PDF만"},
		{"html", []helpdesk.Upload{{Name: "a.png", Data: []byte("<html><script>x</script>")}}, "붙일 수 없는 형식"},
		{"too big", []helpdesk.Upload{{Name: "big.pdf", Data: big}}, "10MB 이하"},
		{"empty", []helpdesk.Upload{{Name: "e.pdf"}}, "비어 있습니다"},
		{"too many", []helpdesk.Upload{{Name: "1.pdf", Data: []byte("%PDF-")}, {Name: "2.pdf", Data: []byte("%PDF-")},
			{Name: "3.pdf", Data: []byte("%PDF-")}, {Name: "4.pdf", Data: []byte("%PDF-")}}, "3개까지"},
		{"broken image", []helpdesk.Upload{{Name: "x.png", Data: append([]byte("\x89PNG\r\n\x1a\n"), 1, 2, 3)}}, "x.png"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.Open(as(member), helpdesk.OpenInput{Category: helpdesk.Other, Title: "파일", Body: "첨부", Attachments: c.ups})
			if msg := fieldErr(t, err, "files"); !strings.Contains(msg, c.want) {
				t.Errorf("message %q lacks %q", msg, c.want)
			}
			if n := e.count("help_requests") + e.count("help_messages") + e.count("help_attachments"); n != 0 {
				t.Errorf("%d rows written", n)
			}
			if files := dirFiles(t, e.dir); files != 0 {
				t.Errorf("%d files stored", files)
			}
		})
	}
	// Bad fields are refused together, nothing written.
	_, err := e.svc.Open(as(member), helpdesk.OpenInput{Category: "nope", Title: " ", Body: ""})
	for _, f := range []string{"category", "title", "body"} {
		fieldErr(t, err, f)
	}
	if len(e.mail.Sent()) != 0 {
		t.Error("mail sent for a refused request")
	}
}

func TestStatusFlow(t *testing.T) {
	cases := []struct {
		from, to helpdesk.Status
		ok       bool
	}{
		{helpdesk.Received, helpdesk.InProgress, true},
		{helpdesk.Received, helpdesk.Done, true},
		{helpdesk.InProgress, helpdesk.Done, true},
		{helpdesk.Done, helpdesk.InProgress, true},
		{helpdesk.InProgress, helpdesk.Received, false},
		{helpdesk.Done, helpdesk.Received, false},
		{helpdesk.Done, helpdesk.Done, false},
		{helpdesk.Received, "closed", false},
	}
	for _, c := range cases {
		if got := c.from.CanMoveTo(c.to); got != c.ok {
			t.Errorf("%s → %s = %v", c.from, c.to, got)
		}
	}
}

func TestActingForRequestTiesAudit(t *testing.T) {
	e := newEnv(t)
	ent, _, member := e.enterprise(1)
	req, err := e.svc.Open(as(member), helpdesk.OpenInput{Category: helpdesk.Listing, Title: "등록해 주세요", Body: "부탁합니다"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.acc.CreateOperator(context.Background(), "boss@dure.test", "운영자", "운영자-비밀번호-123!"); err != nil {
		t.Fatal(err)
	}
	op, sid, err := e.acc.SignIn(context.Background(), "boss@dure.test", "운영자-비밀번호-123!", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	_ = sid
	acting, err := e.acc.StartActingForRequest(as(op), ent, req.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.acc.ActorForSession(context.Background(), acting)
	if err != nil || !a.OnBehalf || a.HelpRequestID != req.ID {
		t.Fatalf("acting actor %+v %v", a, err)
	}
	if err := e.acc.Record(as(a), account.AuditEntry{Action: "product.update", Entity: "product", EntityID: "1"}); err != nil {
		t.Fatal(err)
	}
	// A rotation keeps the request.
	rotated, err := e.acc.RotateSession(as(a))
	if err != nil {
		t.Fatal(err)
	}
	if b, err := e.acc.ActorForSession(context.Background(), rotated); err != nil || b.HelpRequestID != req.ID {
		t.Fatalf("rotated %+v %v", b, err)
	}
	b, _ := e.acc.ActorForSession(context.Background(), rotated)
	back, err := e.acc.StopActing(as(b))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := e.acc.ActorForSession(context.Background(), back)
	if err := e.acc.Record(as(c), account.AuditEntry{Action: "product.update", Entity: "product", EntityID: "2"}); err != nil {
		t.Fatal(err)
	}
	recs, _, err := e.acc.FindAuditLog(as(c), account.AuditFilter{HelpRequestID: req.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		got = append(got, r.Action+":"+r.EntityID)
	}
	// acting.stop is recorded while still acting, so it carries the request too.
	if strings.Join(got, " ") != fmt.Sprintf("acting.stop:%d product.update:1 acting.start:%d", ent, ent) {
		t.Fatalf("records tied to the request: %v", got)
	}
}

func errorsAs(err error, target **apperr.Error) bool { return errors.As(err, target) }

func dirFiles(t *testing.T, dir string) int {
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
