package sales

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// The fixed keys of a payment receipt (CFDI "Pago", TipoDeComprobante P).
// Guía de llenado del complemento para recepción de pagos 2.0, "CFDI con
// complemento para recepción de pagos": one concept ClaveProdServ 84111506
// "Servicios de facturación", ClaveUnidad ACT "Actividad", Cantidad 1,
// Descripcion "Pago", ValorUnitario and Importe 0, ObjetoImp 01; Receptor
// UsoCFDI CP01 "Pagos"; Moneda XXX; SubTotal and Total 0.
const (
	ClaveProdServPago = "84111506"
	ClaveUnidadPago   = "ACT"
	DescripcionPago   = "Pago"
	UsoCFDIPago       = "CP01"
	MonedaPago        = "XXX"
)

// Payment is what a payment receipt (Invoice.Payment, TipoDeComprobante P)
// records: one payment received from the customer (pago20:Pago) and the
// documents it pays. Amounts are decimals; ImpuestosP and Totales are
// derived from Docs by Summary.
type Payment struct {
	FechaPago    time.Time       // when the money was received
	FormaDePagoP string          // c_FormaPago, never 99
	MonedaP      string          // c_Moneda of the payment, never XXX
	TipoCambioP  decimal.Decimal // pesos per unit of MonedaP; 1 for MXN
	Monto        decimal.Decimal // in MonedaP
	NumOperacion string          // the bank's reference, optional
	AccountID    int64           // the company's bank account it went into; 0 when not said
	Docs         []PaidDocument
}

// PaidDocument is one document a payment pays (pago20:DoctoRelacionado).
// Amounts are in MonedaDR, the invoice's currency.
type PaidDocument struct {
	InvoiceID        int64 // the invoice in this installation
	UUID             string
	Serie            string
	Folio            int64
	MonedaDR         string
	EquivalenciaDR   decimal.Decimal // units of MonedaDR per unit of MonedaP; 1 when equal
	NumParcialidad   int
	ImpSaldoAnt      decimal.Decimal
	ImpPagado        decimal.Decimal
	ImpSaldoInsoluto decimal.Decimal
	ObjetoImpDR      string        // 02 when the invoice has taxes, 01 otherwise
	Taxes            []DocumentTax // TrasladosDR and RetencionesDR, in proportion to ImpPagado
}

// PaymentSummary is what a payment's documents add up to: ImpuestosP in
// MonedaP and Totales in pesos (Guía de llenado de pagos 2.0, ImpuestosP
// and Totales).
type PaymentSummary struct {
	Traslados   []DocumentTax // TrasladosP: by impuesto, factor and rate
	Retenciones []DocumentTax // RetencionesP: by impuesto (Base unused)
	Totales     PaymentTotals
}

// PaymentTotals are the attributes of pago20:Totales, in pesos; a nil
// pointer is an attribute that does not apply.
type PaymentTotals struct {
	RetencionesIVA, RetencionesISR, RetencionesIEPS *decimal.Decimal
	TrasladosBaseIVA16, TrasladosImpuestoIVA16      *decimal.Decimal
	TrasladosBaseIVA8, TrasladosImpuestoIVA8        *decimal.Decimal
	TrasladosBaseIVA0, TrasladosImpuestoIVA0        *decimal.Decimal
	TrasladosBaseIVAExento                          *decimal.Decimal
	MontoTotalPagos                                 decimal.Decimal
}

// Payable is an invoice as a payment sees it: the invoice as stored, its
// total and taxes (from its lines through Compute, the sealed amounts), and
// what reduced it so far.
type Payable struct {
	Invoice *Invoice
	Total   decimal.Decimal
	Taxes   []DocumentTax
	PaidSummary
}

// PaidSummary is what has reduced an invoice's balance: the ImpPagado of
// its live payment receipts (posted and not cancelled), how many of them
// there are (the next NumParcialidad follows), and the shares of its live
// credit notes (Relation.Credited).
type PaidSummary struct {
	Paid     decimal.Decimal
	Payments int
	Credited decimal.Decimal
}

