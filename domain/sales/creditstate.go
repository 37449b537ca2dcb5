package sales

import "github.com/shopspring/decimal"

// CreditedState is how much of an invoice its live credit notes (posted
// and not cancelled) took back, as the list shows it.
type CreditedState string

// The credited states of an invoice.
const (
	CreditedNone    CreditedState = ""        // no live credit note
	CreditedPartial CreditedState = "partial" // live notes take less than its total
	CreditedFull    CreditedState = "full"    // live notes take its whole total
)

// CreditedOf returns the state of an invoice of total total whose live
// credit notes add up to credited (both exact, in the invoice's currency).
func CreditedOf(total, credited decimal.Decimal) CreditedState {
	switch {
	case !credited.IsPositive():
		return CreditedNone
	case credited.GreaterThanOrEqual(total):
		return CreditedFull
	}
	return CreditedPartial
}

// Label returns the Spanish name of the state ("" for none).
func (c CreditedState) Label() string {
	switch c {
	case CreditedPartial:
		return "Acreditada en parte"
	case CreditedFull:
		return "Acreditada por completo"
	}
	return ""
}

// CreditedStates lists the states that have a label.
func CreditedStates() []CreditedState { return []CreditedState{CreditedPartial, CreditedFull} }

// Label returns the Spanish name of the kind: "Devolución" or "Rebaja".
func (k CreditKind) Label() string {
	switch k {
	case Devolucion:
		return "Devolución"
	case Rebaja:
		return "Rebaja"
	}
	return string(k)
}

// CreditKinds lists the kinds of credit note.
func CreditKinds() []CreditKind { return []CreditKind{Devolucion, Rebaja} }
