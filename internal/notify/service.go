package notify

import (
	"context"
	"log/slog"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
)

// Service is the members' notifications and the worker that makes and
// sends them.
type Service struct {
	Store    Store
	Cache    UnreadCache // nil: the count is read from the store
	Notifier Notifier    // nil: mail stays queued
	Log      *slog.Logger
}

// Batch is how many events or mails one step handles.
const Batch = 100

// mailLease is how long a claimed mail is not claimed again; maxAttempts
// how many times a mail is tried before it is given up.
const (
	mailLease   = 5 * time.Minute
	maxAttempts = 8
)

// ProcessEvents turns up to Batch queued events into notifications and
// returns how many it handled.
func (s *Service) ProcessEvents(ctx context.Context) (int, error) {
	n, users, err := s.Store.ProcessEvents(ctx, Batch, Compose)
	if err != nil {
		return 0, err
	}
	s.forget(ctx, users...)
	return n, nil
}

// DeliverMails sends up to Batch due mails; a failure is retried later with
// a growing delay, and given up after maxAttempts.
func (s *Service) DeliverMails(ctx context.Context) (int, error) {
	if s.Notifier == nil {
		return 0, nil
	}
	mails, err := s.Store.ClaimMails(ctx, Batch, mailLease)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range mails {
		if err := s.Notifier.Notify(ctx, m); err != nil {
			retry := time.Now().Add(time.Duration(1<<min(m.Attempts, 10)) * time.Minute)
			if m.Attempts >= maxAttempts {
				retry = time.Time{}
			}
			s.Log.WarnContext(ctx, "notification mail failed", "id", m.ID, "attempt", m.Attempts, "err", err)
			if err := s.Store.MailFailed(ctx, m.ID, err.Error(), retry); err != nil {
				return sent, err
			}
			continue
		}
		if err := s.Store.MailSent(ctx, m.ID); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// Drain processes every queued event and due mail (tests, and the worker's
// steps).
func (s *Service) Drain(ctx context.Context) error {
	for {
		n, err := s.ProcessEvents(ctx)
		if err != nil {
			return err
		}
		if n < Batch {
			break
		}
	}
	for {
		n, err := s.DeliverMails(ctx)
		if err != nil {
			return err
		}
		if n < Batch {
			return nil
		}
	}
}

// Run drains every interval until ctx ends, logging failures.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.Drain(ctx); err != nil && ctx.Err() == nil {
			s.Log.WarnContext(ctx, "notifications worker", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Service) forget(ctx context.Context, users ...int64) {
	if s.Cache == nil || len(users) == 0 {
		return
	}
	if err := s.Cache.Forget(ctx, users...); err != nil {
		s.Log.WarnContext(ctx, "unread count cache: forget", "err", err)
	}
}

// Unread returns the actor's unread count for the header, from the cache
// when it has it (no database query on every page). 0 for anonymous.
func (s *Service) Unread(ctx context.Context) int {
	a := account.FromContext(ctx)
	if a == nil || a.SessionID == "" {
		return 0
	}
	if s.Cache != nil {
		if n, ok, err := s.Cache.Get(ctx, a.UserID); err == nil && ok {
			return n
		}
	}
	n, err := s.Store.CountUnread(ctx, a.UserID)
	if err != nil {
		s.Log.WarnContext(ctx, "unread notifications", "err", err)
		return 0
	}
	if s.Cache != nil {
		if err := s.Cache.Set(ctx, a.UserID, n); err != nil {
			s.Log.WarnContext(ctx, "unread count cache: set", "err", err)
		}
	}
	return n
}

// List returns the actor's notifications, newest first.
func (s *Service) List(ctx context.Context, limit, offset int) ([]*Notification, int, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, 0, err
	}
	return s.Store.FindNotifications(ctx, a.UserID, limit, offset)
}

// Open marks the actor's notification id read and returns its link
// (NotFound for someone else's).
func (s *Service) Open(ctx context.Context, id int64) (string, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return "", err
	}
	if id <= 0 {
		return "", apperr.Errorf(apperr.NotFound, "알림을 찾을 수 없습니다.")
	}
	link, err := s.Store.MarkRead(ctx, a.UserID, id)
	s.forget(ctx, a.UserID)
	return link, err
}

// ReadAll marks all the actor's notifications read.
func (s *Service) ReadAll(ctx context.Context) error {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return err
	}
	_, err = s.Store.MarkRead(ctx, a.UserID, 0)
	s.forget(ctx, a.UserID)
	return err
}

// Prefs returns, for each kind the actor may receive, whether mail is on.
func (s *Service) Prefs(ctx context.Context) ([]Kind, map[Kind]bool, error) {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return nil, nil, err
	}
	kinds := ShopperKinds()
	if a.Role == account.EnterpriseStaff {
		kinds = append(kinds, EnterpriseKinds()...)
	}
	off, err := s.Store.MailPrefs(ctx, a.UserID)
	if err != nil {
		return nil, nil, err
	}
	on := map[Kind]bool{}
	for _, k := range kinds {
		on[k] = k.Required() || !off[k]
	}
	return kinds, on, nil
}

// SetPrefs turns mail on for the kinds in on and off for the others; the
// required kinds stay on whatever is asked.
func (s *Service) SetPrefs(ctx context.Context, on map[Kind]bool) error {
	a, err := account.RequireUser(ctx)
	if err != nil {
		return err
	}
	all := append(ShopperKinds(), EnterpriseKinds()...)
	want := map[Kind]bool{}
	for _, k := range all {
		want[k] = on[k] || k.Required()
	}
	return s.Store.SetMailPrefs(ctx, a.UserID, want)
}