// Balance is what the customer still owes of the invoice, in its currency.
func (p *Payable) Balance() decimal.Decimal { return p.Total.Sub(p.Paid).Sub(p.Credited) }

// PayableOf returns inv as a payment sees it, with what reduced it (s):
// its total and taxes come from Compute with the decimals of its currency
// and AmountsOf, exactly what was sealed.
func PayableOf(inv *Invoice, s PaidSummary, cat Catalogs) (Payable, error) {
	decimals, ok := cat.MonedaDecimals(inv.Moneda)
	if !ok {
		return Payable{}, domain.E(domain.Invalid, "payable", "La moneda de la factura no existe en el catálogo del SAT.", nil)
	}
	t, err := Compute(inv, decimals)
	if err != nil {
		return Payable{}, err
	}
	return Payable{Invoice: inv, Total: t.Total, Taxes: AmountsOf(inv, t).Taxes, PaidSummary: s}, nil
}

// Application is how much of a payment goes to one invoice: ImpPagado in
// the invoice's currency and, when that is not MonedaP, EquivalenciaDR
// (units of the invoice's currency per unit of MonedaP).
type Application struct {
	InvoiceID      int64
	ImpPagado      decimal.Decimal
	EquivalenciaDR decimal.Decimal
}

// PaymentInput is a payment received as the user or `folio post` states
// it. With no Apply, Monto goes to the open invoices oldest first.
type PaymentInput struct {
	FechaPago    time.Time
	FormaDePagoP string
	MonedaP      string
	TipoCambioP  decimal.Decimal
	Monto        decimal.Decimal
	NumOperacion string
	AccountID    int64
	Apply        []Application
}

