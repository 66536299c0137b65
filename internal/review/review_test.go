package review_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/review"
	"github.com/dure-coop/dure/internal/web/webtest"
)

func code(t *testing.T, err error, want string, what string) {
	t.Helper()
	if apperr.Code(err) != want {
		t.Fatalf("%s: got %v, want %s", what, err, want)
	}
}

const goodBody = "포장이 꼼꼼하고 맛이 아주 좋았습니다. 또 살게요."

// TestReviewRules: only the buyer of a delivered line reviews it, once;
// the enterprise replies once to its own; an operator hides with a reason
// (audited); the writer edits and deletes their own; one helpful vote each.
func TestReviewRules(t *testing.T) {
	e := webtest.NewEnv(t)
	svc := e.Reviews
	product, _ := e.Goods(t)
	buyer, other := e.Consumer(t), e.Consumer(t)
	asBuyer, asOther := e.As(t, buyer), e.As(t, other)

	// Paid but not delivered: refused.
	paid := e.PaidOrder(t, product, 1)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE orders SET user_id = (SELECT id FROM users WHERE email = $2) WHERE id = $1`, paid.ID, buyer); err != nil {
		t.Fatal(err)
	}
	_, err := svc.Write(asBuyer, paid.SubOrders[0].Lines[0].ID, review.ReviewInput{Rating: 5, Body: goodBody})
	code(t, err, apperr.Conflict, "review of an undelivered line")

	o, owner := e.DeliveredOrder(t, product, buyer)
	line := o.SubOrders[0].Lines[0].ID
	_, err = svc.Write(asOther, line, review.ReviewInput{Rating: 5, Body: goodBody})
	code(t, err, apperr.NotFound, "review of someone else's order")
	_, err = svc.Write(context.Background(), line, review.ReviewInput{Rating: 5, Body: goodBody})
	code(t, err, apperr.Unauthorized, "anonymous review")
	_, err = svc.Write(asBuyer, line, review.ReviewInput{Rating: 0, Body: "짧아요"})
	var ae *apperr.Error
	if !asErr(err, &ae) || ae.Fields["rating"] == "" || ae.Fields["body"] == "" {
		t.Fatalf("bad rating and short text: %v", err)
	}
	_, err = svc.Write(asBuyer, line, review.ReviewInput{Rating: 4, Body: "좋아요\x00좋아요 좋아요 좋아요"})
	code(t, err, apperr.Invalid, "a control character")
	r, err := svc.Write(asBuyer, line, review.ReviewInput{Rating: 4, Body: goodBody,
		Photos: []review.Photo{{URL: "/media/u/aa/a.jpg", Thumb: "/media/u/aa/a-t.jpg"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Write(asBuyer, line, review.ReviewInput{Rating: 5, Body: goodBody})
	code(t, err, apperr.Conflict, "second review of the line")

	list, total, sum, err := svc.ProductReviews(context.Background(), review.ReviewFilter{ProductID: product})
	if err != nil || total != 1 || sum.Count != 1 || sum.Average() != "4.0" || list[0].ID != r.ID || len(list[0].Photos) != 1 {
		t.Fatalf("product reviews: %v %d %+v %v", list, total, sum, err)
	}
	if photos, n, _, _ := svc.ProductReviews(context.Background(), review.ReviewFilter{ProductID: product, PhotoOnly: true}); n != 1 || len(photos) != 1 {
		t.Errorf("photo filter: %d", n)
	}

	// Replies: another enterprise's member cannot; the owner once.
	var otherEnt int64
	if err := e.Pool.QueryRow(context.Background(), `SELECT id FROM enterprises WHERE id <> $1 AND status = 'active' LIMIT 1`,
		o.SubOrders[0].EnterpriseID).Scan(&otherEnt); err != nil {
		t.Fatal(err)
	}
	stranger := e.As(t, e.Member(t, otherEnt, account.Owner))
	code(t, svc.Reply(stranger, r.ID, "감사합니다"), apperr.NotFound, "reply by another enterprise")
	code(t, svc.Reply(asBuyer, r.ID, "감사합니다"), apperr.Forbidden, "reply by a consumer")
	asOwner := e.As(t, owner)
	code(t, svc.Reply(asOwner, r.ID, "  "), apperr.Invalid, "empty reply")
	if err := svc.Reply(asOwner, r.ID, "좋게 봐 주셔서 감사합니다."); err != nil {
		t.Fatal(err)
	}
	code(t, svc.Reply(asOwner, r.ID, "또 감사합니다"), apperr.Conflict, "second reply")

	// Helpful votes.
	if _, err := svc.VoteHelpful(asOther, r.ID); err != nil {
		t.Fatal(err)
	}
	_, err = svc.VoteHelpful(asOther, r.ID)
	code(t, err, apperr.Conflict, "second vote")
	_, err = svc.VoteHelpful(asBuyer, r.ID)
	code(t, err, apperr.Conflict, "vote on one's own review")

	// Edits: the writer's own only.
	_, err = svc.Edit(asOther, r.ID, review.ReviewInput{Rating: 1, Body: goodBody})
	code(t, err, apperr.NotFound, "edit by someone else")
	if _, err := svc.Edit(asBuyer, r.ID, review.ReviewInput{Rating: 5, Body: goodBody + " 고칩니다."}); err != nil {
		t.Fatal(err)
	}

	// Hiding: operators only, with a reason, audited.
	op := e.As(t, e.Operator(t))
	code(t, svc.Hide(asOwner, r.ID, "욕설"), apperr.NotFound, "hide by an enterprise")
	code(t, svc.Hide(op, r.ID, " "), apperr.Invalid, "hide without a reason")
	if err := svc.Hide(op, r.ID, "개인정보가 들어 있음"); err != nil {
		t.Fatal(err)
	}
	var audited int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'review.hide' AND entity_id = $1
		AND after->>'reason' = '개인정보가 들어 있음'`, itoa(r.ID)).Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("audit of the hide: %d %v", audited, err)
	}
	if _, n, sum, _ := svc.ProductReviews(context.Background(), review.ReviewFilter{ProductID: product}); n != 0 || sum.Count != 0 {
		t.Errorf("a hidden review still shows: %d", n)
	}
	mine, _, err := svc.MyReviews(asBuyer, 10, 0)
	if err != nil || len(mine) != 1 || !mine[0].Hidden || mine[0].HiddenReason == "" {
		t.Errorf("the writer does not see the hidden review with its reason: %+v %v", mine, err)
	}

	// Deleting lets the line be reviewed again.
	code(t, svc.Delete(asOther, r.ID), apperr.NotFound, "delete by someone else")
	if err := svc.Delete(asBuyer, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Line(asBuyer, line); err != nil {
		t.Errorf("after deleting, the line cannot be reviewed: %v", err)
	}
}

