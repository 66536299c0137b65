package order

import (
	"strings"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/textin"
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

// Normalize trims every field, makes the memo's line breaks LF and formats
// the phone number with hyphens.
func (a *Address) Normalize() {
	for _, f := range []*string{&a.Recipient, &a.Phone, &a.Postcode, &a.Road, &a.Detail, &a.Memo} {
		*f = strings.TrimSpace(*f)
	}
	a.Memo = textin.NormalizeNewlines(a.Memo)
	a.Phone = kr.Phone(a.Phone)
}

// The address's text fields (textin's rule: valid UTF-8, no control
// characters but the memo's line breaks, limits in characters).
var (
	recipientRule = textin.Rule{Label: "받는 분 이름", Required: true, Max: 30}
	roadRule      = textin.Rule{Label: "도로명주소", Required: true, Max: 200}
	detailRule    = textin.Rule{Label: "상세주소", Max: 100}
	memoRule      = textin.Rule{Label: "배송 메모", Max: 100, Multiline: true}
)

// Validate reports every wrong field at once, in Korean, as apperr.Invalid with
// Fields keyed recipient, phone, postcode, road, detail, memo. Call
// Normalize first.
func (a Address) Validate() error {
	f := map[string]string{}
	for key, c := range map[string]struct {
		rule textin.Rule
		s    string
	}{"recipient": {recipientRule, a.Recipient}, "road": {roadRule, a.Road}, "detail": {detailRule, a.Detail}, "memo": {memoRule, a.Memo}} {
		if msg := c.rule.Message(c.s); msg != "" {
			f[key] = msg
		}
	}
	if a.Phone == "" {
		f["phone"] = "연락처를 입력해 주세요."
	} else if !kr.ValidPhone(a.Phone) {
		f["phone"] = "연락처는 010-1234-5678 형식으로 입력해 주세요."
	}
	if !isDigits(a.Postcode, 5) {
		f["postcode"] = "우편번호는 숫자 5자리입니다."
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
