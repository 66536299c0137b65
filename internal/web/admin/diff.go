package admin

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/view"
)

// change is one field of an audit entry that changed: its label and its
// value before and after, readable ("(없음)" when it had none).
type change struct {
	Label, Before, After string
}

// diff lists the fields whose values differ between the JSON of an audit
// entry's before and after, in the order the after (then the before) has
// them. Values that are not objects are compared as a whole. Timestamps,
// ids and the nested enterprise and category of a product are left out:
// they change with everything or say nothing an operator reads.
func diff(entity string, before, after json.RawMessage) []change {
	bk, bv := object(before)
	ak, av := object(after)
	if bv == nil && ak == nil && len(before)+len(after) > 0 { // not objects
		if !sameJSON(before, after) {
			return []change{{Label: "값", Before: readable(entity, "", before), After: readable(entity, "", after)}}
		}
		return nil
	}
	var out []change
	seen := map[string]bool{}
	keys := append(append([]string{}, ak...), bk...)
	// The status first: it is what most entries are about.
	sort.SliceStable(keys, func(i, j int) bool { return norm(keys[i]) == "status" && norm(keys[j]) != "status" })
	for _, k := range keys {
		if seen[k] || skipField(k, av[k], bv[k]) {
			continue
		}
		seen[k] = true
		b, a := bv[k], av[k]
		if sameJSON(b, a) {
			continue
		}
		c := change{Label: fieldLabel(k), Before: readable(entity, k, b), After: readable(entity, k, a)}
		if c.Before != c.After { // an empty list and none read the same
			out = append(out, c)
		}
	}
	return out
}

// object decodes a JSON object into its keys, in order, and their raw
// values; nil for anything else.
func object(raw json.RawMessage) ([]string, map[string]json.RawMessage) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil
	}
	var keys []string
	vals := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil
		}
		if _, dup := vals[k]; !dup {
			keys = append(keys, k)
		}
		vals[k] = v
	}
	return keys, vals
}

// sameJSON reports whether two JSON values are equal (a missing value
// equals null).
func sameJSON(a, b json.RawMessage) bool {
	return bytes.Equal(canonical(a), canonical(b))
}

func canonical(raw json.RawMessage) []byte {
	if len(raw) == 0 {
		return []byte("null")
	}
	var v any // numbers as float64: 1 and 1.0 are the same, and ids and won stay far below 2^53
	if err := json.Unmarshal(raw, &v); err != nil {
		return raw
	}
	out, err := json.Marshal(v) // maps come out with sorted keys
	if err != nil {
		return raw
	}
	return out
}

// norm is a field name without case and underscores: "ConsumerPrice" and
// "consumer_price" are the same field.
func norm(k string) string { return strings.ToLower(strings.ReplaceAll(k, "_", "")) }

// skipField leaves out what changes with every write or nests a whole other
// record.
func skipField(k string, a, b json.RawMessage) bool {
	switch norm(k) {
	case "id", "externalid", "createdat", "updatedat", "productcount":
		return true
	case "enterprise", "category":
		isObj := func(r json.RawMessage) bool { return len(r) > 0 && r[0] == '{' }
		return isObj(a) || isObj(b)
	}
	return false
}

var fieldLabels = map[string]string{
	"status": "상태", "name": "이름", "code": "상품코드", "summary": "요약", "description": "설명", "unit": "단위",
	"taxtype": "과세 구분", "consumerprice": "소비자가", "publicprice": "공공기관가", "stock": "재고",
	"featured": "추천 상품", "popularity": "인기도", "options": "옵션", "images": "이미지", "categoryid": "카테고리 번호",
	"kind": "종류", "reason": "사유", "rejectionreason": "반려 사유", "reviewproducts": "상품 승인 필요",
	"enterpriseid": "기업 번호", "email": "이메일", "role": "역할", "memberrole": "구성원 역할", "extraprice": "추가 금액",
	"url": "주소", "alt": "대체 텍스트", "thumburl": "작은 이미지", "type": "기업 유형", "region": "지역",
	"businessnumber": "사업자등록번호", "certnumber": "인증·지정 번호", "certvaliduntil": "인증 유효 기간",
	"representative": "대표자", "phone": "전화", "address": "주소", "mission": "사회적 가치(미션)", "shipping": "배송비",
	"fee": "배송비", "freethreshold": "무료 배송 기준", "remotesurcharge": "도서산간 추가 배송비", "prefix": "키 앞부분",
	"userid": "회원 번호", "line": "줄", "expiresat": "만료",
}

