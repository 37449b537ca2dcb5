package sales

import (
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// SAT keys of the taxes (c_Impuesto) and factors (c_TipoFactor).
const (
	ImpuestoISR  = "001"
	ImpuestoIVA  = "002"
	ImpuestoIEPS = "003"
	FactorExento = "Exento"
)

// TaxAmount is one computed Traslado or Retención of a concept, or one
// grouped line of the document summary. Exento traslados have no rate and
// no amount (HasImporte false).
type TaxAmount struct {
	Impuesto   string // c_Impuesto
	TipoFactor string // Tasa, Cuota or Exento
	TasaOCuota decimal.Decimal
	Base       decimal.Decimal
	Importe    decimal.Decimal
	HasImporte bool
}

// LineAmounts are the computed amounts of one concept.
type LineAmounts struct {
	Importe     decimal.Decimal // Cantidad × ValorUnitario (tax.RoundImporte)
	Descuento   decimal.Decimal // tax.RoundDescuento
	Traslados   []TaxAmount
	Retenciones []TaxAmount
	Neto        decimal.Decimal // Importe − Descuento + traslados − retenciones (for the screen)
}

// Totals are the computed amounts of an invoice: exactly what BuildComprobante
// writes into the CFDI, so a screen that shows Totals shows the sealed values.
type Totals struct {
	Decimals                  int32 // of the currency (c_Moneda)
	Lines                     []LineAmounts
	SubTotal                  decimal.Decimal
	Descuento                 decimal.Decimal
	HasDescuento              bool // some concept has a Descuento
	Traslados                 []TaxAmount
	Retenciones               []TaxAmount
	TotalImpuestosTrasladados decimal.Decimal
	HasTrasladados            bool // some non-exento traslado exists
	TotalImpuestosRetenidos   decimal.Decimal
	Total                     decimal.Decimal
}

// Compute returns the amounts of inv for a currency with decimals decimals
// (c_Moneda "decimales"), with each SAT rounding rule applied through
// domain/tax. Only concepts with ObjetoImp "02" carry taxes. The IVA base
// includes the IEPS of the concept (Ley del IVA, art. 18; Guía de llenado,
// Traslado@Base). It fails (Invalid) only on negative amounts.
func Compute(inv *Invoice, decimals int32) (Totals, error) {
	t := Totals{Decimals: decimals}
	var subtotal, descuento decimal.Decimal
	for i := range inv.Lines {
		l := &inv.Lines[i]
		if l.Cantidad.IsNegative() || l.ValorUnitario.IsNegative() || l.Descuento.IsNegative() {
			return Totals{}, domain.E(domain.Invalid, "compute invoice", "Las cantidades, precios y descuentos no pueden ser negativos.", nil)
		}
		a := computeLine(l, decimals)
		subtotal = subtotal.Add(a.Importe)
		descuento = descuento.Add(a.Descuento)
		if l.Descuento.IsPositive() {
			t.HasDescuento = true
		}
		t.Lines = append(t.Lines, a)
		for _, tr := range a.Traslados {
			t.Traslados = addGroup(t.Traslados, tr, true)
		}
		for _, r := range a.Retenciones {
			t.Retenciones = addGroup(t.Retenciones, r, false)
		}
	}
	t.SubTotal = tax.RoundTotal(subtotal, decimals)
	t.Descuento = tax.RoundTotal(descuento, decimals)
	var trasladados, retenidos decimal.Decimal
	for i := range t.Traslados {
		g := &t.Traslados[i]
		g.Base = tax.RoundTotal(g.Base, decimals)
		g.Importe = tax.RoundTotal(g.Importe, decimals)
		if g.HasImporte {
			t.HasTrasladados = true
			trasladados = trasladados.Add(g.Importe)
		}
	}
	for i := range t.Retenciones {
		g := &t.Retenciones[i]
		g.Importe = tax.RoundTotal(g.Importe, decimals)
		retenidos = retenidos.Add(g.Importe)
	}
	t.TotalImpuestosTrasladados = tax.RoundTotal(trasladados, decimals)
	t.TotalImpuestosRetenidos = tax.RoundTotal(retenidos, decimals)
	t.Total = tax.RoundTotal(t.SubTotal.Sub(t.Descuento).Add(t.TotalImpuestosTrasladados).Sub(t.TotalImpuestosRetenidos), decimals)
	return t, nil
}

func computeLine(l *Line, decimals int32) LineAmounts {
	a := LineAmounts{
		Importe:   tax.RoundImporte(l.Cantidad.Mul(l.ValorUnitario), decimals),
		Descuento: tax.RoundDescuento(l.Descuento, decimals),
	}
	base := a.Importe.Sub(a.Descuento)
	a.Neto = base
	if l.ObjetoImp != ObjetoImpSi {
		return a
	}
	t := l.Taxes
	ivaBase := base
	switch t.IEPSFactor {
	case FactorTasa:
		imp := tax.RoundImpuestoConcepto(base.Mul(t.IEPSValor), decimals)
		a.Traslados = append(a.Traslados, TaxAmount{ImpuestoIEPS, FactorTasa, t.IEPSValor, base, imp, true})
		ivaBase = ivaBase.Add(imp)
	case FactorCuota:
		// Guía de llenado, Traslado@Base: with Cuota the base is the number of units.
		imp := tax.RoundImpuestoConcepto(l.Cantidad.Mul(t.IEPSValor), decimals)
		a.Traslados = append(a.Traslados, TaxAmount{ImpuestoIEPS, FactorCuota, t.IEPSValor, l.Cantidad, imp, true})
		ivaBase = ivaBase.Add(imp)
	}
	if t.IVAExento {
		a.Traslados = append(a.Traslados, TaxAmount{Impuesto: ImpuestoIVA, TipoFactor: FactorExento, Base: ivaBase})
	} else {
		imp := tax.RoundImpuestoConcepto(ivaBase.Mul(t.IVATasa), decimals)
		a.Traslados = append(a.Traslados, TaxAmount{ImpuestoIVA, FactorTasa, t.IVATasa, ivaBase, imp, true})
	}
	if t.RetIVA.IsPositive() {
		a.Retenciones = append(a.Retenciones, TaxAmount{ImpuestoIVA, FactorTasa, t.RetIVA, base,
			tax.RoundImpuestoConcepto(base.Mul(t.RetIVA), decimals), true})
	}
	if t.RetISR.IsPositive() {
		a.Retenciones = append(a.Retenciones, TaxAmount{ImpuestoISR, FactorTasa, t.RetISR, base,
			tax.RoundImpuestoConcepto(base.Mul(t.RetISR), decimals), true})
	}
	for _, tr := range a.Traslados {
		a.Neto = a.Neto.Add(tr.Importe)
	}
	for _, r := range a.Retenciones {
		a.Neto = a.Neto.Sub(r.Importe)
	}
	return a
}

// addGroup adds x to the document summary. Traslados group by impuesto,
// factor and rate (Anexo 20, Impuestos/Traslados); retenciones by impuesto
// only (Impuestos/Retenciones carries just Impuesto and Importe).
func addGroup(groups []TaxAmount, x TaxAmount, traslado bool) []TaxAmount {
	for i := range groups {
		g := &groups[i]
		if g.Impuesto == x.Impuesto && (!traslado || g.TipoFactor == x.TipoFactor && g.TasaOCuota.Equal(x.TasaOCuota)) {
			g.Base = g.Base.Add(x.Base)
			g.Importe = g.Importe.Add(x.Importe)
			return groups
		}
	}
	if !traslado {
		x = TaxAmount{Impuesto: x.Impuesto, Importe: x.Importe, HasImporte: true}
	}
	return append(groups, x)
}