// BuildPayment returns the draft of a payment receipt in serie for the
// payment in, paying invoices among open (the customer's payable invoices,
// as stored now). Each document paid gets its NumParcialidad (live payments
// so far + 1), ImpSaldoAnt (its balance), ImpSaldoInsoluto (balance less
// ImpPagado) and its taxes in proportion to what is paid (factor =
// ImpPagado ÷ the invoice's Total; each Base and Importe × factor rounded
// by tax.RoundImpuestoDR). With no in.Apply, in.Monto pays the invoices in
// MonedaP oldest first (by Fecha), each up to its balance.
//
// The receipt's receptor is the receptor of the invoices it pays (SAT: a
// Pago is issued to whom the paid invoices were issued). open may hold
// invoices issued to other customers and collected from this one ("Cuenta
// x cobrar a"): a receipt pays invoices of one receptor only, so without
// in.Apply only the oldest invoice's receptor's invoices are paid, and an
// Apply mixing receptors is refused; the user records one payment per
// receptor.
//
// Refusals (Invalid, Spanish, every problem at once; Conflict when an
// invoice's life does not allow it): an invoice not among open or of
// another customer or issuer, not a PPD ingreso (a PUE invoice was paid at
// issue and gets no receipt), not stamped or cancelled, paying more than
// its balance, ImpPagado not positive, an invoice twice, MonedaP XXX or
// unknown, EquivalenciaDR other than 1 in the same currency or missing in
// another, TipoCambioP other than 1 in MXN, Monto different from the sum of
// ImpPagado ÷ EquivalenciaDR beyond the tolerance (one unit of MonedaP's
// last decimal per converted document, for the rounding of the
// conversion), FormaDePagoP 99.
func BuildPayment(serie string, in PaymentInput, open []Payable, cat Catalogs) (Invoice, error) {
	const op = "build payment"
	p := &problems{op: op}
	in.MonedaP = strings.ToUpper(strings.TrimSpace(in.MonedaP))
	if in.MonedaP == "" {
		in.MonedaP = "MXN"
	}
	decP, ok := cat.MonedaDecimals(in.MonedaP)
	switch {
	case !ok:
		return Invoice{}, domain.E(domain.Invalid, op, "La moneda del pago no existe en el catálogo del SAT.", nil)
	case in.MonedaP == MonedaPago:
		return Invoice{}, domain.E(domain.Invalid, op, "Un pago no puede registrarse en la moneda XXX.", nil)
	}
	one := decimal.NewFromInt(1)
	if in.MonedaP == "MXN" {
		if !in.TipoCambioP.IsZero() && !in.TipoCambioP.Equal(one) {
			p.add("TipoCambioP", "En pesos mexicanos el tipo de cambio del pago es 1.")
		}
		in.TipoCambioP = one
	} else if !in.TipoCambioP.IsPositive() || !maxPlaces(in.TipoCambioP, 6) {
		p.add("TipoCambioP", "Indique el tipo de cambio del pago (pesos por unidad), con máximo seis decimales.")
	}
	in.FormaDePagoP = strings.TrimSpace(in.FormaDePagoP)
	if in.FormaDePagoP == "" || in.FormaDePagoP == FormaPagoPorDefinir || !cat.FormaPagoExists(in.FormaDePagoP) {
		p.add("FormaDePagoP", "Indique cómo se recibió el pago (efectivo, transferencia…); «99 Por definir» no es una forma de pago.")
	}
	if in.FechaPago.IsZero() {
		p.add("FechaPago", "Indique la fecha y hora en que se recibió el pago.")
	}
	if !in.Monto.IsPositive() || !maxPlaces(in.Monto, decP) {
		p.add("Monto", fmt.Sprintf("El monto del pago debe ser mayor que cero, con máximo %d decimales.", decP))
	}
	byID := map[int64]*Payable{}
	for i := range open {
		if open[i].Invoice != nil {
			byID[open[i].Invoice.ID] = &open[i]
		}
	}
	apply := in.Apply
	if len(apply) == 0 {
		apply = oldestFirst(in, open)
		if len(apply) == 0 {
			p.add("Apply", "El cliente no tiene facturas a crédito (PPD) pendientes de pago en "+in.MonedaP+".")
		}
	}
	var first *Invoice
	pay := Payment{FechaPago: in.FechaPago, FormaDePagoP: in.FormaDePagoP, MonedaP: in.MonedaP, TipoCambioP: in.TipoCambioP,
		Monto: in.Monto, NumOperacion: strings.TrimSpace(in.NumOperacion), AccountID: in.AccountID}
	sum, tolerance := decimal.Zero, decimal.Zero
	seen := map[int64]bool{}
	for i, a := range apply {
		f := fmt.Sprintf("Apply[%d].", i)
		src := byID[a.InvoiceID]
		if src == nil || seen[a.InvoiceID] {
			p.add(f+"Invoice", "La factura no está entre las pendientes de pago del cliente, o aparece dos veces.")
			continue
		}
		seen[a.InvoiceID] = true
		inv := src.Invoice
		if first == nil {
			first = inv
		}
		if err := payableInvoice(inv, first); err != nil {
			return Invoice{}, err
		}
		d, msg := paidDocument(src, a, in.MonedaP, cat)
		if msg != "" {
			p.add(f+"ImpPagado", msg)
			continue
		}
		pay.Docs = append(pay.Docs, d)
		if d.MonedaDR == in.MonedaP {
			sum = sum.Add(d.ImpPagado)
		} else {
			sum = sum.Add(d.ImpPagado.DivRound(d.EquivalenciaDR, 12))
			tolerance = tolerance.Add(decimal.New(1, -decP))
		}
	}
	if len(pay.Docs) > 0 && in.Monto.IsPositive() && in.Monto.Sub(sum).Abs().GreaterThan(tolerance) {
		p.add("Monto", fmt.Sprintf("El monto del pago (%s %s) no es la suma de lo pagado a cada factura (%s %s).",
			tax.Format(in.Monto, decP), in.MonedaP, tax.Format(sum.Round(decP), decP), in.MonedaP))
	}
	if err := p.err(); err != nil {
		return Invoice{}, err
	}
	if first == nil {
		return Invoice{}, domain.E(domain.Invalid, op, "Elija al menos una factura que pagar.", nil)
	}
	return Invoice{
		Issuer: first.Issuer, State: StateDraft, Status: StatusDraft, TipoDeComprobante: TipoPago, Serie: serie,
		CustomerID: first.CustomerID, Customer: first.Customer, UsoCFDI: UsoCFDIPago, Terms: Contado,
		Moneda: MonedaPago, Lines: []Line{PaymentLine()}, Payment: &pay,
	}, nil
}

