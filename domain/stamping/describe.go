package stamping

import (
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
)

// Describe reads the queue metadata of a sealed CFDI (issuer, serie, folio,
// type and Fecha in Mexico City time) and pairs it with customID. It returns
// an Invalid error when sealed is not a sealed CFDI 4.0.
func Describe(sealed []byte, customID string) (NewDocument, error) {
	const op = "stamping.Describe"
	c, err := cfdi.Parse(sealed)
	if err != nil {
		return NewDocument{}, err
	}
	if c.Sello == "" {
		return NewDocument{}, domain.E(domain.Invalid, op, "El comprobante no está sellado.", nil)
	}
	fecha, err := time.ParseInLocation("2006-01-02T15:04:05", c.Fecha, domain.MexicoCity)
	if err != nil {
		return NewDocument{}, domain.E(domain.Invalid, op, "La fecha del comprobante no es válida.", err)
	}
	return NewDocument{IssuerRFC: c.Emisor.Rfc, Serie: c.Serie, Folio: c.Folio, TipoDeComprobante: c.TipoDeComprobante,
		Fecha: fecha, CustomID: customID, SealedXML: sealed}, nil
}
