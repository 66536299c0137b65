package view

import (
	"io"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestCSVBytes(t *testing.T) {
	got := string(CSVBytes([][]string{{"검색어", "수"}, {CSVSafe("=1+1"), "3"}, {`쉼표, "따옴표"`, CSVSafe("-")}}))
	want := "\ufeff검색어,수\n'=1+1,3\n\"쉼표, \"\"따옴표\"\"\",'-\n"
	if got != want {
		t.Errorf("CSVBytes = %q, want %q", got, want)
	}
	if CSVSafe("사과") != "사과" || CSVSafe("") != "" {
		t.Error("CSVSafe changed a harmless cell")
	}
}

func TestSendCSV(t *testing.T) {
	app := fiber.New()
	app.Get("/x.csv", func(c *fiber.Ctx) error { return SendCSV(c, "dure-x.csv", CSVBytes([][]string{{"a"}})) })
	app.Get("/x.xlsx", func(c *fiber.Ctx) error { return SendXLSX(c, "dure-x.xlsx", []byte("PK")) })
	for path, ct := range map[string]string{"/x.csv": "text/csv; charset=utf-8", "/x.xlsx": XLSXType} {
		resp, err := app.Test(httptest.NewRequest("GET", path, nil))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Content-Type") != ct || resp.Header.Get("Cache-Control") != "no-store" ||
			resp.Header.Get("Content-Disposition") != `attachment; filename="dure-x`+path[2:]+`"` {
			t.Errorf("%s: headers %v", path, resp.Header)
		}
		if len(body) == 0 {
			t.Errorf("%s: empty body", path)
		}
	}
}