// PaymentLine is the one concept of every payment receipt.
func PaymentLine() Line {
	return Line{Cantidad: decimal.NewFromInt(1), ClaveUnidad: ClaveUnidadPago, ClaveProdServ: ClaveProdServPago,
		Descripcion: DescripcionPago, ValorUnitario: decimal.Zero, ObjetoImp: "01"}
}

// oldestFirst spreads in.Monto over the open invoices in MonedaP, oldest
// first, each up to its balance.
func oldestFirst(in PaymentInput, open []Payable) []Application {
	var cands []*Payable
	for i := range open {
		if inv := open[i].Invoice; inv != nil && inv.Moneda == in.MonedaP && open[i].Balance().IsPositive() {
			cands = append(cands, &open[i])
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i].Invoice, cands[j].Invoice
		if !a.Fecha.Equal(b.Fecha) {
			return a.Fecha.Before(b.Fecha)
		}
		return a.ID < b.ID
	})
	left := in.Monto
	var out []Application
	for _, c := range cands {
		if !left.IsPositive() {
			break
		}
		if c.Invoice.CustomerID != cands[0].Invoice.CustomerID {
			// A receipt is issued to the receptor of the invoices it pays: the
			// oldest one's (invoices collected from another customer may have
			// been issued to several).
			continue
		}
		amt := decimal.Min(left, c.Balance())
		out = append(out, Application{InvoiceID: c.Invoice.ID, ImpPagado: amt})
		left = left.Sub(amt)
	}
	return out
}

// payableInvoice checks that inv may be paid by the same receipt as first:
// its life allows relating to it (stamped, not cancelled), it is an
// invoice paid later (PPD), of the same issuer and customer.
func payableInvoice(inv, first *Invoice) error {
	const op = "build payment"
	if err := inv.State.Allowed(EventRelate); err != nil {
		return err
	}
	if inv.TipoDeComprobante != TipoIngreso {
		return domain.E(domain.Invalid, op, fmt.Sprintf("El documento %s no es una factura de ingreso: solo se registran pagos de facturas.", inv.FolioText()), nil)
	}
	if inv.MetodoPago() != "PPD" {
		return domain.E(domain.Invalid, op, fmt.Sprintf("La factura %s es de contado (PUE): se pagó al emitirse y no lleva complemento de pago.", inv.FolioText()), nil)
	}
	if inv.Issuer != first.Issuer || inv.CustomerID != first.CustomerID {
		return domain.E(domain.Invalid, op, fmt.Sprintf("La factura %s se emitió a otro cliente (%s): un complemento de pago se emite al receptor de las facturas que paga; registre un pago aparte para las facturas de cada receptor.", inv.FolioText(), inv.Customer.Name), nil)
	}
	return nil
}

