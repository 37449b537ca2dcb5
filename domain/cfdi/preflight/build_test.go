package preflight_test

import (
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/tax"
)

// testNow is the fixed present of these tests: within the validity of SAT's
// 2023 test CSDs.
var testNow = time.Date(2026, time.November, 20, 12, 0, 0, 0, domain.MexicoCity)

var (
	catsOnce sync.Once
	cats     *sat.Catalogs
	catsErr  error
)

// realCatalogs returns the catalogs Folio ships, read once per test binary.
func realCatalogs(tb testing.TB) *sat.Catalogs {
	tb.Helper()
	catsOnce.Do(func() {
		cats, catsErr = sat.NewCatalogs(assets.Catalogs)
		if catsErr == nil {
			catsErr = cats.Preload()
		}
	})
	if catsErr != nil {
		tb.Fatalf("sat.NewCatalogs(assets.Catalogs): %v", catsErr)
	}
	return cats
}

// lineSpec is one invoice line: what tax.ComputeLine needs plus the
// concept's descriptive keys.
type lineSpec struct {
	tax.Line
	ClaveProdServ, ClaveUnidad, Descripcion string
	// CantidadText and ValorText are the texts written in the XML; "" writes
	// the decimal's own String.
	CantidadText, ValorText string
	ACuentaTerceros         *cfdi.ACuentaTerceros
}

// docSpec is everything build needs for a document.
type docSpec struct {
	Tipo, Fecha, Moneda, TipoCambio, FormaPago, MetodoPago, LugarExpedicion string
	Serie, Folio                                                            string
	Emisor                                                                  cfdi.Emisor
	Receptor                                                                cfdi.Receptor
	Global                                                                  *cfdi.InformacionGlobal
	Relacionados                                                            []cfdi.CfdiRelacionados
	Lines                                                                   []lineSpec
}

// build computes every amount of s with domain/tax in the currency's
// decimals and returns the unsealed Comprobante, the way the invoice editor
// does.
func build(tb testing.TB, s docSpec, decimals int32) *cfdi.Comprobante {
	tb.Helper()
	c := &cfdi.Comprobante{
		Version: "4.0", Serie: s.Serie, Folio: s.Folio, Fecha: s.Fecha,
		FormaPago: s.FormaPago, MetodoPago: s.MetodoPago, Moneda: s.Moneda, TipoCambio: s.TipoCambio,
		TipoDeComprobante: s.Tipo, Exportacion: "01", LugarExpedicion: s.LugarExpedicion,
		InformacionGlobal: s.Global, CfdiRelacionados: s.Relacionados,
		Emisor: s.Emisor, Receptor: s.Receptor,
	}
	amounts := make([]tax.LineAmounts, 0, len(s.Lines))
	for i, l := range s.Lines {
		la, err := tax.ComputeLine(l.Line, decimals)
		if err != nil {
			tb.Fatalf("line %d: tax.ComputeLine: %v", i+1, err)
		}
		amounts = append(amounts, la)
		k := cfdi.Concepto{
			ClaveProdServ: l.ClaveProdServ, Cantidad: l.CantidadText, ClaveUnidad: l.ClaveUnidad,
			Descripcion: l.Descripcion, ValorUnitario: l.ValorText,
			Importe: tax.Format(la.Importe, decimals), ObjetoImp: l.ObjetoImp,
			ACuentaTerceros: l.ACuentaTerceros,
		}
		if k.Cantidad == "" {
			k.Cantidad = l.Cantidad.String()
		}
		if k.ValorUnitario == "" {
			k.ValorUnitario = l.ValorUnitario.String()
		}
		if la.Descuento.IsPositive() {
			k.Descuento = tax.Format(la.Descuento, decimals)
		}
		if len(la.Traslados)+len(la.Retenciones) > 0 {
			k.Impuestos = &cfdi.ImpuestosConcepto{}
			for _, t := range la.Traslados {
				k.Impuestos.Traslados = append(k.Impuestos.Traslados, traslado(t, decimals))
			}
			for _, r := range la.Retenciones {
				k.Impuestos.Retenciones = append(k.Impuestos.Retenciones, cfdi.Retencion{
					Base: tax.Format(r.Base, decimals), Impuesto: r.Impuesto, TipoFactor: r.TipoFactor,
					TasaOCuota: tax.Format(r.TasaOCuota, 6), Importe: tax.Format(r.Importe, decimals),
				})
			}
		}
		c.Conceptos = append(c.Conceptos, k)
	}
	t := tax.ComputeTotals(amounts, decimals)
	c.SubTotal = tax.Format(t.SubTotal, decimals)
	if t.Descuento.IsPositive() {
		c.Descuento = tax.Format(t.Descuento, decimals)
	}
	c.Total = tax.Format(t.Total, decimals)
	if t.HasTraslados || t.HasRetenciones {
		im := &cfdi.Impuestos{}
		if t.HasRetenciones {
			im.TotalImpuestosRetenidos = tax.Format(t.TotalRetenidos, decimals)
			for _, r := range t.Retenciones {
				im.Retenciones = append(im.Retenciones, cfdi.Retencion{Impuesto: r.Impuesto, Importe: tax.Format(r.Importe, decimals)})
			}
		}
		if t.HasTotalTrasladados {
			im.TotalImpuestosTrasladados = tax.Format(t.TotalTrasladados, decimals)
		}
		for _, tr := range t.Traslados {
			im.Traslados = append(im.Traslados, traslado(tr, decimals))
		}
		c.Impuestos = im
	}
	return c
}

