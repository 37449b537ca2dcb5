package tax

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
)

// c_Impuesto keys.
const (
	ISR  = "001"
	IVA  = "002"
	IEPS = "003"
)

// c_TipoFactor keys.
const (
	Tasa   = "Tasa"
	Cuota  = "Cuota"
	Exento = "Exento"
)

// Rate is one tax applied to a concept: which tax (c_Impuesto), how
// (c_TipoFactor) and the rate or per-unit amount (c_TasaOCuota; zero and
// ignored for Exento). Whether the combination is in SAT's c_TasaOCuota
// catalog is checked by the catalogs, not here.
type Rate struct {
	Impuesto   string // ISR, IVA or IEPS
	TipoFactor string // Tasa, Cuota or Exento
	TasaOCuota decimal.Decimal
}

// Line is what an invoice line gives to compute a concept's amounts.
// Cantidad, ValorUnitario, Descuento and every TasaOCuota may have up to 6
// decimals.
type Line struct {
	Cantidad, ValorUnitario decimal.Decimal
	Descuento               decimal.Decimal // zero when there is none
	ObjetoImp               string          // c_ObjetoImp
	Traslados, Retenciones  []Rate
}

// TaxAmount is one computed Traslado or Retencion. For Exento, Importe is
// zero and must not be written. At document level a Retencion only carries
// Impuesto and Importe.
type TaxAmount struct {
	Rate
	Base, Importe decimal.Decimal
}

// LineAmounts are a concept's amounts, rounded to the currency's decimals.
type LineAmounts struct {
	Importe   decimal.Decimal // RoundImporte(Cantidad × ValorUnitario)
	Descuento decimal.Decimal // RoundDescuento(Descuento)
	Base      decimal.Decimal // Importe − Descuento
	// Traslados and Retenciones are in the order of Line's rates.
	Traslados, Retenciones []TaxAmount
}

// Totals are a document's amounts, all in the currency's decimals.
type Totals struct {
	SubTotal, Descuento, TotalTrasladados, TotalRetenidos, Total decimal.Decimal
	// Traslados are grouped by (Impuesto, TipoFactor, TasaOCuota), ordered
	// by Impuesto and then by first appearance; Retenciones are grouped by
	// Impuesto and ordered by it.
	Traslados, Retenciones []TaxAmount
	// HasTraslados and HasRetenciones say whether the document carries
	// cfdi:Traslados / cfdi:Retenciones. HasTotalTrasladados is false when
	// every traslado is Exento: TotalImpuestosTrasladados must then be
	// omitted (Anexo 20 v4.0, Guía de llenado, Impuestos).
	HasTraslados, HasRetenciones, HasTotalTrasladados bool
}

// objetoImp tells, per c_ObjetoImp key, whether a concept must (02), may
// (05–08: their combinations are the catalogs' business) or must not (01,
// 03, 04) carry taxes (Anexo 20 v4.0, CFDI40171 and CFDI40172).
var objetoImp = map[string]struct{ required, allowed bool }{
	"01": {false, false}, "02": {true, true}, "03": {false, false}, "04": {false, false},
	"05": {false, true}, "06": {false, true}, "07": {false, true}, "08": {false, true},
}

