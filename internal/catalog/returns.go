package catalog

import (
	"strings"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/textin"
)

// ReturnAddress is where an enterprise takes back returns and exchanges
// (반품 주소): 우편번호, 도로명주소, 상세주소 and a contact for returns.
// The zero value means none is set.
type ReturnAddress struct {
	Postcode string
	Road     string
	Detail   string
	Phone    string // "" to use the enterprise's own
}

// IsZero reports whether no return address is set.
func (r ReturnAddress) IsZero() bool { return r == ReturnAddress{} }

// Normalize trims the fields and formats the phone (010-1234-5678).
func (r *ReturnAddress) Normalize() {
	for _, f := range []*string{&r.Postcode, &r.Road, &r.Detail, &r.Phone} {
		*f = strings.TrimSpace(*f)
	}
	r.Phone = kr.Phone(r.Phone)
}

var (
	returnRoadRule   = textin.Rule{Label: "도로명주소", Required: true, Max: 200}
	returnDetailRule = textin.Rule{Label: "상세주소", Max: 100}
)

// Validate reports every wrong field at once, in Korean, as apperr.Invalid
// with Fields keyed return_postcode, return_road, return_detail and
// return_phone. All empty is valid (unset). Call Normalize first.
func (r ReturnAddress) Validate() error {
	if r.IsZero() {
		return nil
	}
	f := map[string]string{}
	if msg := returnRoadRule.Message(r.Road); msg != "" {
		f["return_road"] = msg
	}
	if msg := returnDetailRule.Message(r.Detail); msg != "" {
		f["return_detail"] = msg
	}
	if !kr.ValidPostcode(r.Postcode) {
		f["return_postcode"] = "우편번호는 숫자 5자리입니다."
	}
	if r.Phone != "" && !kr.ValidPhone(r.Phone) {
		f["return_phone"] = "연락처는 053-123-4567 또는 010-1234-5678 형식으로 입력해 주세요."
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "반품 주소를 확인해 주세요.", Fields: f}
	}
	return nil
}

// ReturnTo is where the enterprise's returns go, as one line: its return
// address ("(41940) 대구광역시 중구 동덕로 115 3층") or, when none is set,
// its place of business.
func (e *Enterprise) ReturnTo() string {
	r := e.Return
	if r.IsZero() {
		return e.Address
	}
	s := "(" + r.Postcode + ") " + r.Road
	if r.Detail != "" {
		s += " " + r.Detail
	}
	return s
}

// ReturnPhone is the contact for returns: the return address's, or the
// enterprise's own.
func (e *Enterprise) ReturnPhone() string {
	if e.Return.Phone != "" {
		return e.Return.Phone
	}
	return e.Phone
}
