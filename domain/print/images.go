package print

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"

	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/johnfercher/maroto/v2/pkg/consts/extension"

	"github.com/folio-mx/folio/domain"
)

// The PDF writer under maroto (gofpdf) embeds PNG only with 8 bits per
// channel and no interlacing; a PNG it cannot read puts the whole document
// in an error state (every later width measures 0). Images are therefore
// checked before they reach maroto.

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// pngHeader returns the bit depth and interlace method of a PNG's IHDR.
func pngHeader(b []byte) (depth, interlace byte, ok bool) {
	if len(b) < 33 || !bytes.HasPrefix(b, pngMagic) || string(b[12:16]) != "IHDR" {
		return 0, 0, false
	}
	return b[24], b[28], binary.BigEndian.Uint32(b[16:20]) > 0
}

// embeddable reports whether b is an image maroto embeds as it is, and its
// extension.
func embeddable(b []byte) (extension.Type, bool) {
	if depth, interlace, ok := pngHeader(b); ok {
		return extension.Png, depth <= 8 && interlace == 0
	}
	if _, err := jpeg.DecodeConfig(bytes.NewReader(b)); err == nil {
		return extension.Jpg, true
	}
	return "", false
}

// NormalizeLogo checks a logo a user uploads (PNG or JPEG) and returns it in
// a form Render embeds: JPEG as it is, any PNG re-encoded with 8 bits per
// channel and without interlacing. Images larger than 2000×2000 pixels are
// refused. Errors are domain.Invalid with a Spanish message.
func NormalizeLogo(b []byte) ([]byte, error) {
	const op = "print.NormalizeLogo"
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, domain.E(domain.Invalid, op, "El logotipo debe ser una imagen PNG o JPEG.", err)
	}
	if cfg.Width > 2000 || cfg.Height > 2000 {
		return nil, domain.Errorf(domain.Invalid, op, "El logotipo mide %d×%d píxeles; use una imagen de 2000×2000 o menos.", cfg.Width, cfg.Height)
	}
	switch format {
	case "jpeg":
		return b, nil
	case "png":
		if ext, ok := embeddable(b); ok && ext == extension.Png {
			return b, nil
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, domain.E(domain.Invalid, op, "El logotipo PNG está dañado.", err)
		}
		return encode8(img)
	}
	return nil, domain.E(domain.Invalid, op, "El logotipo debe ser una imagen PNG o JPEG.", fmt.Errorf("format %s", format))
}

// encode8 writes img as an 8-bit PNG (gray when it has no color).
func encode8(img image.Image) ([]byte, error) {
	var dst draw.Image
	switch img.(type) {
	case *image.Gray16, *image.Gray:
		dst = image.NewGray(img.Bounds())
	default:
		dst = image.NewNRGBA(img.Bounds())
	}
	draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, dst); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// qrPNG encodes the verification URL with cfdi.QRCodePNG: about 4 pixels
// per module for a typical URL, which prints sharp at the QR cell's size.
func qrPNG(url string) ([]byte, error) { return cfdi.QRCodePNG(url, 200) }
