package view

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime"

	"github.com/gofiber/fiber/v2"
)

// XLSXType is the media type of an Excel workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// SendCSV answers body as a CSV download named name (ASCII, no quotes),
// never cached: the one CSV sender of the portal and the console.
func SendCSV(c *fiber.Ctx, name string, body []byte) error {
	return sendFile(c, "text/csv; charset=utf-8", name, body)
}

// SendXLSX answers body as an Excel workbook download named name.
func SendXLSX(c *fiber.Ctx, name string, body []byte) error {
	return sendFile(c, XLSXType, name, body)
}

func sendFile(c *fiber.Ctx, contentType, name string, body []byte) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}

// CSVBytes writes records as CSV in UTF-8 with a byte-order mark, so that
// Excel reads the Korean. Cells are written as given: pass text a person
// typed through CSVSafe.
func CSVBytes(records [][]string) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	_ = w.WriteAll(records) // a bytes.Buffer does not fail
	return b.Bytes()
}

// CSVSafe keeps a spreadsheet from reading a cell as a formula.
func CSVSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

// SendStored answers an uploaded file from the blob store as a download:
// its stored (checked, never the client's) content type, a
// Content-Disposition that carries any name safely (RFC 2231 for Korean),
// no sniffing, and revalidated on every request, since a file can stop
// being public. It closes rc.
func SendStored(c *fiber.Ctx, name, contentType string, rc io.ReadCloser) error {
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return err
	}
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disp == "" {
		disp = "attachment"
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, disp)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set("X-Content-Type-Options", "nosniff")
	return c.Send(data)
}
