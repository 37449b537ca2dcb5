package sales

import (
	"errors"
	"fmt"

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
// (c_Moneda "decimales"). Every amount comes from domain/tax
// (tax.ComputeLine per concept, tax.ComputeTotals for the document), where
// each SAT rounding rule lives; this function only maps an invoice's lines
// to tax lines and the results back. Only concepts with ObjetoImp "02"
// carry taxes. It fails (Invalid) with every problem of every concept, each
// prefixed with the concept's number.
func Compute(inv *Invoice, decimals int32) (Totals, error) {
	const op = "compute invoice"
	t := Totals{Decimals: decimals}
	amounts := make([]tax.LineAmounts, 0, len(inv.Lines))
	var errs []error
	for i := range inv.Lines {
		l := &inv.Lines[i]
		if l.Cantidad.IsNegative() || l.ValorUnitario.IsNegative() || l.Descuento.IsNegative() {
			return Totals{}, domain.E(domain.Invalid, op, "Las cantidades, precios y descuentos no pueden ser negativos.", nil)
		}
		a, err := tax.ComputeLine(taxLine(l), decimals)
		if err != nil {
			errs = append(errs, domain.E(domain.Invalid, op, fmt.Sprintf("Concepto %d: %s", i+1, domain.UserMessage(err)), err))
			continue
		}
		amounts = append(amounts, a)
		t.Lines = append(t.Lines, lineAmounts(a))
		if l.Descuento.IsPositive() {
			t.HasDescuento = true
		}
	}
	if len(errs) > 0 {
		return Totals{}, errors.Join(errs...)
	}
	tt := tax.ComputeTotals(amounts, decimals)
	t.SubTotal, t.Descuento, t.Total = tt.SubTotal, tt.Descuento, tt.Total
	t.Traslados = taxAmounts(tt.Traslados)
	t.Retenciones = taxAmounts(tt.Retenciones)
	t.TotalImpuestosTrasladados, t.HasTrasladados = tt.TotalTrasladados, tt.HasTotalTrasladados
	t.TotalImpuestosRetenidos = tt.TotalRetenidos
	return t, nil
}

// taxLine is l as domain/tax sees it: IEPS before IVA (its amount is part
// of the IVA base), then the withholdings.
func taxLine(l *Line) tax.Line {
	tl := tax.Line{Cantidad: l.Cantidad, ValorUnitario: l.ValorUnitario, Descuento: l.Descuento, ObjetoImp: l.ObjetoImp}
	if l.ObjetoImp != ObjetoImpSi {
		return tl
	}
	t := l.Taxes
	if t.IEPSFactor != "" {
		tl.Traslados = append(tl.Traslados, tax.Rate{Impuesto: tax.IEPS, TipoFactor: t.IEPSFactor, TasaOCuota: t.IEPSValor})
	}
	if t.IVAExento {
		tl.Traslados = append(tl.Traslados, tax.Rate{Impuesto: tax.IVA, TipoFactor: tax.Exento})
	} else {
		tl.Traslados = append(tl.Traslados, tax.Rate{Impuesto: tax.IVA, TipoFactor: tax.Tasa, TasaOCuota: t.IVATasa})
	}
	if t.RetIVA.IsPositive() {
		tl.Retenciones = append(tl.Retenciones, tax.Rate{Impuesto: tax.IVA, TipoFactor: tax.Tasa, TasaOCuota: t.RetIVA})
	}
	if t.RetISR.IsPositive() {
		tl.Retenciones = append(tl.Retenciones, tax.Rate{Impuesto: tax.ISR, TipoFactor: tax.Tasa, TasaOCuota: t.RetISR})
	}
	return tl
}

// lineAmounts maps a concept's computed amounts, adding the net amount the
// editor shows.
func lineAmounts(a tax.LineAmounts) LineAmounts {
	la := LineAmounts{Importe: a.Importe, Descuento: a.Descuento, Traslados: taxAmounts(a.Traslados),
		Retenciones: taxAmounts(a.Retenciones), Neto: a.Base}
	for _, x := range la.Traslados {
		la.Neto = la.Neto.Add(x.Importe)
	}
	for _, x := range la.Retenciones {
		la.Neto = la.Neto.Sub(x.Importe)
	}
	return la
}

// taxAmounts maps domain/tax amounts; an Exento traslado has no Importe.
func taxAmounts(xs []tax.TaxAmount) []TaxAmount {
	out := make([]TaxAmount, len(xs))
	for i, x := range xs {
		out[i] = TaxAmount{Impuesto: x.Impuesto, TipoFactor: x.TipoFactor, TasaOCuota: x.TasaOCuota,
			Base: x.Base, Importe: x.Importe, HasImporte: x.TipoFactor != tax.Exento}
	}
	return out
}

// Summary is the totals block of a document as a screen shows it: the CFDI
// SubTotal (Importe), the discounts, the tax base (SubTotal less the
// discounts), the transferred taxes and the withholdings by tax, and the
// Total. Every figure is a sum of amounts Compute already rounded, so the
// screen shows what gets sealed.
type Summary struct {
	Importe, Descuento, Base decimal.Decimal
	IVA, IEPS                decimal.Decimal // traslados, every rate together
	RetIVA, RetISR           decimal.Decimal // retenciones
	Total                    decimal.Decimal
}

// Summary returns t's totals block.
func (t *Totals) Summary() Summary {
	s := Summary{Importe: t.SubTotal, Descuento: t.Descuento, Base: t.SubTotal.Sub(t.Descuento), Total: t.Total}
	for _, g := range t.Traslados {
		switch g.Impuesto {
		case ImpuestoIVA:
			s.IVA = s.IVA.Add(g.Importe)
		case ImpuestoIEPS:
			s.IEPS = s.IEPS.Add(g.Importe)
		}
	}
	for _, g := range t.Retenciones {
		switch g.Impuesto {
		case ImpuestoIVA:
			s.RetIVA = s.RetIVA.Add(g.Importe)
		case ImpuestoISR:
			s.RetISR = s.RetISR.Add(g.Importe)
		}
	}
	return s
}
