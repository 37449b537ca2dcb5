package receivables

import (
	"time"

	"github.com/shopspring/decimal"
)

// MovementKind is what moved a customer's balance.
type MovementKind string

// The kinds of movement.
const (
	Invoice    MovementKind = "factura"      // a credit invoice: the customer owes its total
	CreditNote MovementKind = "nota_credito" // a live credit note: its share of the invoice
	Payment    MovementKind = "pago"         // a live payment (issued by the payments area)
)

// Label is the movement kind in Spanish.
func (k MovementKind) Label() string {
	switch k {
	case Invoice:
		return "Factura"
	case CreditNote:
		return "Nota de crédito"
	case Payment:
		return "Pago"
	}
	return string(k)
}

// Movement is one line of a customer's statement (estado de cuenta): a
// live receivable's invoice, or what a live credit note or payment took
// from it. Amount is positive for a charge and negative for a credit, in
// the invoice's currency, so a receivable's movements add up to its open
// balance.
type Movement struct {
	Kind       MovementKind
	DocumentID int64  // the invoice, note or payment
	InvoiceID  int64  // the receivable it moves
	InvoiceRef string // its "SERIE-FOLIO"
	Serie      string
	Folio      int64
	Fecha      time.Time
	DueDate    time.Time // of the receivable
	Moneda     string
	Amount     decimal.Decimal
}

// Statement is a customer's movements with their balance.
type Statement struct {
	Balance   Balance
	Movements []Movement // in date order (a charge before the credits of the same instant)
}
