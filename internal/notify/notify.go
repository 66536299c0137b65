// Package notify tells people what happened to their orders, reviews and
// questions: an in-app list for members (/account/notifications, with an
// unread count in the header) and mail, behind one Notifier interface so
// that SMS or 알림톡 can come later.
//
// Events are queued in the transaction of the change (notify_outbox; order
// state changes reach it through a trigger on order_events, so internal/order
// has no notification code). A worker turns each event into one
// notification per recipient — unique per event and recipient, so a
// replayed event adds nothing — and, in the same transaction, queues its
// mail. Mail is delivered afterwards with retries: a failing mailer never
// blocks an order nor loses a notification.
package notify

import (
	"context"
	"time"

	"github.com/dure-coop/dure/internal/mail"
)

// Kind is what a notification is about.
type Kind string

// Kinds of notification.
const (
	OrderPaid        Kind = "order_paid"        // 주문 확인 (to the buyer)
	OrderReceived    Kind = "order_received"    // a new order (to the enterprise)
	OrderShipped     Kind = "order_shipped"     // with courier and tracking number
	OrderDelivered   Kind = "order_delivered"   //
	OrderCancelled   Kind = "order_cancelled"   // cancelled, refunded when paid
	QuestionAnswered Kind = "question_answered" // to the asker
	ReviewReplied    Kind = "review_replied"    // to the writer
	QuestionNew      Kind = "question_new"      // to the enterprise
	ReviewNew        Kind = "review_new"        // to the enterprise
	ReturnUpdate     Kind = "return_update"     // a return approved, rejected or refunded (to the buyer)
	ReturnRequested  Kind = "return_requested"  // a new return request (to the enterprise)
)

var kindLabels = map[Kind]string{
	OrderPaid: "주문 확인", OrderReceived: "새 주문", OrderShipped: "배송 시작", OrderDelivered: "배송 완료",
	OrderCancelled: "주문 취소·환불", QuestionAnswered: "상품 문의 답변", ReviewReplied: "구매평 답글",
	QuestionNew: "새 상품 문의", ReviewNew: "새 구매평", ReturnUpdate: "반품 진행·환불", ReturnRequested: "새 반품 신청",
}

// Label is the Korean name of the kind.
func (k Kind) Label() string { return kindLabels[k] }

// Required reports whether the kind's mail cannot be turned off: the order
// confirmation and the cancellation, return or refund notice are what an
// online mall must give the buyer (전자상거래법 제13조·제18조).
func (k Kind) Required() bool { return k == OrderPaid || k == OrderCancelled || k == ReturnUpdate }

// ShopperKinds are the kinds a shopper may receive, in the order of the
// preferences page.
func ShopperKinds() []Kind {
	return []Kind{OrderPaid, OrderShipped, OrderDelivered, OrderCancelled, ReturnUpdate, QuestionAnswered, ReviewReplied}
}

// EnterpriseKinds are the kinds an enterprise's members receive.
func EnterpriseKinds() []Kind { return []Kind{OrderReceived, ReturnRequested, QuestionNew, ReviewNew} }

// Notification is one notification of one member.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      Kind
	Title     string
	Body      string
	Link      string
	Read      bool
	CreatedAt time.Time
}

// Recipient is a person to notify: a member (UserID) with their mail
// address, or a guest buyer known only by the order's address.
type Recipient struct {
	UserID int64
	Email  string
}

// Message is a notification to send to recipients.
type Message struct {
	Kind       Kind
	Title      string
	Body       string
	Link       string
	Recipients []Recipient
}

