package sales

import (
	"fmt"
	"strconv"
	"strings"
	"time"

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

// LineRef names the invoice line a credit note's line credits: the
// invoice (its id in this installation) and the line (0-based).
type LineRef struct {
	InvoiceID int64
	Line      int
}

// CreditSource is one invoice a credit note credits: the invoice as stored
// (stamped, with its UUID), what its earlier live credit notes already took
// (Done) and the lines this note credits.
type CreditSource struct {
	Invoice *Invoice
	Done    Credited
	Lines   []CreditLine
}

// BuildCreditNote is BuildCredit of one invoice.
func BuildCreditNote(inv *Invoice, kind CreditKind, serie string, lines []CreditLine, done Credited, decimals int32) (Invoice, error) {
	return BuildCredit(kind, serie, []CreditSource{{Invoice: inv, Done: done, Lines: lines}}, decimals)
}

// BuildCredit returns the draft of a credit note of kind against the
// invoices of sources (one or several of the same customer, issuer and
// currency): a CFDI Egreso in serie, for their customer, currency and the
// first invoice's exchange rate (the user confirms it), UsoCFDI G02, paid
// in one exhibition (PUE) with the first invoice's FormaPago (17
// Compensación when any of them is paid later, PPD), related to each
// invoice's UUID with kind's TipoRelacion. Each line copies its invoice
// line's keys, description and taxes and records which line it credits
// (Line.Credits): a return keeps the price and takes the quantity returned,
// a rebate keeps the quantity and takes the rebate as the price; the
// invoice line's discount is taken off in proportion (tax.RoundDescuento).
// Taxes follow from the amounts through Compute, so they are in proportion
// too.
//
// Refusals (Invalid, each with its field "Lines[i]…"): a return above what
// was invoiced less earlier returns, a rebate above the price less earlier
// rebates, zero or negative amounts, a line credited twice, an unknown
// line, invoices of different customers or currencies; Conflict when an
// invoice's life does not allow relating to it (not stamped, cancelled, a
// cancellation in process).
func BuildCredit(kind CreditKind, serie string, sources []CreditSource, decimals int32) (Invoice, error) {
	const op = "build credit note"
	if kind != Devolucion && kind != Rebaja {
		return Invoice{}, domain.E(domain.Invalid, op, "Elija devolución o rebaja.", nil)
	}
	if len(sources) == 0 || sources[0].Invoice == nil {
		return Invoice{}, domain.E(domain.Invalid, op, "Elija la factura a la que se aplica la nota de crédito.", nil)
	}
	first := sources[0].Invoice
	note := Invoice{
		Issuer: first.Issuer, State: StateDraft, Status: StatusDraft, TipoDeComprobante: TipoEgreso, Serie: serie,
		CreditKind: kind, CustomerID: first.CustomerID, Customer: first.Customer, UsoCFDI: UsoCFDIDevolucion,
		Terms: Contado, FormaPago: first.FormaPago, Moneda: first.Moneda, TipoCambio: first.TipoCambio,
		CondicionesDePago: first.CondicionesDePago, OrderRef: first.OrderRef,
	}
	p := &problems{op: op}
	n := 0
	// seen and related span every source: an invoice given twice is one
	// invoice, related once, each of its lines credited once.
	seen := map[LineRef]bool{}
	for _, src := range sources {
		inv := src.Invoice
		if inv == nil {
			return Invoice{}, domain.E(domain.Invalid, op, "Elija la factura a la que se aplica la nota de crédito.", nil)
		}
		if err := creditable(inv, first); err != nil {
			return Invoice{}, err
		}
		if inv.EffectiveFormaPago() == FormaPagoPorDefinir {
			note.FormaPago = FormaPagoCompensacion
		}
		if !relatesUUID(note.Relations, inv.UUID) {
			note.Relations = append(note.Relations, Relation{TipoRelacion: kind.TipoRelacion(), UUID: inv.UUID, DocumentID: inv.ID})
		}
		for _, cl := range src.Lines {
			f := fmt.Sprintf("Lines[%d].", n)
			n++
			ref := LineRef{InvoiceID: inv.ID, Line: cl.Line}
			if cl.Line < 0 || cl.Line >= len(inv.Lines) || seen[ref] {
				p.add(f+"Line", "El concepto no es de la factura o aparece dos veces.")
				continue
			}
			seen[ref] = true
			value := cl.Cantidad
			if kind == Rebaja {
				value = cl.Rebate
			}
			l, msg := creditedLine(kind, inv, cl.Line, value, src.Done, decimals)
			if msg != "" {
				p.add(f+creditField(kind), msg)
				continue
			}
			note.Lines = append(note.Lines, l)
		}
	}
	if n == 0 {
		p.add("Lines", "Deje al menos un concepto en la nota de crédito.")
	}
	if err := p.err(); err != nil {
		return Invoice{}, err
	}
	return note, nil
}

// relatesUUID reports whether rs already relate the CFDI uuid.
func relatesUUID(rs []Relation, uuid string) bool {
	for _, r := range rs {
		if uuid != "" && strings.EqualFold(r.UUID, uuid) {
			return true
		}
	}
	return false
}

// creditable checks that inv may be credited in the same note as first:
// its life allows relating to it, it is an invoice, and it is of the same
// issuer, customer and currency.
func creditable(inv, first *Invoice) error {
	const op = "build credit note"
	if err := inv.State.Allowed(EventRelate); err != nil {
		return err
	}
	if inv.TipoDeComprobante != TipoIngreso {
		return domain.E(domain.Invalid, op, "Solo se emiten notas de crédito sobre facturas de ingreso.", nil)
	}
	if inv.Issuer != first.Issuer || inv.CustomerID != first.CustomerID {
		return domain.E(domain.Invalid, op, fmt.Sprintf("La factura %s es de otro cliente: una nota de crédito se aplica a facturas de un solo cliente.", inv.FolioText()), nil)
	}
	if inv.Moneda != first.Moneda {
		return domain.E(domain.Invalid, op, fmt.Sprintf("La factura %s está en %s y la nota en %s: una nota de crédito se aplica a facturas de una sola moneda.", inv.FolioText(), inv.Moneda, first.Moneda), nil)
	}
	return nil
}

// creditField is the line field a credit of kind changes.
func creditField(kind CreditKind) string {
	if kind == Rebaja {
		return "ValorUnitario"
	}
	return "Cantidad"
}

// creditedLine returns the credit note's line that credits value (a
// quantity returned, or a rebate per unit) of line i of inv, or the
// Spanish reason it may not: zero or negative, or above what the invoice
// line had less what earlier notes (done) took. This is the one rule both
// the form (BuildCredit) and the post (CheckCredit) apply.
func creditedLine(kind CreditKind, inv *Invoice, i int, value decimal.Decimal, done Credited, decimals int32) (Line, string) {
	src := inv.Lines[i]
	l := src
	l.Credits = &LineRef{InvoiceID: inv.ID, Line: i}
	whole, prior, target := src.Cantidad, done.returned(i), &l.Cantidad
	zero, over := "La cantidad devuelta debe ser mayor que cero.", "No se pueden devolver más de %s: se facturaron %s y ya se devolvieron %s."
	if kind == Rebaja {
		whole, prior, target = src.ValorUnitario, done.rebated(i), &l.ValorUnitario
		zero, over = "La rebaja por unidad debe ser mayor que cero.", "La rebaja por unidad no puede pasar de %s: el precio es %s y ya se rebajaron %s."
	}
	if !value.IsPositive() {
		return Line{}, zero
	}
	if left := whole.Sub(prior); value.GreaterThan(left) {
		return Line{}, fmt.Sprintf(over, left, whole, prior)
	}
	*target = value
	l.Descuento = proportional(src.Descuento, value, whole, decimals)
	if kind == Rebaja && l.Taxes.IEPSFactor == FactorCuota {
		// A cuota is an amount per unit sold, not a share of the price: a
		// rebate leaves the units, so it takes back no IEPS cuota.
		l.Taxes.IEPSFactor, l.Taxes.IEPSValor = "", decimal.Zero
	}
	return l, ""
}

// CheckCredit checks, when it is posted, that credit note note still
// credits what its invoices allow: every line credits a line of one of
// invoices (by id, as stored now) within what was invoiced less done (what
// the other live notes took, per invoice id), with the invoice line's keys,
// taxes and fixed side (the price of a return, the quantity of a rebate)
// unchanged and its discount in proportion; every invoice is related with
// the kind's TipoRelacion and may still be related; they are of the note's
// customer and currency. The same rule as BuildCredit, run again in the
// posting transaction because other notes may have been posted since the
// form opened.
func CheckCredit(note *Invoice, invoices map[int64]*Invoice, done map[int64]Credited, decimals int32) error {
	const op = "post credit note"
	kind := note.CreditKind
	if kind != Devolucion && kind != Rebaja {
		return domain.E(domain.Invalid, op, "La nota de crédito no dice si es devolución o rebaja.", nil)
	}
	related := map[int64]bool{}
	for _, r := range note.Relations {
		if r.TipoRelacion == kind.TipoRelacion() && r.DocumentID != 0 {
			related[r.DocumentID] = true
		}
	}
	p := &problems{op: op}
	seen := map[LineRef]bool{}
	for j, l := range note.Lines {
		f := fmt.Sprintf("Lines[%d].", j)
		ref := l.Credits
		if ref == nil {
			p.add(f+"Credits", "Cada concepto de la nota de crédito debe venir de un concepto de la factura.")
			continue
		}
		inv, ok := invoices[ref.InvoiceID]
		if !ok || ref.Line < 0 || ref.Line >= len(inv.Lines) || seen[*ref] {
			p.add(f+"Credits", "El concepto no es de la factura o aparece dos veces.")
			continue
		}
		seen[*ref] = true
		if !related[inv.ID] || inv.UUID == "" {
			p.add("Relations", fmt.Sprintf("La nota de crédito debe relacionar la factura %s con el tipo de relación %s.", inv.FolioText(), kind.TipoRelacion()))
			continue
		}
		if err := creditable(inv, &Invoice{Issuer: note.Issuer, CustomerID: note.CustomerID, Moneda: note.Moneda}); err != nil {
			return err
		}
		value := l.Cantidad
		if kind == Rebaja {
			value = l.ValorUnitario
		}
		want, msg := creditedLine(kind, inv, ref.Line, value, done[inv.ID], decimals)
		if msg != "" {
			p.add(f+creditField(kind), msg)
			continue
		}
		if !sameCredit(l, want) {
			p.add(f+creditField(kind), "El concepto cambió respecto a la factura: en una devolución solo baja la cantidad y en una rebaja solo el precio.")
		}
	}
	if len(note.Lines) == 0 {
		p.add("Lines", "Deje al menos un concepto en la nota de crédito.")
	}
	return p.err()
}

// sameCredit reports whether a stored credit line equals the one the rule
// derives from its invoice line.
func sameCredit(got, want Line) bool {
	return got.ProductID == want.ProductID && got.NoIdentificacion == want.NoIdentificacion &&
		got.ClaveUnidad == want.ClaveUnidad && got.ClaveProdServ == want.ClaveProdServ && got.ObjetoImp == want.ObjetoImp &&
		got.Cantidad.Equal(want.Cantidad) && got.ValorUnitario.Equal(want.ValorUnitario) &&
		got.Descuento.Equal(want.Descuento) && got.Taxes.equal(want.Taxes)
}

// Add counts line l of a live credit note of kind, which credits invoice
// line line: its quantity as returned, or its price as rebated per unit.
func (c *Credited) Add(kind CreditKind, line int, l Line) {
	if c.Returned == nil {
		c.Returned, c.Rebated = map[int]decimal.Decimal{}, map[int]decimal.Decimal{}
	}
	switch kind {
	case Devolucion:
		c.Returned[line] = c.Returned[line].Add(l.Cantidad)
	case Rebaja:
		c.Rebated[line] = c.Rebated[line].Add(l.ValorUnitario)
	}
}

// proportional returns the part part/whole of an invoice line's discount,
// rounded as a concept's Descuento is (tax.RoundDescuento).
func proportional(discount, part, whole decimal.Decimal, decimals int32) decimal.Decimal {
	if discount.IsZero() || whole.IsZero() {
		return decimal.Zero
	}
	return tax.RoundDescuento(discount.Mul(part).DivRound(whole, 12), decimals)
}

// CreditNoteRow is a credit note posted against an invoice, as its trace
// and its cancellation show it.
type CreditNoteRow struct {
	ID     int64
	Serie  string
	Folio  int64
	State  State
	Kind   CreditKind
	Fecha  time.Time
	Moneda string
	Total  decimal.Decimal // the whole note
	// Applied is the note's share of the invoice it was asked for: its whole
	// total unless it also credits other invoices.
	Applied decimal.Decimal
	UUID    string
}

// Live reports whether the note still counts against its invoice: posted
// and not cancelled.
func (r CreditNoteRow) Live() bool { return r.State != StateDraft && r.State != StateCancelled }

// FolioText is "SERIE-FOLIO".
func (r CreditNoteRow) FolioText() string { return r.Serie + "-" + strconv.FormatInt(r.Folio, 10) }

// AllowCancelInvoice tells whether an invoice in state st with the credit
// notes notes may be cancelled now: its lifecycle must allow the request,
// and no live credit note may remain (they are cancelled first, so that
// nothing credits a cancelled invoice). The refusal names the live notes.
func AllowCancelInvoice(st State, notes []CreditNoteRow) error {
	if err := st.Allowed(EventRequestCancel); err != nil {
		return err
	}
	var live []string
	for _, n := range notes {
		if n.Live() {
			live = append(live, n.FolioText())
		}
	}
	if len(live) == 0 {
		return nil
	}
	return domain.E(domain.Conflict, "cancel invoice", fmt.Sprintf(
		"La factura tiene notas de crédito vigentes (%s); cancélelas antes de cancelar la factura.", strings.Join(live, ", ")), nil)
}

// SetCreditShares records on each relation of credit note note the part of
// its total t that credits the related invoice: the lines credited from
// that invoice, taxes included (LineAmounts.Neto), with the centavos that
// rounding the document's taxes moves given to the last invoice so the
// shares add up to the total exactly. What a receivable or the invoice list
// subtracts from an invoice is its share, not the whole note.
func SetCreditShares(note *Invoice, t Totals) {
	if note.CreditKind == "" || len(t.Lines) != len(note.Lines) {
		return
	}
	share := map[int64]decimal.Decimal{}
	var order []int64
	for j, l := range note.Lines {
		if l.Credits == nil {
			continue
		}
		id := l.Credits.InvoiceID
		if _, ok := share[id]; !ok {
			order = append(order, id)
		}
		share[id] = share[id].Add(t.Lines[j].Neto)
	}
	if len(order) == 0 {
		return
	}
	sum := decimal.Zero
	for _, id := range order {
		share[id] = share[id].Round(t.Decimals)
		sum = sum.Add(share[id])
	}
	last := order[len(order)-1]
	share[last] = share[last].Add(t.Total.Sub(sum))
	for i := range note.Relations {
		r := &note.Relations[i]
		if v, ok := share[r.DocumentID]; ok && r.DocumentID != 0 {
			r.Credited = v
			delete(share, r.DocumentID) // an invoice related twice counts once
		}
	}
}