// ComputeLine computes a concept's Importe, Descuento, tax Base and taxes in
// the currency's decimals (0–6). The rules:
//
//   - Importe = RoundImporte(Cantidad × ValorUnitario); Descuento =
//     RoundDescuento(Descuento); Base = Importe − Descuento.
//   - IEPS trasladado is computed first: Tasa on Base; Cuota per unit, with
//     Cantidad as its Base (Anexo 20: for Cuota the base is the number of
//     units) and Importe = Cantidad × cuota.
//   - IVA trasladado (Tasa or Exento) is computed on Base plus the IEPS
//     trasladado of the same concept (Ley del IVA, art. 18: the IVA base
//     includes other taxes; sample 12 of the SAT pack).
//   - Retenciones of ISR and IVA are computed on Base.
//   - Every tax Importe is RoundImpuestoConcepto(base × rate).
//   - ObjetoImp 02 requires a tax, 01/03/04 forbid them, 05–08 allow them;
//     which rates fit 05–08 is left to the catalog checks.
//
// Cantidad must be above zero; ValorUnitario may be zero (a Pago's concept),
// so requiring it above zero for I, E and N documents (CFDI40166) is the
// caller's rule.
//
// It returns every problem found, joined, each a *domain.Error of kind
// Invalid with a Spanish message.
func ComputeLine(l Line, decimals int32) (LineAmounts, error) {
	const op = "tax.ComputeLine"
	if decimals < 0 || decimals > MaxDecimals {
		return LineAmounts{}, domain.E(domain.Internal, op, "", fmt.Errorf("currency decimals %d out of range", decimals))
	}
	var errs []error
	bad := func(code, format string, args ...any) {
		e := domain.Errorf(domain.Invalid, op, format, args...)
		e.Code = code
		errs = append(errs, e)
	}
	checkNumber := func(name string, d decimal.Decimal, positive bool) {
		switch {
		case d.IsNegative() || (positive && d.IsZero()):
			if positive {
				bad("", "%s debe ser mayor que cero.", name)
			} else {
				bad("", "%s no puede ser negativo.", name)
			}
		case places(d) > MaxDecimals:
			bad("", "%s admite hasta %d decimales.", name, MaxDecimals)
		}
	}
	checkNumber("La cantidad", l.Cantidad, true)
	checkNumber("El valor unitario", l.ValorUnitario, false)
	checkNumber("El descuento", l.Descuento, false)

	var a LineAmounts
	a.Importe = RoundImporte(l.Cantidad.Mul(l.ValorUnitario), decimals)
	a.Descuento = RoundDescuento(l.Descuento, decimals)
	if !a.Importe.IsNegative() && a.Descuento.GreaterThan(a.Importe) {
		bad("CFDI40169", "El descuento (%s) no puede ser mayor que el importe del concepto (%s).", Format(a.Descuento, decimals), Format(a.Importe, decimals))
	}
	a.Base = a.Importe.Sub(a.Descuento)

	obj, known := objetoImp[l.ObjetoImp]
	hasTaxes := len(l.Traslados)+len(l.Retenciones) > 0
	switch {
	case !known:
		bad("CFDI40170", "El objeto de impuesto «%s» no está en el catálogo c_ObjetoImp.", l.ObjetoImp)
	case obj.required && !hasTaxes:
		bad("CFDI40171", "El concepto es objeto de impuesto (02): indique al menos un impuesto trasladado o retenido.")
	case !obj.allowed && hasTaxes:
		bad("CFDI40172", "El concepto con objeto de impuesto %s no debe llevar impuestos.", l.ObjetoImp)
	}

	// IEPS first: its amount is part of the IVA base.
	a.Traslados = make([]TaxAmount, len(l.Traslados))
	iepsTrasladado := decimal.Zero
	for pass := range 2 {
		for i, r := range l.Traslados {
			if (r.Impuesto == IEPS) != (pass == 0) {
				continue
			}
			if err := checkRate(r, false); err != nil {
				errs = append(errs, err)
				continue
			}
			base := a.Base
			if r.Impuesto == IVA {
				base = base.Add(iepsTrasladado)
			}
			t := computeTax(r, base, l.Cantidad, decimals)
			if r.Impuesto == IEPS {
				iepsTrasladado = iepsTrasladado.Add(t.Importe)
			}
			a.Traslados[i] = t
		}
	}
	a.Retenciones = make([]TaxAmount, len(l.Retenciones))
	for i, r := range l.Retenciones {
		if err := checkRate(r, true); err != nil {
			errs = append(errs, err)
			continue
		}
		a.Retenciones[i] = computeTax(r, a.Base, l.Cantidad, decimals)
	}
	if (hasTaxes || obj.required) && !a.Base.IsPositive() {
		bad("CFDI40174", "La base de los impuestos (importe menos descuento) debe ser mayor que cero.")
	}
	if len(errs) > 0 {
		return LineAmounts{}, errors.Join(errs...)
	}
	return a, nil
}

// computeTax applies one rate: Tasa on base, Cuota per unit of cantidad,
// Exento nothing.
func computeTax(r Rate, base, cantidad decimal.Decimal, decimals int32) TaxAmount {
	t := TaxAmount{Rate: r, Base: base}
	switch r.TipoFactor {
	case Tasa:
		t.Importe = RoundImpuestoConcepto(base.Mul(r.TasaOCuota), decimals)
	case Cuota:
		t.Base = cantidad
		t.Importe = RoundImpuestoConcepto(cantidad.Mul(r.TasaOCuota), decimals)
	case Exento:
		t.TasaOCuota = decimal.Zero
		t.Importe = decimal.Zero
	}
	return t
}

// checkRate checks what the tax rules themselves require of a rate (the
// c_TasaOCuota values allowed are the catalogs' business).
func checkRate(r Rate, retencion bool) error {
	const op = "tax.ComputeLine"
	kind := "trasladado"
	if retencion {
		kind = "retenido"
	}
	switch {
	case r.Impuesto != ISR && r.Impuesto != IVA && r.Impuesto != IEPS:
		e := domain.Errorf(domain.Invalid, op, "El impuesto %s «%s» no está en el catálogo c_Impuesto.", kind, r.Impuesto)
		e.Code = map[bool]string{false: "CFDI40175", true: "CFDI40182"}[retencion]
		return e
	case !retencion && r.Impuesto == ISR:
		return domain.Errorf(domain.Invalid, op, "El ISR no se traslada; sólo puede retenerse.")
	case r.TipoFactor != Tasa && r.TipoFactor != Cuota && r.TipoFactor != Exento:
		e := domain.Errorf(domain.Invalid, op, "El tipo factor «%s» del impuesto %s no está en el catálogo c_TipoFactor.", r.TipoFactor, kind)
		e.Code = map[bool]string{false: "CFDI40176", true: "CFDI40183"}[retencion]
		return e
	case retencion && r.TipoFactor == Exento:
		e := domain.Errorf(domain.Invalid, op, "Una retención no puede ser Exento.")
		e.Code = "CFDI40184"
		return e
	case r.TipoFactor == Cuota && r.Impuesto != IEPS:
		return domain.Errorf(domain.Invalid, op, "Sólo el IEPS se calcula por cuota.")
	case r.TipoFactor != Exento && (r.TasaOCuota.IsNegative() || places(r.TasaOCuota) > MaxDecimals):
		return domain.Errorf(domain.Invalid, op, "La tasa o cuota %s debe ser un número no negativo con hasta %d decimales.", r.TasaOCuota, MaxDecimals)
	}
	return nil
}

