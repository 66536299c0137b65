package catalog_test

import (
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
)

func TestReturnAddress(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     catalog.ReturnAddress
		fields []string // wrong fields; none: valid
	}{
		{"unset", catalog.ReturnAddress{}, nil},
		{"whole", catalog.ReturnAddress{Postcode: "41940", Road: "대구광역시 중구 동덕로 115", Detail: "3층", Phone: "0531234567"}, nil},
		{"no phone", catalog.ReturnAddress{Postcode: "41940", Road: "대구광역시 중구 동덕로 115"}, nil},
		{"detail only", catalog.ReturnAddress{Detail: "3층"}, []string{"return_postcode", "return_road"}},
		{"bad postcode and phone", catalog.ReturnAddress{Postcode: "4194a", Road: "동덕로 115", Phone: "12"}, []string{"return_postcode", "return_phone"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.in
			r.Normalize()
			err := r.Validate()
			if len(tc.fields) == 0 {
				if err != nil {
					t.Fatalf("valid address refused: %v", err)
				}
				return
			}
			ae, ok := err.(*apperr.Error)
			if !ok || ae.Code != apperr.Invalid || len(ae.Fields) != len(tc.fields) {
				t.Fatalf("got %v, want Invalid on %v", err, tc.fields)
			}
			for _, f := range tc.fields {
				if ae.Fields[f] == "" {
					t.Errorf("no message for %s: %v", f, ae.Fields)
				}
			}
		})
	}
	e := &catalog.Enterprise{Address: "사업장", Phone: "053-111-2222"}
	if e.ReturnTo() != "사업장" || e.ReturnPhone() != "053-111-2222" {
		t.Errorf("fallback: %q %q", e.ReturnTo(), e.ReturnPhone())
	}
	e.Return = catalog.ReturnAddress{Postcode: "41940", Road: "동덕로 115", Detail: "3층", Phone: "010-1234-5678"}
	if e.ReturnTo() != "(41940) 동덕로 115 3층" || e.ReturnPhone() != "010-1234-5678" {
		t.Errorf("own: %q %q", e.ReturnTo(), e.ReturnPhone())
	}
}
