package shop

import (
	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
)

// typeInfo explains one enterprise type on the home page and in badges.
type typeInfo struct {
	Type  catalog.EnterpriseType
	Label string
	About string
	URL   string
}

var typeAbout = map[catalog.EnterpriseType]string{
	catalog.SocialEnterprise:    "취약계층에게 일자리와 사회서비스를 제공하며 고용노동부의 인증을 받은 기업",
	catalog.PreSocialEnterprise: "사회적기업 인증을 준비하며 지자체·부처의 지정을 받은 기업",
	catalog.VillageEnterprise:   "마을 주민이 지역 자원을 활용해 함께 소득과 일자리를 만드는 기업",
	catalog.SelfSufficiency:     "저소득 주민이 함께 일하며 자립을 이루어 가는 기업",
	catalog.Cooperative:         "조합원이 함께 소유하고 민주적으로 운영하는 사업체",
	catalog.SocialCooperative:   "지역사회 공헌과 공익을 주된 목적으로 하는 비영리 협동조합",
}

func enterpriseTypeInfos() []typeInfo {
	out := make([]typeInfo, 0, len(catalog.EnterpriseTypes))
	for _, t := range catalog.EnterpriseTypes {
		out = append(out, typeInfo{Type: t, Label: t.Label(), About: typeAbout[t], URL: "/search?type=" + string(t)})
	}
	return out
}

// shippingLines describes an enterprise's delivery charge in Korean.
func shippingLines(kind catalog.Kind, sp catalog.ShippingPolicy) []string {
	if kind == catalog.Service {
		return []string{"배송 없음 (현장 제공 서비스)"}
	}
	var lines []string
	if sp.Fee == 0 {
		lines = append(lines, "무료배송")
	} else {
		lines = append(lines, "배송비 "+kr.Won(sp.Fee))
		if sp.FreeThreshold > 0 {
			lines = append(lines, kr.Won(sp.FreeThreshold)+" 이상 구매 시 무료배송")
		}
	}
	if sp.RemoteSurcharge > 0 {
		lines = append(lines, "제주/도서산간 +"+kr.Won(sp.RemoteSurcharge))
	}
	return lines
}
