package order_test

import (
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/order"
	"github.com/dure-coop/dure/internal/textin"
)

// FuzzAddress normalises and validates any delivery address: no panic;
// what it accepts PostgreSQL can store, its phone is a Korean number with
// hyphens, its postcode five digits (remote or not), and only the memo has
// line breaks.
func FuzzAddress(f *testing.F) {
	f.Add("김두레", "01012345678", "41940", "대구광역시 중구 동덕로 115", "3층", "문 앞에\r\n놓아 주세요")
	f.Add("김\x00두레", "010\x00", "4194\x00", "\xff", "\xed\xa0\x80", "\x1b[2J")
	f.Add(" ", "+82-10-1234-5678", "63100", strings.Repeat("길", 201), "\u0085", "\u2028")
	f.Add("박수령", "02 123 4567", "٤١٩٤٠", "road", "", "")
	f.Fuzz(func(t *testing.T, recipient, phone, postcode, road, detail, memo string) {
		a := order.Address{Recipient: recipient, Phone: phone, Postcode: postcode, Road: road, Detail: detail, Memo: memo}
		a.Normalize()
		_ = kr.IsRemotePostcode(a.Postcode)
		if a.Validate() != nil {
			return
		}
		for _, s := range []string{a.Recipient, a.Phone, a.Postcode, a.Road, a.Detail} {
			if !textin.Clean(s, false) {
				t.Fatalf("accepted %q", s)
			}
		}
		if !textin.Clean(a.Memo, true) || strings.ContainsRune(a.Memo, '\r') {
			t.Fatalf("accepted memo %q", a.Memo)
		}
		if !kr.ValidPhone(a.Phone) || kr.Phone(a.Phone) != a.Phone || strings.Trim(a.Phone, "0123456789-") != "" {
			t.Fatalf("accepted phone %q", a.Phone)
		}
		if len(a.Postcode) != 5 || strings.Trim(a.Postcode, "0123456789") != "" {
			t.Fatalf("accepted postcode %q", a.Postcode)
		}
	})
}
