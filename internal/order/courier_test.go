package order

import (
	"net/url"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
)

func TestNormalizeTrackingNumber(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"123456789012", "123456789012", true},
		{"1234-5678-9012", "123456789012", true},
		{"6012 3456 78901", "6012345678901", true},
		{"12345678", "12345678", true},
		{"1234567", "", false},
		{"123456789012345678901", "", false},
		{"12345678901234567890", "12345678901234567890", true},
		{"12345678a", "", false},
		{"", "", false},
		{"----------", "", false},
		{"１２３４５６７８", "", false}, // full-width digits are not accepted
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeTrackingNumber(tt.in)
			if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
				t.Fatalf("= %q, %v; want %q ok=%v", got, err, tt.want, tt.ok)
			}
			if err != nil && apperr.Code(err) != apperr.Invalid {
				t.Fatalf("code = %s, want invalid", apperr.Code(err))
			}
		})
	}
}

func TestCouriers(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Couriers() {
		if seen[c.Code] || c.Name == "" {
			t.Errorf("courier %+v repeated or unnamed", c)
		}
		seen[c.Code] = true
		u, err := url.Parse(c.TrackingURL("1234-5678-9012"))
		if err != nil || u.Scheme != "https" || !strings.Contains(u.String(), "123456789012") {
			t.Errorf("%s: tracking URL %v, %v", c.Code, u, err)
		}
	}
	for _, name := range []string{"CJ대한통운", "우체국택배", "한진택배", "롯데택배", "로젠택배", "경동택배", "대신택배",
		"일양로지스", "합동택배", "CU 편의점택배", "GS Postbox 택배"} {
		found := false
		for _, c := range Couriers() {
			found = found || c.Name == name
		}
		if !found {
			t.Errorf("%s missing", name)
		}
	}
	if got := TrackingURL("epost", "6012345678901"); got != "https://service.epost.go.kr/trace.RetrieveDomRigiTraceList.comm?sid1=6012345678901" {
		t.Errorf("epost = %q", got)
	}
	if TrackingURL("cj", "12") != "" || TrackingURL("pigeon", "123456789012") != "" {
		t.Error("an invalid number or an unknown courier has no tracking page")
	}
	if CourierName("cj") != "CJ대한통운" || CourierName("") != "" {
		t.Error("CourierName")
	}
}
