package order

import (
	"net/url"
	"strings"

	"github.com/dure-coop/dure/internal/apperr"
)

// Courier is a Korean parcel company an enterprise ships with.
type Courier struct {
	Code string // stored in sub_orders.courier; never change one in use
	Name string // 택배사 이름
	// tracking is the public tracking page with {n} where the tracking
	// number goes.
	tracking string
}

// TrackingURL returns the courier's public tracking page for number, or ""
// when number is not a valid tracking number.
func (c Courier) TrackingURL(number string) string {
	n, err := NormalizeTrackingNumber(number)
	if err != nil || c.tracking == "" {
		return ""
	}
	return strings.Replace(c.tracking, "{n}", url.QueryEscape(n), 1)
}

// couriers are the domestic parcel companies, the most used first (the order
// of the portal's list). The pages are the ones each company links to from
// its own "배송조회"; a company that moves its page needs a new template here.
var couriers = []Courier{
	{"cj", "CJ대한통운", "https://trace.cjlogistics.com/next/tracking.html?wblNo={n}"},
	{"epost", "우체국택배", "https://service.epost.go.kr/trace.RetrieveDomRigiTraceList.comm?sid1={n}"},
	{"hanjin", "한진택배", "https://www.hanjin.com/kor/CMS/DeliveryMgr/WaybillResult.do?mCode=MN038&schLang=KR&wblnumText2={n}"},
	{"lotte", "롯데택배", "https://www.lotteglogis.com/home/reservation/tracking/linkView?InvNo={n}"},
	{"logen", "로젠택배", "https://www.ilogen.com/web/personal/trace/{n}"},
	{"kdexp", "경동택배", "https://kdexp.com/basicNewDelivery.kd?barcode={n}"},
	{"daesin", "대신택배", "https://www.ds3211.co.kr/freight/internalFreightSearch.ht?billno={n}"},
	{"ilyang", "일양로지스", "https://www.ilyanglogis.com/functionality/card_form_waybill.asp?hawb_no={n}"},
	{"hdexp", "합동택배", "https://hdexp.co.kr/basic_delivery.hd?barcode={n}"},
	{"cupost", "CU 편의점택배", "https://www.cupost.co.kr/postbox/delivery/localResult.cupost?invoice_no={n}"},
	{"cvsnet", "GS Postbox 택배", "https://www.cvsnet.co.kr/invoice/tracking.do?invoice_no={n}"},
}

// Couriers returns the parcel companies an enterprise may choose, in the
// order the portal lists them.
func Couriers() []Courier { return append([]Courier(nil), couriers...) }

// CourierByCode returns the courier with code, and whether there is one.
func CourierByCode(code string) (Courier, bool) {
	for _, c := range couriers {
		if c.Code == code {
			return c, true
		}
	}
	return Courier{}, false
}

// CourierName returns the Korean name of the courier with code, or code
// itself when it is not in the list.
func CourierName(code string) string {
	if c, ok := CourierByCode(code); ok {
		return c.Name
	}
	return code
}

// TrackingURL returns the public tracking page of number at the courier
// with courierCode, or "" when the courier is unknown or the number invalid.
func TrackingURL(courierCode, number string) string {
	c, ok := CourierByCode(courierCode)
	if !ok {
		return ""
	}
	return c.TrackingURL(number)
}

// NormalizeTrackingNumber returns a 운송장 번호 as its digits alone. It
// accepts digits with hyphens and spaces between them, 8 to 20 digits;
// anything else is apperr.Invalid.
func NormalizeTrackingNumber(s string) (string, error) {
	d := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == '-' || c == ' ':
		default:
			return "", errTrackingNumber()
		}
	}
	if len(d) < 8 || len(d) > 20 {
		return "", errTrackingNumber()
	}
	return string(d), nil
}

func errTrackingNumber() error {
	return apperr.Errorf(apperr.Invalid, "운송장 번호는 숫자 8~20자리로 입력해 주세요.")
}
