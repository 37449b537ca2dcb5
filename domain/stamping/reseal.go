package stamping

import (
	"context"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
)

// ResealWith returns the Reseal that Redate needs: it re-dates the sealed
// document to fecha (Mexico City time, as CFDI dates are) and seals it again
// with the issuer's CSD from signer, changing nothing else — same serie,
// folio, receptor, concepts and amounts.
func ResealWith(signer func(ctx context.Context, issuerRFC string) (cfdi.Signer, error)) Reseal {
	return func(ctx context.Context, sealed []byte, fecha time.Time) ([]byte, error) {
		c, err := cfdi.Parse(sealed)
		if err != nil {
			return nil, err
		}
		s, err := signer(ctx, c.Emisor.Rfc)
		if err != nil {
			return nil, err
		}
		c.Fecha = fecha.In(domain.MexicoCity).Format("2006-01-02T15:04:05")
		c.Sello = ""
		return cfdi.Seal(c, s)
	}
}
