package preflight_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/cfdi/preflight"
)

// amountsDoc is a document of type tipo with one concept worth 100.00 + IVA.
func amountsDoc(tipo string) *cfdi.Comprobante {
	c := &cfdi.Comprobante{
		TipoDeComprobante: tipo, Moneda: "MXN", SubTotal: "100.00", Total: "116.00",
		Conceptos: []cfdi.Concepto{{Cantidad: "1", ValorUnitario: "100.00", Importe: "100.00", ObjetoImp: "02",
			Impuestos: &cfdi.ImpuestosConcepto{Traslados: []cfdi.Traslado{{Base: "100.00", Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: "16.00"}}}}},
		Impuestos: &cfdi.Impuestos{TotalImpuestosTrasladados: "16.00",
			Traslados: []cfdi.Traslado{{Base: "100.00", Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: "16.00"}}},
	}
	switch tipo {
	case "T": // goods moved: the concept states their value, the document 0
		c.SubTotal, c.Total, c.Impuestos = "0", "0", nil
		c.Conceptos[0].Impuestos, c.Conceptos[0].ObjetoImp = nil, "01"
	case "P":
		c.SubTotal, c.Total, c.Moneda, c.Impuestos = "0", "0", "XXX", nil
		c.Conceptos = []cfdi.Concepto{{Cantidad: "1", ValorUnitario: "0", Importe: "0", ObjetoImp: "01"}}
	case "N": // perceptions 100.00, deductions 10.00, no taxes
		c.Conceptos = []cfdi.Concepto{{Cantidad: "1", ValorUnitario: "100.00", Importe: "100.00", Descuento: "10.00", ObjetoImp: "01"}}
		c.Impuestos, c.Descuento, c.Total = nil, "10.00", "90.00"
	}
	return c
}

// TestCheckAmountsByTipo: each TipoDeComprobante has its own amount rules.
func TestCheckAmountsByTipo(t *testing.T) {
	implocal := []byte(`<implocal:ImpuestosLocales xmlns:implocal="http://www.sat.gob.mx/implocal" version="1.0" TotaldeRetenciones="0.00" TotaldeTraslados="3.00"><implocal:TrasladosLocales ImpLocTrasladado="ISH" TasadeTraslado="3.00" Importe="3.00"/></implocal:ImpuestosLocales>`)
	tests := []struct {
		name   string
		tipo   string
		change func(*cfdi.Comprobante)
		want   []fc // nil: no problem
	}{
		{name: "ingreso", tipo: "I"},
		{name: "ingreso, SubTotal not the concepts' sum", tipo: "I", change: func(c *cfdi.Comprobante) { c.SubTotal = "90.00" },
			want: []fc{{"SubTotal", "CFDI40108"}, {"Total", "CFDI40119"}}},
		{name: "ingreso with implocal: Total includes the local traslados", tipo: "I", change: func(c *cfdi.Comprobante) {
			c.Complemento = &cfdi.Complemento{Others: [][]byte{implocal}}
			c.Total = "119.00"
		}},
		{name: "ingreso with implocal left out of Total", tipo: "I", change: func(c *cfdi.Comprobante) {
			c.Complemento = &cfdi.Complemento{Others: [][]byte{implocal}}
		}, want: []fc{{"Total", "CFDI40119"}}},
		{name: "egreso", tipo: "E"},
		{name: "traslado: concepts valued, SubTotal and Total 0", tipo: "T"},
		{name: "traslado with SubTotal = the concepts' sum", tipo: "T", change: func(c *cfdi.Comprobante) { c.SubTotal = "100.00" },
			want: []fc{{"SubTotal", "CFDI40109"}}},
		{name: "traslado with a Total", tipo: "T", change: func(c *cfdi.Comprobante) { c.Total = "100.00" },
			want: []fc{{"Total", "CFDI40119"}}},
		{name: "traslado, concept Importe ≠ Cantidad × ValorUnitario", tipo: "T", change: func(c *cfdi.Comprobante) { c.Conceptos[0].Importe = "20.00" },
			want: []fc{{"Conceptos[0]", "CFDI40167"}}},
		{name: "pago", tipo: "P"},
		{name: "pago in pesos with amounts", tipo: "P", change: func(c *cfdi.Comprobante) {
			c.Moneda, c.Total, c.Conceptos[0].Importe = "MXN", "10", "10"
		}, want: []fc{{"Total", "CFDI40119"}, {"Moneda", ""}, {"Conceptos[0].Importe", ""}}},
		{name: "pago with a Descuento", tipo: "P", change: func(c *cfdi.Comprobante) { c.Descuento = "0" },
			want: []fc{{"Descuento", "CFDI40111"}}},
		{name: "nómina", tipo: "N"},
		{name: "nómina, Total not perceptions − deductions", tipo: "N", change: func(c *cfdi.Comprobante) { c.Total = "100.00" },
			want: []fc{{"Total", "CFDI40119"}}},
		{name: "unknown type: left to the type check", tipo: "X", change: func(c *cfdi.Comprobante) { c.SubTotal = "1" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := amountsDoc(tc.tipo)
			if tc.change != nil {
				tc.change(c)
			}
			var got []fc
			for _, p := range preflight.Problems(preflight.CheckAmounts(c, 2)) {
				if p.Msg == "" || strings.Contains(p.Msg, "%!") {
					t.Errorf("bad message %q", p.Msg)
				}
				got = append(got, fc{p.Field, p.Code})
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems = %v, want %v\n%+v", got, tc.want, preflight.Problems(preflight.CheckAmounts(c, 2)))
			}
		})
	}
}