// paidDocument derives the DoctoRelacionado of application a to src in a
// payment in monedaP, or the Spanish reason it may not be.
func paidDocument(src *Payable, a Application, monedaP string, cat Catalogs) (PaidDocument, string) {
	inv := src.Invoice
	decDR, ok := cat.MonedaDecimals(inv.Moneda)
	if !ok || inv.Moneda == MonedaPago {
		return PaidDocument{}, "La moneda de la factura no admite pagos."
	}
	one := decimal.NewFromInt(1)
	eq := a.EquivalenciaDR
	if inv.Moneda == monedaP {
		if !eq.IsZero() && !eq.Equal(one) {
			return PaidDocument{}, fmt.Sprintf("La factura %s está en la moneda del pago: su equivalencia es 1.", inv.FolioText())
		}
		eq = one
	} else if !eq.IsPositive() || !maxPlaces(eq, 10) {
		return PaidDocument{}, fmt.Sprintf("La factura %s está en %s y el pago en %s: indique la equivalencia (%s por %s), con máximo diez decimales.",
			inv.FolioText(), inv.Moneda, monedaP, inv.Moneda, monedaP)
	}
	balance := src.Balance()
	switch {
	case !a.ImpPagado.IsPositive() || !maxPlaces(a.ImpPagado, decDR):
		return PaidDocument{}, fmt.Sprintf("Lo pagado a la factura %s debe ser mayor que cero, con máximo %d decimales.", inv.FolioText(), decDR)
	case a.ImpPagado.GreaterThan(balance):
		return PaidDocument{}, fmt.Sprintf("A la factura %s se le deben %s %s; no se le pueden aplicar %s.",
			inv.FolioText(), tax.Format(balance, decDR), inv.Moneda, tax.Format(a.ImpPagado, decDR))
	}
	d := PaidDocument{
		InvoiceID: inv.ID, UUID: inv.UUID, Serie: inv.Serie, Folio: inv.Folio, MonedaDR: inv.Moneda, EquivalenciaDR: eq,
		NumParcialidad: src.Payments + 1, ImpSaldoAnt: balance, ImpPagado: a.ImpPagado,
		ImpSaldoInsoluto: balance.Sub(a.ImpPagado), ObjetoImpDR: "01",
	}
	if len(src.Taxes) > 0 && src.Total.IsPositive() {
		d.ObjetoImpDR = "02"
		d.Taxes = ProportionalTaxes(src.Taxes, a.ImpPagado, src.Total, decDR)
	}
	return d, ""
}

// ProportionalTaxes returns the taxes of an invoice whose total is total,
// in proportion to paid: each Base and Importe × (paid ÷ total), rounded by
// tax.RoundImpuestoDR to the invoice's decimals (six for the Base of an
// IEPS cuota, a quantity).
func ProportionalTaxes(taxes []DocumentTax, paid, total decimal.Decimal, decimals int32) []DocumentTax {
	out := make([]DocumentTax, 0, len(taxes))
	for _, x := range taxes {
		y := x
		baseDec := decimals
		if x.TipoFactor == FactorCuota {
			baseDec = 6
		}
		y.Base = tax.RoundImpuestoDR(x.Base.Mul(paid).DivRound(total, 16), baseDec)
		y.Importe = tax.RoundImpuestoDR(x.Importe.Mul(paid).DivRound(total, 16), decimals)
		out = append(out, y)
	}
	return out
}

