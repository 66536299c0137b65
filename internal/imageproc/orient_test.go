package imageproc

import (
	"encoding/binary"
	"testing"
)

// app1 wraps a TIFF body as a JPEG with one APP1 Exif segment.
func app1(tiff []byte) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xE1}
	b = binary.BigEndian.AppendUint16(b, uint16(len(tiff)+8))
	b = append(b, "Exif\x00\x00"...)
	return append(append(b, tiff...), 0xFF, 0xDA, 0, 2)
}

// tiff is a TIFF header and one IFD entry.
func tiff(bo binary.AppendByteOrder, mark string, off uint32, count, tag, typ, value uint16) []byte {
	b := []byte(mark)
	b = bo.AppendUint16(b, 42)
	b = bo.AppendUint32(b, off)
	b = bo.AppendUint16(b, count)
	b = bo.AppendUint16(b, tag)
	b = bo.AppendUint16(b, typ)
	b = bo.AppendUint32(b, 1)
	b = bo.AppendUint16(b, value)
	return append(b, 0, 0, 0, 0, 0, 0)
}

func TestJPEGOrientation(t *testing.T) {
	t.Parallel()
	le, be := binary.LittleEndian, binary.BigEndian
	full := app1(tiff(be, "MM", 8, 1, 0x0112, 3, 6))
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"big-endian", full, 6},
		{"little-endian", app1(tiff(le, "II", 8, 1, 0x0112, 3, 8)), 8},
		{"after other segments", append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 'J', 'F'}, full[2:]...), 6},
		{"no EXIF", []byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2}, 1},
		{"not a JPEG", []byte("\x89PNG\r\n\x1a\n"), 1},
		{"empty", nil, 1},
		{"other tag", app1(tiff(be, "MM", 8, 1, 0x0110, 3, 6)), 1},
		{"not a SHORT", app1(tiff(be, "MM", 8, 1, 0x0112, 4, 6)), 1},
		{"value out of range", app1(tiff(be, "MM", 8, 1, 0x0112, 3, 9)), 1},
		{"bad byte order", app1(tiff(be, "XX", 8, 1, 0x0112, 3, 6)), 1},
		{"IFD offset past the end", app1(tiff(be, "MM", 0xFFFFFFF0, 1, 0x0112, 3, 6)), 1},
		{"IFD offset inside the header", app1(tiff(be, "MM", 2, 1, 0x0112, 3, 6)), 1},
		{"entry count past the end", app1(tiff(be, "MM", 8, 0xFFFF, 0x0110, 3, 6)), 1},
		{"segment length past the end", full[:len(full)-10], 1},
		{"segment length too small", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 1, 0, 0}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jpegOrientation(tt.data); got != tt.want {
				t.Fatalf("jpegOrientation = %d, want %d", got, tt.want)
			}
		})
	}
}

// FuzzJPEGOrientation checks that no metadata makes the reader panic or
// answer outside 1 to 8.
func FuzzJPEGOrientation(f *testing.F) {
	f.Add(app1(tiff(binary.BigEndian, "MM", 8, 1, 0x0112, 3, 6)))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF})
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

func TestFit(t *testing.T) {
	t.Parallel()
	tests := []struct{ w, h, side, ww, wh int }{
		{100, 50, 400, 100, 50},
		{400, 400, 400, 400, 400},
		{800, 400, 400, 400, 200},
		{400, 800, 400, 200, 400},
		{3000, 2000, 1600, 1600, 1067},
		{8000, 1, 400, 400, 1},
		{1, 8000, 400, 1, 400},
	}
	for _, tt := range tests {
		if w, h := fit(tt.w, tt.h, tt.side); w != tt.ww || h != tt.wh {
			t.Errorf("fit(%d, %d, %d) = %d, %d; want %d, %d", tt.w, tt.h, tt.side, w, h, tt.ww, tt.wh)
		}
	}
}

func TestSizeLabel(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{10 << 20: "10MB", 1 << 20: "1MB", 500 << 10: "500KB", 1500 << 10: "1500KB", 999: "999바이트"} {
		if got := sizeLabel(n); got != want {
			t.Errorf("sizeLabel(%d) = %q, want %q", n, got, want)
		}
	}
}
