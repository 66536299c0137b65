package apperr_test

import (
	"errors"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
)

func TestFields(t *testing.T) {
	f := apperr.Fields{}
	if err := f.Err(); err != nil {
		t.Fatalf("no fields: %v, want nil", err)
	}
	f.Add("name", "")
	f.Add("name", "이름을 입력해 주세요.")
	f.Add("name", "두 번째 메시지")
	f.Add("email", "이메일 주소 형식이 올바르지 않습니다.")
	var e *apperr.Error
	if !errors.As(f.Err(), &e) || e.Code != apperr.Invalid || e.Message == "" {
		t.Fatalf("Err() = %v, want Invalid with a message", f.Err())
	}
	if len(e.Fields) != 2 || e.Fields["name"] != "이름을 입력해 주세요." {
		t.Errorf("fields = %v, want the first message of each field", e.Fields)
	}
}
