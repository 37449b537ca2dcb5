// Package simtest builds sealed CFDI 4.0 documents for tests that talk to the
// local PAC (package sim): an Ingreso of the demo company (SAT test CSD
// EKU9003173C9) sealed with its real key, so the simulator's certificate and
// seal checks pass.
package simtest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/stamping"
)

// IssuerRFC is the RFC of the demo company's test CSD.
const IssuerRFC = "EKU9003173C9"

var (
	once   sync.Once
	signer *csd.CSD
	err    error
)

// Signer returns the demo company's CSD.
func Signer(tb testing.TB) *csd.CSD {
	tb.Helper()
	once.Do(func() { signer, err = csd.Load(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword) })
	if err != nil {
		tb.Fatalf("load demo CSD: %v", err)
	}
	return signer
}

// Invoice returns an unsealed Ingreso with one concept of units × 100.00 plus
// IVA 16 % (Total = units × 116.00), dated fecha in Mexico City time.
func Invoice(serie, folio string, fecha time.Time, units int) *cfdi.Comprobante {
	base, iva := 100*units, 16*units
	amt := func(n int) string { return fmt.Sprintf("%d.00", n) }
	return &cfdi.Comprobante{
		Version: "4.0", Serie: serie, Folio: folio, Fecha: fecha.In(domain.MexicoCity).Format("2006-01-02T15:04:05"),
		FormaPago: "03", SubTotal: amt(base), Moneda: "MXN", Total: amt(base + iva),
		TipoDeComprobante: "I", Exportacion: "01", MetodoPago: "PUE", LugarExpedicion: "42501",
		Emisor:   cfdi.Emisor{Rfc: IssuerRFC, Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601"},
		Receptor: cfdi.Receptor{Rfc: "URE180429TM6", Nombre: "UNIVERSIDAD ROBOTICA ESPAÑOLA", DomicilioFiscalReceptor: "86991", RegimenFiscalReceptor: "601", UsoCFDI: "G03"},
		Conceptos: []cfdi.Concepto{{
			ClaveProdServ: "43232408", NoIdentificacion: "SKU-" + folio, Cantidad: fmt.Sprint(units), ClaveUnidad: "H87", Unidad: "Pieza",
			Descripcion: "Licencia de software", ValorUnitario: "100.00", Importe: amt(base), ObjetoImp: "02",
			Impuestos: &cfdi.ImpuestosConcepto{Traslados: []cfdi.Traslado{{Base: amt(base), Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: amt(iva)}}},
		}},
		Impuestos: &cfdi.Impuestos{TotalImpuestosTrasladados: amt(iva), Traslados: []cfdi.Traslado{{Base: amt(base), Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: amt(iva)}}},
	}
}

// Seal seals c with the demo CSD and returns the sealed bytes.
func Seal(tb testing.TB, c *cfdi.Comprobante) []byte {
	tb.Helper()
	out, err := cfdi.Seal(c, Signer(tb))
	if err != nil {
		tb.Fatalf("seal %s-%s: %v", c.Serie, c.Folio, err)
	}
	return out
}

// Sealed returns a sealed invoice (see Invoice) of one unit.
func Sealed(tb testing.TB, serie, folio string, fecha time.Time) []byte {
	tb.Helper()
	return Seal(tb, Invoice(serie, folio, fecha, 1))
}

// SealedBy returns a sealed invoice (see Invoice) of one unit issued by
// emisor and sealed with signer, emisor's CSD: a document of a company other
// than the demo one.
func SealedBy(tb testing.TB, signer cfdi.Signer, emisor cfdi.Emisor, serie, folio string, fecha time.Time) []byte {
	tb.Helper()
	c := Invoice(serie, folio, fecha, 1)
	c.Emisor = emisor
	out, err := cfdi.Seal(c, signer)
	if err != nil {
		tb.Fatalf("seal %s %s-%s: %v", emisor.Rfc, serie, folio, err)
	}
	return out
}

// Reseal re-dates a sealed document to fecha and seals it again with the
// test CSD, keeping everything else (stamping.ResealWith).
func Reseal(tb testing.TB) func(sealed []byte, fecha time.Time) ([]byte, error) {
	r := stamping.ResealWith(func(context.Context, string) (cfdi.Signer, error) { return Signer(tb), nil })
	return func(sealed []byte, fecha time.Time) ([]byte, error) { return r(context.Background(), sealed, fecha) }
}