// Summary returns ImpuestosP and Totales of p: each tax of the documents
// grouped by impuesto, factor and rate (withholdings by impuesto), its
// BaseDR and ImporteDR ÷ EquivalenciaDR summed and rounded by
// tax.RoundImpuestoP; Totales are those × TipoCambioP in pesos
// (tax.RoundTotalPagos): IVA at 16, 8 and 0 % and exento, withholdings of
// IVA, ISR and IEPS, and MontoTotalPagos = Monto × TipoCambioP.
func (p *Payment) Summary() PaymentSummary {
	type key struct {
		ret                bool
		imp, factor, rateS string
	}
	groups := map[key]*DocumentTax{}
	var keys []key
	for _, d := range p.Docs {
		eq := d.EquivalenciaDR
		if !eq.IsPositive() {
			eq = decimal.NewFromInt(1)
		}
		for _, x := range d.Taxes {
			k := key{ret: x.Retencion, imp: x.Impuesto}
			if !x.Retencion {
				k.factor, k.rateS = x.TipoFactor, x.TasaOCuota.String()
			}
			g := groups[k]
			if g == nil {
				g = &DocumentTax{Retencion: x.Retencion, Impuesto: x.Impuesto}
				if !x.Retencion {
					g.TipoFactor, g.TasaOCuota = x.TipoFactor, x.TasaOCuota
				}
				groups[k] = g
				keys = append(keys, k)
			}
			g.Base = g.Base.Add(x.Base.DivRound(eq, 16))
			g.Importe = g.Importe.Add(x.Importe.DivRound(eq, 16))
		}
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.imp != b.imp {
			return a.imp < b.imp
		}
		if a.factor != b.factor {
			return a.factor < b.factor
		}
		return groups[a].TasaOCuota.GreaterThan(groups[b].TasaOCuota)
	})
	var s PaymentSummary
	tc := p.TipoCambioP
	if !tc.IsPositive() {
		tc = decimal.NewFromInt(1)
	}
	mxn := func(v decimal.Decimal) *decimal.Decimal {
		r := tax.RoundTotalPagos(v.Mul(tc))
		return &r
	}
	add := func(dst **decimal.Decimal, v decimal.Decimal) {
		r := *mxn(v)
		if *dst != nil {
			r = r.Add(**dst)
		}
		*dst = &r
	}
	t := &s.Totales
	for _, k := range keys {
		g := groups[k]
		g.Base, g.Importe = tax.RoundImpuestoP(g.Base), tax.RoundImpuestoP(g.Importe)
		if g.Retencion {
			s.Retenciones = append(s.Retenciones, *g)
			switch g.Impuesto {
			case ImpuestoISR:
				add(&t.RetencionesISR, g.Importe)
			case ImpuestoIVA:
				add(&t.RetencionesIVA, g.Importe)
			case ImpuestoIEPS:
				add(&t.RetencionesIEPS, g.Importe)
			}
			continue
		}
		s.Traslados = append(s.Traslados, *g)
		if g.Impuesto != ImpuestoIVA {
			continue
		}
		switch {
		case g.TipoFactor == FactorExento:
			add(&t.TrasladosBaseIVAExento, g.Base)
		case g.TasaOCuota.Equal(decimal.RequireFromString("0.16")):
			add(&t.TrasladosBaseIVA16, g.Base)
			add(&t.TrasladosImpuestoIVA16, g.Importe)
		case g.TasaOCuota.Equal(decimal.RequireFromString("0.08")):
			add(&t.TrasladosBaseIVA8, g.Base)
			add(&t.TrasladosImpuestoIVA8, g.Importe)
		case g.TasaOCuota.IsZero():
			add(&t.TrasladosBaseIVA0, g.Base)
			add(&t.TrasladosImpuestoIVA0, g.Importe)
		}
	}
	t.MontoTotalPagos = *mxn(p.Monto)
	return s
}

// Applications returns how p applies its amount, as BuildPayment takes it:
// what CheckPayment rebuilds against the invoices as they are when the
// receipt is posted.
func (p *Payment) Applications() []Application {
	out := make([]Application, 0, len(p.Docs))
	for _, d := range p.Docs {
		out = append(out, Application{InvoiceID: d.InvoiceID, ImpPagado: d.ImpPagado, EquivalenciaDR: d.EquivalenciaDR})
	}
	return out
}

// CheckPayment rebuilds payment receipt rcpt against its invoices as they
// are inside the posting transaction (open, with what the other live
// receipts and notes took): the same rule as BuildPayment, run again so
// that two receipts posted one after the other cannot pay an invoice twice.
// On success rcpt.Payment holds the balances and NumParcialidad of now.
func CheckPayment(rcpt *Invoice, open []Payable, cat Catalogs) error {
	const op = "post payment"
	pay := rcpt.Payment
	if pay == nil || len(pay.Docs) == 0 {
		return domain.E(domain.Invalid, op, "El complemento de pago no tiene facturas pagadas.", nil)
	}
	in := PaymentInput{FechaPago: pay.FechaPago, FormaDePagoP: pay.FormaDePagoP, MonedaP: pay.MonedaP, TipoCambioP: pay.TipoCambioP,
		Monto: pay.Monto, NumOperacion: pay.NumOperacion, AccountID: pay.AccountID, Apply: pay.Applications()}
	built, err := BuildPayment(rcpt.Serie, in, open, cat)
	if err != nil {
		return err
	}
	if built.CustomerID != rcpt.CustomerID || built.Issuer != rcpt.Issuer {
		return domain.E(domain.Invalid, op, "Las facturas pagadas son de otro cliente que el del complemento de pago.", nil)
	}
	rcpt.Payment = built.Payment
	return nil
}

