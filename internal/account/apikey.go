package account

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/textin"
)

// APIKeyPrefix starts every API key; a key is the prefix and 32 random bytes
// in lower-case base32 without padding (57 characters in all).
const APIKeyPrefix = "dure_"

const (
	apiKeyLen        = len(APIKeyPrefix) + 52
	apiKeyShown      = len(APIKeyPrefix) + 6 // characters kept as APIKey.Prefix
	apiKeyTouchEvery = time.Minute           // last_used_at is written at most this often
)

var keyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// keyNameRule is an API key's name (textin's rule).
var keyNameRule = textin.Rule{Label: "키 이름", Required: true, Max: 50}

// CreateAPIKey creates an API key for the enterprise (CanManageMembers) and
// returns it with its value, which is shown this once and stored only as a
// SHA-256 hash. Invalid with Fields["name"] for a missing or long name.
func (s *Service) CreateAPIKey(ctx context.Context, enterpriseID int64, name string) (*APIKey, string, error) {
	if err := CanManageMembers(ctx, enterpriseID); err != nil {
		return nil, "", err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, "", apperr.Fields{"name": "키 이름을 입력해 주세요. 예: 재고 연동"}.Err()
	}
	if msg := keyNameRule.Message(name); msg != "" {
		return nil, "", apperr.Fields{"name": msg}.Err()
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, "", fmt.Errorf("account: random api key: %w", err)
	}
	key := APIKeyPrefix + keyEncoding.EncodeToString(b[:])
	a := FromContext(ctx)
	k := &APIKey{EnterpriseID: enterpriseID, Name: name, Prefix: key[:apiKeyShown], CreatedBy: a.UserID}
	rec, err := s.NewAuditRecord(ctx, AuditEntry{EnterpriseID: enterpriseID, Action: "api_key.create", Entity: "api_key",
		After: map[string]any{"name": name, "prefix": k.Prefix}})
	if err != nil {
		return nil, "", err
	}
	if err := s.store.CreateAPIKey(ctx, k, hashSecret(key), rec); err != nil {
		return nil, "", err
	}
	return k, key, nil
}

// FindAPIKeys returns the enterprise's API keys, revoked ones too, newest
// first (CanManageMembers).
func (s *Service) FindAPIKeys(ctx context.Context, enterpriseID int64) ([]*APIKey, error) {
	if err := CanManageMembers(ctx, enterpriseID); err != nil {
		return nil, err
	}
	return s.store.FindAPIKeys(ctx, enterpriseID)
}

// RevokeAPIKey revokes key id of the enterprise (CanManageMembers) at once,
// recorded in the audit log. NotFound when the enterprise has no such key
// (another enterprise's key included).
func (s *Service) RevokeAPIKey(ctx context.Context, enterpriseID, id int64) error {
	if err := CanManageMembers(ctx, enterpriseID); err != nil {
		return err
	}
	now := s.Now()
	rec, err := s.NewAuditRecord(ctx, AuditEntry{EnterpriseID: enterpriseID, Action: "api_key.revoke", Entity: "api_key",
		EntityID: itoa(id), After: map[string]any{"revoked_at": now}})
	if err != nil {
		return err
	}
	return notFound(s.store.RevokeAPIKey(ctx, enterpriseID, id, now, rec), "찾는 API 키가 없습니다.")
}

// ActorForAPIKey returns the actor of an API key (from the request's
// Authorization header): the key's enterprise as EnterpriseStaff with
// MemberRole Staff, so it can manage products and orders but not members or
// keys. Unauthorized for an unknown or revoked key; Forbidden when the
// enterprise is not active. Last use is recorded at most once a minute.
func (s *Service) ActorForAPIKey(ctx context.Context, key string) (*Actor, error) {
	if len(key) != apiKeyLen || !strings.HasPrefix(key, APIKeyPrefix) {
		return nil, apperr.Errorf(apperr.Unauthorized, "API 키가 올바르지 않습니다.")
	}
	k, err := s.store.FindAPIKeyByHash(ctx, hashSecret(key))
	if apperr.Code(err) == apperr.NotFound {
		return nil, apperr.Errorf(apperr.Unauthorized, "API 키가 올바르지 않습니다.")
	}
	if err != nil {
		return nil, err
	}
	if k.RevokedAt != nil {
		return nil, apperr.Errorf(apperr.Unauthorized, "폐기된 API 키입니다.")
	}
	if k.EnterpriseStatus != EnterpriseActive {
		return nil, apperr.Errorf(apperr.Forbidden, "입점 상태가 아닌 기업의 API 키는 쓸 수 없습니다. 협동조합 운영자에게 문의해 주세요.")
	}
	now := s.Now()
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) >= apiKeyTouchEvery {
		if err := s.store.TouchAPIKey(ctx, k.ID, now); err != nil {
			return nil, err
		}
	}
	return &Actor{Role: EnterpriseStaff, Name: k.Name, EnterpriseID: k.EnterpriseID, EnterpriseStatus: k.EnterpriseStatus,
		MemberRole: Staff, APIKeyID: k.ID}, nil
}
