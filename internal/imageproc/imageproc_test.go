package imageproc_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/blob"
	"github.com/dure-coop/dure/internal/imageproc"
)

// gradient is an opaque w×h picture with some detail, so that scaling has
// work to do.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x ^ y), 0xff})
		}
	}
	return img
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeGIF(t *testing.T, img *image.Paletted) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func paletted(w, h int, transparent bool) *image.Paletted {
	pal := color.Palette{color.RGBA{0xff, 0, 0, 0xff}, color.RGBA{0, 0, 0xff, 0xff}, color.RGBA{}}
	img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	for y := range h {
		for x := range w {
			img.SetColorIndex(x, y, uint8((x/10+y/10)%2))
		}
	}
	if transparent {
		img.SetColorIndex(0, 0, 2)
	}
	return img
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkImage decodes a stored rendition and checks that it is what it says.
func checkImage(t *testing.T, name string, im imageproc.Image, wantType string, w, h int) image.Image {
	t.Helper()
	if im.ContentType != wantType || http.DetectContentType(im.Data) != wantType {
		t.Fatalf("%s: type %s (content %s), want %s", name, im.ContentType, http.DetectContentType(im.Data), wantType)
	}
	img, format, err := image.Decode(bytes.NewReader(im.Data))
	if err != nil {
		t.Fatalf("%s: stored image does not decode: %v", name, err)
	}
	if "image/"+format != wantType {
		t.Fatalf("%s: decodes as %s", name, format)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h || im.Width != w || im.Height != h {
		t.Fatalf("%s: %dx%d (says %dx%d), want %dx%d", name, b.Dx(), b.Dy(), im.Width, im.Height, w, h)
	}
	return img
}

func TestProcessHappyPaths(t *testing.T) {
	t.Parallel()
	alpha := image.NewNRGBA(image.Rect(0, 0, 800, 600))
	for y := range 600 {
		for x := range 800 {
			alpha.SetNRGBA(x, y, color.NRGBA{0x20, 0x80, 0x40, uint8(x % 256)})
		}
	}
	tests := []struct {
		name         string
		data         []byte
		source       string
		out          string
		mainW, mainH int
		thW, thH     int
	}{
		{"large JPEG", encodeJPEG(t, gradient(2000, 1200)), "image/jpeg", "image/jpeg", 1600, 960, 400, 240},
		{"tall opaque PNG", encodePNG(t, gradient(500, 1800)), "image/png", "image/jpeg", 444, 1600, 111, 400},
		{"PNG with transparency", encodePNG(t, alpha), "image/png", "image/png", 800, 600, 400, 300},
		{"small GIF", encodeGIF(t, paletted(120, 80, false)), "image/gif", "image/jpeg", 120, 80, 120, 80},
		{"GIF with a transparent pixel", encodeGIF(t, paletted(500, 500, true)), "image/gif", "image/png", 500, 500, 400, 400},
		{"lossy WebP", readFile(t, "blue-purple-pink-large.normal-filter.lossy.webp"), "image/webp", "image/jpeg", 600, 400, 400, 267},
		{"lossless WebP with alpha", readFile(t, "gopher-doc.with-alpha.lossless.webp"), "image/webp", "image/png", 75, 100, 75, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := imageproc.Process(bytes.NewReader(tt.data), imageproc.DefaultMaxBytes)
			if err != nil {
				t.Fatal(err)
			}
			if res.Source != tt.source {
				t.Errorf("source = %s, want %s", res.Source, tt.source)
			}
			checkImage(t, "main", res.Main, tt.out, tt.mainW, tt.mainH)
			thumb := checkImage(t, "thumb", res.Thumb, tt.out, tt.thW, tt.thH)
			if tt.out == "image/png" && isOpaque(thumb) {
				t.Error("the transparency was lost")
			}
			if len(res.Hash) != 64 {
				t.Errorf("hash = %q", res.Hash)
			}
			main, th := res.Keys()
			for _, k := range []string{main, th} {
				if err := blob.ValidateKey(k); err != nil || !strings.HasPrefix(k, res.Hash[:2]+"/"+res.Hash) {
					t.Errorf("key %q: %v", k, err)
				}
			}
			if main == th || !strings.HasSuffix(main, res.Main.Ext()) {
				t.Errorf("keys %q, %q", main, th)
			}
		})
	}
}

func isOpaque(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}

func TestProcessRefusesWhatIsNotAnImage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
	}{
		{"empty", ""},
		{"text", "안녕하세요, 이것은 사진이 아닙니다."},
		{"HTML", "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"},
		{"SVG with script", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="10" height="10"/></svg>`},
		{"bare SVG", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`},
		{"PDF", "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"},
		{"BMP", "BM" + strings.Repeat("\x00", 60)},
		{"ZIP", "PK\x03\x04" + strings.Repeat("\x00", 30)},
		{"ELF", "\x7fELF" + strings.Repeat("\x00", 60)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := imageproc.Process(strings.NewReader(tt.data), imageproc.DefaultMaxBytes)
			if res != nil || apperr.Code(err) != apperr.Invalid || apperr.Message(err) != "JPG, PNG, GIF, WebP 이미지만 올릴 수 있습니다." {
				t.Fatalf("Process = %v, %v; want the type refusal", res, err)
			}
		})
	}
}

