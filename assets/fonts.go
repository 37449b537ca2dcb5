package assets

import _ "embed"

// The PDF font family: DejaVu Sans Condensed subset to Latin-1 (see
// fonts/LICENSE.txt). Printed documents use it as their default font so that
// accents, ñ, ¿ and ¡ come out right without the cp1252 translation of the
// PDF core fonts.
var (
	//go:embed fonts/DejaVuSansCondensed-Latin1.ttf
	FontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold-Latin1.ttf
	FontBold []byte
	//go:embed fonts/DejaVuSansCondensed-Oblique-Latin1.ttf
	FontItalic []byte
	//go:embed fonts/DejaVuSansCondensed-BoldOblique-Latin1.ttf
	FontBoldItalic []byte
)

// FontFamily is the family name under which FontRegular, FontBold,
// FontItalic and FontBoldItalic are registered in a PDF.
const FontFamily = "folio-sans"
