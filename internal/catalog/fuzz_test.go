package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/catalog"
)

// storable fails t when a string anywhere in v is one PostgreSQL would
// refuse (broken UTF-8 or a NUL: SQLSTATE 22021).
func storable(t *testing.T, what string, v any) {
	t.Helper()
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			if s := v.String(); !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Fatalf("%s%s = %q would reach the database", what, path, s)
			}
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(path+"."+v.Type().Field(i).Name, v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(path+"[]", v.Index(i))
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				walk(path+"{}", it.Key())
				walk(path+"{}", it.Value())
			}
		}
	}
	walk("", reflect.ValueOf(v))
}

// FuzzParse reads any line as a catalogue file (JSON Lines): no panic, an
// *ImportError (Invalid) or a batch whose every text PostgreSQL can store.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"type":"category","id":"c1","slug":"fruit","name":"과일"}`,
		`{"type":"enterprise","id":"e1","name":"햇살농원","enterprise_type":"cooperative","business_number":"220-81-62517","region":"seoul","representative":"김민준","mission":"줄\r\n바꿈"}`,
		`{"type":"product","id":"p1","enterprise":"e1","category":"c1","kind":"goods","name":"사과\u0000","tax_type":"exempt","consumer_price":1000,"public_price":900,"stock":1,"options":[{"name":"소","code":"S","extra_price":0,"stock":1}],"images":[{"url":"/a.png","alt":"\u001b"}]}`,
		"{\"type\":\"category\",\"id\":\"c\xff\",\"slug\":\"a\",\"name\":\"b\"}",
		"\xef\xbb\xbf# comment",
		`{"type":"product","id":"p","stock":1e400,"consumer_price":-0}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		b, err := catalog.Parse(bytes.NewReader(line), nil)
		if err != nil {
			var ie *catalog.ImportError
			if !errors.As(err, &ie) || apperr.Code(err) != apperr.Invalid {
				t.Fatalf("Parse: %v, want an *ImportError", err)
			}
			for _, r := range ie.Rows {
				storable(t, "row error", r) // the report is shown on a page
			}
			return
		}
		storable(t, "batch", b)
	})
}

// uploadStore is the little of a catalog.WriteStore that a CSV preview
// reads: one active enterprise (id 1), two categories, one product.
type uploadStore struct{ catalog.WriteStore }

func (uploadStore) FindManagedEnterprise(_ context.Context, id int64) (*catalog.Enterprise, error) {
	return &catalog.Enterprise{ID: id, Name: "햇살농원", Status: catalog.EnterpriseActive}, nil
}

func (uploadStore) FindCategories(context.Context) ([]*catalog.Category, error) {
	parent := int64(1)
	return []*catalog.Category{{ID: 1, Slug: "food", Name: "식품"}, {ID: 2, Slug: "fruit", Name: "과일·채소", ParentID: &parent}}, nil
}

func (uploadStore) FindEnterpriseProducts(_ context.Context, id int64) ([]*catalog.Product, error) {
	return []*catalog.Product{{ID: 10, EnterpriseID: id, CategoryID: 2, Kind: catalog.Goods, Name: "홍로 사과 3kg", Code: "A-100",
		TaxType: catalog.Exempt, ConsumerPrice: 32000, PublicPrice: 30000, Stock: 5, Status: catalog.StatusActive}}, nil
}

// FuzzCSVRow previews an upload of the template's header and any row (UTF-8
// or, when it is not, read as EUC-KR): no panic, the file's problems as row
// errors, and every row it would write storable.
func FuzzCSVRow(f *testing.F) {
	header := string(catalog.CSVTemplate())
	header = header[:strings.IndexByte(header, '\n')+1]
	for _, s := range []string{
		"A-100,홍로 사과 3kg,식품 > 과일·채소,상품,면세,\"32,000\",30000,5,3kg,맛있는 사과,\"줄\r\n바꿈\",소과:0:2; 대과:4000:3,/img/a.png,판매중",
		"A-1\x00,사과\x00,식품 > 과일·채소,상품,면세,1000,1000,1,,,,,,",
		"A-2,\xb0\xa1\xb3\xaa,식품 > 과일·채소,상품,과세,1000,1000,1,,,,,,", // EUC-KR
		"\"unterminated,1,2",
		"A-3,배,식품 > 과일·채소,상품,과세,1e9,-1,abc,,,,:::;;;,http://x y,판매중지",
	} {
		f.Add([]byte(s))
	}
	m := &catalog.Manager{Store: uploadStore{}}
	f.Fuzz(func(t *testing.T, row []byte) {
		file := append([]byte(header), row...)
		preview, err := m.PreviewUpload(member(1), 1, bytes.NewReader(file))
		if err != nil {
			if apperr.Code(err) != apperr.Invalid {
				t.Fatalf("PreviewUpload: %v, want Invalid or a preview", err)
			}
			return
		}
		storable(t, "problems", preview.Errors)
		for _, r := range preview.Rows {
			if len(r.Errors) == 0 {
				storable(t, "row", r) // it would be written
			}
		}
	})
}

// FuzzParseTiers: the quantity-price text of the portal form and the CSV
// column never panics, and what it reads, written back, reads the same.
func FuzzParseTiers(f *testing.F) {
	for _, s := range []string{"10:9000;50:8500", "1,000:9,000원", "10개:9000\n50:8500", ":", ";;", "10:", "99999999999999999999:1", "10:-5", "\x00:\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tiers, err := catalog.ParseTiers(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an empty error")
			}
			return
		}
		again, err := catalog.ParseTiers(catalog.FormatTiers(tiers))
		if err != nil || !reflect.DeepEqual(again, tiers) && len(tiers) > 0 {
			t.Fatalf("ParseTiers(%q) = %v; written back as %q it reads %v, %v", s, tiers, catalog.FormatTiers(tiers), again, err)
		}
	})
}
