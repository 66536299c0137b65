package catalog_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
)

const (
	catFood   = `{"type":"category","id":"food","slug":"food","name":"식품","position":1}`
	catFruit  = `{"type":"category","id":"fruit","slug":"fruit","name":"과일","parent":"food"}`
	goodEnt   = `{"type":"enterprise","id":"e1","name":"햇살농원","enterprise_type":"social_enterprise","business_number":"220-81-62517","region":"daegu","representative":"김민준","phone":"05312345678","email":"a@example.com","cert_valid_until":"2027-06-30","shipping":{"fee":3000,"free_threshold":30000,"remote_surcharge":3000}}`
	goodApple = `{"type":"product","id":"p1","enterprise":"e1","category":"fruit","kind":"goods","name":"청송 꿀사과 5kg","tax_type":"exempt","consumer_price":45000,"public_price":42000,"stock":10}`
)

// product returns a good product line with fields replaced or added by
// extra, a JSON fragment such as `"stock":-1`.
func product(id, extra string) string {
	base := map[string]string{"type": `"product"`, "id": `"` + id + `"`, "enterprise": `"e1"`, "category": `"fruit"`,
		"kind": `"goods"`, "name": `"사과"`, "tax_type": `"exempt"`, "consumer_price": "45000", "public_price": "42000", "stock": "10"}
	order := []string{"type", "id", "enterprise", "category", "kind", "name", "tax_type", "consumer_price", "public_price", "stock"}
	var parts []string
	for _, kv := range splitFields(extra) {
		k, v, _ := strings.Cut(kv, ":")
		k = strings.Trim(k, `"`)
		if _, ok := base[k]; !ok {
			order = append(order, k)
		}
		base[k] = v
	}
	for _, k := range order {
		if base[k] != "-" {
			parts = append(parts, fmt.Sprintf("%q:%s", k, base[k]))
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// splitFields splits `"a":1,"b":[{"x":1,"y":2}]` at top-level commas.
func splitFields(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	depth, start, inStr := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' && (i == 0 || s[i-1] != '\\'):
			inStr = !inStr
		case inStr:
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func parse(t *testing.T, lines []string, existing *catalog.Existing) (*catalog.Batch, []catalog.RowError) {
	t.Helper()
	b, err := catalog.Parse(strings.NewReader(strings.Join(lines, "\n")), existing)
	if err == nil {
		return b, nil
	}
	var ie *catalog.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("Parse: %v, want *ImportError", err)
	}
	if b != nil {
		t.Error("Parse returned a batch with an error")
	}
	return nil, ie.Rows
}

func TestParseGoodFile(t *testing.T) {
	lines := []string{
		"# a comment",
		goodApple, // before its enterprise and category
		"",
		catFruit, // before its parent
		goodEnt,
		catFood,
		`{"type":"product","id":"p2","enterprise":"e1","category":"fruit","kind":"goods","name":"티셔츠","tax_type":"taxable","consumer_price":25000,"public_price":26000,"stock":5,"featured":true,"popularity":7,"status":"hidden","options":[{"code":"S","name":"S","stock":2},{"code":"M","name":"M","extra_price":1000,"stock":3}],"images":[{"url":"/media/u/a.png","alt":"앞"}]}`,
	}
	b, rows := parse(t, lines, nil)
	if rows != nil {
		t.Fatalf("good file reported %v", rows)
	}
	if len(b.Categories) != 2 || len(b.Enterprises) != 1 || len(b.Products) != 2 {
		t.Fatalf("batch = %d categories, %d enterprises, %d products", len(b.Categories), len(b.Enterprises), len(b.Products))
	}
	if b.Categories[0].ExternalID != "food" || b.Categories[1].ParentRef != "food" {
		t.Errorf("categories not parents first: %+v", b.Categories)
	}
	e := b.Enterprises[0]
	if e.Line != 5 || e.BusinessNumber != "2208162517" || e.Phone != "053-1234-5678" || e.Status != "active" ||
		e.CertValidUntil == nil || e.CertValidUntil.Format("2006-01-02") != "2027-06-30" || e.Shipping.FreeThreshold != 30000 {
		t.Errorf("enterprise = %+v", e)
	}
	p := b.Products[1]
	if p.Line != 7 || p.EnterpriseRef != "e1" || p.CategoryRef != "fruit" || p.PublicPrice != 26000 || !p.Featured ||
		p.Popularity != 7 || p.Status != "hidden" || len(p.Options) != 2 || p.Options[1].ExtraPrice != 1000 || len(p.Images) != 1 {
		t.Errorf("product = %+v", p)
	}
	if b.Products[0].Status != catalog.StatusActive || b.Products[0].Line != 2 {
		t.Errorf("defaults: %+v", b.Products[0])
	}
}

func TestParseBadRows(t *testing.T) {
	head := []string{catFood, catFruit, goodEnt} // lines 1–3; the bad row is line 4
	type want struct{ field, english string }
	tests := []struct {
		name string
		line string
		want []want
	}{
		{"not json", `{"type":"product",`, []want{{"", "not a JSON object"}}},
		{"array", `[1,2]`, []want{{"", "not a JSON object"}}},
		{"unknown type", `{"type":"shop","id":"x"}`, []want{{"type", "unknown type"}}},
		{"missing type", `{"id":"x"}`, []want{{"type", "is required"}}},
		{"unknown field", product("p9", `"colour":"red","pricee":1`), []want{{"colour", "unknown field"}, {"pricee", "unknown field"}}},
		{"fractional price", product("p9", `"consumer_price":12000.5`), []want{{"consumer_price", "JSON integer"}}},
		{"string price", product("p9", `"public_price":"12000"`), []want{{"public_price", "JSON integer"}}},
		{"exponent price", product("p9", `"public_price":1.2e4`), []want{{"public_price", "JSON integer"}}},
		{"zero price", product("p9", `"consumer_price":0`), []want{{"consumer_price", "greater than 0"}}},
		{"negative price", product("p9", `"public_price":-100`), []want{{"public_price", "greater than 0"}}},
		{"negative stock", product("p9", `"stock":-1`), []want{{"stock", "must not be negative"}}},
		{"missing stock", product("p9", `"stock":-`), []want{{"stock", "is required"}}},
		{"huge price", product("p9", `"consumer_price":99999999999999999999`), []want{{"consumer_price", "at most"}}},
		{"bad kind and tax", product("p9", `"kind":"thing","tax_type":"vat"`), []want{{"kind", "unknown kind"}, {"tax_type", "unknown tax type"}}},
		{"missing name", product("p9", `"name":"  "`), []want{{"name", "is required"}}},
		{"name not a string", product("p9", `"name":5`), []want{{"name", "must be a string"}}},
		{"bad status", product("p9", `"status":"sold"`), []want{{"status", "unknown status"}}},
		{"featured not bool", product("p9", `"featured":"yes"`), []want{{"featured", "true or false"}}},
		{"unknown enterprise", product("p9", `"enterprise":"nobody"`), []want{{"enterprise", "unknown enterprise"}}},
		{"unknown category", product("p9", `"category":"toys"`), []want{{"category", "unknown category"}}},
		{"duplicate id", product("p1", ``), []want{{"id", "duplicate product id"}}},
		{"id with space", product("p 9", ``), []want{{"id", "spaces"}}},
		{"options stock sum", product("p9", `"stock":10,"options":[{"code":"S","name":"S","stock":2},{"code":"M","name":"M","stock":3}]`),
			[]want{{"stock", "sum of the options' stock (5)"}}},
		{"bad options", product("p9", `"stock":2,"options":[{"code":"S","name":"S","stock":2},{"code":"S","name":"","stock":-1,"extra_price":1.5},7]`),
			[]want{{"options[1].name", "is required"}, {"options[1].extra_price", "JSON integer"}, {"options[1].stock", "must not be negative"}, {"options[1].code", "duplicate option code"}, {"options[2]", "JSON object"}}},
		{"options not array", product("p9", `"options":{"code":"S"}`), []want{{"options", "JSON array"}}},
		{"bad image", product("p9", `"images":[{"url":"javascript:alert(1)"},{"alt":"x"}]`), []want{{"images[0].url", "must start with"}, {"images[1].url", "is required"}}},
		{"image of another site", product("p9", `"images":[{"url":"https://cdn.example/a.png"}]`), []want{{"images[0].url", "Content-Security-Policy"}}},
		{"enterprise bad fields", `{"type":"enterprise","id":"e2","name":"가","enterprise_type":"company","business_number":"220-81-62518","region":"tokyo","representative":"","phone":"12345","email":"not-an-email","cert_valid_until":"2027/06/30","status":"closed","shipping":{"fee":-1,"free":0}}`,
			[]want{{"enterprise_type", "unknown enterprise type"}, {"cert_valid_until", "YYYY-MM-DD"}, {"business_number", "invalid business registration number"},
				{"region", "unknown region"}, {"representative", "is required"}, {"phone", "invalid phone"}, {"email", "invalid e-mail"},
				{"shipping.free", "unknown field"}, {"shipping.fee", "must not be negative"}, {"status", "unknown status"}}},
		{"enterprise missing everything", `{"type":"enterprise"}`,
			[]want{{"id", "is required"}, {"name", "is required"}, {"enterprise_type", "is required"}, {"business_number", "is required"}, {"region", "is required"}, {"representative", "is required"}}},
		{"duplicate business number", strings.Replace(strings.Replace(goodEnt, `"e1"`, `"e2"`, 1), "220-81-62517", "2208162517", 1),
			[]want{{"business_number", "already belongs to enterprise \"e1\""}}},
		{"category bad slug and parent", `{"type":"category","id":"veg","slug":"Veg Stuff","name":"채소","parent":"nowhere","position":1.5}`,
			[]want{{"slug", "lower-case"}, {"position", "JSON integer"}, {"parent", "unknown parent category"}}},
		{"duplicate slug", `{"type":"category","id":"veg","slug":"fruit","name":"채소"}`, []want{{"slug", "already used by category \"fruit\""}}},
		{"self parent", `{"type":"category","id":"veg","slug":"veg","name":"채소","parent":"veg"}`, []want{{"parent", "cycle: veg → veg"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := append(append([]string{}, head...), tt.line)
			if tt.name == "duplicate id" {
				lines = append(lines[:3], goodApple, tt.line) // p1 on line 4, again on line 5
			}
			_, rows := parse(t, lines, nil)
			wantLine := len(lines)
			if len(rows) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(rows), len(tt.want), joinRows(rows))
			}
			for i, w := range tt.want {
				r := rows[i]
				if r.Line != wantLine || r.Field != w.field || !strings.Contains(r.English, w.english) || r.Message == "" {
					t.Errorf("problem %d = %s, want line %d: %s: …%s…", i, r, wantLine, w.field, w.english)
				}
			}
		})
	}
}

func joinRows(rows []catalog.RowError) string {
	var s []string
	for _, r := range rows {
		s = append(s, r.String())
	}
	return strings.Join(s, "\n")
}

func TestParseReportsEveryBadRow(t *testing.T) {
	lines := []string{
		catFood,                         // 1
		product("p1", `"stock":-1`),     // 2: bad stock, unknown category "fruit" (defined on line 6) is fine
		"",                              // 3
		product("p2", `"enterprise":5`), // 4
		goodEnt,                         // 5
		catFruit,                        // 6
		`{"type":"category","id":"a","slug":"a","name":"가","parent":"b"}`, // 7
		`{"type":"category","id":"b","slug":"b","name":"나","parent":"a"}`, // 8
		`# {"type":"nonsense"}`,               // 9
		product("p3", `"name":"배"`),           // 10: good
		product("p4", `"name":"감","price":1`), // 11
	}
	_, rows := parse(t, lines, nil)
	got := joinRows(rows)
	want := []string{
		"line 2: stock: 재고는 0 이상 1,000,000 이하로 입력해 주세요. (must not be negative)",
		"line 4: enterprise: 문자열이어야 합니다 (must be a string)",
		"line 7: parent: 상위 카테고리가 순환합니다: a → b → a (category parents form a cycle: a → b → a)",
		"line 8: parent: 상위 카테고리가 순환합니다: b → a → b (category parents form a cycle: b → a → b)",
		"line 11: price: 알 수 없는 항목입니다 (unknown field)",
	}
	if got != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

func TestParseAgainstExisting(t *testing.T) {
	existing := &catalog.Existing{
		Enterprises: map[string]string{"old-ent": "2208162517"},
		Categories: map[string]catalog.ExistingCategory{
			"old-root": {Slug: "old-root"},
			"old-leaf": {Parent: "old-root", Slug: "old-leaf"},
		},
	}
	// Products may refer to what exists; the file's categories lay over the
	// existing tree.
	good := []string{
		product("p1", `"enterprise":"old-ent","category":"old-leaf"`),
		`{"type":"category","id":"new","slug":"new","name":"새","parent":"old-leaf"}`,
		// old-ent itself may keep its business number.
		strings.Replace(goodEnt, `"e1"`, `"old-ent"`, 1),
	}
	if _, rows := parse(t, good, existing); rows != nil {
		t.Fatalf("good file against existing reported:\n%s", joinRows(rows))
	}
	bad := []string{
		goodEnt, // 1: 220-81-62517 belongs to old-ent
		`{"type":"category","id":"old-root","slug":"old-root","name":"뿌리","parent":"old-leaf"}`, // 2: cycle through the database
		`{"type":"category","id":"x","slug":"old-leaf","name":"엑스"}`,                            // 3: slug taken
		product("p1", `"enterprise":"gone","category":"old-leaf"`),                              // 4
	}
	_, rows := parse(t, bad, existing)
	want := []string{
		`line 1: business_number: 사업자등록번호 220-81-62517는 이미 기업 "old-ent"에 등록되어 있습니다 (business number 220-81-62517 already belongs to enterprise "old-ent")`,
		`line 2: parent: 상위 카테고리가 순환합니다: old-root → old-leaf → old-root (category parents form a cycle: old-root → old-leaf → old-root)`,
		`line 3: slug: slug "old-leaf"는 이미 카테고리 "old-leaf"가 쓰고 있습니다 (slug "old-leaf" is already used by category "old-leaf")`,
		`line 4: enterprise: 기업 "gone"가 파일에도 데이터베이스에도 없습니다 (unknown enterprise "gone" (neither in the file nor in the database))`,
	}
	if got := joinRows(rows); got != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

func TestParseEdgeCases(t *testing.T) {
	t.Run("BOM and CRLF", func(t *testing.T) {
		b, err := catalog.Parse(strings.NewReader("\ufeff"+catFood+"\r\n"+catFruit+"\r\n"), nil)
		if err != nil || len(b.Categories) != 2 {
			t.Fatalf("Parse = %v, %v", b, err)
		}
	})
	t.Run("empty file", func(t *testing.T) {
		b, err := catalog.Parse(strings.NewReader("\n# nothing\n"), nil)
		if err != nil || len(b.Products) != 0 {
			t.Fatalf("Parse = %v, %v", b, err)
		}
	})
	t.Run("too long a line", func(t *testing.T) {
		long := `{"type":"category","id":"x","slug":"x","name":"` + strings.Repeat("가", 400_000) + `"}`
		_, rows := parse(t, []string{catFood, long}, nil)
		if len(rows) != 1 || rows[0].Line != 2 || !strings.Contains(rows[0].English, "too long") {
			t.Fatalf("problems = %v", rows)
		}
	})
	t.Run("invalid UTF-8", func(t *testing.T) {
		_, rows := parse(t, []string{catFood, "{\"type\":\"category\",\"name\":\"\xff\"}"}, nil)
		if len(rows) != 1 || rows[0].Line != 2 || !strings.Contains(rows[0].English, "UTF-8") {
			t.Fatalf("problems = %v", rows)
		}
	})
}

func TestImportErrorIsInvalid(t *testing.T) {
	_, err := catalog.Parse(strings.NewReader(product("p1", `"stock":-1`)), nil)
	if apperr.Code(err) != apperr.Invalid {
		t.Fatalf("Code = %q, want invalid", apperr.Code(err))
	}
	if msg := apperr.Message(err); !strings.Contains(msg, "3건") {
		t.Errorf("Message = %q", msg) // stock, unknown enterprise, unknown category
	}
}