// ValidatePayment checks the header of payment receipt rcpt before it is
// posted: a valid active customer, a serie, UsoCFDI CP01, Moneda XXX, the
// one concept of a payment and a payment with documents.
func (rcpt *Invoice) ValidatePayment(cat Catalogs) error {
	p := &problems{op: "validate payment"}
	c := &rcpt.Customer
	switch {
	case rcpt.CustomerID == 0 && c.RFC == "":
		p.add("CustomerID", "Elija el cliente.")
	case !c.Active:
		p.add("CustomerID", "El cliente está dado de baja; reactívelo para emitirle el complemento de pago.")
	default:
		if err := c.Validate(cat); err != nil {
			p.add("CustomerID", "Los datos fiscales del cliente están incompletos o no son válidos; corríjalos en su ficha.")
		}
	}
	if rcpt.Serie == "" {
		p.add("Serie", "Elija la serie de los complementos de pago.")
	}
	if rcpt.UsoCFDI != UsoCFDIPago || rcpt.Moneda != MonedaPago {
		p.add("UsoCFDI", "Un complemento de pago lleva el uso CP01 y la moneda XXX.")
	}
	if len(rcpt.Lines) != 1 || rcpt.Lines[0].ClaveProdServ != ClaveProdServPago || !rcpt.Lines[0].ValorUnitario.IsZero() {
		p.add("Lines", "Un complemento de pago lleva un solo concepto «Pago» de valor cero.")
	}
	if rcpt.Payment == nil || len(rcpt.Payment.Docs) == 0 {
		p.add("Payment", "El complemento de pago no tiene facturas pagadas.")
	}
	return p.err()
}

// PaymentRow is a live or cancelled payment receipt that paid an invoice,
// as the invoice's cancellation shows it.
type PaymentRow struct {
	ID        int64
	Serie     string
	Folio     int64
	State     State
	ImpPagado decimal.Decimal
}

// Live reports whether the receipt still counts: posted and not cancelled.
func (r PaymentRow) Live() bool { return r.State != StateDraft && r.State != StateCancelled }

// AllowCancelPaidInvoice is AllowCancelInvoice for an invoice that also
// has payment receipts: while a live receipt pays it, the invoice may not
// be cancelled (the receipts are cancelled first, Guía de llenado de pagos
// 2.0: a cancelled document cannot stay paid). The refusal names them.
func AllowCancelPaidInvoice(st State, notes []CreditNoteRow, payments []PaymentRow) error {
	if err := AllowCancelInvoice(st, notes); err != nil {
		return err
	}
	var live []string
	for _, r := range payments {
		if r.Live() {
			live = append(live, fmt.Sprintf("%s-%d", r.Serie, r.Folio))
		}
	}
	if len(live) == 0 {
		return nil
	}
	return domain.E(domain.Conflict, "cancel invoice", fmt.Sprintf(
		"La factura tiene complementos de pago vigentes (%s); cancélelos antes de cancelar la factura.", strings.Join(live, ", ")), nil)
}

// PaymentTx is what posting a payment receipt reads inside the posting
// unit of work besides PostTx; a store whose PostTx lacks it refuses
// payment receipts.
type PaymentTx interface {
	// PaidOf returns what reduced invoice id so far: its live payment
	// receipts (posted, not cancelled) and its live credit notes' shares.
	PaidOf(ctx context.Context, id int64) (PaidSummary, error)
}

// PaymentStore reads what the payment screens and `folio post` need.
type PaymentStore interface {
	// PayableInvoices returns issuer's invoices to customerID that a
	// payment may still pay: stamped PPD ingresos with a positive balance,
	// oldest first.
	PayableInvoices(ctx context.Context, issuer string, customerID int64) ([]Payable, error)
	// PaymentsOf returns the payment receipts that paid invoice id, live or
	// cancelled, oldest first.
	PaymentsOf(ctx context.Context, id int64) ([]PaymentRow, error)
}