func fieldLabel(k string) string {
	if l := fieldLabels[norm(k)]; l != "" {
		return l
	}
	return k
}

var enterpriseStatusLabel = map[string]string{"pending": "심사 대기", "active": "입점", "suspended": "정지", "rejected": "반려"}

// maxValue bounds a value's text; a long description is cut with "…".
const maxValue = 300

// readable renders a JSON value of field k for a person: text as it is,
// numbers with commas (won for prices), yes/no, statuses and types by their
// Korean names, times in Asia/Seoul, lists and records by their fields (in
// the record's order).
func readable(entity, k string, raw json.RawMessage) string {
	if len(raw) == 0 {
		return "(없음)"
	}
	return cut(value(entity, k, raw))
}

func value(entity, k string, raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "(없음)"
	}
	switch raw[0] {
	case '{':
		keys, vals := object(raw)
		var parts []string
		for _, kk := range keys {
			if v := vals[kk]; !skipField(kk, v, nil) && !bytes.Equal(v, []byte("null")) && !bytes.Equal(v, []byte(`""`)) {
				parts = append(parts, fieldLabel(kk)+" "+value(entity, kk, v))
			}
		}
		return strings.Join(parts, ", ")
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return string(raw)
		}
		if len(items) == 0 {
			return "(없음)"
		}
		parts := make([]string, len(items))
		for i, e := range items {
			parts[i] = value(entity, k, e)
		}
		return strings.Join(parts, " / ")
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return string(raw)
	}
	switch x := v.(type) {
	case bool:
		if x {
			return "예"
		}
		return "아니요"
	case json.Number:
		n, err := x.Int64()
		if err != nil {
			return x.String()
		}
		switch norm(k) {
		case "consumerprice", "publicprice", "extraprice", "fee", "freethreshold", "remotesurcharge":
			return kr.Won(n)
		}
		return kr.Comma(n)
	case string:
		return text(entity, k, x)
	}
	return "(없음)" // null
}

// text renders a string value: the Korean name of a status, type, region,
// tax type or kind, a time in Asia/Seoul, or the text itself.
func text(entity, k, s string) string {
	if s == "" {
		return "(빈 값)"
	}
	switch norm(k) {
	case "status":
		if entity == "enterprise" {
			if l := enterpriseStatusLabel[s]; l != "" {
				return l
			}
		} else if l := catalog.ProductStatusLabel(s); l != "" {
			return l
		}
	case "type":
		if t := catalog.EnterpriseType(s); t.Valid() {
			return t.Label()
		}
	case "region":
		if r := catalog.Region(s); r.Valid() {
			return r.Label()
		}
	case "taxtype":
		if t := catalog.TaxType(s); t.Valid() {
			return t.Label()
		}
	case "kind":
		if kk := catalog.Kind(s); kk.Valid() {
			return kk.Label()
		}
	case "businessnumber":
		return kr.FormatBusinessNumber(s)
	}
	if len(s) >= 20 && s[4] == '-' && s[10] == 'T' {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return view.FormatDateTime(t)
		}
	}
	return s
}

func cut(s string) string {
	if utf8.RuneCountInString(s) <= maxValue {
		return s
	}
	r := []rune(s)
	return string(r[:maxValue]) + "…"
}
