package redis

import (
	"errors"
	"fmt"

	goredis "github.com/redis/go-redis/v9"

	"github.com/dure-coop/dure/internal/apperr"
)

// errUnavailable is the application's answer when Redis cannot be reached in
// time (the web layer answers 503 with Retry-After).
var errUnavailable = apperr.Errorf(apperr.Unavailable, "서비스를 일시적으로 사용할 수 없습니다. 잠시 후 다시 시도해 주세요.")

// wrap names the failed operation and translates go-redis's own
// connection-pool timeout, which is no net.Error, into Unavailable (network
// errors and deadlines are recognised as such by the web layer).
func wrap(op string, err error) error {
	if errors.Is(err, goredis.ErrPoolTimeout) {
		return fmt.Errorf("redis: %s: %w (%w)", op, err, errUnavailable)
	}
	return fmt.Errorf("redis: %s: %w", op, err)
}
