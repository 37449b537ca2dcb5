package sales

import "github.com/shopspring/decimal"

// PartAmounts are the amounts of some of an invoice's concepts: the sums of
// the concepts' amounts exactly as Compute (and so the CFDI) has them, in
// the invoice's currency. Total = SubTotal − Descuento + Traslados −
// Retenciones.
type PartAmounts struct {
	SubTotal    decimal.Decimal // Σ Importe
	Descuento   decimal.Decimal // Σ Descuento
	Traslados   decimal.Decimal // Σ traslados' Importe
	Retenciones decimal.Decimal // Σ retenciones' Importe
	Total       decimal.Decimal
}

func (a *PartAmounts) add(l LineAmounts) {
	a.SubTotal = a.SubTotal.Add(l.Importe)
	a.Descuento = a.Descuento.Add(l.Descuento)
	for _, x := range l.Traslados {
		a.Traslados = a.Traslados.Add(x.Importe)
	}
	for _, x := range l.Retenciones {
		a.Retenciones = a.Retenciones.Add(x.Importe)
	}
	a.Total = a.Total.Add(l.Neto)
}

// SplitTotals divides t, the Totals of inv (Compute), between the
// company's own concepts and those billed on behalf of third parties.
// Every concept amount is already rounded to the currency's decimals
// (domain/tax), so own.Total + third.Total is exactly t.Total, and likewise
// for SubTotal, Descuento and the taxes.
func SplitTotals(inv *Invoice, t Totals) (own, third PartAmounts) {
	for i, la := range t.Lines {
		if i < len(inv.Lines) && inv.Lines[i].OnBehalf() {
			third.add(la)
		} else {
			own.add(la)
		}
	}
	return own, third
}

// Split computes inv for a currency with decimals decimals (c_Moneda
// "decimales") and divides its amounts as SplitTotals does. It fails as
// Compute does.
func (inv *Invoice) Split(decimals int32) (own, third PartAmounts, err error) {
	t, err := Compute(inv, decimals)
	if err != nil {
		return PartAmounts{}, PartAmounts{}, err
	}
	own, third = SplitTotals(inv, t)
	return own, third, nil
}

// ThirdPartyTotals returns, per third party (ThirdPartyRef.ID), the total
// including taxes of the concepts inv bills on its behalf, computed as
// Compute does for a currency with decimals decimals: what the company
// collects for that third party and owes it. An invoice with no such
// concepts gives an empty map.
func (inv *Invoice) ThirdPartyTotals(decimals int32) (map[int64]decimal.Decimal, error) {
	t, err := Compute(inv, decimals)
	if err != nil {
		return nil, err
	}
	out := map[int64]decimal.Decimal{}
	for i, la := range t.Lines {
		if tp := inv.Lines[i].ThirdParty; tp != nil {
			out[tp.ID] = out[tp.ID].Add(la.Neto)
		}
	}
	return out, nil
}