// Image magic followed by garbage is sniffed as an image but cannot be read.
func TestProcessRefusesBrokenImages(t *testing.T) {
	t.Parallel()
	good := encodePNG(t, gradient(50, 50))
	for name, data := range map[string][]byte{
		"PNG magic only":  []byte("\x89PNG\r\n\x1a\n<script>alert(1)</script>"),
		"truncated PNG":   good[:len(good)/2],
		"JPEG magic only": []byte("\xff\xd8\xff\xe0<html><script>alert(1)</script>"),
		"GIF magic only":  []byte("GIF89a<script>alert(1)</script>"),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := imageproc.Process(bytes.NewReader(data), imageproc.DefaultMaxBytes); apperr.Code(err) != apperr.Invalid {
				t.Fatalf("Process = %v, want Invalid", err)
			}
		})
	}
}

// countingReader yields endless bytes and counts those read.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	clear(p)
	c.n += int64(len(p))
	return len(p), nil
}

func TestProcessRefusesTooLargeReadingNoMore(t *testing.T) {
	t.Parallel()
	r := &countingReader{}
	_, err := imageproc.Process(r, imageproc.DefaultMaxBytes)
	if apperr.Code(err) != apperr.Invalid || apperr.Message(err) != "이미지는 10MB 이하만 올릴 수 있습니다." {
		t.Fatalf("Process = %v, want the size refusal", err)
	}
	if r.n != imageproc.DefaultMaxBytes+1 {
		t.Fatalf("read %d bytes, want maxBytes+1 = %d", r.n, imageproc.DefaultMaxBytes+1)
	}

	// A real image one byte over a limit is refused; at the limit it passes.
	data := encodePNG(t, gradient(64, 64))
	if _, err := imageproc.Process(bytes.NewReader(data), int64(len(data)-1)); apperr.Code(err) != apperr.Invalid ||
		!strings.Contains(apperr.Message(err), "이하만") {
		t.Fatalf("one byte over: %v", err)
	}
	if _, err := imageproc.Process(bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
}

// chunk is a PNG chunk with its CRC.
func chunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// withPNGChunk inserts a chunk before a PNG's IEND.
func withPNGChunk(p []byte, c []byte) []byte {
	iend := len(p) - 12
	return append(append(append([]byte{}, p[:iend]...), c...), p[iend:]...)
}

// withJPEGSegment inserts a segment (marker and payload) after a JPEG's SOI.
func withJPEGSegment(j []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	seg = append(seg, payload...)
	return append(append(append([]byte{}, j[:2]...), seg...), j[2:]...)
}

// Polyglots: images carrying markup after their end or in their metadata
// are accepted, and the stored files carry none of it.
func TestProcessNeutralisesPolyglots(t *testing.T) {
	t.Parallel()
	const payload = `<html><body><script>alert("polyglot-XSS")</script></body></html>`
	pngData := encodePNG(t, gradient(300, 200))
	jpegData := encodeJPEG(t, gradient(300, 200))
	clean := map[bool]string{} // the hash of the clean upload, by PNG or not
	for isPNG, data := range map[bool][]byte{true: pngData, false: jpegData} {
		res, err := imageproc.Process(bytes.NewReader(data), imageproc.DefaultMaxBytes)
		if err != nil {
			t.Fatal(err)
		}
		clean[isPNG] = res.Hash
	}
	for name, data := range map[string][]byte{
		"PNG with HTML appended":     append(append([]byte{}, pngData...), payload...),
		"PNG with HTML in tEXt":      withPNGChunk(pngData, chunk("tEXt", []byte("Comment\x00"+payload))),
		"JPEG with HTML appended":    append(append([]byte{}, jpegData...), payload...),
		"JPEG with HTML in COM":      withJPEGSegment(jpegData, 0xFE, []byte(payload)),
		"JPEG with HTML in APP1 XMP": withJPEGSegment(jpegData, 0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00"+payload)),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if !bytes.Contains(data, []byte("polyglot-XSS")) {
				t.Fatal("the test upload lacks its payload")
			}
			res, err := imageproc.Process(bytes.NewReader(data), imageproc.DefaultMaxBytes)
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			// The same pixels make the same files, payload or not.
			if res.Hash != clean[strings.HasPrefix(name, "PNG")] {
				t.Error("the stored image differs from the clean upload's")
			}
			for _, im := range []imageproc.Image{res.Main, res.Thumb} {
				for _, trace := range []string{"polyglot", "<script", "<html", "alert("} {
					if bytes.Contains(bytes.ToLower(im.Data), []byte(trace)) {
						t.Errorf("the stored %s keeps %q", im.ContentType, trace)
					}
				}
			}
		})
	}
}

