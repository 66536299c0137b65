package web

import (
	"html/template"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/view"
)

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"won":      kr.Won,
		"comma":    func(n any) string { return kr.Comma(toInt64(n)) },
		"date":     view.FormatDate,
		"datetime": view.FormatDateTime,
		"phone":    kr.Phone,
		"brn":      kr.FormatBusinessNumber,
		"typeLabel": func(t catalog.EnterpriseType) string {
			return t.Label()
		},
		"regionLabel": func(r catalog.Region) string { return r.Label() },
		"taxLabel":    func(t catalog.TaxType) string { return t.Label() },
		"kindLabel":   func(k catalog.Kind) string { return k.Label() },
		"highlight":   view.Highlight,
	}
}

func toInt64(n any) int64 {
	switch v := n.(type) {
	case int:
		return int64(v)
	case int32:
		return int64(v)
	case int64:
		return v
	case uint:
		return int64(v)
	default:
		return 0
	}
}