// TestPrivateQuestions: a private question is read by its asker, the
// product's enterprise and operators; others see that it exists, not what
// it says. Only the product's enterprise answers.
func TestPrivateQuestions(t *testing.T) {
	e := webtest.NewEnv(t)
	svc := e.Reviews
	product, _ := e.Goods(t)
	asker, other := e.Consumer(t), e.Consumer(t)
	asAsker := e.As(t, asker)
	secret := "010-9999-8888로 연락 주세요. 대량 구매 문의입니다."
	q, err := svc.Ask(asAsker, product, secret, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Ask(asAsker, product, "배송은 언제 되나요?", false); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Ask(context.Background(), product, "로그인 없이 묻기", false)
	code(t, err, apperr.Unauthorized, "anonymous question")
	_, err = svc.Ask(asAsker, product, "짧음", false)
	code(t, err, apperr.Invalid, "too short a question")

	var entID int64
	if err := e.Pool.QueryRow(context.Background(), `SELECT enterprise_id FROM products WHERE id = $1`, product).Scan(&entID); err != nil {
		t.Fatal(err)
	}
	owner := e.As(t, e.Member(t, entID, account.Owner))
	var otherEnt int64
	if err := e.Pool.QueryRow(context.Background(), `SELECT id FROM enterprises WHERE id <> $1 AND status = 'active' LIMIT 1`, entID).Scan(&otherEnt); err != nil {
		t.Fatal(err)
	}
	stranger := e.As(t, e.Member(t, otherEnt, account.Owner))
	op := e.As(t, e.Operator(t))

	sees := func(ctx context.Context) (bool, bool) {
		qs, n, err := svc.ProductQuestions(ctx, product, 10, 0)
		if err != nil || n != 2 {
			t.Fatalf("questions: %d %v", n, err)
		}
		for _, x := range qs {
			if x.ID == q.ID {
				return strings.Contains(x.Body, "010-9999"), x.Redacted
			}
		}
		t.Fatal("the private question is not listed")
		return false, false
	}
	for name, ctx := range map[string]context.Context{"anonymous": context.Background(), "another shopper": e.As(t, other), "another enterprise": stranger} {
		if body, redacted := sees(ctx); body || !redacted {
			t.Errorf("%s reads the private question", name)
		}
	}
	for name, ctx := range map[string]context.Context{"asker": asAsker, "enterprise": owner, "operator": op} {
		if body, redacted := sees(ctx); !body || redacted {
			t.Errorf("%s cannot read the private question", name)
		}
	}

	code(t, svc.Answer(stranger, q.ID, "답변"), apperr.NotFound, "answer by another enterprise")
	if err := svc.Answer(owner, q.ID, "연락드리겠습니다."); err != nil {
		t.Fatal(err)
	}
	code(t, svc.Answer(owner, q.ID, "다시"), apperr.Conflict, "second answer")
	list, n, err := svc.EnterpriseQuestions(owner, false, 10, 0)
	if err != nil || n != 2 || list[0].Answered() || !list[1].Answered() {
		t.Errorf("the enterprise's list is not unanswered first: %d %v", n, err)
	}
	if _, n, _ := svc.EnterpriseQuestions(stranger, false, 10, 0); n != 0 {
		t.Errorf("another enterprise sees %d questions", n)
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{"김두레": "김**", "이": "이*", "": "구매자", "남궁민수다": "남****", "Alexander": "A****"} {
		if got := review.MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAverage(t *testing.T) {
	for _, c := range []struct {
		s    review.Summary
		want string
	}{{review.Summary{}, "0.0"}, {review.Summary{Count: 3, Sum: 13}, "4.3"}, {review.Summary{Count: 2, Sum: 9}, "4.5"}, {review.Summary{Count: 3, Sum: 14}, "4.7"}} {
		if got := c.s.Average(); got != c.want {
			t.Errorf("%+v: %s, want %s", c.s, got, c.want)
		}
	}
}

func asErr(err error, target **apperr.Error) bool { return errors.As(err, target) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