// checkPayment validates payment receipt inv and runs CheckPayment on it
// against its invoices as they are inside the transaction.
func (s *Service) checkPayment(ctx context.Context, tx PostTx, inv *Invoice) error {
	const op = "post payment"
	if err := inv.ValidatePayment(s.Catalogs); err != nil {
		return err
	}
	ptx, ok := tx.(PaymentTx)
	if !ok {
		return domain.E(domain.Internal, op, "Este almacén no registra complementos de pago.", nil)
	}
	var open []Payable
	for _, d := range inv.Payment.Docs {
		src, err := tx.LoadDocument(ctx, d.InvoiceID)
		if err != nil {
			return err
		}
		if err := notHeld(ctx, tx, d.InvoiceID, "la factura "+src.FolioText(), inv.Fecha); err != nil {
			return err
		}
		paid, err := ptx.PaidOf(ctx, d.InvoiceID)
		if err != nil {
			return err
		}
		p, err := PayableOf(&src, paid, s.Catalogs)
		if err != nil {
			return err
		}
		open = append(open, p)
	}
	return CheckPayment(inv, open, s.Catalogs)
}

// BankTx is what posting reads of the company's accounts (package banks)
// inside the posting unit of work; a store whose PostTx lacks it refuses a
// payment receipt that names an account.
type BankTx interface {
	// Account returns one account; NotFound if absent.
	Account(ctx context.Context, id int64) (banks.Account, error)
}

// depositOf is the deposit a payment receipt makes into the account it
// names (Payment.AccountID), decided inside the posting transaction: the
// account exists, is the company's and is active, and takes the payment's
// currency (banks.Convert: an MXN account at TipoCambioP). No account, no
// movement.
func depositOf(ctx context.Context, tx PostTx, inv *Invoice) ([]banks.Movement, error) {
	const op = "post payment"
	pay := inv.Payment
	if pay == nil || pay.AccountID == 0 {
		return nil, nil
	}
	btx, ok := tx.(BankTx)
	if !ok {
		return nil, domain.E(domain.Internal, op, "Este almacén no registra cuentas de caja y bancos.", nil)
	}
	a, err := btx.Account(ctx, pay.AccountID)
	if domain.KindOf(err) == domain.NotFound {
		return nil, domain.E(domain.Invalid, op, "La cuenta elegida para el cobro no existe.", err)
	}
	if err != nil {
		return nil, err
	}
	m, err := banks.Move(a, inv.Issuer, banks.Deposit, pay.FechaPago, inv.ID, pay.MonedaP, pay.Monto, pay.TipoCambioP)
	if err != nil {
		return nil, err
	}
	return []banks.Movement{m}, nil
}

// refundOf is the withdrawal a credit note of a cash sale makes from the
// account it names (RefundAccount) to pay the customer back total, decided
// inside the posting transaction like a receipt's deposit: the account
// exists, is the company's and active, and pays in the note's currency
// (banks.Convert: an MXN account at the note's TipoCambio). A note of a
// sale on credit is set off against what the customer owes (FormaPago 17)
// and pays nothing from an account. No account, no movement.
func refundOf(ctx context.Context, tx PostTx, inv *Invoice, total decimal.Decimal) (*banks.Movement, error) {
	const op = "post credit note"
	if inv.RefundAccount == 0 {
		return nil, nil
	}
	if inv.TipoDeComprobante != TipoEgreso || inv.FormaPago == FormaPagoCompensacion {
		return nil, domain.E(domain.Invalid, op, "Solo la devolución de una venta de contado sale de una cuenta; una nota de una venta a crédito se compensa del saldo del cliente.", nil)
	}
	btx, ok := tx.(BankTx)
	if !ok {
		return nil, domain.E(domain.Internal, op, "Este almacén no registra cuentas de caja y bancos.", nil)
	}
	a, err := btx.Account(ctx, inv.RefundAccount)
	if domain.KindOf(err) == domain.NotFound {
		return nil, domain.E(domain.Invalid, op, "La cuenta elegida para la devolución no existe.", err)
	}
	if err != nil {
		return nil, err
	}
	tc := inv.TipoCambio
	if inv.Moneda == "MXN" {
		tc = decimal.NewFromInt(1)
	}
	m, err := banks.Move(a, inv.Issuer, banks.Withdrawal, inv.Fecha, inv.ID, inv.Moneda, total, tc)
	if err != nil {
		return nil, err
	}
	return &m, nil
}
