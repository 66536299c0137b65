// Package mail sends the few e-mails Dure writes (sign-up confirmation,
// password reset, invitations, order-claim codes) through one interface.
// There is no mail server here: the development Mailer writes each mail to
// the log, where `make run` shows the links.
package mail

import (
	"context"
	"log/slog"
	"sync"
)

// Mail is one plain-text e-mail.
type Mail struct {
	To      string
	Subject string
	Body    string
}

// Mailer sends mail. Send returns an error only when the mail could not be
// handed over; callers that must not reveal whether an address exists still
// answer the same way.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Log is the development Mailer: it writes every mail to the log.
type Log struct{ Logger *slog.Logger }

// Send logs m.
func (l Log) Send(ctx context.Context, m Mail) error {
	l.Logger.InfoContext(ctx, "mail (development: not sent)", "to", m.To, "subject", m.Subject, "body", m.Body)
	return nil
}

// Outbox is a Mailer that keeps what it was given, for tests that follow a
// link out of a mail.
type Outbox struct {
	mu   sync.Mutex
	sent []Mail
}

// Send keeps m.
func (o *Outbox) Send(_ context.Context, m Mail) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, m)
	return nil
}

// Sent returns the mails sent so far, oldest first.
func (o *Outbox) Sent() []Mail {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Mail(nil), o.sent...)
}

// Last returns the newest mail to addr, and whether there was one.
func (o *Outbox) Last(addr string) (Mail, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := len(o.sent) - 1; i >= 0; i-- {
		if o.sent[i].To == addr {
			return o.sent[i], true
		}
	}
	return Mail{}, false
}
