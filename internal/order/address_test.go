package order

import (
	"errors"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
)

func TestAddressValidate(t *testing.T) {
	good := Address{Recipient: "김두레", Phone: "01012345678", Postcode: "41940", Road: "대구광역시 중구 동덕로 115", Detail: "3층"}
	good.Normalize()
	if err := good.Validate(); err != nil {
		t.Fatalf("good address: %v", err)
	}
	if good.Phone != "010-1234-5678" {
		t.Errorf("phone = %q, want 010-1234-5678", good.Phone)
	}
	bad := Address{Recipient: " ", Phone: "12345", Postcode: "4194", Road: ""}
	bad.Normalize()
	err := bad.Validate()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Invalid {
		t.Fatalf("bad address: %v, want Invalid", err)
	}
	for _, k := range []string{"recipient", "phone", "postcode", "road"} {
		if e.Fields[k] == "" {
			t.Errorf("no message for %s in %v", k, e.Fields)
		}
	}
	if _, ok := e.Fields["detail"]; ok {
		t.Errorf("empty detail must be allowed")
	}
}