// ComputeTotals sums a document's concepts (already computed by ComputeLine
// in the same currency decimals): SubTotal = Σ Importe; Descuento =
// Σ Descuento; Traslados grouped by (Impuesto, TipoFactor, TasaOCuota) with
// summed Base and Importe; Retenciones grouped by Impuesto with summed
// Importe; TotalTrasladados and TotalRetenidos; Total = SubTotal − Descuento
// + TotalTrasladados − TotalRetenidos. Every result goes through RoundTotal
// (a no-op on sums of amounts already in the currency's decimals).
func ComputeTotals(lines []LineAmounts, decimals int32) Totals {
	var t Totals
	t.SubTotal, t.Descuento = decimal.Zero, decimal.Zero
	t.TotalTrasladados, t.TotalRetenidos = decimal.Zero, decimal.Zero
	trasladoAt := map[string]int{}
	retencionAt := map[string]int{}
	for _, l := range lines {
		t.SubTotal = t.SubTotal.Add(l.Importe)
		t.Descuento = t.Descuento.Add(l.Descuento)
		for _, x := range l.Traslados {
			k := trasladoKey(x.Rate)
			i, ok := trasladoAt[k]
			if !ok {
				i = len(t.Traslados)
				trasladoAt[k] = i
				t.Traslados = append(t.Traslados, TaxAmount{Rate: x.Rate, Base: decimal.Zero, Importe: decimal.Zero})
			}
			t.Traslados[i].Base = t.Traslados[i].Base.Add(x.Base)
			t.Traslados[i].Importe = t.Traslados[i].Importe.Add(x.Importe)
		}
		for _, x := range l.Retenciones {
			i, ok := retencionAt[x.Impuesto]
			if !ok {
				i = len(t.Retenciones)
				retencionAt[x.Impuesto] = i
				t.Retenciones = append(t.Retenciones, TaxAmount{Rate: Rate{Impuesto: x.Impuesto}, Base: decimal.Zero, Importe: decimal.Zero})
			}
			t.Retenciones[i].Base = t.Retenciones[i].Base.Add(x.Base)
			t.Retenciones[i].Importe = t.Retenciones[i].Importe.Add(x.Importe)
		}
	}
	byImpuesto := func(a, b TaxAmount) int { return cmp.Compare(a.Impuesto, b.Impuesto) }
	slices.SortStableFunc(t.Traslados, byImpuesto)
	slices.SortStableFunc(t.Retenciones, byImpuesto)
	for i := range t.Traslados {
		x := &t.Traslados[i]
		x.Base, x.Importe = RoundTotal(x.Base, decimals), RoundTotal(x.Importe, decimals)
		if x.TipoFactor != Exento {
			t.HasTotalTrasladados = true
			t.TotalTrasladados = t.TotalTrasladados.Add(x.Importe)
		}
	}
	for i := range t.Retenciones {
		x := &t.Retenciones[i]
		x.Base, x.Importe = RoundTotal(x.Base, decimals), RoundTotal(x.Importe, decimals)
		t.TotalRetenidos = t.TotalRetenidos.Add(x.Importe)
	}
	t.HasTraslados, t.HasRetenciones = len(t.Traslados) > 0, len(t.Retenciones) > 0
	t.SubTotal = RoundTotal(t.SubTotal, decimals)
	t.Descuento = RoundTotal(t.Descuento, decimals)
	t.TotalTrasladados = RoundTotal(t.TotalTrasladados, decimals)
	t.TotalRetenidos = RoundTotal(t.TotalRetenidos, decimals)
	t.Total = RoundTotal(t.SubTotal.Sub(t.Descuento).Add(t.TotalTrasladados).Sub(t.TotalRetenidos), decimals)
	return t
}

// trasladoKey identifies a document-level Traslado group; the rate is
// compared by value ("0.16" and "0.160000" are the same rate).
func trasladoKey(r Rate) string {
	rate := ""
	if r.TipoFactor != Exento {
		rate = r.TasaOCuota.StringFixed(MaxDecimals)
	}
	return r.Impuesto + "|" + r.TipoFactor + "|" + rate
}

// places returns how many significant decimals d has ("1.50" → 1).
func places(d decimal.Decimal) int32 {
	s := d.String() // no exponent, no trailing zeros
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return int32(len(s) - i - 1)
	}
	return 0
}
