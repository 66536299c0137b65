package order

import (
	"strings"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
)

// Address is a Korean delivery address: 수령인, 연락처, 우편번호 (5 digits),
// 도로명주소, 상세주소 and a 배송 메모.
type Address struct {
	Recipient string
	Phone     string
	Postcode  string
	Road      string
	Detail    string
	Memo      string
}

// Normalize trims every field and formats the phone number with hyphens.
func (a *Address) Normalize() {
	for _, f := range []*string{&a.Recipient, &a.Phone, &a.Postcode, &a.Road, &a.Detail, &a.Memo} {
		*f = strings.TrimSpace(*f)
	}
	a.Phone = kr.Phone(a.Phone)
}

// Validate reports every wrong field at once, in Korean, as apperr.Invalid with
// Fields keyed recipient, phone, postcode, road, detail, memo.
func (a Address) Validate() error {
	f := map[string]string{}
	switch n := utf8.RuneCountInString(a.Recipient); {
	case n == 0:
		f["recipient"] = "받는 분 이름을 입력해 주세요."
	case n > 30:
		f["recipient"] = "받는 분 이름은 30자 이하로 입력해 주세요."
	}
	if a.Phone == "" {
		f["phone"] = "연락처를 입력해 주세요."
	} else if !kr.ValidPhone(a.Phone) {
		f["phone"] = "연락처는 010-1234-5678 형식으로 입력해 주세요."
	}
	if !isDigits(a.Postcode, 5) {
		f["postcode"] = "우편번호는 숫자 5자리입니다."
	}
	switch n := utf8.RuneCountInString(a.Road); {
	case n == 0:
		f["road"] = "도로명주소를 입력해 주세요."
	case n > 200:
		f["road"] = "도로명주소가 너무 깁니다."
	}
	if utf8.RuneCountInString(a.Detail) > 100 {
		f["detail"] = "상세주소는 100자 이하로 입력해 주세요."
	}
	if utf8.RuneCountInString(a.Memo) > 100 {
		f["memo"] = "배송 메모는 100자 이하로 입력해 주세요."
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "배송지 정보를 확인해 주세요.", Fields: f}
	}
	return nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
