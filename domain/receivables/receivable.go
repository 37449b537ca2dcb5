package receivables

import (
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

// DateLayout is the text form of a due date in stores and reports.
const DateLayout = "2006-01-02"

// Opens reports whether a posted document opens a receivable: an invoice
// (TipoDeComprobante I) paid in installments or later (MetodoPago PPD). A
// cash invoice (PUE) is paid when issued and a credit note owes nothing.
func Opens(tipo, metodoPago string) bool { return tipo == "I" && metodoPago == "PPD" }

// Day returns the calendar day of t in Mexico City (where Folio's Fecha is
// expressed) as midnight UTC of that date: the form every date of this
// package has, so that days compare and subtract exactly. A time already in
// that form (midnight UTC: a due date, or the day a report is asked for) is
// taken as the date it names and returned unchanged.
func Day(t time.Time) time.Time {
	if h, m, sec := t.Clock(); t.Location() == time.UTC && h == 0 && m == 0 && sec == 0 && t.Nanosecond() == 0 {
		return t
	}
	y, m, d := t.In(domain.MexicoCity).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DueDate is the day a receivable opened by an invoice of Fecha fecha falls
// due: creditDays calendar days after the invoice's day (the customer's
// plazo de crédito when the invoice is posted; a later change of the
// customer's terms does not move it).
func DueDate(fecha time.Time, creditDays int) time.Time {
	return Day(fecha).AddDate(0, 0, creditDays)
}

// DaysOverdue is how many days past due a receivable due on due is on day
// asOf: 0 or less while it is not yet due (due on asOf itself is on time).
func DaysOverdue(due, asOf time.Time) int {
	return int(Day(asOf).Sub(Day(due)).Hours() / 24)
}

// Change is a change of one invoice's open balance that the domain decided
// and the store writes in the same transaction as the event causing it:
// either the new balance (Set) or an amount to add (Delta, negative when the
// customer owes less). Amounts are in the invoice's currency.
type Change struct {
	InvoiceID int64
	Set       bool
	Open      decimal.Decimal // when Set
	Delta     decimal.Decimal // when not Set
}

// Share is what a credit note (or, later, a payment) takes from one invoice
// it relates, with what the domain needs to know about that invoice.
type Share struct {
	InvoiceID  int64           // 0: issued elsewhere, nothing to change here
	Amount     decimal.Decimal // the note's share of the invoice (sales.Relation.Credited)
	Receivable bool            // the invoice opened a receivable (Opens)
	Cancelled  bool            // the invoice is cancelled: it has no receivable any more
}

// Doc is a document whose posting or cancellation may change open balances.
type Doc struct {
	ID         int64
	Receivable bool            // it opens a receivable itself (Opens)
	Total      decimal.Decimal // its total, in its currency
	Shares     []Share         // on a credit note: its share of each related invoice
}

// Posted returns the changes of posting d: a receivable opens with the
// invoice's whole total; a credit note lowers the open balance of each live
// receivable it credits by its share.
func Posted(d Doc) []Change {
	var out []Change
	if d.Receivable {
		out = append(out, Change{InvoiceID: d.ID, Set: true, Open: d.Total})
	}
	for _, s := range d.Shares {
		if s.applies() {
			out = append(out, Change{InvoiceID: s.InvoiceID, Delta: s.Amount.Neg()})
		}
	}
	return out
}

// Cancelled returns the changes of cancelling d: a cancelled invoice owes
// nothing (its receivable is removed: balance 0); a cancelled credit note
// gives each live receivable it credited its share back.
func Cancelled(d Doc) []Change {
	var out []Change
	if d.Receivable {
		out = append(out, Change{InvoiceID: d.ID, Set: true, Open: decimal.Zero})
	}
	for _, s := range d.Shares {
		if s.applies() {
			out = append(out, Change{InvoiceID: s.InvoiceID, Delta: s.Amount})
		}
	}
	return out
}

func (s Share) applies() bool {
	return s.InvoiceID != 0 && s.Receivable && !s.Cancelled && !s.Amount.IsZero()
}

// Recompute is an invoice's open balance from scratch: nothing when it is
// not a receivable or is cancelled, else its total less what its live
// credit notes and payments took. Stores check their stored balances
// against it.
func Recompute(receivable, cancelled bool, total, credited, paid decimal.Decimal) decimal.Decimal {
	if !receivable || cancelled {
		return decimal.Zero
	}
	return total.Sub(credited).Sub(paid)
}

// Receivable is one invoice that opened a receivable, with the open balance
// the store keeps (Open) and the amounts it is recomputed from.
type Receivable struct {
	InvoiceID  int64
	CustomerID int64
	Serie      string
	Folio      int64
	Fecha      time.Time
	DueDate    time.Time
	Moneda     string
	TipoCambio decimal.Decimal
	Cancelled  bool
	Total      decimal.Decimal // in Moneda
	Credited   decimal.Decimal // the shares of its live credit notes
	Paid       decimal.Decimal // its live payments
	Open       decimal.Decimal // as stored
}

// Recomputed is the open balance recomputed from scratch; a store keeps
// Open equal to it.
func (r Receivable) Recomputed() decimal.Decimal {
	return Recompute(true, r.Cancelled, r.Total, r.Credited, r.Paid)
}