// hugePNG is a valid PNG of a few dozen bytes whose header claims w×h.
func hugePNG(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB
	// A tiny zlib stream (one empty stored block), as a bomb would start.
	idat := []byte{0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01}
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, chunk("IHDR", ihdr)...)
	b = append(b, chunk("IDAT", idat)...)
	return append(b, chunk("IEND", nil)...)
}

// hugeJPEG is a small real JPEG whose frame header is changed to claim w×h.
func hugeJPEG(t *testing.T, w, h uint16) []byte {
	j := encodeJPEG(t, gradient(16, 16))
	i := bytes.Index(j, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0 in the encoded JPEG")
	}
	binary.BigEndian.PutUint16(j[i+5:], h)
	binary.BigEndian.PutUint16(j[i+7:], w)
	return j
}

// hugeGIF is a GIF header and screen descriptor claiming w×h.
func hugeGIF(w, h uint16) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	return append(b, 0, 0, 0, 0x3B)
}

// hugeWebP is a lossless WebP header (VP8L) claiming w×h (at most 16384).
func hugeWebP(w, h uint32) []byte {
	vp8l := binary.LittleEndian.AppendUint32([]byte{0x2f}, (w-1)|(h-1)<<14)
	body := append([]byte("WEBPVP8L"), binary.LittleEndian.AppendUint32(nil, uint32(len(vp8l)))...)
	body = append(append(body, vp8l...), 0) // padded to an even length
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

// hugeWebPX is an extended WebP header (VP8X) claiming a w×h canvas, which
// the decoder reports from that chunk alone.
func hugeWebPX(w, h uint32) []byte {
	vp8x := []byte{0, 0, 0, 0, byte(w - 1), byte((w - 1) >> 8), byte((w - 1) >> 16), byte(h - 1), byte((h - 1) >> 8), byte((h - 1) >> 16)}
	body := append([]byte("WEBPVP8X"), binary.LittleEndian.AppendUint32(nil, uint32(len(vp8x)))...)
	body = append(body, vp8x...)
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

// TestProcessRefusesHugeDimensionsBeforeDecoding checks decompression bombs
// of each type: refused from their header, without allocating for their
// pixels. Not parallel, so that the allocation count is this test's own.
func TestProcessRefusesHugeDimensionsBeforeDecoding(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"PNG 50000x50000", hugePNG(50000, 50000)},
		{"PNG 8001x10", hugePNG(imageproc.MaxSide+1, 10)},
		{"PNG 7000x7000, over the pixel count", hugePNG(7000, 7000)},
		{"JPEG 60000x60000", hugeJPEG(t, 60000, 60000)},
		{"GIF 65535x65535", hugeGIF(65535, 65535)},
		{"WebP 16384x16384", hugeWebP(16384, 16384)},
		{"extended WebP 40000x40000", hugeWebPX(40000, 40000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.data) > 1000 {
				t.Fatalf("the bomb is %d bytes; it should be tiny", len(tt.data))
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			res, err := imageproc.Process(bytes.NewReader(tt.data), imageproc.DefaultMaxBytes)
			runtime.ReadMemStats(&after)
			if res != nil || apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), "너무 큽니다") {
				t.Fatalf("Process = %v, %v; want the dimension refusal", res, err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Fatalf("refusing allocated %d bytes", n)
			}
		})
	}
}

