package sales

import (
	"sort"
	"strings"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// Amounts are the derived amounts of a posted document, stored beside it
// (design decision 12) so that receivables, books and reports are sums in
// the store and never re-read the XML. They are exactly the sealed values.
type Amounts struct {
	Moneda      string
	TipoCambio  decimal.Decimal // 1 for MXN (and for XXX)
	SubTotal    decimal.Decimal
	Descuento   decimal.Decimal
	Traslados   decimal.Decimal // TotalImpuestosTrasladados
	Retenciones decimal.Decimal // TotalImpuestosRetenidos
	Total       decimal.Decimal
	TotalMXN    decimal.Decimal // Total in pesos (tax.RoundMXN)
	Taxes       []DocumentTax   // by tax, factor and rate
}

// DocumentTax is the sum of one tax at one rate over a document: a
// Traslado grouped as in the CFDI's Impuestos node, or a Retención grouped
// by tax, factor and rate from its concepts.
type DocumentTax struct {
	Retencion  bool
	Impuesto   string // c_Impuesto
	TipoFactor string // Tasa, Cuota or Exento
	TasaOCuota decimal.Decimal
	Base       decimal.Decimal
	Importe    decimal.Decimal
}

// AmountsOf returns the amounts of a document whose totals are t (the
// Totals BuildComprobante wrote into its CFDI).
func AmountsOf(inv *Invoice, t Totals) Amounts {
	one := decimal.NewFromInt(1)
	a := Amounts{
		Moneda:      inv.Moneda,
		TipoCambio:  one,
		SubTotal:    t.SubTotal,
		Descuento:   t.Descuento,
		Traslados:   t.TotalImpuestosTrasladados,
		Retenciones: t.TotalImpuestosRetenidos,
		Total:       t.Total,
		TotalMXN:    t.Total,
	}
	if inv.Moneda != "MXN" && inv.Moneda != "XXX" && inv.TipoCambio.IsPositive() {
		a.TipoCambio = inv.TipoCambio
		a.TotalMXN = tax.RoundMXN(t.Total, inv.TipoCambio)
	}
	for _, g := range t.Traslados {
		a.Taxes = append(a.Taxes, DocumentTax{Impuesto: g.Impuesto, TipoFactor: g.TipoFactor,
			TasaOCuota: g.TasaOCuota, Base: g.Base, Importe: g.Importe})
	}
	type key struct{ imp, factor, rate string }
	byRate := map[key]*DocumentTax{}
	var keys []key
	for _, l := range t.Lines {
		for _, r := range l.Retenciones {
			k := key{r.Impuesto, r.TipoFactor, r.TasaOCuota.String()}
			g := byRate[k]
			if g == nil {
				g = &DocumentTax{Retencion: true, Impuesto: r.Impuesto, TipoFactor: r.TipoFactor, TasaOCuota: r.TasaOCuota}
				byRate[k] = g
				keys = append(keys, k)
			}
			g.Base = g.Base.Add(r.Base)
			g.Importe = g.Importe.Add(r.Importe)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].imp != keys[j].imp {
			return keys[i].imp < keys[j].imp
		}
		return keys[i].rate < keys[j].rate
	})
	for _, k := range keys {
		g := byRate[k]
		g.Base = tax.RoundTotal(g.Base, t.Decimals)
		g.Importe = tax.RoundTotal(g.Importe, t.Decimals)
		a.Taxes = append(a.Taxes, *g)
	}
	return a
}

// AmountsFromCFDI reads the amounts and relations of a CFDI as it was
// sealed: what a document posted before amounts were stored (or issued
// elsewhere) contributes to sums. Retenciones are grouped by tax, factor and
// rate from the concepts, as AmountsOf does. A malformed amount is Invalid.
func AmountsFromCFDI(c *cfdi.Comprobante) (Amounts, []Relation, error) {
	const op = "amounts from cfdi"
	var bad []string
	num := func(field, s string) decimal.Decimal {
		if s == "" {
			return decimal.Zero
		}
		d, err := decimal.NewFromString(s)
		if err != nil {
			bad = append(bad, field)
		}
		return d
	}
	a := Amounts{
		Moneda:     c.Moneda,
		TipoCambio: decimal.NewFromInt(1),
		SubTotal:   num("SubTotal", c.SubTotal),
		Descuento:  num("Descuento", c.Descuento),
		Total:      num("Total", c.Total),
	}
	a.TotalMXN = a.Total
	if c.Moneda != "MXN" && c.Moneda != "XXX" && c.TipoCambio != "" {
		a.TipoCambio = num("TipoCambio", c.TipoCambio)
		a.TotalMXN = tax.RoundMXN(a.Total, a.TipoCambio)
	}
	decimals := int32(2)
	if i := strings.IndexByte(c.Total, '.'); i >= 0 {
		decimals = int32(len(c.Total) - i - 1)
	}
	t := Totals{Decimals: decimals}
	if imp := c.Impuestos; imp != nil {
		a.Traslados = num("TotalImpuestosTrasladados", imp.TotalImpuestosTrasladados)
		a.Retenciones = num("TotalImpuestosRetenidos", imp.TotalImpuestosRetenidos)
		for _, x := range imp.Traslados {
			t.Traslados = append(t.Traslados, TaxAmount{Impuesto: x.Impuesto, TipoFactor: x.TipoFactor,
				TasaOCuota: num("TasaOCuota", x.TasaOCuota), Base: num("Base", x.Base), Importe: num("Importe", x.Importe)})
		}
	}
	for _, k := range c.Conceptos {
		if k.Impuestos == nil {
			continue
		}
		var la LineAmounts
		for _, r := range k.Impuestos.Retenciones {
			la.Retenciones = append(la.Retenciones, TaxAmount{Impuesto: r.Impuesto, TipoFactor: r.TipoFactor,
				TasaOCuota: num("TasaOCuota", r.TasaOCuota), Base: num("Base", r.Base), Importe: num("Importe", r.Importe)})
		}
		t.Lines = append(t.Lines, la)
	}
	if len(bad) > 0 {
		return Amounts{}, nil, domain.E(domain.Invalid, op, "El comprobante tiene importes que no son números: "+strings.Join(bad, ", ")+".", nil)
	}
	derived := AmountsOf(&Invoice{Moneda: c.Moneda}, t)
	a.Taxes = derived.Taxes
	var rels []Relation
	for _, g := range c.CfdiRelacionados {
		for _, r := range g.CfdiRelacionado {
			rels = append(rels, Relation{TipoRelacion: g.TipoRelacion, UUID: strings.ToUpper(r.UUID)})
		}
	}
	return a, rels, nil
}
