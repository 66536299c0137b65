package catalog

import (
	"strings"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/textin"
)

// DirectorySort is the order of the public enterprise directory.
type DirectorySort string

// Directory orders.
const (
	// DirectoryByName orders by name in ㄱ-ㅎ order, ignoring a legal form in
	// front of it ((유), (주), 주식회사, 협동조합 …), as the database's
	// enterprises.sort_name keeps it.
	DirectoryByName DirectorySort = "name"
	// DirectoryNewest puts the enterprises that joined last first.
	DirectoryNewest DirectorySort = "newest"
)

// Label is the order's Korean name.
func (s DirectorySort) Label() string {
	if s == DirectoryNewest {
		return "최근 입점순"
	}
	return "이름순"
}

// DirectoryFilter selects the active enterprises the public directory
// (/enterprises, /api/v1/enterprises) lists. The filters combine.
type DirectoryFilter struct {
	Type   EnterpriseType // "" any type
	Region Region         // "" any region
	Query  string         // part of the name ("" any)
	Sort   DirectorySort
	Limit  int
	Offset int
}

// Directory is one page of the directory with the counts a social-economy
// centre publishes: per type and per region, each under the other active
// filters (the type counts follow the region and the name search, not the
// chosen type).
type Directory struct {
	Enterprises  []*Enterprise // with ProductCount
	Total        int           // enterprises matching every filter
	TypeCounts   map[EnterpriseType]int
	RegionCounts map[Region]int
}

var directoryQueryRule = textin.Rule{Label: "기업 이름 검색어", Max: 50}

// ParseDirectoryFilter reads a directory request's type, region, name
// search and order. An unknown type, region or order, or a search word
// that is too long or has control characters, is apperr.Invalid with a
// Korean message (Fields named after the parameters).
func ParseDirectoryFilter(typ, region, q, sort string) (DirectoryFilter, error) {
	f := DirectoryFilter{Type: EnterpriseType(strings.TrimSpace(typ)), Region: Region(strings.TrimSpace(region)),
		Query: strings.TrimSpace(q), Sort: DirectorySort(strings.TrimSpace(sort))}
	fields := apperr.Fields{}
	if f.Type != "" && !f.Type.Valid() {
		fields["type"] = "기업 유형을 목록에서 골라 주세요."
	}
	if f.Region != "" && !f.Region.Valid() {
		fields["region"] = "지역을 목록에서 골라 주세요."
	}
	switch f.Sort {
	case "":
		f.Sort = DirectoryByName
	case DirectoryByName, DirectoryNewest:
	default:
		fields["sort"] = "정렬은 이름순이나 최근 입점순으로 골라 주세요."
	}
	if msg := directoryQueryRule.Message(f.Query); msg != "" {
		fields["q"] = msg
	}
	if len(fields) > 0 {
		for _, k := range []string{"type", "region", "sort", "q"} {
			if m := fields[k]; m != "" {
				return f, &apperr.Error{Code: apperr.Invalid, Message: m, Fields: fields}
			}
		}
	}
	return f, nil
}