// Event is a queued event with the facts its messages need, loaded by the
// store. Kind is the outbox kind ("order_event", "review_new", …).
type Event struct {
	ID   int64 // the outbox row
	Kind string
	Key  string // the event's identity across replays: "order_event:17"

	// Order events.
	OrderNumber  string
	SubOrder     bool   // the event is a sub-order's (one enterprise's part)
	SubOrderID   int64  // that part (0 for the order's events)
	From, To     string // states, or a return's steps ("return_requested", …)
	Reason       string // the event's text (a rejected return's reason, a refund's amount)
	Buyer        Recipient
	BuyerName    string
	Enterprise   string // the sub-order's enterprise name
	Courier      string // courier name
	Tracking     string
	TrackingURL  string
	Total        int64
	OrderAlsoCxl bool // the whole order is cancelled too: its own event tells

	// Reviews and questions.
	ProductID   int64
	ProductName string
	Author      Recipient // the review's writer or the question's asker
	// Members are the members of the enterprise concerned, for events that
	// go to it (new order, question, review).
	Members []Recipient
}

// Store keeps the outbox, the notifications and the preferences.
type Store interface {
	// ProcessEvents claims up to limit outbox events (FOR UPDATE SKIP
	// LOCKED), loads their facts and gives them to compose; in the same
	// transaction it inserts the messages' notifications (one per event and
	// recipient, ignoring ones that exist), queues their mail where the
	// recipient's preferences allow, and deletes the events. It returns the
	// number of events and the members who got a new notification.
	ProcessEvents(ctx context.Context, limit int, compose func(Event) []Message) (int, []int64, error)
	// ClaimMails leases up to limit due mails for lease and returns them.
	ClaimMails(ctx context.Context, limit int, lease time.Duration) ([]PendingMail, error)
	// MailSent marks a mail delivered; MailFailed records the error and
	// when to retry (zero time: give up).
	MailSent(ctx context.Context, id int64) error
	MailFailed(ctx context.Context, id int64, errText string, retryAt time.Time) error
	// FindNotifications returns a member's notifications, newest first,
	// and their total.
	FindNotifications(ctx context.Context, userID int64, limit, offset int) ([]*Notification, int, error)
	// CountUnread returns how many of a member's notifications are unread.
	CountUnread(ctx context.Context, userID int64) (int, error)
	// MarkRead marks a member's notifications read: id's alone, or all of
	// them when id is 0. It returns the link of id's notification.
	MarkRead(ctx context.Context, userID, id int64) (string, error)
	// MailPrefs returns the kinds a member turned mail off for.
	MailPrefs(ctx context.Context, userID int64) (map[Kind]bool, error)
	// SetMailPrefs stores which kinds a member wants mail for.
	SetMailPrefs(ctx context.Context, userID int64, on map[Kind]bool) error
}

// PendingMail is a queued mail with its attempts so far.
type PendingMail struct {
	ID       int64
	To       string
	Kind     Kind
	Title    string
	Body     string
	Link     string
	Attempts int
}

// Notifier delivers a notification on one channel (mail today; SMS or
// 알림톡 later). Notify returns an error when the channel did not take it;
// the worker retries.
type Notifier interface {
	Notify(ctx context.Context, m PendingMail) error
}

// UnreadCache keeps members' unread counts so that a page header does not
// query the database (internal/redis implements it). Forget is called after
// every change; a lost Forget is healed by the entry's expiry.
type UnreadCache interface {
	Get(ctx context.Context, userID int64) (n int, ok bool, err error)
	Set(ctx context.Context, userID int64, n int) error
	Forget(ctx context.Context, userIDs ...int64) error
}

// MailNotifier is the mail channel: a plain-text mail with the link on the
// site at baseURL.
type MailNotifier struct {
	Mailer  mail.Mailer
	BaseURL string
}

// Notify sends m as mail.
func (n MailNotifier) Notify(ctx context.Context, m PendingMail) error {
	body := m.Body
	if m.Link != "" {
		body += "\n\n자세히 보기: " + n.BaseURL + m.Link
	}
	body += "\n\n받고 싶지 않은 알림은 " + n.BaseURL + "/account/notifications/settings 에서 끌 수 있습니다. " +
		"주문 확인과 취소·환불 안내는 법에 따라 꺼지지 않습니다.\n두레 협동조합 드림"
	return n.Mailer.Send(ctx, mail.Mail{To: m.To, Subject: "[두레] " + m.Title, Body: body})
}
