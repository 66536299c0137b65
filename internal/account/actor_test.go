package account

import (
	"context"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
)

func TestEnterpriseRules(t *testing.T) {
	memberA := &Actor{UserID: 1, Role: EnterpriseStaff, EnterpriseID: 10, EnterpriseStatus: EnterpriseActive, MemberRole: Staff}
	ownerA := &Actor{UserID: 2, Role: EnterpriseStaff, EnterpriseID: 10, EnterpriseStatus: EnterpriseActive, MemberRole: Owner}
	suspended := &Actor{UserID: 3, Role: EnterpriseStaff, EnterpriseID: 10, EnterpriseStatus: EnterpriseSuspended, MemberRole: Owner}
	memberB := &Actor{UserID: 4, Role: EnterpriseStaff, EnterpriseID: 20, EnterpriseStatus: EnterpriseActive, MemberRole: Owner}
	operator := &Actor{UserID: 5, Role: Operator}
	onBehalfA := &Actor{UserID: 5, Role: Operator, EnterpriseID: 10, OnBehalf: true}
	consumer := &Actor{UserID: 6, Role: Consumer}
	// A consumer with a stale enterprise id must still be refused.
	oddConsumer := &Actor{UserID: 7, Role: Consumer, EnterpriseID: 10, EnterpriseStatus: EnterpriseActive}

	for _, tc := range []struct {
		name            string
		actor           *Actor
		manage, members string // expected codes for enterprise 10 ("" = allowed)
	}{
		{"anonymous", nil, apperr.Unauthorized, apperr.Unauthorized},
		{"consumer", consumer, apperr.Forbidden, apperr.Forbidden},
		{"consumer with an enterprise id", oddConsumer, apperr.Forbidden, apperr.Forbidden},
		{"staff of A", memberA, "", apperr.Forbidden},
		{"owner of A", ownerA, "", ""},
		{"suspended owner of A", suspended, apperr.Forbidden, apperr.Forbidden},
		{"owner of B", memberB, apperr.NotFound, apperr.NotFound},
		{"operator", operator, apperr.Forbidden, apperr.Forbidden},
		{"operator on behalf of A", onBehalfA, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.actor != nil {
				ctx = NewContext(ctx, tc.actor)
			}
			if got := apperr.Code(CanManageEnterprise(ctx, 10)); got != tc.manage {
				t.Errorf("CanManageEnterprise = %q, want %q", got, tc.manage)
			}
			if got := apperr.Code(CanManageMembers(ctx, 10)); got != tc.members {
				t.Errorf("CanManageMembers = %q, want %q", got, tc.members)
			}
		})
	}
}

func TestRequireOperator(t *testing.T) {
	ctx := context.Background()
	if got := apperr.Code(func() error { _, err := RequireOperator(ctx); return err }()); got != apperr.Unauthorized {
		t.Errorf("anonymous: %q", got)
	}
	for role, want := range map[Role]string{Consumer: apperr.NotFound, EnterpriseStaff: apperr.NotFound, InstitutionUser: apperr.NotFound, Operator: ""} {
		_, err := RequireOperator(NewContext(ctx, &Actor{UserID: 1, Role: role}))
		if got := apperr.Code(err); got != want {
			t.Errorf("%s: %q, want %q", role, got, want)
		}
	}
}
