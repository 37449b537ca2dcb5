package received

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
)

const (
	testIssuer   = "EKU9003173C9"
	testReceptor = "URE180429TM6"
	testUUID     = "0A1B2C3D-0000-4000-8000-00000000AB12"
)

var testFecha = time.Date(2026, 11, 30, 10, 0, 0, 0, domain.MexicoCity)

// worked is the worked example: one concepto, 10 × 13.50 with
// IVA 16 %: 135.00 + 21.60 = 156.60.
func worked() *cfdi.Comprobante {
	iva := cfdi.Traslado{Base: "135.00", Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: "21.60"}
	return &cfdi.Comprobante{
		Version: "4.0", Serie: "EXT", Folio: "77", Fecha: testFecha.Format("2006-01-02T15:04:05"),
		FormaPago: "03", SubTotal: "135.00", Moneda: "MXN", Total: "156.60",
		TipoDeComprobante: "I", Exportacion: "01", MetodoPago: "PUE", LugarExpedicion: "42501",
		Emisor:   cfdi.Emisor{Rfc: testIssuer, Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601"},
		Receptor: cfdi.Receptor{Rfc: testReceptor, Nombre: "UNIVERSIDAD ROBOTICA ESPAÑOLA", DomicilioFiscalReceptor: "86991", RegimenFiscalReceptor: "601", UsoCFDI: "G03"},
		Conceptos: []cfdi.Concepto{{
			ClaveProdServ: "31161500", Cantidad: "10", ClaveUnidad: "H87", Unidad: "Pieza",
			Descripcion: "Tornillo  hexagonal ½ pulgada", ValorUnitario: "13.50", Importe: "135.00", ObjetoImp: "02",
			Impuestos: &cfdi.ImpuestosConcepto{Traslados: []cfdi.Traslado{iva}},
		}},
		Impuestos: &cfdi.Impuestos{TotalImpuestosTrasladados: "21.60", Traslados: []cfdi.Traslado{iva}},
	}
}

// stamped returns c as a stamped document of the installation (its TFD's
// seals are not real: the domain takes the verdict from Doc.OK).
func stamped(tb testing.TB, c *cfdi.Comprobante, dir Direction) Doc {
	tb.Helper()
	raw, err := cfdi.Marshal(c)
	if err != nil {
		tb.Fatal(err)
	}
	raw, err = cfdi.InsertTimbre(raw, &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: testUUID,
		FechaTimbrado: testFecha.Add(time.Minute).Format("2006-01-02T15:04:05"), RfcProvCertif: "SPR190613I52",
		SelloCFD: "AAAA", NoCertificadoSAT: "30001000000500003456", SelloSAT: "BBBB"})
	if err != nil {
		tb.Fatal(err)
	}
	return Doc{ID: 9, Issuer: testIssuer, Direction: dir, Key: testUUID, UUID: testUUID, Version: "4.0",
		Serie: c.Serie, Folio: c.Folio, RfcEmisor: c.Emisor.Rfc, RfcReceptor: c.Receptor.Rfc, Fecha: c.Fecha,
		Tipo: c.TipoDeComprobante, Moneda: c.Moneda, Total: c.Total, OK: true, Verdict: "OK", XML: raw}
}

func customer() sales.Customer {
	return sales.Customer{ID: 5, RFC: testReceptor, Name: "UNIVERSIDAD ROBOTICA ESPAÑOLA", RegimenFiscal: "601",
		CodigoPostal: "86991", UsoCFDI: "G03", CreditDays: 30}
}

// product16 is a catalog product with IVA 16 %.
func product16() sales.Product {
	return sales.Product{ID: 40, Code: "TOR-12", Description: "Tornillo hexagonal", Unit: "Pieza", ClaveProdServ: "31161500",
		ClaveUnidad: "H87", Price: decimal.RequireFromString("12.00"), ObjetoImp: "02",
		Taxes: sales.Taxes{IVATasa: decimal.RequireFromString("0.16")}, Active: true}
}

// draftFor is a draft invoice of the worked example's sale: 10 × 13.50 of
// product16.
func draftFor(qty, price string) sales.Invoice {
	p := product16()
	l := sales.LineFromProduct(&p, decimal.RequireFromString(qty))
	l.ValorUnitario = decimal.RequireFromString(price)
	return sales.Invoice{ID: 3, Issuer: testIssuer, State: sales.StateDraft, Status: sales.StatusDraft,
		TipoDeComprobante: sales.TipoIngreso, CustomerID: 5, Customer: customer(), Terms: sales.Contado,
		FormaPago: "01", Moneda: "MXN", UsoCFDI: "G03", Lines: []sales.Line{l}}
}

func mxn(string) (int32, bool) { return 2, true }
