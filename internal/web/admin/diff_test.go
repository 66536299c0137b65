package admin

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestDiff(t *testing.T) {
	for _, tc := range []struct {
		name          string
		entity        string
		before, after string
		want          []change
	}{
		{"enterprise suspension", "enterprise",
			`{"ID":3,"Name":"햇살농원","Status":"active","UpdatedAt":"2026-03-02T09:00:00Z"}`,
			`{"ID":3,"Name":"햇살농원","Status":"suspended","UpdatedAt":"2026-03-02T10:00:00Z"}`,
			[]change{{"상태", "입점", "정지"}}},
		{"onboarding's snake_case, a field only after", "enterprise",
			`{"status":"pending","rejection_reason":""}`,
			`{"status":"rejected","rejection_reason":"서류가 흐립니다.","reason":"서류가 흐립니다."}`,
			[]change{{"상태", "심사 대기", "반려"}, {"반려 사유", "(빈 값)", "서류가 흐립니다."}, {"사유", "(없음)", "서류가 흐립니다."}}},
		{"product: prices in won, the nested enterprise left out", "product",
			`{"Name":"사과","ConsumerPrice":39000,"Stock":20,"Status":"active","Enterprise":{"ID":1,"Name":"A"},"Options":[]}`,
			`{"Name":"청송 사과","ConsumerPrice":41000,"Stock":20,"Status":"hidden","Enterprise":{"ID":1,"Name":"B"},"Options":null}`,
			[]change{{"상태", "판매중", "운영자 숨김"}, {"이름", "사과", "청송 사과"}, {"소비자가", "39,000원", "41,000원"}}},
		{"options as lists of records", "product",
			`{"Options":[{"ID":1,"Name":"5kg","ExtraPrice":0,"Stock":3}]}`,
			`{"Options":[{"ID":1,"Name":"5kg","ExtraPrice":0,"Stock":2},{"ID":0,"Name":"10kg","ExtraPrice":20000,"Stock":1}]}`,
			[]change{{"옵션", "이름 5kg, 추가 금액 0원, 재고 3", "이름 5kg, 추가 금액 0원, 재고 2 / 이름 10kg, 추가 금액 20,000원, 재고 1"}}},
		{"a creation: every field after", "product", ``, `{"Name":"새 상품","Featured":false,"Kind":"service"}`,
			[]change{{"이름", "(없음)", "새 상품"}, {"추천 상품", "(없음)", "아니요"}, {"종류", "(없음)", "서비스"}}},
		{"a deletion", "member", `{"email":"a@b.kr","role":"staff"}`, ``,
			[]change{{"이메일", "a@b.kr", "(없음)"}, {"역할", "staff", "(없음)"}}},
		{"nothing changed", "product", `{"Stock":1}`, `{"Stock":1.0}`, nil},
		{"not objects", "user", `"a"`, `"b"`, []change{{"값", "a", "b"}}},
		{"times in Asia/Seoul", "enterprise", `{"CertValidUntil":null}`, `{"CertValidUntil":"2027-06-30T15:30:00Z"}`,
			[]change{{"인증 유효 기간", "(없음)", "2027.07.01 00:30"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := diff(tc.entity, json.RawMessage(tc.before), json.RawMessage(tc.after))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("diff =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestReadableCutsLongText(t *testing.T) {
	long := make([]rune, 400)
	for i := range long {
		long[i] = '가'
	}
	raw, _ := json.Marshal(string(long))
	got := []rune(readable("product", "Description", raw))
	if len(got) != maxValue+1 || got[maxValue] != '…' {
		t.Errorf("readable(400 characters) has %d characters, want %d and an ellipsis", len(got), maxValue+1)
	}
}

// A time in an audit entry reads as Seoul time (view.FormatDateTime; its
// zero and nil cases are view's TestFormatDateTime).
func TestDateTime(t *testing.T) {
	raw, _ := json.Marshal(time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC))
	if got := readable("product", "UpdatedAt", raw); got != "2026.03.03 00:04" {
		t.Errorf("readable(a UTC time) = %q, want the Seoul time 2026.03.03 00:04", got)
	}
}
