package sales

import (
	"fmt"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// CreditKind is why a credit note (CFDI Egreso) is issued against an
// invoice: goods returned, or a rebate granted after the sale.
type CreditKind string

// The kinds of credit note.
const (
	Devolucion CreditKind = "devolucion" // return: lower quantities, same price
	Rebaja     CreditKind = "rebaja"     // rebate: a price per unit, same quantities
)

// TipoRelacion returns the c_TipoRelacion that relates the credit note to
// its invoice (Anexo 20 v4.0, Guía de llenado, CfdiRelacionados: 03
// "Devolución de mercancía sobre facturas o traslados previos", 01 "Nota de
// crédito de los documentos relacionados").
func (k CreditKind) TipoRelacion() string {
	if k == Devolucion {
		return "03"
	}
	return "01"
}

// UsoCFDIDevolucion is c_UsoCFDI G02 "Devoluciones, descuentos o
// bonificaciones", the use of every credit note.
const UsoCFDIDevolucion = "G02"

// FormaPagoCompensacion is c_FormaPago 17 "Compensación": the default of a
// credit note against an invoice paid later (PPD, FormaPago 99), whose
// amount is set off against what the customer owes.
const FormaPagoCompensacion = "17"

// Credited is what earlier credit notes of an invoice already took back,
// per invoice line (0-based index): quantities returned and rebate per
// unit granted.
type Credited struct {
	Returned map[int]decimal.Decimal
	Rebated  map[int]decimal.Decimal
}

func (c Credited) returned(i int) decimal.Decimal { return c.Returned[i] }
func (c Credited) rebated(i int) decimal.Decimal  { return c.Rebated[i] }

// CreditLine is one line of a credit note: the invoice line it credits
// (0-based) and, for a return, the quantity returned, or, for a rebate, the
// rebate per unit.
type CreditLine struct {
	Line     int
	Cantidad decimal.Decimal // Devolucion
	Rebate   decimal.Decimal // Rebaja: per unit, in the invoice's currency
}

// WholeCredit returns the lines of a credit note left as the form opens:
// everything still creditable of every invoice line (what earlier notes
// took back is not offered again). Lines with nothing left are omitted.
func WholeCredit(inv *Invoice, kind CreditKind, done Credited) []CreditLine {
	var out []CreditLine
	for i, l := range inv.Lines {
		switch kind {
		case Devolucion:
			if left := l.Cantidad.Sub(done.returned(i)); left.IsPositive() {
				out = append(out, CreditLine{Line: i, Cantidad: left})
			}
		case Rebaja:
			if left := l.ValorUnitario.Sub(done.rebated(i)); left.IsPositive() {
				out = append(out, CreditLine{Line: i, Rebate: left})
			}
		}
	}
	return out
}

// BuildCreditNote returns the draft of a credit note of kind against inv
// with lines: a CFDI Egreso in serie, for inv's customer, currency and
// exchange rate, UsoCFDI G02, paid in one exhibition (PUE) with the
// invoice's FormaPago (17 Compensación when the invoice's was 99), related
// to inv's UUID with kind's TipoRelacion. Each line copies its invoice
// line's keys, description and taxes: a return keeps the price and takes
// the quantity returned, a rebate keeps the quantity and takes the rebate
// as the price; the invoice line's discount is taken off in proportion
// (tax.RoundDescuento). Taxes follow from the amounts through Compute, so
// they are in proportion too.
//
// Refusals (Invalid, each with its field "Lines[i]…"): a return above what
// was invoiced less earlier returns, a rebate above the price less earlier
// rebates, zero or negative amounts, a line credited twice, an unknown
// line; Conflict when inv's life does not allow relating to it (not
// stamped, cancelled, a cancellation in process).
func BuildCreditNote(inv *Invoice, kind CreditKind, serie string, lines []CreditLine, done Credited, decimals int32) (Invoice, error) {
	const op = "build credit note"
	if err := inv.State.Allowed(EventRelate); err != nil {
		return Invoice{}, err
	}
	if kind != Devolucion && kind != Rebaja {
		return Invoice{}, domain.E(domain.Invalid, op, "Elija devolución o rebaja.", nil)
	}
	forma := inv.FormaPago
	if inv.EffectiveFormaPago() == FormaPagoPorDefinir {
		forma = FormaPagoCompensacion
	}
	note := Invoice{
		Issuer: inv.Issuer, State: StateDraft, Status: StatusDraft, TipoDeComprobante: TipoEgreso, Serie: serie,
		CustomerID: inv.CustomerID, Customer: inv.Customer, UsoCFDI: UsoCFDIDevolucion, Terms: Contado,
		FormaPago: forma, Moneda: inv.Moneda, TipoCambio: inv.TipoCambio,
		Relations: []Relation{{TipoRelacion: kind.TipoRelacion(), UUID: inv.UUID, DocumentID: inv.ID}},
	}
	p := &problems{op: op}
	if len(lines) == 0 {
		p.add("Lines", "Deje al menos un concepto en la nota de crédito.")
	}
	seen := map[int]bool{}
	for j, cl := range lines {
		f := fmt.Sprintf("Lines[%d].", j)
		if cl.Line < 0 || cl.Line >= len(inv.Lines) || seen[cl.Line] {
			p.add(f+"Line", "El concepto no es de la factura o aparece dos veces.")
			continue
		}
		seen[cl.Line] = true
		src := inv.Lines[cl.Line]
		l := src
		// A return credits quantity at the same price; a rebate credits
		// price on the same quantity. Either is bounded by what the invoice
		// line had less what earlier notes took.
		value, whole, prior, field := cl.Cantidad, src.Cantidad, done.returned(cl.Line), "Cantidad"
		zero, over := "La cantidad devuelta debe ser mayor que cero.", "No se pueden devolver más de %s: se facturaron %s y ya se devolvieron %s."
		target := &l.Cantidad
		if kind == Rebaja {
			value, whole, prior, field = cl.Rebate, src.ValorUnitario, done.rebated(cl.Line), "ValorUnitario"
			zero, over = "La rebaja por unidad debe ser mayor que cero.", "La rebaja por unidad no puede pasar de %s: el precio es %s y ya se rebajaron %s."
			target = &l.ValorUnitario
		}
		if left := whole.Sub(prior); !value.IsPositive() {
			p.add(f+field, zero)
			continue
		} else if value.GreaterThan(left) {
			p.add(f+field, fmt.Sprintf(over, left, whole, prior))
			continue
		}
		*target = value
		l.Descuento = proportional(src.Descuento, value, whole, decimals)
		note.Lines = append(note.Lines, l)
	}
	if err := p.err(); err != nil {
		return Invoice{}, err
	}
	return note, nil
}

// proportional returns the part part/whole of an invoice line's discount,
// rounded as a concept's Descuento is (tax.RoundDescuento).
func proportional(discount, part, whole decimal.Decimal, decimals int32) decimal.Decimal {
	if discount.IsZero() || whole.IsZero() {
		return decimal.Zero
	}
	return tax.RoundDescuento(discount.Mul(part).DivRound(whole, 12), decimals)
}
