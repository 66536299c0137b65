package web

import (
	"fmt"
	"html/template"

	"github.com/dure-coop/dure/internal/catalog"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/settlement"
	"github.com/dure-coop/dure/internal/web/view"
)

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"won":      kr.Won,
		"pct":      settlement.Percent,
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
		"cards":       view.CardsHTML,
		"plainText":   view.PlainText,
		"dict":        dict,
	}
}

// dict builds a map from key, value pairs, to pass several values to a
// partial ({{template "admin-field" (dict "ID" "name" "Value" .F.Name)}}).
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
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
