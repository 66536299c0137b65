package account

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dure-coop/dure/internal/apperr"
)

// SystemActor is the actor role recorded for actions without an actor in
// the context (seeding, workers).
const SystemActor = "system"

// Record writes e to the audit log with the actor from ctx: who (user or
// API key), their role, and the enterprise an operator acts for. An entry
// without an EnterpriseID is filed under the actor's enterprise, if any.
//
// Record is only for actions that change nothing in PostgreSQL (starting or
// ending acting for an enterprise, which rotates a Redis session; pushing
// the synonym dictionary to the search engine). The record of a change to
// the database is built with NewAuditRecord (or in an AuditFunc) and written
// by the store in the transaction of the change, so that a change never
// lands without its record and a failed change leaves none.
func (s *Service) Record(ctx context.Context, e AuditEntry) error {
	r, err := s.NewAuditRecord(ctx, e)
	if err != nil {
		return err
	}
	return s.store.CreateAuditRecord(ctx, r)
}

// NewAuditRecord builds the record of a change for the store to write in the
// change's transaction (its *AuditRecord argument). An empty Action or
// Entity, or a Before/After that cannot be marshalled, is a programming
// error (Internal).
func (s *Service) NewAuditRecord(ctx context.Context, e AuditEntry) (*AuditRecord, error) {
	if e.Action == "" || e.Entity == "" {
		return nil, fmt.Errorf("account: audit entry without action or entity: %+v", e)
	}
	r := &AuditRecord{At: s.Now(), ActorRole: SystemActor, EnterpriseID: e.EnterpriseID, InstitutionID: e.InstitutionID,
		HelpRequestID: e.HelpRequestID, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID}
	if a := FromContext(ctx); a != nil {
		r.ActorUserID, r.ActorRole, r.ActorAPIKeyID = a.UserID, string(a.Role), a.APIKeyID
		if a.OnBehalf {
			r.OnBehalfEnterpriseID = a.EnterpriseID
			if r.HelpRequestID == 0 {
				r.HelpRequestID = a.HelpRequestID
			}
		}
		if r.EnterpriseID == 0 {
			r.EnterpriseID = a.EnterpriseID
		}
		if r.InstitutionID == 0 {
			r.InstitutionID = a.InstitutionID
		}
	}
	var err error
	if r.Before, err = marshal(e.Before); err != nil {
		return nil, err
	}
	if r.After, err = marshal(e.After); err != nil {
		return nil, err
	}
	return r, nil
}

// AuditFunc builds the audit record of a change from the thing as it was
// and as it became (each store method says which it passes; nil for none).
// A store calls it inside the change's transaction, after the change is
// written, and writes the record it returns there (none for nil); its error
// rolls the change back. Stores take an AuditFunc instead of an
// *AuditRecord where the record holds what only the transaction knows (the
// row as it was under its lock, ids and times the database assigns). A nil
// AuditFunc records nothing.
type AuditFunc[T any] func(before, after T) (*AuditRecord, error)

func marshal(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("account: audit value: %w", err)
	}
	if string(b) == "null" {
		return nil, nil
	}
	return b, nil
}

// FindAuditLog returns audit records matching f, newest first, and their
// total (RequireOperator). Limit defaults to 50 and is at most 500.
func (s *Service) FindAuditLog(ctx context.Context, f AuditFilter) ([]*AuditRecord, int, error) {
	if _, err := RequireOperator(ctx); err != nil {
		return nil, 0, err
	}
	switch {
	case f.Limit <= 0:
		f.Limit = 50
	case f.Limit > 500:
		f.Limit = 500
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return nil, 0, apperr.Errorf(apperr.Invalid, "기간의 시작이 끝보다 앞서야 합니다.")
	}
	return s.store.FindAuditRecords(ctx, f)
}