// exifOrientation is an APP1 payload with only an orientation tag.
func exifOrientation(o uint16) []byte {
	b := []byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08")
	b = binary.BigEndian.AppendUint16(b, 1)     // one entry
	b = append(b, 0x01, 0x12, 0, 3, 0, 0, 0, 1) // orientation, SHORT, count 1
	b = binary.BigEndian.AppendUint16(b, o)     // value
	b = append(b, 0, 0)                         // padding of the value
	return binary.BigEndian.AppendUint32(b, 0)  // no next IFD
}

// TestProcessAppliesEXIFOrientation stores a 200×100 photo in quadrants
// (red, green / blue, white) under each orientation and checks where each
// quadrant's colour lands.
func TestProcessAppliesEXIFOrientation(t *testing.T) {
	t.Parallel()
	red, green, blue, white := color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 255, 0, 255}, color.NRGBA{0, 0, 255, 255}, color.NRGBA{255, 255, 255, 255}
	src := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	for y := range 100 {
		for x := range 200 {
			c := [2][2]color.NRGBA{{red, green}, {blue, white}}[y/50][x/100]
			src.SetNRGBA(x, y, c)
		}
	}
	photo := encodeJPEG(t, src)
	tests := []struct {
		o              uint16
		tl, tr, bl, br color.NRGBA
	}{
		{1, red, green, blue, white},
		{2, green, red, white, blue},
		{3, white, blue, green, red},
		{4, blue, white, red, green},
		{5, red, blue, green, white},
		{6, blue, red, white, green},
		{7, white, green, blue, red},
		{8, green, white, red, blue},
	}
	for _, tt := range tests {
		res, err := imageproc.Process(bytes.NewReader(withJPEGSegment(photo, 0xE1, exifOrientation(tt.o))), imageproc.DefaultMaxBytes)
		if err != nil {
			t.Fatalf("orientation %d: %v", tt.o, err)
		}
		w, h := 200, 100
		if tt.o >= 5 {
			w, h = 100, 200
		}
		img := checkImage(t, "main", res.Main, "image/jpeg", w, h)
		for _, c := range []struct {
			x, y int
			want color.NRGBA
		}{{5, 5, tt.tl}, {w - 6, 5, tt.tr}, {5, h - 6, tt.bl}, {w - 6, h - 6, tt.br}} {
			if got := img.At(c.x, c.y); !near(got, c.want) {
				t.Errorf("orientation %d: pixel (%d,%d) = %v, want %v", tt.o, c.x, c.y, got, c.want)
			}
		}
	}
}

// near compares colours loosely, as JPEG keeps them.
func near(c color.Color, want color.NRGBA) bool {
	r, g, b, _ := c.RGBA()
	for _, p := range [][2]uint32{{r >> 8, uint32(want.R)}, {g >> 8, uint32(want.G)}, {b >> 8, uint32(want.B)}} {
		if d := int(p[0]) - int(p[1]); d > 40 || d < -40 {
			return false
		}
	}
	return true
}