// traslado writes a computed traslado; an Exento one has no TasaOCuota nor
// Importe.
func traslado(t tax.TaxAmount, decimals int32) cfdi.Traslado {
	x := cfdi.Traslado{Base: tax.Format(t.Base, decimals), Impuesto: t.Impuesto, TipoFactor: t.TipoFactor}
	if t.TipoFactor != tax.Exento {
		x.TasaOCuota = tax.Format(t.TasaOCuota, 6)
		x.Importe = tax.Format(t.Importe, decimals)
	}
	return x
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func iva16() tax.Rate {
	return tax.Rate{Impuesto: tax.IVA, TipoFactor: tax.Tasa, TasaOCuota: dec("0.16")}
}

// baseSpec is a valid factura: a persona moral (SAT's test CSD EKU9003173C9)
// invoices two lines with IVA 16 % to another persona moral.
func baseSpec() docSpec {
	return docSpec{
		Tipo: "I", Fecha: "2026-11-19T10:30:00", Moneda: "MXN", FormaPago: "03", MetodoPago: "PUE",
		LugarExpedicion: "42501", Serie: "A", Folio: "101",
		Emisor:   cfdi.Emisor{Rfc: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601"},
		Receptor: cfdi.Receptor{Rfc: "URE180429TM6", Nombre: "UNIVERSIDAD ROBOTICA ESPAÑOLA", DomicilioFiscalReceptor: "86991", RegimenFiscalReceptor: "601", UsoCFDI: "G03"},
		Lines: []lineSpec{
			{Line: tax.Line{Cantidad: dec("2"), ValorUnitario: dec("1500.50"), ObjetoImp: "02", Traslados: []tax.Rate{iva16()}},
				ClaveProdServ: "43211507", ClaveUnidad: "H87", Descripcion: "Computadora de escritorio"},
			{Line: tax.Line{Cantidad: dec("1"), ValorUnitario: dec("350"), Descuento: dec("50"), ObjetoImp: "02", Traslados: []tax.Rate{iva16()}},
				ClaveProdServ: "81112101", ClaveUnidad: "E48", Descripcion: "Servicio de internet, noviembre"},
		},
	}
}

// publicoSpec is a valid factura global to the general public.
func publicoSpec() docSpec {
	s := baseSpec()
	s.Receptor = cfdi.Receptor{Rfc: sat.RFCPublicoGeneral, Nombre: "PUBLICO EN GENERAL", DomicilioFiscalReceptor: "42501", RegimenFiscalReceptor: "616", UsoCFDI: "S01"}
	s.Global = &cfdi.InformacionGlobal{Periodicidad: "04", Meses: "10", Anio: "2026"}
	s.FormaPago = "01"
	return s
}
