// Package imageproc checks a product image uploaded from a browser and makes
// the files Dure stores from it: a main image and a thumbnail, always our own
// re-encoding of the decoded pixels. Nothing of the upload's bytes is kept,
// so a polyglot (an image with HTML or a script appended or hidden in its
// metadata) leaves nothing behind, and neither does its EXIF (GPS position).
//
// The type is told by the content alone, never by the file name or the
// Content-Type the browser sent. The declared dimensions are checked before
// any pixel is decoded, so a small file claiming a huge picture (a
// decompression bomb) is refused without allocating for it.
//
// Memory: decoding takes up to 8 bytes per pixel (a 16-bit PNG), about 320 MB
// at MaxPixels; the caller bounds how many uploads are processed at once.
package imageproc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"github.com/dure-coop/dure/internal/apperr"
)

// Limits and sizes.
const (
	// DefaultMaxBytes is the usual upload limit passed to Process.
	DefaultMaxBytes = 10 << 20
	// MaxSide and MaxPixels bound the dimensions an upload may declare.
	MaxSide   = 8000
	MaxPixels = 40_000_000
	// MainSide and ThumbSide are the longest sides of the stored images;
	// smaller images are not enlarged.
	MainSide  = 1600
	ThumbSide = 400
	// JPEGQuality is the quality of the stored JPEG files.
	JPEGQuality = 85
)

// Image is one stored rendition.
type Image struct {
	Data        []byte
	ContentType string // "image/jpeg" or "image/png"
	Width       int
	Height      int
}

// Ext returns the file extension for the image's type, with its dot.
func (im Image) Ext() string {
	if im.ContentType == "image/png" {
		return ".png"
	}
	return ".jpg"
}

// Result is what Process makes of an upload.
type Result struct {
	Main  Image
	Thumb Image
	// Source is the type the upload's content showed ("image/webp", ...).
	Source string
	// Hash is the hex SHA-256 of Main.Data: the same picture uploaded twice
	// gets the same keys.
	Hash string
}

// Keys returns the blob keys of the main image and the thumbnail:
// "<h[:2]>/<h>.jpg" and "<h[:2]>/<h>_t.jpg" (or .png), where h is Hash. The
// two-character folder keeps any one folder from growing too large.
func (r *Result) Keys() (main, thumb string) {
	dir := r.Hash[:2] + "/" + r.Hash
	return dir + r.Main.Ext(), dir + "_t" + r.Thumb.Ext()
}

// format is an accepted upload type.
type format struct {
	decodeConfig func(io.Reader) (image.Config, error)
	decode       func(io.Reader) (image.Image, error)
}

// formats are the accepted types, as http.DetectContentType names them.
var formats = map[string]format{
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/gif":  {gif.DecodeConfig, gif.Decode},
	"image/webp": {webp.DecodeConfig, webp.Decode},
}

// Process reads an uploaded image of at most maxBytes from r (reading no more
// than maxBytes+1 bytes), checks it and returns its main image and
// thumbnail. Opaque pictures are stored as JPEG, pictures with transparency
// as PNG; an animated GIF keeps its first frame, and an animated WebP is
// refused as unreadable (golang.org/x/image/webp decodes no animation). A
// JPEG's EXIF orientation is applied. Refusals are apperr.Invalid with a Korean message
// (too large, not a JPG/PNG/GIF/WebP, dimensions too large, unreadable); an
// error reading r is returned as it is.
func Process(r io.Reader, maxBytes int64) (*Result, error) {
	if maxBytes <= 0 {
		return nil, errors.New("imageproc: maxBytes must be positive")
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("imageproc: read upload: %w", err)
	}
	if int64(len(data)) > maxBytes {
		return nil, apperr.Errorf(apperr.Invalid, "이미지는 %s 이하만 올릴 수 있습니다.", sizeLabel(maxBytes))
	}
	source := http.DetectContentType(data)
	f, ok := formats[source]
	if !ok {
		return nil, apperr.Errorf(apperr.Invalid, "JPG, PNG, GIF, WebP 이미지만 올릴 수 있습니다.")
	}
	cfg, err := f.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, errUnreadable()
	}
	if !withinLimits(cfg.Width, cfg.Height) {
		return nil, errTooLarge()
	}
	src, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, errUnreadable()
	}
	// The decoder should make what the header said; the limits hold either way.
	b := src.Bounds()
	if b.Empty() || !withinLimits(b.Dx(), b.Dy()) {
		return nil, errUnreadable()
	}
	orientation := 1
	if source == "image/jpeg" {
		orientation = jpegOrientation(data)
	}
	opaque := isOpaque(src)

	w, h := b.Dx(), b.Dy()
	if orientation >= 5 {
		w, h = h, w
	}
	mw, mh := fit(w, h, MainSide)
	if orientation >= 5 {
		mw, mh = mh, mw // the size to scale to before turning
	}
	main := orient(scale(src, mw, mh), orientation)
	tw, th := fit(main.Rect.Dx(), main.Rect.Dy(), ThumbSide)
	thumb := scale(main, tw, th)

	res := &Result{Source: source}
	if res.Main, err = encode(main, opaque); err != nil {
		return nil, err
	}
	if res.Thumb, err = encode(thumb, opaque); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(res.Main.Data)
	res.Hash = hex.EncodeToString(sum[:])
	return res, nil
}

func withinLimits(w, h int) bool {
	return w > 0 && h > 0 && w <= MaxSide && h <= MaxSide && int64(w)*int64(h) <= MaxPixels
}

func errTooLarge() error {
	return apperr.Errorf(apperr.Invalid, "이미지가 너무 큽니다. 가로·세로 %d픽셀, %d만 화소 이하로 올려 주세요.",
		MaxSide, MaxPixels/10_000)
}

func errUnreadable() error {
	return apperr.Errorf(apperr.Invalid, "이미지 파일이 손상되었거나 읽을 수 없습니다. 다른 파일로 올려 주세요.")
}

// sizeLabel writes a byte limit as people read it: "10MB", "500KB".
func sizeLabel(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%dKB", n>>10)
	}
	return fmt.Sprintf("%d바이트", n)
}

// fit returns w×h scaled down so that its longer side is at most side.
func fit(w, h, side int) (int, int) {
	if w <= side && h <= side {
		return w, h
	}
	if w >= h {
		return side, max(1, (h*side+w/2)/w)
	}
	return max(1, (w*side+h/2)/h), side
}

// scale draws src into a new w×h RGBA image: a plain copy at the same size,
// Catmull-Rom otherwise (sharp, and it averages over the source pixels when
// shrinking a lot, so a thumbnail does not shimmer).
func scale(src image.Image, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	b := src.Bounds()
	if b.Dx() == w && b.Dy() == h {
		draw.Draw(dst, dst.Rect, src, b.Min, draw.Src)
	} else {
		draw.CatmullRom.Scale(dst, dst.Rect, src, b, draw.Src, nil)
	}
	return dst
}

// isOpaque reports whether img has no pixel with any transparency.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
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

// encode writes img as JPEG when opaque, else as PNG.
func encode(img *image.RGBA, opaque bool) (Image, error) {
	var buf bytes.Buffer
	im := Image{ContentType: "image/jpeg", Width: img.Rect.Dx(), Height: img.Rect.Dy()}
	var err error
	if opaque {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality})
	} else {
		im.ContentType = "image/png"
		err = png.Encode(&buf, img)
	}
	if err != nil {
		return Image{}, fmt.Errorf("imageproc: encode %s: %w", im.ContentType, err)
	}
	im.Data = buf.Bytes()
	return im, nil
}
