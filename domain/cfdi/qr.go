package cfdi

import (
	"errors"
	"strings"

	"github.com/shopspring/decimal"
	"rsc.io/qr"

	"github.com/folio-mx/folio/domain"
)

// verificationBase is SAT's CFDI verification service.
const verificationBase = "https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx"

// VerificationURL returns the text of the two-dimensional code of the
// printed representation of a stamped CFDI:
//
//	https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=UUID&re=RFC&rr=RFC&tt=TOTAL&fe=SELLO8
//
// following Anexo 20, "Especificación técnica del código de barras
// bidimensional a incorporar en la representación impresa" (the standard of
// CFDI 3.3 in force since 2017-07-01, kept by CFDI 4.0): id is the UUID of
// the TimbreFiscalDigital; re and rr are the RFCs of emisor and receptor
// with XML escaping ("&" written "&amp;", as in the XML); tt is Total with up
// to 6 decimals and the non-significant zeros left out (at least one
// decimal: "1000.0", "2010.01"); fe is the last 8 characters of the Sello.
// The same rules are implemented by phpcfdi/cfdi-expresiones
// (Comprobante40 / FormatTotal18x6 / FormatRfcXml / FormatSelloLast8).
// An unstamped document gives an empty id.
func VerificationURL(c *Comprobante) string {
	id := ""
	if c.Complemento != nil && c.Complemento.TimbreFiscalDigital != nil {
		id = c.Complemento.TimbreFiscalDigital.UUID
	}
	fe := c.Sello
	if len(fe) > 8 {
		fe = fe[len(fe)-8:]
	}
	var b strings.Builder
	b.Grow(len(verificationBase) + 120)
	b.WriteString(verificationBase)
	b.WriteString("?id=")
	b.WriteString(id)
	b.WriteString("&re=")
	writeEscapedAttr(&b, c.Emisor.Rfc)
	b.WriteString("&rr=")
	writeEscapedAttr(&b, c.Receptor.Rfc)
	b.WriteString("&tt=")
	b.WriteString(qrTotal(c.Total))
	b.WriteString("&fe=")
	b.WriteString(fe)
	return b.String()
}

// qrTotal formats Total for the code: 6 decimals at most, trailing zeros
// dropped but one decimal kept. An unreadable Total is written as it is.
func qrTotal(total string) string {
	d, err := decimal.NewFromString(strings.TrimSpace(total))
	if err != nil {
		return total
	}
	s := strings.TrimRight(d.StringFixed(6), "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}

// QRCodePNG encodes url as a QR code with error correction level M (as SAT
// asks for the printed representation) and returns a 1-bit PNG at least
// size pixels wide: whole pixels per module, the 4-module quiet zone
// included. rsc.io/qr encodes a verification URL in about 0.2 ms, some 50
// times faster than boombuler/barcode, and its PNG embeds as it is in a PDF.
func QRCodePNG(url string, size int) ([]byte, error) {
	const op = "cfdi.QRCodePNG"
	if size <= 0 {
		return nil, domain.E(domain.Invalid, op, "El tamaño del código QR debe ser positivo.", errors.New("size <= 0"))
	}
	code, err := qr.Encode(url, qr.M)
	if err != nil {
		return nil, domain.E(domain.Internal, op, "No se pudo generar el código QR.", err)
	}
	modules := code.Size + 8
	code.Scale = (size + modules - 1) / modules
	return code.PNG(), nil
}
